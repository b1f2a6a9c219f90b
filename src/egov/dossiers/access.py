"""Reading dossiers: the one permission-checked fetch, the officials' inbox, public tracking.

Who sees a dossier (decision, written here for review):

* the applicant who owns it;
* in the agency that holds it now (``current_agency``) or the competent agency (``agency``):
  anyone with ``view_agency_dossiers`` or ``audit`` (agency leaders, auditors), and anyone
  with a working capability there (reception, handling, approval, result return) — the
  one-stop shop passes dossiers between these roles, so each needs to read what it receives;
* nobody else: for them the dossier does not exist (404, never 403), so guessing ids tells
  nothing. Platform administrators see no dossiers (separation of duties, as in agencies).
"""

from __future__ import annotations

import base64
import heapq
import hmac
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from egov.agencies import permissions
from egov.agencies.models import Role, StaffRole
from egov.core.api_errors import ApiError, NotFound
from egov.core.text import fold
from egov.dossiers import deadlines
from egov.dossiers.models import ACTIVE_STATUSES, Dossier, ProcessStep, Status

security_log = logging.getLogger("egov.security")

DOSSIER_CAPABILITIES = (
    permissions.VIEW_AGENCY_DOSSIERS,
    permissions.AUDIT,
    permissions.RECEIVE_DOSSIERS,
    permissions.HANDLE_DOSSIERS,
    permissions.APPROVE_IN_UNIT,
    permissions.APPROVE_IN_AGENCY,
    permissions.RETURN_RESULTS,
)
_ROLES_WITH_DOSSIERS = tuple(
    role for role, caps in permissions.ROLE_CAPABILITIES.items() if caps & set(DOSSIER_CAPABILITIES)
)


class DossierNotFound(NotFound):
    code = "dossier_not_found"


def agencies_seeing(user) -> list[int]:
    if user is None or not user.is_authenticated or not user.is_active or user.kind != "staff":
        return []
    return list(
        StaffRole.objects.filter(user=user, role__in=_ROLES_WITH_DOSSIERS)
        .values_list("agency_id", flat=True)
        .distinct()
    )


def visible_dossiers(user) -> QuerySet[Dossier]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    if user.kind != "staff":
        return Dossier.objects.filter(applicant=user)
    agencies = agencies_seeing(user)
    return Dossier.objects.filter(Q(current_agency__in=agencies) | Q(agency__in=agencies))


def _parse_id(dossier_id) -> uuid.UUID | None:
    try:
        return dossier_id if isinstance(dossier_id, uuid.UUID) else uuid.UUID(str(dossier_id))
    except (ValueError, TypeError, AttributeError):
        return None


def get_dossier_for(user, dossier_id) -> Dossier:
    """The dossier with public id ``dossier_id`` if ``user`` may see it; else DossierNotFound."""
    public_id = _parse_id(dossier_id)
    found = None
    if public_id is not None:
        found = (
            visible_dossiers(user)
            .select_related("procedure", "agency", "current_agency", "current_step", "unit")
            .filter(public_id=public_id)
            .first()
        )
    if found is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    return found


# --- the inbox ----------------------------------------------------------------------------------


@dataclass
class QueueFilter:
    scope: str = "mine"  # mine | agency (everything of my agencies I may view)
    procedure: str | None = None
    status: str | None = None
    deadline: str | None = None  # due_soon | overdue
    date_from: datetime | None = None
    date_to: datetime | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int = 50
    now: datetime | None = field(default=None)


class InvalidQuery(ApiError):
    status = 422
    code = "invalid_query"


def encode_cursor(dossier: Dossier) -> str:
    raw = f"{dossier.sort_due.isoformat()}|{dossier.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, pk = base64.urlsafe_b64decode(padded).decode().split("|")
        when = parse_datetime(moment)
        if when is None:
            raise ValueError
        return when, int(pk)
    except (ValueError, UnicodeDecodeError):
        raise InvalidQuery(_("Con trỏ phân trang không hợp lệ.")) from None


def waiting_for(user) -> Q:
    """Dossiers whose current work is the user's: by role, agency and unit."""
    waiting = Q(pk__in=[])
    for role in StaffRole.objects.filter(user=user).only("agency_id", "unit_id", "role"):
        in_agency = Q(current_agency_id=role.agency_id)
        if role.role == Role.RECEPTION_OFFICER:
            waiting |= in_agency & Q(status=Status.SUBMITTED)
            waiting |= in_agency & Q(status=Status.RESOLVED)
            waiting |= in_agency & Q(status=Status.RECEIVED, assignee__isnull=True)
        if role.role in (Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER):
            at_step = in_agency & Q(
                status__in=(Status.RECEIVED, Status.PROCESSING), current_step__role=role.role
            )
            if role.unit_id:
                at_step &= Q(unit_id=role.unit_id) | Q(unit__isnull=True)
            if role.role == Role.SPECIALIST:
                # Specialists work on what they were given, not on the undistributed pile.
                at_step &= Q(assignee=user)
            waiting |= at_step
        if role.role == Role.UNIT_LEADER:
            # The unit leader distributes the received dossiers of the unit.
            waiting |= in_agency & Q(status=Status.RECEIVED, assignee__isnull=True)
    return waiting


