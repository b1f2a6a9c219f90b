"""The officials' pages: thin over ``egov.dossiers`` (access to read, actions to write)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.agencies.models import Agency
from egov.catalog.eforms import fields_of
from egov.catalog.models import Procedure
from egov.core.api_errors import ApiError
from egov.dossiers import access, actions, deadlines
from egov.dossiers.files import max_bytes
from egov.dossiers.models import DossierFile
from egov.identity.models import User
from egov.workspace import forms, services

PAGE_SIZE = 25
MAX_BACK = 30  # previous-page cursors kept in the link (keyset paging has no page numbers)


def staff_required(view):
    """Signed-in officials only; anyone else is sent to sign in (citizens get a 404)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.user.kind != User.Kind.STAFF:
            raise Http404(_("Trang dành cho cán bộ."))
        return view(request, *args, **kwargs)

    return wrapped


def _dossier_or_404(user, dossier_id: str):
    try:
        return access.get_dossier_for(user, dossier_id)
    except access.DossierNotFound as exc:
        raise Http404(exc.message) from None


# --- the inbox ----------------------------------------------------------------------------------


def _procedures_of(user):
    agency_ids = access.agencies_seeing(user)
    return (
        Procedure.objects.filter(agencies__in=agency_ids, is_active=True)
        .distinct()
        .order_by("name")
        .only("code", "name")
    )


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = actions.now()
    wide = services.sees_whole_agency(user)
    tabs = services.tabs_for(user)
    tab = request.GET.get("tab", "mine")
    if tab not in tabs:
        tab = "mine"
    form = forms.InboxFilterForm(
        request.GET if set(request.GET) - {"tab"} else None, procedures=_procedures_of(user)
    )
    cursor = request.GET.get("cursor") or None
    back = [c for c in request.GET.get("back", "").split(".") if c][-MAX_BACK:]
    problem = ""
    try:
        rows, next_cursor = access.queue_for(
            user,
            services.queue_filter_for(
                tab, wide, cursor=cursor, limit=PAGE_SIZE, now=now, **form.filters()
            ),
        )
    except access.InvalidQuery as exc:  # a mangled cursor: start again from the first page
        problem, rows, next_cursor, cursor, back = exc.message, [], None, None, []
    base = {k: v for k, v in request.GET.items() if k not in ("cursor", "back")}
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
    items = [{"dossier": d, "state": services.deadline_state_of(d, now)} for d in rows]
    context = {
        "tabs": [
            {
                "name": name,
                "label": services.TAB_LABELS[name],
                "count": count,
                "url": "?" + urlencode({**base, "tab": name}),
            }
            for name, count in services.tab_counts(user, tabs, wide, now).items()
        ],
        "tab": tab,
        "tab_label": services.TAB_LABELS[tab],
        "form": form,
        "items": items,
        "next_url": next_url,
        "prev_url": prev_url,
        "problem": problem,
        "deadline_labels": services.DEADLINE_LABELS,
        "can_receive": bool(services.receiving_agencies(user)),
    }
    return render(request, "workspace/inbox.html", context)


# --- the dossier page ---------------------------------------------------------------------------


def _action_form(name: str, user, dossier, data=None, files=None):
    form_class = forms.ACTION_FORMS[name]
    kwargs: dict = {"prefix": name}
    if name == "assign":
        kwargs["specialists"] = services.specialists_for(user, dossier)
    if name == "hand_over":
        kwargs["agencies"] = services.partner_agencies(dossier)
    if data is None:
        kwargs["initial"] = {"version": dossier.version}
        return form_class(**kwargs)
    return form_class(data, files, **kwargs)


