"""Benchmark groups of the feedback app (run inside Django by bench/suite.py).

``feedback_search`` (engineer feedback-core): the public answers' search
(``egov.feedback.access.public_answers``, and ``GET /api/v1/feedback/answers`` through Django's
handler) with 1,000,000 items in the table, as a ratio to the same search with 1,000 (target ≤
2×). The items are synthetic, inserted in bulk (``executemany`` on SQLite, ``COPY`` on
PostgreSQL) with their word rows (``SearchToken``), because a million items through the services
would take hours; each row is what the services leave for an answered item: masked public
fields, the folded ``search_key`` and one word row per distinct word (with the item's category
and commune copied in, as ``search.reindex`` writes them). Both sizes spread their publication
moments uniformly over the same two years, so the large table's newest answers are as mixed as
the small one's, and 70 % of the items are published (the rest: open, rejected or private).

``open311`` (engineer open311): filing field reports through Open311 per second
(:func:`open311_rows`, below).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

import one_stop  # bench/one_stop.py, beside this module: log, plans
from egov.agencies.models import Agency
from egov.core.text import fold
from egov.feedback import search
from egov.feedback.access import public_answers
from egov.feedback.masking import mask_personal_details
from egov.feedback.models import Category, Item, SearchToken

SMALL = 1_000
PUBLISHED_SHARE = 0.7
SPREAD_DAYS = 730

# (category, title, text, answer): the demo's kinds of reports, varied by street and hamlet.
TEMPLATES = [
    ("hu-hong-duong", "Ổ gà lớn trên đường {street}", "Ổ gà sâu trên đường {street}, ấp {hamlet}, "
     "xe máy dễ té ngã vào buổi tối.", "Đơn vị quản lý đường đã vá ổ gà bằng bê tông nhựa."),
    ("hu-hong-duong", "Mặt đường sụt lún gần trường", "Đoạn đường {street} trước trường học bị sụt "
     "lún sau mưa, ấp {hamlet}.", "Đã rào chắn và sửa chữa mặt đường trong tuần."),
    ("den-chieu-sang", "Đèn đường không sáng", "Ba cột đèn trên đường {street}, ấp {hamlet} không "
     "sáng từ tuần trước.", "Điện lực đã thay bóng đèn và dây dẫn bị hỏng."),
    ("rac-thai", "Rác tồn đọng nhiều ngày", "Điểm tập kết rác đầu hẻm đường {street}, ấp {hamlet} "
     "không được thu gom, bốc mùi hôi.", "Tổ thu gom đã dọn sạch và bổ sung lịch thu gom."),
    ("ngap-nuoc", "Ngập nước sau mưa lớn", "Đường {street} trước chợ ấp {hamlet} ngập sâu khi mưa, "
     "cống thoát nước nghẹt.", "Đã nạo vét cống thoát nước và thông dòng chảy."),
    ("cay-xanh", "Cây nghiêng có nguy cơ ngã", "Cây dầu bên đường {street}, ấp {hamlet} nghiêng ra "
     "lòng đường sau giông.", "Đã cắt tỉa cành và chằng chống cây."),
    ("lan-chiem-via-he", "Lấn chiếm vỉa hè buôn bán", "Quầy hàng bày kín vỉa hè đường {street}, "
     "người đi bộ phải xuống lòng đường.", "Đã nhắc nhở và lập biên bản các hộ vi phạm."),
    ("o-nhiem", "Khói bụi từ lò đốt rác", "Lò đốt rác tự phát gần đường {street}, ấp {hamlet} gây "
     "khói bụi cho khu dân cư.", "Đã kiểm tra và yêu cầu chấm dứt việc đốt rác."),
]  # fmt: skip
STREETS = [
    "Cách Mạng Tháng Tám", "Trưng Nữ Vương", "30 Tháng 4", "Lạc Long Quân", "Hùng Vương",
    "Nguyễn Chí Thanh", "Trần Hưng Đạo", "Lý Thường Kiệt", "Nguyễn Trãi", "Hoàng Lê Kha",
    "Điện Biên Phủ", "Võ Thị Sáu", "Nguyễn Văn Rốp", "Bời Lời", "Tua Hai", "Huỳnh Tấn Phát",
    "Phạm Văn Đồng", "Lê Duẩn", "Trường Chinh", "Nguyễn Huệ", "Quốc lộ 22B", "Đường tỉnh 781",
    "Đường tỉnh 785", "Lê Lợi", "Bà Triệu", "Hai Bà Trưng", "Phan Chu Trinh", "Phan Bội Châu",
    "Ngô Quyền", "Tôn Đức Thắng",
]  # fmt: skip
HAMLETS = [str(n) for n in range(1, 13)] + ["Thạnh Hiệp", "Bến Cầu", "Long Thuận", "Phước Hội"]

# The searches people type: by topic, by topic and place, a street name, with a category, none.
QUERIES = [
    ("no words, first page", "", None),
    ("'đèn đường' (two common words)", "đèn đường", None),
    ("'ngap nuoc cho' (no diacritics)", "ngap nuoc cho", None),
    ("'Trưng Nữ Vương' (a street)", "Trưng Nữ Vương", None),
    ("'o ga' in category hu-hong-duong", "o ga", "hu-hong-duong"),
]

ITEM_FIELDS = [f for f in Item._meta.concrete_fields]
ITEM_COLUMNS = [f.column for f in ITEM_FIELDS]
TOKEN_COLUMNS = ["token", "published_at", "item_id", "category_id", "commune_id"]


class Generator:
    """Synthetic items (and their word rows) from the templates, published over two years.

    Rows come out ready for the database at hand (SQLite: naive UTC text and hex UUIDs, as
    Django stores them), each built from a per-text template row with a dozen values set, so a
    million rows cost seconds of Python, not minutes.
    """

    def __init__(self, now: datetime, seed: int = 2025) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.sqlite = connection.vendor == "sqlite"
        self.categories = {c.code: c.pk for c in Category.objects.all()}
        commune_agency = Agency.objects.filter(code__startswith="UBX").order_by("code").first()
        self.agency_id = commune_agency.pk
        self.commune_id = commune_agency.place_id
        self.next_id = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.cache: dict[tuple[int, str, str, bool], tuple[list, list[str]]] = {}
        self.index = {f.attname: i for i, f in enumerate(ITEM_FIELDS)}

    def _moment(self, value: datetime):
        if not self.sqlite:
            return value
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

    def _base(self, template: int, street: str, hamlet: str, published: bool):
        key = (template, street, hamlet, published)
        if key not in self.cache:
            category, title, text, answer = TEMPLATES[template]
            title, text = title.format(street=street), text.format(street=street, hamlet=hamlet)
            public = [mask_personal_details(s) for s in (title, text, answer)]
            search_key = fold(" ".join(public))
            values = {
                "kind": Item.Kind.FIELD_REPORT,
                "category_id": self.categories[category],
                "title": title,
                "text": text,
                "status": Item.Status.CLOSED,
                "commune_id": self.commune_id,
                "may_publish": published,
                "receiving_agency_id": self.agency_id,
                "current_agency_id": self.agency_id,
                "draft": answer,
                "answer": answer,
                "public_title": public[0],
                "public_text": public[1],
                "public_answer": public[2] if published else "",
                "search_key": search_key if published else "",
                "channel": Item.Channel.WEB,
                "attributes": "{}",
            }
            base = [values.get(f.attname, _default(f)) for f in ITEM_FIELDS]
            tokens = sorted(search.item_tokens(search_key)) if published else []
            self.cache[key] = (base, tokens)
        return self.cache[key]

    def rows(self, n: int) -> tuple[list[list], list[list]]:
        rng, at, items, tokens = self.rng, self.index, [], []
        spread = SPREAD_DAYS * 86400
        for _ in range(n):
            pk, self.next_id = self.next_id, self.next_id + 1
            submitted = self.now - timedelta(seconds=rng.random() * spread)
            answered = submitted + timedelta(days=rng.uniform(0.2, 9))
            closed = answered < self.now
            published = closed and rng.random() < PUBLISHED_SHARE
            base, words = self._base(
                rng.randrange(len(TEMPLATES)), rng.choice(STREETS), rng.choice(HAMLETS), published
            )
            row = base.copy()
            public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            due = self._moment(submitted + timedelta(days=7))
            done = self._moment(answered) if closed else None
            row[at["id"]] = pk
            row[at["public_id"]] = public_id.hex if self.sqlite else public_id
            row[at["code"]] = f"HT-B{pk:010d}"
            row[at["submitted_at"]] = row[at["accepted_at"]] = self._moment(submitted)
            row[at["due_at"]] = row[at["sort_due"]] = due
            row[at["answered_at"]] = row[at["closed_at"]] = done
            row[at["published_at"]] = done if published else None
            if not closed:
                row[at["status"]], row[at["answer"]] = Item.Status.IN_PROGRESS, ""
            items.append(row)
            if published:
                category, commune = row[at["category_id"]], row[at["commune_id"]]
                tokens += [[t, done, pk, category, commune] for t in words]
        return items, tokens


def _default(field):
    if field.has_default():
        value = field.get_default()
        return "{}" if isinstance(value, dict) else ("[]" if isinstance(value, list) else value)
    return None if field.null else ""


def _write(table: str, columns: list[str], rows: list[list]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            marks = ", ".join("?" * len(columns))
            cursor.cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )


TABLES = (Item._meta.db_table, SearchToken._meta.db_table)


def _secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE statement) of the two tables' indexes that back no constraint."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND "
                "indexname NOT IN (SELECT conname FROM pg_constraint)",
                [list(TABLES)],
            )
        else:
            marks = ", ".join("?" * len(TABLES))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks})",
                list(TABLES),
            )
        return list(cursor.fetchall())


@contextlib.contextmanager
def without_indexes():
    """Drop the secondary indexes for a bulk load and build them again after it (sorting once
    is much faster than a million random insertions into each B-tree), as a bulk import would."""
    indexes = _secondary_indexes()
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        started = time.monotonic()
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)
        one_stop.log(
            f"    feedback: {len(indexes)} indexes rebuilt in {time.monotonic() - started:.0f} s"
        )


def insert(generator: Generator, n: int, batch: int = 20_000) -> None:
    started, done = time.monotonic(), 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A bigger page cache for the load: the word index grows to gigabytes.
            cursor.execute("PRAGMA cache_size = -600000")
    while done < n:
        size = min(batch, n - done)
        items, tokens = generator.rows(size)
        with transaction.atomic():
            _write(Item._meta.db_table, ITEM_COLUMNS, items)
            _write(SearchToken._meta.db_table, TOKEN_COLUMNS, tokens)
        done += size
        if done % 100_000 < size or done == n:
            rate = done / (time.monotonic() - started)
            one_stop.log(f"    feedback: {done:,}/{n:,} items ({rate:,.0f}/s)")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('feedback_item', 'id'), "
                "(SELECT max(id) FROM feedback_item))"
            )
            cursor.execute("VACUUM ANALYZE feedback_item")
            cursor.execute("VACUUM ANALYZE feedback_searchtoken")
        else:
            cursor.execute("ANALYZE")


def plan(func: Callable[[], object]) -> str:
    """The database's plan for the ordered page query ``func`` runs."""
    with CaptureQueriesContext(connection) as captured:
        func()
    ordered = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"]]
    return one_stop.plan_summary(one_stop._plan_of(ordered[0])) if ordered else ""


