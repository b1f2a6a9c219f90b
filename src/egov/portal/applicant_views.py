"""The applicant's pages: apply online, my dossiers, one dossier, public tracking.

Thin over :mod:`egov.dossiers`: every page fetches through ``access.get_dossier_for`` (someone
else's dossier is a 404) and every change is one call to an ``actions`` function, then a
redirect (POST-redirect-GET, so a reload or a second click repeats nothing).
"""

from __future__ import annotations

import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egov.catalog.eforms import validate_form_data
from egov.catalog.services import get_procedure
from egov.core.api_errors import ApiError
from egov.dossiers import access, actions, files
from egov.dossiers.models import Dossier, DossierFile, Status
from egov.identity.services import client_ip
from egov.portal import applicant
from egov.portal.forms import TrackForm

MY_PAGE_SIZE = 20


def applicant_required(view):
    """Signed-in citizens and organisations; officials file at the counter, not here."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.kind == "staff":
            return render(request, "portal/applicant/staff_refused.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _dossier(request: HttpRequest, dossier_id) -> Dossier:
    try:
        return access.get_dossier_for(request.user, dossier_id)
    except access.DossierNotFound:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None


def _procedure_or_404(code: str):
    found = get_procedure(code)
    if found is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    return found


# --- apply: choose the agency, start the draft ------------------------------------------------


@applicant_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Start a draft for procedure ``code``: choose the commune when several agencies handle it.

    The hidden ``token`` is the draft's idempotency key: a double click or a resent form
    returns the draft the first click made.
    """
    procedure = _procedure_or_404(code)
    agencies = list(procedure.agencies.filter(is_active=True).select_related("place"))
    agencies.sort(key=lambda a: a.place.name if a.place_id else a.name)
    error = ""
    chosen = request.POST.get("agency", "")
    if procedure.online_level == "none":
        error = _("Thủ tục này chưa có dịch vụ công trực tuyến.")
    elif request.method == "POST":
        try:
            dossier, _created = actions.create_draft(
                request.user,
                procedure,
                agency_code=chosen or None,
                idempotency_key=request.POST.get("token", ""),
            )
        except ApiError as exc:
            error = exc.message
        else:
            return redirect("portal:dossier_form", dossier_id=dossier.public_id)
    context = {
        "procedure": procedure,
        "agencies": agencies,
        "commune_level": len(agencies) > 1,
        "chosen": chosen,
        "error": error,
        "token": secrets.token_urlsafe(16),
    }
    return render(request, "portal/applicant/start.html", context, status=422 if error else 200)


# --- the e-form ---------------------------------------------------------------------------------


@applicant_required
@require_http_methods(["GET", "POST"])
def dossier_form(request: HttpRequest, dossier_id) -> HttpResponse:
    """Fill the e-form. "Lưu nháp" keeps what is valid so far; "Tiếp tục" needs it complete."""
    dossier = _dossier(request, dossier_id)
    if dossier.status != Status.DRAFT:
        return redirect("portal:dossier", dossier_id=dossier.public_id)
    eform = dossier.procedure.eform or {}
    values, errors, status = dict(dossier.form_data), {}, 200
    if request.method == "POST":
        values = applicant.posted_form_data(eform, request.POST)
        finishing = request.POST.get("intent") != "save"
        if finishing:
            _cleaned, errors = validate_form_data(eform, values)
        if not errors:
            try:
                actions.update_draft(request.user, dossier, values)
            except ApiError as exc:
                errors = applicant.form_errors(exc) or {"__all__": exc.message}
        if not errors:
            if finishing:
                return redirect("portal:dossier_files", dossier_id=dossier.public_id)
            messages.success(
                request, _("Đã lưu nháp. Bạn có thể quay lại tiếp tục bất cứ lúc nào.")
            )
            return redirect("portal:dossier_form", dossier_id=dossier.public_id)
        status = 422
    fields = applicant.field_views(eform, values, errors)
    context = {
        "dossier": dossier,
        "fields": fields,
        "field_errors": [f for f in fields if f.error],
        "form_error": errors.get("__all__", ""),
        "step": 1,
    }
    return render(request, "portal/applicant/form.html", context, status=status)


# --- components and submission ------------------------------------------------------------------