def _render_dossier(request, dossier, *, failed=None, failed_form=None, error="", status=200):
    user = request.user
    now = actions.now()
    allowed = services.allowed_actions(user, dossier)
    action_forms = []
    for name in allowed:
        if name == failed and failed_form is not None:
            form = failed_form
            # Keep what was typed, but act on the dossier as it is now.
            form.data = form.data.copy()
            form.data[f"{name}-version"] = str(dossier.version)
        else:
            form = _action_form(name, user, dossier)
        action_forms.append(
            {
                "name": name,
                "label": services.ACTION_LABELS[name],
                "form": form,
                "open": name == failed,
                "multipart": name == "attach_result",
                "url": reverse("workspace:action", args=[dossier.public_id, name]),
            }
        )
    files = list(dossier.files.select_related("component").order_by("pk"))
    events = list(dossier.events.select_related("actor", "step").order_by("at", "pk"))
    state = services.deadline_state_of(dossier, now)
    show_id = services.id_number_needed(user, dossier)
    context = {
        "dossier": dossier,
        "state": state,
        "state_label": services.DEADLINE_LABELS.get(state, "") if state else "",
        "step_state": deadlines.step_deadline_state(dossier, now),
        "id_number": dossier.applicant_id_number
        if show_id
        else services.mask_id_number(dossier.applicant_id_number),
        "id_masked": not show_id and len(dossier.applicant_id_number or "") > 4,
        "form_rows": services.form_rows(dossier),
        "components": [f for f in files if f.kind == DossierFile.Kind.COMPONENT],
        "results": [f for f in files if f.kind == DossierFile.Kind.RESULT],
        "issued_forms": [f for f in files if f.kind == DossierFile.Kind.FORM],
        "events": [
            {"event": e, "label": services.EVENT_LABELS.get(e.action, e.action)} for e in events
        ],
        "action_forms": action_forms,
        "error": error,
        "deadline_labels": services.DEADLINE_LABELS,
    }
    return render(request, "workspace/dossier.html", context, status=status)


@staff_required
def dossier_page(request: HttpRequest, dossier_id: str) -> HttpResponse:
    return _render_dossier(request, _dossier_or_404(request.user, dossier_id))


def _chosen(model, pk: str, message: str):
    found = model.objects.filter(pk=int(pk)).first() if (pk or "").isdigit() else None
    if found is None:
        raise actions.InvalidInput(message)
    return found


def _perform(name: str, user, dossier, form) -> None:
    """Call the one domain function of ``name`` with the form's values."""
    data = form.cleaned_data
    version = data["version"]
    note = data.get("note", "")
    if name == "accept":
        actions.do_accept(user, dossier, note, version)
    elif name == "assign":
        assignee = _chosen(User, data["assignee"], _("Không tìm thấy cán bộ được giao."))
        actions.do_assign(user, dossier, assignee, note, version)
    elif name == "forward":
        actions.do_forward(user, dossier, note, version)
    elif name == "send_back":
        actions.do_send_back(user, dossier, note, version)
    elif name == "approve":
        actions.do_approve(user, dossier, note, version)
    elif name == "attach_result":
        upload = data["file"]
        content = upload.read(max_bytes() + 1)
        services.attach_result(user, dossier, upload.name or "", content, note, version)
    elif name == "return_result":
        actions.do_return_result(user, dossier, note, version)
    elif name == "request_supplement":
        actions.do_request_supplement(user, dossier, form.items(), note, version)
    elif name == "refuse":
        actions.do_refuse(user, dossier, data["reason"], version)
    elif name == "stop":
        actions.do_stop(user, dossier, data["reason"], version)
    elif name == "apologise_and_reschedule":
        actions.do_apologise_and_reschedule(
            user, dossier, form.new_due_at(), data["reason"], version
        )
    elif name == "hand_over":
        partner = _chosen(Agency, data["agency"], _("Không tìm thấy cơ quan."))
        actions.do_hand_over(user, dossier, partner, note, version)
    elif name == "take_back":
        actions.do_take_back(user, dossier, note, version)


DONE_MESSAGES = {
    "accept": _("Đã tiếp nhận hồ sơ. Giấy tiếp nhận và hẹn trả kết quả đã được phát hành."),
    "request_supplement": _("Đã gửi yêu cầu bổ sung hồ sơ cho người nộp."),
    "refuse": _("Đã từ chối hồ sơ và phát hành phiếu từ chối."),
    "stop": _("Đã dừng xử lý hồ sơ."),
    "apologise_and_reschedule": _("Đã hẹn lại ngày trả kết quả và phát hành phiếu xin lỗi."),
}


