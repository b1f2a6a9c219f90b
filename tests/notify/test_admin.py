import pytest

from egov.notify.models import Message
from egov.notify.services import notify

pytestmark = pytest.mark.django_db

URL = "/quan-tri/notify/message/"


def test_message_list_shows_status_attempts_and_last_error(admin_client, applicant, context):
    notify("dossier:1:accepted", applicant, "dossier_accepted", context)
    Message.objects.filter(channel="sms").update(
        status="retrying", attempts=2, last_error="HTTP 503 unavailable"
    )

    response = admin_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "dossier:1:accepted" in page
    assert "Chờ gửi lại" in page
    assert "HTTP 503 unavailable" in page


def test_messages_are_read_only(admin_client, applicant, context):
    notify("dossier:2:accepted", applicant, "dossier_accepted", context)
    message = Message.objects.get(event_key="dossier:2:accepted", channel="email")

    assert admin_client.get(f"{URL}add/").status_code == 403
    detail = admin_client.get(f"{URL}{message.pk}/change/")
    assert detail.status_code == 200
    assert b'name="status"' not in detail.content  # shown, not editable
    response = admin_client.post(f"{URL}{message.pk}/change/", {"status": "sent"})
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == "pending"
