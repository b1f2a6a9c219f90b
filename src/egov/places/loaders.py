"""Loading administrative units: today's two-level list from ``vietnam-provinces``, and legacy
units and old→new successions from operator CSV files.

Every loader is idempotent: it compares what is stored with what the source says and writes only
the differences, in bulk, so a second run reads two tables and changes nothing.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

import vietnam_provinces
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from egov.core.loading import copy_changes
from egov.core.progress import Progress, Summary
from egov.core.text import fold
from egov.places.models import KIND_PREFIXES, AdminUnit, UnitSuccession

# Resolution 202/2025/QH15 (the 34 provinces) and the Standing Committee's resolutions on the
# communes took effect on 1 July 2025, when district-level government ended (Law on the
# Organisation of Local Government 2025).
REFORM_DATE = date(2025, 7, 1)

# vietnam-provinces' division types → our kinds.
PACKAGE_KINDS: dict[str, str] = {
    "tỉnh": AdminUnit.Kind.PROVINCE,
    "thành phố trung ương": AdminUnit.Kind.CENTRAL_CITY,
    "xã": AdminUnit.Kind.COMMUNE,
    "phường": AdminUnit.Kind.WARD,
    "đặc khu": AdminUnit.Kind.SPECIAL_ZONE,
}

# The fields a load compares; a stored unit differing in any of them is updated.
COMPARED_FIELDS = ("name", "name_folded", "codename", "kind", "level", "parent_id", "valid_to")

LEGACY_COLUMNS = ("code", "name", "kind", "level", "parent_code", "valid_from", "valid_to")
SUCCESSION_COLUMNS = ("old_code", "old_valid_from", "new_code", "effective_on", "source")


class LoadError(Exception):
    """A file was rejected; ``errors`` names each bad line and why. Nothing was loaded."""

    def __init__(self, errors: list[str]) -> None:
        # Report in file order, whichever check found the problem.
        self.errors = sorted(errors, key=_line_of)
        super().__init__("\n".join(self.errors))


def _line_of(error: str) -> int:
    number = error.split(":", 1)[0].rsplit(" ", 1)[-1]
    return int(number) if number.isdigit() else 0


def province_code(code: int | str) -> str:
    """A province code as stored: two digits ("01", "80")."""
    return str(int(code)).zfill(2)


def commune_code(code: int | str) -> str:
    """A commune code as stored: five digits ("25459")."""
    return str(int(code)).zfill(5)


def proper_name(full_name: str, kind: str) -> str:
    """Drop the kind word the package sometimes puts first ("Thành phố Hà Nội" → "Hà Nội")."""
    full_name = unicodedata.normalize("NFC", full_name.strip())  # one stored form
    prefix = KIND_PREFIXES[kind] + " "
    return full_name[len(prefix) :] if full_name.startswith(prefix) else full_name


@dataclass(frozen=True)
class UnitRow:
    """One unit as a source describes it, before it is matched with the database."""

    code: str
    name: str
    kind: str
    level: int
    parent_key: tuple[str, date] | None  # (code, valid_from) of the parent
    valid_from: date
    valid_to: date | None = None
    codename: str = ""


# --- today's units ------------------------------------------------------------------------------


def package_rows() -> tuple[list[UnitRow], list[UnitRow]]:
    """Provinces and communes of the package, as rows valid from the 2025 reform."""
    provinces = []
    for province in vietnam_provinces.Province.iter_all():
        kind = PACKAGE_KINDS[province.division_type.value]
        provinces.append(
            UnitRow(
                code=province_code(province.code.value),
                name=proper_name(province.name, kind),
                kind=kind,
                level=AdminUnit.Level.PROVINCE,
                parent_key=None,
                valid_from=REFORM_DATE,
                codename=province.codename,
            )
        )
    communes = []
    for ward in vietnam_provinces.Ward.iter_all():
        kind = PACKAGE_KINDS[ward.division_type.value]
        communes.append(
            UnitRow(
                code=commune_code(ward.code.value),
                name=proper_name(ward.name, kind),
                kind=kind,
                level=AdminUnit.Level.COMMUNE,
                parent_key=(province_code(ward.province_code.value), REFORM_DATE),
                valid_from=REFORM_DATE,
                codename=ward.codename,
            )
        )
    return provinces, communes


def load_current_units(out: TextIO | None = None) -> Summary:
    """Create or update the 34 provinces and 3,321 communes in force since 1 July 2025."""
    summary = Summary("load_places")
    provinces, communes = package_rows()
    progress = Progress("đơn vị hành chính", len(provinces) + len(communes), out=out, every=1000)
    with transaction.atomic():
        for batch in (provinces, communes):
            _upsert_units(batch, summary)
            progress.step(len(batch))
    return summary


def _upsert_units(rows: list[UnitRow], summary: Summary) -> None:
    """Write one batch of rows whose parents are already stored (one level of the tree)."""
    keys = {(row.code, row.valid_from) for row in rows}
    stored = {
        (unit.code, unit.valid_from): unit
        for unit in AdminUnit.objects.filter(
            code__in={code for code, _day in keys}, valid_from__in={day for _c, day in keys}
        )
    }
    parent_ids = _parent_ids({row.parent_key for row in rows if row.parent_key})
    to_create, to_update = [], []
    for row in rows:
        wanted = AdminUnit(
            code=row.code,
            name=row.name,
            codename=row.codename,
            kind=row.kind,
            level=row.level,
            parent_id=parent_ids[row.parent_key] if row.parent_key else None,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )
        wanted.name_folded = wanted.folded_key()
        unit = stored.get((row.code, row.valid_from))
        if unit is None:
            to_create.append(wanted)
            continue
        if copy_changes(unit, wanted, COMPARED_FIELDS):
            to_update.append(unit)
        else:
            summary.unchanged += 1
    AdminUnit.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        AdminUnit.objects.bulk_update(to_update, COMPARED_FIELDS, batch_size=1000)
    summary.created += len(to_create)
    summary.updated += len(to_update)


def _parent_ids(keys: set[tuple[str, date]]) -> dict[tuple[str, date], int]:
    if not keys:
        return {}
    found = AdminUnit.objects.filter(
        code__in={code for code, _day in keys}, valid_from__in={day for _c, day in keys}
    ).values_list("code", "valid_from", "id")
    return {(code, day): pk for code, day, pk in found if (code, day) in keys}


# --- legacy units from CSV ----------------------------------------------------------------------


def _read_csv(source: Path | str | TextIO, columns: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
    """Yield (line number, row) pairs; the header must name exactly ``columns``."""
    if isinstance(source, str | Path):
        text = Path(source).read_text(encoding="utf-8-sig")
        handle: TextIO = io.StringIO(text)
    else:
        handle = source
    reader = csv.DictReader(handle)
    header = tuple(name.strip() for name in (reader.fieldnames or ()))
    if header != columns:
        raise LoadError([_("dòng 1: tiêu đề cột phải là %(want)s") % {"want": ",".join(columns)}])
    for row in reader:
        cleaned = {key.strip(): (value or "").strip() for key, value in row.items() if key}
        if None in row:  # more cells than columns
            cleaned["__extra__"] = "1"
        yield reader.line_num, cleaned


def _parse_date(value: str, column: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("cột %(column)s: ngày không hợp lệ “%(value)s” (cần dạng YYYY-MM-DD)")
            % {"column": column, "value": value}
        ) from None


def _parse_kind(value: str) -> str:
    """Accept the stored value ("huyen") or the Vietnamese word ("huyện"), in any form."""
    wanted = fold(value).replace(" ", "_")
    for kind in AdminUnit.Kind:
        if wanted in {kind.value, fold(str(kind.label)).replace(" ", "_")}:
            return kind.value
    raise ValueError(_("cột kind: loại đơn vị không hợp lệ “%(value)s”") % {"value": value})


def _parse_legacy_row(row: dict) -> UnitRow:
    if "__extra__" in row:
        raise ValueError(_("thừa cột"))
    if not row["code"].isdigit():
        raise ValueError(_("cột code: mã phải là chữ số"))
    if not row["name"]:
        raise ValueError(_("cột name: thiếu tên"))
    kind = _parse_kind(row["kind"])
    try:
        level = AdminUnit.Level(int(row["level"]))
    except ValueError:
        raise ValueError(_("cột level: cấp phải là 1, 2 hoặc 3")) from None
    valid_from = _parse_date(row["valid_from"], "valid_from")
    if not row["valid_to"]:
        raise ValueError(_("cột valid_to: đơn vị cũ phải có ngày hết hiệu lực"))
    valid_to = _parse_date(row["valid_to"], "valid_to")
    if valid_to <= valid_from:
        raise ValueError(_("valid_to phải sau valid_from"))
    if level == AdminUnit.Level.PROVINCE and row["parent_code"]:
        raise ValueError(_("cột parent_code: đơn vị cấp tỉnh không thuộc đơn vị nào"))
    if level != AdminUnit.Level.PROVINCE and not row["parent_code"]:
        raise ValueError(_("cột parent_code: thiếu mã đơn vị cấp trên"))
    return UnitRow(
        code=row["code"],
        name=proper_name(row["name"], kind),
        kind=kind,
        level=level,
        # Resolved to (code, valid_from) below, once every unit of the file is known.
        parent_key=(row["parent_code"], valid_from) if row["parent_code"] else None,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def load_legacy_units(source: Path | str | TextIO, out: TextIO | None = None) -> Summary:
    """Load pre-reform units (province, district, commune) from a CSV with ``LEGACY_COLUMNS``.

    A parent is the unit with ``parent_code`` (in the file or already stored) that was in force
    on the child's ``valid_from``. Any bad line rejects the whole file (:class:`LoadError`).
    """
    summary = Summary("load_places --legacy")
    rows: list[tuple[int, UnitRow]] = []
    errors: list[str] = []
    for line, raw in _read_csv(source, LEGACY_COLUMNS):
        try:
            rows.append((line, _parse_legacy_row(raw)))
        except ValueError as exc:
            errors.append(_("dòng %(line)d: %(reason)s") % {"line": line, "reason": exc})
    seen: dict[tuple[str, date], int] = {}
    for line, row in rows:
        key = (row.code, row.valid_from)
        if key in seen:
            errors.append(
                _("dòng %(line)d: trùng mã %(code)s và ngày hiệu lực với dòng %(other)d")
                % {"line": line, "code": row.code, "other": seen[key]}
            )
        seen[key] = line
    resolved, parent_errors = _resolve_parents(rows)
    errors.extend(parent_errors)
    if errors:
        raise LoadError(errors)
    progress = Progress("đơn vị hành chính cũ", len(resolved), out=out)
    with transaction.atomic():
        for level in AdminUnit.Level:  # parents before children
            batch = [row for row in resolved if row.level == level]
            if batch:
                _upsert_units(batch, summary)
                progress.step(len(batch))
    return summary


def _resolve_parents(rows: list[tuple[int, UnitRow]]) -> tuple[list[UnitRow], list[str]]:
    """Turn each row's parent code into the (code, valid_from) of the parent in force then."""
    in_file = [row for _line, row in rows]
    codes = {row.parent_key[0] for row in in_file if row.parent_key}
    stored = list(
        AdminUnit.objects.filter(code__in=codes).values_list(
            "code", "level", "valid_from", "valid_to"
        )
    )
    candidates = [(r.code, r.level, r.valid_from, r.valid_to) for r in in_file] + stored
    resolved, errors = [], []
    for line, row in rows:
        if row.parent_key is None:
            resolved.append(row)
            continue
        code, day = row.parent_key
        matches = [
            (c, start)
            for c, level, start, end in candidates
            if c == code and level < row.level and start <= day and (end is None or day < end)
        ]
        if not matches:
            errors.append(
                _("dòng %(line)d: không có đơn vị cấp trên mã %(code)s còn hiệu lực ngày %(day)s")
                % {"line": line, "code": code, "day": day.isoformat()}
            )
            continue
        resolved.append(
            UnitRow(**{**row.__dict__, "parent_key": matches[0]})  # type: ignore[arg-type]
        )
    return resolved, errors


