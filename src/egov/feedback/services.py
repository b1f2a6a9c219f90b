"""Every write to a feedback item: one function per business step.

Each staff action (1) checks the actor's capability in the agency holding the item (and its
unit), (2) claims the row with ``UPDATE … WHERE id = X AND version = V`` (zero rows: another
official changed it first, a 409 conflict), (3) writes the :class:`ItemEvent`, (4) queues its
messages through ``egov.notify`` in the same transaction.

The flow (Decree 20/2008/NĐ-CP on feedback about administrative regulations, applied to all
feedback; details and the Open311 mapping in ``docs/feedback.md``)::

    submitted ─accept─▶ accepted ─assign─▶ in_progress ─submit_for_approval─▶ awaiting_approval
       │  ▲                                   ▲  │                               │      │
       │  └──── forwarded ◀─forward─┘         │  └──────────── send_back ◀───────┘   approve
       └─reject─▶ rejected                    └──── reopen (once) ◀── answered ◀──────┘
                                                                   └─rate─▶ closed

Who (capabilities in :mod:`egov.agencies.permissions`): accept, forward, reject —
``receive_feedback``; assign — ``receive_feedback`` or ``approve_feedback``; draft and submit
for approval — the assignee (``handle_feedback``); approve, send back, answer directly —
``approve_feedback`` (unit leaders in their unit's items); hide, unhide —
``moderate_feedback``; merge — ``receive_feedback`` in both items' agencies; rate and reopen —
the author (signed in) or whoever knows the code and the contact given (anonymous).
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from egov.agencies import permissions
from egov.agencies.models import Agency, StaffRole, Unit
from egov.calendar import services as calendar
from egov.core.api_errors import Conflict, Forbidden, InvalidAction, InvalidInput
from egov.core.text import fold
from egov.dossiers import files
from egov.dossiers.deadlines import DeadlineState, state_at
from egov.feedback import area, search
from egov.feedback.masking import mask_personal_details
from egov.feedback.models import (
    OPEN_STATUSES,
    Category,
    DailySequence,
    Item,
    ItemEvent,
    ItemPhoto,
)
from egov.identity.services import normalise_phone
from egov.notify.services import notify
from egov.places.models import AdminUnit
from egov.places.services import configured_province_code

__all__ = [
    "accept",
    "answer",
    "approve",
    "assign",
    "check_overdue",
    "deadline_state",
    "edit_public",
    "forward",
    "hide",
    "likely_duplicates",
    "mask_personal_details",
    "merge",
    "rate",
    "reject",
    "reopen",
    "save_draft",
    "send_back",
    "submit",
    "submit_for_approval",
    "submit_once",
    "unhide",
]

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CODE_PREFIX = {Item.Kind.FEEDBACK: "PA", Item.Kind.QUESTION: "HD", Item.Kind.FIELD_REPORT: "HT"}
PHOTO_TYPES = (files.JPEG.content_type, files.PNG.content_type)
ANSWERED = (Item.Status.ANSWERED, Item.Status.CLOSED)


def now() -> datetime:
    """The clock seam (tests move it with ``unittest.mock.patch``)."""
    return timezone.now()


# --- helpers ------------------------------------------------------------------------------------


def _caps(actor, item: Item) -> set[str]:
    unit = item.unit if item.unit_id and item.unit.agency_id == item.current_agency_id else None
    return permissions.capabilities_of(actor, item.current_agency, unit)


def has_capability(actor, item: Item, *capabilities: str) -> bool:
    return bool(_caps(actor, item) & set(capabilities))


def _require(actor, item: Item, *capabilities: str) -> None:
    if not has_capability(actor, item, *capabilities):
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này với phản ánh."))


def _require_status(item: Item, *statuses: str) -> None:
    if item.status not in statuses:
        raise InvalidAction(
            _("Phản ánh đang ở trạng thái “%(s)s”, không thực hiện được thao tác này.")
            % {"s": item.get_status_display()}
        )


def _locked(item: Item) -> Item:
    return Item.objects.select_related(
        "category", "current_agency", "receiving_agency", "unit", "commune", "author"
    ).get(pk=item.pk)


def _claim(item: Item, expected_version: int | None = None, **changes) -> None:
    """The conditional update: apply ``changes`` only if nobody changed the row since we read it."""
    version = item.version if expected_version is None else expected_version
    if "due_at" in changes:
        changes["sort_due"] = changes["due_at"] or item.submitted_at
    rows = Item.objects.filter(pk=item.pk, version=version).update(
        version=F("version") + 1, **changes
    )
    if rows == 0:
        raise Conflict(_("Phản ánh vừa được người khác cập nhật. Vui lòng tải lại và thử lại."))
    for name, value in changes.items():
        setattr(item, name, value)
    item.version = version + 1


def _event(item: Item, actor, action: str, from_status: str, note: str = "", *, at) -> None:
    ItemEvent.objects.create(
        item=item,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=item.status,
        agency=item.current_agency,
        note=note,
        at=at,
    )


def _note(note: str, *, required: bool = False, what: str = "") -> str:
    note = (note or "").strip()
    if required and not note:
        raise InvalidInput(what or _("Cần ghi rõ lý do."), code="note_required")
    return note[:4000]


def working_days_due(start: datetime, days: int) -> datetime:
    return calendar.due(start, days, "working_days")


def forward_days() -> int:
    """Decree 20/2008/NĐ-CP: an agency that is not competent forwards the feedback within five
    working days of receiving it (``EGOV_FEEDBACK_FORWARD_DAYS``)."""
    return settings.EGOV_FEEDBACK_FORWARD_DAYS


def next_code(kind: str, moment: datetime) -> str:
    """``<PA|HD|HT>-<YYMMDD>-<NNNN>``: a daily sequence per kind, in Asia/Ho_Chi_Minh.

    The same pattern as the dossiers' codes: one UPDATE on the (prefix, day) row, which the
    database serialises, inside the submitting transaction (a rollback gives the number back).
    """
    prefix = CODE_PREFIX[kind]
    day = moment.astimezone(ZONE).date()
    if not DailySequence.objects.filter(prefix=prefix, day=day).exists():
        try:
            with transaction.atomic():
                DailySequence.objects.create(prefix=prefix, day=day, last_number=0)
        except IntegrityError:
            pass  # created by a concurrent submission a moment ago
    DailySequence.objects.filter(prefix=prefix, day=day).update(last_number=F("last_number") + 1)
    number = DailySequence.objects.get(prefix=prefix, day=day).last_number
    return f"{prefix}-{day:%y%m%d}-{number:04d}"


# --- messages -----------------------------------------------------------------------------------


def tracking_url(item: Item) -> str:
    return f"/phan-anh/tra-cuu/?ma={item.code}"


def message_context(item: Item, **extra) -> dict:
    context = {
        "item_code": item.code,
        "item_title": item.title,
        "kind_label": item.get_kind_display(),
        "agency_name": item.current_agency.name,
        "contact_name": item.contact_name,
        "due_at": item.due_at,
        "answer": item.answer,
        "reason": "",
        "official_name": "",
        "tracking_url": tracking_url(item),
    }
    context.update(extra)
    return context


def _to_author(item: Item, event: str, template: str, **extra) -> None:
    notify(
        f"feedback:{item.pk}:{event}",
        item.author,
        template,
        message_context(item, **extra),
        email=item.contact_email,
        phone=item.contact_phone,
    )


# --- publication --------------------------------------------------------------------------------


def known_details(item: Item) -> list[str]:
    """The item's own personal details, masked wherever they appear in its public texts."""
    details = [item.contact_name, item.contact_phone, item.contact_email]
    if item.author_id:
        details += [item.author.full_name, item.author.citizen_id, item.author.phone]
    return [d for d in details if d]


