import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from egov.identity.models import User
from tests.identity.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def register_form(**overrides):
    return {
        "full_name": "Trần Thị Bình",
        "citizen_id": "080195004321",
        "phone": "0987 654 321",
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides


def test_register_citizen_signs_in_and_shows_masked_id(client):
    response = client.post(reverse("identity:register"), register_form(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("identity:account")
    page = response.content.decode()
    assert "080******321" in page
    assert "080195004321" not in page
    assert User.objects.get().username == "0987654321"


def test_register_errors_are_field_by_field_and_linked(client):
    response = client.post(
        reverse("identity:register"),
        register_form(citizen_id="123", password2="khac-mat-khau", phone="", email=""),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_citizen_id_error"' in page
    assert re.search(
        r'<input[^>]*aria-describedby="id_citizen_id_helptext id_citizen_id_error"', page
    )
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_password2"', page)
    assert "Hai lần nhập mật khẩu không khớp." in page
    assert "Nhập số điện thoại hoặc địa chỉ thư điện tử" in page
    assert 'href="#id_citizen_id"' in page  # the error summary links to the field
    assert User.objects.count() == 0


def test_duplicate_phone_shows_on_the_phone_field(client, citizen):
    response = client.post(reverse("identity:register"), register_form(phone="+84912345678"))
    assert 'id="id_phone_error"' in response.content.decode()
    assert User.objects.count() == 1


def test_register_organisation_tab(client):
    url = reverse("identity:register") + "?loai=to-chuc"
    assert "Mã số thuế" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "organisation_name": "Hợp tác xã Nông nghiệp Tân Biên",
            "tax_code": "0100107518",
            "representative_name": "Lê Văn Cường",
            "phone": "",
            "email": "htx@example.vn",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.kind, user.tax_code, user.username) == (
        "organisation",
        "0100107518",
        "htx@example.vn",
    )


def test_sign_in_with_another_phone_form_rotates_the_session(citizen):
    client = Client()
    client.get(reverse("identity:login"))
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    response = client.post(
        reverse("identity:login"), {"username": "+84 912.345.678", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.session_key != before
    assert int(client.session["_auth_user_id"]) == citizen.pk


def test_sign_in_refuses_unsafe_next(client, citizen):
    response = client.post(
        reverse("identity:login") + "?next=https://evil.example/",
        {"username": "0912345678", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_wrong_password_then_throttle_message(client, citizen):
    for _ in range(5):
        page = client.post(
            reverse("identity:login"), {"username": "0912345678", "password": "sai"}
        ).content.decode()
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in page
    page = client.post(
        reverse("identity:login"), {"username": "0912345678", "password": PASSWORD}
    ).content.decode()
    assert "Bạn đã đăng nhập sai quá nhiều lần" in page
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("identity:logout")).status_code == 405
    client.post(reverse("identity:logout"))
    assert "_auth_user_id" not in client.session


def test_forms_need_csrf(citizen):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("identity:login"), {"username": "0912345678", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert client.post(reverse("identity:register"), register_form()).status_code == 403
    assert 'name="csrfmiddlewaretoken"' in client.get(reverse("identity:register")).content.decode()


def test_account_page_needs_sign_in(client):
    response = client.get(reverse("identity:account"))
    assert response.status_code == 302 and reverse("identity:login") in response["Location"]


# The settings a production deployment gets from EGOV_PROFILE=production (EGOV_SECURE_TLS).
PRODUCTION_COOKIES = {
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-egov_session",
    "CSRF_COOKIE_SECURE": True,
}


@override_settings(**PRODUCTION_COOKIES)
def test_cookie_flags_in_production(citizen):
    client = Client()
    page = client.get(reverse("identity:login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("identity:login"),
        {
            "username": "0912345678",
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf.value,
        },
        secure=True,
    )
    cookie = response.cookies["__Host-egov_session"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    # __Host- cookies must have Path=/ and no Domain, or browsers drop them.
    assert cookie["path"] == "/" and not cookie["domain"]
    # Ends with the browser (shared computers); the server still expires it after 8 hours.
    assert not cookie["max-age"] and not cookie["expires"]
    assert client.session.get_expiry_age() == 8 * 3600


def test_security_headers_on_account_pages(client):
    response = client.get(reverse("identity:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-cache" in response.get("Cache-Control", "") or "max-age=0" in response.get(
        "Cache-Control", ""
    )


def test_staff_roles_on_account_page_and_api(client):
    from egov.agencies.models import Agency, Role, StaffRole

    agency = Agency.objects.get(code="STP")
    unit = agency.units.get(code="HCTP")
    official = User.objects.create_user(
        "stp.cv", PASSWORD, kind=User.Kind.STAFF, full_name="Cán bộ"
    )
    StaffRole.objects.create(user=official, agency=agency, unit=unit, role=Role.SPECIALIST)
    client.force_login(official)
    page = client.get(reverse("identity:account")).content.decode()
    assert (
        "Chuyên viên xử lý" in page and "Sở Tư pháp" in page and "Phòng Hành chính tư pháp" in page
    )
    roles = client.get("/api/v1/auth/me").json()["roles"]
    assert roles == [
        {
            "role": "specialist",
            "role_label": "Chuyên viên xử lý",
            "agency_code": "STP",
            "agency_name": agency.name,
            "unit_name": "Phòng Hành chính tư pháp",
        }
    ]
