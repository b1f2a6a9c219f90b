"""The API contract: creation with Idempotency-Key, files, submit, detail, actions, queue,
tracking; 401/403/404/409/422 in the standard error shape."""

import io
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egov.dossiers import actions, files
from egov.identity.services import issue_token
from tests.dossiers.conftest import FORM, PDF, PNG, accepted, at, in_handling, local

BASE = "/api/v1/dossiers"


def client_for(user) -> Client:
    token = issue_token(user).token
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_without_credentials_401(db):
    response = Client().post(BASE, {"procedure": "TMP-LLTP-CD"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_online_path_through_the_api(cast):
    citizen = client_for(cast.citizen)
    body = {"procedure": "TMP-LLTP-CD", "form_data": FORM}
    with at(local(2026, 3, 2, 8, 0)):
        first = citizen.post(
            BASE, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-1"
        )
        again = citizen.post(
            BASE, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-1"
        )
    assert first.status_code == 201 and again.status_code == 200
    dossier_id = first.json()["id"]
    assert again.json()["id"] == dossier_id
    # Submitting without the mandatory components: 422, naming them.
    refused = citizen.post(f"{BASE}/{dossier_id}/submit")
    assert refused.status_code == 422 and refused.json()["code"] == "missing_components"
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in refused.json()["message"]
    for component in cast.procedure.components.filter(mandatory=True):
        upload = io.BytesIO(PDF)
        upload.name = "Giấy tờ tùy thân – bản sao.pdf"
        response = citizen.post(
            f"{BASE}/{dossier_id}/files", {"file": upload, "component_id": component.pk}
        )
        assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf"
    with at(local(2026, 3, 2, 8, 5)):
        one = citizen.post(f"{BASE}/{dossier_id}/submit")
        two = citizen.post(f"{BASE}/{dossier_id}/submit")
    assert one.status_code == two.status_code == 200
    assert one.json()["submitted_at"] == two.json()["submitted_at"]
    assert [e["action"] for e in two.json()["history"]].count("submit") == 1

    reception = client_for(cast.reception)
    with at(local(2026, 3, 2, 9, 0)):
        accepted_ = reception.post(
            f"{BASE}/{dossier_id}/actions", {"action": "accept"}, content_type="application/json"
        )
    data = accepted_.json()
    assert accepted_.status_code == 200, data
    assert data["code"] == "STP-260302-0001"
    assert data["national_status"] == 2 and data["status"] == "received"
    assert data["due_at"].startswith("2026-03-12T")
    assert data["deadline_state"] in ("in_time", "due_soon", "overdue")
    # A stale version is a 409 with the standard shape.
    stale = reception.post(
        f"{BASE}/{dossier_id}/actions",
        {"action": "assign", "assignee": "cv.stp", "version": data["version"] - 1},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    ok = reception.post(
        f"{BASE}/{dossier_id}/actions",
        {"action": "assign", "assignee": "cv.stp", "version": data["version"]},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["assignee"] == "cv.stp"
    # Download keeps the Vietnamese name.
    file_url = ok.json()["files"][0]["download_url"]
    download = client_for(cast.specialist).get(file_url)
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert "filename*=UTF-8''Gi%E1%BA%A5y%20t%E1%BB%9D" in disposition
    assert 'filename="Giay to tuy than' in disposition
    assert b"".join(download.streaming_content) == PDF


def test_others_dossiers_are_404(cast):
    dossier = accepted(cast)
    for user in (cast.other_citizen, cast.outsider, cast.administrator):
        response = client_for(user).get(f"{BASE}/{dossier.public_id}")
        assert response.status_code == 404
        assert response.json()["code"] == "dossier_not_found"
    assert client_for(cast.citizen).get(f"{BASE}/{dossier.public_id}").status_code == 200
    assert client_for(cast.citizen).get(f"{BASE}/12345").status_code == 404


def test_forbidden_action_is_403_and_bad_input_422(cast):
    dossier = in_handling(cast)
    url = f"{BASE}/{dossier.public_id}/actions"
    auditor = client_for(cast.auditor)
    response = auditor.post(url, {"action": "forward"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    specialist = client_for(cast.specialist)
    response = specialist.post(url, {"action": "fly"}, content_type="application/json")
    assert response.status_code == 422
    response = specialist.post(
        url, {"action": "request_supplement"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "missing_items"


def test_file_types_are_sniffed_from_the_content(cast):
    citizen = client_for(cast.citizen)
    created = citizen.post(
        BASE, {"procedure": "TMP-LLTP-CD", "form_data": FORM}, content_type="application/json"
    ).json()
    url = f"{BASE}/{created['id']}/files"
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "hop-dong.pdf"
    response = citizen.post(url, {"file": fake})
    assert response.status_code == 422 and response.json()["code"] == "file_refused"
    assert "hop-dong.pdf" in response.json()["message"]
    for content, kind in ((PNG, "image/png"), (_docx(), files.DOCX.content_type)):
        upload = io.BytesIO(content)
        upload.name = "ảnh chụp.bin"
        response = citizen.post(url, {"file": upload})
        assert response.status_code == 201 and response.json()["content_type"] == kind
    stored = cast.citizen.dossiers.get().files.first()
    assert stored.original_name == "ảnh chụp.bin"
    assert "ảnh" not in stored.file.name and stored.file.name.endswith(".png")


def test_a_zip_that_is_not_office_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    assert files.sniff(buffer.getvalue()) is None
    assert files.sniff(b"\xff\xd8\xff\xe0JFIF") == files.JPEG


def test_the_size_limit_is_a_setting(cast, settings):
    settings.EGOV_DOSSIER_FILE_MAX_BYTES = 100
    with pytest.raises(files.FileRefused):
        files.check_upload("lớn.pdf", PDF + b"0" * 200)


def track(client: Client, code: str, phone_last4: str):
    body = {"code": code, "phone_last4": phone_last4}
    return client.post(f"{BASE}/track", body, content_type="application/json")


def test_tracking_shows_status_only_and_slows_wrong_guesses(cast, settings):
    settings.EGOV_TRACK_MAX_FAILURES = 3
    dossier = accepted(cast)
    anyone = Client()
    found = track(anyone, dossier.code.lower(), "5678")
    assert found.status_code == 200
    assert found.json()["code"] == dossier.code and found.json()["national_status"] == 2
    assert "Nguyễn" not in found.content.decode() and "0912" not in found.content.decode()
    for _ in range(3):
        assert track(anyone, dossier.code, "0000").status_code == 404
    blocked = track(anyone, dossier.code, "5678")
    assert blocked.status_code == 429 and blocked.json()["code"] == "too_many_attempts"


def test_a_wrong_phone_and_an_unknown_code_answer_the_same_404(cast):
    dossier = accepted(cast)
    wrong_phone = track(Client(), dossier.code, "0000")
    unknown_code = track(Client(), "STP-990101-0001", "5678")
    assert wrong_phone.status_code == unknown_code.status_code == 404
    assert wrong_phone.json() == unknown_code.json()
    assert wrong_phone.json()["code"] == "dossier_not_found"


def test_successes_neither_count_nor_forgive_failures(cast, settings):
    settings.EGOV_TRACK_MAX_FAILURES = 3
    dossier = accepted(cast)
    anyone = Client()
    for _ in range(5):
        assert track(anyone, dossier.code, "5678").status_code == 200
    for _ in range(2):
        assert track(anyone, dossier.code, "1111").status_code == 404
    assert track(anyone, dossier.code, "5678").status_code == 200
    assert track(anyone, dossier.code, "").status_code == 404  # a blank guess is a failure too
    assert track(anyone, dossier.code, "5678").status_code == 429


def test_tracking_is_a_post_so_the_digits_stay_out_of_urls(cast):
    dossier = accepted(cast)
    url = f"{BASE}/track"
    refused = Client().get(url, {"code": dossier.code, "phone_last4": "5678"})
    assert refused.status_code == 405 and refused["Allow"] == "POST"
    # A body without the digits is a validation error naming the field, not a lookup.
    missing = Client().post(url, {"code": dossier.code}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["code"] == "validation_error"
    assert [d["field"] for d in missing.json()["details"]] == ["payload.phone_last4"]
    assert track(Client(), dossier.code, "5678").status_code == 200


def test_wrong_tracking_guesses_are_counted_in_the_database_for_every_process(cast):
    from django.db import connection

    dossier = accepted(cast)
    track(Client(), dossier.code, "0000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM egov_shared_cache")
        assert cursor.fetchone()[0] == 1


def test_the_queue_waits_for_the_right_people(cast):
    waiting = accepted(cast, local(2026, 3, 2, 8, 0))
    handled = in_handling(cast, local(2026, 3, 2, 9, 0))

    def codes(user, **params):
        response = client_for(user).get("/api/v1/workspace/queue", params)
        assert response.status_code == 200, response.content
        return [item["code"] for item in response.json()["items"]]

    assert codes(cast.reception) == [waiting.code]
    assert codes(cast.specialist) == [handled.code]
    assert codes(cast.outsider) == []
    assert codes(cast.agency_leader, scope="agency") == [waiting.code, handled.code]
    # Search without diacritics, by name and by code.
    assert codes(cast.agency_leader, scope="agency", q="nguyen thi anh") == [
        waiting.code,
        handled.code,
    ]
    assert codes(cast.agency_leader, scope="agency", q=handled.code.lower()) == [handled.code]


def test_queue_paging_and_query_count(cast):
    for hour in range(7, 11):
        accepted(cast, local(2026, 3, 2, hour, 0))
    leader = client_for(cast.agency_leader)
    seen = []
    cursor = None
    with at(local(2026, 3, 3, 8, 0)):
        while True:
            params = {"scope": "agency", "limit": 3}
            if cursor:
                params["cursor"] = cursor
            with CaptureQueriesContext(connection) as queries:
                page = leader.get("/api/v1/workspace/queue", params).json()
            # Token, agencies, one page (and a calendar year read at most once).
            assert len(queries) <= 5, [q["sql"] for q in queries.captured_queries]
            seen += [item["code"] for item in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
    assert seen == [f"STP-260302-{n:04d}" for n in range(1, 5)]


def test_the_api_is_in_the_openapi_document(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/dossiers",
        "/api/v1/dossiers/{dossier_id}/files",
        "/api/v1/dossiers/{dossier_id}/submit",
        "/api/v1/dossiers/{dossier_id}",
        "/api/v1/dossiers/{dossier_id}/actions",
        "/api/v1/workspace/queue",
        "/api/v1/dossiers/track",
    ):
        assert path in paths


def test_double_click_on_accept_gives_one_code(cast):
    dossier = accepted(cast)
    with pytest.raises(actions.InvalidAction):
        actions.do_accept(cast.reception, dossier)