@require_POST
@staff_required
def dossier_action(request: HttpRequest, dossier_id: str, action: str) -> HttpResponse:
    dossier = _dossier_or_404(request.user, dossier_id)
    if action not in forms.ACTION_FORMS:
        raise Http404(_("Thao tác không hợp lệ."))
    form = _action_form(action, request.user, dossier, request.POST, request.FILES)
    if not form.is_valid():
        return _render_dossier(
            request,
            dossier,
            failed=action,
            failed_form=form,
            error=_("Chưa thực hiện được: vui lòng kiểm tra các ô được đánh dấu."),
            status=422,
        )
    try:
        _perform(action, request.user, dossier, form)
    except ApiError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        # Show the dossier as it is now, with the official's typed text still in the form.
        fresh = _dossier_or_404(request.user, dossier_id)
        return _render_dossier(
            request, fresh, failed=action, failed_form=form, error=exc.message, status=exc.status
        )
    message = DONE_MESSAGES.get(action) or _("Đã thực hiện: %(action)s.") % {
        "action": services.ACTION_LABELS[action]
    }
    messages.success(request, message)
    return redirect("workspace:dossier", dossier_id=dossier.public_id)


# --- counter intake -----------------------------------------------------------------------------


def _counter_procedures(agencies: list[Agency]):
    return (
        Procedure.objects.filter(agencies__in=agencies, is_active=True)
        .distinct()
        .order_by("name")
        .only("code", "name")
    )


@staff_required
def counter_intake(request: HttpRequest) -> HttpResponse:
    user = request.user
    agencies = services.receiving_agencies(user)
    if not agencies:
        raise Http404(_("Bạn không có quyền tiếp nhận hồ sơ."))
    source = request.POST if request.method == "POST" else request.GET
    code = source.get("procedure", "")
    procedure = _counter_procedures(agencies).filter(code=code).first() if code else None
    agency = agencies[0]
    if len(agencies) > 1:
        agency = next((a for a in agencies if str(a.pk) == source.get("agency")), None)
    applicant_form = forms.ApplicantForm(request.POST if request.method == "POST" else None)
    eform_fields = fields_of(procedure.eform) if procedure else []
    values = {f["name"]: request.POST.get(f["name"], "") for f in eform_fields}
    field_errors: dict[str, str] = {}
    error = ""
    if request.method == "POST" and procedure is not None:
        if agency is None:
            error = _("Cần chọn cơ quan tiếp nhận.")
        elif applicant_form.is_valid():
            uploads = []
            for component in procedure.components.all():
                upload = request.FILES.get(f"component_{component.pk}")
                if upload:
                    uploads.append((component.pk, upload.name, upload.read(max_bytes() + 1)))
            form_data = {k: v for k, v in values.items() if v != ""}
            try:
                dossier = services.receive_at_counter(
                    user, procedure, agency, applicant_form.cleaned_data, form_data, uploads
                )
            except ApiError as exc:
                error = exc.message
                if isinstance(exc.details, list):
                    field_errors = {
                        d["field"]: d["message"]
                        for d in exc.details
                        if isinstance(d, dict) and "field" in d
                    }
            else:
                return redirect("workspace:counter_done", dossier_id=dossier.public_id)
        else:
            error = _("Chưa tiếp nhận được: vui lòng kiểm tra các ô được đánh dấu.")
    context = {
        "agencies": agencies,
        "agency": agency,
        "procedures": _counter_procedures(agencies),
        "procedure": procedure,
        "applicant_form": applicant_form,
        "eform": [
            {"f": f, "value": values.get(f["name"], ""), "error": field_errors.get(f["name"], "")}
            for f in eform_fields
        ],
        "components": list(procedure.components.all()) if procedure else [],
        "error": error,
        "max_mb": max_bytes() // (1024 * 1024),
    }
    status = 422 if error else 200
    return render(request, "workspace/counter.html", context, status=status)


@staff_required
def counter_done(request: HttpRequest, dossier_id: str) -> HttpResponse:
    dossier = _dossier_or_404(request.user, dossier_id)
    receipt = dossier.files.filter(kind=DossierFile.Kind.FORM, form_kind="receipt").last()
    context = {"dossier": dossier, "receipt": receipt}
    return render(request, "workspace/counter_done.html", context)
