"""Imported dossiers (egov import dossiers) count in Biểu 06 exactly like live ones."""

import json
from datetime import date

import pytest

from egov.agencies.models import Agency
from egov.dossiers.legacy import import_file
from egov.reports.procedure_report import Cell, dossiers_behind, procedure_report
from tests.dossiers.conftest import local

NOVEMBER = (date(2025, 11, 1), date(2025, 11, 30))
AFTER = local(2026, 1, 5, 8)


def _row(legacy_id, channel, received, due, outcome, **times):
    return {
        "legacy_id": legacy_id,
        "source": "mot-cua-cu",
        "procedure": "TMP-LLTP-CD",
        "agency": "STP",
        "channel": channel,
        "applicant_name": "Nguyễn Văn Cũ",
        "received_at": received,
        "due_at": due,
        "outcome": outcome,
        **times,
    }


# Sở Tư pháp, November 2025, from a legacy export (times +07:00):
#
# | row | channel | received    | due          | story                     | cells
# |-----|---------|-------------|--------------|---------------------------|-----------------------
# | I1  | online  | 28 Oct 8:00 | 5 Nov 17:00  | pending                   | carried over; overdue
# | I2  | direct  | 3 Nov 8:00  | 10 Nov 17:00 | resolved 7 Nov            | direct; early
# | I3  | post    | 4 Nov 8:00  | 12 Nov 17:00 | resolved 12 Nov 15:00     | direct; on time
# | I4  | online  | 5 Nov 8:00  | 10 Nov 17:00 | resolved 11 Nov           | online; late
# | I5  | online  | 6 Nov 8:00  | 20 Nov 17:00 | withdrawn 10 Nov          | online; withdrawn
# | I6  | direct  | 6 Nov 8:00  | 20 Nov 17:00 | stopped 12 Nov            | direct; stopped
# | I7  | online  | 7 Nov 8:00  | 20 Nov 17:00 | refused 8 Nov             | online; early
# | I8  | online  | 25 Nov 8:00 | 5 Dec 17:00  | pending                   | online; in time
# | I9  | online  | 1 Oct 8:00  | 10 Oct 17:00 | resolved 9 Oct            | not in November
#
# received 8 = online 4 (I4 I5 I7 I8) + direct 3 (I2 I3 I6) + carried 1 (I1)
#            = resolved 4 (early I2 I7, on time I3, late I4) + withdrawn 1 + stopped 1
#              + pending 2 (in time I8, overdue I1)
ROWS = [
    _row("I1", "online", "2025-10-28T08:00+07:00", "2025-11-05T17:00+07:00", "pending"),
    _row("I2", "direct", "2025-11-03T08:00+07:00", "2025-11-10T17:00+07:00", "resolved",
         resolved_at="2025-11-07T10:00+07:00", returned_at="2025-11-07T15:00+07:00"),
    _row("I3", "post", "2025-11-04T08:00+07:00", "2025-11-12T17:00+07:00", "resolved",
         resolved_at="2025-11-12T15:00+07:00", returned_at="2025-11-13T09:00+07:00"),
    _row("I4", "online", "2025-11-05T08:00+07:00", "2025-11-10T17:00+07:00", "resolved",
         resolved_at="2025-11-11T09:00+07:00"),
    _row("I5", "online", "2025-11-06T08:00+07:00", "2025-11-20T17:00+07:00", "withdrawn",
         closed_at="2025-11-10T10:00+07:00"),
    _row("I6", "direct", "2025-11-06T08:00+07:00", "2025-11-20T17:00+07:00", "stopped",
         closed_at="2025-11-12T10:00+07:00"),
    _row("I7", "online", "2025-11-07T08:00+07:00", "2025-11-20T17:00+07:00", "refused",
         resolved_at="2025-11-08T10:00+07:00"),
    _row("I8", "online", "2025-11-25T08:00+07:00", "2025-12-05T17:00+07:00", "pending"),
    _row("I9", "online", "2025-10-01T08:00+07:00", "2025-10-10T17:00+07:00", "resolved",
         resolved_at="2025-10-09T10:00+07:00"),
]  # fmt: skip
EXPECTED = {
    Cell.RECEIVED: 8,
    Cell.ONLINE: 4,
    Cell.DIRECT: 3,
    Cell.CARRIED_OVER: 1,
    Cell.RESOLVED: 4,
    Cell.EARLY: 2,
    Cell.ON_TIME: 1,
    Cell.LATE: 1,
    Cell.PENDING: 2,
    Cell.PENDING_IN_TIME: 1,
    Cell.PENDING_OVERDUE: 1,
    Cell.WITHDRAWN: 1,
    Cell.STOPPED: 1,
}


@pytest.fixture
def imported(db, tmp_path):
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps({"dossiers": ROWS}), encoding="utf-8")
    report = import_file(path, now=AFTER)
    assert not report.errors, report.errors
    assert report.stored == len(ROWS)
    return path


def test_every_cell_counts_the_imported_dossiers(imported):
    stp = [Agency.objects.get(code="STP").pk]
    report = procedure_report(*NOVEMBER, stp, at=AFTER)
    assert report.totals == EXPECTED
    for cell, n in EXPECTED.items():
        assert dossiers_behind(cell, *NOVEMBER, stp, at=AFTER).count() == n, cell


def test_importing_again_changes_no_cell(imported):
    import_file(imported, now=AFTER)
    assert procedure_report(*NOVEMBER, None, at=AFTER).totals == EXPECTED