def _masked(item: Item, text: str) -> str:
    return mask_personal_details(text, known_details(item))


def _publication(item: Item) -> dict:
    """What the public sees of ``item``, recomputed after every change that could alter it.

    Published: answered (or closed after an answer), the author agreed, not hidden, not merged
    into another item (its answer is that item's). The public fields are masked copies.
    """
    public = {
        "public_title": _masked(item, item.title),
        "public_text": _masked(item, item.text),
        "public_answer": _masked(item, item.answer),
    }
    edited_at = item.events.filter(action="edit_public").aggregate(at=Max("at"))["at"]
    if edited_at is not None:  # a moderator's wording stands, until a newer answer comes
        public["public_title"], public["public_text"] = item.public_title, item.public_text
        if item.answered_at is None or item.answered_at <= edited_at:
            public["public_answer"] = item.public_answer
    shown = (
        item.status in ANSWERED
        and item.answered_at is not None
        and item.may_publish
        and not item.hidden
    )
    public["published_at"] = (item.published_at or item.answered_at) if shown else None
    public["search_key"] = (
        fold(" ".join([public["public_title"], public["public_text"], public["public_answer"]]))
        if shown
        else ""
    )
    return public


def _republish(item: Item) -> None:
    """Store what the public sees of ``item`` and keep its word rows in step: rewritten when
    the public version changed, or when they no longer copy its category or commune."""
    changes = _publication(item)
    changed = any(getattr(item, name) != value for name, value in changes.items())
    if changed:
        Item.objects.filter(pk=item.pk).update(**changes)
        for name, value in changes.items():
            setattr(item, name, value)
    if changed or search.is_stale(item):
        search.reindex(item)


# --- submission ---------------------------------------------------------------------------------


