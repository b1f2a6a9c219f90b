"""The dossier API (``/api/v1/dossiers``) and the officials' inbox (``/api/v1/workspace``).

Handlers parse, call one domain function, respond; errors are ApiErrors in the platform's
``{"code", "message"}`` shape: 401 unauthenticated, 403 not allowed to act, 404 not found (also
for dossiers the caller may not see), 409 conflict (someone else changed it; wrong state),
422 invalid input. Ids in URLs are the dossiers' random public ids (UUID).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from uuid import UUID

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from egov.agencies.models import Agency
from egov.catalog.models import Procedure
from egov.core.api_errors import NotFound
from egov.dossiers import access, actions, deadlines
from egov.dossiers.files import content_disposition
from egov.dossiers.models import Dossier, DossierFile
from egov.identity.auth import BearerOrSession
from egov.identity.models import User
from egov.identity.services import client_ip

router = Router(tags=["dossiers"])
workspace_router = Router(auth=BearerOrSession(), tags=["workspace"])
AUTH = BearerOrSession()


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CreateIn(Schema):
    procedure: str
    agency: str | None = None
    form_data: dict = {}


class EventOut(Schema):
    action: str
    actor: str | None
    from_status: str
    to_status: str
    step: str | None
    note: str
    at: datetime
    step_due_at: datetime | None
    working_seconds: int | None


class FileOut(Schema):
    id: UUID
    kind: str
    form_kind: str
    component_id: int | None
    name: str
    content_type: str
    size: int
    sha256: str
    download_url: str


class DossierOut(Schema):
    id: UUID
    code: str | None
    procedure: str
    procedure_name: str
    agency: str
    current_agency: str
    channel: str
    status: str
    status_label: str
    national_status: int
    current_step: str | None
    assignee: str | None
    form_data: dict
    submitted_at: datetime | None
    accepted_at: datetime | None
    due_at: datetime | None
    step_due_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    deadline_state: str | None
    missing_items: list[str]
    rating: str
    version: int
    files: list[FileOut]
    history: list[EventOut]


class QueueItemOut(Schema):
    id: UUID
    code: str | None
    procedure: str
    procedure_name: str
    applicant_name: str
    status: str
    national_status: int
    current_step: str | None
    due_at: datetime | None
    deadline_state: str | None


class QueueOut(Schema):
    items: list[QueueItemOut]
    next_cursor: str | None


class ActionIn(Schema):
    action: str
    note: str = ""
    version: int | None = None
    missing_items: list[str] = []
    reason: str = ""
    assignee: str | None = None  # username of the specialist
    agency: str | None = None  # partner agency code (hand_over)
    new_due_at: datetime | None = None
    rating: str | None = None
    comment: str = ""
    form_data: dict | None = None


class TrackOut(Schema):
    code: str
    status: str
    status_label: str
    national_status: int
    procedure_name: str
    agency_name: str
    due_at: datetime | None
    deadline_state: str | None


def _file_out(f: DossierFile, dossier: Dossier) -> dict:
    return {
        "id": f.public_id,
        "kind": f.kind,
        "form_kind": f.form_kind,
        "component_id": f.component_id,
        "name": f.original_name,
        "content_type": f.content_type,
        "size": f.size,
        "sha256": f.sha256,
        "download_url": f"/api/v1/dossiers/{dossier.public_id}/files/{f.public_id}",
    }


def dossier_out(dossier: Dossier) -> dict:
    state = deadlines.deadline_state(dossier, actions.now())
    events = dossier.events.select_related("actor", "step").order_by("at", "pk")
    return {
        "id": dossier.public_id,
        "code": dossier.code,
        "procedure": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "agency": dossier.agency.code,
        "current_agency": dossier.current_agency.code,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "national_status": dossier.national_status(),
        "current_step": dossier.current_step.code if dossier.current_step_id else None,
        "assignee": dossier.assignee.username if dossier.assignee_id else None,
        "form_data": dossier.form_data,
        "submitted_at": dossier.submitted_at,
        "accepted_at": dossier.accepted_at,
        "due_at": dossier.due_at,
        "step_due_at": dossier.step_due_at,
        "resolved_at": dossier.resolved_at,
        "returned_at": dossier.returned_at,
        "deadline_state": state.value if state else None,
        "missing_items": dossier.missing_items or [],
        "rating": dossier.rating,
        "version": dossier.version,
        "files": [_file_out(f, dossier) for f in dossier.files.all()],
        "history": [
            {
                "action": e.action,
                "actor": e.actor.full_name or e.actor.username if e.actor_id else None,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "step": e.step.code if e.step_id else None,
                "note": e.note,
                "at": e.at,
                "step_due_at": e.step_due_at,
                "working_seconds": e.working_seconds,
            }
            for e in events
        ],
    }


def _procedure(code: str) -> Procedure:
    found = Procedure.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise NotFound(
            _("Không tìm thấy thủ tục %(code)s.") % {"code": code}, code="procedure_not_found"
        )
    return found


@router.post("", auth=AUTH, response={201: DossierOut, 200: DossierOut, **ERRORS})
def create(request: HttpRequest, payload: CreateIn):
    """Create a draft; the same ``Idempotency-Key`` header returns the same dossier (200)."""
    dossier, created = actions.create_draft(
        request.user,
        _procedure(payload.procedure),
        agency_code=payload.agency,
        form_data=payload.form_data,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(
        201 if created else 200,
        dossier_out(access.get_dossier_for(request.user, dossier.public_id)),
    )


class TrackIn(Schema):
    code: str
    phone_last4: str


@router.post("/track", response={200: TrackOut, 404: ErrorOut, 429: ErrorOut})
def track(request: HttpRequest, payload: TrackIn):
    """Public tracking by code and the phone's last four digits (no personal data). A POST with
    a JSON body, so the digits stay out of URLs, access logs and Referer headers."""
    return access.track(payload.code, payload.phone_last4, client_ip(request)).__dict__


@router.get("/{dossier_id}", auth=AUTH, response={200: DossierOut, **ERRORS})
def detail(request: HttpRequest, dossier_id: str):
    return dossier_out(access.get_dossier_for(request.user, dossier_id))


@router.post("/{dossier_id}/files", auth=AUTH, response={201: FileOut, **ERRORS})
def upload(
    request: HttpRequest,
    dossier_id: str,
    file: UploadedFile = File(...),  # noqa: B008 (Ninja's way to declare a multipart file)
    component_id: int | None = Form(None),
    kind: str = Form("component"),
):
    dossier = access.get_dossier_for(request.user, dossier_id)
    content = file.read(actions_max_bytes() + 1)
    stored = actions.add_file(
        request.user, dossier, file.name or "", content, component_id=component_id, kind=kind
    )
    return Status(201, _file_out(stored, dossier))


def actions_max_bytes() -> int:
    from egov.dossiers.files import max_bytes

    return max_bytes()


@router.get("/{dossier_id}/files/{file_id}", auth=AUTH, response={**ERRORS})
def download(request: HttpRequest, dossier_id: str, file_id: str):
    dossier = access.get_dossier_for(request.user, dossier_id)
    found = None
    with contextlib.suppress(ValueError):
        found = dossier.files.filter(public_id=UUID(file_id)).first()
    if found is None:
        raise NotFound(_("Không tìm thấy tệp."), code="file_not_found")
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = content_disposition(found.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/{dossier_id}/submit", auth=AUTH, response={200: DossierOut, **ERRORS})
def submit(request: HttpRequest, dossier_id: str):
    """Submit the draft; submitting twice gives one submission."""
    dossier = actions.do_submit(request.user, access.get_dossier_for(request.user, dossier_id))
    return dossier_out(access.get_dossier_for(request.user, dossier.public_id))


def _user(username: str | None) -> User:
    found = User.objects.filter(username=username or "", kind=User.Kind.STAFF).first()
    if found is None:
        raise actions.InvalidInput(_("Không tìm thấy cán bộ được giao."), code="invalid_assignee")
    return found


def _agency(code: str | None) -> Agency:
    found = Agency.objects.filter(code=code or "").first()
    if found is None:
        raise actions.InvalidInput(_("Không tìm thấy cơ quan."), code="invalid_agency")
    return found


ACTIONS = {
    "accept": lambda u, d, p: actions.do_accept(u, d, p.note, p.version),
    "request_supplement": lambda u, d, p: actions.do_request_supplement(
        u, d, p.missing_items, p.note or p.reason, p.version
    ),
    "answer_supplement": lambda u, d, p: actions.do_answer_supplement(
        u, d, p.form_data, p.note, p.version
    ),
    "refuse": lambda u, d, p: actions.do_refuse(u, d, p.reason or p.note, p.version),
    "assign": lambda u, d, p: actions.do_assign(u, d, _user(p.assignee), p.note, p.version),
    "forward": lambda u, d, p: actions.do_forward(u, d, p.note, p.version),
    "send_back": lambda u, d, p: actions.do_send_back(u, d, p.note, p.version),
    "approve": lambda u, d, p: actions.do_approve(u, d, p.note, p.version),
    "attach_result": lambda u, d, p: actions.do_attach_result(u, d, p.note, p.version),
    "return_result": lambda u, d, p: actions.do_return_result(u, d, p.note, p.version),
    "stop": lambda u, d, p: actions.do_stop(u, d, p.reason or p.note, p.version),
    "apologise_and_reschedule": lambda u, d, p: actions.do_apologise_and_reschedule(
        u, d, p.new_due_at, p.reason or p.note, p.version
    ),
    "withdraw": lambda u, d, p: actions.do_withdraw(u, d, p.note, p.version),
    "hand_over": lambda u, d, p: actions.do_hand_over(u, d, _agency(p.agency), p.note, p.version),
    "take_back": lambda u, d, p: actions.do_take_back(u, d, p.note, p.version),
    "rate": lambda u, d, p: actions.do_rate(u, d, p.rating or "", p.comment, p.version),
}


@router.post("/{dossier_id}/actions", auth=AUTH, response={200: DossierOut, **ERRORS})
def act(request: HttpRequest, dossier_id: str, payload: ActionIn):
    """Perform one action: ``accept``, ``request_supplement``, ``answer_supplement``, ``refuse``,
    ``assign``, ``forward``, ``send_back``, ``approve``, ``attach_result``, ``return_result``,
    ``stop``, ``apologise_and_reschedule``, ``withdraw``, ``hand_over``, ``take_back``, ``rate``.
    Send the ``version`` you read to be sure nobody changed the dossier in between (409 if so)."""
    dossier = access.get_dossier_for(request.user, dossier_id)
    handler = ACTIONS.get(payload.action)
    if handler is None:
        raise actions.InvalidInput(_("Thao tác không hợp lệ."), code="invalid_action")
    handler(request.user, dossier, payload)
    return dossier_out(access.get_dossier_for(request.user, dossier.public_id))


@workspace_router.get("/queue", response={200: QueueOut, **ERRORS})
def queue(
    request: HttpRequest,
    scope: str = "mine",
    procedure: str | None = None,
    status: str | None = None,
    deadline: str | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    """The caller's inbox in due order, one page at a time (``next_cursor`` for the next)."""
    now = actions.now()
    rows, next_cursor = access.queue_for(
        request.user,
        access.QueueFilter(
            scope=scope,
            procedure=procedure,
            status=status,
            deadline=deadline,
            date_from=date_from,
            date_to=date_to,
            q=q,
            cursor=cursor,
            limit=limit,
            now=now,
        ),
    )
    items = []
    for d in rows:
        state = (
            deadlines.state_at(d.due_at, deadlines.effective_now(d, now))
            if d.status in ("received", "processing", "supplement")
            else None
        )
        items.append(
            {
                "id": d.public_id,
                "code": d.code,
                "procedure": d.procedure.code,
                "procedure_name": d.procedure.name,
                "applicant_name": d.applicant_name,
                "status": d.status,
                "national_status": d.national_status(),
                "current_step": d.current_step.code if d.current_step_id else None,
                "due_at": d.due_at,
                "deadline_state": state.value if state else None,
            }
        )
    return {"items": items, "next_cursor": next_cursor}
