"""The working-day calendar and due() on real dates.

What the tests rely on from the ``holidays`` package (0.109, country VN), checked against the
official announcements it cites: Tết 2025 off Monday 27 – Friday 31 January (announcement
6150/TB-BLĐTBXH, with the weekends around it: 9 days from 25 January to 2 February); 2 May 2025
off in exchange for Saturday 26 April; Tết 2026 off Monday 16 – Friday 20 February (with the
weekends: 14–22 February); 31 August 2026 off in exchange for Saturday 22 August; days off in
lieu ("nghỉ bù") on the next working day when a holiday falls on a weekend.
"""

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from egov.calendar import services
from egov.calendar.models import DayOverride
from egov.calendar.services import ZONE, due, is_working_day, working_time_between

H = timedelta(hours=1)


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZONE)


def override(day: date, kind: str, name: str = "Quyết định của tỉnh") -> DayOverride:
    return DayOverride.objects.create(date=day, kind=kind, name=name, legal_basis="QĐ thử")


# --- working days and reasons ------------------------------------------------------------------


def test_tet_2026_is_monday_to_friday_16_to_20_february():
    for day in range(16, 21):
        working, reason = is_working_day(date(2026, 2, day))
        assert not working
        assert "Tết" in reason
    assert is_working_day(date(2026, 2, 17)) == (False, "Tết Nguyên Đán")
    assert is_working_day(date(2026, 2, 21)) == (False, "Thứ Bảy")
    assert is_working_day(date(2026, 2, 22)) == (False, "Chủ Nhật")
    assert is_working_day(date(2026, 2, 23)) == (True, "Ngày làm việc (Thứ Hai)")
    assert is_working_day(date(2026, 2, 13))[0]


def test_tet_2025_matches_the_announced_days_off():
    assert [is_working_day(date(2025, 1, d))[0] for d in range(24, 32)] == [
        True,  # Fri 24
        False,  # Sat 25
        False,  # Sun 26
        False,  # Mon 27 "29 Tết"
        False,
        False,
        False,
        False,  # Fri 31
    ]
    assert is_working_day(date(2025, 2, 3))[0]


def test_package_make_up_saturday_and_its_day_off():
    assert is_working_day(date(2025, 4, 26)) == (True, "Ngày làm bù cho ngày nghỉ 02/05/2025")
    working, reason = is_working_day(date(2025, 5, 2))
    assert not working and "26/04/2025" in reason
    assert is_working_day(date(2026, 8, 22)) == (True, "Ngày làm bù cho ngày nghỉ 31/08/2026")
    # A due counted across the make-up Saturday uses it.
    assert due(vn(2025, 4, 25, 16), 1, "working_days") == vn(2025, 4, 26, 16)


def test_holiday_on_a_weekend_gives_a_day_off_in_lieu():
    # 1 May 2027 is a Saturday: Monday 3 May is off.
    assert is_working_day(date(2027, 5, 3)) == (False, "Ngày Quốc tế Lao động (nghỉ bù)")
    # 2 September 2028 is a Saturday: the second National Day day is Friday 1 September and
    # the day in lieu is Monday 4 September.
    assert not is_working_day(date(2028, 9, 1))[0]
    assert is_working_day(date(2028, 9, 4)) == (False, "Quốc khánh (nghỉ bù)")
    assert is_working_day(date(2028, 9, 5))[0]
    # 2 September 2029 is a Sunday: Monday 3 and Tuesday 4 are off.
    assert not is_working_day(date(2029, 9, 3))[0]
    assert not is_working_day(date(2029, 9, 4))[0]
    assert due(vn(2029, 8, 31, 16), 1, "working_days") == vn(2029, 9, 5, 16)


def test_override_day_off_wins_over_an_ordinary_weekday_and_a_make_up_saturday():
    override(date(2026, 3, 10), DayOverride.Kind.DAY_OFF, "Nghỉ theo quyết định của tỉnh")
    override(date(2026, 8, 22), DayOverride.Kind.DAY_OFF, "Hủy làm bù")
    assert is_working_day(date(2026, 3, 10)) == (False, "Nghỉ theo quyết định của tỉnh")
    assert is_working_day(date(2026, 8, 22)) == (False, "Hủy làm bù")
    assert due(vn(2026, 3, 9, 16), 1, "working_days") == vn(2026, 3, 11, 16)


