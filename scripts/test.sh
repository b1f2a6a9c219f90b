#!/usr/bin/env bash
# Run the whole suite on SQLite, then on PostgreSQL when one is reachable (DATABASE_URL, or the
# local server on 127.0.0.1:5432, database `test`). EGOV_REQUIRE_POSTGRES=1 makes a missing
# PostgreSQL a failure instead of a skip (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
status=0

echo "== tests on SQLite"
env -u DATABASE_URL "$bin/pytest" "$@" || status=$?

pg_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if "$bin/python" - "$pg_url" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== tests on PostgreSQL ($pg_url)"
  DATABASE_URL="$pg_url" "$bin/pytest" "$@" || status=$?
elif [ "${EGOV_REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is required (EGOV_REQUIRE_POSTGRES=1) but not reachable" >&2
  status=1
else
  echo "== PostgreSQL not reachable: its run skipped"
fi
exit $status