_STEP_ROLES = (Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER)


def _waiting_branches(user) -> list[Q]:
    """The arms of :func:`waiting_for`'s OR, each one ordered index range on its own.

    Each arm fixes ``current_agency`` and ``status`` by equality (the specialist's also
    ``assignee``), so with ``ORDER BY sort_due, id LIMIT n`` the database walks the index
    ``(current_agency, status, sort_due, id)`` (or ``(assignee, status, sort_due, id)``) from the
    cursor and stops after n rows, however large the table. An OR of the arms cannot be walked in
    that order: the database collects every match and sorts them, which grows with the table.
    The step condition uses the ids of the steps of that role (one small query) instead of a
    join on ``current_step__role``. Identical arms (a user with two roles) are kept once.
    """
    roles = list(StaffRole.objects.filter(user=user).only("agency_id", "unit_id", "role"))
    steps: dict[str, list[int]] = {}
    wanted = {role.role for role in roles if role.role in _STEP_ROLES}
    if wanted:
        for pk, role in ProcessStep.objects.filter(role__in=wanted).values_list("pk", "role"):
            steps.setdefault(role, []).append(pk)
    branches: dict[tuple, Q] = {}

    def arm(unit_id=None, **equal) -> None:
        key = (tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in equal.items())),
               unit_id)  # fmt: skip
        if key not in branches:
            cond = Q(**equal)
            if unit_id:
                cond &= Q(unit_id=unit_id) | Q(unit__isnull=True)
            branches[key] = cond

    for role in roles:
        agency = role.agency_id
        if role.role == Role.RECEPTION_OFFICER:
            arm(current_agency_id=agency, status=Status.SUBMITTED)
            arm(current_agency_id=agency, status=Status.RESOLVED)
            arm(current_agency_id=agency, status=Status.RECEIVED, assignee__isnull=True)
        if role.role in _STEP_ROLES and steps.get(role.role):
            for status in (Status.RECEIVED, Status.PROCESSING):
                equal = {"current_agency_id": agency, "status": status}
                if role.role == Role.SPECIALIST:
                    # Specialists work on what they were given, not on the undistributed pile.
                    equal["assignee_id"] = user.pk
                arm(role.unit_id, current_step_id__in=sorted(steps[role.role]), **equal)
        if role.role == Role.UNIT_LEADER:
            # The unit leader distributes the received dossiers of the unit.
            arm(current_agency_id=agency, status=Status.RECEIVED, assignee__isnull=True)
    return list(branches.values())


def _filtered(qs: QuerySet[Dossier], flt: QueueFilter, now: datetime) -> QuerySet[Dossier]:
    if flt.procedure:
        qs = qs.filter(procedure__code=flt.procedure)
    if flt.status:
        if flt.status not in Status.values:
            raise InvalidQuery(_("Trạng thái không hợp lệ."))
        qs = qs.filter(status=flt.status)
    if flt.deadline == "overdue":
        qs = qs.filter(status__in=ACTIVE_STATUSES, due_at__lte=now)
    elif flt.deadline == "due_soon":
        qs = qs.filter(
            status__in=ACTIVE_STATUSES,
            due_at__gt=now,
            due_at__lte=deadlines.due_soon_threshold(now),
        )
    elif flt.deadline:
        raise InvalidQuery(_("Bộ lọc hạn xử lý không hợp lệ (due_soon hoặc overdue)."))
    if flt.date_from:
        qs = qs.filter(submitted_at__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(submitted_at__lt=flt.date_to)
    if flt.q:
        needle = fold(flt.q)
        if needle:
            qs = qs.filter(search_key__contains=needle)
    if flt.cursor:
        moment, pk = _decode_cursor(flt.cursor)
        qs = qs.filter(Q(sort_due__gt=moment) | Q(sort_due=moment, pk__gt=pk))
    return qs.filter(sort_due__isnull=False)


_PAGE_RELATED = ("procedure", "agency", "current_step", "assignee")


def queue_for(user, flt: QueueFilter) -> tuple[list[Dossier], str | None]:
    """One page of the inbox and the cursor of the next page (None at the end).

    Ordered by ``(sort_due, id)`` — keyset paging: each page is an index range scan from the
    cursor, so page 1,000 costs what page 1 costs (no OFFSET).

    ``scope="mine"`` is an OR of conditions (:func:`waiting_for`); it runs as:

    1. one ordered, LIMITed query of ``(sort_due, id)`` per arm (:func:`_waiting_branches`),
       each with the cursor and every filter;
    2. a merge of the arms in Python on ``(sort_due, id)``, dropping a dossier two arms share,
       keeping the first ``limit + 1``;
    3. one query for the page's rows with their related objects.

    Same rows, order and cursors as the single OR query, at a fixed number of queries.
    """
    if user.kind != "staff":
        return [], None
    now = flt.now or deadlines_now()
    limit = max(1, min(int(flt.limit or 50), 200))
    if flt.scope == "agency":
        agencies = [
            a.pk for a in permissions.agencies_where(user, permissions.VIEW_AGENCY_DOSSIERS)
        ]
        qs = Dossier.objects.filter(current_agency__in=agencies).exclude(status=Status.DRAFT)
        rows = list(
            _filtered(qs, flt, now)
            .select_related(*_PAGE_RELATED)
            .order_by("sort_due", "pk")[: limit + 1]
        )
    elif flt.scope == "mine":
        rows = _merged_page(user, flt, now, limit)
    else:
        raise InvalidQuery(_("Phạm vi không hợp lệ (mine hoặc agency)."))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1]) if more and rows else None)


