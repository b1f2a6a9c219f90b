from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from egov.agencies.models import Agency, StaffRole
from egov.identity.demo import demo_password
from egov.identity.models import User
from egov.identity.services import demo_accounts_exist, validate_citizen_id, validate_tax_code
from egov.places.models import AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    """STP with two units and the people's committee of province 80's first commune."""
    province = AdminUnit.objects.create(
        code="80", name="Tây Ninh", kind="tinh", level=1, valid_from="2025-07-01"
    )
    first, second = (
        AdminUnit.objects.create(
            code=code, name=name, kind="xa", level=3, parent=province, valid_from="2025-07-01"
        )
        for code, name in (("27505", "Xã Tân Biên"), ("27490", "Phường Tân Ninh"))
    )
    stp = Agency.objects.create(
        code="STP", name="Sở Tư pháp", level="province", kind="department", place=province
    )
    stp.units.create(code="B", name="Phòng Bổ trợ tư pháp")
    stp.units.create(code="A", name="Phòng Hành chính tư pháp")
    for commune in (first, second):
        Agency.objects.create(
            code=f"UBX{commune.code}",
            name=f"UBND {commune.name}",
            level="commune",
            kind="peoples_committee",
            place=commune,
        )
    return stp


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("demo_accounts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@override_settings(PROFILE="demo")
def test_demo_accounts_are_created_once_with_every_role(agencies):
    out, _err = run()
    run()  # idempotent
    assert demo_password() in out and "0900000001" in out
    demo = User.objects.filter(is_demo=True)
    assert demo.count() == 11 == User.objects.count()
    citizen = User.objects.get(username="0900000001")
    assert citizen.kind == "citizen" and citizen.check_password(demo_password())
    assert citizen.password.startswith("argon2")
    validate_citizen_id(citizen.citizen_id)
    organisation = User.objects.get(kind="organisation")
    validate_tax_code(organisation.tax_code)
    stp_roles = set(StaffRole.objects.filter(agency=agencies).values_list("role", flat=True))
    assert stp_roles == {
        "reception_officer",
        "specialist",
        "unit_leader",
        "agency_leader",
        "administrator",
        "auditor",
    }
    assert StaffRole.objects.count() == 7
    specialist = StaffRole.objects.get(role="specialist")
    assert specialist.unit.code == "A"  # the first unit by code
    commune = StaffRole.objects.get(agency__level="commune")
    assert commune.agency.code == "UBX27490"  # the lowest commune code of province 80
    assert commune.role == "reception_officer"
    superuser = User.objects.get(is_superuser=True)
    assert superuser.is_demo and superuser.is_staff


@override_settings(PROFILE="demo")
def test_without_agencies_staff_accounts_are_skipped_not_crashed():
    _out, err = run()
    assert "not loaded" in err and "load_agencies" in err
    assert User.objects.filter(kind="staff", is_superuser=False).count() == 0
    assert User.objects.filter(kind__in=["citizen", "organisation"]).count() == 3
    assert User.objects.filter(is_superuser=True).count() == 1


@override_settings(PROFILE="demo")
def test_remove_deletes_only_demo_accounts(agencies):
    real = User.objects.create_user("0912345678", "x")
    run()
    out, _err = run("--remove")
    assert "11 demo accounts removed" in out
    assert not demo_accounts_exist()
    assert list(User.objects.all()) == [real]
    assert StaffRole.objects.count() == 0


@pytest.mark.parametrize("profile", ["dev", "production"])
def test_refused_outside_the_demo_profile(profile):
    with override_settings(PROFILE=profile), pytest.raises(CommandError, match="demo profile"):
        run()
    assert User.objects.count() == 0
