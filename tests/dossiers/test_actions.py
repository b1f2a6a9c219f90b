"""The whole path through the actions, and each side road."""

from datetime import timedelta

import pytest

from egov.core.api_errors import Conflict, Forbidden
from egov.dossiers import actions
from egov.dossiers.models import Dossier, DossierEvent, Status
from tests.dossiers.conftest import FORM, PDF, accepted, at, in_handling, local, submitted


def test_the_full_path_from_submission_to_rating(cast):
    dossier = submitted(cast, local(2026, 3, 2, 8, 0))
    assert dossier.status == Status.SUBMITTED and dossier.national_status() == 1
    assert dossier.code is None
    with at(local(2026, 3, 2, 9, 0)):
        dossier = actions.do_accept(cast.reception, dossier)
    assert dossier.code == "STP-260302-0001"
    assert dossier.national_status() == 2
    # 10 calendar days from 2 March (Monday) → 12 March, end of working time.
    assert dossier.due_at == local(2026, 3, 12, 17, 0)
    assert dossier.current_step.code == "handling"
    with at(local(2026, 3, 2, 10, 0)):
        dossier = actions.do_assign(cast.reception, dossier, cast.specialist)
    assert dossier.status == Status.PROCESSING and dossier.unit == cast.unit
    with at(local(2026, 3, 3, 10, 0)):
        dossier = actions.do_forward(cast.specialist, dossier, "Đủ điều kiện")
    assert dossier.current_step.code == "unit_review"
    with at(local(2026, 3, 4, 10, 0)):
        dossier = actions.do_forward(cast.unit_leader, dossier)
    assert dossier.current_step.code == "agency_approval"
    with at(local(2026, 3, 5, 10, 0)):
        dossier = actions.do_approve(cast.agency_leader, dossier)
    assert dossier.current_step.code == "result_return"
    with at(local(2026, 3, 5, 11, 0)):
        actions.add_file(cast.reception, dossier, "Phiếu LLTP.pdf", PDF, kind="result")
        dossier = actions.do_attach_result(cast.reception, dossier)
    assert dossier.status == Status.RESOLVED and dossier.national_status() == 9
    with at(local(2026, 3, 6, 8, 0)):
        dossier = actions.do_return_result(cast.reception, dossier)
        dossier = actions.do_rate(cast.citizen, dossier, "satisfied", "Nhanh gọn")
    assert dossier.status == Status.RETURNED and dossier.national_status() == 10
    assert dossier.rating == "satisfied"
    history = list(dossier.events.values_list("action", flat=True))
    assert history == [
        "create", "submit", "accept", "assign", "forward", "forward", "approve",
        "attach_result", "return_result", "rate",
    ]  # fmt: skip
    forward = dossier.events.filter(action="forward").first()
    # The specialist's step ran from acceptance (9:00, 2 March) to 10:00 on 3 March.
    assert forward.working_seconds == int(timedelta(hours=9).total_seconds())
    assert forward.actor == cast.specialist


def test_codes_follow_the_agencys_daily_sequence(cast):
    first = accepted(cast, local(2026, 3, 2, 8, 0))
    second = accepted(cast, local(2026, 3, 2, 8, 30))
    next_day = accepted(cast, local(2026, 3, 3, 7, 30))
    assert [first.code, second.code, next_day.code] == [
        "STP-260302-0001",
        "STP-260302-0002",
        "STP-260303-0001",
    ]


