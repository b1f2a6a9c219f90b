"""Importing a legacy one-stop system's dossiers (``egov import dossiers FILE``).

The format, column by column, and every rule below are written out in ``docs/import.md``.

1. **Read** the CSV (UTF-8 with or without BOM, comma or semicolon, English or Vietnamese headers)
   or JSON (a list of objects, or ``{"dossiers": [...]}``) into raw rows, each named by its place
   in the file: ``dòng N`` (the CSV line the record starts on) or ``phần tử [i]`` (JSON index).
2. **Check** every row and collect every problem of every row (never only the first): unknown
   procedure or agency, bad dates, times out of order, an outcome the times contradict, a legacy
   id twice in the file, a row already imported with other content (a conflict).
3. **Store**, only if no row is bad, in one transaction: a :class:`Dossier` per row, its
   :class:`LegacyDossier` (source and legacy id, unique together) and its history as
   :class:`DossierEvent` rows marked ``imported``, in batches (``bulk_create``). A row already
   imported with the same content is skipped, so importing a file twice adds nothing.

The stored rows are what the live actions would have left behind for the same story (status,
channel, acceptance, due, resolution and return moments, ``sort_due``, the current step of a
pending dossier, the stopped clock of a supplement), so the inbox, the deadline states and the
reports treat them as live ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.agencies.models import Agency
from egov.calendar import services as calendar
from egov.catalog.models import Procedure
from egov.core.progress import Progress
from egov.core.text import fold
from egov.dossiers import deadlines
from egov.dossiers.actions import search_key
from egov.dossiers.models import (
    DailySequence,
    Dossier,
    DossierEvent,
    LegacyDossier,
    ProcessStep,
    Status,
)
from egov.dossiers.process import process_for

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 1000  # rows per bulk insert: a few thousand SQL parameters, well under every limit

COLUMNS = (
    "legacy_id",
    "source",
    "procedure",
    "agency",
    "channel",
    "applicant_name",
    "applicant_phone",
    "applicant_email",
    "applicant_id_number",
    "applicant_address",
    "received_at",
    "due_at",
    "resolved_at",
    "returned_at",
    "closed_at",
    "outcome",
    "supplement_periods",
    "note",
)
REQUIRED = ("legacy_id", "procedure", "agency", "channel", "applicant_name", "received_at")
REQUIRED += ("due_at", "outcome")

# Vietnamese headers as old systems export them, compared folded (no diacritics, lower case).
HEADER_ALIASES = {
    "ma ho so": "legacy_id",
    "so ho so": "legacy_id",
    "he thong": "source",
    "he thong nguon": "source",
    "ma thu tuc": "procedure",
    "ma co quan": "agency",
    "kenh nop": "channel",
    "hinh thuc nop": "channel",
    "nguoi nop": "applicant_name",
    "ho ten nguoi nop": "applicant_name",
    "ten nguoi nop": "applicant_name",
    "dien thoai": "applicant_phone",
    "so dien thoai": "applicant_phone",
    "email": "applicant_email",
    "thu dien tu": "applicant_email",
    "so dinh danh": "applicant_id_number",
    "so cccd": "applicant_id_number",
    "cccd": "applicant_id_number",
    "dia chi": "applicant_address",
    "ngay tiep nhan": "received_at",
    "ngay nhan": "received_at",
    "ngay hen tra": "due_at",
    "hen tra": "due_at",
    "ngay co ket qua": "resolved_at",
    "ngay giai quyet": "resolved_at",
    "ngay tra ket qua": "returned_at",
    "ngay ket thuc": "closed_at",
    "ket qua": "outcome",
    "tinh trang": "outcome",
    "thoi gian bo sung": "supplement_periods",
    "ghi chu": "note",
}

CHANNELS = {
    "online": Dossier.Channel.ONLINE,
    "truc tuyen": Dossier.Channel.ONLINE,
    "direct": Dossier.Channel.COUNTER,
    "counter": Dossier.Channel.COUNTER,
    "truc tiep": Dossier.Channel.COUNTER,
    "post": Dossier.Channel.POST,
    "buu chinh": Dossier.Channel.POST,
    "qua buu chinh": Dossier.Channel.POST,
}
OUTCOMES = {
    "resolved": "resolved",
    "da giai quyet": "resolved",
    "co ket qua": "resolved",
    "refused": "refused",
    "tu choi": "refused",
    "withdrawn": "withdrawn",
    "rut ho so": "withdrawn",
    "da rut": "withdrawn",
    "stopped": "stopped",
    "dung xu ly": "stopped",
    "pending": "pending",
    "dang giai quyet": "pending",
    "dang xu ly": "pending",
}

# The national portal's full code (mã TTHC trên Cổng DVC quốc gia): the catalog code followed by
# the implementing level's suffix, e.g. 1.001193.000.00.00.H56 for 1.001193.
_FULL_NATIONAL_CODE = re.compile(r"(\d\.\d{6})\.\d{3}\.\d{2}\.\d{2}\.H\d{2}", re.IGNORECASE)
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?")
_HAS_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_CODE_CHARS = re.compile(r"[A-Z0-9][A-Z0-9./_-]*")
_OWN_CODE = re.compile(r"(?P<agency>[A-Z0-9]+)-(?P<day>\d{6})-(?P<number>\d{4,})")
_PHONE = re.compile(r"\+?[0-9 .]{6,15}")
_PERIOD_SEPARATOR = "|"
_PERIOD_RANGE = "~"


# --- the result ---------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    read: int = 0
    valid: int = 0
    stored: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        """The summary: its counts add up to what happened (a conflict is a row in error)."""
        if self.errors:
            if not self.read:  # the file itself could not be read: the errors say why
                return [_("Không lưu hồ sơ nào.")]
            return [
                _("Đã đọc %(read)d hồ sơ: %(valid)d hợp lệ, %(bad)d có lỗi.")
                % {"read": self.read, "valid": self.valid, "bad": self.read - self.valid},
                _("Không lưu hồ sơ nào vì tệp có lỗi."),
            ]
        counts = {"read": self.read, "new": self.valid - self.skipped, "skipped": self.skipped}
        if self.dry_run:
            return [
                _(
                    "Đã đọc %(read)d hồ sơ, đều hợp lệ: %(new)d sẽ được lưu, %(skipped)d bỏ qua "
                    "vì đã nhập trước đó."
                )
                % counts,
                _("Chạy thử: không lưu gì; chạy lại không có --dry-run để nhập."),
            ]
        lines = [
            _("Đã đọc %(read)d hồ sơ: %(stored)d đã lưu, %(skipped)d bỏ qua vì đã nhập trước đó.")
            % {**counts, "stored": self.stored}
        ]
        if self.read and not self.stored:
            lines.append(_("Mọi hồ sơ trong tệp đã được nhập trước đó; không thêm gì."))
        return lines


class UnreadableFile(Exception):
    """The file cannot be read at all (encoding, JSON syntax, header); nothing is stored."""


@dataclass
class LegacyRow:
    """One checked row, ready to store."""

    where: str
    source: str
    legacy_id: str
    procedure: Procedure
    agency: Agency
    channel: str
    applicant_name: str
    applicant_phone: str
    applicant_email: str
    applicant_id_number: str
    applicant_address: str
    received_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    outcome: str
    supplements: list[tuple[datetime, datetime | None]]
    note: str
    fingerprint: str = ""


# --- reading ------------------------------------------------------------------------------------


def _canonical_column(name: str) -> str | None:
    key = fold(name)
    if key.replace(" ", "_") in COLUMNS:
        return key.replace(" ", "_")
    return HEADER_ALIASES.get(key)


def read_csv(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Rows of a CSV export; the delimiter (comma or semicolon) is read off the header line."""
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise UnreadableFile(_("dòng 1: tệp rỗng, cần dòng tiêu đề cột."))
    columns: list[str] = []
    problems = []
    for name in header:
        column = _canonical_column(name)
        if column is None:
            problems.append(_("cột không xác định “%(name)s”") % {"name": name.strip()})
        elif column in columns:
            problems.append(_("cột “%(name)s” xuất hiện hai lần") % {"name": name.strip()})
        columns.append(column or "")
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        problems.append(_("thiếu cột %(names)s") % {"names": ", ".join(missing)})
    if problems:
        raise UnreadableFile(_("dòng 1: %(reason)s.") % {"reason": "; ".join(problems)})
    rows = []
    last_line = reader.line_num
    for cells in reader:
        start, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        where = _("dòng %(line)d") % {"line": start}
        if len(cells) != len(columns):
            row: dict[str, Any] = {
                "__fatal__": _("có %(cells)d ô, tiêu đề có %(columns)d cột")
                % {"cells": len(cells), "columns": len(columns)}
            }
        else:
            row = {column: cell.strip() for column, cell in zip(columns, cells, strict=True)}
        rows.append((where, row))
    return rows


