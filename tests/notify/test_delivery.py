"""The worker delivers: e-mail through Django's mail backend, SMS over HTTP to the gateway."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from egov.notify import services
from egov.notify.models import Message
from egov.notify.services import notify
from egov.notify.tasks import send_message

pytestmark = pytest.mark.django_db


def _message(event_key: str, channel: str) -> Message:
    return Message.objects.get(event_key=event_key, channel=channel)


def test_worker_sends_the_email_and_the_sms(applicant, context, gateway, worker):
    notify("dossier:1:accepted", applicant, "dossier_accepted", context)

    assert worker.run_ready() == 2

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ngoc@example.vn"]
    assert sent.subject == "Hồ sơ STP-250812-0007 đã được tiếp nhận"
    assert "Ngày hẹn trả kết quả: 15/08/2025 09:30" in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "Sở Tư pháp tỉnh Tây Ninh" in html
    email = _message("dossier:1:accepted", "email")
    assert sent.extra_headers["Message-ID"] == f"<{email.reference}@127.0.0.1>"
    assert (email.status, email.attempts) == ("sent", 1)
    assert email.sent_at is not None

    sms = _message("dossier:1:accepted", "sms")
    [request] = gateway.requests
    assert request["to"] == "+84912345678"
    assert request["text"] == sms.body_text
    assert "Hẹn trả kết quả: 15/08/2025 09:30" in request["text"]
    assert request["reference"] == request["idempotency_key"] == str(sms.reference)
    assert (sms.status, sms.attempts) == ("sent", 1)
    assert sms.provider_id == gateway.delivered[str(sms.reference)]


def test_without_a_gateway_sms_are_logged_and_skipped(applicant, context, settings, worker, caplog):
    settings.EGOV_SMS_GATEWAY_URL = ""
    notify("dossier:2:accepted", applicant, "dossier_accepted", context)

    with caplog.at_level("INFO", logger="egov.notify"):
        worker.run_ready()

    sms = _message("dossier:2:accepted", "sms")
    assert sms.status == "skipped"
    assert "EGOV_SMS_GATEWAY_URL" in sms.last_error
    assert "Hồ sơ STP-250812-0007" in caplog.text
    assert _message("dossier:2:accepted", "email").status == "sent"


def test_gateway_failures_are_retried_with_exponential_backoff(
    applicant, context, gateway, worker, settings
):
    settings.EGOV_NOTIFY_RETRY_BASE_SECONDS = 60
    gateway.fail_next(2)
    notify("dossier:3:accepted", None, "dossier_accepted", context, phone="0912345678")

    before = timezone.now()
    worker.run_ready()
    sms = _message("dossier:3:accepted", "sms")
    assert (sms.status, sms.attempts) == ("retrying", 1)
    assert "HTTP 503" in sms.last_error
    [deferred] = worker.deferred()
    assert deferred.run_after == sms.next_attempt_at
    assert timedelta(seconds=59) < sms.next_attempt_at - before < timedelta(seconds=70)
    assert worker.run_ready() == 0  # not due yet

    worker.make_deferred_due()
    before = timezone.now()
    worker.run_ready()
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("retrying", 2)
    assert timedelta(seconds=119) < sms.next_attempt_at - before < timedelta(seconds=130)

    worker.make_deferred_due()
    worker.run_ready()
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.last_error) == ("sent", 3, "")
    assert len(gateway.requests) == 3
    assert len(gateway.delivered) == 1
    assert worker.deferred() == []


def test_after_the_last_attempt_the_message_fails(applicant, context, gateway, worker, settings):
    settings.EGOV_NOTIFY_MAX_ATTEMPTS = 3
    gateway.fail_next(10, status=502)
    notify("dossier:4:accepted", None, "dossier_accepted", context, phone="0912345678")

    worker.run_ready()
    for _ in range(5):
        worker.make_deferred_due()
        worker.run_ready()

    sms = _message("dossier:4:accepted", "sms")
    assert (sms.status, sms.attempts) == ("failed", 3)
    assert "HTTP 502" in sms.last_error
    assert len(gateway.requests) == 3
    assert worker.deferred() == []


def test_retry_delays_double(settings):
    settings.EGOV_NOTIFY_RETRY_BASE_SECONDS = 60
    assert [services.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]


def test_a_refusal_by_the_gateway_is_not_retried(applicant, context, gateway, worker, settings):
    settings.EGOV_SMS_API_KEY = "wrong-key"
    notify("dossier:5:accepted", None, "dossier_accepted", context, phone="0912345678")

    worker.run_ready()

    sms = _message("dossier:5:accepted", "sms")
    assert (sms.status, sms.attempts) == ("failed", 1)
    assert sms.last_error.startswith("HTTP 401 unauthorized")
    assert worker.deferred() == []
    assert gateway.delivered == {}


def test_an_unreachable_gateway_is_a_temporary_failure(applicant, context, settings, worker):
    from egov.notify.fake_gateway import FakeSmsGateway

    stopped = FakeSmsGateway().start()
    settings.EGOV_SMS_GATEWAY_URL = stopped.url
    stopped.stop()  # nothing listens on that port any more
    notify("dossier:6:accepted", None, "dossier_accepted", context, phone="0912345678")

    worker.run_ready()

    sms = _message("dossier:6:accepted", "sms")
    assert (sms.status, sms.attempts) == ("retrying", 1)
    assert "gateway unreachable" in sms.last_error


def test_smtp_errors_are_retried(applicant, context, worker, monkeypatch):
    def broken_send(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    notify("dossier:7:accepted", applicant, "dossier_accepted", context, phone="")

    worker.run_ready()

    email = _message("dossier:7:accepted", "email")
    assert (email.status, email.attempts) == ("retrying", 1)
    assert "SMTP server down" in email.last_error


def test_a_message_is_never_sent_twice_even_if_its_task_runs_twice(
    applicant, context, gateway, worker
):
    notify("dossier:8:accepted", applicant, "dossier_accepted", context)
    for message in Message.objects.filter(event_key="dossier:8:accepted"):
        send_message.enqueue(message.pk)  # a duplicate task for each message

    assert worker.run_ready() == 4

    assert len(mail.outbox) == 1
    assert len(gateway.requests) == 1
    email = _message("dossier:8:accepted", "email")
    assert services.deliver(email.pk) == "sent"  # and once more, directly
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_message_being_sent_is_not_sent_by_a_second_run(applicant, context, worker):
    notify("dossier:9:accepted", applicant, "dossier_accepted", context, phone="")
    email = _message("dossier:9:accepted", "email")
    Message.objects.filter(pk=email.pk).update(status="sending")  # another worker holds it

    worker.run_ready()

    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sending", 0)


def test_ascii_sms_option_strips_diacritics(applicant, context, gateway, worker, settings):
    settings.EGOV_SMS_ASCII = True
    notify("dossier:10:accepted", None, "dossier_accepted", context, phone="0912345678")

    worker.run_ready()

    [request] = gateway.requests
    assert request["text"].startswith("Ho so STP-250812-0007 da duoc So Tu phap tinh Tay Ninh")


def test_egov_worker_command_runs_the_queue(applicant, context, gateway, monkeypatch):
    # The real command, minus close_old_connections(), which would close the test transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    notify("dossier:11:accepted", applicant, "dossier_accepted", context)

    call_command("worker", batch=True, verbosity=0)

    assert len(mail.outbox) == 1
    assert len(gateway.requests) == 1
    statuses = Message.objects.filter(event_key="dossier:11:accepted").values_list(
        "status", flat=True
    )
    assert set(statuses) == {"sent"}


@pytest.mark.parametrize(
    ("phone", "expected"),
    [("0912345678", "+84912345678"), ("+84912345678", "+84912345678")],
)
def test_numbers_go_to_the_gateway_in_e164(phone, expected):
    from egov.notify.sms import to_e164

    assert to_e164(phone) == expected


def test_the_gateway_protocol_makes_a_resend_of_one_reference_harmless(gateway):
    from egov.notify.sms import send_sms

    first = send_sms("0912345678", "Hồ sơ đã được tiếp nhận", "ref-1")
    again = send_sms("0912345678", "Hồ sơ đã được tiếp nhận", "ref-1")  # a lost response

    assert first.provider_id == again.provider_id != ""
    assert gateway.delivered == {"ref-1": first.provider_id}
    assert gateway.requests[0]["text"] == "Hồ sơ đã được tiếp nhận"
