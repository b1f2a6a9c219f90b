"""The citizen's feedback pages under ``/phan-anh/``: send, follow, rate, reopen, public answers.

Thin over :mod:`egov.feedback`: every write is one call to ``services``, every read goes through
``access``. An item is shown to its signed-in author, or to a visitor who proved they sent it
(the code with the phone or e-mail given, via ``access.track``); that proof is kept in the
session (server-side), never in a URL, so the item page, its photos and the rate and reopen
forms work for anonymous authors too. Anyone else gets a 404, as if the code did not exist.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from egov.core.api_errors import ApiError
from egov.dossiers import files
from egov.feedback import access, services
from egov.feedback.models import Category, Item
from egov.identity.services import client_ip
from egov.portal import feedback_forms as forms

SESSION_KEY = "feedback_contacts"  # {code: the phone or e-mail that proved authorship}
SENT_KEY = "feedback_sent"  # codes sent from this session (the confirmation page)
MY_PAGE_SIZE = 20
MAX_PUBLIC_PAGE = 500  # a deeper page is a crawler, not a reader


@dataclass(frozen=True)
class KindPage:
    kind: str
    slug: str
    label: str
    action: str
    description: str


KINDS = [
    KindPage(
        Item.Kind.FEEDBACK,
        "kien-nghi",
        gettext_lazy("Phản ánh, kiến nghị"),
        gettext_lazy("Gửi phản ánh, kiến nghị"),
        gettext_lazy(
            "Về quy định, thủ tục hành chính, thái độ của cán bộ hoặc hoạt động của cơ quan nhà "
            "nước."
        ),
    ),
    KindPage(
        Item.Kind.QUESTION,
        "hoi-dap",
        gettext_lazy("Hỏi đáp"),
        gettext_lazy("Đặt câu hỏi"),
        gettext_lazy(
            "Hỏi về chính sách, pháp luật, cách làm một thủ tục; cơ quan chuyên môn trả lời."
        ),
    ),
    KindPage(
        Item.Kind.FIELD_REPORT,
        "hien-truong",
        gettext_lazy("Phản ánh hiện trường"),
        gettext_lazy("Báo sự việc tại hiện trường"),
        gettext_lazy(
            "Ổ gà, đèn đường hỏng, rác thải, ngập nước… kèm vị trí và ảnh chụp; chuyển đến "
            "Ủy ban nhân dân xã, phường nơi xảy ra."
        ),
    ),
]
BY_SLUG = {k.slug: k for k in KINDS}

# What the author reads in the timeline; the officials' internal steps (drafts, approvals,
# moderation) are not listed, and only the notes meant for the author are shown.
TIMELINE_LABELS = {
    "submit": gettext_lazy("Gửi phản ánh"),
    "accept": gettext_lazy("Cơ quan tiếp nhận"),
    "forward": gettext_lazy("Chuyển đến cơ quan có thẩm quyền"),
    "forward_late": gettext_lazy("Chuyển đến cơ quan có thẩm quyền"),
    "reject": gettext_lazy("Từ chối xử lý"),
    "assign": gettext_lazy("Đang xử lý"),
    "approve": gettext_lazy("Trả lời"),
    "answer": gettext_lazy("Trả lời"),
    "answered_by_merge": gettext_lazy("Trả lời (cùng sự việc với phản ánh khác)"),
    "merge": gettext_lazy("Gộp với phản ánh cùng sự việc"),
    "rate": gettext_lazy("Đánh giá câu trả lời"),
    "reopen": gettext_lazy("Yêu cầu xem xét lại"),
}
PUBLIC_NOTES = {"reopen"}


# --- who may see an item ------------------------------------------------------------------------


def _remember(request: HttpRequest, code: str, contact: str) -> None:
    proofs = dict(request.session.get(SESSION_KEY, {}))
    proofs[code] = contact
    request.session[SESSION_KEY] = proofs


def _author_item(request: HttpRequest, code: str) -> tuple[Item, object]:
    """The item ``code`` and who acts for its author (the user, or the proven contact), or 404."""
    code = (code or "").strip().upper()
    if request.user.is_authenticated and request.user.kind != "staff":
        try:
            return access.get_item_for(request.user, code), request.user
        except access.ItemNotFound:
            pass
    contact = request.session.get(SESSION_KEY, {}).get(code)
    if contact:
        # Proven once by ``access.track`` (throttled); re-checked here without counting.
        item = access.with_related(Item.objects.filter(code=code)).first()
        if item is not None and services.is_author(contact, item):
            return item, contact
    raise Http404(_("Không tìm thấy phản ánh."))


def _deadline_days(kind: str) -> tuple[int, int] | None:
    days = list(
        Category.objects.filter(kind=kind, active=True).values_list("deadline_days", flat=True)
    )
    return (min(days), max(days)) if days else None


# --- landing and send ---------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    kinds = []
    for k in KINDS:
        span = _deadline_days(k.kind)
        kinds.append({"page": k, "days": span})
    return render(request, "portal/feedback/home.html", {"kinds": kinds})


def _attribute_groups(categories, post, chosen: str, problems: dict[str, str]) -> list[dict]:
    """Each category's extra questions (Open311 attributes) as form fields; posted values are
    kept, the chosen category's errors shown next to its fields."""
    groups = []
    for category in categories:
        fields = []
        for definition in sorted(category.attributes or [], key=lambda a: a.get("order", 0)):
            name = f"attr-{category.code}-{definition['code']}"
            multi = definition.get("datatype") == "multivaluelist"
            values = post.getlist(name) if post is not None and multi else []
            value = post.get(name, "") if post is not None and not multi else ""
            fields.append(
                {
                    "code": definition["code"],
                    "name": name,
                    "input_id": f"id_{name}",
                    "label": definition.get("description") or definition["code"],
                    "datatype": definition.get("datatype", "string"),
                    "required": bool(definition.get("required")),
                    "values": definition.get("values") or [],
                    "value": value,
                    "chosen": values or ([value] if value else []),
                    "error": problems.get(definition["code"], "")
                    if category.code == chosen
                    else "",
                }
            )
        if fields:
            groups.append({"code": category.code, "name": category.name, "fields": fields})
    return groups


