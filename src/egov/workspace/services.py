"""The officials' workspace: what the pages need that the dossier domain does not answer itself.

Everything here reads; every write goes through ``egov.dossiers.actions`` (the ``do_*``
functions re-check the actor and the state, so :func:`allowed_actions` only decides which
forms to *show*: a stale page can still offer an action the domain then refuses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.agencies import permissions
from egov.agencies.models import Agency, StaffRole
from egov.catalog.eforms import fields_of
from egov.dossiers import access, actions, deadlines
from egov.dossiers.models import ACTIVE_STATUSES, Dossier, DossierFile, Status
from egov.dossiers.process import step_capability, target_step
from egov.identity.models import User

HANDLERS = (permissions.HANDLE_DOSSIERS, *actions.LEADERS)

# The order in which action forms appear on the dossier page, with their button labels.
ACTION_LABELS: dict[str, str] = {
    "accept": _("Tiếp nhận hồ sơ"),
    "assign": _("Phân công xử lý"),
    "forward": _("Chuyển bước tiếp theo"),
    "approve": _("Phê duyệt"),
    "attach_result": _("Đính kèm kết quả"),
    "return_result": _("Trả kết quả"),
    "send_back": _("Trả lại bước trước"),
    "request_supplement": _("Yêu cầu bổ sung hồ sơ"),
    "refuse": pgettext_lazy("dossier action", "Từ chối"),  # not the status "Refused"
    "apologise_and_reschedule": _("Xin lỗi và hẹn lại"),
    "stop": _("Dừng xử lý"),
    "hand_over": _("Chuyển liên thông"),
    "take_back": _("Nhận lại hồ sơ liên thông"),
}

# How each history row's action reads in the table.
EVENT_LABELS: dict[str, str] = {
    "create": _("Tạo hồ sơ"),
    "submit": _("Nộp hồ sơ"),
    "receive_at_counter": _("Nhận hồ sơ tại quầy"),
    "answer_supplement": _("Bổ sung hồ sơ"),
    "withdraw": _("Rút hồ sơ"),
    "rate": _("Đánh giá"),
    **ACTION_LABELS,
    "accept": _("Tiếp nhận"),
}

DEADLINE_LABELS: dict[str, str] = {
    deadlines.DeadlineState.IN_TIME: _("Trong hạn"),
    deadlines.DeadlineState.DUE_SOON: _("Sắp đến hạn"),
    deadlines.DeadlineState.OVERDUE: _("Quá hạn"),
}


def _is_final_approval(step) -> bool:
    """A leader's step whose next step is the desk's result return: approving ends handling."""
    if step is None or step.role not in ("agency_leader", "unit_leader"):
        return False
    nxt = target_step(step, "forward")
    return nxt is not None and nxt.role == "reception_officer"


def _leads_a_unit_of(user, agency_id: int) -> bool:
    return StaffRole.objects.filter(
        user=user, agency_id=agency_id, role="unit_leader", unit__isnull=False
    ).exists()


def allowed_actions(user, dossier: Dossier) -> list[str]:
    """The actions ``user`` may take on ``dossier`` in its present state, in display order.

    Mirrors the checks of the ``do_*`` functions (capability in the agency holding the dossier
    and its unit, and the status each accepts); the actions re-check when the form is sent.
    """
    if user.kind != "staff":
        return []
    status = dossier.status
    found: set[str] = set()

    def can(*caps: str) -> bool:
        return actions.has_capability(user, dossier, caps)

    if status == Status.SUBMITTED and can(permissions.RECEIVE_DOSSIERS):
        found |= {"accept", "request_supplement", "refuse"}
    if status == Status.SUPPLEMENT:
        if dossier.accepted_at is None:
            if can(permissions.RECEIVE_DOSSIERS):
                found.add("refuse")
        elif can(*HANDLERS):
            found |= {"refuse", "stop"}
    if status in (Status.RECEIVED, Status.PROCESSING):
        step = dossier.current_step
        if can(permissions.RECEIVE_DOSSIERS, *actions.LEADERS) or _leads_a_unit_of(
            user, dossier.current_agency_id
        ):
            found.add("assign")
        if step is not None and can(step_capability(step)):
            if _is_final_approval(step):
                found.add("approve")
            elif target_step(step, "forward") is not None:
                found.add("forward")
            if target_step(step, "send_back") is not None:
                found.add("send_back")
        if (
            status == Status.PROCESSING
            and step is not None
            and target_step(step, "forward") is None
            and can(permissions.RETURN_RESULTS, *HANDLERS)
        ):
            found.add("attach_result")
        if can(*HANDLERS):
            found |= {"request_supplement", "refuse", "stop", "apologise_and_reschedule"}
            if dossier.current_agency_id == dossier.agency_id:
                found.add("hand_over")
    if status == Status.RESOLVED and can(permissions.RETURN_RESULTS):
        found.add("return_result")
    if dossier.current_agency_id != dossier.agency_id and status not in (
        Status.REFUSED,
        Status.WITHDRAWN,
        Status.STOPPED,
        Status.RETURNED,
    ):
        home = permissions.capabilities_of(user, dossier.agency) | permissions.capabilities_of(
            user, dossier.agency, dossier.unit
        )
        if can(*HANDLERS) or home & set(HANDLERS):
            found.add("take_back")
    return [name for name in ACTION_LABELS if name in found]


def specialists_for(user, dossier: Dossier) -> list[User]:
    """Whom ``user`` may give the dossier to: the handling staff of the agency holding it, or,
    for a unit leader who is not also at the desk or an agency leader, those of their units."""
    roles = StaffRole.objects.filter(
        agency_id=dossier.current_agency_id,
        role__in=permissions.roles_with(permissions.HANDLE_DOSSIERS),
        user__is_active=True,
    )
    if not actions.has_capability(user, dossier, (permissions.RECEIVE_DOSSIERS, *actions.LEADERS)):
        units = StaffRole.objects.filter(
            user=user, agency_id=dossier.current_agency_id, role="unit_leader"
        ).values("unit_id")
        roles = roles.filter(unit_id__in=units)
    users = {r.user_id: r.user for r in roles.select_related("user").order_by("user__full_name")}
    return list(users.values())


def partner_agencies(dossier: Dossier) -> QuerySet[Agency]:
    return (
        Agency.objects.filter(is_active=True)
        .exclude(pk=dossier.agency_id)
        .order_by("name")
        .only("pk", "code", "name")
    )


def mask_id_number(number: str) -> str:
    """Show the last four digits only: the personal data law (Decree 13/2023/NĐ-CP) asks to
    process no more personal data than the purpose needs; the full number is shown where the
    official must check it against the paper (reception of a submitted dossier)."""
    number = number or ""
    if len(number) <= 4:
        return number
    return "•" * (len(number) - 4) + number[-4:]


def id_number_needed(user, dossier: Dossier) -> bool:
    """The desk checks the applicant's identity at reception and at result return."""
    return dossier.status in (Status.SUBMITTED, Status.RESOLVED) and actions.has_capability(
        user, dossier, (permissions.RECEIVE_DOSSIERS, permissions.RETURN_RESULTS)
    )


