"""Each action form through the page: the domain function runs, the page says so; refusals,
conflicts and invalid input come back as a Vietnamese message with the typed text kept."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from egov.dossiers import actions
from egov.dossiers.models import Dossier, DossierFile, Status
from tests.dossiers.conftest import PDF, accepted, at, in_handling, local, submitted
from tests.workspace.conftest import client_for


def post(user, dossier, action, data=None, **files):
    body = {f"{action}-version": dossier.version}
    body.update({f"{action}-{k}": v for k, v in (data or {}).items()})
    body.update({f"{action}-{k}": v for k, v in files.items()})
    return client_for(user).post(
        f"/can-bo/ho-so/{dossier.public_id}/thao-tac/{action}/", body, follow=True
    )


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def test_accept_gives_the_code_and_issues_the_receipt(cast):
    dossier = submitted(cast)
    with at(local(2026, 3, 2, 9, 0)):
        response = post(cast.reception, dossier, "accept", {"note": "Đủ giấy tờ"})
    assert response.status_code == 200
    dossier = fresh(dossier)
    assert dossier.status == Status.RECEIVED and dossier.code == "STP-260302-0001"
    html = response.content.decode()
    assert "Đã tiếp nhận hồ sơ." in html and dossier.code in html
    assert dossier.files.filter(kind="form", form_kind="receipt").exists()


def test_request_supplement_lists_each_missing_item(cast):
    dossier = submitted(cast)
    post(
        cast.reception,
        dossier,
        "request_supplement",
        {"missing_items": "Bản sao căn cước\nGiấy ủy quyền\n", "note": "Thiếu giấy tờ"},
    )
    dossier = fresh(dossier)
    assert dossier.status == Status.SUPPLEMENT
    assert dossier.missing_items == ["Bản sao căn cước", "Giấy ủy quyền"]


def test_refuse_needs_a_reason_and_keeps_the_form(cast):
    dossier = submitted(cast)
    response = post(cast.reception, dossier, "refuse", {"reason": ""})
    assert response.status_code == 422
    assert fresh(dossier).status == Status.SUBMITTED
    response = post(cast.reception, dossier, "refuse", {"reason": "Không thuộc thẩm quyền"})
    assert fresh(dossier).status == Status.REFUSED
    assert "Đã từ chối hồ sơ" in response.content.decode()


def test_assign_offers_the_specialists_and_gives_the_dossier(cast):
    dossier = accepted(cast)
    page = client_for(cast.reception).get(f"/can-bo/ho-so/{dossier.public_id}/")
    assert "Phạm Văn Chuyên" in page.content.decode()
    post(cast.reception, dossier, "assign", {"assignee": cast.specialist.pk})
    dossier = fresh(dossier)
    assert dossier.assignee == cast.specialist and dossier.status == Status.PROCESSING


def test_the_whole_path_through_the_forms(cast):
    dossier = in_handling(cast)
    with at(local(2026, 3, 3, 9, 0)):
        post(cast.specialist, dossier, "forward", {"note": "Đủ điều kiện cấp phiếu"})
        dossier = fresh(dossier)
        assert dossier.current_step.code == "unit_review"
        post(cast.unit_leader, dossier, "send_back", {"note": "Ghi rõ nơi cư trú"})
        dossier = fresh(dossier)
        assert dossier.current_step.code == "handling"
        post(cast.specialist, dossier, "forward")
        post(cast.unit_leader, fresh(dossier), "forward")
        post(cast.agency_leader, fresh(dossier), "approve", {"note": "Đồng ý"})
        dossier = fresh(dossier)
        assert dossier.current_step.code == "result_return"
        upload = SimpleUploadedFile("Phiếu lý lịch tư pháp số 1.pdf", PDF, "application/pdf")
        post(cast.reception, dossier, "attach_result", file=upload)
        dossier = fresh(dossier)
        assert dossier.status == Status.RESOLVED
        result = dossier.files.get(kind=DossierFile.Kind.RESULT)
        assert result.original_name == "Phiếu lý lịch tư pháp số 1.pdf"
        response = post(cast.reception, dossier, "return_result")
    assert fresh(dossier).status == Status.RETURNED
    assert "Đã thực hiện: Trả kết quả." in response.content.decode()


def test_attach_result_without_a_file_changes_nothing(cast):
    dossier = in_handling(cast)
    with at(local(2026, 3, 3, 9, 0)):
        for person in ("specialist", "unit_leader"):
            dossier = actions.do_forward(cast.person(person), dossier)
        dossier = actions.do_approve(cast.agency_leader, dossier)
    response = post(cast.reception, dossier, "attach_result", {"note": "Xong"})
    assert response.status_code == 422
    assert fresh(dossier).status == Status.PROCESSING
    assert 'name="attach_result-note"' in response.content.decode()


def test_a_refused_file_type_rolls_back_the_result(cast):
    dossier = in_handling(cast)
    with at(local(2026, 3, 3, 9, 0)):
        for person in ("specialist", "unit_leader"):
            dossier = actions.do_forward(cast.person(person), dossier)
        dossier = actions.do_approve(cast.agency_leader, dossier)
    upload = SimpleUploadedFile("ket-qua.exe", b"MZ\x90\x00", "application/octet-stream")
    response = post(cast.reception, dossier, "attach_result", file=upload)
    assert response.status_code == 422
    assert "không thuộc loại được chấp nhận" in response.content.decode()
    assert fresh(dossier).status == Status.PROCESSING
    assert not dossier.files.filter(kind="result").exists()


def test_stop_and_apologise(cast):
    dossier = in_handling(cast)
    new_due = (dossier.due_at + timedelta(days=3)).astimezone(actions.ZONE)
    post(
        cast.specialist,
        dossier,
        "apologise_and_reschedule",
        {"new_due": new_due.strftime("%Y-%m-%dT%H:%M"), "reason": "Chờ xác minh của Công an"},
    )
    dossier = fresh(dossier)
    assert dossier.due_at == new_due.replace(second=0, microsecond=0)
    assert dossier.files.filter(form_kind="apology").exists()
    post(cast.specialist, dossier, "stop", {"reason": "Người nộp đề nghị dừng"})
    assert fresh(dossier).status == Status.STOPPED


def test_hand_over_and_take_back(cast):
    dossier = in_handling(cast)
    post(
        cast.specialist, dossier, "hand_over", {"agency": cast.other_agency.pk, "note": "Xác minh"}
    )
    dossier = fresh(dossier)
    assert dossier.current_agency == cast.other_agency
    post(cast.specialist, dossier, "take_back", {"note": "Đã có kết quả xác minh"})
    assert fresh(dossier).current_agency == cast.agency


def test_a_stale_page_gets_a_conflict_and_keeps_the_note(cast):
    dossier = submitted(cast)
    stale_version = dossier.version
    actions.do_request_supplement(cast.reception, dossier, ["Bản sao căn cước"])
    response = client_for(cast.reception).post(
        f"/can-bo/ho-so/{dossier.public_id}/thao-tac/refuse/",
        {"refuse-version": stale_version, "refuse-reason": "Hồ sơ giả mạo giấy tờ"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Hồ sơ vừa được người khác cập nhật" in html
    assert "Hồ sơ giả mạo giấy tờ" in html  # the typed reason stays
    assert "Chờ bổ sung" in html  # the page shows the dossier as it is now
    assert f'value="{fresh(dossier).version}"' in html  # ready to send again
    assert fresh(dossier).status == Status.SUPPLEMENT


def test_a_forged_post_is_refused_by_the_domain(cast):
    dossier = submitted(cast)
    response = post(cast.specialist, dossier, "accept")
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()
    assert fresh(dossier).status == Status.SUBMITTED


def test_the_outsider_cannot_post_actions(cast):
    dossier = submitted(cast)
    assert post(cast.outsider, dossier, "accept").status_code == 404
    assert fresh(dossier).status == Status.SUBMITTED


def test_get_is_not_an_action(cast):
    dossier = submitted(cast)
    url = f"/can-bo/ho-so/{dossier.public_id}/thao-tac/accept/"
    assert client_for(cast.reception).get(url).status_code == 405