def _posted_attributes(category: Category, post) -> dict:
    found = {}
    for definition in category.attributes or []:
        name = f"attr-{category.code}-{definition['code']}"
        if definition.get("datatype") == "multivaluelist":
            found[definition["code"]] = post.getlist(name)
        else:
            found[definition["code"]] = post.get(name, "").strip()
    return found


# Which form field shows a domain error, by the error's code.
ERROR_FIELDS = {
    "invalid_commune": "commune",
    "commune_required": "commune",
    "no_agency": "commune",
    "invalid_location": "latitude",
    "location_required": "latitude",
    "location_outside_province": "latitude",
    "invalid_phone": "contact_phone",
    "invalid_email": "contact_email",
    "contact_required": "contact_phone",
    "invalid_category": "category",
    "too_many_photos": "photos",
    "file_refused": "photos",
}


@require_http_methods(["GET", "POST"])
def send(request: HttpRequest, slug: str) -> HttpResponse:
    """The send form of one kind. A refused submission comes back with everything typed
    (photos excepted: browsers never refill a file input) and the reason next to the field.

    The hidden ``token`` is the submission's idempotency key: a double click or a resent form
    lands on the confirmation of the item the first one filed."""
    page = BY_SLUG.get(slug)
    if page is None:
        raise Http404(_("Không có loại phản ánh này."))
    if request.user.is_authenticated and request.user.kind == "staff":
        return render(request, "portal/feedback/staff_refused.html", status=403)
    categories = list(Category.objects.filter(kind=page.kind, active=True))
    anonymous = not request.user.is_authenticated
    post = request.POST if request.method == "POST" else None
    form = forms.SendForm(
        post, request.FILES or None, kind=page.kind, categories=categories, anonymous=anonymous
    )
    problems: dict[str, str] = {}
    error, status = "", 200
    if post is not None:
        if form.is_valid():
            item, error, problems = _submit(request, page, form, categories)
            if item is not None:
                return redirect("portal:feedback_sent", code=item.code)
        if not problems:  # the attributes' errors come with every other error, in one round
            attribute_error, problems = _attribute_problems(categories, post)
            error = error or attribute_error
        status = 422
    context = {
        "page": page,
        "form": form,
        "attribute_groups": _attribute_groups(
            categories, post, form.data.get("category", "") if post else "", problems
        ),
        "error": error,
        "next_path": request.get_full_path(),
        "summary_title": _("Chưa gửi được, vui lòng kiểm tra:"),
        # A fresh key each time the form is shown; a resend of this one finds its item.
        "token": secrets.token_urlsafe(16),
    }
    return render(request, "portal/feedback/send.html", context, status=status)


