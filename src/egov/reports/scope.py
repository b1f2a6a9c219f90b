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


def scope_of(user) -> Scope:
    """The agencies whose reports ``user`` may read (empty: none)."""
    codes = set()
    for capability in (permissions.VIEW_REPORTS, permissions.AUDIT):
        codes |= set(permissions.agencies_where(user, capability).values_list("code", flat=True))
    if codes & set(PROVINCE_AGENCY_CODES):
        return Scope(True, frozenset(Agency.objects.values_list("pk", flat=True)))
    return Scope(
        False, frozenset(Agency.objects.filter(code__in=codes).values_list("pk", flat=True))
    )
