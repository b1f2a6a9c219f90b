"""The demo feedback: items in every state, made through the services, once."""

import pytest
from django.core.management import call_command

from egov.feedback import access
from egov.feedback.demo import demo_feedback_exist
from egov.feedback.models import Item

pytestmark = pytest.mark.django_db


def test_demo_feedback_covers_the_states_and_publishes_some(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert not demo_feedback_exist()
    call_command("demo_feedback", items=36, verbosity=0)
    assert Item.objects.count() == 36
    statuses = set(Item.objects.values_list("status", flat=True))
    assert statuses >= {
        "submitted",
        "accepted",
        "in_progress",
        "awaiting_approval",
        "answered",
        "closed",
        "rejected",
    }
    assert Item.objects.filter(hidden=True).exists()
    assert Item.objects.filter(reopened=1).exists()
    assert Item.objects.filter(forwarded_at__isnull=False).exists()
    assert Item.objects.filter(author__isnull=True).exists()
    assert access.public_answers().items
    assert demo_feedback_exist()
