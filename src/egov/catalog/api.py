"""The procedure catalog API, mounted at /api/v1/procedures."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema
from pydantic import Field

from egov.catalog import services
from egov.catalog.eforms import validate_form_data
from egov.catalog.models import Procedure
from egov.core.api_errors import ApiError, NotFound

router = Router(tags=["procedures"])


class SectorOut(Schema):
    code: str
    name: str


class SectorCountOut(SectorOut):
    procedure_count: int


class ProcessingTimeOut(Schema):
    amount: int
    unit: str
    cutoff: str | None
    note: str
    text: str = Field(description="The time in Vietnamese words, e.g. “5 ngày làm việc”.")


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    sector: SectorOut
    level: str
    online_level: str
    processing_time: ProcessingTimeOut
    updated_at: datetime.datetime


class ProcedurePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProcedureSummaryOut]


class AgencyOut(Schema):
    code: str
    name: str
    level: str


class FeeOut(Schema):
    name: str
    amount_vnd: int
    text: str
    note: str
    unconfirmed: bool


class ComponentOut(Schema):
    order: int
    name: str
    originals: int
    copies: int
    form: str
    mandatory: bool
    template_name: str
    template_url: str | None
    note: str


class LegalBasisOut(Schema):
    title: str
    articles: str


class ProcedureDetailOut(ProcedureSummaryOut):
    agencies: list[AgencyOut]
    fees: list[FeeOut]
    components: list[ComponentOut]
    legal_basis: list[LegalBasisOut]
    result: str
    applicant_types: list[str]
    unconfirmed_fields: list[str]
    eform: dict[str, Any]


class ProcedureFilters(Schema):
    q: str = Field("", max_length=200)
    sector: str | None = None
    agency: str | None = None
    level: Literal["province", "commune"] | None = None
    online_level: Literal["full", "partial", "none"] | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


class ValidOut(Schema):
    valid: bool
    cleaned: dict[str, Any]


def _time(procedure: Procedure) -> dict[str, Any]:
    cutoff = procedure.same_day_cutoff
    return {
        "amount": procedure.processing_time_amount,
        "unit": procedure.processing_time_unit,
        "cutoff": cutoff.strftime("%H:%M") if cutoff else None,
        "note": procedure.processing_time_note,
        "text": services.processing_time_text(procedure),
    }


def _summary(procedure: Procedure) -> dict[str, Any]:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "sector": {"code": procedure.sector.code, "name": procedure.sector.name},
        "level": procedure.level,
        "online_level": procedure.online_level,
        "processing_time": _time(procedure),
        "updated_at": procedure.updated_at,
    }


def _detail(procedure: Procedure) -> dict[str, Any]:
    return {
        **_summary(procedure),
        "agencies": [
            {"code": a.code, "name": a.name, "level": a.level} for a in procedure.agencies.all()
        ],
        "fees": [
            {
                "name": f.name,
                "amount_vnd": f.amount_vnd,
                "text": services.format_vnd(f.amount_vnd),
                "note": f.note,
                "unconfirmed": f.unconfirmed,
            }
            for f in procedure.fees.all()
        ],
        "components": [
            {
                "order": c.order,
                "name": c.name,
                "originals": c.originals,
                "copies": c.copies,
                "form": c.form,
                "mandatory": c.mandatory,
                "template_name": c.template_name,
                "template_url": c.template.url if c.template else None,
                "note": c.note,
            }
            for c in procedure.components.all()
        ],
        "legal_basis": [
            {"title": b.title, "articles": b.articles} for b in procedure.legal_bases.all()
        ],
        "result": procedure.result,
        "applicant_types": procedure.applicant_types or [],
        "unconfirmed_fields": procedure.unconfirmed_fields or [],
        "eform": procedure.eform or {},
    }


def _procedure_or_404(code: str) -> Procedure:
    procedure = services.get_procedure(code)
    if procedure is None:
        raise NotFound(_("Không tìm thấy thủ tục %(code)s.") % {"code": code})
    return procedure


@router.get("", response=ProcedurePageOut, summary="Search the procedure catalog")
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters]) -> dict[str, Any]:
    try:
        found = services.search_procedures(
            filters.q,
            sector=filters.sector,
            agency=filters.agency,
            level=filters.level,
            online_level=filters.online_level,
        )
    except services.InvalidFilter as exc:
        raise ApiError(
            exc.message, code="invalid_filter", status=422, details={exc.field: exc.message}
        ) from exc
    page = found[filters.offset : filters.offset + filters.limit]
    return {
        "count": found.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_summary(p) for p in page],
    }


@router.get("/sectors", response=list[SectorCountOut], summary="Sectors with procedures")
def list_sectors(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": s.code, "name": s.name, "procedure_count": s.procedure_count}
        for s in services.sectors_with_counts()
    ]


@router.get("/{code}", response=ProcedureDetailOut, summary="One procedure in full")
def get_procedure(request: HttpRequest, code: str) -> dict[str, Any]:
    return _detail(_procedure_or_404(code))


@router.post(
    "/{code}/validate",
    response=ValidOut,
    summary="Check form data against the procedure's e-form",
    description="200 with the cleaned data, or 422 `validation_error` with a message per field.",
)
def validate_form(request: HttpRequest, code: str, data: Body[dict[str, Any]]) -> dict[str, Any]:
    procedure = _procedure_or_404(code)
    cleaned, errors = validate_form_data(procedure.eform, data)
    if errors:
        raise ApiError(
            _("Biểu mẫu có trường chưa hợp lệ."),
            code="validation_error",
            status=422,
            details=errors,
        )
    return {"valid": True, "cleaned": cleaned}
