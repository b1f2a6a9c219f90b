"""Benchmark groups of the reports app (run inside Django by bench/suite.py).

``report``: Biểu 06 for the whole province over a year of 1,000,000 dossiers, beside one bare
SQL aggregate (``SELECT sector, count(*) … GROUP BY sector``) over the same rows in the same run
(target ≤ 3×). The dossiers are bench/one_stop.py's synthetic rows (bulk insert, the statuses a
year of work leaves), spread over the 365 days before now.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import connection

import one_stop  # bench/one_stop.py, beside this module
from egov.agencies.models import Agency
from egov.dossiers.models import Dossier
from egov.reports.procedure_report import ZONE, period_bounds, procedure_report

YEAR_DAYS = 365


class YearGenerator(one_stop.Generator):
    """one_stop's rows, submitted uniformly over the last year (no separate recent queue)."""

    SEED = 365
    FIRST_NUMBER = 7001

    def rows(self, n: int):
        rng, f = self.rng, self.f
        for _ in range(n):
            self.count += 1
            if rng.random() < one_stop.MEASURED_SHARE:
                agency, procedure = f.agencies[0]
            else:
                agency, procedure = f.agencies[rng.randrange(1, len(f.agencies))]
            age = rng.random() * (YEAR_DAYS - 1)
            submitted = self.now - timedelta(days=age)
            yield self._row(agency, procedure, submitted, one_stop._status_for(rng, age), age)


BARE = """
SELECT p.sector_id, count(*)
FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id
WHERE d.accepted_at IS NOT NULL AND d.accepted_at < %s {agency}
GROUP BY p.sector_id
"""


def _bare(end_at: datetime, agency_id: int | None) -> Callable[[], object]:
    sql = BARE.format(agency="AND d.agency_id = %s" if agency_id else "")
    params = [end_at, agency_id] if agency_id else [end_at]

    def call() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return call


def report_rows(per_call, human, row) -> list[dict]:
    target = int(os.environ.get("EGOV_BENCH_DOSSIERS", "1000000"))
    now = datetime.now(UTC)  # UTC: see one_stop._sqlite_row
    end = now.astimezone(ZONE).date()
    start = end - timedelta(days=YEAR_DAYS - 1)
    start_at, end_at = period_bounds(start, end)
    fixture = one_stop.prepare()
    have = Dossier.objects.filter(submitted_at__gte=start_at, submitted_at__lt=end_at).count()
    one_stop.log(f"  report: {have:,} dossiers in the year; loading up to {target:,}")
    one_stop.insert(YearGenerator(fixture, now, recent_rows=0), max(0, target - have), "report")
    in_year = Dossier.objects.filter(submitted_at__gte=start_at, submitted_at__lt=end_at).count()
    stp = Agency.objects.get(code=one_stop.MEASURED_AGENCY).pk
    rows = []
    for label, agency_ids, agency_id in (
        ("whole province", None, None),
        (f"one agency ({one_stop.MEASURED_AGENCY})", [stp], stp),
    ):
        report = procedure_report(start, end, agency_ids, at=now)
        cost = per_call(lambda a=agency_ids: procedure_report(start, end, a, at=now), repeats=5)
        baseline = per_call(_bare(end_at, agency_id), repeats=5)
        rows.append(
            row(
                f"report: Biểu 06, {label}, a year",
                cost,
                "bare SELECT sector, count(*) … GROUP BY, same rows",
                baseline,
                f"{in_year:,} dossiers submitted in the year; {report.totals['received']:,} "
                f"received in the report, {len(report.rows)} sectors; one query grouped on a "
                "packed (procedure, outcome, entry) key",
            )
        )
    one_stop.log(f"  report: {human(rows[0]['cost_seconds'])} for the province")
    return rows
