"""Publication, moderation and the public search; tracking by code and contact."""

import pytest

from egov.feedback import access, services
from egov.feedback.models import Item, SearchToken

from .conftest import answered, at, field_report, local

pytestmark = pytest.mark.django_db


def test_only_answered_publishable_visible_items_are_public(cast):
    shown = answered(cast)
    private = answered(cast, field_report(cast, may_publish=False))
    open_item = field_report(cast)
    assert [i.pk for i in access.public_answers().items] == [shown.pk]
    assert private.published_at is None and open_item.published_at is None


def test_public_fields_are_masked_and_searchable_without_diacritics(cast):
    item = field_report(cast, text="Tôi là Nguyễn Văn An (0912345678): ổ gà trước chợ Tân Biên.")
    answered(cast, item)
    item.refresh_from_db()
    assert "Nguyễn Văn An" not in item.public_text and "0912345678" not in item.public_text
    assert "nguyen" not in item.search_key and "0912345678" not in item.search_key
    for query in ("ổ gà", "O GA", "tan bien", "Tân  Biên chợ", "CHO"):
        assert [i.pk for i in access.public_answers(query).items] == [item.pk], query
    for query in ("Nguyễn", "0912345678", "ổ gà đèn"):
        assert access.public_answers(query).items == [], query


def test_hidden_items_leave_the_public_page_but_staff_still_see_them(cast):
    item = answered(cast)
    with at(local(2026, 3, 4, 9, 0)):
        item = services.hide(cast.reception, item, "Nội dung xúc phạm cán bộ.")
    assert item.hidden and item.published_at is None
    assert access.public_answers().items == []
    assert not SearchToken.objects.filter(item=item).exists()
    assert access.get_item_for(cast.auditor, item.code) == item
    with at(local(2026, 3, 4, 10, 0)):
        item = services.unhide(cast.agency_leader, item)
    assert [i.pk for i in access.public_answers("o ga").items] == [item.pk]


def test_a_hidden_item_answered_later_stays_private(cast):
    item = field_report(cast)
    with at(local(2026, 3, 2, 9, 0)):
        services.hide(cast.reception, item, "Lời lẽ thô tục.")
    answered(cast, item)
    assert access.public_answers().items == []


def test_public_answers_page_newest_first_and_filter(cast):
    items = [answered(cast, moment=local(2026, 3, 3 + n, 9, 0)) for n in range(3)]
    page = access.public_answers(per_page=2)
    assert [i.pk for i in page.items] == [items[2].pk, items[1].pk] and page.has_next
    page = access.public_answers(page=2, per_page=2)
    assert [i.pk for i in page.items] == [items[0].pk] and not page.has_next
    assert len(access.public_answers("o ga", category="hu-hong-duong").items) == 3
    assert access.public_answers("o ga", category="rac-thai").items == []
    assert access.public_answers(commune="25480").items == []
    assert len(access.public_answers(commune="25486").items) == 3


def test_tracking_needs_the_code_and_the_contact(cast):
    item = field_report(cast, author=None, contact_phone="0912000111", contact_email="b@x.vn")
    assert access.track(item.code, "0912 000 111") == item
    assert access.track(item.code.lower(), "B@X.VN") == item
    for code, contact in ((item.code, "0912000112"), (item.code, ""), ("HT-000000-0001", "b@x.vn")):
        with pytest.raises(access.ItemNotFound):
            access.track(code, contact)


def test_an_anonymous_author_rates_and_reopens_with_the_contact(cast):
    item = answered(cast, field_report(cast, author=None, contact_email="b@x.vn"))
    with at(local(2026, 3, 4, 9, 0)):
        item = services.rate("b@x.vn", item, "dissatisfied", "Chưa vá xong.")
        assert item.status == Item.Status.ANSWERED
        item = services.reopen("b@x.vn", item)
    assert item.status == Item.Status.IN_PROGRESS


def test_the_inbox_tabs(cast):
    new = field_report(cast)
    accepted = field_report(cast)
    mine = field_report(cast)
    with at(local(2026, 3, 3, 9, 0)):
        services.accept(cast.reception, accepted)
        services.accept(cast.reception, mine)
        services.assign(cast.reception, mine, cast.specialist)
    waiting = answered(cast, field_report(cast))
    assert [i.pk for i in access.queue_for(cast.reception, "receive").items] == [new.pk]
    assert [i.pk for i in access.queue_for(cast.reception, "assign").items] == [accepted.pk]
    assert [i.pk for i in access.queue_for(cast.specialist, "mine").items] == [mine.pk]
    assert access.queue_for(cast.outsider, "receive").items == []
    assert access.queue_for(cast.citizen, "all").items == []
    everything = access.queue_for(cast.auditor, "all", limit=2)
    assert len(everything.items) == 2 and everything.next_cursor
    rest = access.queue_for(cast.auditor, "all", cursor=everything.next_cursor)
    assert {i.pk for i in everything.items + rest.items} == {
        new.pk,
        accepted.pk,
        mine.pk,
        waiting.pk,
    }
    overdue = access.queue_for(cast.auditor, "all", deadline="overdue", now=local(2026, 3, 10, 9))
    assert {i.pk for i in overdue.items} == {new.pk, accepted.pk, mine.pk}
    with pytest.raises(access.InvalidQuery):
        access.queue_for(cast.auditor, "bogus")


def test_the_approval_tab_shows_drafts_to_their_approvers(cast):
    item = field_report(cast)
    with at(local(2026, 3, 3, 9, 0)):
        services.accept(cast.reception, item)
        services.assign(cast.reception, item, cast.specialist)
        services.submit_for_approval(cast.specialist, item, "Dự thảo.")
    assert [i.pk for i in access.queue_for(cast.unit_leader, "approve").items] == [item.pk]
    assert [i.pk for i in access.queue_for(cast.agency_leader, "approve").items] == [item.pk]
    assert access.queue_for(cast.specialist, "approve").items == []
    assert access.queue_for(cast.other_leader, "approve").items == []
