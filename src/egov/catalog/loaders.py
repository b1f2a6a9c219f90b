"""Load the procedure catalog from ``catalog/data/procedures.json`` (idempotent).

1. Read the file and check every record against the schema, naming each bad record by its code
   (or index) and the reason. Any failure stops the load before anything is written.
2. In one transaction, compare each record with what the database holds and write only what
   changed, so a second run writes nothing and is fast.

``"@commune"`` in ``agencies`` means every commune People's Committee of the configured province.
"""

import datetime
import json
import re
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils.text import slugify

from egov.agencies.models import Agency
from egov.catalog.eforms import validate_eform_schema
from egov.catalog.models import DocumentComponent, Fee, LegalBasis, Procedure, Sector
from egov.catalog.services import commune_peoples_committees
from egov.core.progress import Progress, Summary
from egov.core.text import fold

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "procedures.json"
COMMUNE = "@commune"
RECORD_KEYS = {
    "code",
    "name",
    "sector",
    "level",
    "agencies",
    "processing_time",
    "fees",
    "components",
    "result",
    "legal_basis",
    "online_level",
    "applicants",
    "unconfirmed",
    "eform",
}
REQUIRED_KEYS = {"code", "name", "sector", "level", "agencies", "processing_time", "online_level"}
APPLICANTS = {"citizen", "organisation"}
_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-_]{0,31}")
_CUTOFF = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class LoadError(Exception):
    """The file cannot be loaded; ``failures`` names each bad record and why."""

    def __init__(self, failures: list[str]) -> None:
        super().__init__("; ".join(failures))
        self.failures = failures


# ---------------------------------------------------------------------------------------------
# Checking the file


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_text(value: Any, *, blank: bool = True) -> bool:
    return isinstance(value, str) and (blank or bool(value.strip()))


def _list_of_dicts(record: dict, key: str) -> list[dict]:
    value = record.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError(f"{key} must be a list of objects")
    return value


def _check_time(time: Any) -> None:
    if not isinstance(time, dict):
        raise ValueError("processing_time must be an object")
    unknown = set(time) - {"amount", "unit", "cutoff", "note"}
    if unknown:
        raise ValueError(f"processing_time has unknown keys {sorted(unknown)}")
    if time.get("unit") not in Procedure.TimeUnit.values:
        raise ValueError(f"processing_time.unit {time.get('unit')!r} is not one of the units")
    if not _is_int(time.get("amount", 0)):
        raise ValueError("processing_time.amount must be a whole number ≥ 0")
    cutoff = time.get("cutoff")
    if time["unit"] == Procedure.TimeUnit.SAME_DAY and not cutoff:
        raise ValueError("processing_time.cutoff (HH:MM) is required for same_day")
    if cutoff is not None and not (isinstance(cutoff, str) and _CUTOFF.fullmatch(cutoff)):
        raise ValueError(f"processing_time.cutoff {cutoff!r} is not HH:MM")
    if not _is_text(time.get("note", "")):
        raise ValueError("processing_time.note must be text")


def _check_children(record: dict) -> None:
    for fee in _list_of_dicts(record, "fees"):
        if set(fee) - {"name", "amount_vnd", "note", "unconfirmed"}:
            raise ValueError(f"a fee has unknown keys {sorted(set(fee) - {'name'})}")
        if not _is_text(fee.get("name"), blank=False) or not _is_int(fee.get("amount_vnd")):
            raise ValueError("each fee needs a name and a whole amount_vnd ≥ 0")
        if not isinstance(fee.get("unconfirmed", False), bool):
            raise ValueError("fee.unconfirmed must be true or false")
    for part in _list_of_dicts(record, "components"):
        unknown = set(part) - {
            "name",
            "originals",
            "copies",
            "form",
            "mandatory",
            "template",
            "note",
        }
        if unknown:
            raise ValueError(f"a component has unknown keys {sorted(unknown)}")
        if not _is_text(part.get("name"), blank=False):
            raise ValueError("each component needs a name")
        if part.get("form") not in DocumentComponent.Form.values:
            raise ValueError(f"component form {part.get('form')!r} is not one of the forms")
        if not (_is_int(part.get("originals", 0)) and _is_int(part.get("copies", 0))):
            raise ValueError("component originals/copies must be whole numbers ≥ 0")
        if not isinstance(part.get("mandatory", True), bool):
            raise ValueError("component mandatory must be true or false")
    for basis in _list_of_dicts(record, "legal_basis"):
        if not _is_text(basis.get("title"), blank=False):
            raise ValueError("each legal_basis needs a title")


