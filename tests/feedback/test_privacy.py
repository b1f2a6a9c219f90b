"""What the new user's trial found public: unmasked details, moderation by the forwarding agency,
Open311 listing unreviewed items."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from egov.core.api_errors import Forbidden
from egov.feedback import open311, services
from egov.feedback.models import Item

from .conftest import answered, at, field_report, local

pytestmark = pytest.mark.django_db

TRIAL = (
    "Hộ Lê Thị Mai ở 45 đường Trần Hưng Đạo (CCCD 072 090 000 999, ĐT (0276) 3822 123) lấn "
    "chiếm hẻm. Người báo: Nguyễn Văn Bình."
)
MARCH = {"start_date": "2026-03-01T00:00:00+07:00", "end_date": "2026-03-31T00:00:00+07:00"}
SECRETS = ["Lê Thị Mai", "Nguyễn Văn Bình", "072 090 000 999", "3822 123", "45 đường", "Sáu Tèo"]


def test_the_trial_text_is_masked_on_every_public_surface(cast):
    item = field_report(
        cast,
        author=None,
        text=TRIAL + " Gọi Sáu Tèo 0912 000 111.",
        contact_name="Sáu Tèo",
        contact_phone="0912000111",
    )
    answered(cast, item)
    surfaces = [
        Client().get("/phan-anh/cong-khai/").content.decode(),
        json.dumps(Client().get("/api/v1/feedback/answers").json(), ensure_ascii=False),
        json.dumps(Client().get("/open311/v2/requests.json", MARCH).json(), ensure_ascii=False),
    ]
    for body in surfaces:
        assert "Trần Hưng Đạo" in body
        for secret in [*SECRETS, "0912 000 111"]:
            assert secret not in body, secret


def test_only_the_current_agency_moderates(cast):
    item = field_report(cast)
    with at(local(2026, 3, 2, 9, 0)):
        item = services.forward(cast.reception, item, cast.other_agency, "Không thuộc thẩm quyền.")
    with pytest.raises(Forbidden), at(local(2026, 3, 2, 10, 0)):
        services.hide(cast.reception, item, "Xúc phạm.")


def test_open311_lists_only_items_past_intake(cast):
    waiting = field_report(cast)
    assert waiting not in open311.listed_items()
    with at(local(2026, 3, 2, 9, 0)):
        services.accept(cast.reception, waiting)
    assert waiting in open311.listed_items()


def test_tracking_is_a_post_so_the_contact_stays_out_of_urls(cast, settings):
    settings.EGOV_TRACK_MAX_FAILURES = 3
    item = field_report(cast, author=None, contact_phone="0912000111")
    url = "/api/v1/feedback/track"
    anyone = Client()
    assert anyone.get(url, {"code": item.code, "contact": "0912000111"}).status_code == 405
    found = anyone.post(url, {"code": item.code, "contact": "0912000111"}, "application/json")
    assert found.status_code == 200 and found.json()["code"] == item.code
    wrong = {"code": item.code, "contact": "0912000999"}
    for _ in range(3):
        assert anyone.post(url, wrong, "application/json").status_code == 404
    blocked = anyone.post(url, {"code": item.code, "contact": "0912000111"}, "application/json")
    assert blocked.status_code == 429 and blocked.json()["code"] == "too_many_attempts"


def test_a_moderator_corrects_the_public_version_and_the_original_stays(cast):
    item = answered(cast)
    with at(local(2026, 3, 4, 9, 0)):
        item = services.edit_public(
            cast.reception,
            item,
            title="Ổ gà trước chợ",
            text="Ổ gà sâu trên đường 30/4.",
            answer="Đã vá.",
            reason="Rút gọn, bỏ chi tiết thừa.",
        )
    item.refresh_from_db()
    assert (item.public_title, item.public_text, item.public_answer) == (
        "Ổ gà trước chợ",
        "Ổ gà sâu trên đường 30/4.",
        "Đã vá.",
    )
    assert (
        item.title == "Ổ gà lớn trước chợ Tân Biên" and item.answer == "Đã vá ổ gà ngày 03/3/2026."
    )
    event = item.events.get(action="edit_public")
    assert event.actor == cast.reception and event.note == "Rút gọn, bỏ chi tiết thừa."
    body = Client().get("/phan-anh/cong-khai/").content.decode()
    assert "Ổ gà trước chợ" in body and "Ổ gà lớn trước chợ Tân Biên" not in body
    # Republishing (hide, unhide, refresh) keeps the correction.
    with at(local(2026, 3, 4, 10, 0)):
        services.hide(cast.reception, item, "Kiểm tra lại.")
        item = services.unhide(cast.reception, item)
    services.refresh_public_texts()
    item.refresh_from_db()
    assert item.public_title == "Ổ gà trước chợ" and item.published_at is not None


def test_the_public_version_edit_is_refused_to_others_and_when_empty(cast):
    item = answered(cast)
    with pytest.raises(Forbidden):
        services.edit_public(cast.specialist, item, title="T", text="X", answer="A")
    with pytest.raises(services.InvalidInput) as refused:
        services.edit_public(cast.reception, item, title="Tiêu đề", text="  ", answer="A")
    assert refused.value.code == "required"
    assert not item.events.filter(action="edit_public").exists()


def test_the_api_edits_the_public_version(cast):
    item = answered(cast)
    client = Client()
    client.force_login(cast.agency_leader)
    body = {
        "action": "edit_public",
        "title": "Ổ gà",
        "text": "Ổ gà trên đường 30/4.",
        "answer": "Đã vá.",
        "note": "Bỏ tên chợ.",
        "version": item.version,
    }
    url = f"/api/v1/feedback/{item.public_id}/actions"
    response = client.post(url, body, "application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["public_title"] == "Ổ gà"
    assert response.json()["title"] == "Ổ gà lớn trước chợ Tân Biên"
    stale = client.post(url, body, "application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"


def test_refresh_public_texts_masks_rows_stored_with_older_rules(cast):
    item = answered(cast, field_report(cast, text=TRIAL))
    Item.objects.filter(pk=item.pk).update(public_text=TRIAL)  # as the old rules stored it
    out = StringIO()
    call_command("refresh_public_texts", stdout=out)
    item.refresh_from_db()
    assert "Lê Thị Mai" not in item.public_text and "Nguyễn Văn Bình" not in item.public_text
    assert "1 item(s) changed" in out.getvalue()
