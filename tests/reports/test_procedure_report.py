"""Biểu 06 over the known scenario (tests/reports/report_scenario.py): every cell by hand."""

from datetime import date

import pytest

from egov.agencies.models import Agency
from egov.catalog.models import Sector
from egov.dossiers import actions
from egov.reports.procedure_report import (
    Cell,
    PeriodError,
    dossiers_behind,
    period_bounds,
    procedure_report,
)
from tests.dossiers.conftest import cast, local  # noqa: F401
from tests.reports.conftest import accepted, at, resolve
from tests.reports.report_scenario import build

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))
AFTER = local(2026, 12, 1, 8)  # the reports are read long after March


@pytest.fixture
def scenario(cast):  # noqa: F811
    return build(cast)


def _stp() -> list[int]:
    return [Agency.objects.get(code="STP").pk]


# Sở Tư pháp, March 2026 (one sector, "Lý lịch tư pháp"):
#
# | cell             | dossiers               | n  | why
# |------------------|------------------------|----|-----------------------------------------
# | received (3)     | A B D E F G H I J K N O | 12 | = 4 + 5 + 6
# | online (4)       | D E G H I J K O        | 8  | accepted in March online
# | direct (5)       | F N                    | 2  | accepted in March at the counter
# | carried over (6) | A B                    | 2  | accepted in Feb, open on 1 March (C ended)
# | resolved (7)     | A D E F H K            | 6  | = 8 + 9 + 10
# | early (8)        | D H K                  | 3  | ended on a day before the due day
# | on time (9)      | A E                    | 2  | ended on the due day, before 17:00
# | late (10)        | F                      | 1  | 16 Mar > 13 Mar 17:00
# | pending (11)     | B G N O                | 4  | = 12 + 13
# | in time (12)     | G O                    | 2  | G frozen on 5 Mar < 16 Mar; O due 6 Apr
# | overdue (13)     | B N                    | 2  | due 9 and 30 Mar, open on 1 April 00:00
# | withdrawn (14)   | I                      | 1  |
# | stopped (15)     | J                      | 1  |
# 12 = 6 + 4 + 1 + 1. L, M (never accepted), C (ended in Feb), P (April) and S (SYT) are out.
STP_MARCH = {
    Cell.RECEIVED: "ABDEFGHIJKNO",
    Cell.ONLINE: "DEGHIJKO",
    Cell.DIRECT: "FN",
    Cell.CARRIED_OVER: "AB",
    Cell.RESOLVED: "ADEFHK",
    Cell.EARLY: "DHK",
    Cell.ON_TIME: "AE",
    Cell.LATE: "F",
    Cell.PENDING: "BGNO",
    Cell.PENDING_IN_TIME: "GO",
    Cell.PENDING_OVERDUE: "BN",
    Cell.WITHDRAWN: "I",
    Cell.STOPPED: "J",
}


def test_the_scenarios_deadlines_are_the_ones_worked_out_by_hand(scenario):
    d = scenario.dossiers
    assert d["A"].due_at == local(2026, 3, 9, 17) and d["B"].due_at == local(2026, 3, 9, 17)
    assert d["D"].due_at == local(2026, 3, 12, 17)
    assert d["F"].due_at == local(2026, 3, 13, 17)
    assert d["G"].due_at == local(2026, 3, 16, 17) and d["G"].stopped_at == local(2026, 3, 5, 9)
    assert d["N"].due_at == local(2026, 3, 30, 17) and d["O"].due_at == local(2026, 4, 6, 17)
    # H waited 7 days for the applicant: its appointment moved past its resolution (18 March).
    assert d["H"].due_at.astimezone(local(2026, 1, 1).tzinfo).date() > date(2026, 3, 18)
    assert d["L"].accepted_at is None and d["M"].accepted_at is None


def test_every_cell_of_one_agency_in_march(scenario):
    report = procedure_report(*MARCH, _stp(), at=AFTER)
    assert [row.sector_name for row in report.rows] == ["Lý lịch tư pháp"]
    expected = {cell: len(names) for cell, names in STP_MARCH.items()}
    assert report.rows[0].counts == expected
    assert report.totals == expected


def test_every_cell_drills_down_to_exactly_its_dossiers(scenario):
    sector = Sector.objects.get(name="Lý lịch tư pháp").pk
    for cell, names in STP_MARCH.items():
        for sector_id in (sector, None):
            behind = dossiers_behind(cell, *MARCH, _stp(), sector_id, at=AFTER)
            assert set(behind.values_list("pk", flat=True)) == scenario.ids(*names), cell


def test_the_totals_add_up_in_every_row(scenario):
    report = procedure_report(*MARCH, None, at=AFTER)
    for counts in [row.counts for row in report.rows] + [report.totals]:
        assert counts[Cell.RECEIVED] == (
            counts[Cell.ONLINE] + counts[Cell.DIRECT] + counts[Cell.CARRIED_OVER]
        )
        assert (
            counts[Cell.RESOLVED] == counts[Cell.EARLY] + counts[Cell.ON_TIME] + counts[Cell.LATE]
        )
        assert counts[Cell.PENDING] == counts[Cell.PENDING_IN_TIME] + counts[Cell.PENDING_OVERDUE]
        assert counts[Cell.RECEIVED] == (
            counts[Cell.RESOLVED]
            + counts[Cell.PENDING]
            + counts[Cell.WITHDRAWN]
            + counts[Cell.STOPPED]
        )


