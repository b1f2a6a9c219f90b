"""The reports API (``/api/v1/reports``): Biểu 06 as JSON, .xlsx or PDF, and its drill-down.

Errors are the platform's ``{"code", "message"}``: 401 unauthenticated, 403 ``reports_forbidden``
(no report role, or an agency outside the caller's scope), 404 ``unknown_agency`` /
``unknown_sector``, 422 ``invalid_period`` (from after to, longer than five years) or
``invalid_cell``, and Ninja's own 422 for a date that is not YYYY-MM-DD.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from egov.core.api_errors import ApiError
from egov.identity.auth import BearerOrSession
from egov.reports import exports, reporting
from egov.reports.procedure_report import COLUMNS, Cell

router = Router(auth=BearerOrSession(), tags=["reports"])


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ReportQuery(Schema):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    agency: str = ""
    format: str = "json"


class ColumnOut(Schema):
    cell: str
    number: int
    label: str
    in_form: bool


class RowOut(Schema):
    sector_id: int | None
    sector: str
    counts: dict[str, int]


class ReportOut(Schema):
    form: str
    start: date
    end: date
    measured_at: datetime
    agency: str
    agency_label: str
    columns: list[ColumnOut]
    rows: list[RowOut]
    totals: dict[str, int]


class DrillQuery(Schema):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    cell: str
    agency: str = ""
    sector: int | None = None
    page: int = Field(1, ge=1)


class DossierOut(Schema):
    id: str
    code: str | None
    procedure: str
    sector: str
    agency: str
    channel: str
    status: str
    accepted_at: datetime | None
    due_at: datetime | None
    ended_at: datetime | None
    url: str


class DrillOut(Schema):
    cell: str
    count: int
    page: int
    pages: int
    items: list[DossierOut]


MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get("/procedures", response={200: ReportOut, **ERRORS}, by_alias=True)
def procedures(request: HttpRequest, q: Query[ReportQuery]):
    """Biểu 06 for the period ``from`` … ``to`` (days included); ``agency`` is a code, codes
    separated by commas, ``cap-tinh``, ``cap-xa`` or ``toan-tinh``; ``format`` json, xlsx, pdf."""
    if q.format not in ("json", *MEDIA):
        raise ApiError(
            _("Định dạng phải là json, xlsx hoặc pdf."), code="invalid_format", status=422
        )
    built = reporting.build(request.user, q.start, q.end, q.agency)
    if q.format in MEDIA:
        content = reporting.export(built, q.format)
        response = HttpResponse(content, content_type=MEDIA[q.format])
        name = exports.file_name(built.report, built.selection.key, q.format)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    report = built.report
    return {
        "form": exports.FORM_CODE,
        "start": report.start,
        "end": report.end,
        "measured_at": report.as_of,
        "agency": built.selection.key,
        "agency_label": built.selection.label,
        "columns": [
            {"cell": c.cell.value, "number": c.number, "label": str(c.label), "in_form": c.in_form}
            for c in COLUMNS
        ],
        "rows": [
            {
                "sector_id": row.sector_id,
                "sector": row.sector_name,
                "counts": {cell.value: n for cell, n in row.counts.items()},
            }
            for row in report.rows
        ],
        "totals": {cell.value: n for cell, n in report.totals.items()},
    }


@router.get("/procedures/dossiers", response={200: DrillOut, **ERRORS}, by_alias=True)
def procedure_dossiers(request: HttpRequest, q: Query[DrillQuery]):
    """The dossiers behind one cell (``sector`` omitted: the totals row), 50 a page."""
    page = reporting.drill_down(
        request.user, q.cell, q.start, q.end, q.agency, q.sector, page=q.page
    )
    return {
        "cell": Cell(q.cell).value,
        "count": page.count,
        "page": page.number,
        "pages": page.pages,
        "items": [reporting.dossier_summary(request, d) for d in page.items],
    }
