"""Who may do what in an agency: the one place where each role's capabilities are written down.

A staff member holds roles (:class:`~egov.agencies.models.StaffRole`) in agencies. A role held
without a unit applies to the whole agency; a role held in a unit applies only to that unit's
work. ``can(user, capability, agency)`` without a unit asks about the agency as a whole, so only
agency-wide roles answer it; ``can(user, capability, agency, unit)`` is also answered by the
roles held in that unit.

Decisions (not in the law, written here so they can be reviewed):

* Applicants (citizens, organisations) have no staff capability anywhere, whatever rows exist.
  Inactive accounts have none either.
* Platform administrators (``is_superuser``) may ``manage_staff`` and ``manage_agency`` in every
  agency, to appoint each agency's first administrator, and nothing else: they do not receive,
  handle or approve dossiers, nor read them, unless they are also given a role in the agency.
  Django's ``is_staff`` (access to the admin site) grants nothing here.
* The administrator of an agency manages its staff and its set-up but does not see dossiers
  (separation of duties); the auditor reads everything and writes nothing.
* Citizens' feedback (``egov.feedback``) follows the same split (Decree 20/2008/NĐ-CP): the
  reception officer receives, forwards or rejects it and assigns it; the specialist and the
  unit leader draft answers; the unit leader (in the unit's items) and the agency leader approve
  them; the agency leader may also receive, assign and moderate; the reception officer may
  moderate (hide abusive content, the first to read it); the auditor reads; the administrator
  sees no feedback, as no dossiers.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from egov.agencies.models import Agency, Role, StaffRole, Unit

RECEIVE_DOSSIERS = "receive_dossiers"  # tiếp nhận hồ sơ
HANDLE_DOSSIERS = "handle_dossiers"  # thụ lý, xử lý hồ sơ
APPROVE_IN_UNIT = "approve_in_unit"  # lãnh đạo phòng duyệt
APPROVE_IN_AGENCY = "approve_in_agency"  # lãnh đạo cơ quan ký, phê duyệt
RETURN_RESULTS = "return_results"  # trả kết quả
VIEW_AGENCY_DOSSIERS = "view_agency_dossiers"  # xem mọi hồ sơ của cơ quan
MANAGE_STAFF = "manage_staff"  # tạo tài khoản, giao và thu hồi vai trò
MANAGE_AGENCY = "manage_agency"  # phòng, quy trình nội bộ
VIEW_REPORTS = "view_reports"  # báo cáo, thống kê
AUDIT = "audit"  # đọc mọi thứ trong cơ quan, không ghi
RECEIVE_FEEDBACK = "receive_feedback"  # tiếp nhận, chuyển, từ chối, phân công phản ánh
HANDLE_FEEDBACK = "handle_feedback"  # dự thảo trả lời phản ánh
APPROVE_FEEDBACK = "approve_feedback"  # duyệt trả lời phản ánh
MODERATE_FEEDBACK = "moderate_feedback"  # ẩn, hiện nội dung phản ánh
VIEW_AGENCY_FEEDBACK = "view_agency_feedback"  # xem mọi phản ánh của cơ quan

CAPABILITIES: frozenset[str] = frozenset(
    {
        RECEIVE_DOSSIERS,
        HANDLE_DOSSIERS,
        APPROVE_IN_UNIT,
        APPROVE_IN_AGENCY,
        RETURN_RESULTS,
        VIEW_AGENCY_DOSSIERS,
        MANAGE_STAFF,
        MANAGE_AGENCY,
        VIEW_REPORTS,
        AUDIT,
        RECEIVE_FEEDBACK,
        HANDLE_FEEDBACK,
        APPROVE_FEEDBACK,
        MODERATE_FEEDBACK,
        VIEW_AGENCY_FEEDBACK,
    }
)

# The matrix. Decree 118/2025/NĐ-CP splits the one-stop work into receiving and returning (the
# reception desk), handling (the specialist), and review and signature by the competent leaders;
# the roles below follow that split.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.RECEPTION_OFFICER: frozenset(
        {RECEIVE_DOSSIERS, RETURN_RESULTS, RECEIVE_FEEDBACK, MODERATE_FEEDBACK}
    ),
    Role.SPECIALIST: frozenset({HANDLE_DOSSIERS, HANDLE_FEEDBACK}),
    Role.UNIT_LEADER: frozenset(
        {HANDLE_DOSSIERS, APPROVE_IN_UNIT, VIEW_REPORTS, HANDLE_FEEDBACK, APPROVE_FEEDBACK}
    ),
    Role.AGENCY_LEADER: frozenset(
        {
            APPROVE_IN_AGENCY,
            VIEW_AGENCY_DOSSIERS,
            VIEW_REPORTS,
            RECEIVE_FEEDBACK,
            APPROVE_FEEDBACK,
            MODERATE_FEEDBACK,
            VIEW_AGENCY_FEEDBACK,
        }
    ),
    Role.ADMINISTRATOR: frozenset({MANAGE_STAFF, MANAGE_AGENCY}),
    Role.AUDITOR: frozenset({AUDIT, VIEW_AGENCY_DOSSIERS, VIEW_REPORTS, VIEW_AGENCY_FEEDBACK}),
}

# What a platform administrator may do in every agency (see the module docstring).
SUPERUSER_CAPABILITIES: frozenset[str] = frozenset({MANAGE_STAFF, MANAGE_AGENCY})

assert set(ROLE_CAPABILITIES) == set(Role.values)
assert all(caps <= CAPABILITIES for caps in ROLE_CAPABILITIES.values())


def _is_staff_member(user) -> bool:
    from egov.identity.models import User

    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.kind == User.Kind.STAFF
    )


def _is_platform_admin(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)) and bool(
        user.is_active and user.is_superuser
    )


def _capabilities_of_roles(roles: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for role in roles:
        found |= ROLE_CAPABILITIES.get(role, frozenset())
    return found


def capabilities_of(user, agency: Agency, unit: Unit | None = None) -> set[str]:
    """What ``user`` may do in ``agency`` as a whole, or, given ``unit``, in that unit."""
    found: set[str] = set()
    if _is_platform_admin(user):
        found |= SUPERUSER_CAPABILITIES
    if not _is_staff_member(user):
        return found
    scope = Q(unit__isnull=True)
    if unit is not None:
        if unit.agency_id != agency.pk:
            return found
        scope |= Q(unit=unit)
    roles = StaffRole.objects.filter(scope, user=user, agency=agency).values_list("role", flat=True)
    return found | _capabilities_of_roles(roles)


def can(user, capability: str, agency: Agency, unit: Unit | None = None) -> bool:
    """Whether ``user`` may do ``capability`` in ``agency`` (or in its ``unit``)."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")
    return capability in capabilities_of(user, agency, unit)


def can_any(user, capabilities: Iterable[str], agency: Agency) -> bool:
    return bool(capabilities_of(user, agency) & set(capabilities))


def roles_with(capability: str) -> list[str]:
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def agencies_where(user, capability: str) -> QuerySet[Agency]:
    """The agencies where ``user`` may do ``capability`` in the whole agency or in one of its
    units (a workspace lists these; check ``can`` with the unit before acting)."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")
    if _is_platform_admin(user) and capability in SUPERUSER_CAPABILITIES:
        return Agency.objects.all()
    if not _is_staff_member(user):
        return Agency.objects.none()
    return Agency.objects.filter(
        staff_roles__user=user, staff_roles__role__in=roles_with(capability)
    ).distinct()