@dataclass
class FormRow:
    label: str
    value: str


def form_rows(dossier: Dossier) -> list[FormRow]:
    """The e-form's answers with the e-form's own labels (choices shown by their label)."""
    rows = []
    data = dossier.form_data or {}
    known = set()
    for field in fields_of(dossier.procedure.eform):
        name = field.get("name")
        known.add(name)
        if name not in data:
            continue
        value = data[name]
        if field.get("type") == "select":
            value = dict((c[0], c[1]) for c in field.get("choices", [])).get(value, value)
        elif field.get("type") == "checkbox":
            value = _("Có") if value else _("Không")
        rows.append(FormRow(str(field.get("label") or name), str(value)))
    for name, value in data.items():
        if name not in known:
            rows.append(FormRow(name, str(value)))
    return rows


# --- the inbox ----------------------------------------------------------------------------------

TABS = ("mine", "due_soon", "overdue", "all")
TAB_LABELS = {
    "mine": _("Chờ tôi xử lý"),
    "due_soon": _("Sắp đến hạn"),
    "overdue": _("Quá hạn"),
    "all": _("Tất cả"),
}
COUNT_CAP = 999  # counts stop here (shown as "999+") so a tab's badge never scans millions


def sees_whole_agency(user) -> bool:
    return permissions.agencies_where(user, permissions.VIEW_AGENCY_DOSSIERS).exists()


