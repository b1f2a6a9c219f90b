"""Every write to a dossier: one ``do_<verb>`` function per business step.

Each action (1) checks the actor's capability in the agency holding the dossier (and its unit),
(2) claims the row with ``UPDATE … WHERE id = X AND version = V`` — zero rows means another
official changed it first, and the caller gets a 409 conflict, never a silent double
transition —, (3) writes the :class:`DossierEvent`, (4) enqueues its messages and issues its
forms, all in one transaction. Views, the API, the admin and the demo generator call these.

Who may do what (Decree 118/2025/NĐ-CP: the one-stop desk receives and returns; specialists
handle; leaders review and sign):

* accept, refuse or ask a supplement at reception, counter intake: ``receive_dossiers``;
* assign: ``receive_dossiers`` (the desk distributes) or a leader (``approve_in_unit``,
  ``approve_in_agency``);
* forward / send back / approve: the capability of the current step's role
  (:data:`egov.dossiers.process.ROLE_CAPABILITY`), in the dossier's unit;
* supplement during handling, stop, apologise and reschedule, hand over: ``handle_dossiers``
  or a leader; attach the result: ``handle_dossiers``, ``return_results`` or a leader;
  return the result: ``return_results``;
* submit, answer a supplement, withdraw, rate: the applicant who owns the dossier.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.agencies import permissions
from egov.agencies.models import Agency, StaffRole, Unit
from egov.calendar import services as calendar
from egov.core.api_errors import (
    Conflict,
    Forbidden,
    InvalidAction,
    InvalidInput,
    NotFound,
)
from egov.core.text import fold
from egov.dossiers import deadlines, documents, notifications
from egov.dossiers.models import (
    DailySequence,
    Dossier,
    DossierEvent,
    DossierFile,
    ProcessStep,
    Status,
)
from egov.dossiers.process import process_for, step_capability, target_step
from egov.reports import counters

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
LEADERS = (permissions.APPROVE_IN_UNIT, permissions.APPROVE_IN_AGENCY)


def now() -> datetime:
    """The clock seam (tests move it with ``unittest.mock.patch``)."""
    return timezone.now()


# --- helpers ------------------------------------------------------------------------------------


def _unit_of(dossier: Dossier) -> Unit | None:
    step = dossier.current_step
    if step is not None and step.unit_code:
        return Unit.objects.filter(agency=dossier.current_agency, code=step.unit_code).first()
    # The home unit is kept during joint processing; it says nothing in the partner agency.
    if dossier.unit is not None and dossier.unit.agency_id == dossier.current_agency_id:
        return dossier.unit
    return None


def has_capability(actor, dossier: Dossier, capabilities: Iterable[str]) -> bool:
    caps = permissions.capabilities_of(actor, dossier.current_agency, _unit_of(dossier))
    return bool(caps & set(capabilities))


def _require(actor, dossier: Dossier, *capabilities: str) -> None:
    if not has_capability(actor, dossier, capabilities):
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."))


def _require_applicant(actor, dossier: Dossier) -> None:
    if dossier.applicant_id is None or actor is None or actor.pk != dossier.applicant_id:
        raise Forbidden(_("Chỉ người nộp hồ sơ mới thực hiện được thao tác này."))


def _require_status(dossier: Dossier, *statuses: str) -> None:
    if dossier.status not in statuses:
        raise InvalidAction(
            _("Hồ sơ đang ở trạng thái “%(s)s”, không thực hiện được thao tác này.")
            % {"s": dossier.get_status_display()}
        )


def _claim(dossier: Dossier, expected_version: int | None = None, **changes) -> None:
    """The conditional update: apply ``changes`` only if nobody changed the row since we read it."""
    version = dossier.version if expected_version is None else expected_version
    if "due_at" in changes or "submitted_at" in changes:
        due = changes.get("due_at", dossier.due_at)
        changes["sort_due"] = due or changes.get("submitted_at", dossier.submitted_at)
    before = counters.contribution(dossier)
    rows = Dossier.objects.filter(pk=dossier.pk, version=version).update(
        version=F("version") + 1, **changes
    )
    if rows == 0:
        raise Conflict(_("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại."))
    for name, value in changes.items():
        setattr(dossier, name, value)
    dossier.version = version + 1
    # The dashboard's counters follow in the same transaction (egov.reports.counters).
    counters.record_change(before, dossier)


def _event(
    dossier: Dossier,
    actor,
    action: str,
    from_status: str,
    note: str = "",
    *,
    at: datetime,
    closed_step_started: datetime | None = None,
) -> DossierEvent:
    worked = None
    if closed_step_started is not None:
        worked = int(calendar.working_time_between(closed_step_started, at).total_seconds())
    return DossierEvent.objects.create(
        dossier=dossier,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        step=dossier.current_step,
        note=note,
        at=at,
        step_due_at=dossier.step_due_at,
        working_seconds=worked,
    )


def _locked(dossier: Dossier) -> Dossier:
    """Re-read the row inside the transaction (the caller's copy may be stale)."""
    fresh = Dossier.objects.select_related(
        "procedure", "agency", "current_agency", "current_step", "unit"
    ).get(pk=dossier.pk)
    return fresh


def search_key(code: str | None, name: str, id_number: str) -> str:
    return fold(" ".join(part for part in (code or "", name, id_number) if part))[:300]


def next_code(agency: Agency, moment: datetime) -> str:
    """``<agency code>-<YYMMDD>-<NNNN>``: the agency's daily sequence in Asia/Ho_Chi_Minh.

    The increment is one UPDATE on the (agency, day) row, which the database serialises: two
    acceptances at once wait for each other and get consecutive numbers. Call it inside the
    accepting transaction so a rolled-back acceptance does not... (it does consume nothing:
    the increment rolls back with it).
    """
    day = moment.astimezone(ZONE).date()
    if not DailySequence.objects.filter(agency=agency, day=day).exists():
        try:
            with transaction.atomic():
                DailySequence.objects.create(agency=agency, day=day, last_number=0)
        except IntegrityError:
            pass  # created by a concurrent acceptance a moment ago
    DailySequence.objects.filter(agency=agency, day=day).update(last_number=F("last_number") + 1)
    number = DailySequence.objects.get(agency=agency, day=day).last_number
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"


def _enter_step(dossier: Dossier, step: ProcessStep | None, at: datetime) -> dict:
    if step is None:
        return {"current_step": None, "step_started_at": None, "step_due_at": None}
    dossier_for_share = dossier
    return {
        "current_step": step,
        "step_started_at": at,
        "step_due_at": deadlines.step_due(step, dossier_for_share, at),
    }


# --- intake -------------------------------------------------------------------------------------


def _competent_agency(procedure, agency_code: str | None) -> Agency:
    agencies = procedure.agencies.filter(is_active=True)
    if agency_code:
        agency = agencies.filter(code=agency_code).first()
        if agency is None:
            raise InvalidInput(
                _("Cơ quan %(code)s không giải quyết thủ tục này.") % {"code": agency_code},
                code="invalid_agency",
            )
        return agency
    found = list(agencies[:2])
    if len(found) != 1:
        raise InvalidInput(
            _("Cần chọn cơ quan giải quyết (ví dụ Ủy ban nhân dân xã, phường của bạn)."),
            code="agency_required",
        )
    return found[0]


def _clean_form(procedure, form_data: dict, *, partial: bool) -> dict:
    from egov.catalog.eforms import validate_form_data

    cleaned, errors = validate_form_data(procedure.eform or {}, form_data or {})
    if partial:
        # A draft may be incomplete: keep what is valid, refuse only wrong values.
        errors = {k: v for k, v in errors.items() if (form_data or {}).get(k) not in (None, "")}
    if errors:
        raise InvalidInput(
            _("Tờ khai chưa hợp lệ."),
            code="invalid_form",
            details=[{"field": k, "message": v} for k, v in errors.items()],
        )
    return cleaned


@transaction.atomic
def create_draft(
    applicant,
    procedure,
    *,
    agency_code: str | None = None,
    form_data: dict | None = None,
    idempotency_key: str = "",
) -> tuple[Dossier, bool]:
    """A draft for ``procedure`` by the signed-in ``applicant``; the same key → the same draft.

    Returns ``(dossier, created)``.
    """
    if applicant.kind == "staff":
        raise Forbidden(
            _("Tài khoản cán bộ không nộp hồ sơ trực tuyến; hãy dùng tiếp nhận tại quầy.")
        )
    key = (idempotency_key or "").strip()[:80]
    if key:
        existing = Dossier.objects.filter(applicant=applicant, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    if not procedure.is_active:
        raise InvalidInput(_("Thủ tục này không còn áp dụng."), code="inactive_procedure")
    agency = _competent_agency(procedure, agency_code)
    cleaned = _clean_form(procedure, form_data or {}, partial=True)
    dossier = Dossier(
        procedure=procedure,
        agency=agency,
        current_agency=agency,
        applicant=applicant,
        applicant_name=applicant.full_name or applicant.username,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_id_number=applicant.citizen_id or applicant.tax_code,
        channel=Dossier.Channel.ONLINE,
        form_data=cleaned,
        idempotency_key=key,
    )
    dossier.search_key = search_key(None, dossier.applicant_name, dossier.applicant_id_number)
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError:
        # The same key raced us: the other request's dossier is the answer.
        return Dossier.objects.get(applicant=applicant, idempotency_key=key), False
    _event(dossier, applicant, "create", "", at=now())
    return dossier, True


@transaction.atomic
def update_draft(actor, dossier: Dossier, form_data: dict, expected_version=None) -> Dossier:
    dossier = _locked(dossier)
    _require_applicant(actor, dossier)
    _require_status(dossier, Status.DRAFT, Status.SUPPLEMENT)
    cleaned = _clean_form(dossier.procedure, form_data, partial=True)
    _claim(dossier, expected_version, form_data=cleaned)
    return dossier


def missing_components(dossier: Dossier) -> list[str]:
    have = set(
        dossier.files.filter(kind="component", component__isnull=False).values_list(
            "component_id", flat=True
        )
    )
    return [c.name for c in dossier.procedure.components.all() if c.mandatory and c.pk not in have]


@transaction.atomic
def do_submit(actor, dossier: Dossier, expected_version=None) -> Dossier:
    """Submit a draft. Submitting again (double click, retry) is harmless: one submission."""
    dossier = _locked(dossier)
    _require_applicant(actor, dossier)
    if dossier.status != Status.DRAFT:
        if dossier.submitted_at is not None:
            return dossier
        _require_status(dossier, Status.DRAFT)
    _clean_form(dossier.procedure, dossier.form_data, partial=False)
    missing = missing_components(dossier)
    if missing:
        raise InvalidInput(
            _("Còn thiếu thành phần hồ sơ bắt buộc: %(names)s.") % {"names": "; ".join(missing)},
            code="missing_components",
            details=missing,
        )
    at = now()
    try:
        _claim(dossier, expected_version, status=Status.SUBMITTED, submitted_at=at)
    except Conflict:
        again = _locked(dossier)
        if again.submitted_at is not None:
            return again
        raise
    _event(dossier, actor, "submit", Status.DRAFT, at=at)
    return dossier


def _accept_changes(dossier: Dossier, at: datetime) -> dict:
    code = next_code(dossier.agency, at)
    due = deadlines.legal_due(dossier.procedure, at)
    dossier.accepted_at, dossier.due_at = at, due  # for the step share below
    steps = list(process_for(dossier.procedure).steps.order_by("order"))
    first_after_reception = steps[1] if len(steps) > 1 else steps[0]
    changes = {
        "status": Status.RECEIVED,
        "code": code,
        "accepted_at": at,
        "due_at": due,
        "stopped_at": None,
        "supplement_phase": "",
        "missing_items": [],
        "search_key": search_key(code, dossier.applicant_name, dossier.applicant_id_number),
    }
    changes.update(_enter_step(dossier, first_after_reception, at))
    return changes


def _after_accept(dossier: Dossier, actor, from_status: str, note: str, at: datetime) -> None:
    _event(dossier, actor, "accept", from_status, note, at=at)
    notifications.to_applicant(
        dossier, "accepted", "dossier_accepted", official_name=getattr(actor, "full_name", "")
    )
    documents.issue_form(dossier, "receipt", actor, officer_name=getattr(actor, "full_name", ""))


@transaction.atomic
def do_accept(actor, dossier: Dossier, note: str = "", expected_version=None) -> Dossier:
    """Receive a complete dossier: its code, its appointment (the legal time from now)."""
    dossier = _locked(dossier)
    _require(actor, dossier, permissions.RECEIVE_DOSSIERS)
    _require_status(dossier, Status.SUBMITTED)
    at = now()
    from_status = dossier.status
    changes = _accept_changes(dossier, at)
    _claim(dossier, expected_version, **changes)
    _after_accept(dossier, actor, from_status, note, at)
    return dossier


@transaction.atomic
def do_receive_at_counter(
    actor,
    procedure,
    agency: Agency,
    *,
    applicant_name: str,
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_id_number: str = "",
    applicant_address: str = "",
    applicant=None,
    form_data: dict | None = None,
    note: str = "",
) -> Dossier:
    """Counter intake: the officer enters the dossier of a person present; accepted at once
    (paper components are checked by the officer and scanned afterwards)."""
    if not permissions.can(actor, permissions.RECEIVE_DOSSIERS, agency):
        raise Forbidden(_("Bạn không có quyền tiếp nhận hồ sơ tại cơ quan này."))
    if not procedure.agencies.filter(pk=agency.pk).exists():
        raise InvalidInput(
            _("Cơ quan này không giải quyết thủ tục đã chọn."), code="invalid_agency"
        )
    if not (applicant_name or "").strip():
        raise InvalidInput(_("Cần họ tên người nộp."), code="applicant_name_required")
    cleaned = _clean_form(procedure, form_data or {}, partial=False)
    at = now()
    dossier = Dossier.objects.create(
        procedure=procedure,
        agency=agency,
        current_agency=agency,
        applicant=applicant,
        applicant_name=" ".join(applicant_name.split()),
        applicant_phone=applicant_phone,
        applicant_email=applicant_email,
        applicant_id_number=applicant_id_number,
        applicant_address=applicant_address,
        channel=Dossier.Channel.COUNTER,
        status=Status.SUBMITTED,
        submitted_at=at,
        sort_due=at,
        form_data=cleaned,
    )
    _event(dossier, actor, "receive_at_counter", "", at=at)
    changes = _accept_changes(dossier, at)
    _claim(dossier, **changes)
    _after_accept(dossier, actor, Status.SUBMITTED, note, at)
    return dossier


# --- supplement, refusal ------------------------------------------------------------------------


@transaction.atomic
def do_request_supplement(
    actor, dossier: Dossier, missing_items: list[str], note: str = "", expected_version=None
) -> Dossier:
    """Ask the applicant for more; the clock stops (see :mod:`egov.dossiers.deadlines`)."""
    dossier = _locked(dossier)
    items = [str(i).strip() for i in (missing_items or []) if str(i).strip()]
    if not items:
        raise InvalidInput(
            _("Cần nêu rõ những giấy tờ, thông tin phải bổ sung."), code="missing_items"
        )
    if dossier.status == Status.SUBMITTED:
        _require(actor, dossier, permissions.RECEIVE_DOSSIERS)
        phase = Dossier.SupplementPhase.RECEPTION
    else:
        _require_status(dossier, Status.RECEIVED, Status.PROCESSING)
        _require(actor, dossier, permissions.HANDLE_DOSSIERS, *LEADERS)
        phase = Dossier.SupplementPhase.HANDLING
    at = now()
    from_status = dossier.status
    _claim(
        dossier,
        expected_version,
        status=Status.SUPPLEMENT,
        stopped_at=at if phase == Dossier.SupplementPhase.HANDLING else None,
        supplement_phase=phase,
        supplement_round=dossier.supplement_round + 1,
        missing_items=items,
    )
    _event(dossier, actor, "request_supplement", from_status, note, at=at)
    notifications.send(
        f"dossier:{dossier.pk}:supplement:{dossier.supplement_round}",
        dossier.applicant,
        "supplement_requested",
        notifications.dossier_context(
            dossier, reason=note, missing_items=items, official_name=actor.full_name
        ),
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
    )
    documents.issue_form(
        dossier, "supplement_request", actor, reason=note, officer_name=actor.full_name
    )
    return dossier


@transaction.atomic
def do_answer_supplement(
    actor, dossier: Dossier, form_data: dict | None = None, note: str = "", expected_version=None
) -> Dossier:
    """The applicant answers: at reception the dossier waits for acceptance again (the legal
    time will count in full from acceptance); during handling the clock restarts as
    ``EGOV_SUPPLEMENT_CLOCK`` says (default: resumes with the remaining time)."""
    dossier = _locked(dossier)
    _require_applicant(actor, dossier)
    _require_status(dossier, Status.SUPPLEMENT)
    at = now()
    changes: dict = {"missing_items": [], "supplement_phase": ""}
    if form_data is not None:
        changes["form_data"] = _clean_form(dossier.procedure, form_data, partial=False)
    if dossier.supplement_phase == Dossier.SupplementPhase.RECEPTION:
        changes["status"] = Status.SUBMITTED
        changes["submitted_at"] = at
    else:
        stopped = calendar.working_time_between(dossier.stopped_at, at)
        changes["status"] = Status.PROCESSING if dossier.assignee_id else Status.RECEIVED
        changes["due_at"] = deadlines.resumed_due(dossier, at)
        if dossier.step_due_at and dossier.stopped_at:
            left = calendar.working_time_between(dossier.stopped_at, dossier.step_due_at)
            changes["step_due_at"] = deadlines.add_working_time(at, max(left, timedelta()))
        changes["stopped_at"] = None
        changes["stopped_working_seconds"] = dossier.stopped_working_seconds + int(
            stopped.total_seconds()
        )
    _claim(dossier, expected_version, **changes)
    _event(dossier, actor, "answer_supplement", Status.SUPPLEMENT, note, at=at)
    return dossier


@transaction.atomic
def do_refuse(actor, dossier: Dossier, reason: str, expected_version=None) -> Dossier:
    """Refuse to receive (at reception) or to resolve (during handling), with the reason."""
    dossier = _locked(dossier)
    if not (reason or "").strip():
        raise InvalidInput(_("Cần nêu lý do từ chối."), code="reason_required")
    if dossier.status == Status.SUBMITTED or (
        dossier.status == Status.SUPPLEMENT and dossier.accepted_at is None
    ):
        _require(actor, dossier, permissions.RECEIVE_DOSSIERS)
    else:
        _require_status(dossier, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT)
        _require(actor, dossier, permissions.HANDLE_DOSSIERS, *LEADERS)
    at = now()
    from_status = dossier.status
    _claim(
        dossier,
        expected_version,
        status=Status.REFUSED,
        resolved_at=at,
        ended_at=at,
        outcome_note=reason,
        stopped_at=None,
    )
    _event(dossier, actor, "refuse", from_status, reason, at=at)
    notifications.to_applicant(
        dossier, "refused", "dossier_refused", reason=reason, official_name=actor.full_name
    )
    documents.issue_form(dossier, "refusal", actor, reason=reason, officer_name=actor.full_name)
    return dossier


# --- handling -----------------------------------------------------------------------------------


@transaction.atomic
def do_assign(actor, dossier: Dossier, assignee, note: str = "", expected_version=None) -> Dossier:
    """Give the dossier to a specialist (and so to their unit)."""
    dossier = _locked(dossier)
    _require_status(dossier, Status.RECEIVED, Status.PROCESSING)
    roles = StaffRole.objects.filter(
        user=assignee,
        agency=dossier.current_agency,
        role__in=permissions.roles_with(permissions.HANDLE_DOSSIERS),
    ).order_by("unit_id")
    role = roles.first()
    if role is None or not assignee.is_active:
        raise InvalidInput(
            _("Người được giao không phải chuyên viên xử lý của cơ quan."), code="invalid_assignee"
        )
    # The desk or a leader of the agency distributes; a unit leader, to the staff of the unit.
    unit_leader = role.unit is not None and permissions.can(
        actor, permissions.APPROVE_IN_UNIT, dossier.current_agency, role.unit
    )
    if not unit_leader:
        _require(actor, dossier, permissions.RECEIVE_DOSSIERS, *LEADERS)
    at = now()
    from_status = dossier.status
    _claim(
        dossier,
        expected_version,
        assignee=assignee,
        unit=role.unit or dossier.unit,
        status=Status.PROCESSING,
    )
    _event(dossier, actor, "assign", from_status, note or str(assignee), at=at)
    return dossier


def _move(actor, dossier: Dossier, action: str, note: str, expected_version) -> Dossier:
    dossier = _locked(dossier)
    _require_status(dossier, Status.RECEIVED, Status.PROCESSING)
    step = dossier.current_step
    if step is None:
        raise InvalidAction(_("Hồ sơ không ở bước xử lý nào."))
    _require(actor, dossier, step_capability(step))
    target = target_step(step, action)
    if target is None:
        raise InvalidAction(_("Quy trình không cho phép thao tác này ở bước hiện tại."))
    at = now()
    started = dossier.step_started_at
    from_status = dossier.status
    _claim(dossier, expected_version, status=Status.PROCESSING, **_enter_step(dossier, target, at))
    _event(dossier, actor, action, from_status, note, at=at, closed_step_started=started)
    return dossier


def do_forward(actor, dossier: Dossier, note: str = "", expected_version=None) -> Dossier:
    with transaction.atomic():
        return _move(actor, dossier, "forward", note, expected_version)


def do_send_back(actor, dossier: Dossier, note: str = "", expected_version=None) -> Dossier:
    with transaction.atomic():
        return _move(actor, dossier, "send_back", note, expected_version)


@transaction.atomic
def do_approve(actor, dossier: Dossier, note: str = "", expected_version=None) -> Dossier:
    """The competent leader approves: the dossier moves to result return."""
    dossier = _locked(dossier)
    step = dossier.current_step
    if step is None or step.role not in ("agency_leader", "unit_leader"):
        raise InvalidAction(_("Hồ sơ chưa tới bước phê duyệt."))
    nxt = target_step(step, "forward")
    if nxt is None or nxt.role != "reception_officer":
        raise InvalidAction(_("Hồ sơ chưa tới bước phê duyệt cuối cùng."))
    _require_status(dossier, Status.PROCESSING, Status.RECEIVED)
    _require(actor, dossier, step_capability(step))
    at = now()
    started = dossier.step_started_at
    _claim(dossier, expected_version, **_enter_step(dossier, nxt, at))
    _event(dossier, actor, "approve", Status.PROCESSING, note, at=at, closed_step_started=started)
    return dossier


@transaction.atomic
def do_attach_result(actor, dossier: Dossier, note: str = "", expected_version=None) -> Dossier:
    """Mark the result ready (the result file is uploaded with kind ``result`` before or after)."""
    dossier = _locked(dossier)
    _require_status(dossier, Status.PROCESSING)
    step = dossier.current_step
    if step is None or target_step(step, "forward") is not None:
        raise InvalidAction(_("Hồ sơ chưa được phê duyệt."))
    _require(actor, dossier, permissions.RETURN_RESULTS, permissions.HANDLE_DOSSIERS, *LEADERS)
    at = now()
    _claim(dossier, expected_version, status=Status.RESOLVED, resolved_at=at, ended_at=at)
    _event(dossier, actor, "attach_result", Status.PROCESSING, note, at=at)
    notifications.to_applicant(
        dossier, "result_ready", "result_ready", official_name=actor.full_name
    )
    return dossier


@transaction.atomic
def do_return_result(actor, dossier: Dossier, note: str = "", expected_version=None) -> Dossier:
    dossier = _locked(dossier)
    _require_status(dossier, Status.RESOLVED)
    _require(actor, dossier, permissions.RETURN_RESULTS)
    at = now()
    started = dossier.step_started_at
    _claim(
        dossier,
        expected_version,
        status=Status.RETURNED,
        returned_at=at,
        **_enter_step(dossier, None, at),
    )
    _event(
        dossier, actor, "return_result", Status.RESOLVED, note, at=at, closed_step_started=started
    )
    return dossier


@transaction.atomic
def do_stop(actor, dossier: Dossier, reason: str, expected_version=None) -> Dossier:
    """Stop processing (dừng xử lý), with the notice to the applicant."""
    dossier = _locked(dossier)
    if not (reason or "").strip():
        raise InvalidInput(_("Cần nêu lý do dừng xử lý."), code="reason_required")
    _require_status(dossier, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT)
    _require(actor, dossier, permissions.HANDLE_DOSSIERS, *LEADERS)
    at = now()
    from_status = dossier.status
    _claim(
        dossier,
        expected_version,
        status=Status.STOPPED,
        outcome_note=reason,
        stopped_at=None,
        ended_at=at,
    )
    _event(dossier, actor, "stop", from_status, reason, at=at)
    documents.issue_form(dossier, "stop_notice", actor, reason=reason, officer_name=actor.full_name)
    return dossier


@transaction.atomic
def do_apologise_and_reschedule(
    actor, dossier: Dossier, new_due_at: datetime, reason: str, expected_version=None
) -> Dossier:
    """A late dossier gets a new appointment and the apology letter (phiếu xin lỗi và hẹn lại)."""
    dossier = _locked(dossier)
    if not (reason or "").strip():
        raise InvalidInput(_("Cần nêu lý do chậm trễ."), code="reason_required")
    _require_status(dossier, Status.RECEIVED, Status.PROCESSING)
    _require(actor, dossier, permissions.HANDLE_DOSSIERS, *LEADERS)
    if new_due_at is None or timezone.is_naive(new_due_at):
        raise InvalidInput(_("Cần ngày giờ hẹn mới (có múi giờ)."), code="invalid_due")
    if dossier.due_at and new_due_at <= dossier.due_at:
        raise InvalidInput(_("Ngày hẹn mới phải sau ngày hẹn cũ."), code="invalid_due")
    at = now()
    old_due = dossier.due_at
    _claim(
        dossier,
        expected_version,
        due_at=new_due_at,
        overdue_alerted_at=None,
        apologised_at=dossier.apologised_at or at,
    )
    _event(dossier, actor, "apologise_and_reschedule", dossier.status, reason, at=at)
    documents.issue_form(
        dossier,
        "apology",
        actor,
        reason=reason,
        new_due_at=new_due_at,
        due_at=old_due,
        officer_name=actor.full_name,
    )
    return dossier


@transaction.atomic
def do_withdraw(actor, dossier: Dossier, note: str = "", expected_version=None) -> Dossier:
    dossier = _locked(dossier)
    _require_applicant(actor, dossier)
    _require_status(
        dossier,
        Status.DRAFT,
        Status.SUBMITTED,
        Status.SUPPLEMENT,
        Status.RECEIVED,
        Status.PROCESSING,
    )
    at = now()
    from_status = dossier.status
    _claim(dossier, expected_version, status=Status.WITHDRAWN, stopped_at=None, ended_at=at)
    _event(dossier, actor, "withdraw", from_status, note, at=at)
    return dossier


@transaction.atomic
def do_hand_over(
    actor, dossier: Dossier, partner: Agency, note: str = "", expected_version=None
) -> Dossier:
    """Joint processing (liên thông): the dossier goes to ``partner``'s queue for its part."""
    dossier = _locked(dossier)
    _require_status(dossier, Status.RECEIVED, Status.PROCESSING)
    if dossier.current_agency_id != dossier.agency_id:
        raise InvalidAction(_("Hồ sơ đang được chuyển liên thông."))
    _require(actor, dossier, permissions.HANDLE_DOSSIERS, *LEADERS)
    if partner.pk == dossier.agency_id or not partner.is_active:
        raise InvalidInput(_("Cần chọn một cơ quan khác đang hoạt động."), code="invalid_agency")
    at = now()
    _claim(dossier, expected_version, current_agency=partner)
    _event(dossier, actor, "hand_over", dossier.status, note or partner.name, at=at)
    return dossier


@transaction.atomic
def do_take_back(actor, dossier: Dossier, note: str = "", expected_version=None) -> Dossier:
    """End the joint part: the partner agency returns it, or the competent agency takes it back."""
    dossier = _locked(dossier)
    if dossier.current_agency_id == dossier.agency_id:
        raise InvalidAction(_("Hồ sơ không ở cơ quan liên thông."))
    caps = (permissions.HANDLE_DOSSIERS, *LEADERS)
    home = permissions.capabilities_of(actor, dossier.agency) | permissions.capabilities_of(
        actor, dossier.agency, dossier.unit
    )
    if not (has_capability(actor, dossier, caps) or home & set(caps)):
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."))
    at = now()
    _claim(dossier, expected_version, current_agency=dossier.agency)
    _event(dossier, actor, "take_back", dossier.status, note, at=at)
    return dossier


@transaction.atomic
def do_rate(
    actor, dossier: Dossier, rating: str, comment: str = "", expected_version=None
) -> Dossier:
    dossier = _locked(dossier)
    _require_applicant(actor, dossier)
    _require_status(dossier, Status.RETURNED, Status.RESOLVED)
    if rating not in Dossier.Rating.values:
        raise InvalidInput(_("Mức đánh giá không hợp lệ."), code="invalid_rating")
    _claim(dossier, expected_version, rating=rating, rating_comment=(comment or "").strip()[:2000])
    _event(dossier, actor, "rate", dossier.status, rating, at=now())
    return dossier


# --- overdue alerts -----------------------------------------------------------------------------


def check_overdue(at: datetime | None = None) -> int:
    """Alert once per dossier past its due moment (event key ``dossier:<id>:overdue:<due>``)."""
    at = at or now()
    count = 0
    candidates = Dossier.objects.filter(
        status__in=(Status.RECEIVED, Status.PROCESSING),
        due_at__lte=at,
        overdue_alerted_at__isnull=True,
    ).select_related("procedure", "agency", "assignee")
    for dossier in candidates.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Dossier.objects.filter(pk=dossier.pk, overdue_alerted_at__isnull=True).update(
                overdue_alerted_at=at
            )
            if not claimed:
                continue
            recipients = [dossier.assignee] if dossier.assignee_id else []
            recipients += [
                r.user
                for r in StaffRole.objects.filter(
                    agency=dossier.current_agency_id,
                    role__in=("unit_leader", "agency_leader"),
                ).select_related("user")
                if r.role == "agency_leader" or r.unit_id in (None, dossier.unit_id)
            ]
            stamp = f"{dossier.due_at:%Y%m%d%H%M}"
            for user in {u.pk: u for u in recipients}.values():
                notifications.send(
                    f"dossier:{dossier.pk}:overdue:{stamp}:{user.pk}",
                    user,
                    "dossier_overdue",
                    notifications.dossier_context(dossier, official_name=user.full_name),
                    email=user.email,
                    phone=user.phone,
                )
            count += 1
    return count


def random_token() -> str:
    return secrets.token_urlsafe(16)


# --- files --------------------------------------------------------------------------------------


@transaction.atomic
def add_file(
    actor, dossier: Dossier, name: str, content: bytes, *, component_id=None, kind="component"
):
    """Attach a file: the applicant to a draft or a supplement; the desk scans paper components;
    the handler or the desk attaches the result."""
    from egov.dossiers import files

    dossier = _locked(dossier)
    component = None
    if kind == DossierFile.Kind.COMPONENT:
        if actor.pk == dossier.applicant_id and actor.kind != "staff":
            _require_status(dossier, Status.DRAFT, Status.SUPPLEMENT)
        else:
            _require_status(dossier, Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING)
            _require(actor, dossier, permissions.RECEIVE_DOSSIERS)
        if component_id is not None:
            component = dossier.procedure.components.filter(pk=component_id).first()
            if component is None:
                raise InvalidInput(
                    _("Thành phần hồ sơ không thuộc thủ tục này."), code="invalid_component"
                )
    elif kind == DossierFile.Kind.RESULT:
        _require_status(dossier, Status.PROCESSING, Status.RESOLVED)
        _require(actor, dossier, permissions.RETURN_RESULTS, permissions.HANDLE_DOSSIERS, *LEADERS)
    else:
        raise InvalidInput(_("Loại tệp không hợp lệ."), code="invalid_kind")
    shown = files.display_name(name)
    sniffed = files.check_upload(shown, content)
    stored, digest = files.stored_content(content, sniffed)
    return DossierFile.objects.create(
        dossier=dossier,
        component=component,
        kind=kind,
        original_name=shown,
        file=stored,
        content_type=sniffed.content_type,
        size=len(content),
        sha256=digest,
        uploaded_by=actor,
    )


# The applicant may change their files only while the dossier is theirs to change.
FILE_EDITABLE_STATUSES = (Status.DRAFT, Status.SUPPLEMENT)


@transaction.atomic
def do_remove_file(actor, dossier: Dossier, file_id) -> str:
    """Remove one of the applicant's own component files while the dossier is still theirs to
    change (a draft, or the files being added in answer to a supplement request).

    Files already seen by the agency are never removed: during a supplement only the files
    uploaded since the request can go, so the record of what was received stays whole.
    """
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if actor is None or locked.applicant_id != actor.pk:
        raise NotFound(_("Không tìm thấy tệp."), code="file_not_found")
    if locked.status not in FILE_EDITABLE_STATUSES:
        raise InvalidAction(_("Hồ sơ đã nộp, không xóa được tệp."))
    found = locked.files.filter(
        public_id=file_id, kind=DossierFile.Kind.COMPONENT, uploaded_by=actor
    ).first()
    if found is None:
        raise NotFound(_("Không tìm thấy tệp."), code="file_not_found")
    if locked.status == Status.SUPPLEMENT:
        asked = locked.events.filter(action="request_supplement").order_by("-at").first()
        if asked is not None and found.uploaded_at < asked.at:
            raise InvalidAction(_("Tệp đã được cơ quan tiếp nhận, không xóa được."))
    name = found.original_name
    stored = found.file
    found.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))
    return name
