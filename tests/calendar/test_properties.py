"""Properties of due() and working_time_between() for random aware starts and amounts."""

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.calendar import services
from egov.calendar.services import ZONE, due, working_time_between

ZONES = [
    ZONE,
    UTC,
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=45)),
    timezone(timedelta(hours=14)),
]
starts = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2029, 6, 30)),
    st.sampled_from(ZONES),
)
working_units = st.sampled_from([services.Unit.WORKING_DAYS, services.Unit.WORKING_HOURS])
amounts = st.integers(min_value=1, max_value=60)

# The calendar is read-only here; the function-scoped db fixture is harmless across examples.
bounded = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _per_unit(unit: services.Unit) -> timedelta:
    return services.day_length() if unit is services.Unit.WORKING_DAYS else timedelta(hours=1)


def _inside_a_session(moment: datetime) -> bool:
    """Within [session start, session end] (both ends included) of a working day."""
    local = moment.astimezone(ZONE)
    working, _reason = services.is_working_day(local.date())
    if not working:
        return False
    return any(
        datetime.combine(local.date(), start, ZONE)
        <= local
        <= datetime.combine(local.date(), end, ZONE)
        for start, end in services.working_hours()
    )


@bounded
@given(start=starts, amount=amounts, unit=working_units)
def test_due_is_inside_working_hours_in_the_province_zone(start, amount, unit):
    result = due(start, amount, unit)
    assert result.tzinfo == ZONE
    assert result > start
    assert _inside_a_session(result)


@bounded
@given(start=starts, a=amounts, b=amounts, unit=working_units)
def test_due_composes(start, a, b, unit):
    assert due(due(start, a, unit), b, unit) == due(start, a + b, unit)


@bounded
@given(start=starts, amount=amounts, unit=working_units)
def test_working_time_until_due_is_the_amount(start, amount, unit):
    result = due(start, amount, unit)
    assert working_time_between(start, result) == amount * _per_unit(unit)
    # And it is the earliest such instant: a microsecond earlier, the amount is not yet used up.
    assert working_time_between(start, result - timedelta(microseconds=1)) < amount * _per_unit(
        unit
    )


@bounded
@given(start=starts, unit=st.sampled_from(list(services.Unit)))
def test_amount_zero_is_the_next_working_moment(start, unit):
    moment = services.next_working_moment(start)
    assert moment >= start
    assert working_time_between(start, moment) == timedelta()
    assert _inside_a_session(moment)
    if unit is not services.Unit.SAME_DAY:
        assert due(start, 0, unit) == moment


@bounded
@given(start=starts, amount=st.integers(min_value=0, max_value=400))
def test_calendar_days_end_at_a_closing_on_or_after_the_target_date(start, amount):
    result = due(start, amount, "calendar_days")
    closing = services.working_hours()[-1][1]
    if amount:
        assert result.timetz().replace(tzinfo=None) == closing
        assert result.date() >= start.astimezone(ZONE).date() + timedelta(days=amount)
    assert services.is_working_day(result.date())[0]


@bounded
@given(a=starts, b=starts)
def test_working_time_between_is_antisymmetric_and_additive(a, b):
    assert working_time_between(a, b) == -working_time_between(b, a)
    middle = min(a, b) + (max(a, b) - min(a, b)) / 2
    assert working_time_between(min(a, b), max(a, b)) == working_time_between(
        min(a, b), middle
    ) + working_time_between(middle, max(a, b))
