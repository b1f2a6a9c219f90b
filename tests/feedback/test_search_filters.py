"""The public search with a category or commune filter: the word rows carry the item's category
and commune, the filter reads them (no join to the items), and they never go stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.feedback import access, search, services
from egov.feedback.models import Item, SearchToken
from egov.places.models import AdminUnit

from .conftest import COMMUNE, answered, at, category, field_report, local, question

pytestmark = pytest.mark.django_db

TEXT = "Ổ gà trên đường 30/4 trước cổng chợ, xe máy dễ té ngã."


def other_commune() -> AdminUnit:
    return (
        AdminUnit.objects.filter(
            level=AdminUnit.Level.COMMUNE, valid_to__isnull=True, parent__code="80"
        )
        .exclude(code=COMMUNE)
        .order_by("code")
        .first()
    )


def answered_by_stp(cast, item: Item, moment) -> Item:
    """A question accepted and answered directly in agency B (Sở Tư pháp)."""
    with at(moment):
        item = services.accept(cast.outsider, item)
        return services.answer(cast.other_leader, item, "Đã hướng dẫn thủ tục tại xã.")


def pks(page: access.AnswersPage) -> list[int]:
    return [i.pk for i in page.items]


def word_rows(item: Item) -> set[tuple]:
    return set(
        SearchToken.objects.filter(item=item).values_list(
            "token", "published_at", "category_id", "commune_id"
        )
    )


def assert_rows_copy_the_item(item: Item) -> None:
    item.refresh_from_db()
    expected = set()
    if item.published_at is not None:
        expected = {
            (token, item.published_at, item.category_id, item.commune_id)
            for token in search.item_tokens(item.search_key)
        }
    assert word_rows(item) == expected


@pytest.fixture
def spread(cast):
    """Answers on the same street in two categories of Tân Biên, and questions to Sở Tư pháp
    from Tân Biên, from another commune and from nowhere, published a day apart."""
    elsewhere = other_commune()
    pothole = answered(cast, field_report(cast, text=TEXT), moment=local(2026, 3, 3, 9, 0))
    rubbish = answered(
        cast,
        field_report(
            cast,
            category=category("rac-thai"),
            title="Rác tồn đọng trên đường 30/4",
            text="Rác đổ cạnh ổ gà trên đường 30/4, bốc mùi hôi.",
            attributes={},
        ),
        moment=local(2026, 3, 4, 9, 0),
    )
    asked = {}
    for day, (name, place) in enumerate(
        (("here", cast.commune), ("there", elsewhere), ("nowhere", None)), start=5
    ):
        item = question(cast, text="Nhà tôi trên đường 30/4, làm khai sinh ở đâu?", commune=place)
        asked[name] = answered_by_stp(cast, item, local(2026, 3, day, 9, 0))
    return {"pothole": pothole, "rubbish": rubbish, "elsewhere": elsewhere, **asked}


def test_a_category_keeps_only_its_answers_newest_first(spread):
    s = spread
    assert pks(access.public_answers("đường", category="hu-hong-duong")) == [s["pothole"].pk]
    assert pks(access.public_answers("duong", category="hoi-dap-ho-tich")) == [
        s["nowhere"].pk,
        s["there"].pk,
        s["here"].pk,
    ]
    assert access.public_answers("duong", category="cay-xanh").items == []
    assert access.public_answers("duong", category="khong-co-linh-vuc-nay").items == []


def test_a_commune_keeps_only_its_answers_and_none_without_a_commune(spread):
    s = spread
    assert pks(access.public_answers("duong", commune=COMMUNE)) == [
        s["here"].pk,
        s["rubbish"].pk,
        s["pothole"].pk,
    ]
    assert pks(access.public_answers("đường", commune=s["elsewhere"].code)) == [s["there"].pk]
    assert access.public_answers("duong", commune="99999").items == []


def test_category_and_commune_together(spread):
    s = spread
    both = access.public_answers("duong", category="hoi-dap-ho-tich", commune=COMMUNE)
    assert pks(both) == [s["here"].pk]
    assert pks(access.public_answers("duong", category="rac-thai", commune=COMMUNE)) == [
        s["rubbish"].pk
    ]
    assert (
        access.public_answers("duong", category="rac-thai", commune=s["elsewhere"].code).items == []
    )


def test_several_words_with_a_filter_need_every_word(spread):
    s = spread
    assert pks(access.public_answers("ổ gà đường", commune=COMMUNE)) == [
        s["rubbish"].pk,
        s["pothole"].pk,
    ]
    assert pks(access.public_answers("O GA 30", category="rac-thai")) == [s["rubbish"].pk]
    assert pks(access.public_answers("khai sinh duong", commune=COMMUNE)) == [s["here"].pk]
    assert access.public_answers("khai sinh ổ gà", category="hoi-dap-ho-tich").items == []


def test_filtered_pages_follow_each_other(cast):
    days = range(3, 8)
    potholes = [
        answered(cast, field_report(cast, text=TEXT), moment=local(2026, 3, d, 9, 0)) for d in days
    ]
    answered(
        cast,
        field_report(cast, category=category("cay-xanh"), text=TEXT, attributes={}),
        moment=local(2026, 3, 9, 9, 0),
    )
    newest = [i.pk for i in reversed(potholes)]
    pages = [
        access.public_answers("o ga", n, category="hu-hong-duong", per_page=2) for n in (1, 2, 3)
    ]
    assert [pks(p) for p in pages] == [newest[:2], newest[2:4], newest[4:]]
    assert [p.has_next for p in pages] == [True, True, False]
    by_commune = access.public_answers("o ga", 3, commune=COMMUNE, per_page=2)
    assert pks(by_commune) == newest[3:] and not by_commune.has_next


def test_the_filter_reads_the_word_rows_without_joining_the_items(spread):
    with CaptureQueriesContext(connection) as captured:
        access.public_answers("o ga", category="hu-hong-duong", commune=COMMUNE)
    (page_query,) = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"]]
    assert "feedback_searchtoken" in page_query
    assert "JOIN" not in page_query and "feedback_item" not in page_query


def test_every_step_of_an_item_leaves_word_rows_copying_it(cast):
    item = answered(cast)
    assert_rows_copy_the_item(item)
    into = answered(cast, field_report(cast, text=TEXT))
    duplicate = field_report(cast, text=TEXT)
    steps = [
        lambda: services.rate(cast.citizen, item, "dissatisfied", "Chưa vá xong."),
        lambda: services.reopen(cast.citizen, item, "Vẫn còn ổ gà."),
        lambda: services.answer(cast.agency_leader, item, "Đã vá lại bằng bê tông nhựa."),
        lambda: services.hide(cast.reception, item, "Lời lẽ thô tục."),
        lambda: services.unhide(cast.reception, item),
        lambda: services.edit_public(
            cast.reception,
            item,
            title="Ổ gà trước chợ",
            text="Ổ gà trên đường 30/4.",
            answer="Đã vá lại.",
        ),
        lambda: services.rate(cast.citizen, item, "satisfied"),
    ]
    with at(local(2026, 3, 4, 9, 0)):
        for step in steps:
            item = step()
            assert_rows_copy_the_item(item)
        merged = services.merge(cast.reception, duplicate, into)
    assert_rows_copy_the_item(merged)
    assert_rows_copy_the_item(into)


def test_a_category_or_commune_changed_while_published_rewrites_the_word_rows(spread, cast):
    """Changed behind the index's back (a data fix, a future service), the word rows are stale
    until the item is republished: the next moderation or `egov refresh_public_texts`."""
    item, elsewhere = spread["pothole"], spread["elsewhere"]
    Item.objects.filter(pk=item.pk).update(category=category("cay-xanh"), commune=elsewhere)
    assert search.is_stale(Item.objects.get(pk=item.pk))
    assert access.public_answers("o ga", category="cay-xanh").items == []  # the stale copy
    assert services.refresh_public_texts() == 0  # the public texts themselves did not change
    assert_rows_copy_the_item(item)
    assert pks(access.public_answers("o ga", category="cay-xanh")) == [item.pk]
    assert pks(access.public_answers("o ga", commune=elsewhere.code)) == [item.pk]
    assert item.pk not in pks(access.public_answers("o ga", category="hu-hong-duong"))
    assert item.pk not in pks(access.public_answers("o ga", commune=COMMUNE))
    with at(local(2026, 3, 9, 9, 0)):
        Item.objects.filter(pk=item.pk).update(commune=cast.commune)
        services.hide(cast.reception, Item.objects.get(pk=item.pk), "Kiểm tra lại nội dung.")
        item = services.unhide(cast.reception, Item.objects.get(pk=item.pk))
    assert_rows_copy_the_item(item)
    assert pks(access.public_answers("o ga", commune=COMMUNE, category="cay-xanh")) == [item.pk]
