"""Administrators edit processes in the admin; an invalid process is refused with its reasons."""

import pytest

from egov.dossiers.models import Process
from egov.identity.models import User

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


def _post(name: str, steps: list[tuple[str, str]], transitions: list[tuple[str, str]]) -> dict:
    data = {
        "name": name,
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": str(len(transitions)),
        "transitions-INITIAL_FORMS": "0",
    }
    for i, (code, role) in enumerate(steps):
        data |= {
            f"steps-{i}-order": str(i + 1),
            f"steps-{i}-code": code,
            f"steps-{i}-name": f"Bước {code}",
            f"steps-{i}-role": role,
        }
    for i, (a, b) in enumerate(transitions):
        data |= {
            f"transitions-{i}-from_code": a,
            f"transitions-{i}-to_code": b,
            f"transitions-{i}-action": "forward",
        }
    return data


@pytest.fixture
def admin_client(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(User.objects.create_superuser("root", "x"))
    return client


def test_a_process_with_an_unreachable_step_is_refused_with_the_reason(admin_client):
    before = Process.objects.count()
    data = _post(
        "Quy trình thử",
        [("tiep-nhan", "reception_officer"), ("tham-dinh", "specialist")],
        [("tiep-nhan", "khong-co")],
    )
    response = admin_client.post("/quan-tri/dossiers/process/add/", data, follow=True, **HOST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "không thể tới được" in page and "không tồn tại: khong-co" in page
    assert "Quy trình chưa được lưu." in page
    assert Process.objects.count() == before


def test_a_valid_process_is_saved(admin_client):
    data = _post(
        "Quy trình hợp lệ",
        [("tiep-nhan", "reception_officer"), ("tham-dinh", "specialist")],
        [("tiep-nhan", "tham-dinh")],
    )
    response = admin_client.post("/quan-tri/dossiers/process/add/", data, **HOST)
    assert response.status_code == 302
    saved = Process.objects.get(name="Quy trình hợp lệ")
    assert [s.code for s in saved.steps.order_by("order")] == ["tiep-nhan", "tham-dinh"]
