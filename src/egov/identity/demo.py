"""Demo accounts for the demo profile: applicants, one official per role of Sở Tư pháp (STP), a
commune's reception officer, specialist and leader, a leader of the provincial People's
Committee's Office (whole-province reports) and a platform superuser, all flagged
``is_demo`` so the production profile can refuse to start while any remain."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from egov.identity.models import User
from egov.identity.services import tax_code_check_digit

DEMO_AGENCY = "STP"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    kind: str
    full_name: str
    description: str
    role: str = ""  # agencies.models.Role value for officials
    with_unit: bool = False
    commune: bool = False  # an official of the province's first commune
    agency: str = DEMO_AGENCY  # the agency code of the role, when not the commune's
    extra: tuple[tuple[str, str], ...] = ()


def _demo_tax_code() -> str:
    # Tây Ninh's tax department prefix 39; the check digit computed, not invented.
    first_nine = "390000001"
    return first_nine + str(tax_code_check_digit(first_nine))


DEMO_ACCOUNTS = [
    DemoAccount(
        "0900000001",
        User.Kind.CITIZEN,
        "Nguyễn Văn An",
        "Công dân",
        extra=(("phone", "0900000001"), ("citizen_id", "072090001234")),
    ),
    DemoAccount(
        "0900000002",
        User.Kind.CITIZEN,
        "Trần Thị Bình",
        "Công dân thứ hai",
        extra=(("phone", "0900000002"), ("citizen_id", "080195004321")),
    ),
    DemoAccount(
        "0900000003",
        User.Kind.ORGANISATION,
        "Công ty TNHH Thương mại Demo Tây Ninh",
        "Tổ chức, doanh nghiệp",
        extra=(
            ("phone", "0900000003"),
            ("tax_code", _demo_tax_code()),
            ("representative_name", "Lê Văn Cường"),
        ),
    ),
    DemoAccount(
        "stp.tiepnhan", User.Kind.STAFF, "Phạm Thị Dung", "STP — cán bộ tiếp nhận",
        role="reception_officer",
    ),
    DemoAccount(
        "stp.chuyenvien", User.Kind.STAFF, "Hoàng Văn Em", "STP — chuyên viên xử lý (có phòng)",
        role="specialist", with_unit=True,
    ),
    DemoAccount(
        "stp.truongphong", User.Kind.STAFF, "Võ Thị Giang", "STP — lãnh đạo phòng",
        role="unit_leader", with_unit=True,
    ),
    DemoAccount(
        "stp.giamdoc", User.Kind.STAFF, "Đặng Văn Hùng", "STP — lãnh đạo cơ quan",
        role="agency_leader",
    ),
    DemoAccount(
        "stp.quantri", User.Kind.STAFF, "Bùi Thị Lan", "STP — quản trị", role="administrator",
    ),
    DemoAccount(
        "stp.thanhtra", User.Kind.STAFF, "Ngô Văn Minh", "STP — thanh tra, kiểm tra",
        role="auditor",
    ),
    DemoAccount(
        "ubx.tiepnhan", User.Kind.STAFF, "Đỗ Thị Ngọc", "UBND xã — cán bộ tiếp nhận",
        role="reception_officer", commune=True,
    ),
    # The commune's feedback desk needs someone to draft answers and a leader to approve them.
    DemoAccount(
        "ubx.chuyenvien", User.Kind.STAFF, "Lâm Văn Phúc", "UBND xã — công chức chuyên môn",
        role="specialist", commune=True, with_unit=True,
    ),
    DemoAccount(
        "ubx.chutich", User.Kind.STAFF, "Trương Thị Quyên", "UBND xã — chủ tịch (lãnh đạo)",
        role="agency_leader", commune=True,
    ),
    # The Office of the provincial People's Committee reads the whole province's reports.
    DemoAccount(
        "vpubnd.lanhdao", User.Kind.STAFF, "Phan Minh Khoa",
        "VP UBND tỉnh — lãnh đạo (báo cáo toàn tỉnh)", role="agency_leader", agency="VPUBND",
    ),
    DemoAccount("quantri", User.Kind.STAFF, "Quản trị nền tảng", "Quản trị nền tảng (superuser)"),
]  # fmt: skip


def demo_password() -> str:
    return settings.EGOV_DEMO_PASSWORD or "egov-demo-2025"


def _province_first_commune():
    from egov.places.models import AdminUnit

    province = AdminUnit.objects.filter(
        code=str(settings.EGOV_PROVINCE_CODE), level=AdminUnit.Level.PROVINCE, valid_to__isnull=True
    ).first()
    if province is None:
        return None
    return (
        AdminUnit.objects.filter(
            parent=province, level=AdminUnit.Level.COMMUNE, valid_to__isnull=True
        )
        .order_by("code")
        .first()
    )


def _commune_agency():
    """The people's committee of the province's first commune: code ``UBX<commune code>``, or
    any commune-level agency seated in that commune if the agencies app names it otherwise."""
    from egov.agencies.models import Agency

    commune = _province_first_commune()
    if commune is None:
        return None
    agency = Agency.objects.filter(code=f"UBX{commune.code}").first()
    return agency or Agency.objects.filter(place=commune, level=Agency.Level.COMMUNE).first()


@dataclass
class DemoResult:
    rows: list[tuple[str, str, str]]  # username, what it is, note
    skipped: list[str]


@transaction.atomic
def create_demo_accounts() -> DemoResult:
    """Create or refresh the demo accounts (idempotent: run it again, get the same accounts)."""
    from egov.agencies.models import Agency, StaffRole

    password = demo_password()
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in={a.agency for a in DEMO_ACCOUNTS})
    }
    commune_agency = _commune_agency()
    rows: list[tuple[str, str, str]] = []
    skipped: list[str] = []
    for spec in DEMO_ACCOUNTS:
        agency = commune_agency if spec.commune else agencies.get(spec.agency)
        if spec.role and agency is None:
            where = "the first commune's agency (UBX…)" if spec.commune else f"agency {spec.agency}"
            skipped.append(f"{spec.username}: {where} is not loaded (run egov load_agencies)")
            continue
        superuser = spec.kind == User.Kind.STAFF and not spec.role
        user, _created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "kind": spec.kind,
                "full_name": spec.full_name,
                "is_demo": True,
                "is_active": True,
                "is_superuser": superuser,
                "is_staff": superuser or spec.role == "administrator",
                **dict(spec.extra),
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        note = ""
        if spec.role:
            # A specialist works in a unit, as the dossier workflow's unit leaders expect.
            unit = agency.units.order_by("code").first() if spec.with_unit else None
            if spec.with_unit and unit is None:
                note = f"no unit in {agency.code}: role held at agency level"
            StaffRole.objects.get_or_create(user=user, agency=agency, unit=unit, role=spec.role)
            note = note or (agency.code + (f" / {unit.name}" if unit else ""))
        rows.append((spec.username, spec.description, note))
    return DemoResult(rows=rows, skipped=skipped)


def remove_demo_accounts() -> int:
    """Delete every demo account (their staff roles and tokens go with them); return how many."""
    _total, by_model = User.objects.filter(is_demo=True).delete()
    return by_model.get(User._meta.label, 0)
