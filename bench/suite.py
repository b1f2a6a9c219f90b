"""The measurements, run inside Django against the database the environment names.

Prints progress to stderr and one JSON line of results to stdout (read by bench/run.py).
"""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
django.setup()

from django.db import connection  # noqa: E402

from egov.calendar.services import due  # noqa: E402
from egov.catalog.services import search_procedures  # noqa: E402

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def per_call(func: Callable[[], object], *, repeats: int = 7, min_seconds: float = 0.2) -> float:
    """Median seconds per call over ``repeats`` timed batches, each at least ``min_seconds``."""
    func()  # warm caches
    batch = 1
    while True:
        start = time.perf_counter()
        for _ in range(batch):
            func()
        if time.perf_counter() - start >= min_seconds / 4:
            break
        batch *= 2
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(batch):
            func()
        samples.append((time.perf_counter() - start) / batch)
    return statistics.median(samples)


def human(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def row(name: str, cost: float, baseline: str, baseline_cost: float, note: str = "") -> dict:
    print(f"  {name}: {human(cost)} (baseline {baseline}: {human(baseline_cost)})", file=sys.stderr)
    return {
        "name": name,
        "cost": human(cost),
        "cost_seconds": cost,
        "baseline": baseline,
        "baseline_cost": human(baseline_cost),
        "baseline_seconds": baseline_cost,
        "ratio": cost / baseline_cost,
        "note": note,
    }


def bare_function() -> datetime:
    return datetime(2026, 2, 13, 16, 0, tzinfo=ZONE)


def bare_query() -> object:
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM catalog_procedure ORDER BY id LIMIT 1")
        return cursor.fetchone()


def calendar_rows() -> list[dict]:
    start = datetime(2026, 2, 13, 16, 0, tzinfo=ZONE)  # Friday before Tết 2026
    baseline = per_call(bare_function)
    return [
        row(
            "calendar: due(+15 working days, across Tết)",
            per_call(lambda: due(start, 15, "working_days")),
            "bare function call",
            baseline,
        ),
        row(
            "calendar: due(+30 calendar days)",
            per_call(lambda: due(start, 30, "calendar_days")),
            "bare function call",
            baseline,
        ),
    ]


def catalog_rows() -> list[dict]:
    baseline = per_call(bare_query)

    def search() -> list:
        return list(search_procedures(q="khai sinh")[:20])

    def search_filtered() -> list:
        return list(search_procedures(q="giay phep", level="province")[:20])

    return [
        row("catalog: search 'khai sinh' (first page)", per_call(search), "bare query", baseline),
        row(
            "catalog: search 'giay phep' + level filter",
            per_call(search_filtered),
            "bare query",
            baseline,
        ),
    ]


def dossier_rows(inbox_only: bool = False) -> list[dict]:
    import one_stop  # bench/one_stop.py, beside this script

    print("one-stop shop: starting gunicorn on a free loopback port", file=sys.stderr, flush=True)
    server = one_stop.Server()
    try:
        rows = [] if inbox_only else one_stop.submission_rows(server, human, row)
        rows += one_stop.inbox_rows(server, per_call, human, row)
    finally:
        server.stop()
    return rows


def open311_rows() -> list[dict]:
    import feedback  # bench/feedback.py, beside this script
    import one_stop

    print("Open311: starting gunicorn on a free loopback port", file=sys.stderr, flush=True)
    server = one_stop.Server()
    try:
        return feedback.open311_rows(server, human, row)
    finally:
        server.stop()


def feedback_search_rows() -> list[dict]:
    import feedback  # bench/feedback.py, beside this script

    return feedback.search_rows(per_call, human, row)


def report_rows() -> list[dict]:
    import reports  # bench/reports.py, beside this script

    return reports.report_rows(per_call, human, row)


def dashboard_rows() -> list[dict]:
    import dashboard  # bench/dashboard.py, beside this script

    return dashboard.dashboard_rows(per_call, human, row)


def import_rows() -> list[dict]:
    import legacy_import  # bench/legacy_import.py, beside this script

    return legacy_import.import_rows(human, row)


def main() -> None:
    only = os.environ.get("EGOV_BENCH_ONLY")
    if only == "inbox":
        rows = dossier_rows(inbox_only=True)
    elif only == "feedback_search":
        rows = feedback_search_rows()
    elif only == "open311":
        rows = open311_rows()
    elif only == "report":
        rows = report_rows()
    elif only == "import":
        rows = import_rows()
    elif only == "dashboard":  # needs a table that starts small: run.py gives it its own database
        rows = dashboard_rows()
    else:
        rows = calendar_rows() + catalog_rows() + dossier_rows() + report_rows()
        rows += open311_rows() + feedback_search_rows()
        rows += import_rows()
    print(json.dumps({"database": connection.vendor, "rows": rows}))


if __name__ == "__main__":
    main()