# --- successions from CSV -----------------------------------------------------------------------


def load_successions(source: Path | str | TextIO, out: TextIO | None = None) -> Summary:
    """Load old→new mappings from a CSV with ``SUCCESSION_COLUMNS``.

    The old unit is the one with ``old_code`` that started on ``old_valid_from``; the new unit is
    the one with ``new_code`` in force on ``effective_on``. Any bad line rejects the whole file.
    """
    summary = Summary("load_places --succession")
    parsed: list[tuple[int, str, date, str, date, str]] = []
    errors: list[str] = []
    for line, row in _read_csv(source, SUCCESSION_COLUMNS):
        try:
            if "__extra__" in row:
                raise ValueError(_("thừa cột"))
            if not row["old_code"] or not row["new_code"]:
                raise ValueError(_("thiếu old_code hoặc new_code"))
            old_from = _parse_date(row["old_valid_from"], "old_valid_from")
            effective = _parse_date(row["effective_on"], "effective_on")
            parsed.append(
                (line, row["old_code"], old_from, row["new_code"], effective, row["source"])
            )
        except ValueError as exc:
            errors.append(_("dòng %(line)d: %(reason)s") % {"line": line, "reason": exc})
    units = _units_by_code({p[1] for p in parsed} | {p[3] for p in parsed})
    wanted: dict[tuple[int, int], tuple[date, str]] = {}
    for line, old_code, old_from, new_code, effective, source_text in parsed:
        old = next((u for u in units.get(old_code, []) if u.valid_from == old_from), None)
        new = next((u for u in units.get(new_code, []) if u.is_valid_on(effective)), None)
        if old is None:
            errors.append(
                _("dòng %(line)d: không có đơn vị cũ mã %(code)s hiệu lực từ %(day)s")
                % {"line": line, "code": old_code, "day": old_from.isoformat()}
            )
        elif new is None:
            errors.append(
                _("dòng %(line)d: không có đơn vị mới mã %(code)s còn hiệu lực ngày %(day)s")
                % {"line": line, "code": new_code, "day": effective.isoformat()}
            )
        elif old.pk == new.pk:
            errors.append(_("dòng %(line)d: đơn vị cũ và mới là một") % {"line": line})
        else:
            wanted[(old.pk, new.pk)] = (effective, source_text)
    if errors:
        raise LoadError(errors)
    with transaction.atomic():
        _upsert_successions(wanted, summary)
    Progress("sắp xếp đơn vị hành chính", len(wanted), out=out).step(len(wanted))
    return summary


