"""What the new user's trial found public: unmasked details, moderation by the forwarding agency,
Open311 listing unreviewed items."""

import json

import pytest
from django.test import Client

from egov.core.api_errors import Forbidden
from egov.feedback import open311, services

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
