"""Benchmark group ``dashboard`` (run inside Django by bench/suite.py, on a fresh database).

The leaders' dashboard page at 1,000 dossiers and at 1,000,000 (target: the large within 2× of
the small), and ``rebuild_counters`` after the bulk load. The dossiers are bench/one_stop.py's
synthetic rows: the first 1,000 are this month's open work, the rest closed history over two
years, so a bigger table means more history in the counters, not a longer queue. They are
bulk-inserted (not through the actions), so the counters are rebuilt after each load, as an
operator does after a bulk load.

The page is requested through Django's test client in this process (the whole middleware,
view, template and SVG rendering; no network), signed in as a leader who sees the whole province
and as one who sees one agency, with the default period (the last twelve months).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime

from django.db import connection
from django.test import Client

import one_stop  # bench/one_stop.py, beside this module
from egov.agencies.models import Agency, Role, StaffRole
from egov.dossiers.models import Dossier
from egov.identity.models import User
from egov.reports.counters import rebuild
from egov.reports.models import DossierCounter

URL = "/can-bo/bao-cao/dieu-hanh/"
SMALL = 1_000


def _leader(username: str, agency_code: str) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"kind": User.Kind.STAFF, "full_name": "Lãnh đạo đo"}
    )
    StaffRole.objects.get_or_create(
        user=user, agency=Agency.objects.get(code=agency_code), role=Role.AGENCY_LEADER
    )
    return user


def _getter(user: User):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def get() -> None:
        response = client.get(URL)
        if response.status_code != 200:
            raise RuntimeError(f"{URL}: {response.status_code}")

    return get


def _bare_count() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT agency_id, count(*) FROM dossiers_dossier GROUP BY agency_id")
        cursor.fetchall()


def dashboard_rows(per_call, human, row) -> list[dict]:
    large = int(os.environ.get("EGOV_BENCH_DOSSIERS", "1000000"))
    fixture = one_stop.prepare()
    generator = one_stop.Generator(fixture, datetime.now(UTC), recent_rows=SMALL)
    one_stop.insert(generator, max(0, SMALL - Dossier.objects.count()), "dashboard small")
    rebuild(sys.stderr)
    readers = {
        "whole province": _getter(_leader("bench.vpubnd", "VPUBND")),
        f"one agency ({one_stop.MEASURED_AGENCY})": _getter(
            _leader("bench.lanhdao", one_stop.MEASURED_AGENCY)
        ),
    }
    small = {}
    for label, get in readers.items():
        small[label] = per_call(get, repeats=7, min_seconds=0.3)
        one_stop.log(f"    dashboard, {label}, at {SMALL:,}: {human(small[label])}")
    small_rows = DossierCounter.objects.count()
    one_stop.insert(generator, max(0, large - Dossier.objects.count()), "dashboard large")
    total = Dossier.objects.count()
    started = time.perf_counter()
    replaced, summary = rebuild(sys.stderr)
    rebuild_cost = time.perf_counter() - started
    counter_rows = DossierCounter.objects.count()
    one_stop.log(
        f"    rebuild_counters at {total:,}: {human(rebuild_cost)} ({counter_rows:,} rows)"
    )
    rows = []
    for label, get in readers.items():
        cost = per_call(get, repeats=7, min_seconds=0.3)
        rows.append(
            row(
                f"dashboard: page, {label}, last 12 months",
                cost,
                f"same page with {SMALL:,} dossiers",
                small[label],
                f"{total:,} vs {SMALL:,} dossiers; {counter_rows:,} vs {small_rows:,} counter "
                "rows; Django test client in-process",
            )
        )
    rows.append(
        row(
            "dashboard: rebuild_counters after the bulk load",
            rebuild_cost,
            "bare SELECT agency_id, count(*) … GROUP BY, same rows",
            per_call(_bare_count, repeats=3),
            f"{total:,} dossiers → {counter_rows:,} counter rows ({summary.created:,} written, "
            f"{replaced:,} replaced), one transaction",
        )
    )
    return rows