def check_record(record: Any) -> None:
    """Raise ValueError (in English, for operators) if ``record`` breaks the file's schema."""
    if not isinstance(record, dict):
        raise ValueError("not an object")
    missing = REQUIRED_KEYS - set(record)
    if missing:
        raise ValueError(f"missing {sorted(missing)}")
    unknown = set(record) - RECORD_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    if not isinstance(record["code"], str) or not _CODE.fullmatch(record["code"]):
        raise ValueError(f"code {record['code']!r} is not a procedure code")
    for key in ("name", "sector"):
        if not _is_text(record[key], blank=False):
            raise ValueError(f"{key} must be non-empty text")
    if record["level"] not in Procedure.Level.values:
        raise ValueError(f"level {record['level']!r} is not province or commune")
    if record["online_level"] not in Procedure.OnlineLevel.values:
        raise ValueError(f"online_level {record['online_level']!r} is not full/partial/none")
    agencies = record["agencies"]
    if not isinstance(agencies, list) or not agencies or not all(_is_text(a) for a in agencies):
        raise ValueError("agencies must be a non-empty list of agency codes")
    _check_time(record["processing_time"])
    _check_children(record)
    if not _is_text(record.get("result", "")):
        raise ValueError("result must be text")
    applicants = record.get("applicants", [])
    if not isinstance(applicants, list) or not set(applicants) <= APPLICANTS:
        raise ValueError(f"applicants must be a list of {sorted(APPLICANTS)}")
    unconfirmed = record.get("unconfirmed", [])
    if not isinstance(unconfirmed, list) or not all(_is_text(u) for u in unconfirmed):
        raise ValueError("unconfirmed must be a list of field names")
    problems = validate_eform_schema(record.get("eform", {}))
    if problems:
        raise ValueError("eform: " + " ".join(problems))


def read_records(path: Path) -> list[dict]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LoadError([f"{path}: {exc}"]) from exc
    if not isinstance(document, dict) or not isinstance(document.get("procedures"), list):
        raise LoadError([f"{path}: expected an object with a 'procedures' list"])
    return document["procedures"]


def check_records(records: list, agency_ids: dict[str, int], commune_ids: list[int]) -> None:
    """Check every record and the agencies it names; raise LoadError listing all failures."""
    failures: list[str] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        label = f"#{index}"
        if isinstance(record, dict) and isinstance(record.get("code"), str):
            label = f"{record['code']} (#{index})"
        try:
            check_record(record)
            if record["code"] in seen:
                raise ValueError("code appears twice in the file")
            seen.add(record["code"])
            unknown = [a for a in record["agencies"] if a != COMMUNE and a not in agency_ids]
            if unknown:
                raise ValueError(f"unknown agency codes {unknown} (load the agencies first)")
            if COMMUNE in record["agencies"] and not commune_ids:
                raise ValueError(
                    "@commune names no commune People's Committee (load the agencies first)"
                )
        except ValueError as exc:
            failures.append(f"{label}: {exc}")
    if failures:
        raise LoadError(failures)


# ---------------------------------------------------------------------------------------------
# Writing


def _procedure_fields(record: dict, sector: Sector) -> dict[str, Any]:
    time = record["processing_time"]
    cutoff = time.get("cutoff")
    return {
        "name": record["name"],
        "sector_id": sector.pk,
        "level": record["level"],
        "processing_time_amount": time.get("amount", 0),
        "processing_time_unit": time["unit"],
        "same_day_cutoff": datetime.time.fromisoformat(cutoff) if cutoff else None,
        "processing_time_note": time.get("note", ""),
        "result": record.get("result", ""),
        "online_level": record["online_level"],
        "applicant_types": record.get("applicants", []),
        "unconfirmed_fields": record.get("unconfirmed", []),
        "eform": record.get("eform", {}),
        "is_active": True,
    }


def _children(record: dict) -> dict[str, list[tuple]]:
    """The record's fees, components and legal bases as comparable tuples."""
    return {
        "fees": [
            (f["name"], f["amount_vnd"], f.get("note", ""), f.get("unconfirmed", False))
            for f in record.get("fees", [])
        ],
        "components": [
            (
                order,
                c["name"],
                c.get("originals", 0),
                c.get("copies", 0),
                c["form"],
                c.get("mandatory", True),
                c.get("template", ""),
                c.get("note", ""),
            )
            for order, c in enumerate(record.get("components", []), start=1)
        ],
        "legal_bases": [(b["title"], b.get("articles", "")) for b in record.get("legal_basis", [])],
    }


