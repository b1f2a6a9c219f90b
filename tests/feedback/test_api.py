"""The feedback API over real HTTP requests (Django's test client): anonymous and signed-in
submission with photos, tracking, the public answers, rating and reopening, the officials'
inbox and actions, and the structured errors."""

import io

import pytest
from django.test import Client

from egov.feedback.models import Item
from egov.identity.services import issue_token

from .conftest import COMMUNE, INSIDE, JPEG, at, field_report, local

pytestmark = pytest.mark.django_db
BASE = "/api/v1/feedback"
REPORT = {
    "kind": "field_report",
    "category": "den-chieu-sang",
    "title": "Đèn đường không sáng",
    "text": "Ba cột đèn trên đường Nguyễn Chí Thanh không sáng từ tuần trước. Gọi tôi 0912000111.",
    "commune": COMMUNE,
    "latitude": INSIDE[0],
    "longitude": INSIDE[1],
    "may_publish": True,
    "contact_phone": "0912000111",
    "attributes": {"tinh_trang": "khong_sang"},
}


def client_for(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user).token}")


def post(client: Client, path: str, body: dict):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


def test_categories_list_their_attributes(db):
    response = Client().get(f"{BASE}/categories", {"kind": "field_report"})
    assert response.status_code == 200
    light = next(c for c in response.json() if c["code"] == "den-chieu-sang")
    assert light["local"] is True and light["deadline_days"] == 3
    assert [a["code"] for a in light["attributes"]] == ["tinh_trang", "ma_cot_den"]


def test_an_anonymous_citizen_submits_tracks_and_rates(cast):
    with at(local(2026, 3, 2, 8, 0)):
        response = post(Client(), "", REPORT)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"].startswith("HT-260302-") and body["status"] == "submitted"
    assert body["current_agency"] == f"UBX{COMMUNE}" and body["channel"] == "api"
    assert body["open311_status"] == "open" and body["draft"] == ""
    code = body["code"]
    tracked = post(Client(), "/track", {"code": code, "contact": "0912 000 111"})
    assert tracked.status_code == 200 and tracked.json()["text"] == REPORT["text"]
    wrong = post(Client(), "/track", {"code": code, "contact": "0912000112"})
    assert wrong.status_code == 404 and wrong.json()["code"] == "feedback_not_found"
    # The commune answers it; the citizen rates it with the phone.
    officials = client_for(cast.agency_leader)
    specialist = client_for(cast.specialist)
    assert post(specialist, f"/{code}/actions", {"action": "accept"}).status_code == 403
    reception = client_for(cast.reception)
    with at(local(2026, 3, 2, 9, 0)):
        assert post(reception, f"/{code}/actions", {"action": "accept"}).status_code == 200
        answered = post(
            officials, f"/{code}/actions", {"action": "answer", "text": "Đã thay bóng."}
        )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    page = Client().get(f"{BASE}/answers", {"q": "den duong"}).json()
    assert [i["code"] for i in page["items"]] == [code]
    assert "0912000111" not in page["items"][0]["text"]
    refused = post(Client(), f"/{code}/rate", {"rating": "satisfied", "contact": "0987654321"})
    assert refused.status_code == 404
    with at(local(2026, 3, 3, 9, 0)):
        rated = post(Client(), f"/{code}/rate", {"rating": "satisfied", "contact": "0912000111"})
    assert rated.status_code == 200 and rated.json()["status"] == "closed"


