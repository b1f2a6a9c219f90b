"""`make bench`: run every benchmark on SQLite and PostgreSQL, then write BENCHMARKS.md.

Each database gets a fresh database of its own, set up by `egov setup`; the measurements run in a
child process (bench/suite.py) so each one sees a clean Django for its database. Every measured
cost is reported beside a baseline measured in the same run on the same machine, since absolute
times mean little from one machine to the next.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("EGOV_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")


def _postgres_available() -> bool:
    import psycopg

    try:
        psycopg.connect(
            PG_URL.replace("postgres://", "postgresql://", 1), connect_timeout=3
        ).close()
    except Exception as exc:
        print(f"PostgreSQL not reachable at {PG_URL} ({exc}); benchmarking SQLite only")
        return False
    return True


def _run_suite(label: str, env: dict[str, str]) -> dict:
    egov = [sys.executable, "-m", "egov.cli"]
    print(f"== {label}: setting up a fresh database", flush=True)
    subprocess.run([*egov, "setup", "--no-demo", "-v", "0"], env=env, check=True, cwd=ROOT)
    print(f"== {label}: measuring", flush=True)
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "suite.py")],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _postgres_env(base: dict[str, str]) -> tuple[dict[str, str], callable]:
    import psycopg

    name = f"egov_bench_{uuid.uuid4().hex[:8]}"
    admin = PG_URL.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return {**base, "DATABASE_URL": PG_URL.rsplit("/", 1)[0] + "/" + name}, drop


def _write_report(results: dict[str, dict]) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M %Z')}; machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "Each cost is the median of several repeats, beside a baseline measured in the same run.",
        "",
    ]
    for database, rows in results.items():
        lines += [
            f"## {database}",
            "",
            "| benchmark | cost | baseline | baseline cost | ratio | note |",
            "|---|---|---|---|---|---|",
        ]
        for row in rows["rows"]:
            lines.append(
                f"| {row['name']} | {row['cost']} | {row['baseline']} | {row['baseline_cost']} "
                f"| {row['ratio']:.1f}× | {row.get('note', '')} |"
            )
        lines.append("")
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + NOTES, encoding="utf-8")
    print(f"written {ROOT / 'BENCHMARKS.md'}")


def _table_row(row: dict) -> str:
    return (
        f"| {row['name']} | {row['cost']} | {row['baseline']} | {row['baseline_cost']} "
        f"| {row['ratio']:.1f}× | {row.get('note', '')} |"
    )


def _merge_report(results: dict[str, dict], only: str) -> None:
    """Replace the re-measured rows of BENCHMARKS.md in place, keep every other row and note."""
    path = ROOT / "BENCHMARKS.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    section = None
    seen: set[tuple[str, str]] = set()
    for i, line in enumerate(lines):
        if line.startswith("## "):
            section = line[3:].strip()
        fresh = {row["name"]: row for row in results.get(section, {}).get("rows", [])}
        name = line.split("|")[1].strip() if line.startswith("| ") else None
        if name in fresh:
            lines[i] = _table_row(fresh[name])
            seen.add((section, name))
    # Rows measured for the first time go at the end of their database's table.
    for section, result in results.items():
        new = [r for r in result.get("rows", []) if (section, r["name"]) not in seen]
        start = next((i for i, line in enumerate(lines) if line == f"## {section}"), None)
        if start is None or not new:
            continue
        end = start + 1
        while end < len(lines) and not lines[end].startswith("## "):
            end += 1
        last = max(i for i in range(start, end) if lines[i].startswith("| ")) + 1
        lines[last:last] = [_table_row(r) for r in new]
    stamp = (
        f"The {only} rows were re-measured alone by `bench/run.py --only {only}` on "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')} ({', '.join(results)}); the other rows are "
        "from the full run above."
    )
    lines = [line for line in lines if not line.startswith(f"The {only} rows were re-measured")]
    at = next(i for i, line in enumerate(lines) if line.startswith("Each cost is the median"))
    lines.insert(at + 1, stamp)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"updated the {only} rows of {path}")


PLAN = """make bench: for SQLite, then PostgreSQL (a fresh database each, set up by `egov setup`):
  1. calendar and catalog micro-benchmarks
  2. start gunicorn on a free loopback port; /healthz and API submissions
     (create + upload + submit) with 8 concurrent clients, bounded to 10 s and 45 s
  3. bulk-insert synthetic dossiers up to 1,000; time the inbox and tracking lookups
  4. bulk-insert up to {large:,} (progress every 100,000); time them again, with the query plans
  then write BENCHMARKS.md. Expect about 5 minutes per database on 2 cores."""

NOTES = """
## How the one-stop-shop rows are measured

