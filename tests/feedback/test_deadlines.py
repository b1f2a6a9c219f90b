"""Deadlines in working days, the forwarding bound, deadline states and overdue alerts."""

from io import StringIO

import pytest
from django.core.management import call_command

from egov.feedback import services
from egov.feedback.models import Item, ItemEvent
from egov.notify.models import Message

from .conftest import answered, at, field_report, local, question

pytestmark = pytest.mark.django_db


def test_deadlines_are_per_category_in_working_days(cast):
    # Monday 2 March 08:00. Lighting: 3 working days; questions: 7; the pothole: 5.
    light = field_report(
        cast,
        category=services.Category.objects.get(code="den-chieu-sang"),
        attributes={"tinh_trang": "khong_sang"},
    )
    assert light.due_at == local(2026, 3, 5, 8, 0)
    assert question(cast).due_at == local(2026, 3, 11, 8, 0)
    assert field_report(cast).due_at == local(2026, 3, 9, 8, 0)


def test_the_forwarding_bound_is_a_setting(cast, settings):
    assert field_report(cast).forward_due_at == local(2026, 3, 9, 8, 0)
    settings.EGOV_FEEDBACK_FORWARD_DAYS = 2
    assert field_report(cast).forward_due_at == local(2026, 3, 4, 8, 0)


def test_a_late_forwarding_is_allowed_and_recorded(cast):
    item = question(cast)
    with at(local(2026, 3, 10, 9, 0)):  # after 9 March 08:00
        item = services.forward(cast.outsider, item, cast.agency, "Chuyển UBND xã Tân Biên.")
    assert ItemEvent.objects.filter(item=item, action="forward_late").exists()
    assert item.due_at == local(2026, 3, 19, 9, 0)
    assert item.forward_due_at == local(2026, 3, 9, 8, 0)


def test_forwarding_needs_another_agency_and_a_reason(cast):
    item = question(cast)
    with at(local(2026, 3, 3, 9, 0)):
        with pytest.raises(services.InvalidInput):
            services.forward(cast.outsider, item, cast.other_agency, "Lý do")
        with pytest.raises(services.InvalidInput):
            services.forward(cast.outsider, item, cast.agency, " ")


def test_deadline_states(cast):
    item = field_report(cast)  # due Monday 9 March 08:00
    assert services.deadline_state(item, local(2026, 3, 3, 9, 0)) == "in_time"
    assert services.deadline_state(item, local(2026, 3, 6, 9, 0)) == "due_soon"
    assert services.deadline_state(item, local(2026, 3, 9, 8, 0)) == "overdue"
    done = answered(cast)
    assert services.deadline_state(done, local(2026, 4, 1, 8, 0)) is None
    late = answered(cast, field_report(cast), moment=local(2026, 3, 10, 9, 0))
    assert services.deadline_state(late, local(2026, 4, 1, 8, 0)) == "overdue"
    with at(local(2026, 3, 3, 9, 0)):
        rejected = services.reject(cast.reception, field_report(cast), "duplicate", "Đã có.")
    assert services.deadline_state(rejected, local(2026, 4, 1, 8, 0)) is None


def test_overdue_items_alert_the_assignee_and_the_leaders_once(cast):
    item = field_report(cast)
    with at(local(2026, 3, 3, 9, 0)):
        services.accept(cast.reception, item)
        services.assign(cast.reception, item, cast.specialist)
    answered(cast)  # answered in time: no alert
    assert services.check_overdue(local(2026, 3, 6, 9, 0)) == 0
    assert services.check_overdue(local(2026, 3, 9, 9, 0)) == 1
    assert services.check_overdue(local(2026, 3, 10, 9, 0)) == 0
    alerted = {
        m.recipient.username
        for m in Message.objects.filter(template="feedback_overdue", channel="email")
    }
    assert alerted == {"cv.tb", "tp.tb", "ct.tb"}


def test_a_reopened_item_gets_a_new_deadline_and_may_be_alerted_again(cast):
    item = answered(cast)
    with at(local(2026, 3, 4, 9, 0)):
        item = services.reopen(cast.citizen, item, "Ổ gà vẫn còn.")
    assert item.status == Item.Status.IN_PROGRESS and item.reopened == 1
    assert item.due_at == local(2026, 3, 11, 9, 0)
    assert item.published_at is None and item.answer == ""
    assert services.check_overdue(local(2026, 3, 11, 10, 0)) == 1
    with at(local(2026, 3, 12, 9, 0)):
        services.submit_for_approval(cast.specialist, item, "Đã vá lại bằng bê tông nhựa.")
        item = services.approve(cast.agency_leader, item)
        with pytest.raises(services.InvalidAction):
            services.reopen(cast.citizen, item)


def test_the_check_overdue_command_checks_dossiers_and_feedback(cast):
    field_report(cast, moment=local(2025, 1, 2, 8, 0))
    out = StringIO()
    call_command("check_overdue", stdout=out)
    assert "1 phản ánh quá hạn trả lời đã được cảnh báo." in out.getvalue()
    assert "hồ sơ quá hạn" in out.getvalue()
