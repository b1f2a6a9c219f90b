"""The leaders' dashboard: the plan's targets beside the measured values, trends by month, and
today's overdue work, for the agencies the reader's role covers.

Period figures come from the counters (:mod:`egov.reports.counters`), so the page reads a few
hundred rows whatever the number of dossiers; today's due-soon and overdue counts change with
the clock and are index range counts on the pending dossiers. The rules are in
``docs/dashboard.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.agencies.models import Agency
from egov.catalog.models import Procedure
from egov.core.periods import year_problem
from egov.dossiers import deadlines
from egov.dossiers.models import Dossier, Status
from egov.feedback.statistics import statistics
from egov.reports.models import MEASURES, DossierCounter

MAX_MONTHS = 36
TOP = 5  # agencies and procedures listed by overdue dossiers
RUNNING = (Status.RECEIVED, Status.PROCESSING)  # the clock runs (a supplement stops it)
ONLINE_LEVELS = (Procedure.OnlineLevel.FULL, Procedure.OnlineLevel.PARTIAL)


class PeriodError(ValueError):
    pass


# The targets: the province's plan (Đề án chuyển đổi số tỉnh Tây Ninh, see docs/dashboard.md)
# unless noted; ``EGOV_DASHBOARD_TARGETS`` in the settings overrides any of them (percent).
DEFAULT_TARGETS: dict[str, float | None] = {
    "online_submissions": 60,
    "satisfaction": 90,
    "procedures_online": 100,
    "resolved_on_time": 100,  # not in the plan: the law's appointment binds every dossier
    "feedback_on_time": 100,  # the plan: agencies answer within the deadline
}
TARGET_LABELS = {
    "online_submissions": _("Hồ sơ nộp trực tuyến"),
    "satisfaction": _("Người dân, doanh nghiệp hài lòng"),
    "procedures_online": _("Thủ tục cung cấp dịch vụ công trực tuyến"),
    "resolved_on_time": _("Hồ sơ giải quyết đúng hạn"),
    "feedback_on_time": _("Phản ánh, kiến nghị trả lời đúng hạn"),
}
TARGET_BASES = {
    "online_submissions": _("trên số hồ sơ tiếp nhận trong kỳ"),
    "satisfaction": _("trên số đánh giá về hồ sơ có kết quả trong kỳ"),
    "procedures_online": _("trên số thủ tục đang áp dụng (hiện tại)"),
    "resolved_on_time": _("trên số hồ sơ có kết quả trong kỳ"),
    "feedback_on_time": _("trên số phản ánh đã trả lời, tiếp nhận trong kỳ"),
}


def targets() -> dict[str, float | None]:
    return {**DEFAULT_TARGETS, **getattr(settings, "EGOV_DASHBOARD_TARGETS", {})}


@dataclass(frozen=True)
class Period:
    """Whole local months, ``first`` to ``last`` (both the first day of their month)."""

    first: date
    last: date

    def months(self) -> list[date]:
        out, month = [], self.first
        while month <= self.last:
            out.append(month)
            month = _next_month(month)
        return out

    @property
    def end(self) -> date:
        """The last day of the period."""
        return _next_month(self.last) - timedelta(days=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _parse_month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        month_start = date(year, month, 1)
    except (ValueError, TypeError):
        raise PeriodError(_("Tháng phải có dạng NNNN-TT, ví dụ 2026-01.")) from None
    if problem := year_problem(month_start):
        raise PeriodError(problem)
    return month_start


def default_period(today: date) -> Period:
    """The last twelve months, this one included."""
    last = date(today.year, today.month, 1)
    return Period(_next_month(date(last.year - 1, last.month, 1)), last)


def parse_period(first: str | None, last: str | None, today: date) -> Period:
    """The period from the page's ``from``/``to`` (``YYYY-MM``); either missing: the default."""
    if not first and not last:
        return default_period(today)
    start = _parse_month(first) if first else _parse_month(last)
    end = _parse_month(last) if last else start
    if start > end:
        raise PeriodError(_("Tháng bắt đầu phải trước hoặc bằng tháng kết thúc."))
    if len(Period(start, end).months()) > MAX_MONTHS:
        raise PeriodError(_("Kỳ xem dài tối đa %(n)s tháng.") % {"n": MAX_MONTHS})
    return Period(start, end)


@dataclass(frozen=True)
class Target:
    code: str
    label: str
    basis: str
    target: float | None
    numerator: int | None
    denominator: int | None

    @property
    def measured(self) -> float | None:
        if not self.denominator or self.numerator is None:
            return None
        return 100 * self.numerator / self.denominator

    @property
    def met(self) -> bool | None:
        if self.measured is None or self.target is None:
            return None
        return self.measured >= self.target


