"""/api/v1/agencies: the agency directory (public) and each agency's staff (guarded)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from egov.agencies import services
from egov.agencies.models import Agency, Role
from egov.core.api_errors import ApiError
from egov.identity.auth import BearerOrSession

router = Router(tags=["agencies"])

# A bearer token from programs or the browser session (with CSRF) from pages; the handlers only
# read the signed-in user through ``_actor``.
STAFF_AUTH = [BearerOrSession()]

DEFAULT_LIMIT = 200
MAX_LIMIT = 1000


class Unauthenticated(ApiError):
    status = 401
    code = "unauthenticated"


def _actor(request: HttpRequest):
    """The signed-in user, whichever authentication recognised them."""
    user = getattr(request, "auth", None)
    if not getattr(user, "is_authenticated", False):
        user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        raise Unauthenticated(_("Bạn cần đăng nhập để thực hiện thao tác này."))
    return user


class ErrorOut(Schema):
    code: str
    message: str


class UnitOut(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    kind_label: str
    place_code: str
    parent_code: str | None

    @staticmethod
    def from_agency(agency: Agency) -> dict:
        return {
            "code": agency.code,
            "name": agency.name,
            "short_name": agency.short_name,
            "level": agency.level,
            "kind": agency.kind,
            "kind_label": str(agency.get_kind_display()),
            "place_code": agency.place.code,
            "parent_code": agency.parent.code if agency.parent_id else None,
        }


class AgencyDetailOut(AgencyOut):
    address: str
    phone: str
    email: str
    units: list[UnitOut]


class AgencyPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AgencyOut]


class AgencyFilters(Schema):
    level: Agency.Level | None = None
    kind: Agency.Kind | None = None
    place: str | None = Field(None, description="Mã đơn vị hành chính")
    q: str | None = Field(None, description="Tìm theo tên, có hoặc không dấu")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class StaffRoleOut(Schema):
    role: str
    role_label: str
    unit_code: str | None


class StaffOut(Schema):
    username: str
    full_name: str
    is_active: bool
    roles: list[StaffRoleOut]


class StaffIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    full_name: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1)
    role: Role
    unit: str | None = Field(None, description="Mã phòng, khi vai trò chỉ áp dụng trong phòng")


@router.get("", response=AgencyPage, summary="Danh sách cơ quan")
def list_agencies(request: HttpRequest, filters: Query[AgencyFilters]) -> dict:
    agencies = services.search_agencies(
        q=filters.q, level=filters.level, kind=filters.kind, place=filters.place
    )
    page = agencies[filters.offset : filters.offset + filters.limit]
    return {
        "count": agencies.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [AgencyOut.from_agency(agency) for agency in page],
    }


@router.get(
    "/{code}", response={200: AgencyDetailOut, 404: ErrorOut}, summary="Một cơ quan và các phòng"
)
def get_agency(request: HttpRequest, code: str) -> dict:
    agency = services.get_agency(code)
    return {
        **AgencyOut.from_agency(agency),
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "units": [{"code": u.code, "name": u.name} for u in agency.units.order_by("code")],
    }


def _staff_out(member: services.StaffMember) -> dict:
    return {
        "username": member.user.username,
        "full_name": member.user.full_name,
        "is_active": member.user.is_active,
        "roles": [
            {
                "role": r.role,
                "role_label": str(r.get_role_display()),
                "unit_code": r.unit.code if r.unit_id else None,
            }
            for r in member.roles
        ],
    }


@router.get(
    "/{code}/staff",
    auth=STAFF_AUTH,
    response={200: list[StaffOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Cán bộ của cơ quan",
)
def list_staff(request: HttpRequest, code: str) -> list[dict]:
    actor = _actor(request)
    agency = services.get_agency(code)
    return [_staff_out(member) for member in services.list_staff(actor, agency)]


@router.post(
    "/{code}/staff",
    auth=STAFF_AUTH,
    response={
        201: StaffOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Tạo tài khoản cán bộ",
)
def create_staff(request: HttpRequest, code: str, payload: StaffIn) -> Status:
    actor = _actor(request)
    agency = services.get_agency(code)
    unit = services.find_unit(agency, payload.unit)
    user = services.create_staff_account(
        actor,
        agency,
        username=payload.username,
        full_name=payload.full_name,
        password=payload.password,
        role=payload.role,
        unit=unit,
    )
    roles = list(user.staff_roles.filter(agency=agency).select_related("unit"))
    return Status(201, _staff_out(services.StaffMember(user=user, roles=roles)))