def test_the_whole_province_adds_the_other_agencys_sector(scenario):
    report = procedure_report(*MARCH, None, at=AFTER)
    assert [row.sector_name for row in report.rows] == ["Khám bệnh, chữa bệnh", "Lý lịch tư pháp"]
    syt = report.rows[0].counts
    # S: accepted at the SYT counter on 2 March, due 1 April 17:00, still open on 1 April 00:00.
    assert syt == {
        **{cell: 0 for cell in Cell},
        Cell.RECEIVED: 1,
        Cell.DIRECT: 1,
        Cell.PENDING: 1,
        Cell.PENDING_IN_TIME: 1,
    }
    assert report.totals[Cell.RECEIVED] == 13 and report.totals[Cell.DIRECT] == 3
    behind = dossiers_behind(Cell.DIRECT, *MARCH, None, None, at=AFTER)
    assert set(behind.values_list("pk", flat=True)) == scenario.ids("F", "N", "S")


def test_february_pending_is_what_march_carries_over(scenario):
    # February: A, B, C accepted online; C resolved on 27 Feb, before its due day (6 March);
    # A and B (due 9 March) open and in time on 1 March 00:00.
    report = procedure_report(*FEBRUARY, _stp(), at=AFTER)
    t = report.totals
    assert (t[Cell.RECEIVED], t[Cell.ONLINE], t[Cell.CARRIED_OVER]) == (3, 3, 0)
    assert (t[Cell.RESOLVED], t[Cell.EARLY]) == (1, 1)
    assert (t[Cell.PENDING], t[Cell.PENDING_IN_TIME], t[Cell.PENDING_OVERDUE]) == (2, 2, 0)
    march = procedure_report(*MARCH, _stp(), at=AFTER)
    assert march.totals[Cell.CARRIED_OVER] == t[Cell.PENDING]


def test_a_running_period_measures_pending_now(scenario):
    # Read on 10 March 12:00 for the whole month: A, D, E… ended by then count as ended; what
    # ends later in March (F on 16 March, H on 18 March) is still pending, and B (due 9 March)
    # is overdue while F (due 13 March) is in time.
    report = procedure_report(*MARCH, _stp(), at=local(2026, 3, 10, 12))
    pending = dossiers_behind(Cell.PENDING, *MARCH, _stp(), at=local(2026, 3, 10, 12))
    overdue = dossiers_behind(Cell.PENDING_OVERDUE, *MARCH, _stp(), at=local(2026, 3, 10, 12))
    assert report.totals[Cell.PENDING] == pending.count()
    assert scenario.ids("B") <= set(overdue.values_list("pk", flat=True))
    assert report.as_of == local(2026, 3, 10, 12)


def test_one_day_period_counts_that_day(scenario):
    # 2 March alone: D, E, H, I, J, K accepted online that day (+ S at SYT); A, B carried over.
    report = procedure_report(date(2026, 3, 2), date(2026, 3, 2), _stp(), at=AFTER)
    assert report.totals[Cell.ONLINE] == 6 and report.totals[Cell.CARRIED_OVER] == 2


def test_period_bounds_are_local_days():
    start, end = period_bounds(date(2026, 3, 1), date(2026, 3, 31))
    assert start == local(2026, 3, 1, 0) and end == local(2026, 4, 1, 0)
    with pytest.raises(PeriodError):
        period_bounds(date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(PeriodError):
        period_bounds(date(2020, 1, 1), date(2026, 3, 1))


def test_an_apology_makes_the_dossier_late_whatever_the_new_appointment(cast):  # noqa: F811
    # Accepted on 2 March 9:00, due 12 March 17:00; on 11 March the agency apologises and sets
    # a new appointment. X is then resolved on 16 March, before its new appointment (20 March)
    # but after the deadline it had: late. Y, given 10 April, is still open: overdue from the
    # apology on, but in time in a report that ends before the apology.
    x, y = (accepted(cast, local(2026, 3, 2, 9)) for _ in range(2))
    assert x.due_at == local(2026, 3, 12, 17)
    with at(local(2026, 3, 11, 10)):
        x, y = (actions.do_assign(cast.reception, d, cast.specialist) for d in (x, y))
        x = actions.do_apologise_and_reschedule(
            cast.specialist, x, local(2026, 3, 20, 17), "Chờ xác minh"
        )
        y = actions.do_apologise_and_reschedule(
            cast.specialist, y, local(2026, 4, 10, 17), "Chờ xác minh"
        )
    resolve(cast, x, local(2026, 3, 16, 10))

    def cells(start: date, end: date) -> dict[Cell, set[int]]:
        return {
            cell: set(
                dossiers_behind(cell, start, end, _stp(), at=AFTER).values_list("pk", flat=True)
            )
            for cell in (
                Cell.EARLY,
                Cell.ON_TIME,
                Cell.LATE,
                Cell.PENDING_IN_TIME,
                Cell.PENDING_OVERDUE,
            )
        }

    march = cells(*MARCH)
    assert march[Cell.LATE] == {x.pk} and march[Cell.PENDING_OVERDUE] == {y.pk}
    assert not march[Cell.EARLY] | march[Cell.ON_TIME] | march[Cell.PENDING_IN_TIME]
    report = procedure_report(*MARCH, _stp(), at=AFTER)
    assert (report.totals[Cell.LATE], report.totals[Cell.PENDING_OVERDUE]) == (1, 1)
    before_the_apology = cells(date(2026, 3, 1), date(2026, 3, 10))
    assert before_the_apology[Cell.PENDING_IN_TIME] == {x.pk, y.pk}
