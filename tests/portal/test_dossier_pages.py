"""The applicant's dossier pages: my dossiers, one dossier (timeline, forms, supplement,
withdrawal, result, rating), permissions, and public tracking."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from egov.dossiers import actions
from egov.dossiers.models import Dossier, DossierFile, Status
from tests.dossiers.conftest import PDF, accepted, at, in_handling, local, submitted


@pytest.fixture
def citizen_client(client, cast):
    client.force_login(cast.citizen)
    return client


def page_of(client, dossier) -> str:
    response = client.get(reverse("portal:dossier", args=[dossier.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def returned(cast) -> Dossier:
    moment = local(2026, 3, 2, 8, 0)
    dossier = in_handling(cast, moment)
    with at(moment):
        dossier = actions.do_forward(cast.specialist, dossier)
        dossier = actions.do_forward(cast.unit_leader, dossier)
        dossier = actions.do_approve(cast.agency_leader, dossier)
        actions.add_file(cast.reception, dossier, "Phiếu lý lịch tư pháp.pdf", PDF, kind="result")
        dossier = actions.do_attach_result(cast.reception, dossier)
        return actions.do_return_result(cast.reception, dossier)


def test_the_dossier_page_shows_code_status_appointment_and_timeline(citizen_client, cast):
    dossier = accepted(cast, local(2026, 3, 2, 8, 0))
    page = page_of(citizen_client, dossier)
    assert dossier.code in page
    assert "Đã tiếp nhận" in page and "mã trạng thái quốc gia: 2" in page
    assert dossier.due_at.astimezone(actions.ZONE).strftime("%d/%m/%Y %H:%M") in page
    # Times in Asia/Ho_Chi_Minh, dd/mm/YYYY HH:MM, with Vietnamese action names.
    assert "02/03/2026 08:00" in page
    for label in ("Tạo hồ sơ nháp", "Nộp hồ sơ trực tuyến", "Tiếp nhận hồ sơ"):
        assert label in page
    # The receipt issued at acceptance is downloadable.
    receipt = dossier.files.get(kind=DossierFile.Kind.FORM, form_kind="receipt")
    url = reverse("portal:download", args=[dossier.public_id, receipt.public_id])
    assert url in page and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    got = citizen_client.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content).startswith(b"%PDF-")


def test_another_applicant_gets_404_everywhere(client, cast):
    dossier = submitted(cast)
    file = dossier.files.first()
    client.force_login(cast.other_citizen)
    pid = dossier.public_id
    for name, args in [
        ("portal:dossier", [pid]),
        ("portal:dossier_form", [pid]),
        ("portal:dossier_files", [pid]),
        ("portal:withdraw", [pid]),
        ("portal:download", [pid, file.public_id]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name, args in [
        ("portal:submit", [pid]),
        ("portal:withdraw", [pid]),
        ("portal:rate", [pid]),
        ("portal:answer_supplement", [pid]),
        ("portal:remove_file", [pid, file.public_id]),
    ]:
        assert client.post(reverse(name, args=args), {"rating": "satisfied"}).status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED
    assert dossier.files.filter(pk=file.pk).exists()
    mine = client.get(reverse("portal:my_dossiers")).content.decode()
    assert "Bạn chưa có hồ sơ nào." in mine


def test_my_dossiers_lists_status_appointment_and_deadline(citizen_client, cast):
    done = accepted(cast, local(2026, 3, 2, 8, 0))
    actions.create_draft(cast.citizen, cast.procedure)
    with at(local(2026, 3, 3, 9, 0)):
        page = citizen_client.get(reverse("portal:my_dossiers")).content.decode()
    assert done.code in page and "Đã tiếp nhận" in page and "Trong hạn" in page
    assert done.due_at.astimezone(actions.ZONE).strftime("%d/%m/%Y %H:%M") in page
    assert "Đang soạn" in page and "Tiếp tục" in page and "Chưa có (cấp khi tiếp nhận)" in page


def test_my_dossiers_query_count_does_not_grow(citizen_client, cast):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert citizen_client.get(reverse("portal:my_dossiers")).status_code == 200
        return len(queries)

    accepted(cast)
    actions.create_draft(cast.citizen, cast.procedure)
    few = count()
    for _ in range(6):
        accepted(cast)
        actions.create_draft(cast.citizen, cast.procedure)
    assert count() == few
    assert few <= 8


def test_supplement_request_and_answer(citizen_client, cast):
    dossier = submitted(cast)
    with at(local(2026, 3, 2, 9, 0)):
        actions.do_request_supplement(
            cast.reception, dossier, ["Bản sao căn cước rõ nét"], "Ảnh căn cước bị mờ"
        )
    page = page_of(citizen_client, dossier)
    assert "Yêu cầu bổ sung, hoàn thiện hồ sơ" in page
    assert "Bản sao căn cước rõ nét" in page and "Ảnh căn cước bị mờ" in page
    component = cast.procedure.components.filter(mandatory=True).first()
    url = reverse("portal:answer_supplement", args=[dossier.public_id])
    bad = citizen_client.post(url, {f"file-{component.pk}": SimpleUploadedFile("a.exe", b"MZ")})
    assert bad.status_code == 422
    assert "không thuộc loại được chấp nhận" in bad.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT
    response = citizen_client.post(
        url,
        {
            f"file-{component.pk}": SimpleUploadedFile("Căn cước rõ.pdf", PDF),
            "note": "Đã chụp lại",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.files.filter(original_name="Căn cước rõ.pdf").exists()
    page = page_of(citizen_client, dossier)
    assert "Bổ sung hồ sơ" in page and "Đã chụp lại" in page


def test_withdraw_after_confirmation(citizen_client, cast):
    dossier = accepted(cast)
    page = page_of(citizen_client, dossier)
    url = reverse("portal:withdraw", args=[dossier.public_id])
    assert url in page
    confirm = citizen_client.get(url).content.decode()
    assert "Xác nhận rút hồ sơ" in confirm
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED  # GET changes nothing
    citizen_client.post(url, {"note": "Không còn nhu cầu"})
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    page = page_of(citizen_client, dossier)
    assert "Đã rút" in page and "Không còn nhu cầu" in page and url not in page


def test_result_download_and_rating(citizen_client, cast):
    dossier = returned(cast)
    page = page_of(citizen_client, dossier)
    assert "Đã trả kết quả" in page and "mã trạng thái quốc gia: 10" in page
    result = dossier.files.get(kind=DossierFile.Kind.RESULT)
    url = reverse("portal:download", args=[dossier.public_id, result.public_id])
    assert url in page and "Phiếu lý lịch tư pháp.pdf" in page
    assert citizen_client.get(url).status_code == 200
    for label in ("Hài lòng", "Bình thường", "Không hài lòng"):
        assert label in page
    rate = reverse("portal:rate", args=[dossier.public_id])
    response = citizen_client.post(rate, {}, follow=True)
    assert "Hãy chọn một mức đánh giá." in response.content.decode()
    citizen_client.post(rate, {"rating": "satisfied", "comment": "Nhanh gọn"})
    dossier.refresh_from_db()
    assert dossier.rating == "satisfied" and dossier.rating_comment == "Nhanh gọn"
    assert "Bạn đã đánh giá:" in page_of(citizen_client, dossier)


def test_rating_is_not_offered_before_the_result(citizen_client, cast):
    dossier = accepted(cast)
    assert "Đánh giá mức độ hài lòng" not in page_of(citizen_client, dossier)
    citizen_client.post(reverse("portal:rate", args=[dossier.public_id]), {"rating": "neutral"})
    assert Dossier.objects.get(pk=dossier.pk).rating == ""


def test_public_tracking_shows_status_only(client, cast):
    caches["shared"].clear()
    dossier = accepted(cast)
    url = reverse("portal:track")
    prefilled = client.get(url + f"?ma={dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in prefilled
    found = client.post(url, {"code": dossier.code.lower(), "phone_last4": "5678"})
    assert found.status_code == 200
    page = found.content.decode()
    assert "Đã tiếp nhận" in page and cast.procedure.name in page
    assert cast.citizen.full_name not in page and "0912345678" not in page
    assert "5678" not in page  # the digits typed are not written back into the form
    wrong = client.post(url, {"code": dossier.code, "phone_last4": "0000"})
    assert wrong.status_code == 404
    page = wrong.content.decode()
    assert "Không tìm thấy hồ sơ với mã và số điện thoại đã nhập." in page
    # The message is tied to the phone field, which is marked invalid.
    assert 'id="track-phone_last4_error"' in page
    assert 'aria-invalid="true" aria-describedby="track-phone_last4_error"' in page
    assert 'value="0000"' not in page


def test_public_tracking_is_throttled(client, cast, settings):
    caches["shared"].clear()
    settings.EGOV_TRACK_MAX_FAILURES = 3
    dossier = accepted(cast)
    url = reverse("portal:track")
    for _ in range(3):
        assert client.post(url, {"code": dossier.code, "phone_last4": "1111"}).status_code == 404
    refused = client.post(url, {"code": dossier.code, "phone_last4": "5678"})
    assert refused.status_code == 429
    assert "Bạn đã tra cứu sai quá nhiều lần" in refused.content.decode()
    caches["shared"].clear()


def test_a_tracking_link_with_the_phone_digits_only_fills_in_the_code(client, cast, settings):
    caches["shared"].clear()
    settings.EGOV_TRACK_MAX_FAILURES = 1
    dossier = accepted(cast)
    url = reverse("portal:track")
    response = client.get(url, {"code": dossier.code, "phone_last4": "5678"}, follow=True)
    # Sent on to the same page without the digits, the code kept.
    assert response.redirect_chain == [(f"{url}?ma={dossier.code}", 302)]
    assert response.status_code == 200
    page = response.content.decode()
    assert "Việc tra cứu nay thực hiện qua biểu mẫu dưới đây" in page
    assert f'value="{dossier.code}"' in page
    assert "5678" not in page and "Đã tiếp nhận" not in page
    without_code = client.get(url, {"phone_last4": "5678"})
    assert without_code.status_code == 302 and without_code["Location"] == url
    # Nothing was looked up, so nothing was counted: the one allowed failure is still there.
    assert client.post(url, {"code": dossier.code, "phone_last4": "0000"}).status_code == 404
    assert client.post(url, {"code": dossier.code, "phone_last4": "5678"}).status_code == 429
    caches["shared"].clear()


def test_a_plain_tracking_link_shows_no_notice(client, cast):
    page = client.get(reverse("portal:track"), {"code": "STP-260302-0001"}).content.decode()
    assert 'value="STP-260302-0001"' in page
    assert "Việc tra cứu nay thực hiện qua biểu mẫu" not in page


def test_the_tracking_form_needs_its_csrf_token(cast):
    strict = Client(enforce_csrf_checks=True)
    url = reverse("portal:track")
    token = strict.get(url).context["csrf_token"]
    body = {"code": accepted(cast).code, "phone_last4": "5678"}
    assert strict.post(url, body).status_code == 403
    assert strict.post(url, {**body, "csrfmiddlewaretoken": str(token)}).status_code == 200
