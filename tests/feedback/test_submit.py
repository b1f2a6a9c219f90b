"""Submission: validation of every field, routing per category, codes, photos, contact."""

import pytest

from egov.core.api_errors import ApiError
from egov.feedback import area, services
from egov.feedback.models import Category, Item, ItemEvent

from .conftest import COMMUNE, INSIDE, JPEG, PNG, at, category, field_report, local, question

pytestmark = pytest.mark.django_db


def refused(call) -> str:
    with pytest.raises(ApiError) as error:
        call()
    return error.value.code


def test_local_categories_go_to_the_commune_people_committee(cast):
    item = field_report(cast, commune="25480")  # by code: phường Tân Ninh? any commune of 80
    assert item.receiving_agency.code == "UBX25480"
    assert item.commune.code == "25480"


def test_non_local_categories_go_to_their_agency(cast):
    assert question(cast).receiving_agency.code == "STP"
    land = question(cast, category=category("hoi-dap-dat-dai"))
    assert land.receiving_agency.code == "SNNMT"
    petition = question(cast, kind=Item.Kind.FEEDBACK, category=category("thu-tuc-hanh-chinh"))
    assert petition.receiving_agency.code == "VPUBND"
    assert petition.code.startswith("PA-")


def test_every_category_routes_somewhere(cast):
    for cat in Category.objects.all():
        agency = services.route(cat, cast.commune)
        assert agency.is_active
        assert agency.code == (f"UBX{COMMUNE}" if cat.local else cat.agency.code)


def test_codes_follow_a_daily_sequence_per_kind(cast):
    first, second = field_report(cast), field_report(cast)
    other_day = field_report(cast, moment=local(2026, 3, 3, 8, 0))
    q = question(cast)
    assert (first.code, second.code) == ("HT-260302-0001", "HT-260302-0002")
    assert other_day.code == "HT-260303-0001"
    assert q.code == "HD-260302-0001"


def test_a_field_report_needs_a_commune_and_a_place_in_the_province(cast):
    assert refused(lambda: field_report(cast, commune=None)) == "commune_required"
    assert refused(lambda: field_report(cast, latitude=None, longitude=None)) == (
        "location_required"
    )
    assert refused(lambda: field_report(cast, longitude=None)) == "invalid_location"
    assert refused(lambda: field_report(cast, latitude="abc")) == "invalid_location"
    assert refused(lambda: field_report(cast, latitude="91")) == "invalid_location"
    # Ho Chi Minh City's centre, Phnom Penh, and (0, 0) from a phone without a fix.
    for lat, lon in (("10.776900", "106.700900"), ("11.556400", "104.928200"), ("0", "0")):
        with pytest.raises(ApiError) as error:
            field_report(cast, latitude=lat, longitude=lon)
        assert error.value.code == "location_outside_province"


def test_the_province_polygon_holds_its_towns():
    towns = {
        "Tây Ninh (Tân Ninh)": (11.3100, 106.0983),
        "Tân Biên": (11.5523, 105.9951),
        "Tân An (Long An)": (10.5353, 106.4136),
        "Cần Giuộc": (10.6080, 106.6710),
        "Mộc Hóa (Kiến Tường)": (10.7769, 105.9311),
        "Tân Hưng": (10.8340, 105.6600),
        "Trảng Bàng": (11.0320, 106.3600),
    }
    for name, (lat, lon) in towns.items():
        assert area.inside(lat, lon), name
    for name, (lat, lon) in {
        "Thủ Dầu Một": (10.9804, 106.6519),
        "Cao Lãnh": (10.4600, 105.6300),
        "Mỹ Tho": (10.3600, 106.3600),
    }.items():
        assert not area.inside(lat, lon), name


def test_the_commune_must_be_a_current_commune_of_the_province(cast):
    assert refused(lambda: field_report(cast, commune="00001")) == "invalid_commune"  # Hà Nội
    assert refused(lambda: field_report(cast, commune="80")) == "invalid_commune"  # a province
    assert refused(lambda: field_report(cast, commune="99999")) == "invalid_commune"


def test_an_anonymous_author_leaves_a_phone_or_an_email(cast):
    assert refused(lambda: field_report(cast, author=None)) == "contact_required"
    item = field_report(cast, author=None, contact_phone="+84 912 000 111", contact_name="An")
    assert (item.author, item.contact_phone) == (None, "0912000111")
    item = field_report(cast, author=None, contact_email="an@example.vn")
    assert item.contact_email == "an@example.vn"
    assert refused(lambda: field_report(cast, author=None, contact_phone="12345")) == (
        "invalid_phone"
    )
    assert refused(lambda: field_report(cast, author=None, contact_email="an@")) == (
        "invalid_email"
    )