def _attribute_problems(categories, post) -> tuple[str, dict[str, str]]:
    """The chosen category's attribute errors, by the domain's own check (``submit`` still
    decides): ``(message, {code: problem})``, empty when they are fine or no category is chosen."""
    category = next((c for c in categories if c.code == post.get("category", "")), None)
    if category is None:
        return "", {}
    try:
        services.clean_attributes(category, _posted_attributes(category, post))
    except ApiError as exc:
        return exc.message, _attribute_details(exc)
    return "", {}


def _attribute_details(exc: ApiError) -> dict[str, str]:
    return {d["field"]: d["message"] for d in exc.details or [] if isinstance(d, dict)}


# The form's key was used for other content (the form edited after it was sent, say): the new
# form shown with the message carries a fresh key.
IDEMPOTENCY_CONFLICT = gettext_lazy(
    "Biểu mẫu này đã được dùng để gửi một phản ánh khác. Nội dung bạn nhập vẫn còn; hãy kiểm tra "
    "lại rồi bấm “Gửi” để gửi thành phản ánh mới."
)


def _submit(request, page: KindPage, form, categories) -> tuple[Item | None, str, dict]:
    """Call ``services.submit``; a refusal becomes a message on the field it is about."""
    data = form.cleaned_data
    category = next((c for c in categories if c.code == data["category"]), None)
    anonymous = form.anonymous
    try:
        item = services.submit(
            request.user if request.user.is_authenticated else None,
            kind=page.kind,
            category=category,
            title=data["title"],
            text=data["text"],
            commune=data.get("commune") or None,
            address=data.get("address", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            may_publish=data.get("may_publish", False),
            contact_name=data.get("contact_name", "") if anonymous else "",
            contact_phone=data.get("contact_phone", "") if anonymous else "",
            contact_email=data.get("contact_email", "") if anonymous else "",
            photos=data.get("photos") or (),
            attributes=_posted_attributes(category, request.POST) if category else None,
            idempotency_key=request.POST.get("token", ""),
        )
    except ApiError as exc:
        if exc.code == "idempotency_conflict":
            return None, str(IDEMPOTENCY_CONFLICT), {}
        if exc.code == "invalid_attributes" and isinstance(exc.details, list):
            return None, exc.message, _attribute_details(exc)
        field = ERROR_FIELDS.get(exc.code)
        if field and field in form.fields:
            form.add_error(field, exc.message)
            return None, "", {}
        return None, exc.message, {}
    if anonymous:
        _remember(request, item.code, item.contact_phone or item.contact_email)
    sent = [c for c in request.session.get(SENT_KEY, []) if c != item.code][-20:]
    request.session[SENT_KEY] = [*sent, item.code]
    return item, "", {}


def sent(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation with the code: only in the session that sent it."""
    if code not in request.session.get(SENT_KEY, []):
        return redirect(f"{reverse('portal:feedback_follow')}?{urlencode({'ma': code})}")
    item, _actor = _author_item(request, code)
    return render(request, "portal/feedback/sent.html", {"item": item})


# --- follow: by code and contact, or the signed-in author's list -------------------------------


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Code + phone or e-mail → the item. A POST, so the contact never lands in a URL or log;
    ``?ma=`` (the link in the messages) only fills in the code. Wrong guesses are counted per
    address (``access.track``)."""
    if request.method == "POST":
        form = forms.FollowForm(request.POST)
        if form.is_valid():
            code, contact = form.cleaned_data["code"], form.cleaned_data["contact"].strip()
            try:
                item = access.track(code, contact, client_ip(request))
            except access.TrackingThrottled as exc:
                form.add_error(None, exc.message)
                return render(request, "portal/feedback/follow.html", {"form": form}, status=429)
            except access.ItemNotFound as exc:
                form.add_error("contact", exc.message)
            else:
                _remember(request, item.code, contact)
                return redirect("portal:feedback_item", code=item.code)
        status = 422
    else:
        form = forms.FollowForm(initial={"code": request.GET.get("ma", "")[:32]})
        status = 200
    return render(request, "portal/feedback/follow.html", {"form": form}, status=status)


def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.user.kind == "staff":
        return render(request, "portal/feedback/staff_refused.html", status=403)
    items = (
        access.visible_items(request.user)
        .select_related("category")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(items, MY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/feedback/mine.html", {"page": page, "query": ""})


# --- one item: the answer, rating, reopening ----------------------------------------------------


def _timeline(item: Item) -> list[dict]:
    rows = []
    for event in item.events.select_related("agency").order_by("at", "pk"):
        label = TIMELINE_LABELS.get(event.action)
        if label is None:
            continue
        note = event.note if event.action in PUBLIC_NOTES else ""
        if event.action in ("forward", "forward_late") and event.agency:
            note = event.agency.name
        rows.append({"at": event.at, "label": label, "note": note})
    return rows


def _item_page(request, item: Item, *, rate_form=None, reopen_form=None, status=200):
    answered = item.status in (Item.Status.ANSWERED, Item.Status.CLOSED) or (
        item.status == Item.Status.MERGED and item.answered_at
    )
    state = services.deadline_state(item, services.now())
    context = {
        "item": item,
        "photos": [
            {"url": reverse("portal:feedback_photo", args=[item.code, p.public_id])}
            for p in item.photos.all()
        ],
        "answer": {
            "text": item.answer,
            "at": item.answered_at,
            "agency": item.current_agency.name,
        }
        if answered and item.answer
        else None,
        "deadline": DEADLINE_LABELS.get(state, "") if state else "",
        "can_rate": item.status == Item.Status.ANSWERED,
        "can_reopen": item.status == Item.Status.ANSWERED and item.reopened < 1,
        "rate_form": rate_form or forms.RateForm(prefix="rate"),
        "reopen_form": reopen_form or forms.ReopenForm(prefix="reopen"),
        "timeline": _timeline(item),
    }
    return render(request, "portal/feedback/item.html", context, status=status)


DEADLINE_LABELS = {
    "in_time": gettext_lazy("Trong hạn"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "overdue": gettext_lazy("Quá hạn"),
}


def item_page(request: HttpRequest, code: str) -> HttpResponse:
    item, _actor = _author_item(request, code)
    return _item_page(request, item)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    item, actor = _author_item(request, code)
    form = forms.RateForm(request.POST, prefix="rate")
    if not form.is_valid():
        return _item_page(request, item, rate_form=form, status=422)
    try:
        services.rate(actor, item, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except ApiError as exc:
        form.add_error("rating", exc.message)
        return _item_page(request, item, rate_form=form, status=exc.status)
    messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect("portal:feedback_item", code=item.code)


@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    item, actor = _author_item(request, code)
    form = forms.ReopenForm(request.POST, prefix="reopen")
    if not form.is_valid():
        return _item_page(request, item, reopen_form=form, status=422)
    try:
        services.reopen(actor, item, form.cleaned_data["reason"])
    except ApiError as exc:
        form.add_error("reason", exc.message)
        return _item_page(request, item, reopen_form=form, status=exc.status)
    messages.success(request, _("Đã gửi yêu cầu xem xét lại. Cơ quan sẽ trả lời lại bạn."))
    return redirect("portal:feedback_item", code=item.code)


def photo(request: HttpRequest, code: str, photo_id) -> FileResponse:
    item, _actor = _author_item(request, code)
    return photo_response(item, photo_id)


def photo_response(item: Item, photo_id) -> FileResponse:
    """One photo of ``item`` (whoever calls this has already been allowed to see the item)."""
    found = item.photos.filter(public_id=photo_id).first()
    if found is None:
        raise Http404(_("Không tìm thấy ảnh."))
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = files.content_disposition(found.original_name, inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- the public answers -------------------------------------------------------------------------


def public(request: HttpRequest) -> HttpResponse:
    """Published answers, masked; search with or without diacritics, filter, page."""
    form = forms.PublicSearchForm(
        request.GET if set(request.GET) - {"page"} else None,
        categories=Category.objects.filter(active=True).only("code", "name"),
    )
    filters = form.filters()
    number = request.GET.get("page", "1")
    number = min(int(number), MAX_PUBLIC_PAGE) if number.isdigit() and int(number) > 0 else 1
    found = access.public_answers(
        filters.get("q", ""),
        number,
        category=filters.get("category"),
        commune=filters.get("commune"),
    )
    prev_url = "?" + urlencode({**filters, "page": number - 1}) if number > 1 else None
    next_url = "?" + urlencode({**filters, "page": number + 1}) if found.has_next else None
    context = {
        "form": form,
        "items": found.items,
        "prev_url": prev_url,
        "next_url": next_url,
    }
    return render(request, "portal/feedback/public.html", context)
