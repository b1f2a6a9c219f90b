"""Counter intake: the desk enters the dossier of a person present; accepted at once, with the
receipt offered for printing."""

from django.core.files.uploadedfile import SimpleUploadedFile

from egov.dossiers.models import Dossier, Status
from tests.dossiers.conftest import FORM, PDF, at, local
from tests.workspace.conftest import client_for

URL = "/can-bo/tiep-nhan/"
PERSON = {
    "applicant_name": "Lê  Văn   Đến",
    "applicant_id_number": "072090005678",
    "applicant_phone": "0911222333",
    "applicant_address": "Ấp Long Hải, xã Hòa Hội, Tây Ninh",
}


def test_the_procedure_picker_then_the_eform(cast):
    client = client_for(cast.reception)
    html = client.get(URL).content.decode()
    assert cast.procedure.name in html and "Quá trình cư trú" not in html
    html = client.get(URL, {"procedure": cast.procedure.code}).content.decode()
    assert "Quá trình cư trú từ đủ 14 tuổi" in html
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in html  # a component to scan


def test_intake_accepts_at_once_and_offers_the_receipt(cast):
    component = cast.procedure.components.filter(mandatory=True).first()
    data = {"procedure": cast.procedure.code, **PERSON, **FORM}
    data[f"component_{component.pk}"] = SimpleUploadedFile("Tờ khai đã ký.pdf", PDF)
    with at(local(2026, 3, 2, 9, 0)):
        response = client_for(cast.reception).post(URL, data, follow=True)
    dossier = Dossier.objects.get(applicant_id_number="072090005678")
    assert dossier.status == Status.RECEIVED and dossier.channel == "counter"
    assert dossier.code == "STP-260302-0001" and dossier.applicant_name == "Lê Văn Đến"
    assert dossier.files.get(kind="component").original_name == "Tờ khai đã ký.pdf"
    receipt = dossier.files.get(kind="form", form_kind="receipt")
    html = response.content.decode()
    assert "In giấy tiếp nhận và hẹn trả kết quả (PDF)" in html
    assert f"/files/{receipt.public_id}" in html
    download = client_for(cast.reception).get(
        f"/api/v1/dossiers/{dossier.public_id}/files/{receipt.public_id}"
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_form_errors_are_shown_field_by_field_and_nothing_is_created(cast):
    data = {"procedure": cast.procedure.code, **PERSON, **FORM, "copies": "50"}
    data["applicant_phone"] = "12345"
    response = client_for(cast.reception).post(URL, data)
    assert response.status_code == 422
    assert "Số điện thoại gồm 10 hoặc 11 chữ số" in response.content.decode()
    data["applicant_phone"] = PERSON["applicant_phone"]
    response = client_for(cast.reception).post(URL, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Tờ khai chưa hợp lệ." in html
    assert 'id="eform-copies-error"' in html
    assert "Bổ sung hồ sơ xin việc" in html  # what was typed stays
    assert not Dossier.objects.filter(applicant_id_number="072090005678").exists()


def test_only_the_desk_may_receive(cast):
    assert client_for(cast.specialist).get(URL).status_code == 404
    assert client_for(cast.citizen).get(URL).status_code == 404
    # The outsider's desk does not handle this procedure: it is not offered, nor accepted.
    client = client_for(cast.outsider)
    assert cast.procedure.name not in client.get(URL).content.decode()
    client.post(URL, {"procedure": cast.procedure.code, **PERSON, **FORM})
    assert not Dossier.objects.exists()
