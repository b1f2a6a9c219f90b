"""The dossier page: what it shows, and only the actions the caller may take now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.dossiers import actions
from egov.dossiers.models import Status
from egov.workspace.services import allowed_actions
from tests.dossiers.conftest import accepted, at, in_handling, local, submitted
from tests.workspace.conftest import client_for


def url(dossier) -> str:
    return f"/can-bo/ho-so/{dossier.public_id}/"


def test_it_shows_the_dossier_with_form_labels_files_and_history(cast):
    dossier = accepted(cast)
    html = client_for(cast.reception).get(url(dossier)).content.decode()
    assert dossier.code in html
    assert cast.procedure.name in html
    assert cast.agency.name in html
    assert "Mã trạng thái quốc gia: 2" in html
    # Labels come from the e-form, choices by their label.
    assert "Họ và tên cha" in html and "Nguyễn Văn Cha" in html
    assert "Phiếu điện tử" in html
    assert "Tờ khai lý lịch.pdf" in html
    # The history names who did what.
    assert "Lê Thị Tiếp" in html and "Tiếp nhận" in html
    # The receipt issued at acceptance is offered for download.
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html


def test_the_id_number_is_masked_unless_the_desk_needs_it(cast):
    dossier = accepted(cast)
    html = client_for(cast.specialist).get(url(dossier)).content.decode()
    assert "079203001234" not in html and "1234" in html
    waiting = submitted(cast)
    html = client_for(cast.reception).get(url(waiting)).content.decode()
    assert "079203001234" in html


def test_the_outsider_and_the_citizen_get_404(cast):
    dossier = accepted(cast)
    assert client_for(cast.outsider).get(url(dossier)).status_code == 404
    assert client_for(cast.citizen).get(url(dossier)).status_code == 404
    assert client_for(cast.reception).get("/can-bo/ho-so/not-a-uuid/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    from django.test import Client

    response = Client().get(url(accepted(cast)))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_reception_sees_accept_and_the_specialist_does_not(cast):
    dossier = submitted(cast)
    assert allowed_actions(cast.reception, dossier) == ["accept", "request_supplement", "refuse"]
    assert allowed_actions(cast.specialist, dossier) == []
    html = client_for(cast.specialist).get(url(dossier)).content.decode()
    assert "thao-tac/accept" not in html
    html = client_for(cast.reception).get(url(dossier)).content.decode()
    assert "thao-tac/accept" in html


def test_actions_follow_the_step(cast):
    dossier = in_handling(cast)
    assert "forward" in allowed_actions(cast.specialist, dossier)
    assert "approve" not in allowed_actions(cast.specialist, dossier)
    assert "forward" not in allowed_actions(cast.agency_leader, dossier)
    with at(local(2026, 3, 3, 9, 0)):
        dossier = actions.do_forward(cast.specialist, dossier)
        dossier = actions.do_forward(cast.unit_leader, dossier)
    assert "approve" in allowed_actions(cast.agency_leader, dossier)
    assert "forward" not in allowed_actions(cast.agency_leader, dossier)
    assert "approve" not in allowed_actions(cast.specialist, dossier)
    with at(local(2026, 3, 3, 10, 0)):
        dossier = actions.do_approve(cast.agency_leader, dossier)
    assert "attach_result" in allowed_actions(cast.reception, dossier)
    assert allowed_actions(cast.auditor, dossier) == []


def test_a_finished_dossier_offers_nothing(cast):
    dossier = submitted(cast)
    dossier = actions.do_refuse(cast.reception, dossier, "Không thuộc thẩm quyền")
    assert dossier.status == Status.REFUSED
    for person in (cast.reception, cast.specialist, cast.agency_leader):
        assert allowed_actions(person, dossier) == []


def test_the_page_reads_a_fixed_number_of_queries(cast):
    dossier = in_handling(cast)
    client = client_for(cast.reception)
    client.get(url(dossier))
    with CaptureQueriesContext(connection) as small:
        client.get(url(dossier))
    # More history and more files must not mean more queries.
    for _ in range(3):
        actions.add_file(
            cast.reception, dossier, "Bản quét.pdf", b"%PDF-1.4\n%%EOF\n", kind="component"
        )
    with at(local(2026, 3, 3, 9, 0)):
        dossier = actions.do_forward(cast.specialist, dossier, "Đủ điều kiện")
        dossier = actions.do_send_back(cast.unit_leader, dossier, "Xem lại")
    with CaptureQueriesContext(connection) as big:
        client.get(url(dossier))
    assert len(big) == len(small), [q["sql"] for q in big.captured_queries]


@pytest.mark.parametrize("person", ["reception", "specialist", "unit_leader", "agency_leader"])
def test_each_official_of_the_agency_can_open_it(cast, person):
    dossier = in_handling(cast)
    assert client_for(cast.person(person)).get(url(dossier)).status_code == 200
