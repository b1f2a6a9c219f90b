"""One-stop-shop benchmarks: API submissions under concurrent clients, and the inbox and the
tracking lookup with 1,000 and with 1,000,000 dossiers in the table.

Imported by bench/suite.py after ``django.setup()``. The synthetic dossiers are inserted in bulk
(``executemany`` on SQLite, ``COPY`` on PostgreSQL): playing a million dossiers through the
actions would take hours. Each row is what the actions leave behind for its status — code
``<agency>-<YYMMDD>-<NNNN>``, acceptance and due moments, ``sort_due``, the folded search key,
the current step and assignee — except that the due moment is "acceptance + 14 days" rather
than the calendar's count, and no history rows or daily-sequence rows are written.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from egov.agencies.models import Agency, Role
from egov.catalog.models import Procedure
from egov.core.text import fold
from egov.dossiers import access
from egov.dossiers.actions import search_key
from egov.dossiers.demo import ensure_citizens, ensure_desks, fill_form, tiny_pdf
from egov.dossiers.models import ENDED_STATUSES, Dossier, ProcessStep, Status
from egov.dossiers.process import process_for
from egov.identity.demo import demo_password

ROOT = Path(__file__).resolve().parent.parent
MEASURED_AGENCY = "STP"
MEASURED_SHARE = 0.2  # a fifth of all dossiers belong to the measured agency
DAYS = 730  # submitted over the last two years
RECENT_DAYS = 20  # younger dossiers are mostly still open
SUBMIT_PROCEDURE = "1.004873"  # marital status certificate: one mandatory component
CLIENTS = 8


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the server ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn as ``egov serve`` starts it, on a free loopback port, for the bench's database."""

    def __init__(self, workers: int = 3) -> None:
        self.port = _free_port()
        self.log = open(os.environ.get("EGOV_DATA_DIR", "/tmp") + "/bench-server.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "egov.cli", "serve", "--port", str(self.port),
             "--workers", str(workers)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=os.environ.copy(),
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the bench server did not start; see bench-server.log")

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def get(self, path: str, token: str = "") -> tuple[int, bytes]:
        conn = self.connection()
        try:
            return _request(conn, "GET", path, token=token)
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _request(conn, method: str, path: str, body=None, token: str = "", headers=None):
    all_headers = {"Connection": "keep-alive", **(headers or {})}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    if isinstance(body, dict):
        body = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    return response.status, response.read()


def token_for(server: Server, username: str) -> str:
    conn = server.connection()
    status, body = _request(
        conn, "POST", "/api/v1/auth/token", {"username": username, "password": demo_password()}
    )
    conn.close()
    if status != 200:
        raise RuntimeError(f"no token for {username}: {status} {body[:200]!r}")
    return json.loads(body)["token"]


def _multipart(name: str, content: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


@dataclass
class Load:
    done: int
    errors: int
    seconds: float
    error_sample: str = ""

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def run_clients(work: Callable[[http.client.HTTPConnection, int], None], clients: int,
                each: int, max_seconds: float, server: Server) -> Load:  # fmt: skip
    """``clients`` threads, each calling ``work`` up to ``each`` times or until the time is up."""
    done = errors = 0
    sample = ""
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    start_gate = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        nonlocal done, errors, sample
        conn = server.connection()
        start_gate.wait()
        for _ in range(each):
            if time.monotonic() > deadline:
                break
            try:
                work(conn, number)
                with lock:
                    done += 1
            except Exception as exc:  # counted and reported; the run goes on
                conn.close()
                conn = server.connection()
                with lock:
                    errors += 1
                    sample = sample or repr(exc)[:200]
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return Load(done, errors, time.perf_counter() - started, sample)


def submission_rows(server: Server, human, row) -> list[dict]:
    citizens = ensure_citizens(CLIENTS)[:CLIENTS]
    tokens = [token_for(server, c.username) for c in citizens]
    procedure = Procedure.objects.get(code=SUBMIT_PROCEDURE)
    agency = procedure.agencies.order_by("code").first().code
    component = procedure.components.filter(mandatory=True).order_by("order", "id").first()
    rng = random.Random(1)
    forms = [
        fill_form(
            procedure, rng, {"name": c.full_name, "phone": c.phone, "id_number": c.citizen_id}
        )
        for c in citizens
    ]
    pdf = tiny_pdf("bench component")

    def healthz(conn, number: int) -> None:
        status, _ = _request(conn, "GET", "/healthz")
        if status != 200:
            raise RuntimeError(f"healthz {status}")

    def submit(conn, number: int) -> None:
        token = tokens[number % len(tokens)]
        payload = {"procedure": SUBMIT_PROCEDURE, "agency": agency, "form_data": forms[number]}
        status, body = _request(conn, "POST", "/api/v1/dossiers", payload, token=token)
        if status != 201:
            raise RuntimeError(f"create {status} {body[:160]!r}")
        dossier = json.loads(body)["id"]
        data, boundary = _multipart("Tờ khai.pdf", pdf, {"component_id": str(component.pk)})
        status, body = _request(
            conn, "POST", f"/api/v1/dossiers/{dossier}/files", data, token=token,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )  # fmt: skip
        if status != 201:
            raise RuntimeError(f"upload {status} {body[:160]!r}")
        status, body = _request(conn, "POST", f"/api/v1/dossiers/{dossier}/submit", token=token)
        if status != 200 or json.loads(body)["status"] != Status.SUBMITTED:
            raise RuntimeError(f"submit {status} {body[:160]!r}")

    log(f"  /healthz with {CLIENTS} clients (up to 400 requests each, 10 s)")
    run_clients(healthz, CLIENTS, 20, 5, server)  # warm the workers
    trivial = run_clients(healthz, CLIENTS, 400, 10, server)
    log(f"    {trivial.per_second:.0f} requests/s, {trivial.errors} errors")
    log(f"  submissions with {CLIENTS} clients (up to 25 each, 45 s): create + file + submit")
    load = run_clients(submit, CLIENTS, 25, 45, server)
    log(f"    {load.per_second:.1f} submissions/s, {load.errors} errors {load.error_sample}")
    note = (
        f"{load.per_second:.1f} submissions/s ({load.done} in {load.seconds:.1f} s, "
        f"{load.errors} errors) vs {trivial.per_second:.0f} /healthz/s; {CLIENTS} clients, "
        f"gunicorn 3 workers; each = 3 requests"
    )
    if load.error_sample:
        note += f"; first error: {load.error_sample[:80]}"
    per_submission = 1 / load.per_second if load.per_second else float("inf")
    return [
        row(
            f"API: submission (create + upload + submit), {CLIENTS} clients",
            per_submission,
            "GET /healthz, same clients",
            1 / trivial.per_second,
            note,
        )
    ]


# --- synthetic dossiers -------------------------------------------------------------------------

FIELDS = [f for f in Dossier._meta.concrete_fields if f.column != "id"]
COLUMNS = [f.column for f in FIELDS]
NAME = "Nguyễn Văn Thử"
FOLDED_NAME = fold(NAME)


@dataclass
class Fixture:
    agencies: list[tuple[Agency, Procedure]]
    steps: dict[str, ProcessStep]
    specialists: dict[int, int]  # agency id -> the specialist's user id
    units: dict[int, int | None]  # agency id -> that specialist's unit id
    online_applicants: list[int]


def prepare() -> Fixture:
    desks = ensure_desks()
    pairs = []
    for desk in desks.values():
        procedure = desk.agency.procedures.filter(is_active=True).order_by("code").first()
        if procedure is not None:
            pairs.append((desk.agency, procedure))
    pairs.sort(key=lambda p: p[0].code != MEASURED_AGENCY)
    steps = {s.code: s for s in process_for(pairs[0][1]).steps.all()}
    specialists, units = {}, {}
    for desk in desks.values():
        user = desk[Role.SPECIALIST]
        role = user.staff_roles.filter(agency=desk.agency, role=Role.SPECIALIST).first()
        specialists[desk.agency.pk] = user.pk
        units[desk.agency.pk] = role.unit_id if role else None
    citizens = [c.pk for c in ensure_citizens(CLIENTS)]
    return Fixture(pairs, steps, specialists, units, citizens)


def _status_for(rng: random.Random, age_days: float) -> str:
    r = rng.random()
    if age_days < 1:
        return Status.SUBMITTED if r < 0.6 else Status.RECEIVED if r < 0.8 else Status.PROCESSING
    if age_days < 20:
        if r < 0.5:
            return Status.PROCESSING
        return Status.SUPPLEMENT if r < 0.6 else Status.RESOLVED if r < 0.7 else Status.RETURNED
    if r < 0.90:
        return Status.RETURNED
    if r < 0.94:
        return Status.REFUSED
    return Status.WITHDRAWN if r < 0.97 else Status.STOPPED


class Generator:
    """Rows consistent with what the actions write, drawn deterministically."""

    SEED = 42
    # Codes from 5001 up, so they never meet the codes the actions gave that day; another
    # generator filling the same table (a full ``make bench``) draws its own seed and range.
    FIRST_NUMBER = 5001

    def __init__(self, fixture: Fixture, now: datetime, recent_rows: int) -> None:
        # The first ``recent_rows`` rows are this month's work, the rest closed history: a
        # bigger table means more years behind the office, not a longer queue in front of it.
        self.f, self.now, self.recent_rows = fixture, now, recent_rows
        self.rng = random.Random(self.SEED)
        self.sequences: dict[tuple[int, str], int] = {}
        self.count = 0

    def rows(self, n: int):
        rng, f = self.rng, self.f
        for _ in range(n):
            self.count += 1
            if rng.random() < MEASURED_SHARE:
                agency, procedure = f.agencies[0]
            else:
                agency, procedure = f.agencies[rng.randrange(1, len(f.agencies))]
            if self.count <= self.recent_rows:
                age = rng.random() * RECENT_DAYS
            else:
                age = RECENT_DAYS + rng.random() * (DAYS - RECENT_DAYS)
            submitted = self.now - timedelta(days=age)
            status = _status_for(rng, age)
            row = self._row(agency, procedure, submitted, status, age)
            if self.count == 1:  # the shortcut must give what the actions would write
                expected = search_key(
                    row["code"], row["applicant_name"], row["applicant_id_number"]
                )
                assert row["search_key"] == expected, (row["search_key"], expected)
            yield row

    def _row(self, agency, procedure, submitted, status, age) -> dict:
        rng, f = self.rng, self.f
        online = rng.random() < 0.6
        name = f"{NAME} {self.count}"
        id_number = f"0720{90 + self.count % 10}{self.count:06d}"[:12]
        phone = f"09{self.count % 10**8:08d}"
        accepted = code = due = resolved = returned = step = assignee = unit = None
        if status not in (Status.SUBMITTED, Status.WITHDRAWN) or (
            status == Status.WITHDRAWN and rng.random() < 0.5
        ):
            accepted = submitted + timedelta(hours=rng.uniform(0.2, 6))
            day = (accepted + timedelta(hours=7)).strftime("%y%m%d")
            key = (agency.pk, day)
            self.sequences[key] = self.sequences.get(key, self.FIRST_NUMBER - 1) + 1
            code = f"{agency.code}-{day}-{self.sequences[key]:04d}"
            due = accepted + timedelta(days=14)
        if status == Status.RECEIVED:
            step = f.steps["handling"]
        elif status in (Status.PROCESSING, Status.SUPPLEMENT):
            step = f.steps[rng.choice(["handling", "handling", "unit_review", "agency_approval"])]
            assignee, unit = f.specialists[agency.pk], f.units[agency.pk]
        elif status == Status.RESOLVED:
            step = f.steps["result_return"]
            assignee, unit = f.specialists[agency.pk], f.units[agency.pk]
            resolved = accepted + timedelta(days=rng.uniform(1, 13))
        elif status in (Status.RETURNED, Status.REFUSED, Status.STOPPED):
            assignee, unit = f.specialists[agency.pk], f.units[agency.pk]
            resolved = accepted + timedelta(days=rng.uniform(1, 16))
            returned = resolved + timedelta(hours=rng.uniform(1, 48))
        return {
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "code": code,
            "procedure_id": procedure.pk,
            "agency_id": agency.pk,
            "current_agency_id": agency.pk,
            "unit_id": unit,
            "applicant_id": rng.choice(f.online_applicants) if online else None,
            "applicant_name": name,
            "applicant_phone": phone,
            "applicant_email": "",
            "applicant_id_number": id_number,
            "applicant_address": "Tây Ninh",
            "channel": "online" if online else "counter",
            "status": status,
            "current_step_id": step.pk if step else None,
            "step_started_at": accepted if step else None,
            "step_due_at": due if step else None,
            "assignee_id": assignee,
            "form_data": "{}",
            "created_at": submitted,
            "submitted_at": submitted,
            "accepted_at": accepted,
            "due_at": due,
            "resolved_at": resolved,
            "returned_at": returned if status == Status.RETURNED else None,
            "ended_at": (resolved or accepted or submitted) if status in ENDED_STATUSES else None,
            "apologised_at": None,
            "sort_due": due or submitted,
            "stopped_at": submitted if status == Status.SUPPLEMENT else None,
            "stopped_working_seconds": 0,
            "supplement_phase": "handling" if status == Status.SUPPLEMENT else "",
            "supplement_round": 1 if status == Status.SUPPLEMENT else 0,
            "missing_items": "[]",
            "overdue_alerted_at": None,
            "outcome_note": "",
            "version": 1,
            "idempotency_key": "",
            # = actions.search_key(code, name, id_number), built from parts folded once
            "search_key": (f"{code.lower()} " if code else "")
            + f"{FOLDED_NAME} {self.count} "
            + id_number,
            "rating": "",
            "rating_comment": "",
        }


_CONVERT = [
    i for i, f in enumerate(FIELDS) if f.get_internal_type() in ("DateTimeField", "UUIDField")
]


def _sqlite_row(row: list) -> list:
    """Values as Django's SQLite backend stores them: naive UTC text, UUIDs as hex."""
    for i in _CONVERT:
        value = row[i]
        if value is None:
            continue
        row[i] = (
            value.hex if isinstance(value, uuid.UUID) else value.isoformat(" ", "microseconds")[:26]
        )
    return row


def insert(generator: Generator, n: int, label: str, batch: int = 20_000) -> None:
    """Insert ``n`` synthetic dossiers, printing progress."""
    started = time.monotonic()
    inserted = 0
    while inserted < n:
        size = min(batch, n - inserted)
        rows = [[r[c] for c in COLUMNS] for r in generator.rows(size)]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY dossiers_dossier ({', '.join(COLUMNS)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                marks = ", ".join("?" * len(COLUMNS))
                sql = f"INSERT INTO dossiers_dossier ({', '.join(COLUMNS)}) VALUES ({marks})"
                cursor.cursor.executemany(sql, [_sqlite_row(r) for r in rows])
        inserted += size
        if inserted % 100_000 < size or inserted == n:
            rate = inserted / (time.monotonic() - started)
            log(f"    {label}: {inserted:,}/{n:,} dossiers ({rate:,.0f}/s)")
    # A live table is vacuumed and analysed by autovacuum long before it holds a million rows;
    # do it now, so the measurement neither races autovacuum nor plans with stale statistics.
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE dossiers_dossier"
        )


# --- the inbox and tracking ---------------------------------------------------------------------


def _plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(r[0] for r in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(r[-1] for r in cursor.fetchall())


def main_query_plan(func: Callable[[], object]) -> str:
    """The plans of the slowest-looking queries ``func`` runs on the dossiers table, as the
    database would run them now: each SELECT with an ORDER BY (the inbox runs one per arm of its
    OR, then reads the page), or else the longest SELECT (the code lookup)."""
    with CaptureQueriesContext(connection) as captured:
        func()
    candidates = [
        q["sql"] for q in captured.captured_queries
        if "dossiers_dossier" in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")
    ]  # fmt: skip
    if not candidates:
        return ""
    ordered = [sql for sql in candidates if "ORDER BY" in sql]
    return "\n".join(_plan_of(sql) for sql in ordered or [max(candidates, key=len)])


def scans(plan: str) -> bool:
    """Whether the plan reads the dossiers table in full (no index)."""
    for line in plan.splitlines():
        text = line.strip()
        if "Seq Scan on dossiers_dossier" in text:
            return True
        if text.startswith("SCAN dossiers_dossier") and "INDEX" not in text:
            return True
    return False


def plan_summary(plan: str) -> str:
    keep = []
    for line in plan.splitlines():
        text = line.strip().lstrip("->").strip()
        if any(w in text for w in ("Scan", "SCAN", "SEARCH", "Sort", "TEMP B-TREE", "Bitmap")):
            text = text.split("  (cost")[0].split(" (cost")[0]
            if text not in keep:
                keep.append(text)
    return "; ".join(keep)[:400]


@dataclass
class Probe:
    name: str
    func: Callable[[], object]


def probes(server: Server) -> list[Probe]:
    from egov.identity.models import User

    reception = User.objects.get(username="stp.tiepnhan")
    specialist = User.objects.get(username="stp.chuyenvien")
    tokens = {u.username: token_for(server, u.username) for u in (reception, specialist)}
    conns: dict[str, http.client.HTTPConnection] = {}

    def http_call(path: str, token: str = "", body: dict | None = None) -> Callable[[], object]:
        method = "GET" if body is None else "POST"

        def call() -> object:
            conn = conns.setdefault(path, server.connection())
            try:
                status, answer = _request(conn, method, path, body, token=token)
            except (http.client.HTTPException, OSError):
                conn.close()
                status, answer = _request(conn, method, path, body, token=token)
            if status != 200:
                raise RuntimeError(f"{method} {path}: {status} {answer[:200]!r}")
            return answer

        return call

    target = {}

    def tracked() -> tuple[str, str]:
        if not target:
            # A code near the middle of the table: any accepted dossier of the measured agency.
            row = (
                Dossier.objects.filter(agency__code=MEASURED_AGENCY)
                .exclude(code=None)
                .order_by("-id")
                .values("code", "applicant_phone")
                .first()
            )
            target.update(code=row["code"], last4=row["applicant_phone"][-4:])
        return target["code"], target["last4"]

    def track() -> object:
        code, last4 = tracked()
        return access.track(code, last4, "127.0.0.9")

    def track_http() -> object:
        code, last4 = tracked()
        return http_call("/api/v1/dossiers/track", body={"code": code, "phone_last4": last4})()

    return [
        Probe("inbox: queue_for, reception officer, first page",
              lambda: access.queue_for(reception, access.QueueFilter())),
        Probe("inbox: queue_for, specialist, first page",
              lambda: access.queue_for(specialist, access.QueueFilter())),
        Probe("inbox: GET /api/v1/workspace/queue, reception officer",
              http_call("/api/v1/workspace/queue", tokens[reception.username])),
        Probe("inbox: GET /api/v1/workspace/queue, specialist",
              http_call("/api/v1/workspace/queue", tokens[specialist.username])),
        Probe("inbox: search one person's name (folded), reception",
              lambda: access.queue_for(reception, access.QueueFilter(q=fold(f"{NAME} 777")))),
        Probe("tracking: access.track(code, phone)", track),
        Probe("tracking: POST /api/v1/dossiers/track", track_http),
    ]  # fmt: skip


def inbox_rows(server: Server, per_call, human, row) -> list[dict]:
    fixture = prepare()
    existing = Dossier.objects.count()
    small, large = 1_000, int(os.environ.get("EGOV_BENCH_DOSSIERS", "1000000"))
    generator = Generator(fixture, datetime.now(UTC), recent_rows=small)  # UTC: see _sqlite_row
    log(f"  loading synthetic dossiers up to {small:,} (table holds {existing:,})")
    insert(generator, max(0, small - existing), "small")
    checks = probes(server)
    measured = {}
    for probe in checks:
        measured[probe.name] = per_call(probe.func, repeats=5, min_seconds=0.3)
        log(f"    {probe.name} at {small:,}: {human(measured[probe.name])}")
    total = Dossier.objects.count()
    log(f"  loading synthetic dossiers up to {large:,} (bulk insert, not through the actions)")
    insert(generator, max(0, large - total), "large")
    total = Dossier.objects.count()
    rows = []
    for probe in checks:
        cost = per_call(probe.func, repeats=5, min_seconds=0.3)
        plan = main_query_plan(probe.func) if "GET" not in probe.name else ""
        note = f"{total:,} vs {small:,} dossiers"
        if plan:
            note += ("; PLAN SCANS: " if scans(plan) else "; plan: ") + plan_summary(plan)
            log("      " + plan.replace("\n", "\n      "))
        rows.append(row(probe.name, cost, f"same with {small:,} dossiers", measured[probe.name],
                        note))  # fmt: skip
    return rows