def _probes() -> list[tuple[str, Callable[[], object]]]:
    client = Client(HTTP_HOST="127.0.0.1")
    probes = []
    for label, words, category in QUERIES:
        probes.append(
            (
                f"feedback search: public_answers {label}",
                lambda w=words, c=category: public_answers(w, 1, category=c).items,
            )
        )
    probes.append(
        (
            "feedback search: GET /api/v1/feedback/answers?q=den+duong",
            lambda: client.get("/api/v1/feedback/answers", {"q": "den duong"}).content,
        )
    )
    return probes


def search_rows(per_call, human, row) -> list[dict]:
    large = int(os.environ.get("EGOV_BENCH_FEEDBACK", "1000000"))
    now = datetime.now(UTC)
    generator = Generator(now)
    have = Item.objects.count()
    insert(generator, max(0, SMALL - have))
    small = {}
    for name, func in _probes():
        small[name] = (per_call(func, repeats=5), len(func()) if "GET" not in name else 0)
    one_stop.log(f"  feedback search at {SMALL:,}: done; loading up to {large:,}")
    with without_indexes():
        insert(generator, max(0, large - Item.objects.count()))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Item.objects.count()
    published = Item.objects.filter(published_at__isnull=False).count()
    words = SearchToken.objects.count()
    rows = []
    for name, func in _probes():
        cost = per_call(func, repeats=5)
        hits = len(func()) if "GET" not in name else 20
        baseline, _small_hits = small[name]
        query_plan = plan(func) if "GET" not in name else ""
        rows.append(
            row(
                name,
                cost,
                f"same with {SMALL:,} items",
                baseline,
                f"{total:,} items, {published:,} published, {words:,} word rows; "
                f"{hits} on the page. Plan: {query_plan}",
            )
        )
    return rows


