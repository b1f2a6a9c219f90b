"""The feedback API (``/api/v1/feedback``): submit, follow, rate and reopen; the public answers;
the officials' inbox and actions.

Handlers parse, call one domain function, respond; errors are ApiErrors in the platform's
``{"code", "message"}`` shape: 401 unauthenticated (staff endpoints), 403 not allowed, 404 not
found (also for items the caller may not see), 409 conflict or wrong state, 422 invalid input,
429 too many failed tracking attempts. Submitting works signed in (bearer token or session) or
anonymously (with a phone number or an e-mail address to be reached at).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Router, Schema, Status
from ninja.files import UploadedFile

from egov.agencies.models import Agency
from egov.core.api_errors import NotFound
from egov.dossiers.files import content_disposition
from egov.feedback import access, services
from egov.feedback.models import Category, Item
from egov.identity.auth import BearerOrSession
from egov.identity.models import User
from egov.identity.services import client_ip

router = Router(tags=["feedback"])
AUTH = BearerOrSession()


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AttributeValueOut(Schema):
    key: str
    name: str


class AttributeOut(Schema):
    code: str
    datatype: str
    required: bool = False
    description: str = ""
    order: int = 0
    values: list[AttributeValueOut] = []


class CategoryOut(Schema):
    code: str
    name: str
    description: str
    kind: str
    local: bool
    agency: str | None
    deadline_days: int
    attributes: list[AttributeOut]


class SubmitIn(Schema):
    kind: str
    category: str
    title: str
    text: str
    commune: str | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    may_publish: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    attributes: dict = {}


class PhotoOut(Schema):
    id: UUID
    name: str
    content_type: str
    size: int
    url: str


class EventOut(Schema):
    action: str
    to_status: str
    agency: str | None
    note: str
    at: datetime


class ItemOut(Schema):
    id: UUID
    code: str
    kind: str
    category: str
    category_name: str
    title: str
    text: str
    status: str
    status_label: str
    open311_status: str
    commune: str | None
    commune_name: str | None
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    may_publish: bool
    hidden: bool
    contact_name: str
    contact_phone: str
    contact_email: str
    receiving_agency: str
    current_agency: str
    current_agency_name: str
    assignee: str | None
    submitted_at: datetime
    due_at: datetime | None
    forward_due_at: datetime | None
    answered_at: datetime | None
    answer: str
    draft: str
    rating: str
    reopened: int
    duplicate_of: str | None
    channel: str
    attributes: dict
    deadline_state: str | None
    version: int
    photos: list[PhotoOut]
    history: list[EventOut]
    # What the public reads (masked, or as a moderator corrected it); empty for the author.
    public_title: str
    public_text: str
    public_answer: str


class PublicAnswerOut(Schema):
    code: str
    kind: str
    category: str
    category_name: str
    commune_name: str | None
    title: str
    text: str
    answer: str
    agency_name: str
    submitted_at: datetime
    answered_at: datetime | None


class AnswersOut(Schema):
    items: list[PublicAnswerOut]
    page: int
    has_next: bool


class QueueItemOut(Schema):
    id: UUID
    code: str
    kind: str
    category_name: str
    title: str
    status: str
    status_label: str
    current_agency: str
    assignee: str | None
    submitted_at: datetime
    due_at: datetime | None
    deadline_state: str | None
    version: int


class QueueOut(Schema):
    items: list[QueueItemOut]
    next_cursor: str | None


class AuthorActionIn(Schema):
    contact: str = ""  # the phone or e-mail given, for an anonymous author
    rating: str = ""
    comment: str = ""


class ActionIn(Schema):
    action: str
    note: str = ""
    text: str = ""
    version: int | None = None
    agency: str | None = None  # forward: the competent agency's code
    assignee: str | None = None  # assign: the specialist's username
    reason: str = ""  # reject: duplicate | out_of_scope | abusive
    into: str | None = None  # merge: the code of the item to merge into
    title: str = ""  # edit_public: the public title (text: the public text)
    answer: str = ""  # edit_public: the public answer


def category_out(category: Category) -> dict:
    return {
        "code": category.code,
        "name": category.name,
        "description": category.description,
        "kind": category.kind,
        "local": category.local,
        "agency": category.agency.code if category.agency_id else None,
        "deadline_days": category.deadline_days,
        "attributes": sorted(category.attributes or [], key=lambda a: a.get("order", 0)),
    }


def item_out(item: Item, *, staff: bool) -> dict:
    """The item as its author or an official sees it (the draft and notes only for staff)."""
    events = item.events.select_related("agency").order_by("at", "pk")
    return {
        "id": item.public_id,
        "code": item.code,
        "kind": item.kind,
        "category": item.category.code,
        "category_name": item.category.name,
        "title": item.title,
        "text": item.text,
        "status": item.status,
        "status_label": item.get_status_display(),
        "open311_status": item.open311_status(),
        "commune": item.commune.code if item.commune_id else None,
        "commune_name": item.commune.full_name if item.commune_id else None,
        "address": item.address,
        "latitude": item.latitude,
        "longitude": item.longitude,
        "may_publish": item.may_publish,
        "hidden": item.hidden,
        "contact_name": item.contact_name,
        "contact_phone": item.contact_phone,
        "contact_email": item.contact_email,
        "receiving_agency": item.receiving_agency.code,
        "current_agency": item.current_agency.code,
        "current_agency_name": item.current_agency.name,
        "assignee": item.assignee.username if staff and item.assignee_id else None,
        "submitted_at": item.submitted_at,
        "due_at": item.due_at,
        "forward_due_at": item.forward_due_at,
        "answered_at": item.answered_at,
        "answer": item.answer,
        "draft": item.draft if staff else "",
        "rating": item.rating,
        "reopened": item.reopened,
        "duplicate_of": item.duplicate_of.code if item.duplicate_of_id else None,
        "channel": item.channel,
        "attributes": item.attributes,
        "deadline_state": services.deadline_state(item, services.now()),
        "version": item.version,
        "photos": [
            {
                "id": p.public_id,
                "name": p.original_name,
                "content_type": p.content_type,
                "size": p.size,
                "url": f"/api/v1/feedback/{item.public_id}/photos/{p.public_id}",
            }
            for p in item.photos.all()
        ],
        "history": [
            {
                "action": e.action,
                "to_status": e.to_status,
                "agency": e.agency.code if e.agency_id else None,
                "note": e.note if staff else "",
                "at": e.at,
            }
            for e in events
        ],
        "public_title": item.public_title if staff else "",
        "public_text": item.public_text if staff else "",
        "public_answer": item.public_answer if staff else "",
    }


def public_out(item: Item) -> dict:
    return {
        "code": item.code,
        "kind": item.kind,
        "category": item.category.code,
        "category_name": item.category.name,
        "commune_name": item.commune.full_name if item.commune_id else None,
        "title": item.public_title,
        "text": item.public_text,
        "answer": item.public_answer,
        "agency_name": item.current_agency.name,
        "submitted_at": item.submitted_at,
        "answered_at": item.answered_at,
    }


def _optional_user(request: HttpRequest) -> User | None:
    """The signed-in caller (bearer token, or session with its CSRF check) or None."""
    return AUTH(request)


def _is_staff(user) -> bool:
    return user is not None and user.kind == User.Kind.STAFF


def _category(code: str) -> Category:
    found = Category.objects.select_related("agency").filter(code=code, active=True).first()
    if found is None:
        raise services.InvalidInput(_("Lĩnh vực không hợp lệ."), code="invalid_category")
    return found


def _own_view(item: Item) -> dict:
    return item_out(access.with_related(Item.objects.filter(pk=item.pk)).get(), staff=False)


@router.get("/categories", response={200: list[CategoryOut]})
def categories(request: HttpRequest, kind: str | None = None):
    """The active categories (``kind``: feedback, question, field_report)."""
    found = Category.objects.filter(active=True).select_related("agency")
    if kind:
        found = found.filter(kind=kind)
    return [category_out(c) for c in found]


# Declared so the OpenAPI lists it: a resend under the same key files nothing new.
IDEMPOTENCY_KEY = Header("", alias="Idempotency-Key")


def _filed(item: Item, created: bool) -> Status:
    """201 for a new item, 200 for the one a resend under the same key returns."""
    return Status(201 if created else 200, _own_view(item))


@router.post("", response={201: ItemOut, 200: ItemOut, **ERRORS})
def submit(request: HttpRequest, payload: SubmitIn, idempotency_key: str = IDEMPOTENCY_KEY):
    """Send a piece of feedback, a question or a field report (JSON, no photos).

    With an ``Idempotency-Key`` header a resend returns the first item (200); the same key with
    other fields is a 409 ``idempotency_conflict``."""
    item, created = services.submit_once(
        _optional_user(request),
        kind=payload.kind,
        category=_category(payload.category),
        title=payload.title,
        text=payload.text,
        commune=payload.commune,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        may_publish=payload.may_publish,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        contact_email=payload.contact_email,
        attributes=payload.attributes,
        channel=Item.Channel.API,
        idempotency_key=idempotency_key,
    )
    return _filed(item, created)


@router.post("/multipart", response={201: ItemOut, 200: ItemOut, **ERRORS})
def submit_with_photos(
    request: HttpRequest,
    kind: str = Form(...),
    category: str = Form(...),
    title: str = Form(...),
    text: str = Form(...),
    commune: str | None = Form(None),
    address: str = Form(""),
    latitude: str | None = Form(None),
    longitude: str | None = Form(None),
    may_publish: bool = Form(False),
    contact_name: str = Form(""),
    contact_phone: str = Form(""),
    contact_email: str = Form(""),
    photos: list[UploadedFile] = File(None),  # noqa: B008 (Ninja's way to declare files)
    idempotency_key: str = IDEMPOTENCY_KEY,
):
    """The same as a multipart form, with up to ``EGOV_FEEDBACK_MAX_PHOTOS`` photos (JPEG/PNG);
    the category's extra attributes as fields named ``attribute[code]``; ``Idempotency-Key`` as
    for JSON (the photos count in the comparison)."""
    attributes = {}
    for name in request.POST:
        if name.startswith("attribute[") and name.endswith("]"):
            values = request.POST.getlist(name)
            attributes[name[10:-1]] = values if len(values) > 1 else values[0]
    limit = settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES + 1
    item, created = services.submit_once(
        _optional_user(request),
        kind=kind,
        category=_category(category),
        title=title,
        text=text,
        commune=commune,
        address=address,
        latitude=latitude,
        longitude=longitude,
        may_publish=may_publish,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        photos=[(p.name or "anh", p.read(limit)) for p in photos or []],
        attributes=attributes,
        channel=Item.Channel.API,
        idempotency_key=idempotency_key,
    )
    return _filed(item, created)


@router.get("/answers", response={200: AnswersOut, 422: ErrorOut})
def answers(
    request: HttpRequest,
    q: str = "",
    page: int = 1,
    category: str | None = None,
    commune: str | None = None,
):
    """Published answers, newest first, 20 a page; ``q`` matches whole words with or without
    diacritics. Personal details are removed from what is shown."""
    if len(q) > 200 or page < 1 or page > 500:
        raise access.InvalidQuery(_("Từ khóa hoặc số trang không hợp lệ."))
    found = access.public_answers(q, page, category=category, commune=commune)
    return {
        "items": [public_out(i) for i in found.items],
        "page": found.page,
        "has_next": found.has_next,
    }


class TrackIn(Schema):
    code: str
    contact: str  # the phone or e-mail given with the item


@router.post("/track", response={200: ItemOut, 404: ErrorOut, 429: ErrorOut})
def track(request: HttpRequest, payload: TrackIn):
    """The item with ``code`` for whoever gives the phone number or e-mail it was sent with.
    A POST with a JSON body, so the contact stays out of URLs and access logs."""
    return item_out(access.track(payload.code, payload.contact, client_ip(request)), staff=False)


@router.get("/inbox", auth=AUTH, response={200: QueueOut, **ERRORS})
def inbox(
    request: HttpRequest,
    tab: str = "receive",
    status: str | None = None,
    category: str | None = None,
    deadline: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    """The official's inbox tab (receive, assign, mine, approve, all) in due order."""
    now = services.now()
    page = access.queue_for(
        request.user,
        tab,
        status=status,
        category=category,
        deadline=deadline,
        q=q,
        cursor=cursor,
        limit=limit,
        now=now,
    )
    return {
        "items": [
            {
                "id": i.public_id,
                "code": i.code,
                "kind": i.kind,
                "category_name": i.category.name,
                "title": i.title,
                "status": i.status,
                "status_label": i.get_status_display(),
                "current_agency": i.current_agency.code,
                "assignee": i.assignee.username if i.assignee_id else None,
                "submitted_at": i.submitted_at,
                "due_at": i.due_at,
                "deadline_state": services.deadline_state(i, now),
                "version": i.version,
            }
            for i in page.items
        ],
        "next_cursor": page.next_cursor,
    }


