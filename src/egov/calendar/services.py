"""The working-day calendar and the one deadline function used everywhere.

Vocabulary (all times in Asia/Ho_Chi_Minh, the province's zone; Vietnam has had no daylight
saving since 1975, so wall-clock arithmetic inside a day is exact):

* A **working day** is a date that is not a weekend day (``EGOV_WEEKEND_DAYS``), not a public
  holiday and not a day off decided for that year — or that is a make-up working day (ngày làm
  bù). Sources, strongest first: the province's :class:`~egov.calendar.models.DayOverride` rows,
  then the ``holidays`` package (country VN: Labour Code 2019 art. 112 holidays, the days off in
  lieu ("nghỉ bù") when a holiday falls on a weekend, and the government's substituted days off
  with their make-up Saturdays, exposed as ``weekend_workdays``), then the weekend rule.
* A working day has **sessions** (``EGOV_WORKING_HOURS``, default 07:00–11:30 and 13:30–17:00,
  so 8 hours). A session is the half-open interval ``[start, end)`` for "may work start here",
  but a due moment may land exactly on a session's end: the earliest instant by which the
  required working time has elapsed.
* The **next working moment** of an instant ``t`` is the earliest ``m >= t`` inside a session
  ``[start, end)`` of a working day. Counting starts there (a dossier received at lunch counts
  from 13:30; one received at 17:00 sharp or on Saturday counts from the next opening).

The deadline contract of :func:`due` (units in :class:`Unit`):

* ``working_days`` / ``working_hours``: the earliest instant by which ``amount`` working days
  (one day = the day's total session time, 8 h by default) or hours of working time have elapsed
  after the start.
* ``calendar_days``: the end of working time on the date ``amount`` days after the start's date;
  if that date is not a working day, the end of the next working day.
* ``same_day``: received (next working moment) before ``EGOV_SAME_DAY_CUTOFF`` → the end of that
  working day; otherwise the end of the next working day. The amount is not used and must be 0
  or 1. The 15:00 default follows common provincial one-stop-shop rules ("hồ sơ tiếp nhận sau
  15 giờ thì trả kết quả trong ngày làm việc tiếp theo"); no national article was verified, so
  it is a setting.
* ``amount == 0`` (all units but ``same_day``): no time allowed, the due is the start moved to
  the next working moment. (Hence ``due(due(s, a), 0)`` may differ from ``due(s, a)`` when the
  first due lands on a session's end; for positive amounts ``due(due(s, a), b) == due(s, a + b)``.)
* Negative or non-integer amounts raise ``ValueError``; so do naive datetimes. Results are aware
  datetimes in Asia/Ho_Chi_Minh.

Speed: each year's exceptional dates (holidays, days off, make-up days, overrides) are computed
once per process and kept in memory; the overrides for up to three neighbouring years are read
in one small query. The cache is dropped when a DayOverride is saved or deleted (signals, in
this process) and when a version stamp in Django's cache changes (other processes, when CACHES
is shared), and at the latest after ``CACHE_SECONDS``.
"""

from __future__ import annotations

import logging
import re
import threading
import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_package
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("egov.calendar")
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = timedelta(days=1)
# A deadline of more than this many units is a data error, not a deadline (and it bounds loops).
MAX_AMOUNT = 9999
# Safety stop for "find the next working day": no real calendar has a year without one.
_MAX_SCAN_DAYS = 366 * 3
CACHE_SECONDS = 300
_VERSION_KEY = "egov:calendar:version"

_WEEKDAY_NAMES = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ Nhật"),
)
_WEEKDAY_CODES = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    SAME_DAY = "same_day"


# --- settings, parsed strictly when used -------------------------------------------------------

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _parse_hhmm(raw: str, setting: str) -> time:
    match = _HHMM.match(raw.strip())
    if not match:
        raise ImproperlyConfigured(
            f"{setting}: {raw!r} is not a time of day as HH:MM (00:00-23:59)"
        )
    return time(int(match[1]), int(match[2]))