* **Submissions**: `bench/one_stop.py` starts the production server (`egov serve`: gunicorn, 3
  sync workers) on a free loopback port. 8 client threads (`http.client`), each with the bearer
  token of its own demo citizen, repeat: `POST /api/v1/dossiers` (draft of procedure 1.004873),
  `POST /api/v1/dossiers/{id}/files` (a small real PDF, multipart), `POST …/submit`; at most 25
  each or 45 s. The cost is wall time per completed submission (1 / throughput); the baseline is
  the same 8 clients calling `GET /healthz` for 10 s. gunicorn's sync workers close the
  connection after each response, so every request pays a new TCP connection in both.
* **Inbox and tracking**: the same request timed with 1,000 dossiers in the table and again
  with 1,000,000 (the ratio is large / small; target ≤ 2×). The rows beyond the few hundred made
  through the API are **synthetic, inserted in bulk** (`executemany` on SQLite, `COPY` on
  PostgreSQL), because playing a million dossiers through the actions would take hours. Each
  row is what the actions leave for its status (code `<agency>-<YYMMDD>-<NNNN>` with numbers
  from 5001, acceptance and due moments, `sort_due`, the folded search key, current step,
  assignee and unit), except: due = acceptance + 14 days (not the calendar's count), and no
  history or daily-sequence rows. A fifth of the rows belong to the measured agency (Sở Tư
  pháp). The first 1,000 rows are the current month's work (submitted in the last 20 days,
  mostly still open); the 999,000 added for the large run are closed history (20 days to two
  years old: returned, refused, withdrawn, stopped). So both runs have the same queue in front
  of the officials, and the ratio shows what a bigger table alone costs.
  The reception officer and the specialist are the demo accounts `stp.tiepnhan` and
  `stp.chuyenvien` (every synthetic STP dossier in handling is assigned to that specialist).
* The note of each inbox/tracking row gives the database's plan for its main query at 1M
  (`EXPLAIN` on PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite); "PLAN SCANS" marks a full scan of
  the dossiers table.

## How the Open311 row is measured

* `bench/feedback.py` (`open311_rows`) starts the production server as for the submissions,
  issues an API key, and 8 client threads POST `/open311/v2/requests.json`, form-encoded as in
  the specification's example (a pothole in xã Tân Biên: point, commune, phone, its required
  attribute), until each has filed 50 or 30 s have passed. Each request files one field report
  through `feedback.services.submit` (routing to UBX25486, the deadline on the calendar, the
  history row, the acknowledgement messages queued). The cost is wall time per filed report
  (1 / throughput); the baseline is `GET /healthz` with the same clients in the same run.

## How the feedback search rows are measured

* **Public answers' search** (`bench/feedback.py`, `--only feedback_search`): the same searches
  (no words; two common words; three words typed without diacritics; a street name; two words
  within a category; and the same two words through `GET /api/v1/feedback/answers`) timed with
  1,000 items in the table and again with 1,000,000 (the ratio is large / small; target ≤ 2×).
  The items are synthetic, bulk-inserted with their word rows (`SearchToken`), 70 % of them
  published, publication moments spread over the same two years at both sizes; see
  `docs/feedback.md` for the word-index design. The note gives each query's plan at 1M.

