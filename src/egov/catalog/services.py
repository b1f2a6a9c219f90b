"""Finding procedures and saying their facts in words: what the portal and the API share."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from egov.agencies.models import Agency
from egov.catalog.models import DocumentComponent, Procedure, Sector
from egov.core.text import fold

ORDERINGS = ("relevance", "name")


@dataclass
class InvalidFilter(ValueError):
    """A search filter that names nothing that exists (shown to the user, so in Vietnamese)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _choice(field: str, value: str | None, choices: Iterable[str], message: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in set(choices):
        raise InvalidFilter(field, message)
    return value


def search_procedures(
    q: str = "",
    sector: str | Sector | None = None,
    agency: str | Agency | None = None,
    level: str | None = None,
    online_level: str | None = None,
    *,
    agency_name: str = "",
    order: str = "relevance",
) -> QuerySet[Procedure]:
    """Active procedures matching the search, with their sector joined in (no N+1 on lists).

    ``q`` matches the code or the name, with or without diacritics, in any Unicode
    normalisation form and any case: both sides go through ``fold()``, and the folded key is
    stored in ``Procedure.search_key``. Every word of ``q`` must occur. ``sector`` is a sector
    code (slug), ``agency`` an agency code, ``agency_name`` part of an agency's name. Unknown
    filter values raise :class:`InvalidFilter`.
    """
    procedures = Procedure.objects.filter(is_active=True).select_related("sector")
    level = _choice("level", level, Procedure.Level.values, _("Cấp thực hiện không hợp lệ."))
    online_level = _choice(
        "online_level",
        online_level,
        Procedure.OnlineLevel.values,
        _("Mức độ trực tuyến không hợp lệ."),
    )
    if order not in ORDERINGS:
        raise InvalidFilter("order", _("Cách sắp xếp không hợp lệ."))
    if level:
        procedures = procedures.filter(level=level)
    if online_level:
        procedures = procedures.filter(online_level=online_level)
    if sector:
        procedures = procedures.filter(sector=_resolve_sector(sector))
    if agency:
        procedures = procedures.filter(agencies=_resolve_agency(agency))
    if agency_name.strip():
        through = Procedure.agencies.through.objects.filter(
            agency_id__in=agencies_named(agency_name)
        )
        procedures = procedures.filter(id__in=through.values("procedure_id"))
    folded = fold(q or "")
    for word in folded.split():
        procedures = procedures.filter(search_key__contains=word)
    if folded and order == "relevance":
        # Simple relevance: the exact code, then the exact name, then names that start with
        # the query, then the rest by name.
        procedures = procedures.annotate(
            rank=Case(
                When(code__iexact=(q or "").strip(), then=Value(0)),
                When(name_folded=folded, then=Value(1)),
                When(name_folded__startswith=folded, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        ).order_by("rank", "name_folded", "code")
    else:
        procedures = procedures.order_by("name_folded", "code")
    return procedures


def _resolve_sector(sector: str | Sector) -> Sector:
    if isinstance(sector, Sector):
        return sector
    found = Sector.objects.filter(code=sector).first()
    if found is None:
        raise InvalidFilter("sector", _("Không có lĩnh vực này."))
    return found


def _resolve_agency(agency: str | Agency) -> Agency:
    if isinstance(agency, Agency):
        return agency
    found = Agency.objects.filter(code=agency).first()
    if found is None:
        raise InvalidFilter("agency", _("Không có cơ quan này."))
    return found


def agencies_named(text: str) -> list[int]:
    """Ids of active agencies whose name (or short name) contains ``text``, diacritics aside.

    The agencies table holds one row per authority of one province (about a hundred), so
    folding in Python is cheaper than keeping another folded column in another app's table.
    """
    wanted = fold(text)
    return [
        pk
        for pk, name, short in Agency.objects.filter(is_active=True).values_list(
            "pk", "name", "short_name"
        )
        if wanted in fold(name) or (short and wanted in fold(short))
    ]


def get_procedure(code: str) -> Procedure | None:
    """One active procedure with everything its page and the API detail show, in few queries."""
    return (
        Procedure.objects.filter(is_active=True, code=code)
        .select_related("sector")
        .prefetch_related(
            "fees",
            "legal_bases",
            Prefetch("components", queryset=DocumentComponent.objects.order_by("order", "id")),
            Prefetch(
                "agencies",
                queryset=Agency.objects.select_related("place").order_by("level", "name"),
            ),
        )
        .first()
    )


def sectors_with_counts() -> QuerySet[Sector]:
    """Sectors that have active procedures, with ``procedure_count``, most procedures first."""
    return (
        Sector.objects.annotate(
            procedure_count=Count("procedures", filter=Q(procedures__is_active=True))
        )
        .filter(procedure_count__gt=0)
        .order_by("-procedure_count", "name_folded")
    )


def catalog_counts() -> dict[str, int]:
    active = Procedure.objects.filter(is_active=True)
    return active.aggregate(
        total=Count("id"),
        full_online=Count("id", filter=Q(online_level=Procedure.OnlineLevel.FULL)),
        partial_online=Count("id", filter=Q(online_level=Procedure.OnlineLevel.PARTIAL)),
    )


def provincial_agencies() -> QuerySet[Agency]:
    """Provincial agencies of this installation, for the catalog's agency filter."""
    return Agency.objects.filter(is_active=True, level=Agency.Level.PROVINCE).order_by("name")


def commune_peoples_committees() -> QuerySet[Agency]:
    """Every commune People's Committee of the configured province: what ``@commune`` means."""
    return Agency.objects.filter(
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        level=Agency.Level.COMMUNE,
        is_active=True,
        place__valid_to__isnull=True,
        place__parent__code=str(settings.EGOV_PROVINCE_CODE),
    ).order_by("code")


# ---------------------------------------------------------------------------------------------
# Facts in words


def format_vnd(amount: int | None) -> str:
    """``50000`` → ``"50.000 đồng"``; nothing to pay → ``"Miễn phí"``."""
    if not amount:
        return _("Miễn phí")
    return _("%(amount)s đồng") % {"amount": f"{amount:,}".replace(",", ".")}


def processing_time_text(procedure: Procedure) -> str:
    """``"5 ngày làm việc"``, ``"8 giờ làm việc"``, ``"Trong ngày (trước 15:00)"``."""
    unit = procedure.processing_time_unit
    amount = procedure.processing_time_amount
    if unit == Procedure.TimeUnit.SAME_DAY:
        if procedure.same_day_cutoff:
            return _("Trong ngày (trước %(time)s)") % {
                "time": procedure.same_day_cutoff.strftime("%H:%M")
            }
        return _("Trong ngày")
    words = {
        Procedure.TimeUnit.WORKING_DAYS: _("%(n)d ngày làm việc"),
        Procedure.TimeUnit.WORKING_HOURS: _("%(n)d giờ làm việc"),
        Procedure.TimeUnit.CALENDAR_DAYS: _("%(n)d ngày"),
    }
    return words.get(unit, "%(n)d") % {"n": amount}
