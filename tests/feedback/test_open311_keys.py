"""Open311 keys: issued once, stored as a digest, revoked; the ``open311_key`` command."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from egov.feedback.models import ApiClient
from egov.feedback.open311_keys import (
    KeyRefused,
    client_for_key,
    issue_key,
    key_digest,
    mark_used,
)

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue()


def test_the_key_is_never_stored() -> None:
    client, key = issue_key("  Ứng dụng phường  ", contact="it@example.vn")
    assert client.name == "Ứng dụng phường"
    assert key not in {client.key_hash, client.key_prefix}
    assert client.key_hash == key_digest(key) and client.key_prefix == key[:8]
    assert client_for_key(key) == client
    with pytest.raises(KeyRefused):
        client_for_key(key[:-1])
    with pytest.raises(ValueError):
        issue_key("  ")


def test_command_creates_lists_and_revokes() -> None:
    output = run("create", "Ứng dụng Tây Ninh Smart", "--contact", "0276 3822 000")
    key = output.splitlines()[1]
    client = client_for_key(key)
    assert client.contact == "0276 3822 000"
    listing = run("list")
    assert f"{client.key_prefix}…  Ứng dụng Tây Ninh Smart  (active, never used)" in listing
    assert "revoked" in run("revoke", str(client.pk))
    with pytest.raises(KeyRefused, match="thu hồi"):
        client_for_key(key)
    assert "already revoked" in run("revoke", str(client.pk))
    assert "(revoked " in run("list")


def test_command_refuses_an_unknown_client() -> None:
    with pytest.raises(CommandError, match="no Open311 client with id 999"):
        run("revoke", "999")
    assert not ApiClient.objects.exists()


def test_use_is_recorded_once_a_minute_and_the_list_says_so() -> None:
    client, _key = issue_key("Ứng dụng phường")
    first = timezone.now()
    mark_used(client, at=first)
    mark_used(client, at=first + timedelta(seconds=30))  # within the minute: not written
    client.refresh_from_db()
    assert client.last_used == first
    mark_used(client, at=first + timedelta(seconds=61))
    client.refresh_from_db()
    assert client.last_used == first + timedelta(seconds=61)
    local = timezone.localtime(client.last_used)
    assert f"last used {local:%Y-%m-%d %H:%M} (±1 min)" in run("list")
