"""A resent submission (double click, retried request) under the same idempotency key files one
item: the same sender gets the first item back; another sender or other content does not."""

from unittest import mock

import pytest

from egov.core.api_errors import ApiError
from egov.feedback import services
from egov.feedback.models import Item, ItemEvent, ItemPhoto
from egov.notify.models import Message

from .conftest import JPEG, PNG, at, field_report, local, question

pytestmark = pytest.mark.django_db
KEY = "c1b5f0d2-6e4a-4bb8-9f0e-2d7a51c3e8aa"


def counts() -> tuple[int, int, int, int]:
    return (
        Item.objects.count(),
        ItemEvent.objects.count(),
        ItemPhoto.objects.count(),
        Message.objects.filter(template="feedback_received").count(),
    )


def refused(call) -> ApiError:
    with pytest.raises(ApiError) as error:
        call()
    return error.value


def anonymous(cast, **overrides) -> Item:
    return question(cast, author=None, **{"contact_phone": "0912000111", **overrides})


def test_the_same_key_twice_files_one_item_with_one_acknowledgement(cast):
    photos = [("a.jpg", JPEG), ("b.png", PNG)]
    first = field_report(cast, idempotency_key=KEY, photos=photos)
    after_first = counts()
    assert after_first[2:] == (2, 2)  # two photos; the acknowledgement by e-mail and SMS
    again = field_report(cast, idempotency_key=KEY, photos=photos, moment=local(2026, 3, 2, 8, 1))
    assert (again.pk, again.code) == (first.pk, first.code)
    assert counts() == after_first


def test_submit_once_tells_a_new_item_from_a_resend(cast):
    values = {
        "kind": Item.Kind.QUESTION,
        "category": question(cast).category,
        "title": "Hỏi về chứng thực",
        "text": "Chứng thực bản sao ở đâu?",
        "idempotency_key": KEY,
    }
    with at(local(2026, 3, 2, 9, 0)):
        first, created = services.submit_once(cast.citizen, **values)
        again, created_again = services.submit_once(cast.citizen, **values)
    assert (created, created_again) == (True, False) and again.pk == first.pk


def test_without_a_key_every_submission_is_an_item(cast):
    assert question(cast).pk != question(cast).pk


def test_another_signed_in_author_with_the_same_key_files_their_own(cast):
    mine = question(cast, idempotency_key=KEY)
    theirs = question(cast, author=cast.other_citizen, idempotency_key=KEY)
    assert theirs.pk != mine.pk and theirs.author == cast.other_citizen
    stranger = anonymous(cast, idempotency_key=KEY)  # an anonymous key is its own scope
    assert stranger.pk not in (mine.pk, theirs.pk) and stranger.author is None


def test_the_same_author_and_key_with_other_content_is_a_conflict(cast):
    question(cast, idempotency_key=KEY)
    before = counts()
    error = refused(lambda: question(cast, idempotency_key=KEY, title="Một câu hỏi khác"))
    assert (error.status, error.code) == (409, "idempotency_conflict")
    error = refused(lambda: question(cast, idempotency_key=KEY, photos=[("a.png", PNG)]))
    assert error.code == "idempotency_conflict"
    assert counts() == before


def test_an_anonymous_resend_needs_the_same_contact(cast):
    first = anonymous(cast, idempotency_key=KEY)
    assert anonymous(cast, idempotency_key=KEY).pk == first.pk
    before = counts()
    for other in ({"contact_phone": "0987654321"}, {"contact_email": "ban@example.vn"}):
        error = refused(lambda other=other: anonymous(cast, idempotency_key=KEY, **other))
        assert (error.status, error.code) == (409, "idempotency_conflict")
        assert first.code not in error.message and first.title not in error.message
    assert counts() == before


def test_keys_are_checked(cast):
    before = counts()
    short = refused(lambda: anonymous(cast, idempotency_key="abc123"))
    assert (short.status, short.code) == (422, "invalid_idempotency_key")
    assert "16" in short.message
    for bad in ("x" * 81, "hai từ có dấu cách"):
        assert refused(lambda bad=bad: question(cast, idempotency_key=bad)).code == (
            "invalid_idempotency_key"
        )
    assert counts() == before
    assert question(cast, idempotency_key="ab1").idempotency_key == "ab1"  # signed in: any length


def test_a_refused_submission_does_not_use_up_its_key(cast):
    refused(lambda: question(cast, idempotency_key=KEY, title=""))
    item = question(cast, idempotency_key=KEY)
    assert item.idempotency_key == KEY and question(cast, idempotency_key=KEY).pk == item.pk


def test_a_lost_race_returns_the_winners_item_and_gives_its_number_back(cast):
    winner = question(cast, idempotency_key=KEY)
    real, calls = services._sent_before, []

    def late(*args):
        calls.append(args)
        # The loser looked before the winner's row was there; after the unique violation it is.
        return None if len(calls) == 1 else real(*args)

    with mock.patch.object(services, "_sent_before", side_effect=late):
        loser = question(cast, idempotency_key=KEY)
    assert loser.pk == winner.pk and len(calls) == 2
    assert counts()[0] == 1
    assert int(question(cast).code[-4:]) == int(winner.code[-4:]) + 1  # no gap in the codes
