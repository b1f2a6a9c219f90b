"""The public portal's pages: thin over the catalog's services."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from egov.catalog.eforms import fields_of
from egov.catalog.services import (
    InvalidFilter,
    catalog_counts,
    get_procedure,
    search_procedures,
    sectors_with_counts,
)
from egov.portal.forms import CatalogSearchForm

PAGE_SIZE = 20
POPULAR_SECTORS = 8


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "counts": catalog_counts(),
        "sectors": list(sectors_with_counts()[:POPULAR_SECTORS]),
    }
    return render(request, "portal/home.html", context)


def procedures(request: HttpRequest) -> HttpResponse:
    form = CatalogSearchForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    problems = []
    try:
        found = search_procedures(**filters)
    except InvalidFilter as exc:  # a sector or agency removed since the link was made
        problems.append(exc.message)
        found = search_procedures(q=filters.get("q", ""))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    active_filters = [k for k in filters if k != "q"]
    context = {
        "form": form,
        "page": page,
        "problems": problems,
        "query": filters.get("q", ""),
        "has_filters": bool(active_filters),
        "searched": bool(filters),
    }
    return render(request, "portal/procedures.html", context)


def procedure(request: HttpRequest, code: str) -> HttpResponse:
    found = get_procedure(code)
    if found is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    agencies = list(found.agencies.all())
    context = {
        "procedure": found,
        "province_agencies": [a for a in agencies if a.level == "province"],
        "commune_agencies": [a for a in agencies if a.level == "commune"],
        "eform_fields": fields_of(found.eform),
        "fees_unconfirmed": found.is_unconfirmed("fees"),
        "time_unconfirmed": found.is_unconfirmed("processing_time"),
    }
    return render(request, "portal/procedure.html", context)