def _units_by_code(codes: Iterable[str]) -> dict[str, list[AdminUnit]]:
    units: dict[str, list[AdminUnit]] = {}
    for unit in AdminUnit.objects.filter(code__in=set(codes)):
        units.setdefault(unit.code, []).append(unit)
    return units


def _upsert_successions(wanted: dict[tuple[int, int], tuple[date, str]], summary: Summary) -> None:
    old_ids = {old for old, _new in wanted}
    stored = {
        (s.old_unit_id, s.new_unit_id): s
        for s in UnitSuccession.objects.filter(Q(old_unit_id__in=old_ids))
    }
    to_create, to_update = [], []
    for (old_id, new_id), (effective, source_text) in wanted.items():
        current = stored.get((old_id, new_id))
        if current is None:
            to_create.append(
                UnitSuccession(
                    old_unit_id=old_id,
                    new_unit_id=new_id,
                    effective_on=effective,
                    source=source_text,
                )
            )
        elif (current.effective_on, current.source) != (effective, source_text):
            current.effective_on, current.source = effective, source_text
            to_update.append(current)
        else:
            summary.unchanged += 1
    UnitSuccession.objects.bulk_create(to_create)
    UnitSuccession.objects.bulk_update(to_update, ["effective_on", "source"])
    summary.created += len(to_create)
    summary.updated += len(to_update)
