"""The officials' feedback pages under ``/can-bo/phan-anh/``: the inbox, one item, its actions.

Thin over :mod:`egov.feedback`: ``access.get_item_for`` is the only road to an item (an item of
another agency is a 404), every change is one call to a ``services`` function, then a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.agencies.models import Agency
from egov.core.api_errors import ApiError
from egov.feedback import access, services
from egov.feedback.models import OPEN_STATUSES, Category, Item
from egov.identity.models import User
from egov.portal.feedback_views import photo_response
from egov.workspace import feedback_forms as forms
from egov.workspace import feedback_services as ui
from egov.workspace.services import DEADLINE_LABELS
from egov.workspace.views import MAX_BACK, PAGE_SIZE, staff_required


def _item_or_404(user, code: str) -> Item:
    try:
        return access.get_item_for(user, code)
    except access.ItemNotFound as exc:
        raise Http404(exc.message) from None


# --- the inbox ----------------------------------------------------------------------------------


def _paging_urls(base: dict, cursor, back: list[str], next_cursor) -> tuple[str | None, ...]:
    """Keyset paging has no page numbers: the link carries the previous pages' cursors."""
    next_url = prev_url = None
    if next_cursor:
        trail = [*back, cursor or "-"][-MAX_BACK:]
        next_url = "?" + urlencode({**base, "cursor": next_cursor, "back": ".".join(trail)})
    if cursor:
        previous = back[-1] if back else "-"
        params = {**base, "back": ".".join(back[:-1])}
        if previous != "-":
            params["cursor"] = previous
        prev_url = "?" + urlencode({k: v for k, v in params.items() if v})
    return next_url, prev_url


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = services.now()
    tabs = ui.tabs_for(user)
    if not tabs:
        raise Http404(_("Bạn không có vai trò xử lý phản ánh."))
    tab = request.GET.get("tab", tabs[0])
    if tab not in tabs:
        tab = tabs[0]
    form = forms.InboxFilterForm(
        request.GET if set(request.GET) - {"tab", "cursor", "back"} else None,
        categories=Category.objects.filter(active=True).only("code", "name"),
    )
    cursor = request.GET.get("cursor") or None
    back = [c for c in request.GET.get("back", "").split(".") if c][-MAX_BACK:]
    problem = ""
    try:
        found = access.queue_for(
            user, **ui.queue_args(tab), **form.filters(), cursor=cursor, limit=PAGE_SIZE, now=now
        )
    except access.InvalidQuery as exc:  # a mangled cursor: start again from the first page
        problem, cursor, back = exc.message, None, []
        found = access.QueuePage([], None)
    base = {k: v for k, v in request.GET.items() if k not in ("cursor", "back")}
    next_url, prev_url = _paging_urls(base, cursor, back, found.next_cursor)
    context = {
        "tabs": [
            {
                "name": name,
                "label": ui.TAB_LABELS[name],
                "count": count,
                "url": "?" + urlencode({"tab": name}),
            }
            for name, count in ui.tab_counts(user, tabs, now).items()
        ],
        "tab": tab,
        "tab_label": ui.TAB_LABELS[tab],
        "form": form,
        "rows": [
            {"item": i, "due": i.due_at, "state": services.deadline_state(i, now)}
            for i in found.items
        ],
        "next_url": next_url,
        "prev_url": prev_url,
        "problem": problem,
        "deadline_labels": DEADLINE_LABELS,
    }
    return render(request, "workspace/feedback/inbox.html", context)


# --- one item -----------------------------------------------------------------------------------


def _action_form(name: str, item: Item, data=None):
    form_class = forms.ACTION_FORMS[name]
    kwargs: dict = {"prefix": name}
    if name == "assign":
        kwargs["specialists"] = ui.handlers_for(item)
    if name == "forward":
        kwargs["agencies"] = ui.forwarding_agencies(item)
    if name == "edit_public":
        kwargs["has_answer"] = bool(item.answer)
    if data is None:
        kwargs["initial"] = {"version": item.version}
        if name in ("save_draft", "submit_for_approval", "answer"):
            kwargs["initial"]["text"] = item.draft
        if name == "edit_public":
            kwargs["initial"].update(
                title=item.public_title, text=item.public_text, answer=item.public_answer
            )
        return form_class(**kwargs)
    return form_class(data, **kwargs)


def _event_note(event) -> str:
    """The history's note as people read it: the domain stores codes for some actions."""
    if event.action == "submit":
        return ""  # the channel, already shown above
    if event.action == "rate" and event.note in Item.Rating.values:
        return str(Item.Rating(event.note).label)
    if event.action == "reject":
        code, _sep, rest = event.note.partition(": ")
        if code in Item.RejectReason.values:
            return f"{Item.RejectReason(code).label}: {rest}"
    return event.note


