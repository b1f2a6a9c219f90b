"""The dashboard and the service-quality index pages, thin over dashboard.py and quality_index."""

from __future__ import annotations

from datetime import date
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from egov.agencies.models import Agency
from egov.reports import charts, dashboard, quality_index
from egov.reports.scope import Scope, scope_of
from egov.workspace.views import staff_required


class NoScope(Exception):
    pass


def _scope(request: HttpRequest) -> Scope:
    scope = scope_of(request.user)
    if not scope:
        raise NoScope
    return scope


def scoped(view):
    """Officials whose role covers some agency's reports; others get a 403 page saying so."""

    @wraps(view)
    @staff_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            scope = _scope(request)
        except NoScope:
            return render(request, "reports/no_scope.html", status=403)
        return view(request, scope, *args, **kwargs)

    return wrapped


def _selected(request: HttpRequest, scope: Scope) -> tuple[Agency | None, list[int] | None, str]:
    """The agency chosen in the page (one of the scope's), its ids for the queries, a problem."""
    code = (request.GET.get("agency") or "").strip()
    agency = Agency.objects.filter(code=code, pk__in=scope.agency_ids).first() if code else None
    if not code and not scope.province and len(scope.agency_ids) == 1:
        agency = Agency.objects.get(pk=next(iter(scope.agency_ids)))
    problem = _("Không có cơ quan “%(c)s” trong phạm vi của bạn.") % {"c": code[:24]}
    if agency is not None:
        return agency, [agency.pk], ""
    return None, scope.ids_or_none(), problem if code else ""


def _period(request: HttpRequest, today: date) -> tuple[dashboard.Period, str]:
    try:
        return dashboard.parse_period(request.GET.get("from"), request.GET.get("to"), today), ""
    except dashboard.PeriodError as exc:
        return dashboard.default_period(today), str(exc)


def _presets(today: date, agency: Agency | None) -> list[dict]:
    this = date(today.year, today.month, 1)
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    extra = {"agency": agency.code} if agency else {}
    choices = [
        (_("Tháng này"), this, this),
        (_("Quý này"), quarter, this),
        (_("Năm nay"), date(today.year, 1, 1), this),
        (_("12 tháng gần đây"), dashboard.default_period(today).first, this),
    ]
    return [
        {
            "label": label,
            "url": "?" + urlencode({"from": f"{a:%Y-%m}", "to": f"{b:%Y-%m}", **extra}),
        }
        for label, a, b in choices
    ]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # that page is not installed (yet)
        return None


def _report_url(period: dashboard.Period, agency: Agency | None) -> str | None:
    """The periodic report on procedure handling for the same period and agency."""
    url = _url("reports:report")
    if url is None:
        return None
    params = {"from": f"{period.first:%Y-%m-%d}", "to": f"{period.end:%Y-%m-%d}"}
    if agency:
        params["agency"] = agency.code
    return url + "?" + urlencode(params)


def _month_label(month: date) -> str:
    return f"{month:%m/%y}"


def _page_context(request: HttpRequest, scope: Scope) -> dict:
    today = timezone.localdate()
    agency, agency_ids, problem = _selected(request, scope)
    period, period_problem = _period(request, today)
    return {
        "agency": agency,
        "agency_ids": agency_ids,
        "agencies": Agency.objects.filter(pk__in=scope.agency_ids).order_by("name"),
        "province": scope.province,
        "period": period,
        "problems": [p for p in (problem, period_problem) if p],
        "presets": _presets(today, agency),
        "report_url": _report_url(period, agency),
        "quality_url": _url("reports:quality"),
    }


@scoped
def dashboard_page(request: HttpRequest, scope: Scope) -> HttpResponse:
    context = _page_context(request, scope)
    data = dashboard.build(context["period"], context["agency_ids"])
    labels = [_month_label(m.month) for m in data.months]
    context.update(
        data=data,
        received_chart=charts.bar_chart(
            _("Hồ sơ tiếp nhận theo tháng"),
            labels,
            [m.received for m in data.months],
            ident="chart-received",
        ),
        rates_chart=charts.line_chart(
            _("Tỉ lệ theo tháng"),
            labels,
            [
                charts.Series(_("Trực tuyến"), [m.online_share for m in data.months]),
                charts.Series(_("Đúng hạn"), [m.on_time_share for m in data.months]),
                charts.Series(_("Hài lòng"), [m.satisfaction for m in data.months]),
            ],
            ident="chart-rates",
        ),
    )
    return render(request, "reports/dashboard.html", context)


@scoped
def quality_page(request: HttpRequest, scope: Scope) -> HttpResponse:
    context = _page_context(request, scope)
    period, agency = context["period"], context["agency"]
    if agency is not None:
        label = agency.name
    else:
        label = _("Toàn tỉnh") if scope.province else _("Các cơ quan trong phạm vi")
    index = quality_index.compute(
        period.first, period.end, context["agency_ids"], overall_label=label
    )
    context.update(
        index=index,
        groups=quality_index.GROUPS,
        dashboard_url=_url("reports:dashboard"),
    )
    return render(request, "reports/quality.html", context)
