"""Every action's permission for each member of the cast: the outsider cannot …"""

import pytest

from egov.core.api_errors import Forbidden
from egov.dossiers import access, actions
from tests.dossiers.conftest import accepted, in_handling, local, submitted

EVERYONE = (
    "reception",
    "specialist",
    "unit_leader",
    "agency_leader",
    "auditor",
    "administrator",
    "outsider",
    "citizen",
    "other_citizen",
)


def _allowed(cast, make, act) -> set[str]:
    allowed = set()
    for name in EVERYONE:
        dossier = make(cast)
        try:
            act(cast, cast.person(name), dossier)
        except (Forbidden, actions.InvalidInput):
            continue
        allowed.add(name)
    return allowed


def forwarded_to(step_count):
    def make(cast):
        dossier = in_handling(cast)
        people = [cast.specialist, cast.unit_leader, cast.agency_leader]
        for person in people[:step_count]:
            dossier = (
                actions.do_approve(person, dossier)
                if person is cast.agency_leader
                else actions.do_forward(person, dossier)
            )
        return dossier

    return make


CASES = {
    "accept": (submitted, lambda c, u, d: actions.do_accept(u, d), {"reception"}),
    "refuse at reception": (
        submitted,
        lambda c, u, d: actions.do_refuse(u, d, "Sai thẩm quyền"),
        {"reception"},
    ),
    "assign": (
        accepted,
        lambda c, u, d: actions.do_assign(u, d, c.specialist),
        {"reception", "unit_leader", "agency_leader"},
    ),
    "forward from handling": (
        in_handling,
        lambda c, u, d: actions.do_forward(u, d),
        {"specialist", "unit_leader"},
    ),
    "forward from unit review": (
        forwarded_to(1),
        lambda c, u, d: actions.do_forward(u, d),
        {"unit_leader"},
    ),
    "approve": (forwarded_to(2), lambda c, u, d: actions.do_approve(u, d), {"agency_leader"}),
    "attach result": (
        forwarded_to(3),
        lambda c, u, d: actions.do_attach_result(u, d),
        {"reception", "specialist", "unit_leader", "agency_leader"},
    ),
    "supplement during handling": (
        in_handling,
        lambda c, u, d: actions.do_request_supplement(u, d, ["Tờ khai"]),
        {"specialist", "unit_leader", "agency_leader"},
    ),
    "stop": (
        in_handling,
        lambda c, u, d: actions.do_stop(u, d, "Lý do"),
        {"specialist", "unit_leader", "agency_leader"},
    ),
    "withdraw": (in_handling, lambda c, u, d: actions.do_withdraw(u, d), {"citizen"}),
    "hand over": (
        in_handling,
        lambda c, u, d: actions.do_hand_over(u, d, c.other_agency),
        {"specialist", "unit_leader", "agency_leader"},
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_who_may_do_each_action(cast, case):
    make, act, expected = CASES[case]
    assert _allowed(cast, make, act) == expected


def test_who_sees_a_dossier(cast):
    dossier = in_handling(cast, local(2026, 3, 2, 8, 0))
    seeing = set()
    for name in EVERYONE:
        try:
            access.get_dossier_for(cast.person(name), dossier.public_id)
            seeing.add(name)
        except access.DossierNotFound:
            pass
    assert seeing == {
        "reception",
        "specialist",
        "unit_leader",
        "agency_leader",
        "auditor",
        "citizen",
    }


def test_a_malformed_id_is_not_found(cast):
    with pytest.raises(access.DossierNotFound):
        access.get_dossier_for(cast.citizen, "1")