def test_override_working_day_wins_over_a_saturday_and_a_package_holiday():
    override(date(2026, 3, 7), DayOverride.Kind.WORKING_DAY, "Ngày làm bù cho 02/01")
    override(date(2026, 11, 24), DayOverride.Kind.WORKING_DAY, "Làm việc")
    assert is_working_day(date(2026, 3, 7)) == (True, "Ngày làm bù cho 02/01")
    assert is_working_day(date(2026, 11, 24)) == (True, "Làm việc")
    assert due(vn(2026, 3, 6, 16), 1, "working_days") == vn(2026, 3, 7, 16)


def test_saving_and_deleting_an_override_refreshes_the_cache():
    day = date(2026, 3, 10)
    assert is_working_day(day)[0]
    row = override(day, DayOverride.Kind.DAY_OFF)
    assert not is_working_day(day)[0]
    row.name = "Tên mới"
    row.save()
    assert is_working_day(day) == (False, "Tên mới")
    row.delete()
    assert is_working_day(day)[0]


def test_version_stamp_in_the_shared_cache_refreshes_other_processes():
    day = date(2026, 3, 10)
    assert is_working_day(day)[0]
    # bulk_create sends no signal: as if another process had written the row.
    DayOverride.objects.bulk_create([DayOverride(date=day, kind="day_off", name="Nghỉ")])
    assert is_working_day(day)[0]
    try:
        cache.incr("egov:calendar:version")
    except ValueError:
        cache.set("egov:calendar:version", 1, None)
    assert is_working_day(day) == (False, "Nghỉ")


# --- due(): working days and hours --------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        # The brief's examples.
        (vn(2026, 3, 2, 8), 1, "working_days", vn(2026, 3, 3, 8)),
        (vn(2026, 3, 6, 16), 1, "working_days", vn(2026, 3, 9, 16)),
        # Lunch: counting starts at 13:30.
        (vn(2026, 3, 2, 12), 1, "working_hours", vn(2026, 3, 2, 14, 30)),
        (vn(2026, 3, 2, 12), 1, "working_days", vn(2026, 3, 3, 11, 30)),
        # Before opening, after closing, at closing sharp, on a weekend.
        (vn(2026, 3, 2, 6), 1, "working_hours", vn(2026, 3, 2, 8)),
        (vn(2026, 3, 2, 18), 1, "working_hours", vn(2026, 3, 3, 8)),
        (vn(2026, 3, 2, 17), 1, "working_hours", vn(2026, 3, 3, 8)),
        (vn(2026, 3, 7, 10), 1, "working_hours", vn(2026, 3, 9, 8)),
        (vn(2026, 3, 8, 10), 2, "working_days", vn(2026, 3, 10, 17)),
        # The earliest instant: a full day from opening ends at that day's closing, and the
        # morning's hours end at 11:30, not at 13:30.
        (vn(2026, 3, 2, 7), 1, "working_days", vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 7), 8, "working_hours", vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 10), 90, "working_hours", vn(2026, 3, 17, 14)),
        (vn(2026, 3, 2, 10, 30), 1, "working_hours", vn(2026, 3, 2, 11, 30)),
        (vn(2026, 3, 2, 11), 1, "working_hours", vn(2026, 3, 2, 14)),
        # Across Tết 2026 (the brief's command example).
        (vn(2026, 2, 13, 16), 3, "working_days", vn(2026, 2, 25, 16)),
        # The turn of the year: 1 January is off.
        (vn(2025, 12, 31, 16), 1, "working_days", vn(2026, 1, 2, 16)),
        (vn(2026, 12, 31, 16), 1, "working_days", vn(2027, 1, 4, 16)),
        # Fifteen working days, a common legal deadline.
        (vn(2026, 4, 20, 9), 15, "working_days", vn(2026, 5, 14, 9)),
    ],
)
def test_due_working_time(start, amount, unit, expected):
    result = due(start, amount, unit)
    assert result == expected
    assert result.tzinfo == ZONE


