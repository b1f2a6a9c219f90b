"""Every role, inside and outside its agency, for every feedback action (the matrix is in
``egov.agencies.permissions``; the item here is in agency A, the outsiders are in B)."""

import pytest

from egov.core.api_errors import ApiError, Forbidden
from egov.feedback import access, services
from egov.feedback.models import Item

from .conftest import at, field_report, local

pytestmark = pytest.mark.django_db

EVERYONE = (
    "reception",
    "specialist",
    "unit_leader",
    "agency_leader",
    "auditor",
    "administrator",
    "outsider",
    "other_specialist",
    "other_leader",
    "citizen",
    "other_citizen",
)


def _in(cast, status: str) -> Item:
    item = field_report(cast)
    with at(local(2026, 3, 3, 9, 0)):
        if status == "submitted":
            return item
        item = services.accept(cast.reception, item)
        if status == "accepted":
            return item
        item = services.assign(cast.reception, item, cast.specialist)
        item = services.save_draft(cast.specialist, item, "Dự thảo trả lời.")
        if status == "in_progress":
            return item
        return services.submit_for_approval(cast.specialist, item)


def _try(call) -> bool:
    try:
        call()
    except Forbidden:
        return False
    return True


CASES = {
    "accept": (
        "submitted",
        lambda c, p, i: services.accept(p, i),
        {"reception", "agency_leader"},
    ),
    "forward": (
        "submitted",
        lambda c, p, i: services.forward(p, i, c.other_agency, "Không thuộc thẩm quyền."),
        {"reception", "agency_leader"},
    ),
    "reject": (
        "submitted",
        lambda c, p, i: services.reject(p, i, "out_of_scope", "Không thuộc phạm vi."),
        {"reception", "agency_leader"},
    ),
    "assign": (
        "accepted",
        lambda c, p, i: services.assign(p, i, c.specialist),
        {"reception", "agency_leader"},
    ),
    "draft": (
        "in_progress",
        lambda c, p, i: services.save_draft(p, i, "Nội dung trả lời khác."),
        {"specialist"},
    ),
    "submit_for_approval": (
        "in_progress",
        lambda c, p, i: services.submit_for_approval(p, i),
        {"specialist"},
    ),
    "approve": (
        "awaiting_approval",
        lambda c, p, i: services.approve(p, i),
        {"unit_leader", "agency_leader"},
    ),
    "send_back": (
        "awaiting_approval",
        lambda c, p, i: services.send_back(p, i, "Bổ sung thời gian khắc phục."),
        {"unit_leader", "agency_leader"},
    ),
    "answer_directly": (
        "accepted",
        lambda c, p, i: services.answer(p, i, "Đã xử lý xong."),
        {"agency_leader"},
    ),
    "hide": (
        "submitted",
        lambda c, p, i: services.hide(p, i, "Nội dung xúc phạm."),
        {"reception", "agency_leader"},
    ),
}


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize("action", CASES)
def test_each_role_may_do_exactly_its_feedback_actions(cast, action, person):
    status, call, allowed = CASES[action]
    item = _in(cast, status)
    with at(local(2026, 3, 4, 9, 0)):
        assert _try(lambda: call(cast, cast.person(person), item)) == (person in allowed)


READERS = {"reception", "specialist", "unit_leader", "agency_leader", "auditor", "citizen"}


@pytest.mark.parametrize("person", EVERYONE)
def test_who_sees_an_item_and_who_gets_404(cast, person):
    item = field_report(cast)
    user = cast.person(person)
    if person in READERS:
        assert access.get_item_for(user, item.public_id) == item
        assert access.get_item_for(user, item.code) == item
    else:
        with pytest.raises(access.ItemNotFound):
            access.get_item_for(user, item.public_id)


def test_the_forwarding_agency_keeps_reading_what_it_forwarded(cast):
    item = field_report(cast)
    with at(local(2026, 3, 3, 9, 0)):
        services.forward(cast.reception, item, cast.other_agency, "Thuộc Sở Tư pháp.")
    assert access.get_item_for(cast.auditor, item.public_id) == item
    assert access.get_item_for(cast.outsider, item.public_id) == item
    # Now B acts, A no longer may.
    with at(local(2026, 3, 3, 10, 0)):
        with pytest.raises(Forbidden):
            services.accept(cast.reception, item)
        assert services.accept(cast.outsider, item).status == Item.Status.ACCEPTED


def test_a_unit_leader_approves_only_the_items_of_their_unit(cast):
    item = _in(cast, "awaiting_approval")
    assert item.unit == cast.unit
    Item.objects.filter(pk=item.pk).update(unit=cast.agency.units.get(code="VP"))
    with at(local(2026, 3, 4, 9, 0)), pytest.raises(Forbidden):
        services.approve(cast.unit_leader, item)


def test_only_the_author_rates_and_reopens(cast):
    item = _in(cast, "awaiting_approval")
    with at(local(2026, 3, 4, 9, 0)):
        item = services.approve(cast.unit_leader, item)
        for outsider in (
            cast.other_citizen,
            cast.reception,
            cast.agency_leader,
            None,
            "0987654321",
        ):
            with pytest.raises(Forbidden):
                services.rate(outsider, item, "satisfied")
            with pytest.raises(Forbidden):
                services.reopen(outsider, item)
        assert services.rate("0912 345 678", item, "dissatisfied").rating == "dissatisfied"


def test_assigning_to_someone_who_does_not_handle_feedback_is_refused(cast):
    item = _in(cast, "accepted")
    with at(local(2026, 3, 4, 9, 0)):
        for person in ("auditor", "administrator", "other_specialist", "citizen"):
            with pytest.raises(ApiError) as refused:
                services.assign(cast.reception, item, cast.person(person))
            assert refused.value.code == "invalid_assignee"