@lru_cache(maxsize=8)
def parse_working_hours(raw: str) -> tuple[tuple[time, time], ...]:
    """Parse ``"07:00-11:30,13:30-17:00"`` into ordered, non-overlapping sessions."""
    sessions: list[tuple[time, time]] = []
    for part in raw.split(","):
        bounds = part.strip().split("-")
        if len(bounds) != 2:
            raise ImproperlyConfigured(
                f"EGOV_WORKING_HOURS: {part.strip()!r} is not a session HH:MM-HH:MM "
                f"(expected e.g. '07:00-11:30,13:30-17:00')"
            )
        start, end = (_parse_hhmm(b, "EGOV_WORKING_HOURS") for b in bounds)
        if start >= end:
            raise ImproperlyConfigured(
                f"EGOV_WORKING_HOURS: session {part.strip()!r} ends before it starts"
            )
        if sessions and start < sessions[-1][1]:
            raise ImproperlyConfigured(
                f"EGOV_WORKING_HOURS: session {part.strip()!r} overlaps or precedes the one before"
            )
        sessions.append((start, end))
    return tuple(sessions)


@lru_cache(maxsize=8)
def parse_weekend(raw: str) -> frozenset[int]:
    """Parse ``"sat,sun"`` into Python weekday numbers (Monday 0)."""
    days = set()
    for part in raw.split(","):
        code = part.strip().lower()
        if not code:
            continue
        if code not in _WEEKDAY_CODES:
            raise ImproperlyConfigured(
                f"EGOV_WEEKEND_DAYS: {code!r} is not one of {', '.join(_WEEKDAY_CODES)}"
            )
        days.add(_WEEKDAY_CODES[code])
    if len(days) == 7:
        raise ImproperlyConfigured("EGOV_WEEKEND_DAYS: a week needs at least one working day")
    return frozenset(days)


def working_hours() -> tuple[tuple[time, time], ...]:
    return parse_working_hours(settings.EGOV_WORKING_HOURS)


def weekend_days() -> frozenset[int]:
    return parse_weekend(settings.EGOV_WEEKEND_DAYS)


def same_day_cutoff() -> time:
    return _parse_hhmm(settings.EGOV_SAME_DAY_CUTOFF, "EGOV_SAME_DAY_CUTOFF")


def weekday_name(day: date) -> str:
    """ "Thứ Hai" … "Chủ Nhật"."""
    return str(_WEEKDAY_NAMES[day.weekday()])


def day_length() -> timedelta:
    """Working time in one working day (8 h with the default hours)."""
    return sum((_span(start, end) for start, end in working_hours()), timedelta())


def _span(start: time, end: time) -> timedelta:
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


# --- the per-year calendar, cached --------------------------------------------------------------


