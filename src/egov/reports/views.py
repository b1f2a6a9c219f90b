"""The Biểu 06 pages under /can-bo/bao-cao/: the report, its drill-down lists and downloads.

Thin over :mod:`egov.reports.reporting` (the same calls the API makes); a bad period or agency
is shown on the page in Vietnamese, never a server error.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from egov.core.api_errors import ApiError
from egov.identity.models import User
from egov.reports import exports, reporting
from egov.reports.procedure_report import COLUMN_OF, COLUMNS, ZONE, Cell
from egov.reports.reporting import choices_for
from egov.reports.scope import scope_of

MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def _today() -> date:
    return timezone.now().astimezone(ZONE).date()


def _month(year: int, month: int) -> Period:
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _quarter(year: int, quarter: int) -> Period:
    first = _month(year, 3 * quarter - 2)
    return Period(first.start, _month(year, 3 * quarter).end)


def presets(today: date) -> list[tuple[str, Period]]:
    """This and the last month, quarter and year (the periods the Circular reports on)."""
    last_month_day = today.replace(day=1) - timedelta(days=1)
    quarter = (today.month - 1) // 3 + 1
    last_quarter = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    return [
        (_("Tháng này"), _month(today.year, today.month)),
        (_("Tháng trước"), _month(last_month_day.year, last_month_day.month)),
        (_("Quý này"), _quarter(today.year, quarter)),
        (_("Quý trước"), _quarter(*last_quarter)),
        (_("Năm nay"), Period(date(today.year, 1, 1), date(today.year, 12, 31))),
        (_("Năm trước"), Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
    ]


def _parse_day(value: str | None, fallback: date) -> tuple[date, str]:
    if not value:
        return fallback, ""
    try:
        return date.fromisoformat(value), ""
    except ValueError:
        return fallback, _("Ngày “%(value)s” không hợp lệ (dạng NNNN-TT-NN).") % {"value": value}


def _query(request: HttpRequest) -> tuple[Period, str, list[str]]:
    default = _month(_today().year, _today().month)
    start, bad_start = _parse_day(request.GET.get("from"), default.start)
    end, bad_end = _parse_day(request.GET.get("to"), default.end)
    return Period(start, end), request.GET.get("agency", ""), [p for p in (bad_start, bad_end) if p]


def staff_with_reports(view):
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.user.kind != User.Kind.STAFF:
            raise Http404(_("Trang dành cho cán bộ."))
        if not scope_of(request.user):
            return render(
                request,
                "reports/report_forbidden.html",
                {"message": _("Bạn không có quyền xem báo cáo.")},
                status=403,
            )
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _params(period: Period, agency: str, **more) -> dict:
    params = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    if agency:
        params["agency"] = agency
    params.update({k: v for k, v in more.items() if v is not None})
    return params


def _drill_url(period: Period, agency: str, cell: Cell, sector_id: int | None) -> str:
    query = urlencode(_params(period, agency, cell=cell.value, sector=sector_id))
    return f"{reverse('reports:report_dossiers')}?{query}"


def _table(built: reporting.Built, period: Period, agency: str) -> dict:
    """The rows as the template shows them: every number with its drill-down link."""

    def cells(counts, sector_id):
        return [
            {
                "value": counts[c.cell],
                "url": _drill_url(period, agency, c.cell, sector_id),
                "label": str(c.label),
                "number": c.number,
            }
            for c in COLUMNS
        ]

    report = built.report
    return {
        "rows": [
            {"index": i, "name": row.sector_name, "cells": cells(row.counts, row.sector_id)}
            for i, row in enumerate(report.rows, start=1)
        ],
        "totals": cells(report.totals, None),
    }


def _header_rows() -> list[list[exports.HeaderCell]]:
    rows: list[list[exports.HeaderCell]] = [[], [], []]
    for cell in sorted(exports.header(), key=lambda c: (c.row, c.col)):
        rows[cell.row].append(cell)
    return rows


@staff_with_reports
def report_page(request: HttpRequest) -> HttpResponse:
    """Biểu 06 for the chosen period and agency, every number a link to its dossiers."""
    period, agency, problems = _query(request)
    scope = scope_of(request.user)
    context = {
        "period": period,
        "agency": agency,
        "choices": choices_for(scope),
        "presets": [
            {"label": label, "url": "?" + urlencode(_params(p, agency))}
            for label, p in presets(_today())
        ],
        "header_rows": _header_rows(),
        "numbers": exports.numbers_row(),
        "problems": problems,
        "form_code": exports.FORM_CODE,
        "form_title": exports.FORM_TITLE,
    }
    status = 400 if problems else 200
    if not problems:
        try:
            built = reporting.build(request.user, period.start, period.end, agency)
        except ApiError as exc:
            problems.append(exc.message)
            status = 403 if exc.status == 403 else 400
        else:
            downloads = urlencode(_params(period, built.selection.key))
            context.update(
                built=built,
                table=_table(built, period, agency),
                period_line=exports.period_line(built.report),
                measured_line=exports.measured_line(built.report),
                xlsx_url=f"{reverse('reports:report_download', args=['xlsx'])}?{downloads}",
                pdf_url=f"{reverse('reports:report_download', args=['pdf'])}?{downloads}",
            )
    return render(request, "reports/report.html", context, status=status)


@staff_with_reports
def report_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in MEDIA:
        raise Http404(_("Không có định dạng này."))
    period, agency, problems = _query(request)
    try:
        if problems:
            raise reporting.InvalidPeriod(problems[0])
        built = reporting.build(request.user, period.start, period.end, agency)
    except ApiError as exc:
        return render(
            request, "reports/report_forbidden.html", {"message": exc.message}, status=exc.status
        )
    response = HttpResponse(reporting.export(built, kind), content_type=MEDIA[kind])
    name = exports.file_name(built.report, built.selection.key, kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_with_reports
def report_dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one number of the report, 50 a page."""
    period, agency, problems = _query(request)
    cell = request.GET.get("cell", "")
    sector = request.GET.get("sector") or None
    context = {"period": period, "agency": agency, "problems": problems}
    back = f"{reverse('reports:report')}?{urlencode(_params(period, agency))}"
    context["back_url"] = back
    if not problems:
        try:
            sector_id = int(sector) if sector is not None else None
        except ValueError:
            sector_id = -1  # no such sector: reported as unknown below
        try:
            page_number = int(request.GET.get("page", "1"))
        except ValueError:
            page_number = 1
        try:
            dossiers, selection, sector_obj = reporting.behind(
                request.user, cell, period.start, period.end, agency, sector_id
            )
        except ApiError as exc:
            problems.append(exc.message)
        else:
            page = reporting.paged(dossiers, page_number)
            column = COLUMN_OF[Cell(cell)]

            def page_url(number: int) -> str:
                return "?" + urlencode(
                    _params(period, agency, cell=cell, sector=sector_id, page=number)
                )

            context.update(
                page=page,
                column=column,
                selection=selection,
                sector=sector_obj,
                prev_url=page_url(page.number - 1) if page.number > 1 else "",
                next_url=page_url(page.number + 1) if page.number < page.pages else "",
            )
    status = 400 if problems else 200
    return render(request, "reports/report_dossiers.html", context, status=status)
