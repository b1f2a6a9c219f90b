"""/api/v1/places: provinces, their communes, search and one unit with its successors."""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from egov.places import services
from egov.places.models import AdminUnit

router = Router(tags=["places"])

DEFAULT_LIMIT = 200  # a province's communes (Tây Ninh: 96; the most: 168) in one call
MAX_LIMIT = 1000


class ErrorOut(Schema):
    code: str
    message: str


class UnitOut(Schema):
    code: str
    name: str
    full_name: str
    kind: str
    kind_label: str
    level: int
    parent_code: str | None
    valid_from: date
    valid_to: date | None

    @staticmethod
    def from_unit(unit: AdminUnit) -> dict:
        return {
            "code": unit.code,
            "name": unit.name,
            "full_name": unit.full_name,
            "kind": unit.kind,
            "kind_label": str(unit.get_kind_display()),
            "level": unit.level,
            "parent_code": unit.parent.code if unit.parent_id else None,
            "valid_from": unit.valid_from,
            "valid_to": unit.valid_to,
        }


class SuccessorOut(Schema):
    code: str
    name: str
    full_name: str
    valid_from: date


class UnitDetailOut(UnitOut):
    successors: list[SuccessorOut]


class UnitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UnitOut]


class UnitFilters(Schema):
    parent: str | None = Field(None, description="Mã đơn vị cấp trên: trả về các đơn vị trực thuộc")
    q: str | None = Field(None, description="Tìm theo tên, có hoặc không dấu")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


def _units_for(filters: UnitFilters) -> QuerySet[AdminUnit]:
    if filters.q and filters.q.strip():
        return services.search_units(filters.q, parent=filters.parent)
    if filters.parent:
        return services.children(filters.parent)
    return services.provinces()


@router.get("", response=UnitPage, summary="Danh sách đơn vị hành chính")
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> dict:
    """Provinces by default; ``parent`` gives that unit's current children; ``q`` searches."""
    units = _units_for(filters).select_related("parent")
    page = units[filters.offset : filters.offset + filters.limit]
    return {
        "count": units.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [UnitOut.from_unit(unit) for unit in page],
    }


@router.get(
    "/{code}",
    response={200: UnitDetailOut, 404: ErrorOut},
    summary="Một đơn vị hành chính",
)
def get_unit(request: HttpRequest, code: str, on: date | None = None) -> dict:
    """The unit with ``code`` in force on ``on`` (today by default), with its successors."""
    unit = services.get_unit(code, on=on)
    return {
        **UnitOut.from_unit(unit),
        "successors": [
            {
                "code": s.code,
                "name": s.name,
                "full_name": s.full_name,
                "valid_from": s.valid_from,
            }
            for s in services.successors_of(unit)
        ],
    }