@lru_cache(maxsize=64)
def _package_days(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """The ``holidays`` package's days off and make-up weekend days for one year.

    Neighbouring years are populated too, because a substitution can cross the new year
    (e.g. 2 January 2015 off, made up on Saturday 27 December 2014).
    """
    package = holidays_package.country_holidays(
        "VN", years=range(year - 1, year + 2), language="vi"
    )
    days_off = {day: name for day, name in package.items() if day.year == year}
    make_up = frozenset(day for day in package.weekend_workdays if day.year == year)
    return days_off, make_up


def _make_up_reason(day: date, days_off: dict[date, str]) -> str:
    """Name the day off a make-up Saturday pays for, from the package's "thay cho ngày …" label."""
    marker = day.strftime("%d/%m/%Y")
    for off_day, name in days_off.items():
        if marker in name:
            return format_lazy(_("Ngày làm bù cho ngày nghỉ {}"), off_day.strftime("%d/%m/%Y"))
    return _("Ngày làm bù")


@dataclass
class _Year:
    # Dates whose status differs from, or is explained beyond, the plain weekend rule.
    exceptions: dict[date, tuple[bool, str]]


@dataclass
class _Calendar:
    """One consistent snapshot: settings, and the years loaded so far."""

    version: object
    loaded_at: float
    sessions: tuple[tuple[time, time], ...]
    weekend: frozenset[int]
    years: dict[int, _Year] = field(default_factory=dict)

    def year(self, year: int) -> _Year:
        if year not in self.years:
            self._load(year)
        return self.years[year]

    def _load(self, year: int) -> None:
        # One query for this year and its neighbours not yet loaded: a deadline crossing the new
        # year then costs no second query.
        from egov.calendar.models import DayOverride

        wanted = [
            y
            for y in (year - 1, year, year + 1)
            if y == year or (y not in self.years and 1 < y < 9999)
        ]
        overrides = DayOverride.objects.filter(
            date__gte=date(wanted[0], 1, 1), date__lte=date(wanted[-1], 12, 31)
        ).only("date", "kind", "name")
        by_year: dict[int, list] = {y: [] for y in wanted}
        for override in overrides:
            by_year[override.date.year].append(override)
        for y in wanted:
            self.years[y] = self._build(y, by_year[y])

    def _build(self, year: int, overrides: list) -> _Year:
        days_off, make_up = _package_days(year)
        exceptions: dict[date, tuple[bool, str]] = {d: (False, n) for d, n in days_off.items()}
        for day in make_up:
            if day.weekday() in self.weekend and day not in days_off:
                exceptions[day] = (True, _make_up_reason(day, days_off))
        # The province's decisions win over the package, in both directions.
        for override in overrides:
            exceptions[override.date] = (override.is_working, override.name)
        return _Year(exceptions)

    def status(self, day: date) -> tuple[bool, str]:
        exception = self.year(day.year).exceptions.get(day)
        if exception is not None:
            return exception[0], str(exception[1])
        weekday = day.weekday()
        if weekday in self.weekend:
            return False, str(_WEEKDAY_NAMES[weekday])
        return True, str(format_lazy(_("Ngày làm việc ({})"), _WEEKDAY_NAMES[weekday]))

    def is_working(self, day: date) -> bool:
        exception = self.year(day.year).exceptions.get(day)
        if exception is not None:
            return exception[0]
        return day.weekday() not in self.weekend

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        for _step in range(_MAX_SCAN_DAYS):
            day += ONE_DAY
            if self.is_working(day):
                return day
        raise RuntimeError(f"no working day within {_MAX_SCAN_DAYS} days after {day}")

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working(day) else self.next_working_day(day)

    def sessions_on(self, day: date) -> list[tuple[datetime, datetime]]:
        return [
            (datetime.combine(day, start, ZONE), datetime.combine(day, end, ZONE))
            for start, end in self.sessions
        ]

    def closing(self, day: date) -> datetime:
        return datetime.combine(day, self.sessions[-1][1], ZONE)


_local = threading.local()
_generation = 0  # bumped by invalidate_cache(); makes every thread's snapshot stale


def _calendar() -> _Calendar:
    """The current snapshot, rebuilt when settings, overrides or the version stamp changed."""
    version = (_generation, _shared_version())
    sessions, weekend = working_hours(), weekend_days()
    current: _Calendar | None = getattr(_local, "calendar", None)
    if (
        current is None
        or current.version != version
        or current.sessions != sessions
        or current.weekend != weekend
        or _time.monotonic() - current.loaded_at > CACHE_SECONDS
    ):
        current = _Calendar(version, _time.monotonic(), sessions, weekend)
        _local.calendar = current
    return current


def _shared_version() -> object:
    # A cache outage must not stop deadlines: fall back to this process's signals and the TTL.
    try:
        return cache.get(_VERSION_KEY, 0)
    except Exception:
        logger.warning("calendar: cannot read the version stamp from the cache", exc_info=True)
        return None


def invalidate_cache() -> None:
    """Forget the loaded years here, and tell other processes through the shared cache."""
    global _generation
    _generation += 1
    try:
        try:
            cache.incr(_VERSION_KEY)
        except ValueError:
            cache.set(_VERSION_KEY, 1, None)
    except Exception:
        logger.warning("calendar: cannot bump the version stamp in the cache", exc_info=True)


def override_changed() -> None:
    """Signal handler: now, and again at commit (a read inside the transaction may have cached
    the uncommitted row before another process could see it)."""
    invalidate_cache()
    transaction.on_commit(invalidate_cache)


# --- the public API ------------------------------------------------------------------------------


def _local_aware(moment: datetime, name: str = "start") -> datetime:
    if not isinstance(moment, datetime):
        raise ValueError(f"{name} must be a datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone), not naive")
    return moment.astimezone(ZONE)


def is_working_day(day: date) -> tuple[bool, str]:
    """Whether ``day`` is a working day, and why (in Vietnamese: "Chủ Nhật", "Tết Nguyên Đán",
    "Ngày làm bù cho ngày nghỉ 02/05/2025", an override's name, …)."""
    if isinstance(day, datetime):
        day = _local_aware(day, "day").date()
    return _calendar().status(day)


def year_exceptions(year: int) -> list[tuple[date, bool, str]]:
    """The dates of ``year`` that are not plain weekdays/weekends: holidays, days off, make-up
    working days and overrides, with their status and reason, in date order."""
    calendar = _calendar()
    return [
        (day, working, str(reason))
        for day, (working, reason) in sorted(calendar.year(year).exceptions.items())
    ]


def next_working_moment(moment: datetime) -> datetime:
    """The earliest instant at or after ``moment`` inside a working session."""
    return _next_working_moment(_calendar(), _local_aware(moment))


def _next_working_moment(calendar: _Calendar, moment: datetime) -> datetime:
    day = moment.date()
    if calendar.is_working(day):
        for start, end in calendar.sessions_on(day):
            if moment < end:
                return max(moment, start)
    return calendar.sessions_on(calendar.next_working_day(day))[0][0]


def _advance(calendar: _Calendar, moment: datetime, remaining: timedelta) -> datetime:
    """The earliest instant by which ``remaining`` (> 0) working time has elapsed after the
    working moment ``moment``."""
    day = moment.date()
    full_day = day_length()
    while True:
        # Whole working days are skipped without looking at their sessions.
        if moment <= calendar.sessions_on(day)[0][0] and remaining > full_day:
            remaining -= full_day
        else:
            for start, end in calendar.sessions_on(day):
                if end <= moment:
                    continue
                begin = max(start, moment)
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
        day = calendar.next_working_day(day)
        moment = calendar.sessions_on(day)[0][0]


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError("amount must be a whole number")
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount > MAX_AMOUNT:
        raise ValueError(f"amount must not exceed {MAX_AMOUNT}")


def due(start: datetime, amount: int, unit: Unit | str) -> datetime:
    """The due moment of a deadline of ``amount`` ``unit`` counted from ``start``.

    The contract (see the module docstring): working units count working time from the next
    working moment and return the earliest instant it is used up; ``calendar_days`` ends at the
    closing of the target date (or of the next working day); ``same_day`` applies the cut-off;
    an amount of 0 is the next working moment.
    """
    unit = Unit(unit)
    _check_amount(amount)
    local = _local_aware(start)
    calendar = _calendar()
    first = _next_working_moment(calendar, local)
    if unit is Unit.SAME_DAY:
        if amount not in (0, 1):
            raise ValueError("same_day takes no amount (use 0 or 1)")
        cutoff = datetime.combine(first.date(), same_day_cutoff(), ZONE)
        day = first.date() if first < cutoff else calendar.next_working_day(first.date())
        return calendar.closing(day)
    if amount == 0:
        return first
    if unit is Unit.CALENDAR_DAYS:
        target = local.date() + timedelta(days=amount)
        return calendar.closing(calendar.working_day_on_or_after(target))
    per_unit = day_length() if unit is Unit.WORKING_DAYS else timedelta(hours=1)
    return _advance(calendar, first, per_unit * amount)


def working_time_between(a: datetime, b: datetime) -> timedelta:
    """Working time elapsed from ``a`` to ``b`` (negative when ``b`` is before ``a``).

    Used for "how late" (from the due moment to the result) and for stopped clocks (time spent
    waiting for the applicant's supplement is subtracted by the caller).
    """
    start, end = _local_aware(a, "a"), _local_aware(b, "b")
    if end < start:
        return -working_time_between(b, a)
    calendar = _calendar()
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if calendar.is_working(day):
            for session_start, session_end in calendar.sessions_on(day):
                overlap = min(session_end, end) - max(session_start, start)
                if overlap > timedelta():
                    total += overlap
        day += ONE_DAY
    return total
