"""Due moments, deadline states across Tết 2026, and the stopped clock of a supplement."""

from datetime import timedelta

import pytest

from egov.dossiers import actions, deadlines
from egov.dossiers.deadlines import DeadlineState
from egov.dossiers.models import Status
from tests.dossiers.conftest import accepted, at, in_handling, local, submitted


@pytest.fixture
def five_working_days(cast):
    cast.procedure.processing_time_amount = 5
    cast.procedure.processing_time_unit = "working_days"
    cast.procedure.save()
    return cast


def test_five_working_days_from_11_february_2026_skip_tet(five_working_days):
    # Wed 11, Thu 12, Fri 13 February; Tết Bính Ngọ closes offices from Sat 14 to Sun 22;
    # then Mon 23 and Tue 24: due at the close of Tuesday 24 February.
    dossier = accepted(five_working_days, local(2026, 2, 11, 7, 0))
    assert dossier.due_at == local(2026, 2, 24, 17, 0)


def test_deadline_states_across_tet(five_working_days):
    dossier = accepted(five_working_days, local(2026, 2, 11, 7, 0))
    state = deadlines.deadline_state
    assert state(dossier, local(2026, 2, 12, 9, 0)) == DeadlineState.IN_TIME
    # Friday before Tết: 2 working days left, though 11 calendar days remain.
    assert state(dossier, local(2026, 2, 13, 16, 0)) == DeadlineState.IN_TIME
    # Mid-Tết: no working time passes, still 2 working days (and 1 h) left.
    assert state(dossier, local(2026, 2, 18, 12, 0)) == DeadlineState.IN_TIME
    # Monday 23 at 17:00: one working day left → due soon.
    assert state(dossier, local(2026, 2, 23, 17, 0)) == DeadlineState.DUE_SOON
    assert state(dossier, local(2026, 2, 24, 17, 0)) == DeadlineState.OVERDUE


def test_the_step_due_is_a_share_of_the_legal_time(five_working_days):
    dossier = accepted(five_working_days, local(2026, 3, 2, 7, 0))
    # The handling step has 60 % of 40 working hours = 24 h = 3 working days.
    assert dossier.step_due_at == local(2026, 3, 4, 17, 0)
    assert deadlines.step_deadline_state(dossier, local(2026, 3, 4, 9, 0)) == "due_soon"


def test_a_supplement_during_handling_stops_the_clock_and_resumes_it(five_working_days):
    cast = five_working_days
    dossier = in_handling(cast, local(2026, 3, 2, 7, 0))  # due Fri 6 March 17:00
    assert dossier.due_at == local(2026, 3, 6, 17, 0)
    with at(local(2026, 3, 3, 7, 0)):  # 1 working day used, 4 left
        dossier = actions.do_request_supplement(
            cast.specialist, dossier, ["Bản sao căn cước rõ nét"], "Ảnh mờ"
        )
    assert dossier.status == Status.SUPPLEMENT and dossier.national_status() == 5
    # Frozen while waiting: a week later the dossier is not overdue.
    assert deadlines.deadline_state(dossier, local(2026, 3, 12, 9, 0)) == "in_time"
    with at(local(2026, 3, 10, 7, 0)):  # answered a week later (5 working days stopped)
        dossier = actions.do_answer_supplement(cast.citizen, dossier)
    assert dossier.status == Status.PROCESSING
    # 4 working days left from Tue 10 March 07:00 → Fri 13 March 17:00.
    assert dossier.due_at == local(2026, 3, 13, 17, 0)
    assert dossier.stopped_working_seconds == int(timedelta(hours=40).total_seconds())


def test_the_restart_setting_counts_the_full_time_again(five_working_days, settings):
    settings.EGOV_SUPPLEMENT_CLOCK = "restart"
    cast = five_working_days
    dossier = in_handling(cast, local(2026, 3, 2, 7, 0))
    with at(local(2026, 3, 3, 7, 0)):
        dossier = actions.do_request_supplement(cast.specialist, dossier, ["Tờ khai"])
    with at(local(2026, 3, 10, 7, 0)):
        dossier = actions.do_answer_supplement(cast.citizen, dossier)
    assert dossier.due_at == local(2026, 3, 16, 17, 0)


def test_a_supplement_at_reception_counts_the_full_time_from_acceptance(five_working_days):
    cast = five_working_days
    dossier = submitted(cast, local(2026, 3, 2, 7, 0))
    with at(local(2026, 3, 2, 8, 0)):
        dossier = actions.do_request_supplement(cast.reception, dossier, ["Tờ khai có chữ ký"])
    assert dossier.code is None and dossier.supplement_phase == "reception"
    with at(local(2026, 3, 5, 7, 0)):
        dossier = actions.do_answer_supplement(cast.citizen, dossier)
    assert dossier.status == Status.SUBMITTED
    with at(local(2026, 3, 5, 7, 0)):
        dossier = actions.do_accept(cast.reception, dossier)
    assert dossier.due_at == local(2026, 3, 11, 17, 0)


@pytest.mark.django_db  # the calendar reads the province's days off when its cache is cold
def test_add_working_time_handles_minutes_across_lunch():
    start = local(2026, 3, 2, 11, 0)
    assert deadlines.add_working_time(start, timedelta(minutes=45)) == local(2026, 3, 2, 13, 45)


def test_overdue_alerts_are_raised_once(five_working_days, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "egov.dossiers.notifications.send", lambda key, user, template, *a, **k: sent.append(key)
    )
    dossier = in_handling(five_working_days, local(2026, 3, 2, 7, 0))
    assert actions.check_overdue(local(2026, 3, 6, 9, 0)) == 0
    assert actions.check_overdue(local(2026, 3, 9, 9, 0)) == 1
    assert actions.check_overdue(local(2026, 3, 10, 9, 0)) == 0
    # The specialist, the unit leader and the agency leader, once each.
    overdue = [key for key in sent if key.startswith(f"dossier:{dossier.pk}:overdue:")]
    assert len(overdue) == 3
