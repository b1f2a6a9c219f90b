"""Loading the configured province's agencies: the provincial ones from a data file, and a
People's Committee and a public-service centre for every commune, generated from places.

Idempotent: stored agencies and units are matched by code and only differences are written, in
bulk. Nothing is deleted (agency codes open dossier codes, so an agency is closed, never removed).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.agencies.models import Agency, Unit
from egov.core.loading import copy_changes
from egov.core.progress import Progress, Summary
from egov.places.models import AdminUnit
from egov.places.services import configured_province_code, current_units, get_unit

DATA_DIR = Path(__file__).resolve().parent / "data"

# The provincial People's Committee: the parent of every commune's People's Committee.
PROVINCE_COMMITTEE_CODE = "UBND"

# Decree 150/2025/NĐ-CP on commune-level specialised bodies: every commune has an Office of the
# People's Council and People's Committee and a Culture–Society division; the economic division
# is "Phòng Kinh tế" in a xã and "Phòng Kinh tế, Hạ tầng và Đô thị" in a phường or đặc khu.
COMMUNE_UNITS_COMMON = [
    ("VP", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"),
    ("VHXH", "Phòng Văn hóa – Xã hội"),
]
COMMUNE_ECONOMIC_UNIT = {
    AdminUnit.Kind.COMMUNE: ("KT", "Phòng Kinh tế"),
    AdminUnit.Kind.WARD: ("KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    AdminUnit.Kind.SPECIAL_ZONE: ("KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
}

# The fields a load owns. Contact details are compared only when the data gives them, so an
# address typed in the admin is not wiped by a data file that does not know it.
OWNED_FIELDS = ("name", "name_folded", "short_name", "level", "kind", "place_id", "parent_id")
CONTACT_FIELDS = ("address", "phone", "email")


class AgencyDataError(Exception):
    """The data file is wrong; nothing was loaded."""


@dataclass
class AgencySpec:
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    place: AdminUnit
    parent_code: str | None
    units: list[tuple[str, str]]
    contacts: dict[str, str] = field(default_factory=dict)


def data_file_for(province: AdminUnit) -> Path:
    """``data/<province codename>.json``, e.g. ``data/tay_ninh.json`` for code 80."""
    return DATA_DIR / f"{province.codename or province.code}.json"


def commune_specs(province: AdminUnit, committee_code: str | None) -> list[AgencySpec]:
    """The People's Committee and the public-service centre of each current commune.

    Decree 118/2025/NĐ-CP: each commune's one-stop shop is its Trung tâm phục vụ hành chính
    công, under the commune's People's Committee.
    """
    specs = []
    for commune in current_units().filter(parent=province).order_by("code"):
        word = commune.get_kind_display()  # "xã", "phường", "đặc khu"
        committee = f"UBX{commune.code}"
        economic = COMMUNE_ECONOMIC_UNIT.get(commune.kind, COMMUNE_ECONOMIC_UNIT["xa"])
        specs.append(
            AgencySpec(
                code=committee,
                name=f"Ủy ban nhân dân {word} {commune.name}",
                short_name=f"UBND {word} {commune.name}",
                level=Agency.Level.COMMUNE,
                kind=Agency.Kind.PEOPLES_COMMITTEE,
                place=commune,
                parent_code=committee_code,
                units=[*COMMUNE_UNITS_COMMON, economic],
            )
        )
        specs.append(
            AgencySpec(
                code=f"TTX{commune.code}",
                name=f"Trung tâm phục vụ hành chính công {word} {commune.name}",
                short_name=f"TTPVHCC {word} {commune.name}",
                level=Agency.Level.COMMUNE,
                kind=Agency.Kind.SERVICE_CENTRE,
                place=commune,
                parent_code=committee,
                units=[],
            )
        )
    return specs


def province_specs(province: AdminUnit, path: Path) -> list[AgencySpec]:
    """The provincial agencies of a data file (see ``data/tay_ninh.json`` for the format)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AgencyDataError(f"{path}: {exc}") from exc
    if str(data.get("province_code")) != province.code:
        raise AgencyDataError(
            _("%(path)s: tệp dành cho tỉnh mã %(found)s, không phải %(code)s")
            % {"path": path.name, "found": data.get("province_code"), "code": province.code}
        )
    specs = []
    for index, item in enumerate(data.get("agencies", []), start=1):
        specs.append(_province_spec(item, province, f"{path.name}, cơ quan thứ {index}"))
    return specs


def _province_spec(item: dict[str, Any], province: AdminUnit, where: str) -> AgencySpec:
    missing = [key for key in ("code", "name", "kind") if not item.get(key)]
    if missing:
        raise AgencyDataError(_("%(where)s: thiếu %(keys)s") % {"where": where, "keys": missing})
    if item["kind"] not in Agency.Kind.values:
        raise AgencyDataError(
            _("%(where)s: loại cơ quan không hợp lệ “%(kind)s”")
            % {"where": where, "kind": item["kind"]}
        )
    return AgencySpec(
        code=item["code"],
        name=item["name"],
        short_name=item.get("short_name", ""),
        level=Agency.Level.PROVINCE,
        kind=item["kind"],
        place=province,
        parent_code=item.get("parent"),
        units=[(unit["code"], unit["name"]) for unit in item.get("units", [])],
        contacts={key: item[key] for key in CONTACT_FIELDS if item.get(key)},
    )