def _render_item(request, item: Item, *, failed=None, failed_form=None, error="", status=200):
    user = request.user
    action_forms = []
    for name in ui.allowed_actions(user, item):
        if name == failed and failed_form is not None:
            form = failed_form
            # Keep what was typed, but act on the item as it is now.
            form.data = form.data.copy()
            form.data[f"{name}-version"] = str(item.version)
        else:
            form = _action_form(name, item)
        action_forms.append(
            {
                "name": name,
                "label": ui.ACTION_LABELS[name],
                "form": form,
                "open": name == failed,
                "url": reverse("workspace:feedback_action", args=[item.code, name]),
            }
        )
    duplicates = []
    if item.status in OPEN_STATUSES:
        nearby = [d.pk for d in services.likely_duplicates(item)]
        visible = access.visible_items(user).filter(pk__in=nearby).in_bulk()
        duplicates = [visible[pk] for pk in nearby if pk in visible]
    state = services.deadline_state(item, services.now())
    events = item.events.select_related("actor", "agency").order_by("at", "pk")
    context = {
        "item": item,
        "state": state,
        "deadline_labels": DEADLINE_LABELS,
        "attributes": ui.attribute_rows(item),
        "photos": [
            {
                "url": reverse("workspace:feedback_photo", args=[item.code, p.public_id]),
                "name": p.original_name,
            }
            for p in item.photos.all()
        ],
        "duplicates": duplicates,
        "can_merge": "merge" in ui.allowed_actions(user, item),
        "events": [
            {
                "event": e,
                "label": ui.EVENT_LABELS.get(e.action, e.action),
                "note": _event_note(e),
            }
            for e in events
        ],
        "action_forms": action_forms,
        "failed": failed,
        "error": error,
    }
    return render(request, "workspace/feedback/item.html", context, status=status)


@staff_required
def item_page(request: HttpRequest, code: str) -> HttpResponse:
    return _render_item(request, _item_or_404(request.user, code))


@staff_required
def photo(request: HttpRequest, code: str, photo_id) -> FileResponse:
    return photo_response(_item_or_404(request.user, code), photo_id)


def _chosen(model, pk: str, message: str):
    found = model.objects.filter(pk=int(pk)).first() if (pk or "").isdigit() else None
    if found is None:
        raise services.InvalidInput(message)
    return found


def _perform(name: str, user, item: Item, form) -> None:
    """Call the one domain function of ``name`` with the form's values."""
    data = form.cleaned_data
    version = data["version"]
    if name == "accept":
        services.accept(user, item, data["note"], version)
    elif name == "forward":
        agency = _chosen(Agency, data["agency"], _("Không tìm thấy cơ quan."))
        services.forward(user, item, agency, data["note"], version)
    elif name == "reject":
        services.reject(user, item, data["reason"], data["note"], version)
    elif name == "assign":
        assignee = _chosen(User, data["assignee"], _("Không tìm thấy cán bộ được giao."))
        services.assign(user, item, assignee, data["note"], version)
    elif name == "save_draft":
        services.save_draft(user, item, data["text"], version)
    elif name == "submit_for_approval":
        services.submit_for_approval(user, item, data["text"], version)
    elif name == "approve":
        services.approve(user, item, data["note"], version)
    elif name == "send_back":
        services.send_back(user, item, data["note"], version)
    elif name == "answer":
        services.answer(user, item, data["text"], version)
    elif name == "merge":
        into = _item_or_404(user, data["into"])
        services.merge(user, item, into)
    elif name == "hide":
        services.hide(user, item, data["reason"])
    elif name == "unhide":
        services.unhide(user, item, data["note"])
    elif name == "edit_public":
        services.edit_public(
            user,
            item,
            title=data["title"],
            text=data["text"],
            answer=data.get("answer", ""),
            reason=data["note"],
            expected_version=version,
        )


# Which field of the failed form shows a domain error, by the error's code.
ERROR_FIELDS = {
    "note_required": ("note", "reason"),
    "invalid_agency": ("agency",),
    "invalid_reason": ("reason",),
    "invalid_assignee": ("assignee",),
    "required": ("text",),
    "too_long": ("text",),
    "invalid_merge": ("into",),
}

DONE_MESSAGES = {
    "accept": _("Đã tiếp nhận phản ánh."),
    "forward": _("Đã chuyển phản ánh đến cơ quan có thẩm quyền."),
    "reject": _("Đã từ chối phản ánh và báo cho người gửi."),
    "submit_for_approval": _("Đã trình lãnh đạo duyệt."),
    "approve": _("Đã duyệt; câu trả lời đã gửi đến người gửi."),
    "answer": _("Đã gửi câu trả lời đến người gửi."),
    "merge": _("Đã gộp phản ánh; người gửi sẽ nhận câu trả lời của phản ánh được gộp vào."),
    "hide": _("Đã ẩn phản ánh khỏi trang công khai."),
    "unhide": _("Đã hiện lại phản ánh."),
    "edit_public": _("Đã sửa bản công khai; bản gốc vẫn lưu cho cán bộ."),
}


@require_POST
@staff_required
def action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    item = _item_or_404(request.user, code)
    if name not in forms.ACTION_FORMS:
        raise Http404(_("Thao tác không hợp lệ."))
    form = _action_form(name, item, request.POST)
    if not form.is_valid():
        return _render_item(
            request,
            item,
            failed=name,
            failed_form=form,
            error=_("Chưa thực hiện được: vui lòng kiểm tra các ô được đánh dấu."),
            status=422,
        )
    try:
        _perform(name, request.user, item, form)
    except ApiError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        fields = [f for f in ERROR_FIELDS.get(exc.code, ()) if f in form.fields]
        if fields:
            form.add_error(fields[0], exc.message)
        # Show the item as it is now, with the official's typed text still in the form.
        fresh = _item_or_404(request.user, code)
        return _render_item(
            request, fresh, failed=name, failed_form=form, error=exc.message, status=exc.status
        )
    message = DONE_MESSAGES.get(name) or _("Đã thực hiện: %(action)s.") % {
        "action": ui.ACTION_LABELS[name]
    }
    messages.success(request, message)
    return redirect("workspace:feedback_item", code=item.code)