def test_the_day_of_the_code_is_the_day_in_ho_chi_minh_city(cast):
    # 23:30 UTC on 1 March is 06:30 on 2 March in Vietnam.
    from datetime import UTC, datetime

    dossier = accepted(cast, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    assert dossier.code == "STP-260302-0001"


def test_submitting_twice_is_one_submission(cast):
    dossier = submitted(cast)
    again = actions.do_submit(cast.citizen, Dossier.objects.get(pk=dossier.pk))
    assert again.submitted_at == dossier.submitted_at
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1


def test_a_missing_mandatory_component_is_named(cast):
    with at(local(2026, 3, 2, 8, 0)):
        dossier, _ = actions.create_draft(cast.citizen, cast.procedure, form_data=FORM)
        with pytest.raises(actions.InvalidInput) as caught:
            actions.do_submit(cast.citizen, dossier)
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in caught.value.message
    assert Dossier.objects.get(pk=dossier.pk).status == Status.DRAFT


def test_an_incomplete_form_cannot_be_submitted(cast):
    with at(local(2026, 3, 2, 8, 0)):
        dossier, _ = actions.create_draft(cast.citizen, cast.procedure, form_data={"copies": 1})
        with pytest.raises(actions.InvalidInput) as caught:
            actions.do_submit(cast.citizen, dossier)
    assert caught.value.code == "invalid_form"
    assert {"field": "purpose", "message": "Trường này là bắt buộc."} in caught.value.details


def test_a_stale_version_is_a_conflict(cast):
    dossier = submitted(cast)
    stale = Dossier.objects.get(pk=dossier.pk)
    actions.do_accept(cast.reception, dossier)
    with pytest.raises(Conflict):
        actions.do_request_supplement(
            cast.agency_leader, stale, ["Bản sao căn cước"], expected_version=stale.version
        )


def test_the_conditional_update_claims_only_the_version_read(cast):
    dossier = submitted(cast)
    copy_one = Dossier.objects.get(pk=dossier.pk)
    copy_two = Dossier.objects.get(pk=dossier.pk)
    actions._claim(copy_one, outcome_note="một")
    with pytest.raises(Conflict) as caught:
        actions._claim(copy_two, outcome_note="hai")
    assert caught.value.status == 409
    assert "người khác" in caught.value.message
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.outcome_note == "một" and fresh.version == dossier.version + 1


def test_refusal_at_reception(cast):
    dossier = submitted(cast)
    dossier = actions.do_refuse(cast.reception, dossier, "Không thuộc thẩm quyền")
    assert dossier.status == Status.REFUSED and dossier.national_status() == 3
    assert dossier.code is None
    with pytest.raises(actions.InvalidAction):
        actions.do_accept(cast.reception, dossier)


def test_refusal_needs_a_reason(cast):
    with pytest.raises(actions.InvalidInput):
        actions.do_refuse(cast.reception, submitted(cast), "  ")


def test_withdrawal_by_the_applicant(cast):
    dossier = in_handling(cast)
    with pytest.raises(Forbidden):
        actions.do_withdraw(cast.other_citizen, dossier)
    dossier = actions.do_withdraw(cast.citizen, dossier, "Không còn nhu cầu")
    assert dossier.status == Status.WITHDRAWN and dossier.national_status() == 7


def test_stop_processing(cast):
    dossier = in_handling(cast)
    dossier = actions.do_stop(cast.specialist, dossier, "Người nộp đề nghị dừng")
    assert dossier.status == Status.STOPPED and dossier.national_status() == 8
    with pytest.raises(actions.InvalidAction):
        actions.do_forward(cast.specialist, dossier)


def test_apology_and_new_appointment(cast):
    dossier = in_handling(cast, local(2026, 3, 2, 8, 0))
    new_due = local(2026, 3, 20, 17, 0)
    with pytest.raises(actions.InvalidInput):
        actions.do_apologise_and_reschedule(
            cast.specialist, dossier, local(2026, 3, 5, 8, 0), "Cần xác minh"
        )
    dossier = actions.do_apologise_and_reschedule(
        cast.specialist, dossier, new_due, "Cần xác minh thêm tại địa phương"
    )
    assert dossier.due_at == new_due
    assert dossier.events.filter(action="apologise_and_reschedule").exists()


def test_send_back_to_the_previous_step(cast):
    dossier = in_handling(cast)
    dossier = actions.do_forward(cast.specialist, dossier)
    dossier = actions.do_send_back(cast.unit_leader, dossier, "Bổ sung ý kiến thẩm định")
    assert dossier.current_step.code == "handling"


def test_joint_processing_hands_over_and_takes_back(cast):
    dossier = in_handling(cast)
    dossier = actions.do_hand_over(cast.specialist, dossier, cast.other_agency, "Xác minh y tế")
    assert dossier.current_agency == cast.other_agency
    # While the partner holds it, the home specialist cannot move it on.
    with pytest.raises(Forbidden):
        actions.do_forward(cast.specialist, dossier)
    dossier = actions.do_take_back(cast.specialist, dossier)
    assert dossier.current_agency == cast.agency
    assert list(dossier.events.values_list("action", flat=True))[-2:] == [
        "hand_over",
        "take_back",
    ]


def test_counter_intake_is_accepted_at_once(cast):
    with at(local(2026, 3, 2, 14, 0)):
        dossier = actions.do_receive_at_counter(
            cast.reception,
            cast.procedure,
            cast.agency,
            applicant_name="Lê  Văn   Quầy",
            applicant_phone="0909000111",
            applicant_id_number="079203005678",
            form_data=FORM,
        )
    assert dossier.channel == "counter" and dossier.applicant is None
    assert dossier.applicant_name == "Lê Văn Quầy"
    assert dossier.code == "STP-260302-0001" and dossier.status == Status.RECEIVED
    assert "le van quay" in dossier.search_key


def test_the_outsider_cannot_take_counter_dossiers_for_another_agency(cast):
    with pytest.raises(Forbidden):
        actions.do_receive_at_counter(
            cast.outsider, cast.procedure, cast.agency, applicant_name="A", form_data=FORM
        )


def test_rating_only_after_the_result(cast):
    with pytest.raises(actions.InvalidAction):
        actions.do_rate(cast.citizen, in_handling(cast), "satisfied")


def test_idempotency_key_gives_the_same_draft(cast):
    one, created_one = actions.create_draft(
        cast.citizen, cast.procedure, form_data=FORM, idempotency_key="k-1"
    )
    two, created_two = actions.create_draft(
        cast.citizen, cast.procedure, form_data=FORM, idempotency_key="k-1"
    )
    other, _ = actions.create_draft(
        cast.other_citizen, cast.procedure, form_data=FORM, idempotency_key="k-1"
    )
    assert (created_one, created_two) == (True, False)
    assert one.pk == two.pk != other.pk


def test_acceptance_queues_the_message_and_issues_the_receipt(cast):
    from egov.notify.models import Message

    dossier = accepted(cast)
    assert Message.objects.filter(event_key=f"dossier:{dossier.pk}:accepted").exists()
    receipt = dossier.files.filter(kind="form", form_kind="receipt").first()
    assert receipt is not None and receipt.content_type == "application/pdf"
    assert receipt.file.open("rb").read(5) == b"%PDF-"
