"""The dossiers' cast, set up through the real services, and helpers to drive the clock.

Agency A is Sở Tư pháp (STP) with its unit HCTP; the outsider is Sở Y tế's reception officer.
The procedure is the seeded criminal-record certificate (TMP-LLTP-CD, handled by STP), with two
mandatory components.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from egov.agencies import services as staff_services
from egov.agencies.models import Agency, Role, Unit
from egov.catalog.models import Procedure
from egov.dossiers import actions
from egov.identity import services as identity
from egov.identity.models import User

PASSWORD = "Tay-Ninh-2025-an-toan"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURE = "TMP-LLTP-CD"
FORM = {
    "record_type": "so_1",
    "copies": 1,
    "purpose": "Bổ sung hồ sơ xin việc",
    "residence_history": "2010-2025: xã Hòa Hội, Tây Ninh",
    "father_full_name": "Nguyễn Văn Cha",
    "mother_full_name": "Trần Thị Mẹ",
    "delivery": "dien_tu",
    "contact_phone": "0912345678",
}
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def local(*args) -> datetime:
    return datetime(*args, tzinfo=ZONE)


@contextmanager
def at(moment: datetime):
    with mock.patch.object(actions, "now", return_value=moment):
        yield


@dataclass
class Cast:
    agency: Agency
    unit: Unit
    other_agency: Agency
    procedure: Procedure
    reception: User
    specialist: User
    unit_leader: User
    agency_leader: User
    auditor: User
    administrator: User
    outsider: User
    citizen: User
    other_citizen: User

    def person(self, name: str) -> User:
        return getattr(self, name)


@pytest.fixture
def cast(db, settings) -> Cast:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    agency, other = Agency.objects.get(code="STP"), Agency.objects.get(code="SYT")
    unit = agency.units.get(code="HCTP")
    root = User.objects.create_superuser("root", PASSWORD, full_name="Quản trị nền tảng")

    def staff(actor, where, username, name, role, unit=None):
        return staff_services.create_staff_account(
            actor, where, username, name, PASSWORD, role, unit=unit
        )

    admin_a = staff(root, agency, "qt.stp", "Nguyễn Văn Quản", Role.ADMINISTRATOR)
    admin_b = staff(root, other, "qt.syt", "Trần Thị Bình", Role.ADMINISTRATOR)
    return Cast(
        agency=agency,
        unit=unit,
        other_agency=other,
        procedure=Procedure.objects.get(code=PROCEDURE),
        reception=staff(admin_a, agency, "tn.stp", "Lê Thị Tiếp", Role.RECEPTION_OFFICER),
        specialist=staff(admin_a, agency, "cv.stp", "Phạm Văn Chuyên", Role.SPECIALIST, unit),
        unit_leader=staff(admin_a, agency, "tp.stp", "Võ Thị Trưởng", Role.UNIT_LEADER, unit),
        agency_leader=staff(admin_a, agency, "gd.stp", "Đặng Văn Giám", Role.AGENCY_LEADER),
        auditor=staff(admin_a, agency, "tt.stp", "Huỳnh Thị Tra", Role.AUDITOR),
        administrator=admin_a,
        outsider=staff(admin_b, other, "tn.syt", "Mai Văn Ngoài", Role.RECEPTION_OFFICER),
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


def submitted(cast: Cast, moment: datetime | None = None):
    """A dossier the citizen drafted, completed with both mandatory files and submitted."""
    with at(moment or local(2026, 3, 2, 8, 0)):
        dossier, _ = actions.create_draft(cast.citizen, cast.procedure, form_data=FORM)
        for component in cast.procedure.components.filter(mandatory=True):
            actions.add_file(
                cast.citizen, dossier, "Tờ khai lý lịch.pdf", PDF, component_id=component.pk
            )
        return actions.do_submit(cast.citizen, dossier)


def accepted(cast: Cast, moment: datetime | None = None):
    moment = moment or local(2026, 3, 2, 8, 0)
    dossier = submitted(cast, moment)
    with at(moment):
        return actions.do_accept(cast.reception, dossier)


def in_handling(cast: Cast, moment: datetime | None = None):
    moment = moment or local(2026, 3, 2, 8, 0)
    dossier = accepted(cast, moment)
    with at(moment):
        return actions.do_assign(cast.reception, dossier, cast.specialist)
