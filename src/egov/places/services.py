"""Administrative units as the rest of the platform asks for them.

"Current" means in force today (Asia/Ho_Chi_Minh): started on or before today and not yet
ended. A unit's ``valid_to`` is the first day it no longer exists.
"""

from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.api_errors import NotFound
from egov.core.text import fold
from egov.places.loaders import province_code
from egov.places.models import AdminUnit


class UnitNotFound(NotFound):
    code = "place_not_found"


def _today() -> date:
    return timezone.localdate()


def units_valid_on(day: date) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day
    )


def current_units() -> QuerySet[AdminUnit]:
    """Every unit in force today."""
    return units_valid_on(_today())


def configured_province_code() -> str:
    """The code of the province this installation serves (settings.EGOV_PROVINCE_CODE)."""
    return province_code(settings.EGOV_PROVINCE_CODE)


def get_unit(code: str, on: date | None = None) -> AdminUnit:
    """The unit with ``code`` in force on ``on`` (today by default); UnitNotFound otherwise."""
    unit = (
        units_valid_on(on or _today())
        .filter(code=str(code))
        .select_related("parent")
        .order_by("-valid_from")
        .first()
    )
    if unit is None:
        raise UnitNotFound(_("Không tìm thấy đơn vị hành chính mã %(code)s.") % {"code": code})
    return unit


def provinces() -> QuerySet[AdminUnit]:
    """The provinces and centrally governed cities in force today."""
    return current_units().filter(level=AdminUnit.Level.PROVINCE).order_by("code")


def children(code: str) -> QuerySet[AdminUnit]:
    """The units in force today directly under the current unit ``code``."""
    parent = get_unit(code)
    return current_units().filter(parent=parent).order_by("code")


def search_units(query: str, parent: str | None = None) -> QuerySet[AdminUnit]:
    """Current units whose full name contains ``query``, with or without diacritics, in any
    Unicode normalisation ("tan bien", "Tân Biên" and "xã Tân Biên" all find Xã Tân Biên)."""
    units = current_units().filter(name_folded__contains=fold(query))
    if parent:
        units = units.filter(parent=get_unit(parent))
    return units.order_by("level", "name_folded", "code")


def successors_of(unit: AdminUnit) -> list[AdminUnit]:
    """The units that took over ``unit`` (empty for a unit still in force)."""
    return [
        succession.new_unit
        for succession in unit.successors.select_related("new_unit").order_by(
            "effective_on", "new_unit__code"
        )
    ]


def default_province() -> AdminUnit | None:
    """The province this installation serves (``EGOV_PROVINCE_CODE``), if it is loaded."""
    return provinces().filter(code=configured_province_code()).first()


def default_province_name() -> str:
    """The name of the province this installation serves, as people write it ("Tây Ninh")."""
    unit = default_province()
    return unit.name if unit else "Tây Ninh"
