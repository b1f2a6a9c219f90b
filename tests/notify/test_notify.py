"""notify(): one message per channel and event, queued in the caller's transaction."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from egov.notify.models import Message
from egov.notify.services import notify

pytestmark = pytest.mark.django_db


def _tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path="egov.notify.tasks.send_message"))


def test_notify_queues_one_email_and_one_sms(applicant, context):
    notify("dossier:1:accepted", applicant, "dossier_accepted", context)

    messages = {m.channel: m for m in Message.objects.filter(event_key="dossier:1:accepted")}
    assert set(messages) == {"email", "sms"}
    assert messages["email"].address == "ngoc@example.vn"
    assert messages["email"].subject == "Hồ sơ STP-250812-0007 đã được tiếp nhận"
    assert "15/08/2025 09:30" in messages["email"].body_text
    assert messages["sms"].address == "0912345678"
    assert messages["sms"].body_text.startswith("Hồ sơ STP-250812-0007 đã được")
    assert {m.status for m in messages.values()} == {"pending"}
    queued = sorted(task.args_kwargs["args"][0] for task in _tasks())
    assert queued == sorted(m.pk for m in messages.values())


def test_a_rolled_back_change_leaves_no_message_and_no_task(applicant, context):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify("dossier:2:accepted", applicant, "dossier_accepted", context)
        assert Message.objects.filter(event_key="dossier:2:accepted").count() == 2
        raise RuntimeError("the dossier action failed after notifying")

    assert not Message.objects.filter(event_key="dossier:2:accepted").exists()
    assert _tasks() == []


def test_the_same_event_twice_creates_nothing_new(applicant, context):
    notify("dossier:3:accepted", applicant, "dossier_accepted", context)
    notify("dossier:3:accepted", applicant, "dossier_accepted", {**context, "reason": "again"})

    assert Message.objects.filter(event_key="dossier:3:accepted").count() == 2
    assert len(_tasks()) == 2


def test_another_event_of_the_same_dossier_is_a_new_message(applicant, context):
    notify("dossier:4:accepted", applicant, "dossier_accepted", context)
    notify("dossier:4:result_ready", applicant, "result_ready", context)

    assert Message.objects.filter(event_key__startswith="dossier:4:").count() == 4


def test_explicit_addresses_for_a_counter_applicant_without_account(context):
    notify(
        "dossier:5:accepted",
        None,
        "dossier_accepted",
        context,
        email="khach@example.vn",
        phone="+84 987 654 321",
    )

    addresses = dict(
        Message.objects.filter(event_key="dossier:5:accepted").values_list("channel", "address")
    )
    assert addresses == {"email": "khach@example.vn", "sms": "0987654321"}


def test_explicit_address_wins_over_the_account(applicant, context):
    notify("dossier:6:accepted", applicant, "dossier_accepted", context, phone="0387654321")

    sms = Message.objects.get(event_key="dossier:6:accepted", channel="sms")
    assert sms.address == "0387654321"
    assert sms.recipient == applicant


def test_a_channel_without_address_is_recorded_skipped_and_not_queued(context):
    notify("dossier:7:accepted", None, "dossier_accepted", context, phone="0912345678")

    email = Message.objects.get(event_key="dossier:7:accepted", channel="email")
    assert email.status == "skipped"
    assert email.last_error == "Không có địa chỉ thư điện tử."
    assert [task.args_kwargs["args"][0] for task in _tasks()] == [
        Message.objects.get(event_key="dossier:7:accepted", channel="sms").pk
    ]


def test_an_invalid_phone_is_skipped_with_the_reason(context):
    notify("dossier:8:accepted", None, "dossier_accepted", context, phone="12345")

    sms = Message.objects.get(event_key="dossier:8:accepted", channel="sms")
    assert (sms.status, sms.last_error) == ("skipped", "Số điện thoại không hợp lệ.")


def test_a_concurrent_twin_losing_the_unique_race_leaves_the_caller_usable(
    applicant, context, monkeypatch
):
    """Two processes raising one event at once: the second insert hits the unique constraint
    (the existence check saw nothing yet); it is skipped and the caller's transaction goes on."""
    notify("dossier:9:accepted", applicant, "dossier_accepted", context)
    monkeypatch.setattr("django.db.models.query.QuerySet.exists", lambda self: False)

    with transaction.atomic():
        notify("dossier:9:accepted", applicant, "dossier_accepted", context)
        assert Message.objects.filter(event_key="dossier:9:accepted").count() == 2

    assert len(_tasks()) == 2