def _stored_children(procedure: Procedure) -> dict[str, list[tuple]]:
    return {
        "fees": [(f.name, f.amount_vnd, f.note, f.unconfirmed) for f in procedure.fees.all()],
        "components": [
            (
                c.order,
                c.name,
                c.originals,
                c.copies,
                c.form,
                c.mandatory,
                c.template_name,
                c.note,
            )
            for c in procedure.components.all()
        ],
        "legal_bases": [(b.title, b.articles) for b in procedure.legal_bases.all()],
    }


def _replace_children(procedure: Procedure, wanted: dict[str, list[tuple]]) -> None:
    # Keep a template file uploaded through the admin when its component is reloaded.
    files = {c.name: c.template for c in procedure.components.all() if c.template}
    procedure.fees.all().delete()
    procedure.components.all().delete()
    procedure.legal_bases.all().delete()
    Fee.objects.bulk_create(
        Fee(procedure=procedure, name=n, amount_vnd=a, note=note, unconfirmed=u)
        for n, a, note, u in wanted["fees"]
    )
    DocumentComponent.objects.bulk_create(
        DocumentComponent(
            procedure=procedure,
            order=order,
            name=name,
            originals=originals,
            copies=copies,
            form=form,
            mandatory=mandatory,
            template_name=template,
            template=files.get(name, ""),
            note=note,
        )
        for order, name, originals, copies, form, mandatory, template, note in wanted["components"]
    )
    LegalBasis.objects.bulk_create(
        LegalBasis(procedure=procedure, title=title, articles=articles)
        for title, articles in wanted["legal_bases"]
    )


def _sectors(names: set[str]) -> dict[str, Sector]:
    sectors = {s.name: s for s in Sector.objects.filter(name__in=names)}
    for name in sorted(names - set(sectors)):
        code = slugify(fold(name)) or "linh-vuc"
        base, n = code, 2
        while Sector.objects.filter(code=code).exists():
            code, n = f"{base}-{n}", n + 1
        sectors[name] = Sector.objects.create(name=name, code=code)
    return sectors


def load_procedures(path: Path | str = DEFAULT_FILE, out: TextIO | None = None) -> Summary:
    """Load (or bring up to date) the procedures in ``path``; return what was done.

    Raises LoadError, before writing anything, when any record is bad.
    """
    summary = Summary("procedures")
    records = read_records(Path(path))
    agency_ids = dict(Agency.objects.values_list("code", "pk"))
    commune_ids = list(commune_peoples_committees().values_list("pk", flat=True))
    check_records(records, agency_ids, commune_ids)

    existing = {
        p.code: p
        for p in Procedure.objects.filter(code__in=[r["code"] for r in records]).prefetch_related(
            "fees", "components", "legal_bases", "agencies"
        )
    }
    progress = Progress("procedures", len(records), out=out, every=100)
    with transaction.atomic():
        sectors = _sectors({r["sector"] for r in records})
        for record in records:
            outcome = _load_one(
                record, existing.get(record["code"]), sectors, agency_ids, commune_ids
            )
            setattr(summary, outcome, getattr(summary, outcome) + 1)
            progress.step()
    return summary


def _load_one(
    record: dict,
    procedure: Procedure | None,
    sectors: dict[str, Sector],
    agency_ids: dict[str, int],
    commune_ids: list[int],
) -> str:
    fields = _procedure_fields(record, sectors[record["sector"]])
    wanted_agencies = {agency_ids[a] for a in record["agencies"] if a != COMMUNE}
    if COMMUNE in record["agencies"]:
        wanted_agencies |= set(commune_ids)
    wanted_children = _children(record)
    if procedure is None:
        procedure = Procedure(code=record["code"], **fields)
        procedure.save()
        procedure.agencies.set(wanted_agencies)
        _replace_children(procedure, wanted_children)
        return "created"
    changed = False
    if any(getattr(procedure, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(procedure, key, value)
        procedure.save()
        changed = True
    if {a.pk for a in procedure.agencies.all()} != wanted_agencies:
        procedure.agencies.set(wanted_agencies)
        changed = True
    if _stored_children(procedure) != wanted_children:
        _replace_children(procedure, wanted_children)
        changed = True
    return "updated" if changed else "unchanged"
