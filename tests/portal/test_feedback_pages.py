"""The citizen's feedback pages (/phan-anh/): send, confirmation, follow, rate, reopen, public.

The cast is feedback's (tests/feedback/conftest.py): the People's Committee of xã Tân Biên
receives local field reports, Sở Tư pháp questions on civil status.
"""

# ruff: noqa: F811 -- the feedback cast replaces this folder's (dossiers') cast fixture by name

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.feedback import services
from egov.feedback.models import Item
from tests.feedback.conftest import (  # noqa: F401 (cast is a fixture)
    COMMUNE,
    INSIDE,
    JPEG,
    answered,
    at,
    cast,
    field_report,
    local,
)

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def report_form(**overrides) -> dict:
    data = {
        "category": "hu-hong-duong",
        "attr-hu-hong-duong-muc_do": "trung_binh",
        "title": "Ổ gà trên đường 30/4",
        "text": "Ổ gà lớn trước cổng chợ Tân Biên, xe máy dễ té ngã.",
        "commune": COMMUNE,
        "address": "Đường 30/4, trước cổng chợ",
        "latitude": INSIDE[0],
        "longitude": INSIDE[1],
        "may_publish": "on",
    }
    data.update(overrides)
    return data


def test_the_landing_page_offers_the_three_kinds():
    html = Client().get("/phan-anh/").content.decode()
    for path in (
        "/phan-anh/gui/kien-nghi/",
        "/phan-anh/gui/hoi-dap/",
        "/phan-anh/gui/hien-truong/",
    ):
        assert path in html
    assert "Phản ánh hiện trường" in html and "/phan-anh/cong-khai/" in html
    assert "ngày làm việc" in html


def test_an_unknown_kind_is_404():
    assert Client().get("/phan-anh/gui/khong-co/").status_code == 404


def test_the_field_report_form_asks_for_the_place_and_the_category_questions():
    html = Client().get("/phan-anh/gui/hien-truong/").content.decode()
    assert 'name="latitude"' in html and 'name="longitude"' in html
    assert "Dùng vị trí của tôi" in html
    assert 'name="attr-hu-hong-duong-muc_do"' in html and "Mức độ hư hỏng" in html
    assert 'name="contact_phone"' in html  # anonymous: a way to reach them
    question_form = Client().get("/phan-anh/gui/hoi-dap/").content.decode()
    assert 'name="latitude"' not in question_form


def test_a_signed_in_citizen_sends_a_field_report_with_a_photo(cast):
    client = client_for(cast.citizen)
    photo = SimpleUploadedFile("o-ga.jpg", JPEG, content_type="image/jpeg")
    with at(local(2026, 3, 2, 8, 0)):
        response = client.post("/phan-anh/gui/hien-truong/", {**report_form(), "photos": [photo]})
    assert response.status_code == 302
    item = Item.objects.get()
    assert response["Location"] == f"/phan-anh/da-gui/{item.code}/"
    assert item.author == cast.citizen and item.current_agency == cast.agency
    assert item.attributes == {"muc_do": "trung_binh"}
    assert item.photos.count() == 1 and item.may_publish
    html = client.get(response["Location"]).content.decode()
    assert item.code in html and cast.agency.name in html
    # The signed-in author follows it from "my feedback".
    mine = client.get("/phan-anh/cua-toi/").content.decode()
    assert item.code in mine and "Ổ gà trên đường 30/4" in mine
    page = client.get(f"/phan-anh/tra-cuu/{item.code}/").content.decode()
    photo_url = f"/phan-anh/tra-cuu/{item.code}/anh/{item.photos.get().public_id}/"
    assert photo_url in page
    assert client.get(photo_url).status_code == 200
    assert client_for(cast.other_citizen).get(photo_url).status_code == 404


