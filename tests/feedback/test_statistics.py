"""The reports' figures against a hand-counted set of items.

The set (all submitted in March 2026, A = UBX25486, B = STP):

====  =========================================  =====================================
item  what happened                              counts as (at 20 March 12:00)
====  =========================================  =====================================
1     answered 3 March, due 9 March              A: answered on time, rated satisfied
2     answered 16 March, due 9 March             A: answered late, rated dissatisfied
3     accepted, due 9 March, not answered        A: pending overdue
4     submitted 18 March, due 25 March           A: pending in time
5     rejected                                   A: rejected
6     merged into 1                              not counted
7     question forwarded from B to A, answered   A: forwarded, on time, rated neutral
8     question in B, not answered                B: pending overdue (due 11 March)
9     submitted in February                      outside the period
====  =========================================  =====================================
"""

from datetime import date

import pytest

from egov.feedback import services
from egov.feedback.statistics import FeedbackStatistics, statistics

from .conftest import answered, at, field_report, local, question

pytestmark = pytest.mark.django_db
AT = local(2026, 3, 20, 12, 0)


@pytest.fixture
def items(cast):
    first = answered(cast)
    with at(local(2026, 3, 4, 9, 0)):
        services.rate(cast.citizen, first, "satisfied")
    late = field_report(cast)
    answered(cast, late, moment=local(2026, 3, 16, 9, 0))
    with at(local(2026, 3, 17, 9, 0)):
        services.rate(cast.citizen, late, "dissatisfied")
    pending = field_report(cast)
    with at(local(2026, 3, 3, 9, 0)):
        services.accept(cast.reception, pending)
    field_report(cast, moment=local(2026, 3, 18, 9, 0))
    rejected = field_report(cast)
    merged = field_report(cast)
    forwarded = question(cast)
    with at(local(2026, 3, 3, 9, 0)):
        services.reject(cast.reception, rejected, "abusive", "Lời lẽ xúc phạm.")
        services.merge(cast.reception, merged, first)
        services.forward(cast.outsider, forwarded, cast.agency, "Thuộc UBND xã.")
    with at(local(2026, 3, 4, 9, 0)):
        services.accept(cast.reception, forwarded)
        forwarded = services.answer(cast.agency_leader, forwarded, "Được, tại UBND xã.")
        services.rate(cast.citizen, forwarded, "neutral")
    question(cast)  # stays in B
    field_report(cast, moment=local(2026, 2, 27, 9, 0))
    return cast


def test_the_agency_figures_match_the_hand_count(items):
    found = statistics(date(2026, 3, 1), date(2026, 3, 31), [items.agency.pk], at=AT)
    assert found == FeedbackStatistics(
        received=6,
        answered_on_time=2,
        answered_late=1,
        pending_in_time=1,
        pending_overdue=1,
        forwarded=1,
        rejected=1,
        rated=3,
        satisfied=1,
    )
    assert found.satisfaction_rate == pytest.approx(1 / 3)
    assert found.answered_on_time_rate == pytest.approx(2 / 3)


def test_the_whole_province_and_the_other_agency(items):
    province = statistics(date(2026, 3, 1), date(2026, 3, 31), at=AT)
    assert (province.received, province.pending_overdue) == (7, 2)
    other = statistics(date(2026, 3, 1), date(2026, 3, 31), [items.other_agency.pk], at=AT)
    assert (other.received, other.pending_overdue, other.forwarded) == (1, 1, 0)
    assert other.satisfaction_rate is None and other.answered_on_time_rate is None


def test_pending_is_measured_at_the_given_moment(items):
    early = statistics(
        date(2026, 3, 1), date(2026, 3, 31), [items.agency.pk], at=local(2026, 3, 5, 12, 0)
    )
    # On 5 March: item 2 not yet answered (in time), item 3 in time; item 4 not yet submitted.
    assert (early.received, early.answered_on_time, early.answered_late) == (5, 2, 0)
    assert (early.pending_in_time, early.pending_overdue) == (2, 0)


def test_the_period_is_in_local_dates(items):
    # Item 9 was submitted on 27 February, 09:00 local: in February's figures only.
    february = statistics(date(2026, 2, 1), date(2026, 2, 28), [items.agency.pk], at=AT)
    assert february.received == 1
    assert statistics(date(2026, 3, 18), date(2026, 3, 18), [items.agency.pk], at=AT).received == 1
