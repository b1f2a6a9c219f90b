"""The years a period (a report, a dashboard, an Open311 search) may name: 2000 to 2100.

Nothing in egov is older than the province's first electronic one-stop records (well after
2000) or plans beyond this century, and Python's dates end in year 9999, so a day near either
end of ``date`` would overflow when a period adds a day or a month to it. One range, checked
where a period is read, answers such input with a clear message instead of a server error
(``docs/periods.md``).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

FIRST_YEAR = 2000
LAST_YEAR = 2100


def year_problem(*days: date) -> str | None:
    """The message for the first of ``days`` outside FIRST_YEAR..LAST_YEAR, or None."""
    for day in days:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            return _("Năm %(year)s nằm ngoài khoảng cho phép (%(first)s–%(last)s).") % {
                "year": day.year,
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
    return None
