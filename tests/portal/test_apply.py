"""Applying online: start a draft, fill the e-form (errors, save and resume), attach files,
submit once."""

import pytest
from django.urls import reverse

from egov.catalog.models import Procedure
from egov.dossiers.models import Dossier, DossierEvent, Status
from tests.dossiers.conftest import FORM, PDF, PNG

BIRTH = "1.001193"  # Đăng ký khai sinh: a commune-level procedure
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
BIRTH_FORM = {
    "child_full_name": "Nguyễn Thị Bé",
    "child_birth_date": "2025-12-01",
    "sex": "nu",
    "child_birth_place": "Bệnh viện Đa khoa tỉnh Tây Ninh",
    "child_ethnicity": "Kinh",
    "relationship": "me",
    "contact_phone": "0912345678",
}


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.fixture
def citizen_client(client, cast):
    client.force_login(cast.citizen)
    return client


def start_birth(client, token="t-1") -> Dossier:
    procedure = Procedure.objects.get(code=BIRTH)
    agency = procedure.agencies.filter(level="commune").order_by("code").first()
    response = client.post(
        reverse("portal:start", args=[BIRTH]), {"agency": agency.code, "token": token}
    )
    assert response.status_code == 302
    return Dossier.objects.get(public_id=response.url.split("/")[2])


def draft_of_stp(cast, client) -> Dossier:
    response = client.post(reverse("portal:start", args=[cast.procedure.code]), {"token": "stp-1"})
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant=cast.citizen, procedure=cast.procedure)
    client.post(reverse("portal:dossier_form", args=[dossier.public_id]), FORM)
    return dossier


def test_the_procedure_page_sends_the_anonymous_to_sign_in_and_back(client, db):
    page = client.get(reverse("portal:procedure", args=[BIRTH])).content.decode()
    assert "/tai-khoan/dang-nhap/?next=/thu-tuc/1.001193/nop-ho-so/" in page
    response = client.get(reverse("portal:start", args=[BIRTH]))
    assert response.status_code == 302
    assert response.url.startswith("/tai-khoan/dang-nhap/?next=/thu-tuc/1.001193/nop-ho-so/")


def test_the_signed_in_applicant_gets_the_start_link(citizen_client):
    page = citizen_client.get(reverse("portal:procedure", args=[BIRTH])).content.decode()
    assert 'href="/thu-tuc/1.001193/nop-ho-so/"' in page


def test_an_official_cannot_apply_online(client, cast):
    client.force_login(cast.reception)
    response = client.get(reverse("portal:start", args=[BIRTH]))
    assert response.status_code == 403
    assert "Không dành cho tài khoản cán bộ" in response.content.decode()


def test_the_commune_is_chosen_by_name(citizen_client):
    page = citizen_client.get(reverse("portal:start", args=[BIRTH])).content.decode()
    assert 'name="agency"' in page and "— Chọn xã, phường —" in page
    procedure = Procedure.objects.get(code=BIRTH)
    some = procedure.agencies.filter(level="commune").select_related("place").first()
    assert f'<option value="{some.code}">{some.place.full_name}</option>' in page
    response = citizen_client.post(reverse("portal:start", args=[BIRTH]), {"token": "x"})
    assert response.status_code == 422
    assert "Cần chọn cơ quan giải quyết" in response.content.decode()
    assert not Dossier.objects.exists()


def test_starting_twice_with_the_same_token_makes_one_draft(citizen_client):
    first = start_birth(citizen_client, token="same")
    second = start_birth(citizen_client, token="same")
    assert first.pk == second.pk
    assert Dossier.objects.count() == 1
    assert first.status == Status.DRAFT and first.agency.level == "commune"


