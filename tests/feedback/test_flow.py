from datetime import timedelta

import pytest

from egov.feedback import access, services
from egov.feedback.models import Item
from egov.notify.models import Message

from .conftest import JPEG, answered, at, field_report, local, question

pytestmark = pytest.mark.django_db


def test_a_field_report_is_routed_to_its_commune_and_gets_a_code(cast):
    item = field_report(cast, photos=[("o-ga.jpg", JPEG)])
    assert item.code.startswith("HT-260302-")
    assert item.receiving_agency == cast.agency == item.current_agency
    assert item.status == Item.Status.SUBMITTED
    assert item.photos.get().content_type == "image/jpeg"
    # Field reports of this category: 5 working days; forwarding bound: 5 working days.
    assert item.due_at == local(2026, 3, 9, 8, 0)
    assert item.forward_due_at == local(2026, 3, 9, 8, 0)
    assert Message.objects.filter(event_key=f"feedback:{item.pk}:received").exists()


def test_the_whole_flow_answers_publishes_and_closes(cast):
    item = answered(cast)
    assert item.status == Item.Status.ANSWERED
    assert item.published_at is not None
    assert Message.objects.filter(event_key__startswith=f"feedback:{item.pk}:answered").exists()
    found = access.public_answers("o ga tan bien")
    assert [i.pk for i in found.items] == [item.pk]
    with at(local(2026, 3, 4, 9, 0)):
        item = services.rate(cast.citizen, item, "satisfied")
    assert item.status == Item.Status.CLOSED


def test_a_question_forwarded_counts_its_deadline_from_the_forwarding(cast):
    item = question(cast)
    assert item.current_agency == cast.other_agency
    with at(local(2026, 3, 3, 8, 0)):
        item = services.forward(cast.outsider, item, cast.agency, "Thuộc thẩm quyền UBND xã.")
    assert item.status == Item.Status.FORWARDED
    assert item.current_agency == cast.agency
    assert item.due_at == local(2026, 3, 12, 8, 0)  # 7 working days from 3 March
    assert item.due_at - item.submitted_at > timedelta(days=7)