def test_a_signed_in_author_is_reached_through_the_account(cast):
    item = field_report(cast)
    assert (item.author, item.contact_name, item.contact_phone) == (
        cast.citizen,
        "Nguyễn Thị Ánh",
        "0912345678",
    )


def test_kind_category_title_and_text_are_checked(cast):
    assert refused(lambda: field_report(cast, kind="complaint")) == "invalid_kind"
    assert refused(lambda: field_report(cast, category=category("hoi-dap-ho-tich"))) == (
        "invalid_category"
    )
    Category.objects.filter(code="hu-hong-duong").update(active=False)
    assert refused(lambda: field_report(cast)) == "invalid_category"
    Category.objects.filter(code="hu-hong-duong").update(active=True)
    assert refused(lambda: field_report(cast, title="  ")) == "required"
    assert refused(lambda: field_report(cast, text="")) == "required"
    assert refused(lambda: field_report(cast, title="x" * 201)) == "too_long"


def test_category_attributes_are_typed_and_required_ones_present(cast):
    with pytest.raises(ApiError) as error:
        field_report(cast, attributes={})
    assert error.value.code == "invalid_attributes"
    assert error.value.details == [{"field": "muc_do", "message": "Cần nhập thông tin này."}]
    assert refused(lambda: field_report(cast, attributes={"muc_do": "rat_nang"})) == (
        "invalid_attributes"
    )
    bad_number = {"muc_do": "nhe", "dien_tich_m2": "nhiều"}
    assert refused(lambda: field_report(cast, attributes=bad_number)) == "invalid_attributes"
    item = field_report(cast, attributes={"muc_do": "nhe", "dien_tich_m2": "2.5", "x": "y"})
    assert item.attributes == {"muc_do": "nhe", "dien_tich_m2": 2.5}
    rubbish = category("rac-thai")
    item = field_report(cast, category=rubbish, attributes={"loai_rac": ["sinh_hoat", "xay_dung"]})
    assert item.attributes == {"loai_rac": ["sinh_hoat", "xay_dung"]}
    assert (
        refused(
            lambda: field_report(
                cast, category=rubbish, attributes={"loai_rac": ["sinh_hoat", "?"]}
            )
        )
        == "invalid_attributes"
    )


def test_photos_are_typed_from_their_content_and_limited(cast, settings):
    item = field_report(cast, photos=[("a.jpg", JPEG), ("b.png", PNG)])
    assert [p.content_type for p in item.photos.all()] == ["image/jpeg", "image/png"]
    stored = [p.file.name.rsplit("/", 1)[-1] for p in item.photos.all()]
    assert all(len(name) == 36 and name[:32].isalnum() for name in stored)  # random hex names
    pdf = b"%PDF-1.7\n%%EOF\n"
    assert refused(lambda: field_report(cast, photos=[("anh.jpg", pdf)])) == "file_refused"
    assert refused(lambda: field_report(cast, photos=[("rong.jpg", b"")])) == "file_refused"
    settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES = 50
    assert refused(lambda: field_report(cast, photos=[("to.jpg", JPEG)])) == "file_refused"
    settings.EGOV_FEEDBACK_MAX_PHOTOS = 1
    assert refused(lambda: field_report(cast, photos=[("a.png", PNG), ("b.png", PNG)])) == (
        "too_many_photos"
    )


def test_a_refused_submission_leaves_nothing_behind(cast):
    before = (Item.objects.count(), ItemEvent.objects.count())
    refused(lambda: field_report(cast, photos=[("anh.jpg", b"not an image")]))
    assert (Item.objects.count(), ItemEvent.objects.count()) == before


def test_what_the_public_would_see_is_stored_masked(cast):
    item = field_report(cast, text="Tôi là Nguyễn Văn An, gọi 0912345678. Ổ gà trước nhà.")
    assert item.public_text == "Tôi là ***, gọi ***. Ổ gà trước nhà."
    assert item.text.startswith("Tôi là Nguyễn Văn An")
    assert item.published_at is None and item.search_key == ""


def test_field_report_inside_point_used_by_the_tests_is_in_tan_bien():
    assert area.inside(*INSIDE)


def test_submitting_outside_working_hours_counts_from_the_next_working_moment(cast):
    with at(local(2026, 3, 7, 22, 0)):  # a Saturday night
        item = services.submit(
            cast.citizen,
            kind=Item.Kind.QUESTION,
            category=category("hoi-dap-ho-tich"),
            title="Hỏi về chứng thực",
            text="Chứng thực bản sao ở đâu?",
        )
    assert item.due_at == local(2026, 3, 17, 17, 0)  # 7 working days from Monday 9 March 07:00
