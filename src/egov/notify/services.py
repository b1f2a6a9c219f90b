"""Notifications: render a Vietnamese message for an event and deliver it by e-mail and SMS.

``notify`` is called by the other apps inside the transaction of the change that raised the
event (a dossier accepted, a supplement requested …): it writes one :class:`Message` per channel
and enqueues its delivery task in that same transaction, so a rollback leaves neither, and a
commit can never lose a message (the task row is in the database, not in memory).

``deliver`` is the task body, run by ``egov worker``:

1. Claim: lock the message row (``select_for_update``), go on only if it is waiting to be sent,
   mark it *sending* and count the attempt, commit. A second run of the same task, or another
   worker, finds it no longer waiting and sends nothing: a message is sent at most once.
2. Send outside any transaction, so a slow SMTP server or gateway holds no database lock.
3. Record the outcome. A temporary failure schedules the next attempt (1, 2, 4, 8 … minutes,
   EGOV_NOTIFY_RETRY_BASE_SECONDS doubled each time) as a new deferred task in the same
   transaction; after EGOV_NOTIFY_MAX_ATTEMPTS attempts, or on a permanent refusal, it fails.

A worker killed between steps 1 and 3 leaves the message *sending*: it may or may not have gone
out, so egov does not guess; an operator sees it in the admin. (SMS gateways deduplicate on the
message reference, so re-queueing such an SMS by hand is safe.)
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from egov.identity.models import User
from egov.identity.services import normalise_phone
from egov.notify.models import Message
from egov.notify.sms import SmsError, send_sms

logger = logging.getLogger("egov.notify")

# Deadlines are shown in the province's time, whatever zone the worker process runs in.
DISPLAY_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TEMPLATES = (
    "dossier_accepted",
    "supplement_requested",
    "dossier_refused",
    "result_ready",
    "dossier_overdue",
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


def _now() -> datetime:
    return timezone.now()


def format_moment(value: datetime | None) -> str:
    """``dd/mm/YYYY HH:MM`` in Asia/Ho_Chi_Minh, the form Vietnamese receipts use."""
    if value is None:
        return ""
    return timezone.localtime(value, DISPLAY_ZONE).strftime("%d/%m/%Y %H:%M")


def absolute_url(path: str) -> str:
    if not path or urlsplit(path).scheme:
        return path
    return settings.EGOV_SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def render(template: str, context: dict[str, Any]) -> Rendered:
    """Render ``notify/<template>.{subject.txt,txt,html,sms.txt}`` with the event's context.

    Adds ``due_at_text`` (the formatted due moment) and ``tracking_link`` (the absolute link).
    Missing templates raise at once, in the caller's transaction, not later in the worker.
    """
    ctx = {
        **context,
        "due_at_text": format_moment(context.get("due_at")),
        "tracking_link": absolute_url(context.get("tracking_url", "")),
        "missing_items": list(context.get("missing_items") or []),
    }
    with override("vi"):

        def part(suffix: str) -> str:
            return render_to_string(f"notify/{template}.{suffix}", ctx).strip()

        subject = " ".join(part("subject.txt").split())
        sms = " ".join(part("sms.txt").split())
        return Rendered(subject=subject, text=part("txt") + "\n", html=part("html"), sms=sms)


def _addresses(recipient: User | None, email: str, phone: str) -> dict[str, tuple[str, str]]:
    """channel -> (address, reason it cannot be used, or "")."""
    email = (email or (recipient.email if recipient else "")).strip()
    raw_phone = (phone or (recipient.phone if recipient else "")).strip()
    result = {Message.Channel.EMAIL: (email, "" if email else "Không có địa chỉ thư điện tử.")}
    if not raw_phone:
        result[Message.Channel.SMS] = ("", "Không có số điện thoại.")
    else:
        try:
            result[Message.Channel.SMS] = (normalise_phone(raw_phone), "")
        except ValidationError:
            result[Message.Channel.SMS] = (raw_phone, "Số điện thoại không hợp lệ.")
    return result


def notify(
    event_key: str,
    recipient: User | None,
    template: str,
    context: dict[str, Any],
    *,
    email: str = "",
    phone: str = "",
) -> None:
    """Queue the ``template`` message for ``event_key`` by e-mail and by SMS, once per event.

    ``email``/``phone`` override the recipient's own (an applicant at the counter without an
    account). Calling it again for the same event creates and sends nothing new. A channel
    without a usable address is recorded as skipped, so the admin shows why nothing went out.
    """
    from egov.notify.tasks import send_message  # the task module imports this one

    rendered = render(template, context)
    addresses = _addresses(recipient, email, phone)
    with transaction.atomic():
        for channel, (address, problem) in addresses.items():
            if Message.objects.filter(event_key=event_key, channel=channel).exists():
                continue
            is_sms = channel == Message.Channel.SMS
            try:
                # A savepoint, so a concurrent twin's unique violation leaves the caller's
                # transaction usable.
                with transaction.atomic():
                    message = Message.objects.create(
                        event_key=event_key,
                        channel=channel,
                        template=template,
                        recipient=recipient,
                        address=address,
                        subject="" if is_sms else rendered.subject,
                        body_text=rendered.sms if is_sms else rendered.text,
                        body_html="" if is_sms else rendered.html,
                        status=Message.Status.SKIPPED if problem else Message.Status.PENDING,
                        last_error=problem,
                    )
            except IntegrityError:
                continue
            if not problem:
                send_message.enqueue(message.pk)


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt wait base · 2^(n-1): 1, 2, 4, 8 … minutes by default."""
    return timedelta(seconds=settings.EGOV_NOTIFY_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


class _Temporary(Exception):
    pass


class _Permanent(Exception):
    pass


def _claim(message_id: int) -> Message | None:
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status not in (
            Message.Status.PENDING,
            Message.Status.RETRYING,
        ):
            return None
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        return message


def _email_domain() -> str:
    return urlsplit(settings.EGOV_SITE_URL).hostname or "localhost"


def _send_email(message: Message) -> tuple[bool, str]:
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        # A stable Message-ID lets mail systems drop a duplicate should one ever be sent.
        headers={"Message-ID": f"<{message.reference}@{_email_domain()}>"},
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    try:
        mail.send(fail_silently=False)
    except Exception as exc:  # SMTP, socket, TLS errors: the server may be back later
        raise _Temporary(f"{type(exc).__name__}: {exc}") from exc
    return False, ""


def _send_sms(message: Message) -> tuple[bool, str]:
    try:
        result = send_sms(message.address, message.body_text, str(message.reference))
    except SmsError as exc:
        raise (_Temporary if exc.temporary else _Permanent)(str(exc)) from exc
    return result.skipped, result.provider_id


def _record(message: Message, *, status: str, error: str = "", provider_id: str = "") -> None:
    from egov.notify.tasks import send_message

    now = _now()
    message.status = status
    message.last_error = error[:2000]
    fields = ["status", "last_error"]
    if status in (Message.Status.SENT, Message.Status.SKIPPED):
        message.sent_at = now if status == Message.Status.SENT else None
        message.provider_id = provider_id
        fields += ["sent_at", "provider_id"]
    if status == Message.Status.RETRYING:
        message.next_attempt_at = now + retry_delay(message.attempts)
        fields.append("next_attempt_at")
    with transaction.atomic():
        message.save(update_fields=fields)
        if status == Message.Status.RETRYING:
            send_message.using(run_after=message.next_attempt_at).enqueue(message.pk)


def deliver(message_id: int) -> str:
    """Send one message if it is still waiting; return its status afterwards (the task result)."""
    message = _claim(message_id)
    if message is None:
        current = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
        return current or "missing"
    sender = _send_sms if message.channel == Message.Channel.SMS else _send_email
    try:
        skipped, provider_id = sender(message)
    except _Permanent as exc:
        logger.warning("message %s refused: %s", message.pk, exc)
        _record(message, status=Message.Status.FAILED, error=str(exc))
    except _Temporary as exc:
        last = message.attempts >= settings.EGOV_NOTIFY_MAX_ATTEMPTS
        logger.warning("message %s attempt %s failed: %s", message.pk, message.attempts, exc)
        status = Message.Status.FAILED if last else Message.Status.RETRYING
        _record(message, status=status, error=str(exc))
    else:
        if skipped:
            error = "Chưa cấu hình cổng SMS (EGOV_SMS_GATEWAY_URL); tin chỉ được ghi vào nhật ký."
            _record(message, status=Message.Status.SKIPPED, error=error)
        else:
            _record(message, status=Message.Status.SENT, provider_id=provider_id)
    return message.status
