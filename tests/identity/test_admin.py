"""The admin site: sign-in through the throttled form, and account management with passwords."""

import pytest

from egov.identity.models import ApiToken, SignInAttempt, User

pytestmark = pytest.mark.django_db
PASSWORD = "Cay-xoai-9-nhanh"
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def superuser():
    return User.objects.create_superuser("quantri", PASSWORD, full_name="Quản trị")


def test_a_superuser_signs_in_through_the_admin_login_form(client, superuser):
    response = client.post(
        "/quan-tri/login/?next=/quan-tri/",
        {"username": "quantri", "password": PASSWORD, "next": "/quan-tri/"},
        **HOST,
    )
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/", **HOST).status_code == 200


def test_a_citizen_with_the_right_password_is_not_let_into_the_admin(client):
    User.objects.create_user("0912345678", PASSWORD)
    response = client.post(
        "/quan-tri/login/", {"username": "0912345678", "password": PASSWORD}, **HOST
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_administrator_adds_an_account_that_can_sign_in(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/quan-tri/identity/user/add/",
        {
            "username": "cb.moi",
            "kind": "staff",
            "full_name": "Cán bộ Mới",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
        },
        **HOST,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="cb.moi")
    assert created.check_password(PASSWORD) and created.password.startswith("argon2")


def test_sign_in_attempts_and_tokens_cannot_be_written_by_hand(client, superuser):
    client.force_login(superuser)
    assert client.get("/quan-tri/identity/signinattempt/add/", **HOST).status_code == 403
    assert client.get("/quan-tri/identity/apitoken/add/", **HOST).status_code == 403
    assert SignInAttempt.objects.count() == 0 and ApiToken.objects.count() == 0