def test_a_signed_in_citizen_submits_with_photos_and_attributes(cast):
    citizen = client_for(cast.citizen)
    fields = {k: v for k, v in REPORT.items() if k not in ("attributes", "contact_phone")}
    fields["may_publish"] = "true"
    fields["attribute[tinh_trang]"] = "chap_chon"
    photo = io.BytesIO(JPEG)
    photo.name = "den-hong.jpg"
    with at(local(2026, 3, 2, 8, 0)):
        response = citizen.post(f"{BASE}/multipart", {**fields, "photos": [photo]})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["attributes"] == {"tinh_trang": "chap_chon"}
    assert body["contact_phone"] == "0912345678"
    [shown] = body["photos"]
    assert shown["content_type"] == "image/jpeg" and shown["name"] == "den-hong.jpg"
    download = citizen.get(shown["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == JPEG
    assert client_for(cast.other_citizen).get(shown["url"]).status_code == 404
    mine = citizen.get(f"{BASE}/{body['id']}")
    assert mine.status_code == 200 and mine.json()["code"] == body["code"]


def test_bad_input_gets_structured_errors(cast):
    outside = {**REPORT, "latitude": "10.776900", "longitude": "106.700900"}
    response = post(Client(), "", outside)
    assert response.status_code == 422
    assert response.json() == {
        "code": "location_outside_province",
        "message": "Vị trí đã chọn nằm ngoài địa bàn tỉnh.",
    }
    response = post(Client(), "", {**REPORT, "attributes": {}})
    assert response.json()["code"] == "invalid_attributes"
    assert response.json()["details"][0]["field"] == "tinh_trang"
    assert post(Client(), "", {**REPORT, "category": "khong-co"}).json()["code"] == (
        "invalid_category"
    )
    assert post(Client(), "", {"kind": "field_report"}).json()["code"] == "validation_error"
    pdf = io.BytesIO(b"%PDF-1.7\n%%EOF\n")
    pdf.name = "anh.jpg"
    fields = {k: v for k, v in REPORT.items() if k != "attributes"}
    fields["attribute[tinh_trang]"] = "khong_sang"
    response = Client().post(f"{BASE}/multipart", {**fields, "photos": [pdf]})
    assert response.status_code == 422 and response.json()["code"] == "file_refused"
    assert not Item.objects.exists()


def test_the_officials_inbox_and_the_whole_staff_flow(cast):
    item = field_report(cast)
    reception, specialist = client_for(cast.reception), client_for(cast.specialist)
    leader = client_for(cast.unit_leader)
    inbox = reception.get(f"{BASE}/inbox", {"tab": "receive"}).json()
    assert [i["code"] for i in inbox["items"]] == [item.code]
    with at(local(2026, 3, 3, 9, 0)):
        steps = [
            (reception, {"action": "accept", "version": inbox["items"][0]["version"]}),
            (reception, {"action": "assign", "assignee": "cv.tb"}),
            (specialist, {"action": "save_draft", "text": "Đã báo đơn vị vá đường."}),
            (specialist, {"action": "submit_for_approval"}),
            (leader, {"action": "send_back", "note": "Ghi rõ ngày vá."}),
            (specialist, {"action": "submit_for_approval", "text": "Đã vá ngày 04/3/2026."}),
            (leader, {"action": "approve"}),
        ]
        for client, body in steps:
            response = post(client, f"/{item.public_id}/actions", body)
            assert response.status_code == 200, (body, response.json())
    final = response.json()
    assert final["status"] == "answered" and final["answer"] == "Đã vá ngày 04/3/2026."
    assert [h["action"] for h in final["history"]][-3:] == [
        "send_back",
        "submit_for_approval",
        "approve",
    ]
    hidden = post(reception, f"/{item.public_id}/actions", {"action": "hide", "note": "Xúc phạm."})
    assert hidden.status_code == 200 and hidden.json()["hidden"]
    conflict = post(leader, f"/{item.public_id}/actions", {"action": "approve", "version": 1})
    assert conflict.status_code == 409


def test_staff_endpoints_need_credentials_and_hide_what_one_may_not_see(cast):
    item = field_report(cast)
    assert Client().get(f"{BASE}/inbox").status_code == 401
    assert Client().get(f"{BASE}/{item.code}").status_code == 401
    outsider = client_for(cast.other_specialist)
    assert outsider.get(f"{BASE}/{item.code}").status_code == 404
    assert post(outsider, f"/{item.code}/actions", {"action": "accept"}).status_code == 404
    reception = client_for(cast.reception)
    assert post(reception, f"/{item.code}/actions", {"action": "fly"}).json()["code"] == (
        "invalid_action"
    )
    assert reception.get(f"{BASE}/inbox", {"tab": "x"}).json()["code"] == "invalid_query"
    # The citizen reads their own item without the officials' notes and draft.
    citizen = client_for(cast.citizen).get(f"{BASE}/{item.code}").json()
    assert citizen["assignee"] is None and all(h["note"] == "" for h in citizen["history"])


def test_duplicates_and_merge_through_the_api(cast):
    first = field_report(cast)
    second = field_report(cast, author=cast.other_citizen)
    reception = client_for(cast.reception)
    found = reception.get(f"{BASE}/{second.code}/duplicates").json()
    assert [d["code"] for d in found] == [first.code]
    assert client_for(cast.citizen).get(f"{BASE}/{first.code}/duplicates").status_code == 404
    with at(local(2026, 3, 3, 9, 0)):
        merged = post(reception, f"/{second.code}/actions", {"action": "merge", "into": first.code})
    assert merged.json()["status"] == "merged" and merged.json()["duplicate_of"] == first.code


def test_the_answers_search_refuses_silly_queries(db):
    assert Client().get(f"{BASE}/answers", {"q": "x" * 201}).status_code == 422
    assert Client().get(f"{BASE}/answers", {"page": 0}).status_code == 422
    assert Client().get(f"{BASE}/answers").json() == {"items": [], "page": 1, "has_next": False}


def post_with_key(client: Client, path: str, body: dict, key: str):
    return client.post(
        f"{BASE}{path}", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_retried_submission_with_the_same_idempotency_key_files_one_item(cast):
    key = "4f9c2e7a-retry-8d1b-6a3f0e5c"
    with at(local(2026, 3, 2, 8, 0)):
        first = post_with_key(Client(), "", REPORT, key)
        again = post_with_key(Client(), "", REPORT, key)
    assert (first.status_code, again.status_code) == (201, 200), again.json()
    assert again.json()["code"] == first.json()["code"]
    assert Item.objects.count() == 1
    changed = post_with_key(Client(), "", {**REPORT, "title": "Đèn vẫn không sáng"}, key)
    assert changed.status_code == 409 and changed.json()["code"] == "idempotency_conflict"
    # Another anonymous sender who knows the key learns nothing of the first item.
    other_contact = post_with_key(Client(), "", {**REPORT, "contact_phone": "0987000222"}, key)
    assert other_contact.status_code == 409
    assert first.json()["code"] not in other_contact.content.decode()
    short = post_with_key(Client(), "", REPORT, "ngan")
    assert short.status_code == 422 and short.json()["code"] == "invalid_idempotency_key"
    assert Item.objects.count() == 1


def test_a_retried_multipart_submission_returns_the_first_item_and_its_photo(cast):
    citizen = client_for(cast.citizen)
    fields = {k: v for k, v in REPORT.items() if k not in ("attributes", "contact_phone")}
    fields["attribute[tinh_trang]"] = "khong_sang"

    def send(content: bytes):
        photo = io.BytesIO(content)
        photo.name = "den.jpg"
        return citizen.post(
            f"{BASE}/multipart", {**fields, "photos": [photo]}, HTTP_IDEMPOTENCY_KEY="k-1"
        )

    with at(local(2026, 3, 2, 8, 0)):
        first, again = send(JPEG), send(JPEG)
    assert (first.status_code, again.status_code) == (201, 200), again.json()
    assert again.json()["code"] == first.json()["code"]
    assert len(again.json()["photos"]) == 1
    assert send(JPEG + b"\x01").json()["code"] == "idempotency_conflict"  # another photo
    assert Item.objects.get().photos.count() == 1
    # The key is the signed-in author's own: another citizen's same key files their own item.
    other = client_for(cast.other_citizen).post(
        f"{BASE}/multipart", fields, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 201 and other.json()["code"] != first.json()["code"]


def test_the_openapi_lists_the_idempotency_key_header(db):
    spec = Client().get("/api/openapi.json").json()
    for path in (BASE, f"{BASE}/multipart"):
        operation = spec["paths"][path]["post"]
        [header] = [p for p in operation["parameters"] if p["in"] == "header"]
        assert header["name"] == "Idempotency-Key"
        assert {"200", "201", "409"} <= set(operation["responses"])