def read_json(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Rows of a JSON export: a list of objects, or an object whose ``dossiers`` is that list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            _("tệp JSON không hợp lệ (dòng %(line)d, cột %(col)d): %(msg)s")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from None
    if isinstance(data, dict):
        data = data.get("dossiers")
    if not isinstance(data, list):
        raise UnreadableFile(_('tệp JSON phải là một danh sách hồ sơ hoặc {"dossiers": [...]}.'))
    rows = []
    for index, item in enumerate(data):
        where = _("phần tử [%(index)d]") % {"index": index}
        if not isinstance(item, dict):
            rows.append((where, {"__fatal__": _("mỗi hồ sơ phải là một đối tượng JSON")}))
            continue
        row: dict[str, Any] = {}
        unknown = []
        for key, value in item.items():
            column = _canonical_column(str(key))
            if column is None:
                unknown.append(str(key))
            else:
                row[column] = value
        if unknown:
            row["__error__"] = _("trường không xác định: %(names)s") % {"names": ", ".join(unknown)}
        rows.append((where, row))
    return rows


def read_file(path: Path | str, fmt: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The raw rows of ``path``: ``fmt`` ``csv`` or ``json``, else guessed from the extension."""
    path = Path(path)
    fmt = fmt or ("json" if path.suffix.lower() == ".json" else "csv")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UnreadableFile(_("Không tìm thấy tệp %(path)s.") % {"path": path}) from None
    except IsADirectoryError:
        raise UnreadableFile(_("%(path)s là thư mục, không phải tệp.") % {"path": path}) from None
    except PermissionError:
        raise UnreadableFile(_("Không có quyền đọc tệp %(path)s.") % {"path": path}) from None
    except OSError as exc:
        raise UnreadableFile(
            _("không đọc được tệp: %(reason)s") % {"reason": exc.strerror}
        ) from None
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _("tệp không phải UTF-8 (byte thứ %(pos)d); hãy xuất lại tệp dạng UTF-8.")
            % {"pos": exc.start}
        ) from None
    return read_json(text) if fmt == "json" else read_csv(text)


# --- checking -----------------------------------------------------------------------------------


def parse_moment(value: str) -> datetime:
    """An aware datetime from ISO 8601 (with or without offset) or ``dd/mm/yyyy hh:mm[:ss]``;
    a moment without offset is Asia/Ho_Chi_Minh time. Raises ``ValueError`` with the reason."""
    text = value.strip()
    match = _DMY.fullmatch(text)
    try:
        if match:
            day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
            moment = datetime(year, month, day, hour, minute, second)
        elif _HAS_TIME.match(text):
            moment = datetime.fromisoformat(text)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(
            _("“%(value)s” không phải ngày giờ (cần YYYY-MM-DD HH:MM hoặc dd/mm/yyyy hh:mm)")
            % {"value": text}
        ) from None
    return moment.replace(tzinfo=ZONE) if moment.tzinfo is None else moment


class _Checker:
    """Checks rows against the catalog, the agencies and each other; collects every problem."""

    def __init__(self, default_source: str, now: datetime) -> None:
        self.default_source = default_source.strip()
        self.now = now
        self.procedures = {p.code.upper(): p for p in Procedure.objects.all()}
        self.agencies = {a.code.upper(): a for a in Agency.objects.all()}
        self.handles: set[tuple[int, int]] = set(
            Procedure.agencies.through.objects.values_list("procedure_id", "agency_id")
        )

    def procedure(self, code: str) -> Procedure | None:
        code = code.strip().upper()
        found = self.procedures.get(code)
        if found is None and (match := _FULL_NATIONAL_CODE.fullmatch(code)):
            found = self.procedures.get(match.group(1))
        return found

    def check(self, where: str, raw: dict[str, Any]) -> tuple[LegacyRow | None, list[str]]:
        if "__fatal__" in raw:  # not a row at all: nothing else to say about it
            return None, [f"{where}: {raw['__fatal__']}"]
        problems: list[str] = []
        if "__error__" in raw:
            problems.append(raw["__error__"])

        def text(column: str, limit: int, required: bool = False, digits: bool = False) -> str:
            value = raw.get(column)
            if value is None:
                value = ""
            elif isinstance(value, bool) or not isinstance(value, str | int):
                problems.append(_("%(column)s phải là chuỗi") % {"column": column})
                return ""
            elif isinstance(value, int):
                if digits:  # a phone or ID number as a JSON number has lost its leading zero
                    problems.append(
                        _("%(column)s phải là chuỗi (số sẽ mất chữ số 0 ở đầu)")
                        % {"column": column}
                    )
                    return ""
                value = str(value)
            value = " ".join(value.split())
            if required and not value:
                problems.append(_("thiếu %(column)s") % {"column": column})
            elif len(value) > limit:
                problems.append(
                    _("%(column)s dài quá %(limit)d ký tự") % {"column": column, "limit": limit}
                )
            return value

        legacy_id = text("legacy_id", 64, required=True)
        source = text("source", 40) or self.default_source
        if not source:
            problems.append(_("thiếu source (cột source hoặc tùy chọn --source)"))
        elif len(source) > 40:
            problems.append(_("source dài quá 40 ký tự"))
        procedure_code = text("procedure", 40, required=True)
        procedure = self.procedure(procedure_code) if procedure_code else None
        if procedure_code and procedure is None:
            problems.append(
                _("không có thủ tục mã %(code)s trong danh mục") % {"code": procedure_code}
            )
        agency_code = text("agency", 24, required=True)
        agency = self.agencies.get(agency_code.upper()) if agency_code else None
        if agency_code and agency is None:
            problems.append(_("không có cơ quan mã %(code)s") % {"code": agency_code})
        if procedure and agency and (procedure.pk, agency.pk) not in self.handles:
            problems.append(
                _("cơ quan %(agency)s không giải quyết thủ tục %(procedure)s")
                % {"agency": agency.code, "procedure": procedure.code}
            )
        channel_text = text("channel", 40, required=True)
        channel = CHANNELS.get(fold(channel_text)) if channel_text else None
        if channel_text and channel is None:
            problems.append(
                _("kênh nộp “%(value)s” không hợp lệ (online, direct hoặc post)")
                % {"value": channel_text}
            )
        name = text("applicant_name", 150, required=True)
        phone = text("applicant_phone", 15, digits=True)
        if phone and not _PHONE.fullmatch(phone):
            problems.append(_("số điện thoại “%(value)s” không hợp lệ") % {"value": phone})
        email = text("applicant_email", 254)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("thư điện tử “%(value)s” không hợp lệ") % {"value": email})
        id_number = text("applicant_id_number", 14, digits=True)
        address = text("applicant_address", 255)
        note = text("note", 2000)
        outcome_text = text("outcome", 40, required=True)
        outcome = OUTCOMES.get(fold(outcome_text)) if outcome_text else None
        if outcome_text and outcome is None:
            problems.append(
                _(
                    "kết quả “%(value)s” không hợp lệ "
                    "(resolved, refused, withdrawn, stopped, pending)"
                )
                % {"value": outcome_text}
            )

        moments: dict[str, datetime | None] = {}
        for column in ("received_at", "due_at", "resolved_at", "returned_at", "closed_at"):
            value = text(column, 40, required=column in REQUIRED)
            moments[column] = None
            if value:
                try:
                    moments[column] = parse_moment(value)
                except ValueError as exc:
                    problems.append(f"{column}: {exc}")
        received, due = moments["received_at"], moments["due_at"]
        resolved, returned, closed = (
            moments["resolved_at"],
            moments["returned_at"],
            moments["closed_at"],
        )
        problems += self._times(received, due, resolved, returned, closed)
        if outcome:
            problems += _outcome_problems(outcome, resolved, returned, closed)
        supplements, supplement_problems = _supplements(
            raw.get("supplement_periods"), received, resolved or closed, outcome, self.now
        )
        problems += supplement_problems
        if problems:
            return None, [f"{where}: {p}" for p in problems]
        row = LegacyRow(
            where=where,
            source=source,
            legacy_id=legacy_id,
            procedure=procedure,
            agency=agency,
            channel=channel,
            applicant_name=name,
            applicant_phone=phone,
            applicant_email=email,
            applicant_id_number=id_number,
            applicant_address=address,
            received_at=received,
            due_at=due,
            resolved_at=resolved,
            returned_at=returned,
            closed_at=closed,
            outcome=outcome,
            supplements=supplements,
            note=note,
        )
        row.fingerprint = fingerprint(row)
        return row, []

    def _times(self, received, due, resolved, returned, closed) -> list[str]:
        problems = []
        for column, moment in (
            ("received_at", received),
            ("resolved_at", resolved),
            ("returned_at", returned),
            ("closed_at", closed),
        ):
            if moment is not None and moment > self.now:
                problems.append(_("%(column)s ở tương lai") % {"column": column})
        if received is None:
            return problems
        if due is not None and due < received:
            problems.append(_("hạn trả (due_at) trước ngày tiếp nhận"))
        if resolved is not None and resolved < received:
            problems.append(_("ngày có kết quả (resolved_at) trước ngày tiếp nhận"))
        if closed is not None and closed < received:
            problems.append(_("ngày kết thúc (closed_at) trước ngày tiếp nhận"))
        if returned is not None and returned < (resolved or received):
            problems.append(_("ngày trả kết quả (returned_at) trước ngày có kết quả"))
        return problems


def _outcome_problems(outcome: str, resolved, returned, closed) -> list[str]:
    """The times each outcome needs, and those it cannot have (the story must be one story)."""
    problems = []
    if outcome == "pending":
        if resolved or returned or closed:
            problems.append(
                _(
                    "hồ sơ đang giải quyết (pending) không được có "
                    "resolved_at, returned_at, closed_at"
                )
            )
    elif outcome in ("resolved", "refused"):
        if resolved is None:
            problems.append(
                _("kết quả %(outcome)s cần ngày có kết quả (resolved_at)") % {"outcome": outcome}
            )
        if closed is not None:
            problems.append(
                _("kết quả %(outcome)s không có closed_at (chỉ dùng cho withdrawn, stopped)")
                % {"outcome": outcome}
            )
    else:  # withdrawn, stopped
        if closed is None:
            problems.append(
                _("kết quả %(outcome)s cần ngày kết thúc (closed_at)") % {"outcome": outcome}
            )
        if resolved or returned:
            problems.append(
                _("kết quả %(outcome)s không có resolved_at, returned_at") % {"outcome": outcome}
            )
    return problems


def _period_parts(value: Any) -> list[tuple[Any, Any]]:
    """``"a~b|c~"`` (CSV) or ``[["a", "b"], {"from": "c", "to": null}]`` (JSON) → pairs."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        pairs = []
        for part in value.split(_PERIOD_SEPARATOR):
            start, _sep, end = part.partition(_PERIOD_RANGE)
            if not _sep:
                raise ValueError
            pairs.append((start.strip(), end.strip()))
        return pairs
    if isinstance(value, list):
        pairs = []
        for item in value:
            if isinstance(item, dict) and set(item) <= {"from", "to"}:
                pairs.append((item.get("from"), item.get("to")))
            elif isinstance(item, list) and len(item) == 2:
                pairs.append((item[0], item[1]))
            else:
                raise ValueError
        return pairs
    raise ValueError


def _supplements(
    value: Any, received, end, outcome: str | None, now: datetime
) -> tuple[list[tuple[datetime, datetime | None]], list[str]]:
    """The supplement periods (the clock stopped while the applicant completed the dossier)."""
    try:
        pairs = _period_parts(value)
    except ValueError:
        return [], [_("supplement_periods không hợp lệ (cần “bắt đầu~kết thúc|bắt đầu~kết thúc”)")]
    periods: list[tuple[datetime, datetime | None]] = []
    problems = []
    for number, (start_text, end_text) in enumerate(pairs, 1):
        try:
            if not isinstance(start_text, str) or not start_text.strip():
                raise ValueError(_("thiếu thời điểm bắt đầu"))
            start = parse_moment(start_text)
            stop = parse_moment(end_text) if isinstance(end_text, str) and end_text else None
            if end_text not in (None, "") and not isinstance(end_text, str):
                raise ValueError(_("thời điểm kết thúc phải là chuỗi"))
        except ValueError as exc:
            problems.append(_("lần bổ sung %(n)d: %(reason)s") % {"n": number, "reason": exc})
            continue
        periods.append((start, stop))
    if problems:
        return [], problems
    previous_end = received
    for number, (start, stop) in enumerate(periods, 1):
        reason = None
        if previous_end is not None and start < previous_end:
            reason = _("bắt đầu trước ngày tiếp nhận hoặc trước khi lần bổ sung trước kết thúc")
        elif stop is not None and stop <= start:
            reason = _("kết thúc không sau lúc bắt đầu")
        elif stop is not None and end is not None and stop > end:
            reason = _("kết thúc sau khi hồ sơ đã kết thúc")
        elif stop is None and (number != len(periods) or outcome != "pending"):
            reason = _("chỉ lần bổ sung cuối của hồ sơ đang giải quyết được để trống kết thúc")
        elif (stop or start) > now:
            reason = _("ở tương lai")
        if reason:
            problems.append(_("lần bổ sung %(n)d: %(reason)s") % {"n": number, "reason": reason})
        previous_end = stop or start
    return periods, problems


def fingerprint(row: LegacyRow) -> str:
    """SHA-256 of what the row says, in a canonical form (the same dossier in CSV or in JSON,
    in any accepted date format, gives the same fingerprint)."""

    def moment(value: datetime | None) -> str | None:
        return value.astimezone(ZONE).isoformat() if value else None

    canonical = [
        row.procedure.code,
        row.agency.code,
        row.channel,
        row.applicant_name,
        row.applicant_phone,
        row.applicant_email,
        row.applicant_id_number,
        row.applicant_address,
        *(moment(m) for m in (row.received_at, row.due_at, row.resolved_at, row.returned_at)),
        moment(row.closed_at),
        row.outcome,
        [[moment(a), moment(b)] for a, b in row.supplements],
        row.note,
    ]
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_rows(
    raw_rows: list[tuple[str, dict[str, Any]]], default_source: str, now: datetime
) -> tuple[list[LegacyRow], list[LegacyRow], list[str]]:
    """``(new rows, rows already imported unchanged, errors)`` for the rows of one file."""
    checker = _Checker(default_source, now)
    rows: list[LegacyRow] = []
    errors: list[str] = []
    first_seen: dict[tuple[str, str], str] = {}
    for where, raw in raw_rows:
        row, problems = checker.check(where, raw)
        errors += problems
        # Duplicates are found on the ids as written, so a bad row's twin is reported too.
        key = (
            " ".join(str(raw.get("source") or default_source).split()),
            " ".join(str(raw.get("legacy_id") or "").split()),
        )
        if key[1] and key in first_seen:
            errors.append(
                _("%(where)s: mã hồ sơ %(id)s của %(source)s trùng với %(other)s")
                % {"where": where, "id": key[1], "source": key[0], "other": first_seen[key]}
            )
            continue
        first_seen.setdefault(key, where)
        if row is not None:
            rows.append(row)
    known = _already_imported(rows)
    new, skipped = [], []
    for row in rows:
        stored = known.get((row.source, row.legacy_id))
        if stored is None:
            new.append(row)
        elif stored == row.fingerprint:
            skipped.append(row)
        else:
            errors.append(
                _(
                    "%(where)s: xung đột — hồ sơ %(id)s của %(source)s đã được nhập trước đó với "
                    "nội dung khác; sửa trực tiếp trên hệ thống hoặc bỏ dòng này khỏi tệp"
                )
                % {"where": row.where, "id": row.legacy_id, "source": row.source}
            )
    return new, skipped, errors


def _already_imported(rows: list[LegacyRow]) -> dict[tuple[str, str], str]:
    by_source: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_source[row.source].append(row.legacy_id)
    known: dict[tuple[str, str], str] = {}
    for source, ids in by_source.items():
        for chunk in _chunks(ids):
            for legacy_id, digest in LegacyDossier.objects.filter(
                source=source, legacy_id__in=chunk
            ).values_list("legacy_id", "fingerprint"):
                known[(source, legacy_id)] = digest
    return known


# --- storing ------------------------------------------------------------------------------------


def _codes(rows: list[LegacyRow]) -> list[str]:
    """Each row's dossier code: the legacy id itself when it can be one (upper-case letters,
    digits and ``. / _ -``, at most 48 characters, held by no other dossier), else the next
    ``<agency>-<YYMMDD>-<NNNN>`` of the agency on the local day of receipt.

    A kept code in egov's own pattern raises that agency's daily sequence past its number, so the
    live workflow never issues it again.
    """
    wanted = {
        row.legacy_id
        for row in rows
        if len(row.legacy_id) <= 48 and _CODE_CHARS.fullmatch(row.legacy_id)
    }
    taken: set[str] = set()
    for chunk in _chunks(sorted(wanted)):
        taken.update(Dossier.objects.filter(code__in=chunk).values_list("code", flat=True))
    agencies = {row.agency.code: row.agency for row in rows}
    codes: list[str | None] = []
    floors: dict[tuple[int, Any], int] = {}
    needed: dict[tuple[int, Any], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        code = row.legacy_id
        if code in wanted and code not in taken:
            taken.add(code)
            codes.append(code)
            match = _OWN_CODE.fullmatch(code)
            if match and match["agency"] in agencies:
                try:
                    day = datetime.strptime(match["day"], "%y%m%d").date()
                except ValueError:
                    continue
                key = (agencies[match["agency"]].pk, day)
                floors[key] = max(floors.get(key, 0), int(match["number"]))
        else:
            codes.append(None)
            needed[(row.agency.pk, row.received_at.astimezone(ZONE).date())].append(index)
    firsts = _reserve_numbers(floors, {key: len(ix) for key, ix in needed.items()})
    codes_by_pk = {agency.pk: agency.code for agency in agencies.values()}
    for key, indexes in needed.items():
        number = firsts[key]
        for index in indexes:
            codes[index] = f"{codes_by_pk[key[0]]}-{key[1]:%y%m%d}-{number:04d}"
            number += 1
    return codes  # type: ignore[return-value]


def _reserve_numbers(floors: dict, counts: dict) -> dict:
    """Raise each (agency, day) sequence to its floor, then take ``counts`` numbers from it;
    returns the first number taken per key. The rows are locked, as the live ``next_code``
    serialises on them."""
    keys = set(floors) | set(counts)
    if not keys:
        return {}
    agency_ids = {agency for agency, _day in keys}
    days = sorted({day for _agency, day in keys})
    existing = {
        (s.agency_id, s.day): s
        for s in DailySequence.objects.select_for_update().filter(
            agency_id__in=agency_ids, day__gte=days[0], day__lte=days[-1]
        )
        if (s.agency_id, s.day) in keys
    }
    missing = [DailySequence(agency_id=a, day=d, last_number=0) for a, d in keys - set(existing)]
    DailySequence.objects.bulk_create(missing, batch_size=BATCH)
    existing.update({(s.agency_id, s.day): s for s in missing})
    firsts = {}
    for key, sequence in existing.items():
        start = max(sequence.last_number, floors.get(key, 0))
        firsts[key] = start + 1
        sequence.last_number = start + counts.get(key, 0)
    DailySequence.objects.bulk_update(list(existing.values()), ["last_number"], batch_size=BATCH)
    return firsts


class _Steps:
    """The step a pending imported dossier waits at: the first after reception, as on acceptance."""

    def __init__(self) -> None:
        self._by_procedure: dict[int, ProcessStep] = {}

    def for_procedure(self, procedure: Procedure) -> ProcessStep:
        if procedure.pk not in self._by_procedure:
            steps = list(process_for(procedure).steps.order_by("order"))
            self._by_procedure[procedure.pk] = steps[1] if len(steps) > 1 else steps[0]
        return self._by_procedure[procedure.pk]


def _status(row: LegacyRow) -> str:
    if row.outcome == "pending":
        open_supplement = row.supplements and row.supplements[-1][1] is None
        return Status.SUPPLEMENT if open_supplement else Status.RECEIVED
    if row.outcome == "resolved":
        return Status.RETURNED if row.returned_at else Status.RESOLVED
    return {"refused": Status.REFUSED, "withdrawn": Status.WITHDRAWN, "stopped": Status.STOPPED}[
        row.outcome
    ]


def _dossier(row: LegacyRow, code: str, steps: _Steps) -> Dossier:
    status = _status(row)
    closed_supplements = [(a, b) for a, b in row.supplements if b is not None]
    stopped_seconds = sum(
        int(calendar.working_time_between(a, b).total_seconds()) for a, b in closed_supplements
    )
    dossier = Dossier(
        code=code,
        procedure=row.procedure,
        agency=row.agency,
        current_agency=row.agency,
        applicant_name=row.applicant_name,
        applicant_phone=row.applicant_phone,
        applicant_email=row.applicant_email,
        applicant_id_number=row.applicant_id_number,
        applicant_address=row.applicant_address,
        channel=row.channel,
        status=status,
        submitted_at=row.received_at,
        accepted_at=row.received_at,
        due_at=row.due_at,
        sort_due=row.due_at,
        resolved_at=row.resolved_at,
        returned_at=row.returned_at,
        ended_at=row.resolved_at or row.closed_at,
        stopped_working_seconds=stopped_seconds,
        supplement_round=len(row.supplements),
        outcome_note=row.note,
        search_key=search_key(code, row.applicant_name, row.applicant_id_number),
    )
    if status in (Status.RECEIVED, Status.SUPPLEMENT):
        step = steps.for_procedure(row.procedure)
        dossier.current_step = step
        dossier.step_started_at = row.received_at
        dossier.step_due_at = deadlines.step_due(step, dossier, row.received_at)
    if status == Status.SUPPLEMENT:
        dossier.stopped_at = row.supplements[-1][0]
        dossier.supplement_phase = Dossier.SupplementPhase.HANDLING
    return dossier


def _events(row: LegacyRow, dossier: Dossier) -> list[DossierEvent]:
    """The history the legacy row tells, with the action names the live workflow writes."""
    story: list[tuple[str, datetime, str, str]] = [
        ("accept", row.received_at, Status.RECEIVED, f"{row.source}: {row.legacy_id}")
    ]
    for start, stop in row.supplements:
        story.append(("request_supplement", start, Status.SUPPLEMENT, ""))
        if stop is not None:
            story.append(("answer_supplement", stop, Status.RECEIVED, ""))
    if row.outcome == "resolved":
        story.append(("attach_result", row.resolved_at, Status.RESOLVED, ""))
    elif row.outcome == "refused":
        story.append(("refuse", row.resolved_at, Status.REFUSED, row.note))
    elif row.outcome == "withdrawn":
        story.append(("withdraw", row.closed_at, Status.WITHDRAWN, row.note))
    elif row.outcome == "stopped":
        story.append(("stop", row.closed_at, Status.STOPPED, row.note))
    if row.returned_at is not None:
        story.append(("return_result", row.returned_at, dossier.status, ""))
    events, before = [], Status.SUBMITTED
    for action, at, after, note in story:
        events.append(
            DossierEvent(
                dossier=dossier,
                action=action,
                from_status=before,
                to_status=after,
                note=note,
                at=at,
                imported=True,
            )
        )
        before = after
    return events


def _stored(dossiers: QuerySet[Dossier]) -> None:
    """Everything that must follow newly stored dossiers in the same transaction.

    ``dossiers`` is every dossier this import inserted, as a query (one grouped query counts
    them, however many). The single place for bulk-insert side effects: the dashboard's
    counters add their call here.
    """
    from egov.reports import counters

    counters.add_dossiers(dossiers)


def store(rows: list[LegacyRow], out: TextIO | None = None) -> int:
    """Store checked rows in one transaction (all or nothing), in batches of :data:`BATCH`;
    returns how many. Every row of one import carries the same ``imported_at``, which is how
    :func:`_stored` finds them again."""
    progress = Progress("import dossiers", len(rows), out=out or io.StringIO(), every=BATCH * 10)
    steps = _Steps()
    stored = 0
    imported_at = timezone.now()
    with transaction.atomic():
        codes = _codes(rows)
        for chunk in _chunks(list(zip(rows, codes, strict=True))):
            dossiers = [_dossier(row, code, steps) for row, code in chunk]
            try:
                with transaction.atomic():
                    Dossier.objects.bulk_create(dossiers)
            except IntegrityError:
                raise UnreadableFile(
                    _("một mã hồ sơ vừa được cấp trùng với hồ sơ khác; hãy chạy lại lệnh nhập.")
                ) from None
            LegacyDossier.objects.bulk_create(
                LegacyDossier(
                    dossier=dossier,
                    source=row.source,
                    legacy_id=row.legacy_id,
                    fingerprint=row.fingerprint,
                    imported_at=imported_at,
                )
                for dossier, (row, _code) in zip(dossiers, chunk, strict=True)
            )
            DossierEvent.objects.bulk_create(
                [
                    event
                    for dossier, (row, _code) in zip(dossiers, chunk, strict=True)
                    for event in _events(row, dossier)
                ],
                batch_size=BATCH * 2,
            )
            stored += len(dossiers)
            progress.step(len(chunk))
        _stored(Dossier.objects.filter(legacy__imported_at=imported_at))
    return stored


def import_file(
    path: Path | str,
    *,
    fmt: str | None = None,
    source: str = "",
    dry_run: bool = False,
    out: TextIO | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Read, check and (unless ``dry_run`` or any row is bad) store the dossiers of ``path``."""
    report = ImportReport(dry_run=dry_run)
    try:
        raw_rows = read_file(path, fmt)
    except UnreadableFile as exc:
        report.errors.append(str(exc))
        return report
    report.read = len(raw_rows)
    new, skipped, errors = check_rows(raw_rows, source, now or timezone.now())
    report.valid, report.skipped, report.errors = len(new) + len(skipped), len(skipped), errors
    if errors or dry_run or not new:
        return report
    try:
        report.stored = store(new, out=out)
    except UnreadableFile as exc:
        report.errors.append(str(exc))
    return report
