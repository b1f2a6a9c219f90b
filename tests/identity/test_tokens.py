import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from egov.identity import services
from egov.identity.models import ApiToken
from tests.identity.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def post_token(client, username, password):
    return client.post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )


def test_token_issue_and_use(client, citizen):
    response = post_token(client, "+84912345678", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and len(body["token"]) >= 40
    row = ApiToken.objects.get()
    assert row.token_hash != body["token"] and body["token"] not in row.token_hash
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200
    assert me.json()["username"] == "0912345678"
    assert me.json()["kind"] == "citizen"
    assert me.json()["citizen_id_masked"] == "079******234"
    assert me.json()["roles"] == []
    row.refresh_from_db()
    assert row.last_used is not None


def test_wrong_credentials_are_401_in_the_standard_shape(client, citizen):
    response = post_token(client, "0912345678", "wrong")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["message"]
    assert ApiToken.objects.count() == 0


def test_the_throttle_applies_to_the_api(client, citizen):
    for _ in range(5):
        assert post_token(client, "0912345678", "wrong").status_code == 401
    response = post_token(client, "0912345678", PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"
    assert 1 <= int(response["Retry-After"]) <= 30
    assert "thử lại sau" in response.json()["message"]


def test_me_without_credentials_is_401(client):
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    bad = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert bad.status_code == 401


def test_expired_token_is_refused(citizen):
    issued = services.issue_token(citizen, now=timezone.now() - timedelta(hours=9))
    assert services.user_for_token(issued.token) is None
    fresh = services.issue_token(citizen)
    assert services.user_for_token(fresh.token) == citizen
    assert services.user_for_token(fresh.token, now=fresh.expires_at) is None


def test_revoked_token_is_refused(client, citizen):
    token = post_token(client, "0912345678", PASSWORD).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", **auth).status_code == 204
    assert client.get("/api/v1/auth/me", **auth).status_code == 401
    assert ApiToken.objects.get().revoked


def test_token_of_deactivated_user_is_refused(citizen):
    issued = services.issue_token(citizen)
    citizen.is_active = False
    citizen.save()
    assert services.user_for_token(issued.token) is None


def test_session_works_for_get_and_needs_csrf_for_writes(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.get("/api/v1/auth/me").json()["username"] == "0912345678"
    # DELETE with the session but no CSRF token: refused before the handler runs.
    assert client.delete("/api/v1/auth/token").status_code == 403
