"""Reading feedback: the one permission-checked fetch, the officials' inbox, the public answers
and tracking by code.

Who sees an item (decision, as for dossiers):

* its author (signed in), and whoever gives its code with the phone or e-mail it was sent with;
* staff holding a feedback capability (receive, handle, approve, moderate, view) in the agency
  that holds it now (``current_agency``) or the one that received it (``receiving_agency``, so
  a forwarding agency can still answer the citizen's call about it);
* nobody else: for them the item does not exist (404, never 403). Platform administrators and
  agency administrators see none. The public sees only published answers, masked.
"""

from __future__ import annotations

import base64
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from egov.agencies import permissions
from egov.agencies.models import StaffRole
from egov.core.api_errors import ApiError, NotFound
from egov.feedback import search
from egov.feedback.models import OPEN_STATUSES, Category, Item, SearchToken
from egov.feedback.services import is_author
from egov.places.models import AdminUnit

FEEDBACK_CAPABILITIES = frozenset(
    {
        permissions.RECEIVE_FEEDBACK,
        permissions.HANDLE_FEEDBACK,
        permissions.APPROVE_FEEDBACK,
        permissions.MODERATE_FEEDBACK,
        permissions.VIEW_AGENCY_FEEDBACK,
    }
)
_ROLES_WITH_FEEDBACK = tuple(
    role for role, caps in permissions.ROLE_CAPABILITIES.items() if caps & FEEDBACK_CAPABILITIES
)
PER_PAGE = 20
security_log = logging.getLogger("egov.security")


class ItemNotFound(NotFound):
    code = "feedback_not_found"


class InvalidQuery(ApiError):
    status = 422
    code = "invalid_query"


def _is_staff(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.kind == "staff"
    )


def agencies_seeing(user) -> list[int]:
    if not _is_staff(user):
        return []
    return list(
        StaffRole.objects.filter(user=user, role__in=_ROLES_WITH_FEEDBACK)
        .values_list("agency_id", flat=True)
        .distinct()
    )


def visible_items(user) -> QuerySet[Item]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Item.objects.none()
    if user.kind != "staff":
        return Item.objects.filter(author=user)
    agencies = agencies_seeing(user)
    return Item.objects.filter(Q(current_agency__in=agencies) | Q(receiving_agency__in=agencies))


def with_related(queryset: QuerySet[Item]) -> QuerySet[Item]:
    return queryset.select_related(
        "category", "current_agency", "receiving_agency", "commune", "assignee", "unit"
    )


def get_item_for(user, item_id) -> Item:
    """The item with public id (UUID) or code ``item_id`` if ``user`` may see it, else 404."""
    found = None
    items = with_related(visible_items(user))
    try:
        public_id = item_id if isinstance(item_id, uuid.UUID) else uuid.UUID(str(item_id))
        found = items.filter(public_id=public_id).first()
    except (ValueError, TypeError, AttributeError):
        if isinstance(item_id, str) and 0 < len(item_id) <= 24:
            found = items.filter(code=item_id.strip().upper()).first()
    if found is None:
        raise ItemNotFound(_("Không tìm thấy phản ánh."))
    return found


class TrackingThrottled(ApiError):
    status = 429
    code = "too_many_attempts"


def track(code: str, contact: str, ip: str | None = None) -> Item:
    """Anyone holding the code and the phone number or e-mail it was sent with sees the item
    (an anonymous author follows it this way).

    Wrong guesses count per IP address in the shared cache, with the dossiers' tracking limits
    (``EGOV_TRACK_MAX_FAILURES`` in ``EGOV_TRACK_WINDOW_SECONDS``); beyond them the address is
    refused until the window passes.
    """
    limit, window = settings.EGOV_TRACK_MAX_FAILURES, settings.EGOV_TRACK_WINDOW_SECONDS
    key = f"egov:feedback:track-fail:{ip or '-'}"
    counter = caches["shared"]
    if counter.get(key, 0) >= limit:
        security_log.warning("feedback tracking refused (throttled) ip=%s", ip or "-")
        raise TrackingThrottled(
            _("Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau ít phút.")
        )
    item = with_related(Item.objects.filter(code=(code or "").strip().upper()[:24])).first()
    if item is None or not is_author(contact or "", item):
        if counter.add(key, 1, window) is False:
            try:
                counter.incr(key)
            except ValueError:
                counter.set(key, 1, window)
        security_log.warning("feedback tracking failed ip=%s", ip or "-")
        raise ItemNotFound(_("Không tìm thấy phản ánh với mã và thông tin liên hệ này."))
    return item


# --- the inbox ----------------------------------------------------------------------------------

TABS = ("receive", "assign", "mine", "approve", "all")


@dataclass
class QueuePage:
    items: list[Item]
    next_cursor: str | None


def encode_cursor(item: Item) -> str:
    raw = f"{item.sort_due.isoformat()}|{item.pk}"
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


def _where(user, capability: str) -> list[int]:
    return list(permissions.agencies_where(user, capability).values_list("pk", flat=True))


def _approvals(user) -> Q:
    """Items awaiting approval that this leader approves: agency-wide roles see all of their
    agency's, unit leaders those of their unit."""
    roles = StaffRole.objects.filter(
        user=user, role__in=permissions.roles_with(permissions.APPROVE_FEEDBACK)
    )
    scope = Q(pk__in=[])
    for role in roles:
        if role.unit_id is None:
            scope |= Q(current_agency_id=role.agency_id)
        else:
            scope |= Q(current_agency_id=role.agency_id, unit_id=role.unit_id)
    return scope & Q(status=Item.Status.AWAITING_APPROVAL)


