"""`make bench`: run every benchmark on SQLite and PostgreSQL, then write BENCHMARKS.md.

Each database gets a fresh database of its own, set up by `egov setup`; the measurements run in a
child process (bench/suite.py) so each one sees a clean Django for its database. Every measured
cost is reported beside a baseline measured in the same run on the same machine, since absolute
times mean little from one machine to the next.
"""

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
        psycopg.connect(PG_URL.replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
    except Exception as exc:
        print(f"PostgreSQL not reachable at {PG_URL} ({exc}); benchmarking SQLite only")
        return False
    return True


def _run_suite(label: str, env: dict[str, str]) -> dict:
    egov = [sys.executable, "-m", "egov.cli"]
    print(f"== {label}: setting up a fresh database", flush=True)
    subprocess.run([*egov, "setup", "--no-demo", "-v", "0"], env=env, check=True, cwd=ROOT)
    print(f"== {label}: measuring", flush=True)
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "suite.py")], env=env, check=True,
                         cwd=ROOT, stdout=subprocess.PIPE, text=True).stdout
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
        lines += [f"## {database}", "", "| benchmark | cost | baseline | baseline cost | ratio | note |",
                  "|---|---|---|---|---|---|"]
        for row in rows["rows"]:
            lines.append(
                f"| {row['name']} | {row['cost']} | {row['baseline']} | {row['baseline_cost']} "
                f"| {row['ratio']:.1f}× | {row.get('note', '')} |"
            )
        lines.append("")
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"written {ROOT / 'BENCHMARKS.md'}")


def main() -> None:
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = {**os.environ, "EGOV_PROFILE": "dev", "EGOV_DEBUG": "0", "EGOV_DATA_DIR": tmp}
        base.pop("DATABASE_URL", None)
        results["SQLite"] = _run_suite("SQLite", {**base, "EGOV_SQLITE_PATH": f"{tmp}/bench.sqlite3"})
        if _postgres_available():
            env, drop = _postgres_env(base)
            try:
                results["PostgreSQL"] = _run_suite("PostgreSQL", env)
            finally:
                drop()
    _write_report(results)
    for database, rows in results.items():
        for row in rows["rows"]:
            print(f"{database:<11} {row['name']:<52} {row['cost']:>12}  ratio {row['ratio']:.1f}×")


if __name__ == "__main__":
    main()