def load_agencies(
    province_code: str | None = None, out: TextIO | None = None
) -> tuple[Summary, Summary]:
    """Create or update the agencies and their units of the configured province; return a
    summary for each."""
    summary = Summary("load_agencies")
    province = get_unit(province_code or configured_province_code())
    path = data_file_for(province)
    specs = province_specs(province, path) if path.exists() else []
    if not path.exists():
        summary.fail(path.name, _("không có tệp dữ liệu cơ quan cấp tỉnh; chỉ nạp cấp xã"))
    has_committee = any(s.code == PROVINCE_COMMITTEE_CODE for s in specs) or (
        Agency.objects.filter(code=PROVINCE_COMMITTEE_CODE, place=province).exists()
    )
    specs += commune_specs(province, PROVINCE_COMMITTEE_CODE if has_committee else None)
    _check(specs)
    progress = Progress("cơ quan", len(specs), out=out, every=1000)
    with transaction.atomic():
        agencies = _upsert_agencies(specs, summary)
        progress.step(len(specs))
        units_summary = _upsert_units(specs, agencies)
        summary.updated += _close_agencies_of_ended_communes()
    return summary, units_summary


def _close_agencies_of_ended_communes() -> int:
    """Deactivate generated commune agencies whose commune has ended (merged or renamed).

    They are kept, not deleted: their codes open the dossier codes they issued.
    """
    ended = Agency.objects.filter(
        level=Agency.Level.COMMUNE,
        is_active=True,
        place__valid_to__isnull=False,
        place__valid_to__lte=timezone.localdate(),
    ).filter(Q(code__startswith="UBX") | Q(code__startswith="TTX"))
    return ended.update(is_active=False)


def _check(specs: list[AgencySpec]) -> None:
    codes = [spec.code for spec in specs]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise AgencyDataError(_("mã cơ quan trùng: %(codes)s") % {"codes": ", ".join(duplicates)})
    known = set(codes) | set(
        Agency.objects.filter(code__in={s.parent_code for s in specs if s.parent_code}).values_list(
            "code", flat=True
        )
    )
    for spec in specs:
        if spec.parent_code and spec.parent_code not in known:
            raise AgencyDataError(
                _("%(code)s: không có cơ quan cấp trên mã %(parent)s")
                % {"code": spec.code, "parent": spec.parent_code}
            )
        unit_codes = [code for code, _name in spec.units]
        if len(unit_codes) != len(set(unit_codes)):
            raise AgencyDataError(_("%(code)s: mã phòng trùng") % {"code": spec.code})


def _depth(spec: AgencySpec, by_code: dict[str, AgencySpec]) -> int:
    depth, parent = 0, spec.parent_code
    while parent in by_code and depth < 10:
        depth, parent = depth + 1, by_code[parent].parent_code
    return depth


def _upsert_agencies(specs: list[AgencySpec], summary: Summary) -> dict[str, Agency]:
    """Write agencies level by level, parents first, so each batch can point at its parents."""
    by_code = {spec.code: spec for spec in specs}
    stored = {a.code: a for a in Agency.objects.filter(code__in=by_code)}
    parent_codes = {s.parent_code for s in specs if s.parent_code} - set(by_code)
    stored.update({a.code: a for a in Agency.objects.filter(code__in=parent_codes)})
    depths: dict[int, list[AgencySpec]] = {}
    for spec in specs:
        depths.setdefault(_depth(spec, by_code), []).append(spec)
    for depth in sorted(depths):
        to_create, to_update = [], []
        for spec in depths[depth]:
            wanted = Agency(
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                level=spec.level,
                kind=spec.kind,
                place=spec.place,
                parent=stored[spec.parent_code] if spec.parent_code else None,
                **spec.contacts,
            )
            wanted.name_folded = wanted.folded_key()
            agency = stored.get(spec.code)
            if agency is None:
                to_create.append(wanted)
                continue
            if copy_changes(agency, wanted, [*OWNED_FIELDS, *spec.contacts]):
                to_update.append(agency)
            else:
                summary.unchanged += 1
        Agency.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Agency.objects.bulk_update(to_update, [*OWNED_FIELDS, *CONTACT_FIELDS], batch_size=500)
        summary.created += len(to_create)
        summary.updated += len(to_update)
        if to_create:  # bulk_create sets pks on PostgreSQL and SQLite, but re-read to be sure
            stored.update(
                {a.code: a for a in Agency.objects.filter(code__in=[a.code for a in to_create])}
            )
    return stored


def _upsert_units(specs: list[AgencySpec], agencies: dict[str, Agency]) -> Summary:
    summary = Summary("load_agencies (phòng)")
    agency_ids = [agencies[spec.code].pk for spec in specs]
    stored = {(u.agency_id, u.code): u for u in Unit.objects.filter(agency_id__in=agency_ids)}
    to_create, to_update = [], []
    for spec in specs:
        agency_id = agencies[spec.code].pk
        for code, name in spec.units:
            unit = stored.get((agency_id, code))
            if unit is None:
                to_create.append(Unit(agency_id=agency_id, code=code, name=name))
            elif unit.name != name:
                unit.name = name
                to_update.append(unit)
            else:
                summary.unchanged += 1
    Unit.objects.bulk_create(to_create, batch_size=1000)
    Unit.objects.bulk_update(to_update, ["name"], batch_size=1000)
    summary.created, summary.updated = len(to_create), len(to_update)
    return summary