def _upload_posted(request: HttpRequest, dossier: Dossier) -> tuple[list[str], dict[int, str]]:
    """Add every file chosen in the form; return the names added and the errors by component."""
    added, errors = [], {}
    for component in dossier.procedure.components.all():
        upload = request.FILES.get(f"file-{component.pk}")
        if upload is None:
            continue
        content = upload.read(files.max_bytes() + 1)
        try:
            stored = actions.add_file(
                request.user, dossier, upload.name or "", content, component_id=component.pk
            )
        except ApiError as exc:
            errors[component.pk] = exc.message
        else:
            added.append(stored.original_name)
    return added, errors


@applicant_required
@require_http_methods(["GET", "POST"])
def dossier_files(request: HttpRequest, dossier_id) -> HttpResponse:
    dossier = _dossier(request, dossier_id)
    if dossier.status != Status.DRAFT:
        return redirect("portal:dossier", dossier_id=dossier.public_id)
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        added, errors = _upload_posted(request, dossier)
        if not added and not errors:
            messages.error(request, _("Bạn chưa chọn tệp nào để tải lên."))
        if not errors:
            if added:
                messages.success(request, _("Đã tải lên: %(names)s.") % {"names": "; ".join(added)})
            return redirect("portal:dossier_files", dossier_id=dossier.public_id)
        status = 422
    components = applicant.component_views(dossier, errors)
    context = {
        "dossier": dossier,
        "components": components,
        "upload_errors": [c for c in components if c.error],
        "max_mb": files.max_bytes() // (1024 * 1024),
        "step": 2,
    }
    return render(request, "portal/applicant/files.html", context, status=status)


@applicant_required
@require_POST
def remove_file(request: HttpRequest, dossier_id, file_id) -> HttpResponse:
    dossier = _dossier(request, dossier_id)
    try:
        name = actions.do_remove_file(request.user, dossier, file_id)
    except ApiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa tệp “%(name)s”.") % {"name": name})
    target = "portal:dossier_files" if dossier.status == Status.DRAFT else "portal:dossier"
    return redirect(target, dossier_id=dossier.public_id)


@applicant_required
@require_POST
def submit(request: HttpRequest, dossier_id) -> HttpResponse:
    """Submit. ``do_submit`` is idempotent, so a second click just lands on the dossier page."""
    dossier = _dossier(request, dossier_id)
    try:
        actions.do_submit(request.user, dossier)
    except ApiError as exc:
        messages.error(request, exc.message)
        return redirect("portal:dossier_files", dossier_id=dossier.public_id)
    messages.success(
        request,
        _("Đã nộp hồ sơ. Cơ quan giải quyết sẽ kiểm tra và tiếp nhận; bạn sẽ nhận được thông báo."),
    )
    return redirect("portal:dossier", dossier_id=dossier.public_id)


# --- my dossiers --------------------------------------------------------------------------------


