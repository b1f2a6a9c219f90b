"""The capability matrix, checked person by person: each member of the cast can do exactly what
the table says, in agency A as a whole, in A's unit HCTP, in A's other unit, and in agency B."""

import pytest

from egov.agencies import permissions
from egov.agencies.models import Role, StaffRole

pytestmark = pytest.mark.django_db

RECEIVE, HANDLE = "receive_dossiers", "handle_dossiers"
APPROVE_UNIT, APPROVE_AGENCY = "approve_in_unit", "approve_in_agency"
RETURN, VIEW_ALL = "return_results", "view_agency_dossiers"
STAFF, SETUP, REPORTS, AUDIT = "manage_staff", "manage_agency", "view_reports", "audit"
FB_RECEIVE, FB_HANDLE, FB_APPROVE = "receive_feedback", "handle_feedback", "approve_feedback"
FB_MODERATE, FB_VIEW = "moderate_feedback", "view_agency_feedback"
NONE: set[str] = set()

# person: (in A as a whole, in A's unit HCTP, in A's other unit BTTP, in B)
EXPECTED = {
    "reception": (
        {RECEIVE, RETURN, FB_RECEIVE, FB_MODERATE},
        {RECEIVE, RETURN, FB_RECEIVE, FB_MODERATE},
        {RECEIVE, RETURN, FB_RECEIVE, FB_MODERATE},
        NONE,
    ),
    "specialist": (NONE, {HANDLE, FB_HANDLE}, NONE, NONE),
    "unit_leader": (NONE, {HANDLE, APPROVE_UNIT, REPORTS, FB_HANDLE, FB_APPROVE}, NONE, NONE),
    "agency_leader": (
        {APPROVE_AGENCY, VIEW_ALL, REPORTS, FB_RECEIVE, FB_APPROVE, FB_MODERATE, FB_VIEW},
        {APPROVE_AGENCY, VIEW_ALL, REPORTS, FB_RECEIVE, FB_APPROVE, FB_MODERATE, FB_VIEW},
        {APPROVE_AGENCY, VIEW_ALL, REPORTS, FB_RECEIVE, FB_APPROVE, FB_MODERATE, FB_VIEW},
        NONE,
    ),
    "administrator": ({STAFF, SETUP}, {STAFF, SETUP}, {STAFF, SETUP}, NONE),
    "auditor": (
        {AUDIT, VIEW_ALL, REPORTS, FB_VIEW},
        {AUDIT, VIEW_ALL, REPORTS, FB_VIEW},
        {AUDIT, VIEW_ALL, REPORTS, FB_VIEW},
        NONE,
    ),
    "admin_b": (NONE, NONE, NONE, {STAFF, SETUP}),
    "citizen": (NONE, NONE, NONE, NONE),
    "platform_admin": ({STAFF, SETUP}, {STAFF, SETUP}, {STAFF, SETUP}, {STAFF, SETUP}),
}


def allowed(user, agency, unit=None) -> set[str]:
    return {c for c in permissions.CAPABILITIES if permissions.can(user, c, agency, unit)}


def test_the_table_names_every_capability():
    named = {RECEIVE, HANDLE, APPROVE_UNIT, APPROVE_AGENCY, RETURN, VIEW_ALL}
    feedback = {FB_RECEIVE, FB_HANDLE, FB_APPROVE, FB_MODERATE, FB_VIEW}
    assert named | feedback | {STAFF, SETUP, REPORTS, AUDIT} == permissions.CAPABILITIES


@pytest.mark.parametrize("person", EXPECTED)
def test_each_person_can_do_exactly_what_the_matrix_says(cast, person):
    user = cast.person(person)
    in_a, in_unit, in_other_unit, in_b = EXPECTED[person]
    assert allowed(user, cast.a) == in_a
    assert allowed(user, cast.a, cast.a_unit) == in_unit
    assert allowed(user, cast.a, cast.a_other_unit) == in_other_unit
    assert allowed(user, cast.b) == in_b
    assert permissions.capabilities_of(user, cast.a) == in_a


@pytest.mark.parametrize("person", EXPECTED)
def test_agencies_where_lists_the_agencies_of_each_capability(cast, person):
    user = cast.person(person)
    in_a, in_unit, _other, in_b = EXPECTED[person]
    for capability in permissions.CAPABILITIES:
        codes = set(
            permissions.agencies_where(user, capability)
            .filter(code__in=["STP", "SYT"])
            .values_list("code", flat=True)
        )
        expected = {"STP"} if capability in in_a | in_unit else set()
        expected |= {"SYT"} if capability in in_b else set()
        assert codes == expected, capability


def test_the_platform_admin_may_set_up_every_agency_but_not_handle_dossiers(cast):
    assert permissions.agencies_where(cast.platform_admin, STAFF).count() == 208
    assert not permissions.agencies_where(cast.platform_admin, HANDLE).exists()


def test_a_citizen_with_a_role_row_still_has_no_staff_capability(cast):
    StaffRole.objects.create(user=cast.citizen, agency=cast.a, role=Role.AGENCY_LEADER)
    assert allowed(cast.citizen, cast.a) == NONE
    assert not permissions.agencies_where(cast.citizen, APPROVE_AGENCY).exists()


def test_an_inactive_official_has_no_capability(cast):
    cast.agency_leader.is_active = False
    cast.agency_leader.save()
    assert allowed(cast.agency_leader, cast.a) == NONE


def test_a_unit_of_another_agency_grants_nothing(cast):
    other = cast.b.units.first()
    assert allowed(cast.specialist, cast.a, other) == NONE


def test_unknown_capabilities_are_a_programming_error(cast):
    with pytest.raises(ValueError):
        permissions.can(cast.administrator, "delete_everything", cast.a)