def _author_item(request: HttpRequest, code: str, contact: str) -> tuple[Item, object]:
    """The item and who acts on it: the signed-in author, or the contact of an anonymous one."""
    user = _optional_user(request)
    if user is not None and not contact:
        item = access.get_item_for(user, code)
        return item, user
    return access.track(code, contact, client_ip(request)), contact


@router.post("/{code}/rate", response={200: ItemOut, **ERRORS, 429: ErrorOut})
def rate(request: HttpRequest, code: str, payload: AuthorActionIn):
    """Rate the answer: satisfied, neutral or dissatisfied (signed in, or with ``contact``)."""
    item, who = _author_item(request, code, payload.contact)
    item = services.rate(who, item, payload.rating, payload.comment)
    return _own_view(item)


@router.post("/{code}/reopen", response={200: ItemOut, **ERRORS, 429: ErrorOut})
def reopen(request: HttpRequest, code: str, payload: AuthorActionIn):
    """Reopen an answered item once, when the answer did not solve the problem."""
    item, who = _author_item(request, code, payload.contact)
    item = services.reopen(who, item, payload.comment)
    return _own_view(item)


@router.get("/{item_id}", auth=AUTH, response={200: ItemOut, **ERRORS})
def detail(request: HttpRequest, item_id: str):
    """One item (public id or code) for its author or the officials who may see it."""
    item = access.get_item_for(request.user, item_id)
    return item_out(item, staff=_is_staff(request.user))