@applicant_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    page = Paginator(access.my_dossiers(request.user), MY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    moment = actions.now()
    rows = [(d, applicant.deadline_label(d, moment)) for d in page.object_list]
    return render(request, "portal/applicant/my_dossiers.html", {"page": page, "rows": rows})


# --- one dossier --------------------------------------------------------------------------------


@applicant_required
def dossier(request: HttpRequest, dossier_id) -> HttpResponse:
    found = _dossier(request, dossier_id)
    return _dossier_page(request, found)


def _dossier_page(request, found: Dossier, *, upload_errors=None, status=200) -> HttpResponse:
    events = list(found.events.order_by("at", "pk"))
    all_files = list(found.files.all())
    context = {
        "dossier": found,
        "timeline": applicant.timeline(events),
        "deadline": applicant.deadline_label(found),
        "forms": [f for f in all_files if f.kind == DossierFile.Kind.FORM],
        "results": [f for f in all_files if f.kind == DossierFile.Kind.RESULT]
        if found.status in applicant.RATEABLE
        else [],
        "components": applicant.component_views(found, upload_errors),
        "supplement_reason": applicant.supplement_reason(events),
        "upload_errors": [],
        "can_withdraw": found.status in applicant.WITHDRAWABLE,
        "can_rate": found.status in applicant.RATEABLE,
        "ratings": Dossier.Rating.choices,
        "max_mb": files.max_bytes() // (1024 * 1024),
    }
    context["upload_errors"] = [c for c in context["components"] if c.error]
    return render(request, "portal/applicant/dossier.html", context, status=status)


@applicant_required
def download(request: HttpRequest, dossier_id, file_id) -> FileResponse:
    found = _dossier(request, dossier_id).files.filter(public_id=file_id).first()
    if found is None:
        raise Http404(_("Không tìm thấy tệp."))
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = files.content_disposition(found.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@applicant_required
@require_POST
def answer_supplement(request: HttpRequest, dossier_id) -> HttpResponse:
    """Answer a supplement request: upload the missing papers, add a note, send."""
    found = _dossier(request, dossier_id)
    if found.status != Status.SUPPLEMENT:
        messages.error(request, _("Hồ sơ không còn chờ bổ sung."))
        return redirect("portal:dossier", dossier_id=found.public_id)
    added, errors = _upload_posted(request, found)
    if errors:
        return _dossier_page(request, found, upload_errors=errors, status=422)
    if request.POST.get("intent") == "upload":
        if added:
            messages.success(request, _("Đã tải lên: %(names)s.") % {"names": "; ".join(added)})
        return redirect(reverse("portal:dossier", args=[found.public_id]) + "#bo-sung")
    try:
        actions.do_answer_supplement(request.user, found, note=request.POST.get("note", ""))
    except ApiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi bổ sung hồ sơ."))
    return redirect("portal:dossier", dossier_id=found.public_id)


@applicant_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, dossier_id) -> HttpResponse:
    """Withdraw, after a confirmation page (the button on the dossier page only leads here)."""
    found = _dossier(request, dossier_id)
    if request.method == "POST":
        try:
            actions.do_withdraw(request.user, found, request.POST.get("note", "").strip())
        except ApiError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã rút hồ sơ."))
        return redirect("portal:dossier", dossier_id=found.public_id)
    if found.status not in applicant.WITHDRAWABLE:
        messages.error(request, _("Hồ sơ ở trạng thái này không rút được."))
        return redirect("portal:dossier", dossier_id=found.public_id)
    return render(request, "portal/applicant/withdraw.html", {"dossier": found})


@applicant_required
@require_POST
def rate(request: HttpRequest, dossier_id) -> HttpResponse:
    found = _dossier(request, dossier_id)
    rating = request.POST.get("rating", "")
    if not rating:
        messages.error(request, _("Hãy chọn một mức đánh giá."))
        return redirect(reverse("portal:dossier", args=[found.public_id]) + "#danh-gia")
    try:
        actions.do_rate(request.user, found, rating, request.POST.get("comment", ""))
    except ApiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect("portal:dossier", dossier_id=found.public_id)


# --- public tracking ----------------------------------------------------------------------------


# The query parameter the API's tracking once read. A link that still carries the digits is not
# looked up (that would keep such links alive): it is sent on to the same page without them, so
# they stay out of the address bar, the history entry and the links the page itself writes.
PHONE_IN_QUERY = "phone_last4"


def _track_link(request: HttpRequest) -> HttpResponse:
    """The empty form, with the code from ``?ma=`` (receipts, notifications) or ``?code=``."""
    code = (request.GET.get("ma") or request.GET.get("code") or "").strip()[:48]
    if PHONE_IN_QUERY in request.GET:
        messages.info(
            request,
            _(
                "Việc tra cứu nay thực hiện qua biểu mẫu dưới đây, không dùng số điện thoại "
                "trong đường dẫn. Vui lòng nhập 4 số cuối điện thoại rồi bấm “Tra cứu”."
            ),
        )
        query = f"?{urlencode({'ma': code})}" if code else ""
        return redirect(reverse("portal:track") + query)
    return render(
        request, "portal/applicant/track.html", {"form": TrackForm(initial={"code": code})}
    )


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Code + the phone's last four digits → status and appointment, nothing personal.

    The lookup is a POST so the digits never land in URLs, browser history, access logs or
    Referer headers; a GET only shows the form, the code filled in (it is not secret).
    """
    if request.method == "GET":
        return _track_link(request)
    form = TrackForm(request.POST)
    form.is_valid()  # every field is optional: access.track judges (and counts) the pair
    result, status = None, 200
    try:
        result = access.track(
            form.cleaned_data["code"], form.cleaned_data["phone_last4"], client_ip(request)
        )
    except access.TrackingThrottled as exc:
        form.add_error(None, exc.message)
        status = 429
    except access.DossierNotFound as exc:
        form.add_error("phone_last4", exc.message)
        status = 404
    context = {
        "form": form,
        "result": result,
        "deadline": str(applicant.DEADLINE_LABELS.get(result.deadline_state, ""))
        if result and result.deadline_state
        else "",
    }
    return render(request, "portal/applicant/track.html", context, status=status)
