from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from egov.agencies.models import Agency, StaffRole
from egov.feedback.models import Category
from egov.identity.demo import demo_password
from egov.identity.models import User
from egov.identity.services import demo_accounts_exist, validate_citizen_id, validate_tax_code
from egov.places.models import AdminUnit
from egov.reports.scope import scope_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    """The seeded Sở Tư pháp (STP), whose units the demo officials are placed in."""
    return Agency.objects.get(code="STP")


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
    assert demo.count() == 14
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
    assert StaffRole.objects.count() == 10
    specialist = StaffRole.objects.get(role="specialist", agency=agencies)
    assert specialist.unit == agencies.units.order_by("code").first()
    commune = StaffRole.objects.filter(agency__level="commune")
    first_commune = AdminUnit.objects.filter(parent__code="80", valid_to=None).order_by("code")[0]
    assert {r.agency.code for r in commune} == {f"UBX{first_commune.code}"}
    assert {r.role for r in commune} == {"reception_officer", "specialist", "agency_leader"}
    superuser = User.objects.get(is_superuser=True)
    assert superuser.is_demo and superuser.is_staff
    # The provincial office's leader reads every agency's reports; STP's leader only STP's.
    assert scope_of(User.objects.get(username="vpubnd.lanhdao")).province
    assert not scope_of(User.objects.get(username="stp.giamdoc")).province


@override_settings(PROFILE="demo")
def test_without_agencies_staff_accounts_are_skipped_not_crashed():
    Category.objects.all().delete()  # the feedback categories route to agencies
    Agency.objects.update(parent=None)
    Agency.objects.all().delete()
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
    assert "14 demo accounts removed" in out
    assert not demo_accounts_exist()
    assert list(User.objects.all()) == [real]
    assert StaffRole.objects.count() == 0


@pytest.mark.parametrize("profile", ["dev", "production"])
def test_refused_outside_the_demo_profile(profile):
    with override_settings(PROFILE=profile), pytest.raises(CommandError, match="demo profile"):
        run()
    assert User.objects.count() == 0