def test_every_error_is_in_vietnamese_next_to_its_field_and_nothing_typed_is_lost(cast):
    data = report_form(
        latitude="10.776900", longitude="106.700900", contact_phone="12ab", title="Tiêu đề giữ lại"
    )
    data.pop("attr-hu-hong-duong-muc_do")
    response = Client().post("/phan-anh/gui/hien-truong/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Số điện thoại gồm 10 hoặc 11 chữ số" in html
    assert 'value="Tiêu đề giữ lại"' in html and 'value="10.776900"' in html
    assert 'value="12ab"' in html
    assert Item.objects.count() == 0
    # The form is right now; the domain refuses the place (Ho Chi Minh City centre), and the
    # missing category answer is still reported, each next to its field.
    response = Client().post(
        "/phan-anh/gui/hien-truong/",
        {**data, "contact_phone": "0912000111"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "nằm ngoài địa bàn tỉnh" in html and 'value="0912000111"' in html
    assert 'id="id_attr-hu-hong-duong-muc_do_error"' in html
    data["latitude"], data["longitude"] = INSIDE
    response = Client().post("/phan-anh/gui/hien-truong/", {**data, "contact_phone": "0912000111"})
    html = response.content.decode()
    assert response.status_code == 422 and "Cần nhập thông tin này." in html
    assert 'id="id_attr-hu-hong-duong-muc_do_error"' in html


def test_a_missing_category_answer_is_reported_with_the_forms_errors(cast):
    data = report_form(contact_phone="12ab", title="")
    data.pop("attr-hu-hong-duong-muc_do")
    html = Client().post("/phan-anh/gui/hien-truong/", data).content.decode()
    assert "Số điện thoại gồm 10 hoặc 11 chữ số" in html  # the form's errors …
    assert 'id="id_title_error"' in html
    assert 'id="id_attr-hu-hong-duong-muc_do_error"' in html  # … and the attribute's, at once
    assert "Cần nhập thông tin này." in html
    assert "Thông tin bổ sung của lĩnh vực chưa hợp lệ." in html
    assert Item.objects.count() == 0


def test_a_place_outside_the_province_is_refused_on_the_latitude(cast):
    data = report_form(latitude="10.776900", longitude="106.700900", contact_phone="0912000111")
    response = Client().post("/phan-anh/gui/hien-truong/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Vị trí đã chọn nằm ngoài địa bàn tỉnh." in html
    assert 'id="id_latitude_error"' in html


def test_an_anonymous_sender_needs_a_phone_or_an_email(cast):
    response = Client().post("/phan-anh/gui/hien-truong/", report_form())
    assert response.status_code == 422
    assert "Cần số điện thoại hoặc thư điện tử" in response.content.decode()


def test_an_anonymous_author_follows_rates_and_reopens_with_code_and_contact(cast):
    client = Client()
    with at(local(2026, 3, 2, 8, 0)):
        response = client.post(
            "/phan-anh/gui/hien-truong/", report_form(contact_email="dan@example.vn")
        )
    item = Item.objects.get()
    assert item.author is None and item.contact_email == "dan@example.vn"
    # The sending session sees it at once; another visitor must prove they sent it.
    assert client.get(response["Location"]).status_code == 200
    stranger = Client()
    assert stranger.get(f"/phan-anh/tra-cuu/{item.code}/").status_code == 404
    wrong = stranger.post("/phan-anh/tra-cuu/", {"code": item.code, "contact": "ai@example.vn"})
    assert wrong.status_code == 422
    assert "Không tìm thấy phản ánh với mã và thông tin liên hệ này." in wrong.content.decode()
    right = stranger.post(
        "/phan-anh/tra-cuu/", {"code": item.code.lower(), "contact": "DAN@example.vn"}
    )
    assert right.status_code == 302 and right["Location"] == f"/phan-anh/tra-cuu/{item.code}/"
    answered(cast, item)
    page = stranger.get(right["Location"]).content.decode()
    assert "Đã vá ổ gà ngày 03/3/2026." in page and "Đánh giá câu trả lời" in page
    # Rating without a choice: a Vietnamese message, nothing lost.
    empty = stranger.post(f"/phan-anh/tra-cuu/{item.code}/danh-gia/", {"rate-comment": "Cảm ơn"})
    assert empty.status_code == 422 and "Hãy chọn một mức đánh giá." in empty.content.decode()
    assert "Cảm ơn" in empty.content.decode()
    # Dissatisfied keeps it answered, so it can be reopened once.
    rated = stranger.post(
        f"/phan-anh/tra-cuu/{item.code}/danh-gia/", {"rate-rating": "dissatisfied"}
    )
    assert rated.status_code == 302
    item.refresh_from_db()
    assert item.rating == "dissatisfied" and item.status == Item.Status.ANSWERED
    reopened = stranger.post(
        f"/phan-anh/tra-cuu/{item.code}/mo-lai/", {"reopen-reason": "Ổ gà vẫn còn."}
    )
    assert reopened.status_code == 302
    item.refresh_from_db()
    assert item.reopened == 1 and item.status == Item.Status.IN_PROGRESS
    assert "Yêu cầu xem xét lại" in stranger.get(right["Location"]).content.decode()


def test_the_follow_link_of_the_messages_fills_in_the_code(cast):
    item = field_report(cast)
    html = Client().get(services.tracking_url(item)).content.decode()
    assert f'value="{item.code}"' in html


def test_the_signed_in_author_sees_only_their_own(cast):
    item = field_report(cast)
    assert client_for(cast.other_citizen).get(f"/phan-anh/tra-cuu/{item.code}/").status_code == 404
    assert client_for(cast.citizen).get(f"/phan-anh/tra-cuu/{item.code}/").status_code == 200
    assert (
        item.code not in client_for(cast.other_citizen).get("/phan-anh/cua-toi/").content.decode()
    )


def test_staff_cannot_send_as_citizens(cast):
    assert client_for(cast.reception).get("/phan-anh/gui/hoi-dap/").status_code == 403


def test_the_public_page_shows_masked_answers_and_searches_without_diacritics(cast):
    text = "Tôi là Nguyễn Văn Tư, điện thoại 0911222333: ổ gà sâu trước cổng chợ Tân Biên."
    item = answered(cast, field_report(cast, text=text))
    html = Client().get("/phan-anh/cong-khai/").content.decode()
    assert item.code in html and "Đã vá ổ gà ngày 03/3/2026." in html
    assert "Nguyễn Văn Tư" not in html and "0911222333" not in html
    found = Client().get("/phan-anh/cong-khai/", {"q": "o ga truoc cong cho"}).content.decode()
    assert item.code in found
    none = Client().get("/phan-anh/cong-khai/", {"q": "ngap nuoc"}).content.decode()
    assert item.code not in none and "Không tìm thấy câu trả lời nào phù hợp." in none
    other_category = Client().get("/phan-anh/cong-khai/", {"category": "y-te"}).content.decode()
    assert item.code not in other_category
    same_commune = Client().get("/phan-anh/cong-khai/", {"commune": COMMUNE}).content.decode()
    assert item.code in same_commune
    # A bad page number is the first page, not an error.
    assert Client().get("/phan-anh/cong-khai/", {"page": "x"}).status_code == 200


def test_the_public_page_does_not_query_per_answer(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            Client().get("/phan-anh/cong-khai/", {"q": "o ga"})
        return len(captured)

    answered(cast, field_report(cast))
    one = queries()
    for day in (4, 5, 6):
        answered(cast, field_report(cast, moment=local(2026, 3, day, 8, 0)), local(2026, 3, 9, 9))
    assert queries() == one


def test_the_public_page_pages_newest_first(cast):
    items = [
        answered(
            cast,
            field_report(cast, moment=local(2026, 3, 2, 7, minute)),
            local(2026, 3, 3, 9, minute),
        )
        for minute in range(21)
    ]
    first = Client().get("/phan-anh/cong-khai/").content.decode()
    assert items[20].code in first and items[1].code in first and items[0].code not in first
    assert 'href="?page=2"' in first and 'rel="prev"' not in first
    second = Client().get("/phan-anh/cong-khai/", {"page": "2"}).content.decode()
    assert items[0].code in second and items[1].code not in second
    assert 'href="?page=1"' in second and 'rel="next"' not in second


def test_too_many_wrong_guesses_are_refused_for_a_while(cast, settings):
    settings.EGOV_TRACK_MAX_FAILURES = 2
    item = field_report(cast)
    guesser = Client()
    for phone in ("0900000001", "0900000002"):
        response = guesser.post("/phan-anh/tra-cuu/", {"code": item.code, "contact": phone})
        assert response.status_code == 422
    right = guesser.post("/phan-anh/tra-cuu/", {"code": item.code, "contact": "0912345678"})
    assert right.status_code == 429
    assert "Bạn đã tra cứu sai quá nhiều lần." in right.content.decode()
    assert (
        Client(REMOTE_ADDR="10.0.0.9")
        .post("/phan-anh/tra-cuu/", {"code": item.code, "contact": "0912345678"})
        .status_code
        == 302
    )


def form_token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_a_form_sent_twice_files_one_item_and_both_land_on_its_confirmation(cast):
    client, url = Client(), "/phan-anh/gui/hien-truong/"
    token = form_token(client.get(url).content.decode())
    assert len(token) >= 16 and token != form_token(client.get(url).content.decode())
    form = report_form(contact_phone="0912000111", token=token)
    with at(local(2026, 3, 2, 8, 0)):
        first, again = client.post(url, form), client.post(url, form)
    item = Item.objects.get()
    assert (first.status_code, again.status_code) == (302, 302)
    assert first["Location"] == again["Location"] == f"/phan-anh/da-gui/{item.code}/"
    assert item.code in client.get(again["Location"]).content.decode()
    # The same form with other content, or another contact, under the used key: refused.
    for changed in ({"title": "Ổ gà khác"}, {"contact_phone": "0987000222"}):
        with at(local(2026, 3, 2, 8, 5)):
            refused = Client().post(url, {**form, **changed})
        html = refused.content.decode()
        assert refused.status_code == 422 and "Biểu mẫu này đã được dùng" in html
        assert item.code not in html and form_token(html) != token  # a fresh key to send anew
        assert 'value="Đường 30/4, trước cổng chợ"' in html  # nothing typed is lost
    assert Item.objects.count() == 1
