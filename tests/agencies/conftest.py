"""A small named cast around two agencies, set up through the real staff services.

Agency A is Sở Tư pháp (STP), with its unit Phòng Hành chính tư pháp (HCTP); agency B is Sở Y tế
(SYT). The platform administrator appoints each agency's administrator; A's administrator then
creates A's staff.
"""

from dataclasses import dataclass

import pytest

from egov.agencies import services
from egov.agencies.models import Agency, Role, Unit
from egov.identity.models import User

PASSWORD = "Tay-Ninh-2025-an-toan"


@dataclass
class Cast:
    a: Agency
    a_unit: Unit
    a_other_unit: Unit
    b: Agency
    platform_admin: User
    reception: User
    specialist: User
    unit_leader: User
    agency_leader: User
    administrator: User
    auditor: User
    admin_b: User
    citizen: User

    def person(self, name: str) -> User:
        return getattr(self, name)


@pytest.fixture
def cast(db, settings) -> Cast:
    # Fast hashing for the many accounts a test creates; production uses Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    a, b = Agency.objects.get(code="STP"), Agency.objects.get(code="SYT")
    a_unit, a_other = a.units.get(code="HCTP"), a.units.get(code="BTTP")
    root = User.objects.create_superuser("root", PASSWORD, full_name="Quản trị nền tảng")

    def staff(actor, agency, username, full_name, role, unit=None):
        return services.create_staff_account(
            actor, agency, username, full_name, PASSWORD, role, unit=unit
        )

    administrator = staff(root, a, "qt.stp", "Nguyễn Văn Quản", Role.ADMINISTRATOR)
    admin_b = staff(root, b, "qt.syt", "Trần Thị Bình", Role.ADMINISTRATOR)
    return Cast(
        a=a,
        a_unit=a_unit,
        a_other_unit=a_other,
        b=b,
        platform_admin=root,
        reception=staff(administrator, a, "tn.stp", "Lê Thị Tiếp", Role.RECEPTION_OFFICER),
        specialist=staff(
            administrator, a, "cv.stp", "Phạm Văn Chuyên", Role.SPECIALIST, unit=a_unit
        ),
        unit_leader=staff(
            administrator, a, "tp.stp", "Võ Thị Trưởng", Role.UNIT_LEADER, unit=a_unit
        ),
        agency_leader=staff(administrator, a, "gd.stp", "Đặng Văn Giám", Role.AGENCY_LEADER),
        administrator=administrator,
        auditor=staff(administrator, a, "tt.stp", "Huỳnh Thị Tra", Role.AUDITOR),
        admin_b=admin_b,
        citizen=User.objects.create_user("0912345678", PASSWORD, full_name="Công Dân"),
    )
