"""The feedback cast, set up through the real services, and a clock helper.

Agency A is the People's Committee of xã Tân Biên (UBX25486, where local field reports in the
commune go) with its economic unit KT; agency B is Sở Tư pháp (STP, where questions on civil
status go, and where A forwards what is not its own). The outsider is B's reception officer.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from egov.agencies import services as staff_services
from egov.agencies.models import Agency, Role, Unit
from egov.feedback import services
from egov.feedback.models import Category, Item
from egov.identity import services as identity
from egov.identity.models import User
from egov.places.models import AdminUnit

PASSWORD = "Tay-Ninh-2025-an-toan"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNE = "25486"  # xã Tân Biên
INSIDE = ("11.552300", "105.995100")  # near the centre of Tân Biên
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def local(*args) -> datetime:
    return datetime(*args, tzinfo=ZONE)


@contextmanager
def at(moment: datetime):
    with mock.patch.object(services, "now", return_value=moment):
        yield


@dataclass
class Cast:
    agency: Agency
    unit: Unit
    other_agency: Agency
    commune: AdminUnit
    reception: User
    specialist: User
    unit_leader: User
    agency_leader: User
    auditor: User
    administrator: User
    outsider: User
    other_specialist: User
    other_leader: User
    citizen: User
    other_citizen: User

    def person(self, name: str) -> User:
        return getattr(self, name)


@pytest.fixture
def cast(db, settings) -> Cast:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    agency, other = Agency.objects.get(code=f"UBX{COMMUNE}"), Agency.objects.get(code="STP")
    unit = agency.units.get(code="KT")
    root = User.objects.create_superuser("root", PASSWORD, full_name="Quản trị nền tảng")

    def staff(actor, where, username, name, role, unit=None):
        return staff_services.create_staff_account(
            actor, where, username, name, PASSWORD, role, unit=unit
        )

    admin_a = staff(root, agency, "qt.tb", "Nguyễn Văn Quản", Role.ADMINISTRATOR)
    admin_b = staff(root, other, "qt.stp", "Trần Thị Bình", Role.ADMINISTRATOR)
    return Cast(
        agency=agency,
        unit=unit,
        other_agency=other,
        commune=AdminUnit.objects.get(code=COMMUNE, valid_to__isnull=True),
        reception=staff(admin_a, agency, "tn.tb", "Lê Thị Tiếp", Role.RECEPTION_OFFICER),
        specialist=staff(admin_a, agency, "cv.tb", "Phạm Văn Chuyên", Role.SPECIALIST, unit),
        unit_leader=staff(admin_a, agency, "tp.tb", "Võ Thị Trưởng", Role.UNIT_LEADER, unit),
        agency_leader=staff(admin_a, agency, "ct.tb", "Đặng Văn Giám", Role.AGENCY_LEADER),
        auditor=staff(admin_a, agency, "tt.tb", "Huỳnh Thị Tra", Role.AUDITOR),
        administrator=admin_a,
        outsider=staff(admin_b, other, "tn.stp", "Mai Văn Ngoài", Role.RECEPTION_OFFICER),
        other_specialist=staff(admin_b, other, "cv.stp", "Lý Văn Sở", Role.SPECIALIST),
        other_leader=staff(admin_b, other, "gd.stp", "Tô Thị Giám", Role.AGENCY_LEADER),
        citizen=identity.register_citizen(
            full_name="Nguyễn Thị Ánh",
            password=PASSWORD,
            citizen_id="079203001234",
            phone="0912345678",
        ),
        other_citizen=identity.register_citizen(
            full_name="Trần Văn Bảo",
            password=PASSWORD,
            citizen_id="072090009999",
            phone="0987654321",
        ),
    )


def category(code: str) -> Category:
    return Category.objects.get(code=code)


CITIZEN = object()  # the default author: the cast's citizen (pass author=None for anonymous)


def field_report(cast: Cast, author=CITIZEN, moment=None, **overrides) -> Item:
    """A pothole report in Tân Biên (local: it goes to UBX25486)."""
    values = {
        "kind": Item.Kind.FIELD_REPORT,
        "category": category("hu-hong-duong"),
        "title": "Ổ gà lớn trước chợ Tân Biên",
        "text": "Ổ gà sâu khoảng 20 cm trên đường 30/4 trước cổng chợ, xe máy dễ té ngã.",
        "commune": cast.commune,
        "latitude": INSIDE[0],
        "longitude": INSIDE[1],
        "may_publish": True,
        "attributes": {"muc_do": "nghiem_trong"},
    }
    values.update(overrides)
    with at(moment or local(2026, 3, 2, 8, 0)):
        return services.submit(cast.citizen if author is CITIZEN else author, **values)


def question(cast: Cast, author=CITIZEN, moment=None, **overrides) -> Item:
    """A question on civil status (goes to STP)."""
    values = {
        "kind": Item.Kind.QUESTION,
        "category": category("hoi-dap-ho-tich"),
        "title": "Đăng ký khai sinh cho con ở đâu?",
        "text": "Tôi là Trần Văn Bảo, con tôi sinh ở Thành phố Hồ Chí Minh, tôi có được đăng ký "
        "khai sinh tại xã Tân Biên không?",
        "may_publish": True,
    }
    values.update(overrides)
    with at(moment or local(2026, 3, 2, 8, 0)):
        return services.submit(cast.citizen if author is CITIZEN else author, **values)


def answered(cast: Cast, item: Item | None = None, moment=None) -> Item:
    """A field report accepted, assigned, drafted and approved in agency A."""
    item = item or field_report(cast)
    with at(moment or local(2026, 3, 3, 9, 0)):
        item = services.accept(cast.reception, item)
        item = services.assign(cast.reception, item, cast.specialist)
        item = services.save_draft(cast.specialist, item, "Đã vá ổ gà ngày 03/3/2026.")
        item = services.submit_for_approval(cast.specialist, item)
        return services.approve(cast.unit_leader, item)