def tab_filter(user, tab: str) -> Q:
    if tab == "receive":
        agencies = _where(user, permissions.RECEIVE_FEEDBACK)
        return Q(
            current_agency__in=agencies,
            status__in=(Item.Status.SUBMITTED, Item.Status.FORWARDED),
        )
    if tab == "assign":
        agencies = _where(user, permissions.RECEIVE_FEEDBACK) + _where(
            user, permissions.APPROVE_FEEDBACK
        )
        return Q(current_agency__in=agencies, status=Item.Status.ACCEPTED)
    if tab == "mine":
        return Q(assignee=user, status=Item.Status.IN_PROGRESS)
    if tab == "approve":
        return _approvals(user)
    if tab == "all":
        agencies = agencies_seeing(user)
        return Q(current_agency__in=agencies) | Q(receiving_agency__in=agencies)
    raise InvalidQuery(_("Thẻ hộp thư không hợp lệ."))


def queue_for(
    user,
    tab: str = "receive",
    *,
    status: str | None = None,
    category: str | None = None,
    deadline: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
    now: datetime | None = None,
) -> QueuePage:
    """One inbox tab, in due order (the most urgent first), ``limit`` items after ``cursor``.

    Tabs: ``receive`` (new and forwarded items to accept, forward or reject), ``assign``
    (accepted, to give to a specialist), ``mine`` (given to me, to draft), ``approve`` (drafts
    for me to approve), ``all`` (everything my agencies hold or received, any status).
    ``deadline``: ``due_soon`` (at most one working day left, overdue included) or
    ``overdue``, both only among open items.
    """
    from egov.dossiers.deadlines import due_soon_threshold

    if not _is_staff(user):
        return QueuePage([], None)
    now = now or timezone.now()
    items = Item.objects.filter(tab_filter(user, tab))
    if status:
        if status not in Item.Status.values:
            raise InvalidQuery(_("Trạng thái không hợp lệ."))
        items = items.filter(status=status)
    if category:
        items = items.filter(category__code=category)
    if deadline == "overdue":
        items = items.filter(status__in=OPEN_STATUSES, due_at__lte=now)
    elif deadline == "due_soon":
        items = items.filter(status__in=OPEN_STATUSES, due_at__lte=due_soon_threshold(now))
    elif deadline:
        raise InvalidQuery(_("Bộ lọc thời hạn không hợp lệ."))
    if q:
        text = q.strip()[:100]
        items = items.filter(
            Q(code__iexact=text) | Q(title__icontains=text) | Q(contact_phone=text)
        )
    if cursor:
        moment, pk = _decode_cursor(cursor)
        items = items.filter(Q(sort_due__gt=moment) | Q(sort_due=moment, pk__gt=pk))
    limit = max(1, min(int(limit), 200))
    page = list(with_related(items).order_by("sort_due", "pk")[: limit + 1])
    next_cursor = encode_cursor(page[limit - 1]) if len(page) > limit else None
    return QueuePage(page[:limit], next_cursor)


# --- the public answers -------------------------------------------------------------------------


def _ids(queryset: QuerySet) -> list[int]:
    return list(queryset.order_by().values_list("pk", flat=True))


@dataclass
class AnswersPage:
    items: list[Item]
    page: int
    has_next: bool


def public_answers(
    query: str = "",
    page: int = 1,
    *,
    category: str | None = None,
    commune: str | None = None,
    per_page: int = PER_PAGE,
) -> AnswersPage:
    """Published answers, newest first, ``per_page`` at a time; ``query`` matches whole words
    with or without diacritics (every word must occur); ``category``/``commune`` are codes.

    Without words the page is a range read of a partial index on ``published_at``; with words,
    a range read of the first (longest) word's :class:`SearchToken` rows, filtered on the
    category and commune the rows copy (no join to the items), the other words checked by
    ``EXISTS`` (see :mod:`egov.feedback.search`). Only public fields should be shown.
    """
    page = max(1, int(page))
    offset = (page - 1) * per_page
    words = search.query_words(query or "")
    if not words:
        items = Item.objects.filter(published_at__isnull=False)
        if category:
            items = items.filter(category__code=category)
        if commune:
            items = items.filter(commune__code=commune)
        rows = list(
            items.select_related("category", "commune", "current_agency").order_by(
                "-published_at", "-pk"
            )[offset : offset + per_page + 1]
        )
        return AnswersPage(rows[:per_page], page, len(rows) > per_page)
    tokens = SearchToken.objects.filter(token=words[0])
    for word in words[1:]:
        tokens = tokens.filter(
            Exists(SearchToken.objects.filter(item_id=OuterRef("item_id"), token=word))
        )
    # The codes become ids first: compared with constants, the word rows' own columns lead
    # the (token, category | commune, published_at DESC, item) index in page order.
    if category:
        tokens = tokens.filter(category_id__in=_ids(Category.objects.filter(code=category)))
    if commune:
        tokens = tokens.filter(commune_id__in=_ids(AdminUnit.objects.filter(code=commune)))
    ids = list(
        tokens.order_by("-published_at", "-item_id").values_list("item_id", flat=True)[
            offset : offset + per_page + 1
        ]
    )
    found = Item.objects.select_related("category", "commune", "current_agency").in_bulk(
        ids[:per_page]
    )
    return AnswersPage([found[i] for i in ids[:per_page] if i in found], page, len(ids) > per_page)
