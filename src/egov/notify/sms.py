"""The SMS gateway adapter: one small HTTP JSON protocol, so any provider (a telco's brand-name
SMS API, an aggregator) is reached through a thin proxy that speaks it.

Protocol (egov SMS gateway protocol, version 1)
------------------------------------------------
Request::

    POST <EGOV_SMS_GATEWAY_URL>
    Content-Type: application/json; charset=utf-8
    Accept: application/json
    X-Api-Key: <EGOV_SMS_API_KEY>
    Idempotency-Key: <reference>

    {"to": "+84912345678", "text": "…", "reference": "<uuid>", "sender": "<brand name>"}

``to`` is E.164; ``text`` is UTF-8 (Vietnamese with diacritics; the gateway chooses GSM-7 or
UCS-2 and splits long texts); ``reference`` is egov's message id; ``sender`` is the configured
brand name (EGOV_SMS_SENDER), which the gateway may ignore. With EGOV_SMS_ASCII=1 egov strips
the diacritics first (cheaper GSM-7 parts).

Responses:

- ``2xx`` with ``{"id": "<gateway message id>"}``: accepted. A repeated ``reference`` MUST be
  answered with the id of the first acceptance and not sent again; this makes egov's retries
  after a lost response safe.
- ``408``, ``429`` and ``5xx``, a timeout or a broken connection: temporary; egov retries later.
- any other ``4xx`` (``400`` bad request, ``401``/``403`` bad key, ``422`` number not
  reachable …) with ``{"code": "…", "message": "…"}``: rejected; egov does not retry.
"""

import json
import logging
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger("egov.notify")

PROTOCOL_VERSION = "1"


class SmsError(Exception):
    """Sending failed; ``temporary`` says whether trying again later can help."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


@dataclass(frozen=True)
class SmsResult:
    skipped: bool
    provider_id: str = ""


def to_e164(phone: str) -> str:
    """``0912345678`` → ``+84912345678`` (numbers are stored in the national ``0…`` form)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.strip().startswith("+"):
        return "+" + digits
    if digits.startswith("0"):
        return "+84" + digits[1:]
    return "+" + digits


def strip_diacritics(text: str) -> str:
    """ "Hồ sơ đã được tiếp nhận" → "Ho so da duoc tiep nhan", keeping case and punctuation.

    For EGOV_SMS_ASCII: text without diacritics fits the GSM-7 alphabet, 160 characters a part
    instead of 70 in UCS-2, which is how many Vietnamese brand-name SMS contracts are priced.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _error_text(body: bytes) -> str:
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return body[:200].decode("utf-8", "replace")
    if isinstance(data, dict):
        return f"{data.get('code', '')}: {data.get('message', '')}".strip(": ")
    return str(data)[:200]


def send_sms(to: str, text: str, reference: str) -> SmsResult:
    """Hand one SMS to the gateway; raise :class:`SmsError` when it is not accepted.

    Without EGOV_SMS_GATEWAY_URL (a laptop, the demo) the text is logged and reported skipped,
    so nothing pretends to have been delivered.
    """
    url = settings.EGOV_SMS_GATEWAY_URL
    if not url:
        logger.info("SMS not sent (no EGOV_SMS_GATEWAY_URL) to=%s ref=%s: %s", to, reference, text)
        return SmsResult(skipped=True)
    if settings.EGOV_SMS_ASCII:
        text = strip_diacritics(text)
    payload = {
        "to": to_e164(to),
        "text": text,
        "reference": reference,
        "sender": settings.EGOV_SMS_SENDER,
    }
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "X-Api-Key": settings.EGOV_SMS_API_KEY,
            "Idempotency-Key": reference,
            "User-Agent": f"egov-sms/{PROTOCOL_VERSION}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.EGOV_SMS_TIMEOUT_SECONDS) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()
        temporary = exc.code in (408, 429) or exc.code >= 500
        raise SmsError(f"HTTP {exc.code} {_error_text(body)}", temporary=temporary) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise SmsError(f"gateway unreachable: {exc}", temporary=True) from exc
    try:
        provider_id = str(json.loads(body.decode("utf-8"))["id"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        # Accepted (2xx) but without an id: the SMS is on its way, so it counts as sent.
        logger.warning("SMS gateway accepted ref=%s without an id: %r", reference, body[:200])
        provider_id = ""
    return SmsResult(skipped=False, provider_id=provider_id)