def test_form_errors_are_listed_and_tied_to_their_fields(citizen_client):
    dossier = start_birth(citizen_client)
    url = reverse("portal:dossier_form", args=[dossier.public_id])
    page = citizen_client.get(url).content.decode()
    assert 'type="date"' in page and "<select" in page and 'type="tel"' in page
    assert "(bắt buộc)" in page and "Viết đúng như trên giấy chứng sinh" in page
    response = citizen_client.post(
        url, {**BIRTH_FORM, "child_full_name": "", "mother_citizen_id": "123", "intent": "continue"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page
    assert '<a href="#eform-child_full_name">' in page
    assert "Trường này là bắt buộc." in page
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in page
    assert 'aria-describedby="eform-mother_citizen_id-error"' in page
    assert 'aria-invalid="true"' in page
    # What was typed is kept on the page, and nothing half-checked reached the dossier.
    assert 'value="Bệnh viện Đa khoa tỉnh Tây Ninh"' in page
    dossier.refresh_from_db()
    assert dossier.form_data == {}


def test_save_the_draft_and_come_back(citizen_client):
    dossier = start_birth(citizen_client)
    url = reverse("portal:dossier_form", args=[dossier.public_id])
    partial = {"child_full_name": "Nguyễn  Thị Bé", "sex": "nu", "intent": "save"}
    response = citizen_client.post(url, partial)
    assert response.status_code == 302 and response.url == url
    dossier.refresh_from_db()
    assert dossier.form_data["child_full_name"] == "Nguyễn Thị Bé"
    page = citizen_client.get(url).content.decode()
    assert "Đã lưu nháp" in page
    assert 'value="Nguyễn Thị Bé"' in page
    assert '<option value="nu" selected>' in page
    # A wrong value is refused even in a draft.
    response = citizen_client.post(url, {**partial, "contact_phone": "12", "intent": "save"})
    assert response.status_code == 422
    assert "Số điện thoại không hợp lệ" in response.content.decode()
    # The draft is in "my dossiers" with "Tiếp tục", pointing back to the form.
    mine = citizen_client.get(reverse("portal:my_dossiers")).content.decode()
    assert "Tiếp tục" in mine and url in mine and "Đang soạn" in mine


def test_continue_with_a_complete_form_goes_to_the_files(citizen_client):
    dossier = start_birth(citizen_client)
    url = reverse("portal:dossier_form", args=[dossier.public_id])
    response = citizen_client.post(url, {**BIRTH_FORM, "intent": "continue"})
    assert response.status_code == 302
    assert response.url == reverse("portal:dossier_files", args=[dossier.public_id])
    dossier.refresh_from_db()
    assert dossier.form_data["child_birth_date"] == "2025-12-01"


def test_files_are_checked_named_and_removable(citizen_client):
    dossier = start_birth(citizen_client)
    citizen_client.post(
        reverse("portal:dossier_form", args=[dossier.public_id]), {**BIRTH_FORM, "intent": "x"}
    )
    url = reverse("portal:dossier_files", args=[dossier.public_id])
    declaration, certificate, _proxy = dossier.procedure.components.all()
    page = citizen_client.get(url).content.decode()
    assert f'name="file-{declaration.pk}"' in page and "Bắt buộc" in page and "Nếu có" in page
    response = citizen_client.post(
        url,
        {
            f"file-{declaration.pk}": upload("Tờ khai đăng ký khai sinh.pdf", PDF),
            f"file-{certificate.pk}": upload("ghi-chu.txt", b"hello"),
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "không thuộc loại được chấp nhận" in page
    assert f'id="file-{certificate.pk}-error"' in page
    assert f'<a href="#file-{certificate.pk}">' in page
    assert "Tờ khai đăng ký khai sinh.pdf" in page  # the good one was kept
    # Submitting now names what is missing.
    response = citizen_client.post(reverse("portal:submit", args=[dossier.public_id]), follow=True)
    assert "Còn thiếu thành phần hồ sơ bắt buộc: Giấy chứng sinh" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.DRAFT
    citizen_client.post(url, {f"file-{certificate.pk}": upload("Giấy chứng sinh.jpg", JPEG)})
    wrong = citizen_client.post(url, {f"file-{certificate.pk}": upload("ảnh nhầm.png", PNG)})
    assert wrong.status_code == 302
    mistake = dossier.files.get(original_name="ảnh nhầm.png")
    response = citizen_client.post(
        reverse("portal:remove_file", args=[dossier.public_id, mistake.public_id]), follow=True
    )
    assert "Đã xóa tệp “ảnh nhầm.png”." in response.content.decode()
    assert not dossier.files.filter(pk=mistake.pk).exists()
    # The download keeps the Vietnamese name.
    kept = dossier.files.get(original_name="Giấy chứng sinh.jpg")
    got = citizen_client.get(reverse("portal:download", args=[dossier.public_id, kept.public_id]))
    assert got.status_code == 200
    assert "filename*=UTF-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20sinh.jpg" in got["Content-Disposition"]
    assert b"".join(got.streaming_content) == JPEG


def test_submitting_twice_is_one_submission(citizen_client):
    dossier = start_birth(citizen_client)
    citizen_client.post(
        reverse("portal:dossier_form", args=[dossier.public_id]), {**BIRTH_FORM, "intent": "x"}
    )
    url = reverse("portal:dossier_files", args=[dossier.public_id])
    for component in dossier.procedure.components.filter(mandatory=True):
        citizen_client.post(url, {f"file-{component.pk}": upload("Bản scan.pdf", PDF)})
    submit = reverse("portal:submit", args=[dossier.public_id])
    first = citizen_client.post(submit)
    second = citizen_client.post(submit)
    target = reverse("portal:dossier", args=[dossier.public_id])
    assert first.url == target and second.url == target
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED
    # Once submitted, the form and file steps are closed: they lead to the dossier page.
    assert citizen_client.get(url).url == target
    page = citizen_client.get(target).content.decode()
    assert "Chờ tiếp nhận" in page and "Nộp hồ sơ trực tuyến" in page


def test_a_procedure_with_one_agency_needs_no_choice(citizen_client, cast):
    dossier = draft_of_stp(cast, citizen_client)
    assert dossier.agency == cast.agency