@router.get("/{item_id}/duplicates", auth=AUTH, response={200: list[QueueItemOut], **ERRORS})
def duplicates(request: HttpRequest, item_id: str):
    """Likely duplicates of the item (officials only), the most similar first."""
    item = access.get_item_for(request.user, item_id)
    if not _is_staff(request.user):
        raise access.ItemNotFound(_("Không tìm thấy phản ánh."))
    found = services.likely_duplicates(item)
    visible = set(
        access.visible_items(request.user)
        .filter(pk__in=[d.pk for d in found])
        .values_list("pk", flat=True)
    )
    now = services.now()
    return [
        {
            "id": d.public_id,
            "code": d.code,
            "kind": d.kind,
            "category_name": d.category.name,
            "title": d.title,
            "status": d.status,
            "status_label": d.get_status_display(),
            "current_agency": d.current_agency.code,
            "assignee": None,
            "submitted_at": d.submitted_at,
            "due_at": d.due_at,
            "deadline_state": services.deadline_state(d, now),
            "version": d.version,
        }
        for d in found
        if d.pk in visible
    ]


@router.get("/{item_id}/photos/{photo_id}", auth=AUTH, response={**ERRORS})
def photo(request: HttpRequest, item_id: str, photo_id: str):
    item = access.get_item_for(request.user, item_id)
    found = None
    with contextlib.suppress(ValueError):
        found = item.photos.filter(public_id=UUID(photo_id)).first()
    if found is None:
        raise NotFound(_("Không tìm thấy ảnh."), code="photo_not_found")
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = content_disposition(found.original_name, inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _staff_user(username: str | None) -> User:
    found = User.objects.filter(username=username or "", kind=User.Kind.STAFF).first()
    if found is None:
        raise services.InvalidInput(_("Không tìm thấy cán bộ được giao."), code="invalid_assignee")
    return found


def _agency(code: str | None) -> Agency:
    found = Agency.objects.filter(code=code or "").first()
    if found is None:
        raise services.InvalidInput(_("Không tìm thấy cơ quan."), code="invalid_agency")
    return found


def _into(user, code: str | None) -> Item:
    return access.get_item_for(user, code or "")


ACTIONS = {
    "accept": lambda u, i, p: services.accept(u, i, p.note, p.version),
    "forward": lambda u, i, p: services.forward(u, i, _agency(p.agency), p.note, p.version),
    "reject": lambda u, i, p: services.reject(u, i, p.reason, p.note, p.version),
    "assign": lambda u, i, p: services.assign(u, i, _staff_user(p.assignee), p.note, p.version),
    "save_draft": lambda u, i, p: services.save_draft(u, i, p.text, p.version),
    "submit_for_approval": lambda u, i, p: services.submit_for_approval(
        u, i, p.text or None, p.version
    ),
    "approve": lambda u, i, p: services.approve(u, i, p.note, p.version),
    "send_back": lambda u, i, p: services.send_back(u, i, p.note, p.version),
    "answer": lambda u, i, p: services.answer(u, i, p.text, p.version),
    "hide": lambda u, i, p: services.hide(u, i, p.note or p.reason),
    "unhide": lambda u, i, p: services.unhide(u, i, p.note),
    "merge": lambda u, i, p: services.merge(u, i, _into(u, p.into), p.note),
    "edit_public": lambda u, i, p: services.edit_public(
        u, i, title=p.title, text=p.text, answer=p.answer, reason=p.note, expected_version=p.version
    ),
}


@router.post("/{item_id}/actions", auth=AUTH, response={200: ItemOut, **ERRORS})
def act(request: HttpRequest, item_id: str, payload: ActionIn):
    """One official's action: ``accept``, ``forward`` (agency, note), ``reject`` (reason, note),
    ``assign`` (assignee), ``save_draft`` (text), ``submit_for_approval``, ``approve``,
    ``send_back`` (note), ``answer`` (text), ``hide`` (note), ``unhide``, ``merge`` (into),
    ``edit_public`` (title, text, answer, note: the moderator's correction of the public version).
    Send the ``version`` you read to be sure nobody changed the item in between (409 if so)."""
    item = access.get_item_for(request.user, item_id)
    handler = ACTIONS.get(payload.action)
    if handler is None:
        raise services.InvalidInput(_("Thao tác không hợp lệ."), code="invalid_action")
    handler(request.user, item, payload)
    return item_out(access.get_item_for(request.user, item.public_id), staff=True)