def _clean_text(value: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Cần nhập %(label)s.") % {"label": label}, code="required")
    if len(value) > limit:
        raise InvalidInput(
            _("%(label)s dài quá %(limit)s ký tự.") % {"label": label.capitalize(), "limit": limit},
            code="too_long",
        )
    return value


def _clean_commune(commune) -> AdminUnit | None:
    if commune in (None, ""):
        return None
    if not isinstance(commune, AdminUnit):
        commune = AdminUnit.objects.filter(code=str(commune), valid_to__isnull=True).first()
    if (
        commune is None
        or commune.level != AdminUnit.Level.COMMUNE
        or commune.valid_to is not None
        or commune.parent is None
        or commune.parent.code != configured_province_code()
    ):
        raise InvalidInput(
            _("Xã, phường không thuộc tỉnh hoặc không còn hiệu lực."), code="invalid_commune"
        )
    return commune


def _coordinate(value, low: float, high: float, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not low <= number <= high:
        raise InvalidInput(_("%(label)s không hợp lệ.") % {"label": label}, code="invalid_location")
    return number.quantize(Decimal("0.000001"))


def _clean_location(kind: str, latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    lat = _coordinate(latitude, -90, 90, _("Vĩ độ"))
    lon = _coordinate(longitude, -180, 180, _("Kinh độ"))
    if (lat is None) != (lon is None):
        raise InvalidInput(_("Cần cả vĩ độ và kinh độ."), code="invalid_location")
    if lat is None and kind == Item.Kind.FIELD_REPORT:
        raise InvalidInput(
            _("Phản ánh hiện trường cần vị trí (vĩ độ, kinh độ) của nơi xảy ra."),
            code="location_required",
        )
    if lat is not None and not area.inside(lat, lon):
        raise InvalidInput(
            _("Vị trí đã chọn nằm ngoài địa bàn tỉnh."), code="location_outside_province"
        )
    return lat, lon


def _clean_contact(actor, name: str, phone: str, email: str) -> tuple[str, str, str]:
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    name = (name or "").strip()[:150] or (actor.full_name if signed_in else "")
    phone, email = (phone or "").strip(), (email or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError:
            raise InvalidInput(_("Số điện thoại không hợp lệ."), code="invalid_phone") from None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                _("Địa chỉ thư điện tử không hợp lệ."), code="invalid_email"
            ) from None
    if signed_in:
        phone, email = phone or actor.phone or "", email or actor.email or ""
    elif not phone and not email:
        raise InvalidInput(
            _(
                "Người gửi không đăng nhập cần để lại số điện thoại hoặc thư điện tử "
                "để nhận trả lời."
            ),
            code="contact_required",
        )
    return name, phone, email


def _attribute_value(definition: dict, value):
    datatype = definition.get("datatype")
    keys = {str(v.get("key")) for v in definition.get("values") or []}
    if datatype == "number":
        number = float(value)
        if not math.isfinite(number):
            raise ValueError
        return number
    if datatype == "datetime":
        moment = parse_datetime(str(value))
        if moment is None:
            raise ValueError
        return str(value)
    if datatype == "singlevaluelist":
        if str(value) not in keys:
            raise ValueError
        return str(value)
    if datatype == "multivaluelist":
        chosen = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        if not chosen or any(v not in keys for v in chosen):
            raise ValueError
        return chosen
    return str(value)[: 4000 if datatype == "text" else 500]


def clean_attributes(category: Category, values: dict | None) -> dict:
    """The category's extra attributes (Open311 ``attribute[code]``): required ones present,
    each of its type; unknown codes are dropped (GeoReport v2 lets clients send extra ones)."""
    values = values or {}
    cleaned, problems = {}, []
    for definition in category.attributes or []:
        code = definition["code"]
        value = values.get(code)
        if value in (None, "", []):
            if definition.get("required"):
                problems.append({"field": code, "message": _("Cần nhập thông tin này.")})
            continue
        try:
            cleaned[code] = _attribute_value(definition, value)
        except (TypeError, ValueError):
            problems.append({"field": code, "message": _("Giá trị không hợp lệ.")})
    if problems:
        raise InvalidInput(
            _("Thông tin bổ sung của lĩnh vực chưa hợp lệ."),
            code="invalid_attributes",
            details=problems,
        )
    return cleaned


def _read_photo(photo) -> tuple[str, bytes]:
    if isinstance(photo, tuple):
        return photo[0], photo[1]
    return getattr(photo, "name", "anh"), photo.read()


def _clean_photos(photos: Iterable) -> list[tuple[str, bytes, files.Sniffed]]:
    photos = [_read_photo(p) for p in photos or ()]
    if len(photos) > settings.EGOV_FEEDBACK_MAX_PHOTOS:
        raise InvalidInput(
            _("Gửi tối đa %(n)s ảnh.") % {"n": settings.EGOV_FEEDBACK_MAX_PHOTOS},
            code="too_many_photos",
        )
    limit = settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES
    cleaned = []
    for raw_name, content in photos:
        name = files.display_name(raw_name)
        if not content:
            raise files.FileRefused(_("Tệp “%(name)s” rỗng.") % {"name": name})
        if len(content) > limit:
            raise files.FileRefused(
                _("Ảnh “%(name)s” lớn hơn %(mb)s MB cho phép.")
                % {"name": name, "mb": limit // (1024 * 1024)}
            )
        sniffed = files.sniff(content)
        if sniffed is None or sniffed.content_type not in PHOTO_TYPES:
            raise files.FileRefused(
                _("Tệp “%(name)s” không phải ảnh JPEG hoặc PNG.") % {"name": name}
            )
        cleaned.append((name, content, sniffed))
    return cleaned


def route(category: Category, commune: AdminUnit | None) -> Agency:
    """The agency that receives an item of ``category``: the commune's People's Committee for a
    local category, else the category's agency."""
    if category.local:
        if commune is None:
            raise InvalidInput(
                _("Cần chọn xã, phường nơi xảy ra sự việc."), code="commune_required"
            )
        agency = Agency.objects.filter(code=f"UBX{commune.code}", is_active=True).first()
        if agency is None:
            raise InvalidInput(
                _("Chưa có Ủy ban nhân dân của %(commune)s trên hệ thống.")
                % {"commune": commune.full_name},
                code="no_agency",
            )
        return agency
    if category.agency is None or not category.agency.is_active:
        raise InvalidInput(_("Lĩnh vực chưa có cơ quan tiếp nhận."), code="no_agency")
    return category.agency


IDEMPOTENCY_KEY_MAX = 80
# An anonymous sender's key is their only identity: short keys could be guessed.
ANONYMOUS_KEY_MIN = 16


def clean_idempotency_key(key: str, *, anonymous: bool) -> str:
    """The key as stored: printable ASCII without spaces (an HTTP header value), at most 80
    characters, and at least 16 from an anonymous sender."""
    key = (key or "").strip()
    if not key:
        return ""
    if len(key) > IDEMPOTENCY_KEY_MAX or not all("!" <= ch <= "~" for ch in key):
        raise InvalidInput(
            _(
                "Khóa chống gửi trùng (Idempotency-Key) gồm tối đa %(n)s ký tự ASCII, "
                "không có khoảng trắng."
            )
            % {"n": IDEMPOTENCY_KEY_MAX},
            code="invalid_idempotency_key",
        )
    if anonymous and len(key) < ANONYMOUS_KEY_MIN:
        raise InvalidInput(
            _(
                "Người gửi không đăng nhập cần khóa chống gửi trùng (Idempotency-Key) ngẫu nhiên "
                "dài ít nhất %(n)s ký tự."
            )
            % {"n": ANONYMOUS_KEY_MIN},
            code="invalid_idempotency_key",
        )
    return key


def _fingerprint(item: Item, photos: list[tuple[str, bytes, files.Sniffed]]) -> str:
    """A digest of what was cleaned for ``item``: the same resend gives the same digest."""
    fields = {
        "kind": item.kind,
        "category": item.category.code,
        "title": item.title,
        "text": item.text,
        "commune": item.commune.code if item.commune else "",
        "address": item.address,
        "latitude": str(item.latitude),
        "longitude": str(item.longitude),
        "may_publish": item.may_publish,
        # The contact is part of it, so an anonymous sender's key alone never returns an item.
        "contact": [item.contact_name, item.contact_phone, item.contact_email],
        "attributes": item.attributes,
        "photos": [hashlib.sha256(content).hexdigest() for _name, content, _s in photos],
    }
    encoded = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _sent_before(author, key: str, fingerprint: str) -> Item | None:
    """The item this sender filed under ``key``, if any; the key with other fields → 409."""
    if not key:
        return None
    found = Item.objects.filter(author=author, idempotency_key=key).first()
    if found is not None and found.idempotency_fingerprint != fingerprint:
        # Says nothing of the other item: an anonymous key must not open someone else's.
        raise Conflict(
            _(
                "Khóa chống gửi trùng này đã được dùng cho một phản ánh có nội dung khác. "
                "Hãy gửi lại với khóa mới."
            ),
            code="idempotency_conflict",
        )
    return found


def submit(actor, **fields) -> Item:
    """:func:`submit_once`, without saying whether the item is new."""
    return submit_once(actor, **fields)[0]


@transaction.atomic
def submit_once(
    actor,
    *,
    kind: str,
    category: Category,
    title: str,
    text: str,
    commune=None,
    address: str = "",
    latitude=None,
    longitude=None,
    may_publish: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    photos: Iterable = (),
    channel: str = Item.Channel.WEB,
    attributes: dict | None = None,
    api_client=None,
    idempotency_key: str = "",
) -> tuple[Item, bool]:
    """Receive a piece of feedback, a question or a field report, route it and start its clocks.

    ``actor`` is the signed-in author or None (anonymous: a phone number or an e-mail address is
    then required). ``photos`` are ``(name, bytes)`` pairs or uploaded files (JPEG or PNG).
    Returns ``(item, created)``: a resend under the same ``idempotency_key`` by the same sender
    (the signed-in author; for anonymous senders the key, with the same fields and so the same
    contact) returns the first item, with nothing filed, stored or sent again.
    """
    author = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    key = clean_idempotency_key(idempotency_key, anonymous=author is None)
    if kind not in Item.Kind.values:
        raise InvalidInput(_("Loại phản ánh không hợp lệ."), code="invalid_kind")
    if category is None or not category.active or category.kind != kind:
        raise InvalidInput(_("Lĩnh vực không hợp lệ cho loại này."), code="invalid_category")
    if channel not in Item.Channel.values:
        raise InvalidInput(_("Kênh gửi không hợp lệ."), code="invalid_channel")
    title = _clean_text(title, _("tiêu đề"), 200)
    text = _clean_text(text, _("nội dung"), 10000)
    commune = _clean_commune(commune)
    if kind == Item.Kind.FIELD_REPORT and commune is None:
        raise InvalidInput(_("Cần chọn xã, phường nơi xảy ra sự việc."), code="commune_required")
    latitude, longitude = _clean_location(kind, latitude, longitude)
    name, phone, email = _clean_contact(actor, contact_name, contact_phone, contact_email)
    cleaned_attributes = clean_attributes(category, attributes)
    photo_list = _clean_photos(photos)
    agency = route(category, commune)
    at = now()
    due_at = working_days_due(at, category.deadline_days)
    item = Item(
        kind=kind,
        category=category,
        title=title,
        text=text,
        commune=commune,
        address=(address or "").strip()[:255],
        latitude=latitude,
        longitude=longitude,
        may_publish=bool(may_publish),
        author=author,
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
        receiving_agency=agency,
        current_agency=agency,
        submitted_at=at,
        due_at=due_at,
        forward_due_at=working_days_due(at, forward_days()),
        sort_due=due_at,
        channel=channel,
        attributes=cleaned_attributes,
        api_client=api_client,
        token=secrets.token_hex(12) if channel == Item.Channel.OPEN311 else "",
        idempotency_key=key,
    )
    if key:
        item.idempotency_fingerprint = _fingerprint(item, photo_list)
    earlier = _sent_before(author, key, item.idempotency_fingerprint)
    if earlier is not None:
        return earlier, False
    item.public_title = _masked(item, title)
    item.public_text = _masked(item, text)
    try:
        # The code with the row: a lost race gives its number back.
        with transaction.atomic():
            item.code = next_code(kind, at)
            item.save()
    except IntegrityError:
        # The same key raced us (only the key is unique): the first request's item is the answer.
        earlier = _sent_before(author, key, item.idempotency_fingerprint)
        if earlier is None:
            raise
        return earlier, False
    for photo_name, content, sniffed in photo_list:
        stored, digest = files.stored_content(content, sniffed)
        ItemPhoto.objects.create(
            item=item,
            original_name=photo_name,
            file=stored,
            content_type=sniffed.content_type,
            size=len(content),
            sha256=digest,
        )
    _event(item, author, "submit", "", channel, at=at)
    _to_author(item, "received", "feedback_received")
    return item, True


# --- the receiving agency -----------------------------------------------------------------------


@transaction.atomic
def accept(actor, item: Item, note: str = "", expected_version=None) -> Item:
    """The agency holding the item takes it as its own work (it is competent)."""
    item = _locked(item)
    _require(actor, item, permissions.RECEIVE_FEEDBACK)
    _require_status(item, Item.Status.SUBMITTED, Item.Status.FORWARDED)
    before, at = item.status, now()
    _claim(item, expected_version, status=Item.Status.ACCEPTED, accepted_at=at)
    _event(item, actor, "accept", before, _note(note), at=at)
    return item


@transaction.atomic
def forward(actor, item: Item, to_agency: Agency, note: str = "", expected_version=None) -> Item:
    """Send the item to the competent agency, whose deadline counts from now.

    The bound (``forward_due_at``, five working days from submission by default) is not a
    lock: a late forwarding is still allowed, and recorded as late in the event.
    """
    item = _locked(item)
    _require(actor, item, permissions.RECEIVE_FEEDBACK)
    _require_status(item, Item.Status.SUBMITTED, Item.Status.FORWARDED, Item.Status.ACCEPTED)
    if to_agency is None or not to_agency.is_active or to_agency.pk == item.current_agency_id:
        raise InvalidInput(_("Cần chọn một cơ quan khác để chuyển."), code="invalid_agency")
    note = _note(note, required=True, what=_("Cần ghi rõ lý do chuyển."))
    before, at = item.status, now()
    late = item.forward_due_at is not None and at > item.forward_due_at
    _claim(
        item,
        expected_version,
        status=Item.Status.FORWARDED,
        current_agency=to_agency,
        unit=None,
        assignee=None,
        forwarded_at=at,
        due_at=working_days_due(at, item.category.deadline_days),
        overdue_alerted_at=None,
    )
    _event(item, actor, "forward_late" if late else "forward", before, note, at=at)
    return item


@transaction.atomic
def reject(actor, item: Item, reason_code: str, note: str = "", expected_version=None) -> Item:
    item = _locked(item)
    _require(actor, item, permissions.RECEIVE_FEEDBACK)
    _require_status(item, Item.Status.SUBMITTED, Item.Status.FORWARDED, Item.Status.ACCEPTED)
    if reason_code not in Item.RejectReason.values:
        raise InvalidInput(_("Lý do từ chối không hợp lệ."), code="invalid_reason")
    note = _note(note, required=True, what=_("Cần ghi rõ lý do từ chối."))
    before, at = item.status, now()
    _claim(
        item,
        expected_version,
        status=Item.Status.REJECTED,
        rejected_at=at,
        reject_reason=reason_code,
        reject_note=note,
    )
    _event(item, actor, "reject", before, f"{reason_code}: {note}", at=at)
    reason = f"{Item.RejectReason(reason_code).label}. {note}"
    _to_author(item, "rejected", "feedback_rejected", reason=reason)
    return item


# --- the competent agency -----------------------------------------------------------------------


def _handler_unit(user, agency: Agency) -> tuple[bool, Unit | None]:
    """Whether ``user`` may draft answers in ``agency``, and the unit their role is held in."""
    roles = list(
        StaffRole.objects.filter(
            user=user, agency=agency, role__in=permissions.roles_with(permissions.HANDLE_FEEDBACK)
        ).select_related("unit")
    )
    if not roles or not (user.is_active and user.kind == "staff"):
        return False, None
    if any(r.unit_id is None for r in roles):
        return True, None
    return True, roles[0].unit


@transaction.atomic
def assign(actor, item: Item, assignee, note: str = "", expected_version=None) -> Item:
    item = _locked(item)
    _require(actor, item, permissions.RECEIVE_FEEDBACK, permissions.APPROVE_FEEDBACK)
    _require_status(item, Item.Status.ACCEPTED, Item.Status.IN_PROGRESS)
    allowed, unit = _handler_unit(assignee, item.current_agency)
    if not allowed:
        raise InvalidInput(
            _("Người được giao không phải chuyên viên xử lý của cơ quan."), code="invalid_assignee"
        )
    before, at = item.status, now()
    _claim(item, expected_version, status=Item.Status.IN_PROGRESS, assignee=assignee, unit=unit)
    # The history names the person (the login name means nothing to the reader).
    who = assignee.full_name or assignee.get_username()
    _event(item, actor, "assign", before, _note(note) or who, at=at)
    return item


def _require_drafter(actor, item: Item) -> None:
    if item.status == Item.Status.IN_PROGRESS:
        if actor is None or item.assignee_id != actor.pk:
            raise Forbidden(_("Chỉ người được giao mới soạn trả lời được."))
        _require(actor, item, permissions.HANDLE_FEEDBACK, permissions.APPROVE_FEEDBACK)
    else:
        _require(actor, item, permissions.APPROVE_FEEDBACK)


@transaction.atomic
def save_draft(actor, item: Item, text: str, expected_version=None) -> Item:
    """The assignee writes (or a leader corrects, while approving) the draft answer."""
    item = _locked(item)
    _require_status(item, Item.Status.IN_PROGRESS, Item.Status.AWAITING_APPROVAL)
    _require_drafter(actor, item)
    draft = _clean_text(text, _("nội dung trả lời"), 20000)
    _claim(item, expected_version, draft=draft)
    _event(item, actor, "save_draft", item.status, at=now())
    return item


@transaction.atomic
def submit_for_approval(actor, item: Item, text: str | None = None, expected_version=None) -> Item:
    item = _locked(item)
    _require_status(item, Item.Status.IN_PROGRESS)
    _require_drafter(actor, item)
    draft = _clean_text(item.draft if text is None else text, _("nội dung trả lời"), 20000)
    before, at = item.status, now()
    _claim(item, expected_version, status=Item.Status.AWAITING_APPROVAL, draft=draft)
    _event(item, actor, "submit_for_approval", before, at=at)
    return item


@transaction.atomic
def send_back(actor, item: Item, note: str, expected_version=None) -> Item:
    item = _locked(item)
    _require(actor, item, permissions.APPROVE_FEEDBACK)
    _require_status(item, Item.Status.AWAITING_APPROVAL)
    note = _note(note, required=True, what=_("Cần ghi rõ yêu cầu chỉnh sửa."))
    before, at = item.status, now()
    _claim(item, expected_version, status=Item.Status.IN_PROGRESS)
    _event(item, actor, "send_back", before, note, at=at)
    return item


def _publish_answer(actor, item: Item, text: str, expected_version, action: str) -> Item:
    before, at = item.status, now()
    _claim(
        item,
        expected_version,
        status=Item.Status.ANSWERED,
        draft=text,
        answer=text,
        answered_at=at,
        rating="",
        rating_comment="",
    )
    _event(item, actor, action, before, at=at)
    _republish(item)
    _to_author(item, f"answered:{item.reopened}", "feedback_answered")
    for merged in item.merged_items.select_related("current_agency", "author"):
        Item.objects.filter(pk=merged.pk).update(answer=text, answered_at=at)
        merged.answer, merged.answered_at = text, at
        _event(merged, actor, "answered_by_merge", merged.status, item.code, at=at)
        _to_author(merged, f"answered:{item.pk}:{item.reopened}", "feedback_answered")
    return item


@transaction.atomic
def approve(actor, item: Item, note: str = "", expected_version=None) -> Item:
    """The leader approves the draft: it becomes the answer, goes to the author (and to every
    author whose item was merged into this one) and, if allowed, to the public page."""
    item = _locked(item)
    _require(actor, item, permissions.APPROVE_FEEDBACK)
    _require_status(item, Item.Status.AWAITING_APPROVAL)
    return _publish_answer(actor, item, item.draft, expected_version, "approve")


@transaction.atomic
def answer(actor, item: Item, text: str, expected_version=None) -> Item:
    """A leader answers directly (drafts and approves in one step)."""
    item = _locked(item)
    _require(actor, item, permissions.APPROVE_FEEDBACK)
    _require_status(
        item, Item.Status.ACCEPTED, Item.Status.IN_PROGRESS, Item.Status.AWAITING_APPROVAL
    )
    text = _clean_text(text, _("nội dung trả lời"), 20000)
    return _publish_answer(actor, item, text, expected_version, "answer")


# --- the author ---------------------------------------------------------------------------------


def is_author(actor_or_contact, item: Item) -> bool:
    """The signed-in author, or (anonymous items) the phone number or e-mail they gave."""
    if isinstance(actor_or_contact, str):
        contact = actor_or_contact.strip()
        if not contact:
            return False
        if "@" in contact:
            return bool(item.contact_email) and contact.casefold() == item.contact_email.casefold()
        try:
            return bool(item.contact_phone) and normalise_phone(contact) == item.contact_phone
        except ValidationError:
            return False
    actor = actor_or_contact
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and item.author_id == actor.pk
    )


def _require_author(actor_or_contact, item: Item) -> None:
    if not is_author(actor_or_contact, item):
        raise Forbidden(_("Chỉ người gửi phản ánh mới thực hiện được thao tác này."))


def _user(actor_or_contact):
    return None if isinstance(actor_or_contact, str) else actor_or_contact


@transaction.atomic
def rate(actor_or_contact, item: Item, rating: str, comment: str = "") -> Item:
    """Rate the answer. Satisfied or neutral closes the item; dissatisfied keeps it answered,
    so the author may still reopen it (once)."""
    item = _locked(item)
    _require_author(actor_or_contact, item)
    _require_status(item, Item.Status.ANSWERED)
    if rating not in Item.Rating.values:
        raise InvalidInput(_("Mức đánh giá không hợp lệ."), code="invalid_rating")
    at = now()
    changes = {"rating": rating, "rating_comment": (comment or "").strip()[:2000]}
    if rating != Item.Rating.DISSATISFIED:
        changes.update(status=Item.Status.CLOSED, closed_at=at)
    _claim(item, None, **changes)
    _event(item, _user(actor_or_contact), "rate", Item.Status.ANSWERED, rating, at=at)
    return item


@transaction.atomic
def reopen(actor_or_contact, item: Item, comment: str = "") -> Item:
    """Once, when the answer did not solve the problem: back to the handler, with a new full
    deadline from now; the previous answer stays in the history and is unpublished."""
    item = _locked(item)
    _require_author(actor_or_contact, item)
    _require_status(item, Item.Status.ANSWERED)
    if item.reopened >= 1:
        raise InvalidAction(_("Phản ánh chỉ được mở lại một lần."), code="already_reopened")
    at = now()
    comment = (comment or "").strip()[:2000]
    _claim(
        item,
        None,
        status=Item.Status.IN_PROGRESS if item.assignee_id else Item.Status.ACCEPTED,
        reopened=item.reopened + 1,
        rating=Item.Rating.DISSATISFIED,
        rating_comment=comment or item.rating_comment,
        answer="",
        answered_at=None,
        published_at=None,
        due_at=working_days_due(at, item.category.deadline_days),
        overdue_alerted_at=None,
    )
    _event(item, _user(actor_or_contact), "reopen", Item.Status.ANSWERED, comment, at=at)
    _republish(item)
    return item


# --- moderation ---------------------------------------------------------------------------------


def _require_moderator(actor, item: Item) -> None:
    # Only the agency holding the item now: one that forwarded it has handed it over.
    if not permissions.can(actor, permissions.MODERATE_FEEDBACK, item.current_agency):
        raise Forbidden(_("Bạn không có quyền kiểm duyệt phản ánh này."))


@transaction.atomic
def hide(actor, item: Item, reason: str) -> Item:
    """Hide abusive content from the public (staff still see it)."""
    item = _locked(item)
    _require_moderator(actor, item)
    if item.hidden:
        raise InvalidAction(_("Phản ánh đã được ẩn."), code="already_hidden")
    reason = _note(reason, required=True, what=_("Cần ghi rõ lý do ẩn."))
    _claim(item, None, hidden=True, hidden_reason=reason)
    _event(item, actor, "hide", item.status, reason, at=now())
    _republish(item)
    return item


@transaction.atomic
def unhide(actor, item: Item, reason: str = "") -> Item:
    item = _locked(item)
    _require_moderator(actor, item)
    if not item.hidden:
        raise InvalidAction(_("Phản ánh đang không bị ẩn."), code="not_hidden")
    _claim(item, None, hidden=False, hidden_reason="")
    _event(item, actor, "unhide", item.status, _note(reason), at=now())
    _republish(item)
    return item


@transaction.atomic
def edit_public(
    actor,
    item: Item,
    *,
    title: str,
    text: str,
    answer: str = "",
    reason: str = "",
    expected_version=None,
) -> Item:
    """A moderator corrects what the public reads (a detail the masking missed, a place it
    masked). Stored as given, not masked again; the originals stay for staff; an event records
    who and why. Later republishing keeps the correction; a newer answer is masked afresh."""
    item = _locked(item)
    _require_moderator(actor, item)
    title = _clean_text(title, _("tiêu đề công khai"), 200)
    text = _clean_text(text, _("nội dung công khai"), 10000)
    answer = _clean_text(answer, _("câu trả lời công khai"), 20000) if item.answer else ""
    _claim(item, expected_version, public_title=title, public_text=text, public_answer=answer)
    _event(item, actor, "edit_public", item.status, _note(reason), at=now())
    _republish(item)
    return item


def refresh_public_texts() -> int:
    """Recompute every item's public texts with today's masking rules (moderators' corrections
    stand); the number of items whose public version changed."""
    changed = 0
    items = Item.objects.select_related("author").order_by("pk")
    for item in items.iterator(chunk_size=500):
        before = (item.public_title, item.public_text, item.public_answer, item.search_key)
        with transaction.atomic():
            _republish(item)
        changed += before != (
            item.public_title,
            item.public_text,
            item.public_answer,
            item.search_key,
        )
    return changed


# --- duplicates ---------------------------------------------------------------------------------

METRES_PER_DEGREE = 111_320.0
# Words too common in complaints to say two texts are about the same thing.
_STOP_TEXT = (
    "va la cua co cho o tai the nay da dang bi duoc khong rat nhieu cac nhung mot de voi "
    "tu den trong ra vao len xin de nghi kinh gui toi chung nguoi dan ong ba anh chi em"
)
STOP_WORDS = frozenset(_STOP_TEXT.split(" "))


def text_words(item: Item) -> set[str]:
    return {w for w in search.words(f"{item.title} {item.text}") if w not in STOP_WORDS}


def similarity(a: set[str], b: set[str]) -> float:
    """Token-set similarity: shared words over the smaller text's words (overlap coefficient).

    The smaller set is the denominator, not the union (Jaccard), because a short report ("Ổ gà
    trước chợ Tân Biên") about the same pothole as a long one shares most of its words with it
    while the long one has many more of its own.
    """
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def distance_metres(lat1, lon1, lat2, lon2) -> float:
    """Haversine on a sphere of the Earth's mean radius (metres; plenty for a few hundred)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def likely_duplicates(item: Item, limit: int = 10) -> list[Item]:
    """Items probably about the same thing: same category, submitted within
    ``EGOV_FEEDBACK_DUPLICATE_DAYS`` days of it, within ``EGOV_FEEDBACK_DUPLICATE_METRES`` metres
    (items without coordinates: the same commune), with a text similarity of at least
    ``EGOV_FEEDBACK_DUPLICATE_SIMILARITY`` per cent; the most similar first.

    The bounding box of the radius is a range on the ``(category, latitude, longitude)`` index,
    so only the few nearby candidates are read; the exact distance and the text are compared in
    Python.
    """
    window = timedelta(days=settings.EGOV_FEEDBACK_DUPLICATE_DAYS)
    candidates = Item.objects.filter(
        category_id=item.category_id,
        submitted_at__gte=item.submitted_at - window,
        submitted_at__lte=item.submitted_at + window,
    ).exclude(pk=item.pk)
    candidates = candidates.exclude(status__in=(Item.Status.REJECTED, Item.Status.MERGED))
    radius = settings.EGOV_FEEDBACK_DUPLICATE_METRES
    if item.latitude is not None and item.longitude is not None:
        d_lat = radius / METRES_PER_DEGREE
        d_lon = radius / (
            METRES_PER_DEGREE * max(math.cos(math.radians(float(item.latitude))), 0.01)
        )
        lat, lon = float(item.latitude), float(item.longitude)
        candidates = candidates.filter(
            latitude__gte=Decimal(f"{lat - d_lat:.6f}"),
            latitude__lte=Decimal(f"{lat + d_lat:.6f}"),
            longitude__gte=Decimal(f"{lon - d_lon:.6f}"),
            longitude__lte=Decimal(f"{lon + d_lon:.6f}"),
        )
    elif item.commune_id:
        candidates = candidates.filter(commune_id=item.commune_id, latitude__isnull=True)
    else:
        candidates = candidates.filter(commune__isnull=True, latitude__isnull=True)
    mine = text_words(item)
    threshold = settings.EGOV_FEEDBACK_DUPLICATE_SIMILARITY / 100
    scored = []
    for other in candidates.select_related("category", "current_agency")[:500]:
        if other.latitude is not None and item.latitude is not None:
            metres = distance_metres(item.latitude, item.longitude, other.latitude, other.longitude)
            if metres > radius:
                continue
        score = similarity(mine, text_words(other))
        if score >= threshold:
            scored.append((score, other.submitted_at, other))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [other for _score, _at, other in scored[:limit]]


@transaction.atomic
def merge(actor, item: Item, into: Item, note: str = "") -> Item:
    """Merge ``item`` into ``into``: it stops being worked on, and the answer of ``into`` is
    sent to its author too (at once if ``into`` is already answered)."""
    item, into = _locked(item), _locked(into)
    _require(actor, item, permissions.RECEIVE_FEEDBACK)
    _require(actor, into, permissions.RECEIVE_FEEDBACK)
    if (
        item.pk == into.pk
        or into.duplicate_of_id
        or into.status
        in (
            Item.Status.REJECTED,
            Item.Status.MERGED,
        )
    ):
        raise InvalidInput(_("Không gộp được vào phản ánh này."), code="invalid_merge")
    if item.category_id != into.category_id:
        raise InvalidInput(_("Chỉ gộp được các phản ánh cùng lĩnh vực."), code="invalid_merge")
    _require_status(item, *OPEN_STATUSES)
    before, at = item.status, now()
    changes = {"status": Item.Status.MERGED, "duplicate_of": into, "assignee": None}
    if into.status in ANSWERED:
        changes.update(answer=into.answer, answered_at=at)
    _claim(item, None, **changes)
    _event(item, actor, "merge", before, f"{into.code} {_note(note)}".strip(), at=at)
    _event(into, actor, "merged_in", into.status, item.code, at=at)
    _republish(item)
    if into.status in ANSWERED:
        _to_author(item, f"answered:{into.pk}:{into.reopened}", "feedback_answered")
    return item


# --- deadlines ----------------------------------------------------------------------------------


def deadline_state(item: Item, now: datetime) -> str | None:
    """``in_time``, ``due_soon`` (at most one working day left) or ``overdue`` while the item is
    the agencies' work; ``overdue`` for an item answered after its due moment; else None."""
    if item.status in OPEN_STATUSES:
        state = state_at(item.due_at, now)
        return state.value if state else None
    if item.status in ANSWERED and item.answered_at and item.due_at:
        return DeadlineState.OVERDUE.value if item.answered_at > item.due_at else None
    return None


def _overdue_recipients(item: Item) -> list:
    recipients = [item.assignee] if item.assignee_id else []
    approvers = permissions.roles_with(permissions.APPROVE_FEEDBACK)
    for role in StaffRole.objects.filter(
        agency=item.current_agency_id, role__in=approvers
    ).select_related("user"):
        if role.unit_id is None or role.unit_id == item.unit_id:
            recipients.append(role.user)
    return [u for u in {u.pk: u for u in recipients}.values() if u.is_active]


def check_overdue(at: datetime | None = None) -> int:
    """Alert once per item past its due moment (event key ``feedback:<id>:overdue:<due>``) the
    assignee and the leaders who approve its answers; returns how many items were alerted."""
    at = at or now()
    count = 0
    candidates = Item.objects.filter(
        status__in=OPEN_STATUSES, due_at__lte=at, overdue_alerted_at__isnull=True
    ).select_related("current_agency", "assignee", "category")
    for item in candidates.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Item.objects.filter(pk=item.pk, overdue_alerted_at__isnull=True).update(
                overdue_alerted_at=at
            )
            if not claimed:
                continue
            stamp = f"{item.due_at:%Y%m%d%H%M}"
            for user in _overdue_recipients(item):
                notify(
                    f"feedback:{item.pk}:overdue:{stamp}:{user.pk}",
                    user,
                    "feedback_overdue",
                    message_context(item, official_name=user.full_name),
                    email=user.email,
                    phone=user.phone,
                )
            count += 1
    return count


def agencies_for_forwarding() -> Q:
    """Where an item may be forwarded: any active agency except the public-service centres
    (they receive dossiers, not feedback)."""
    return Q(is_active=True) & ~Q(kind=Agency.Kind.SERVICE_CENTRE)
