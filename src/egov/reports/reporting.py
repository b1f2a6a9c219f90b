"""The road from a request to Biểu 06: the caller's scope, the period, the report or its
drill-down, the export. The API (``reports/api.py``) and the pages (``reports/views.py``) both
call these, so they answer the same question the same way.

A report's ``agency`` parameter (:func:`select`) names one agency, several (codes separated by
commas) or a group: ``toan-tinh`` (the whole province), ``cap-tinh`` (the provincial agencies),
``cap-xa`` (the commune agencies). Groups are for province-wide readers only
(:mod:`egov.reports.scope`); an agency outside the reader's scope is refused, not dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.agencies.models import Agency
from egov.catalog.models import Sector
from egov.core.api_errors import ApiError, Forbidden, NotFound
from egov.dossiers.models import Dossier
from egov.reports import exports
from egov.reports.procedure_report import (
    Cell,
    PeriodError,
    Report,
    dossiers_behind,
    period_bounds,
    procedure_report,
)
from egov.reports.scope import Scope, scope_of

PAGE_SIZE = 50
ALL = "toan-tinh"
GROUPS = {
    "cap-tinh": (Agency.Level.PROVINCE, gettext_lazy("Các cơ quan cấp tỉnh")),
    "cap-xa": (Agency.Level.COMMUNE, gettext_lazy("Các xã, phường")),
}


class UnknownAgency(ApiError):
    status = 404
    code = "unknown_agency"


@dataclass(frozen=True)
class Selection:
    """What one report covers: ``agency_ids`` None means the whole province."""

    key: str  # the ``agency`` parameter, normalised
    label: str
    agency_ids: list[int] | None


def _forbidden(message: str) -> Forbidden:
    return Forbidden(message, code="reports_forbidden")


def choices_for(scope: Scope) -> list[tuple[str, str]]:
    """The ``agency`` values a report page offers (value, label), within ``scope``."""
    agencies = Agency.objects.filter(pk__in=scope.agency_ids).order_by("level", "name")
    if not scope.province:
        return [(a.code, a.name) for a in agencies]
    groups = [(ALL, _("Toàn tỉnh"))] + [(key, str(label)) for key, (_l, label) in GROUPS.items()]
    return groups + [(a.code, a.name) for a in agencies.filter(is_active=True)]


def select(scope: Scope, key: str | None) -> Selection:
    """The agencies ``key`` names within ``scope`` ("" is everything the scope covers)."""
    key = (key or "").strip()
    if not scope:
        raise _forbidden(_("Bạn không có quyền xem báo cáo."))
    if key in ("", ALL) and scope.province:
        return Selection(ALL, _("Toàn tỉnh"), None)
    if key in GROUPS or key == ALL:
        if not scope.province:
            raise _forbidden(_("Chỉ UBND tỉnh và Văn phòng UBND tỉnh xem được báo cáo nhóm."))
        level, label = GROUPS[key]
        ids = list(Agency.objects.filter(level=level).values_list("pk", flat=True))
        return Selection(key, str(label), ids)
    if key == "":
        chosen = list(Agency.objects.filter(pk__in=scope.agency_ids).order_by("level", "name"))
    else:
        codes = list(dict.fromkeys(c.strip().upper() for c in key.split(",") if c.strip()))
        found = {a.code: a for a in Agency.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing or not codes:
            raise UnknownAgency(
                _("Không có cơ quan mã %(codes)s.") % {"codes": ", ".join(missing) or key}
            )
        if any(not scope.covers(a.pk) for a in found.values()):
            raise _forbidden(_("Bạn không có quyền xem báo cáo của cơ quan này."))
        chosen = [found[c] for c in codes]
    if len(chosen) == 1:
        return Selection(chosen[0].code, chosen[0].name, [chosen[0].pk])
    codes_text = ",".join(a.code for a in chosen)
    return Selection(codes_text, codes_text.replace(",", ", "), [a.pk for a in chosen])


class InvalidPeriod(ApiError):
    status = 422
    code = "invalid_period"


@dataclass(frozen=True)
class Built:
    report: Report
    selection: Selection


@dataclass(frozen=True)
class Page:
    count: int
    number: int
    pages: int
    items: list[Dossier]


def _check_period(start: date, end: date) -> None:
    try:
        period_bounds(start, end)
    except PeriodError as exc:
        raise InvalidPeriod(str(exc)) from None


def build(user, start: date, end: date, agency: str | None) -> Built:
    selection = select(scope_of(user), agency)
    _check_period(start, end)
    return Built(procedure_report(start, end, selection.agency_ids), selection)


def export(built: Built, kind: str) -> bytes:
    make = exports.workbook if kind == "xlsx" else exports.pdf
    return make(built.report, built.selection.label, generated_at=timezone.now())


def parse_cell(value: str) -> Cell:
    try:
        return Cell(value)
    except ValueError:
        raise ApiError(
            _("Ô báo cáo không hợp lệ: %(cell)s.") % {"cell": value},
            code="invalid_cell",
            status=422,
        ) from None


def behind(
    user, cell: str, start: date, end: date, agency: str | None, sector_id: int | None
) -> tuple[QuerySet[Dossier], Selection, Sector | None]:
    cell_ = parse_cell(cell)
    selection = select(scope_of(user), agency)
    _check_period(start, end)
    sector = None
    if sector_id is not None:
        sector = Sector.objects.filter(pk=sector_id).first()
        if sector is None:
            raise NotFound(_("Không có lĩnh vực này."), code="unknown_sector")
    dossiers = dossiers_behind(cell_, start, end, selection.agency_ids, sector_id)
    return dossiers, selection, sector


def drill_down(
    user, cell: str, start: date, end: date, agency: str | None, sector_id: int | None, *, page=1
) -> Page:
    dossiers, _selection, _sector = behind(user, cell, start, end, agency, sector_id)
    return paged(dossiers, page)


def paged(dossiers: QuerySet[Dossier], page: int) -> Page:
    count = dossiers.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    number = min(max(1, page), pages)
    items = list(
        dossiers.select_related("procedure__sector", "agency")[
            (number - 1) * PAGE_SIZE : number * PAGE_SIZE
        ]
    )
    return Page(count, number, pages, items)


def dossier_summary(request, dossier: Dossier) -> dict:
    """What a drill-down lists: no applicant's personal data, a link to the dossier page."""
    return {
        "id": str(dossier.public_id),
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "sector": dossier.procedure.sector.name,
        "agency": dossier.agency.code,
        "channel": dossier.channel,
        "status": dossier.status,
        "accepted_at": dossier.accepted_at,
        "due_at": dossier.due_at,
        "ended_at": dossier.ended_at,
        "url": request.build_absolute_uri(reverse("workspace:dossier", args=[dossier.public_id])),
    }
