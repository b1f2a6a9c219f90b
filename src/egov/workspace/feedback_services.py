"""The officials' feedback pages: what they need that ``egov.feedback`` does not answer itself.

Everything here reads. :func:`allowed_actions` only decides which forms to *show*; the
``egov.feedback.services`` functions re-check the actor and the state when a form is sent.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.agencies import permissions
from egov.agencies.models import Agency, StaffRole
from egov.dossiers.deadlines import due_soon_threshold
from egov.feedback import access, services
from egov.feedback.models import OPEN_STATUSES, Item
from egov.identity.models import User

S = Item.Status

# The order in which action forms appear on the item page (the usual next step first), with
# their button labels.
ACTION_LABELS: dict[str, str] = {
    "accept": _("Tiếp nhận"),
    "assign": _("Phân công xử lý"),
    "submit_for_approval": _("Trình lãnh đạo duyệt"),
    "approve": _("Duyệt và gửi trả lời"),
    "send_back": _("Trả lại để sửa"),
    "answer": _("Trả lời trực tiếp"),
    "save_draft": _("Lưu dự thảo trả lời"),
    "forward": _("Chuyển cơ quan có thẩm quyền"),
    "reject": pgettext_lazy("feedback action", "Từ chối"),  # not the status "Rejected"
    "merge": _("Gộp vào phản ánh khác"),
    "hide": _("Ẩn khỏi trang công khai"),
    "unhide": _("Hiện lại trên trang công khai"),
    "edit_public": _("Sửa bản công khai"),
}

# How each history row's action reads in the table.
EVENT_LABELS: dict[str, str] = {
    **ACTION_LABELS,
    "submit": _("Gửi phản ánh"),
    "forward_late": _("Chuyển cơ quan có thẩm quyền (quá hạn chuyển)"),
    "answered_by_merge": _("Trả lời theo phản ánh đã gộp"),
    "merge": _("Gộp vào phản ánh khác"),
    "merged_in": _("Nhận gộp phản ánh trùng"),
    "rate": _("Người gửi đánh giá"),
    "reopen": _("Người gửi yêu cầu xem xét lại"),
    "hide": _("Ẩn nội dung"),
    "unhide": _("Hiện lại nội dung"),
    "edit_public": _("Sửa bản công khai"),
}

TAB_LABELS: dict[str, str] = {
    "receive": _("Chờ tiếp nhận"),
    "assign": _("Chờ phân công"),
    "mine": _("Tôi đang xử lý"),
    "approve": _("Chờ duyệt"),
    "due_soon": _("Sắp đến hạn"),
    "overdue": _("Quá hạn"),
    "all": _("Tất cả"),
}
COUNT_CAP = 999  # counts stop here (shown as "999+") so a tab never counts millions of rows


def _where(user, capability: str) -> bool:
    return permissions.agencies_where(user, capability).exists()


def tabs_for(user) -> list[str]:
    """The tabs of the caller's roles: each one's own work first, then the agency's deadlines."""
    tabs = []
    receives = _where(user, permissions.RECEIVE_FEEDBACK)
    approves = _where(user, permissions.APPROVE_FEEDBACK)
    if receives:
        tabs.append("receive")
    if receives or approves:
        tabs.append("assign")
    if _where(user, permissions.HANDLE_FEEDBACK):
        tabs.append("mine")
    if approves:
        tabs.append("approve")
    if access.agencies_seeing(user):
        tabs += ["due_soon", "overdue", "all"]
    return tabs


def queue_args(tab: str) -> dict:
    """``access.queue_for`` arguments of a tab: the deadline tabs are "all" with a deadline."""
    if tab in ("due_soon", "overdue"):
        return {"tab": "all", "deadline": tab}
    return {"tab": tab}


def tab_counts(user, tabs: list[str], now: datetime) -> dict[str, str]:
    counts = {}
    for tab in tabs:
        args = queue_args(tab)
        items = Item.objects.filter(access.tab_filter(user, args["tab"]))
        if args.get("deadline") == "overdue":
            items = items.filter(status__in=OPEN_STATUSES, due_at__lte=now)
        elif args.get("deadline") == "due_soon":
            items = items.filter(status__in=OPEN_STATUSES, due_at__lte=due_soon_threshold(now))
        found = items.values("pk")[: COUNT_CAP + 1].count()
        counts[tab] = f"{COUNT_CAP}+" if found > COUNT_CAP else str(found)
    return counts


def allowed_actions(user, item: Item) -> list[str]:
    """The actions ``user`` may take on ``item`` now, in display order (mirrors the checks of
    ``egov.feedback.services``)."""
    if user.kind != User.Kind.STAFF:
        return []

    def can(*caps: str) -> bool:
        return services.has_capability(user, item, *caps)

    status, found = item.status, set()
    receives, approves = can(permissions.RECEIVE_FEEDBACK), can(permissions.APPROVE_FEEDBACK)
    if status in (S.SUBMITTED, S.FORWARDED) and receives:
        found.add("accept")
    if status in (S.SUBMITTED, S.FORWARDED, S.ACCEPTED) and receives:
        found |= {"forward", "reject"}
    if status in (S.ACCEPTED, S.IN_PROGRESS) and (receives or approves):
        found.add("assign")
    drafts = item.assignee_id == user.pk and can(
        permissions.HANDLE_FEEDBACK, permissions.APPROVE_FEEDBACK
    )
    if status == S.IN_PROGRESS and drafts:
        found |= {"save_draft", "submit_for_approval"}
    if status == S.AWAITING_APPROVAL and approves:
        found |= {"save_draft", "approve", "send_back"}
    if status in (S.ACCEPTED, S.IN_PROGRESS) and approves:
        found.add("answer")
    if status in OPEN_STATUSES and receives:
        found.add("merge")
    if moderates(user, item):
        found |= {"unhide" if item.hidden else "hide", "edit_public"}
    return [name for name in ACTION_LABELS if name in found]


def moderates(user, item: Item) -> bool:
    """Only the agency holding the item now moderates it (as ``services`` checks)."""
    return permissions.can(user, permissions.MODERATE_FEEDBACK, item.current_agency)


def handlers_for(item: Item) -> list[User]:
    """Whom an item may be given to: the active drafting staff of the agency holding it."""
    roles = StaffRole.objects.filter(
        agency_id=item.current_agency_id,
        role__in=permissions.roles_with(permissions.HANDLE_FEEDBACK),
        user__is_active=True,
    ).select_related("user")
    users = {r.user_id: r.user for r in roles}
    return sorted(users.values(), key=lambda u: u.full_name or u.username)


def forwarding_agencies(item: Item) -> QuerySet[Agency]:
    return (
        Agency.objects.filter(services.agencies_for_forwarding())
        .exclude(pk=item.current_agency_id)
        .order_by("name")
        .only("pk", "name")
    )


def attribute_rows(item: Item) -> list[dict[str, str]]:
    """The category's extra answers with their descriptions, list keys shown by their names."""
    rows = []
    for definition in item.category.attributes or []:
        value = (item.attributes or {}).get(definition["code"])
        if value in (None, "", []):
            continue
        names = {str(v.get("key")): v.get("name") for v in definition.get("values") or []}
        values = value if isinstance(value, list) else [value]
        shown = ", ".join(str(names.get(str(v), v)) for v in values)
        rows.append({"label": definition.get("description") or definition["code"], "value": shown})
    return rows
