"""Open311 API keys: issued by an administrator per client, shown once, stored as a digest,
revocable. Used by the Open311 views, the ``open311_key`` command and the admin."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.feedback.models import ApiClient


def key_digest(key: str) -> str:
    # 256 random bits need no slow hash (as identity's API tokens): a plain digest suffices.
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(name: str, *, contact: str = "", created_by=None) -> tuple[ApiClient, str]:
    """A new client and its key; the key itself is returned this once and never stored."""
    name = name.strip()
    if not name:
        raise ValueError(_("Cần tên ứng dụng."))
    key = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name[:120],
        key_hash=key_digest(key),
        key_prefix=key[:8],
        contact=contact.strip()[:255],
        created_by=created_by,
    )
    return client, key


def revoke_key(client: ApiClient, *, at: datetime | None = None) -> bool:
    """Revoke ``client``'s key; False when it was already revoked."""
    at = at or timezone.now()
    revoked = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=at)
    client.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)


class KeyRefused(Exception):
    """A missing, unknown or revoked key (HTTP 403 in Open311)."""


def client_for_key(key: str) -> ApiClient:
    """The client holding ``key``, or :class:`KeyRefused` saying what is wrong with it."""
    if not key:
        raise KeyRefused(_("Thiếu khóa API (api_key)."))
    client = ApiClient.objects.filter(key_hash=key_digest(key)).first()
    if client is None:
        raise KeyRefused(_("Khóa API không hợp lệ."))
    if client.revoked_at is not None:
        raise KeyRefused(_("Khóa API đã bị thu hồi."))
    return client


def mark_used(client: ApiClient, *, at: datetime | None = None) -> None:
    """Record use at most once a minute: a write per request would make clients contend."""
    at = at or timezone.now()
    if client.last_used is None or at - client.last_used > timedelta(minutes=1):
        ApiClient.objects.filter(pk=client.pk).update(last_used=at)
        client.last_used = at