def test_any_time_zone_in_the_start_gives_the_same_instant():
    local = due(vn(2026, 3, 2, 8), 1, "working_days")
    assert due(datetime(2026, 3, 2, 1, tzinfo=UTC), 1, "working_days") == local
    minus_five = timezone(timedelta(hours=-5))
    assert due(datetime(2026, 3, 1, 20, tzinfo=minus_five), 1, "working_days") == local
    assert local.isoformat() == "2026-03-03T08:00:00+07:00"


def test_amount_zero_is_the_next_working_moment():
    assert due(vn(2026, 3, 2, 9, 15), 0, "working_days") == vn(2026, 3, 2, 9, 15)
    assert due(vn(2026, 3, 2, 12), 0, "working_hours") == vn(2026, 3, 2, 13, 30)
    assert due(vn(2026, 3, 2, 17), 0, "working_days") == vn(2026, 3, 3, 7)
    assert due(vn(2026, 2, 14, 9), 0, "calendar_days") == vn(2026, 2, 23, 7)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        (-1, "working_days"),
        (1.5, "working_hours"),
        ("3", "working_days"),
        (True, "calendar_days"),
        (10**6, "working_days"),
        (1, "weeks"),
        (2, "same_day"),
    ],
)
def test_bad_arguments_are_value_errors(amount, unit):
    with pytest.raises(ValueError):
        due(vn(2026, 3, 2, 8), amount, unit)


def test_naive_datetimes_are_rejected():
    with pytest.raises(ValueError, match="aware"):
        due(datetime(2026, 3, 2, 8), 1, "working_days")
    with pytest.raises(ValueError):
        working_time_between(datetime(2026, 3, 2, 8), vn(2026, 3, 2, 9))


# --- calendar days and same day ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (vn(2026, 3, 2, 10), 3, vn(2026, 3, 5, 17)),
        (vn(2026, 3, 2, 18), 3, vn(2026, 3, 5, 17)),  # after closing: the date counts, not hours
        (vn(2026, 3, 2, 10), 5, vn(2026, 3, 9, 17)),  # lands on Saturday → Monday
        (vn(2026, 2, 13, 10), 3, vn(2026, 2, 23, 17)),  # lands in Tết → the first day after
        (vn(2025, 12, 25, 10), 7, vn(2026, 1, 2, 17)),  # lands on 1 January → 2 January
        (datetime(2026, 3, 1, 18, tzinfo=UTC), 1, vn(2026, 3, 3, 17)),  # 2 March 01:00 local
    ],
)
def test_due_calendar_days(start, amount, expected):
    assert due(start, amount, "calendar_days") == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (vn(2026, 3, 2, 9), vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 6), vn(2026, 3, 2, 17)),  # before opening
        (vn(2026, 3, 2, 12), vn(2026, 3, 2, 17)),  # lunch: counted from 13:30
        (vn(2026, 3, 2, 14, 59), vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 15), vn(2026, 3, 3, 17)),  # at the cut-off: next working day
        (vn(2026, 3, 6, 16), vn(2026, 3, 9, 17)),  # Friday afternoon → Monday
        (vn(2026, 3, 6, 18), vn(2026, 3, 9, 17)),  # Friday evening → Monday
        (vn(2026, 3, 7, 9), vn(2026, 3, 9, 17)),  # Saturday → Monday
        (vn(2026, 2, 13, 16), vn(2026, 2, 23, 17)),  # before Tết
    ],
)
def test_due_same_day(start, expected):
    assert due(start, 1, "same_day") == expected
    assert due(start, 0, "same_day") == expected


@override_settings(EGOV_SAME_DAY_CUTOFF="16:00")
def test_same_day_cutoff_is_a_setting():
    assert due(vn(2026, 3, 2, 15, 30), 1, "same_day") == vn(2026, 3, 2, 17)