def tabs_for(user) -> list[str]:
    """ "Tất cả" is every dossier of the agency: only for those who may view them all."""
    return list(TABS) if sees_whole_agency(user) else [t for t in TABS if t != "all"]


def queue_filter_for(tab: str, wide: bool, **filters) -> access.QueueFilter:
    """The domain's QueueFilter for a tab. Due-soon and overdue cover the agency for those who
    see it whole (leaders, auditors), else the caller's own work."""
    scope = "agency" if tab == "all" or (wide and tab in ("due_soon", "overdue")) else "mine"
    deadline = tab if tab in ("due_soon", "overdue") else None
    return access.QueueFilter(scope=scope, deadline=deadline, **filters)


def _tab_queryset(user, tab: str, wide: bool, now: datetime) -> QuerySet[Dossier]:
    # The same conditions as access.queue_for without its filters and paging.
    flt = queue_filter_for(tab, wide)
    if flt.scope == "agency":
        agencies = permissions.agencies_where(user, permissions.VIEW_AGENCY_DOSSIERS)
        qs = Dossier.objects.filter(current_agency__in=agencies).exclude(status=Status.DRAFT)
    else:
        qs = Dossier.objects.filter(access.waiting_for(user))
    if flt.deadline == "overdue":
        qs = qs.filter(status__in=ACTIVE_STATUSES, due_at__lte=now)
    elif flt.deadline == "due_soon":
        qs = qs.filter(
            status__in=ACTIVE_STATUSES,
            due_at__gt=now,
            due_at__lte=deadlines.due_soon_threshold(now),
        )
    return qs


def tab_counts(user, tabs: list[str], wide: bool, now: datetime) -> dict[str, str]:
    counts = {}
    for tab in tabs:
        n = _tab_queryset(user, tab, wide, now).values("pk")[: COUNT_CAP + 1].count()
        counts[tab] = f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)
    return counts


def deadline_state_of(dossier: Dossier, now: datetime):
    if dossier.status in ACTIVE_STATUSES:
        return deadlines.state_at(dossier.due_at, deadlines.effective_now(dossier, now))
    return deadlines.deadline_state(dossier, now)


# --- writes that are two domain calls -----------------------------------------------------------


@transaction.atomic
def attach_result(user, dossier: Dossier, name: str, content: bytes, note: str, version) -> Dossier:
    """Upload the result file and mark the result ready, both or neither."""
    actions.add_file(user, dossier, name, content, kind=DossierFile.Kind.RESULT)
    # add_file does not change the version; the claim below checks the version the page read.
    return actions.do_attach_result(user, dossier, note, version)


@transaction.atomic
def receive_at_counter(
    user, procedure, agency, applicant: dict, form_data: dict, uploads: list
) -> Dossier:
    """Counter intake and the scanned components, both or neither."""
    dossier = actions.do_receive_at_counter(
        user, procedure, agency, form_data=form_data, **applicant
    )
    for component_id, name, content in uploads:
        actions.add_file(user, dossier, name, content, component_id=component_id)
    return dossier


def receiving_agencies(user) -> list[Agency]:
    return list(permissions.agencies_where(user, permissions.RECEIVE_DOSSIERS).order_by("name"))