## How the import rows are measured

* `bench/legacy_import.py` (`--only import`) writes a legacy CSV export of 100,000 dossiers (two
  years of Sở Tư pháp criminal-record certificates and commune birth registrations: 75 %
  resolved, some with a supplement period, refused, withdrawn, stopped, 12 % pending) and times
  `dossiers.legacy.import_file` on it — read, checked, stored with its history (about three
  `DossierEvent` rows per dossier) in one transaction — beside a 1,000-row export imported just
  before (cost per row; the ratio shows the import stays linear). Then the same 100,000-row file
  is imported again (it adds nothing) beside the first import. See `docs/import.md`.

## How the dashboard rows are measured

* `bench/dashboard.py` (`--only dashboard`; in a full run it gets a fresh database of its own,
  since it needs a table that starts small) bulk-inserts one_stop's synthetic dossiers up to
  1,000 (this month's open work), runs `rebuild_counters`, and times `GET
  /can-bo/bao-cao/dieu-hanh/` (default period, the last twelve months) through Django's test
  client in the bench process — middleware, view, counters, today's overdue and due-soon index
  counts, feedback statistics, templates and SVG — signed in as a leader of the whole province
  (VPUBND) and of one agency (STP). Then it bulk-inserts up to 1,000,000 (closed history over
  two years; the open queue stays the same), times `rebuild_counters` (beside a bare
  `count(*) GROUP BY agency_id` over the same rows) and the page again (the ratio is large /
  small; target ≤ 2×). See `docs/dashboard.md`.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        choices=["inbox", "report", "open311", "dashboard", "feedback_search", "import"],
        help="run only these rows (inbox: the inbox and tracking at 1,000 and at the large "
        "size; report: Biểu 06 over a year of the large size; open311: filing field reports "
        "through Open311; dashboard: the dashboard page at 1,000 and at the large size, and "
        "rebuild_counters; "
        "feedback_search: the public answers' search at 1,000 and at 1,000,000 items; "
        "import: egov import dossiers of 1,000 and of 100,000 legacy rows) and "
        "update just those rows of BENCHMARKS.md",
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql"], help="only this one")
    args = parser.parse_args()
    large = int(os.environ.get("EGOV_BENCH_DOSSIERS", "1000000"))
    print(PLAN.format(large=large) if not args.only else f"only: {args.only}", flush=True)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = {**os.environ, "EGOV_PROFILE": "dev", "EGOV_DEBUG": "0", "EGOV_DATA_DIR": tmp}
        base.pop("DATABASE_URL", None)
        if args.only:
            base["EGOV_BENCH_ONLY"] = args.only
        # The dashboard group measures a table that starts small, so in a full run it gets a
        # fresh database of its own after the others.
        runs = [base] if args.only else [base, {**base, "EGOV_BENCH_ONLY": "dashboard"}]
        for n, env_base in enumerate(runs):
            if args.database in (None, "sqlite"):
                found = _run_suite(
                    "SQLite", {**env_base, "EGOV_SQLITE_PATH": f"{tmp}/bench{n}.sqlite3"}
                )
                results.setdefault("SQLite", {"database": "sqlite", "rows": []})
                results["SQLite"]["rows"] += found["rows"]
            if args.database in (None, "postgresql") and _postgres_available():
                env, drop = _postgres_env(env_base)
                try:
                    found = _run_suite("PostgreSQL", env)
                finally:
                    drop()
                results.setdefault("PostgreSQL", {"database": "postgresql", "rows": []})
                results["PostgreSQL"]["rows"] += found["rows"]
    if args.only or args.database:
        _merge_report(results, args.only or "all")
    else:
        _write_report(results)
    for database, rows in results.items():
        for row in rows["rows"]:
            print(f"{database:<11} {row['name']:<52} {row['cost']:>12}  ratio {row['ratio']:.1f}×")


if __name__ == "__main__":
    main()