def _merged_page(user, flt: QueueFilter, now: datetime, limit: int) -> list[Dossier]:
    _filtered(Dossier.objects.none(), flt, now)  # bad filters fail even with no arms
    arms = [
        list(
            _filtered(Dossier.objects.filter(branch), flt, now)
            .order_by("sort_due", "pk")
            .values_list("sort_due", "pk")[: limit + 1]
        )
        for branch in _waiting_branches(user)
    ]
    ids: list[int] = []
    for _due, pk in heapq.merge(*arms):
        if ids and ids[-1] == pk:
            continue  # the same dossier from two arms: equal keys arrive next to each other
        ids.append(pk)
        if len(ids) > limit:
            break
    if not ids:
        return []
    return list(
        Dossier.objects.filter(pk__in=ids).select_related(*_PAGE_RELATED).order_by("sort_due", "pk")
    )


def deadlines_now() -> datetime:
    from egov.dossiers.actions import now

    return now()


def my_dossiers(user) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(applicant=user)
        .select_related("procedure", "agency", "current_step")
        .order_by("-created_at", "-pk")
    )


# --- public tracking ----------------------------------------------------------------------------


class TrackingThrottled(ApiError):
    status = 429
    code = "too_many_attempts"


@dataclass
class Tracking:
    code: str
    status: str
    status_label: str
    national_status: int
    procedure_name: str
    agency_name: str
    due_at: datetime | None
    deadline_state: str | None


def _fail_key(ip: str | None) -> str:
    return f"egov:dossiers:track-fail:{ip or '-'}"


def track(code: str, phone_last4: str, ip: str | None) -> Tracking:
    """The status of the dossier ``code`` when ``phone_last4`` matches the applicant's phone.

    No personal data comes back. Wrong guesses count per IP address
    (``EGOV_TRACK_MAX_FAILURES``, 10 in ``EGOV_TRACK_WINDOW_SECONDS``, 15 minutes); beyond that
    the address is refused until the window passes, and each failure is logged.
    """
    limit, window = settings.EGOV_TRACK_MAX_FAILURES, settings.EGOV_TRACK_WINDOW_SECONDS
    key = _fail_key(ip)
    # Counted in the shared cache, so every server process sees the same count.
    counter = caches["shared"]
    if counter.get(key, 0) >= limit:
        security_log.warning("tracking refused (throttled) ip=%s", ip or "-")
        raise TrackingThrottled(
            _("Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau ít phút.")
        )
    code = (code or "").strip().upper()
    digits = "".join(ch for ch in (phone_last4 or "") if ch.isdigit())
    dossier = (
        Dossier.objects.select_related("procedure", "agency").filter(code=code).first()
        if code
        else None
    )
    expected = (dossier.applicant_phone or "")[-4:] if dossier else ""
    if dossier is None or len(digits) != 4 or not hmac.compare_digest(expected, digits):
        if counter.add(key, 1, window) is False:
            try:
                counter.incr(key)
            except ValueError:
                counter.set(key, 1, window)
        security_log.warning("tracking failed code=%s ip=%s", code[:48] or "-", ip or "-")
        raise DossierNotFound(_("Không tìm thấy hồ sơ với mã và số điện thoại đã nhập."))
    state = deadlines.deadline_state(dossier, deadlines_now())
    return Tracking(
        code=dossier.code,
        status=dossier.status,
        status_label=dossier.get_status_display(),
        national_status=dossier.national_status(),
        procedure_name=dossier.procedure.name,
        agency_name=dossier.agency.name,
        due_at=dossier.due_at,
        deadline_state=state.value if state else None,
    )
