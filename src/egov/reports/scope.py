"""Who sees which agencies' reports and dashboards.

* A holder of ``view_reports`` or ``audit`` in an agency (agency-wide or in one of its units)
  sees that agency's figures.
* A holder of either in the provincial People's Committee (``UBND``) or its Office
  (``VPUBND``) sees the whole province: every agency.
* Platform administrators (``is_superuser``) see nothing unless they are given such a role:
  the capability matrix gives them staff management only (``agencies.permissions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from egov.agencies import permissions
from egov.agencies.models import Agency

PROVINCE_AGENCY_CODES = ("UBND", "VPUBND")


@dataclass(frozen=True)
class Scope:
    province: bool
    agency_ids: frozenset[int]  # the agencies covered (every agency when ``province``)

    def __bool__(self) -> bool:
        return bool(self.agency_ids)

    def covers(self, agency_id: int) -> bool:
        return agency_id in self.agency_ids

    def ids_or_none(self) -> list[int] | None:
        """For queries that read ``None`` as "the whole province"."""
        return None if self.province else sorted(self.agency_ids)


def _covered(user):
    """The agencies where ``user`` holds ``view_reports`` or ``audit`` (one query)."""
    return permissions.agencies_where(user, permissions.VIEW_REPORTS) | permissions.agencies_where(
        user, permissions.AUDIT
    )


def has_scope(user) -> bool:
    return _covered(user).exists()


def scope_of(user) -> Scope:
    """The agencies whose reports ``user`` may read (empty: none)."""
    covered = dict(_covered(user).values_list("pk", "code"))
    if set(covered.values()) & set(PROVINCE_AGENCY_CODES):
        return Scope(True, frozenset(Agency.objects.values_list("pk", flat=True)))
    return Scope(False, frozenset(covered))
