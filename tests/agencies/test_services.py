import pytest

from egov.agencies import services
from egov.agencies.models import Role, StaffRole
from egov.core.api_errors import ApiError, Conflict, Forbidden
from tests.agencies.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_an_official_with_a_hashed_password(cast):
    user = services.create_staff_account(
        cast.administrator,
        cast.a,
        "cv2.stp",
        "Ngô Văn Mới",
        PASSWORD,
        Role.SPECIALIST,
        unit=cast.a_unit,
    )
    assert user.kind == "staff"
    assert user.check_password(PASSWORD) and user.password != PASSWORD
    assert list(user.staff_roles.values_list("agency__code", "unit__code", "role")) == [
        ("STP", "HCTP", "specialist")
    ]


@pytest.mark.parametrize(
    "person",
    ["reception", "specialist", "unit_leader", "agency_leader", "auditor", "admin_b", "citizen"],
)
def test_only_the_agencys_administrator_may_create_staff(cast, person):
    with pytest.raises(Forbidden):
        services.create_staff_account(
            cast.person(person), cast.a, "x.stp", "X", PASSWORD, Role.SPECIALIST
        )
    assert not StaffRole.objects.filter(user__username="x.stp").exists()


def test_weak_passwords_are_refused_by_djangos_validators(cast):
    with pytest.raises(ApiError) as raised:
        services.create_staff_account(
            cast.administrator, cast.a, "y.stp", "Y", "12345678", Role.SPECIALIST
        )
    assert raised.value.code == "weak_password"
    assert raised.value.details


def test_a_taken_username_is_a_conflict(cast):
    with pytest.raises(Conflict):
        services.create_staff_account(
            cast.administrator, cast.a, "cv.stp", "Trùng", PASSWORD, Role.SPECIALIST
        )


def test_a_unit_must_belong_to_the_agency(cast):
    with pytest.raises(ApiError) as raised:
        services.create_staff_account(
            cast.administrator,
            cast.a,
            "z.stp",
            "Z",
            PASSWORD,
            Role.SPECIALIST,
            unit=cast.b.units.first(),
        )
    assert raised.value.code == "invalid_unit"


def test_grant_and_revoke_a_role(cast):
    role = services.grant_role(cast.administrator, cast.specialist, cast.a, Role.RECEPTION_OFFICER)
    again = services.grant_role(cast.administrator, cast.specialist, cast.a, Role.RECEPTION_OFFICER)
    assert role.pk == again.pk
    assert services.revoke_role(cast.administrator, cast.specialist, cast.a, Role.RECEPTION_OFFICER)
    assert not services.revoke_role(
        cast.administrator, cast.specialist, cast.a, Role.RECEPTION_OFFICER
    )


def test_the_outsider_cannot_grant_or_revoke_in_agency_a(cast):
    with pytest.raises(Forbidden):
        services.grant_role(cast.admin_b, cast.specialist, cast.a, Role.AGENCY_LEADER)
    with pytest.raises(Forbidden):
        services.revoke_role(cast.admin_b, cast.specialist, cast.a, Role.SPECIALIST, cast.a_unit)
    assert cast.specialist.staff_roles.count() == 1


def test_a_citizen_cannot_be_given_a_staff_role(cast):
    with pytest.raises(ApiError) as raised:
        services.grant_role(cast.administrator, cast.citizen, cast.a, Role.SPECIALIST)
    assert raised.value.code == "not_staff"


def test_the_last_administrator_cannot_be_revoked_by_an_agency_administrator(cast):
    with pytest.raises(Conflict):
        services.revoke_role(cast.administrator, cast.administrator, cast.a, Role.ADMINISTRATOR)
    assert services.revoke_role(cast.platform_admin, cast.administrator, cast.a, Role.ADMINISTRATOR)


@pytest.mark.parametrize("person", ["administrator", "auditor", "agency_leader"])
def test_those_who_manage_audit_or_lead_see_the_staff_list(cast, person):
    members = services.list_staff(cast.person(person), cast.a)
    usernames = {member.user.username for member in members}
    assert usernames == {"qt.stp", "tn.stp", "cv.stp", "tp.stp", "gd.stp", "tt.stp"}
    specialist = next(m for m in members if m.user.username == "cv.stp")
    assert [(r.role, r.unit.code) for r in specialist.roles] == [("specialist", "HCTP")]


@pytest.mark.parametrize("person", ["reception", "specialist", "unit_leader", "admin_b", "citizen"])
def test_others_cannot_see_the_staff_list(cast, person):
    with pytest.raises(Forbidden):
        services.list_staff(cast.person(person), cast.a)