# --- working time between ---------------------------------------------------------------------


def test_working_time_between():
    assert working_time_between(vn(2026, 3, 2, 8), vn(2026, 3, 3, 8)) == 8 * H
    assert working_time_between(vn(2026, 3, 6, 16), vn(2026, 3, 9, 16)) == 8 * H
    assert working_time_between(vn(2026, 3, 2, 11), vn(2026, 3, 2, 14)) == H
    assert working_time_between(vn(2026, 3, 7, 8), vn(2026, 3, 8, 20)) == timedelta()
    assert working_time_between(vn(2026, 2, 13, 7), vn(2026, 2, 24, 7)) == 16 * H
    assert working_time_between(vn(2026, 3, 3, 8), vn(2026, 3, 2, 8)) == -8 * H
    utc_start = datetime(2026, 3, 2, 1, tzinfo=UTC)  # 08:00 local
    assert working_time_between(utc_start, vn(2026, 3, 2, 9)) == H


# --- settings ---------------------------------------------------------------------------------


@override_settings(EGOV_WORKING_HOURS="08:00-12:00")
def test_working_hours_are_a_setting():
    assert services.day_length() == 4 * H
    assert due(vn(2026, 3, 2, 8), 1, "working_days") == vn(2026, 3, 2, 12)
    assert due(vn(2026, 3, 2, 13), 1, "working_hours") == vn(2026, 3, 3, 9)
    assert due(vn(2026, 3, 2, 13), 1, "calendar_days") == vn(2026, 3, 3, 12)


@override_settings(EGOV_WEEKEND_DAYS="sun")
def test_weekend_days_are_a_setting():
    assert is_working_day(date(2026, 3, 7)) == (True, "Ngày làm việc (Thứ Bảy)")
    assert is_working_day(date(2026, 3, 8)) == (False, "Chủ Nhật")


def test_default_working_hours():
    assert services.working_hours() == ((time(7), time(11, 30)), (time(13, 30), time(17)))
    assert services.day_length() == 8 * H


@pytest.mark.parametrize(
    "raw",
    [
        "7:00-11:30",
        "07:00-11:30;13:30-17:00",
        "11:30-07:00",
        "07:00-12:00,11:30-17:00",
        "13:30-17:00,07:00-11:30",
        "24:00-25:00",
        "07:00",
        "",
        "07:00-11:30,",
    ],
)
def test_bad_working_hours_fail_loudly(raw):
    with pytest.raises(ImproperlyConfigured, match="EGOV_WORKING_HOURS"):
        services.parse_working_hours(raw)


@pytest.mark.parametrize("raw", ["saturday", "sat,sun,xyz", "mon,tue,wed,thu,fri,sat,sun"])
def test_bad_weekend_fails_loudly(raw):
    with pytest.raises(ImproperlyConfigured, match="EGOV_WEEKEND_DAYS"):
        services.parse_weekend(raw)


# --- speed: no per-day queries ----------------------------------------------------------------


def test_fifteen_working_days_cost_at_most_one_query(django_assert_max_num_queries):
    override(date(2027, 1, 4), DayOverride.Kind.DAY_OFF)
    services.invalidate_cache()
    with django_assert_max_num_queries(1):
        # Crosses the new year: both years' overrides come in the one query.
        result = due(vn(2026, 12, 21, 9), 15, "working_days")
    assert result == vn(2027, 1, 13, 9)  # 1 and 4 January off
    with django_assert_max_num_queries(0):
        due(vn(2026, 12, 21, 9), 15, "working_days")
        is_working_day(date(2027, 1, 4))
        working_time_between(vn(2026, 12, 21, 9), result)


def test_year_exceptions_lists_holidays_and_make_up_days():
    days = {day: (working, reason) for day, working, reason in services.year_exceptions(2026)}
    assert days[date(2026, 2, 17)] == (False, "Tết Nguyên Đán")
    assert days[date(2026, 8, 22)][0] is True
    assert date(2026, 3, 7) not in days  # plain weekends are not listed