@dataclass(frozen=True)
class Month:
    month: date
    received: int
    online: int
    on_time: int
    late: int
    satisfied: int
    rated: int

    @property
    def online_share(self) -> float | None:
        return 100 * self.online / self.received if self.received else None

    @property
    def on_time_share(self) -> float | None:
        done = self.on_time + self.late
        return 100 * self.on_time / done if done else None

    @property
    def satisfaction(self) -> float | None:
        return 100 * self.satisfied / self.rated if self.rated else None


@dataclass
class Dashboard:
    period: Period
    at: datetime
    targets: list[Target]
    months: list[Month]
    overdue: int
    due_soon: int
    overdue_by_agency: list[tuple[Agency, int]] = field(default_factory=list)
    overdue_by_procedure: list[tuple[Procedure, int]] = field(default_factory=list)


def _in_scope(rows, agency_ids: Sequence[int] | None, name: str = "agency_id"):
    return rows if agency_ids is None else rows.filter(**{f"{name}__in": agency_ids})


def monthly(period: Period, agency_ids: Sequence[int] | None) -> list[Month]:
    """The counters summed by month (every month of the period, zeros included)."""
    rows = _in_scope(
        DossierCounter.objects.filter(month__gte=period.first, month__lte=period.last), agency_ids
    )
    sums = {f"n_{m}": Sum(m) for m in MEASURES}
    online = Sum("received", filter=Q(channel=Dossier.Channel.ONLINE))
    by_month = {
        row["month"]: row
        for row in rows.values("month").annotate(**sums, n_online=online).order_by()
    }
    out = []
    for month in period.months():
        row = by_month.get(month, {})

        def n(name: str, row=row) -> int:
            return row.get(f"n_{name}") or 0

        out.append(
            Month(
                month=month,
                received=n("received"),
                online=n("online"),
                on_time=n("resolved_on_time"),
                late=n("resolved_late"),
                satisfied=n("rated_satisfied"),
                rated=sum(n(f"rated_{r}") for r in Dossier.Rating.values),
            )
        )
    return out


def procedures_online(agency_ids: Sequence[int] | None) -> tuple[int, int]:
    """(procedures offered online, procedures in force) — today's catalog, for the agencies."""
    procedures = Procedure.objects.filter(is_active=True)
    if agency_ids is not None:
        procedures = procedures.filter(agencies__in=agency_ids).distinct()
    online = procedures.filter(online_level__in=ONLINE_LEVELS).count()
    return online, procedures.count()


def feedback_statistics(period: Period, agency_ids: Sequence[int] | None, at: datetime):
    """The feedback app's figures for the items submitted in the period."""
    return statistics(period.first, period.end, agency_ids, at=at)


def pending_dossiers(agency_ids: Sequence[int] | None):
    return _in_scope(Dossier.objects.filter(status__in=RUNNING), agency_ids)


def overdue_lists(agency_ids: Sequence[int] | None, at: datetime):
    """The agencies and procedures with the most overdue dossiers now."""
    overdue = pending_dossiers(agency_ids).filter(deadlines.overdue_at(at))

    def top(column: str, model):
        counts = list(overdue.values(column).annotate(n=Count("id")).order_by("-n", column)[:TOP])
        names = model.objects.in_bulk([row[column] for row in counts])
        return [(names[row[column]], row["n"]) for row in counts]

    return top("agency_id", Agency), top("procedure_id", Procedure)


def build(period: Period, agency_ids: Sequence[int] | None, at: datetime | None = None):
    """Every figure of the page: ``agency_ids`` None means the whole province."""
    at = at or timezone.now()
    months = monthly(period, agency_ids)
    received = sum(m.received for m in months)
    online = sum(m.online for m in months)
    on_time = sum(m.on_time for m in months)
    done = on_time + sum(m.late for m in months)
    rated = sum(m.rated for m in months)
    satisfied = sum(m.satisfied for m in months)
    offered, in_force = procedures_online(agency_ids)
    feedback = feedback_statistics(period, agency_ids, at)
    fb_answered = feedback.answered_on_time + feedback.answered_late
    goal = targets()
    values = {
        "online_submissions": (online, received),
        "satisfaction": (satisfied, rated),
        "procedures_online": (offered, in_force),
        "resolved_on_time": (on_time, done),
        "feedback_on_time": (feedback.answered_on_time, fb_answered),
    }
    rows = [
        Target(code, str(TARGET_LABELS[code]), str(TARGET_BASES[code]), goal.get(code), *pair)
        for code, pair in values.items()
    ]
    pending = pending_dossiers(agency_ids)
    by_agency, by_procedure = overdue_lists(agency_ids, at)
    return Dashboard(
        period=period,
        at=at,
        targets=rows,
        months=months,
        overdue=pending.filter(deadlines.overdue_at(at)).count(),
        due_soon=pending.exclude(deadlines.overdue_at(at))
        .filter(due_at__lte=deadlines.due_soon_threshold(at))
        .count(),
        overdue_by_agency=by_agency,
        overdue_by_procedure=by_procedure,
    )