# --- Open311: filing field reports (engineer "open311") ------------------------------------------

OPEN311_CLIENTS = 8
OPEN311_CATEGORY = "hu-hong-duong"  # potholes: local, one required list attribute
OPEN311_COMMUNE = "25486"  # xã Tân Biên (its People's Committee UBX25486 receives them)
OPEN311_POINT = ("11.552300", "105.995100")
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def _open311_body(key: str, number: int) -> bytes:
    """A POST requests.json body as the specification writes it (attribute brackets as is)."""
    fields = {
        "api_key": key,
        "service_code": OPEN311_CATEGORY,
        "lat": OPEN311_POINT[0],
        "long": OPEN311_POINT[1],
        "address_id": OPEN311_COMMUNE,
        "address_string": f"Đường 30/4, tổ {number + 1}, xã Tân Biên",
        "phone": f"09120000{number:02d}",
        "first_name": "Ánh",
        "last_name": "Nguyễn Thị",
        "description": f"Ổ gà sâu trên đường 30/4, đoạn gần tổ {number + 1}.",
    }
    body = "&".join(f"{k}={quote(v, safe='')}" for k, v in fields.items())
    return (body + "&attribute[muc_do]=nghiem_trong").encode()


def open311_rows(server, human, row) -> list[dict]:
    """POST requests.json with a valid key from 8 clients, beside GET /healthz in the same run."""
    from egov.feedback.open311_keys import issue_key
    from one_stop import _request, log, run_clients

    key = issue_key("bench")[1]
    bodies = [_open311_body(key, n) for n in range(OPEN311_CLIENTS)]
    headers = {"Content-Type": FORM}

    def healthz(conn, number: int) -> None:
        status, _ = _request(conn, "GET", "/healthz")
        if status != 200:
            raise RuntimeError(f"healthz {status}")

    def file(conn, number: int) -> None:
        status, body = _request(
            conn, "POST", "/open311/v2/requests.json", bodies[number], headers=headers
        )
        if status != 200 or not json.loads(body)[0]["service_request_id"].startswith("HT-"):
            raise RuntimeError(f"POST requests.json {status} {body[:160]!r}")

    clients = OPEN311_CLIENTS
    log(f"  /healthz with {clients} clients (up to 400 requests each, 10 s)")
    run_clients(healthz, clients, 20, 5, server)  # warm the workers
    trivial = run_clients(healthz, clients, 400, 10, server)
    log(f"    {trivial.per_second:.0f} requests/s, {trivial.errors} errors")
    log(f"  Open311 POST requests.json with {clients} clients (up to 50 each, 30 s)")
    run_clients(file, clients, 2, 10, server)  # warm the workers on this path
    load = run_clients(file, clients, 50, 30, server)
    log(f"    {load.per_second:.1f} field reports/s, {load.errors} errors {load.error_sample}")
    note = (
        f"{load.per_second:.1f} field reports/s ({load.done} in {load.seconds:.1f} s, "
        f"{load.errors} errors) vs {trivial.per_second:.0f} /healthz/s; {clients} clients, "
        "gunicorn 3 workers; each = 1 request"
    )
    if load.error_sample:
        note += f"; first error: {load.error_sample[:80]}"
    return [
        row(
            f"Open311: file a field report (POST requests.json), {clients} clients",
            1 / load.per_second if load.per_second else float("inf"),
            "GET /healthz, same clients",
            1 / trivial.per_second,
            note,
        )
    ]
