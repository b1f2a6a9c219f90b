"""Likely duplicates (same category, near in space and time, similar text) and merging."""

import pytest

from egov.core.api_errors import ApiError
from egov.feedback import services
from egov.feedback.models import Item
from egov.notify.models import Message

from .conftest import answered, at, field_report, local

pytestmark = pytest.mark.django_db

# About 55 m north-east of the conftest's point, and about 1.1 km north of it.
NEAR = {"latitude": "11.552700", "longitude": "105.995400"}
FAR = {"latitude": "11.562300", "longitude": "105.995100"}


def test_the_same_pothole_reported_twice_nearby_is_a_likely_duplicate(cast):
    first = field_report(cast)
    second = field_report(
        cast,
        author=cast.other_citizen,
        title="Ổ gà trước cổng chợ Tân Biên",
        text="Đường 30/4 trước chợ có ổ gà rất sâu, nguy hiểm cho xe máy.",
        moment=local(2026, 3, 5, 10, 0),
        **NEAR,
    )
    assert services.likely_duplicates(second) == [first]
    assert services.likely_duplicates(first) == [second]


def test_far_away_other_category_too_old_or_different_text_is_not_a_duplicate(cast):
    first = field_report(cast)
    far = field_report(cast, author=cast.other_citizen, **FAR)
    other_category = field_report(
        cast,
        author=cast.other_citizen,
        category=services.Category.objects.get(code="den-chieu-sang"),
        attributes={"tinh_trang": "khong_sang"},
        **NEAR,
    )
    late = field_report(cast, author=cast.other_citizen, moment=local(2026, 3, 20, 8, 0), **NEAR)
    different = field_report(
        cast,
        author=cast.other_citizen,
        title="Nắp cống bị vỡ",
        text="Nắp hố ga bể làm nước thải tràn lên mặt đường khi mưa.",
        **NEAR,
    )
    assert services.likely_duplicates(first) == []
    for item in (far, other_category, late, different):
        assert first not in services.likely_duplicates(item)


def test_the_distance_and_time_are_settings(cast, settings):
    first = field_report(cast)
    far = field_report(cast, author=cast.other_citizen, **FAR)
    assert services.likely_duplicates(far) == []
    settings.EGOV_FEEDBACK_DUPLICATE_METRES = 1500
    assert services.likely_duplicates(far) == [first]
    late = field_report(cast, author=cast.other_citizen, moment=local(2026, 3, 20, 8, 0), **NEAR)
    settings.EGOV_FEEDBACK_DUPLICATE_DAYS = 30
    assert first in services.likely_duplicates(late)


def test_items_without_coordinates_compare_within_the_commune(cast):
    kind = {"kind": Item.Kind.FEEDBACK, "latitude": None, "longitude": None, "attributes": {}}
    cat = services.Category.objects.get(code="an-ninh-trat-tu")
    a = field_report(
        cast,
        category=cat,
        title="Quán karaoke hát khuya",
        text="Quán karaoke ấp 2 hát đến 1 giờ sáng mỗi đêm.",
        **kind,
    )
    b = field_report(
        cast,
        author=cast.other_citizen,
        category=cat,
        title="Karaoke ồn ào ban đêm",
        text="Quán karaoke ở ấp 2 mở nhạc đến 1 giờ sáng.",
        **kind,
    )
    c = field_report(
        cast,
        author=cast.other_citizen,
        category=cat,
        commune="25480",
        title="Karaoke ồn ào ban đêm",
        text="Quán karaoke ở ấp 2 mở đến 1 giờ sáng.",
        **kind,
    )
    assert services.likely_duplicates(a) == [b]
    assert c not in services.likely_duplicates(a)


def test_similarity_is_shared_words_over_the_smaller_text():
    assert services.similarity({"o", "ga", "cho"}, {"o", "ga", "cho", "tan", "bien"}) == 1.0
    assert services.similarity({"o", "ga"}, {"nap", "cong"}) == 0.0
    assert services.similarity(set(), {"x"}) == 0.0


def test_merging_sends_the_answer_to_every_author(cast):
    first = field_report(cast)
    second = field_report(cast, author=None, contact_email="dan@example.vn", **NEAR)
    with at(local(2026, 3, 3, 8, 0)):
        merged = services.merge(cast.reception, second, first)
    assert (merged.status, merged.duplicate_of) == (Item.Status.MERGED, first)
    answered(cast, first)
    merged.refresh_from_db()
    assert merged.answer == "Đã vá ổ gà ngày 03/3/2026." and merged.answered_at is not None
    to_second = Message.objects.filter(event_key__startswith=f"feedback:{second.pk}:answered")
    assert {m.address for m in to_second} >= {"dan@example.vn"}


def test_merging_into_an_answered_item_answers_at_once(cast):
    first = answered(cast)
    second = field_report(cast, author=cast.other_citizen, **NEAR)
    with at(local(2026, 3, 4, 8, 0)):
        merged = services.merge(cast.reception, second, first)
    assert merged.answer == first.answer
    assert Message.objects.filter(event_key__startswith=f"feedback:{second.pk}:answered").exists()


def test_merge_is_refused_across_categories_into_itself_or_by_others(cast):
    first = field_report(cast)
    light = field_report(
        cast,
        category=services.Category.objects.get(code="den-chieu-sang"),
        attributes={"tinh_trang": "khong_sang"},
    )
    with at(local(2026, 3, 3, 8, 0)):
        for item, into in ((light, first), (first, first)):
            with pytest.raises(ApiError) as error:
                services.merge(cast.reception, item, into)
            assert error.value.code == "invalid_merge"
        with pytest.raises(services.Forbidden):
            services.merge(cast.specialist, light, first)
