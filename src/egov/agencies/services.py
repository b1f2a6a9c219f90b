"""Agencies and their staff: lookups, and every write to staff accounts and roles.

Each write checks the actor's capability (see ``permissions``) and raises
``egov.core.api_errors.Forbidden`` when it is missing, so the API, the admin and scripts share
one rule.
"""

from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from egov.agencies import permissions
from egov.agencies.models import Agency, Role, StaffRole, Unit
from egov.core.api_errors import ApiError, Conflict, Forbidden, NotFound
from egov.core.text import fold
from egov.identity.models import User


class AgencyNotFound(NotFound):
    code = "agency_not_found"


@dataclass
class StaffMember:
    user: User
    roles: list[StaffRole] = field(default_factory=list)


def get_agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).select_related("place", "parent").first()
    if agency is None:
        raise AgencyNotFound(_("Không tìm thấy cơ quan mã %(code)s.") % {"code": code})
    return agency


def search_agencies(
    *,
    q: str | None = None,
    level: str | None = None,
    kind: str | None = None,
    place: str | None = None,
) -> QuerySet[Agency]:
    """Active agencies, filtered; ``q`` matches the name with or without diacritics and
    ``place`` is an administrative unit code (the agencies located in that unit)."""
    agencies = Agency.objects.filter(is_active=True)
    if q and q.strip():
        agencies = agencies.filter(name_folded__contains=fold(q))
    if level:
        agencies = agencies.filter(level=level)
    if kind:
        agencies = agencies.filter(kind=kind)
    if place:
        agencies = agencies.filter(place__code=place, place__valid_to__isnull=True)
    return agencies.select_related("place", "parent").order_by("level", "code")


def _require(actor, capability: str, agency: Agency) -> None:
    if not permissions.can(actor, capability, agency):
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này tại cơ quan này."))


def _check_role(role: str, agency: Agency, unit: Unit | None) -> None:
    if role not in Role.values:
        raise ApiError(_("Vai trò không hợp lệ: %(role)s.") % {"role": role}, code="invalid_role")
    if unit is not None and unit.agency_id != agency.pk:
        raise ApiError(_("Phòng không thuộc cơ quan này."), code="invalid_unit")


def find_unit(agency: Agency, code: str | None) -> Unit | None:
    if not code:
        return None
    unit = agency.units.filter(code=code).first()
    if unit is None:
        raise ApiError(
            _("Cơ quan không có phòng mã %(code)s.") % {"code": code}, code="invalid_unit"
        )
    return unit


@transaction.atomic
def create_staff_account(
    actor,
    agency: Agency,
    username: str,
    full_name: str,
    password: str,
    role: str,
    unit: Unit | None = None,
) -> User:
    """Create an official's account holding ``role`` in ``agency`` (or its ``unit``).

    Only an actor who may ``manage_staff`` in the agency (its administrator) may do this. The
    password goes through Django's validators and ``set_password``.
    """
    _require(actor, permissions.MANAGE_STAFF, agency)
    _check_role(role, agency, unit)
    username = username.strip()
    if not username:
        raise ApiError(_("Cần tên đăng nhập."), code="invalid_username")
    if User.objects.filter(username=username).exists():
        raise Conflict(_("Tên đăng nhập %(u)s đã được dùng.") % {"u": username})
    user = User(username=username, full_name=full_name.strip(), kind=User.Kind.STAFF)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ApiError(
            _("Mật khẩu chưa đủ an toàn."), code="weak_password", details=list(exc.messages)
        ) from exc
    user.set_password(password)
    user.save()
    StaffRole.objects.create(user=user, agency=agency, unit=unit, role=role)
    return user


@transaction.atomic
def grant_role(actor, user: User, agency: Agency, role: str, unit: Unit | None = None) -> StaffRole:
    """Give ``user`` (an official) ``role`` in ``agency`` or its ``unit``; granting twice is
    harmless."""
    _require(actor, permissions.MANAGE_STAFF, agency)
    _check_role(role, agency, unit)
    if user.kind != User.Kind.STAFF:
        raise ApiError(
            _("Chỉ tài khoản cán bộ, công chức mới được giao vai trò."), code="not_staff"
        )
    staff_role, _created = StaffRole.objects.get_or_create(
        user=user, agency=agency, unit=unit, role=role
    )
    return staff_role


@transaction.atomic
def revoke_role(actor, user: User, agency: Agency, role: str, unit: Unit | None = None) -> bool:
    """Take ``role`` away from ``user``; False when they did not hold it.

    The last agency-wide administrator cannot be removed by an agency administrator (only by a
    platform administrator), so an agency is never left without someone to manage its staff.
    """
    _require(actor, permissions.MANAGE_STAFF, agency)
    _check_role(role, agency, unit)
    held = StaffRole.objects.select_for_update().filter(
        user=user, agency=agency, unit=unit, role=role
    )
    if not held.exists():
        return False
    if role == Role.ADMINISTRATOR and unit is None and not actor.is_superuser:
        others = StaffRole.objects.filter(
            agency=agency, unit__isnull=True, role=Role.ADMINISTRATOR
        ).exclude(user=user)
        if not others.exists():
            raise Conflict(_("Không thể thu hồi vai trò quản trị cuối cùng của cơ quan."))
    held.delete()
    return True


def list_staff(actor, agency: Agency) -> list[StaffMember]:
    """The officials holding a role in ``agency``, with their roles there.

    Open to those who manage the staff, audit the agency or lead it.
    """
    allowed = {permissions.MANAGE_STAFF, permissions.AUDIT, permissions.APPROVE_IN_AGENCY}
    if not permissions.can_any(actor, allowed, agency):
        raise Forbidden(_("Bạn không có quyền xem danh sách cán bộ của cơ quan này."))
    members: dict[int, StaffMember] = {}
    roles = (
        StaffRole.objects.filter(agency=agency)
        .select_related("user", "unit")
        .order_by("user__full_name", "user__username", "role")
    )
    for staff_role in roles:
        member = members.setdefault(staff_role.user_id, StaffMember(user=staff_role.user))
        member.roles.append(staff_role)
    return list(members.values())
