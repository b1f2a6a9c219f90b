"""What the officials read: the action labels in English and the assign event's note."""

import pytest
from django.utils import translation

from egov.feedback import services
from egov.feedback.models import ItemEvent
from egov.workspace import feedback_services
from egov.workspace import services as dossier_workspace
from tests.feedback.conftest import cast, field_report  # noqa: F401 (cast is a fixture)

pytestmark = pytest.mark.django_db


def test_the_assign_event_names_the_person_not_the_login(cast):  # noqa: F811
    item = services.accept(cast.reception, field_report(cast))
    item = services.assign(cast.reception, item, cast.specialist)
    event = ItemEvent.objects.get(item=item, action="assign")
    assert cast.specialist.full_name
    assert event.note == cast.specialist.full_name


def test_the_reject_action_reads_as_an_action_in_english():
    with translation.override("en"):
        assert str(feedback_services.ACTION_LABELS["reject"]) == "Reject"
        assert str(dossier_workspace.ACTION_LABELS["refuse"]) == "Refuse"
    with translation.override("vi"):
        assert str(feedback_services.ACTION_LABELS["reject"]) == "Từ chối"
