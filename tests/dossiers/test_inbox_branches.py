"""The "mine" inbox runs one ordered query per arm of its OR and merges them: the same rows, in
the same order, with the same cursors as the single OR query, at a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.dossiers import access, actions
from egov.dossiers.models import Dossier
from tests.dossiers.conftest import PDF, accepted, at, in_handling, local, submitted

ROLES = ("reception", "specialist", "unit_leader", "agency_leader")


def _mixed(cast, day: int) -> None:
    """Dossiers in every state an inbox shows, some sharing a due moment (ties break on id)."""
    for minute in (0, 0, 5):
        submitted(cast, local(2026, 3, day, 8, minute))
    accepted(cast, local(2026, 3, day, 9, 0))
    accepted(cast, local(2026, 3, day, 9, 0))
    in_handling(cast, local(2026, 3, day, 10, 0))
    at_unit = in_handling(cast, local(2026, 3, day, 10, 0))
    at_agency = in_handling(cast, local(2026, 3, day, 11, 0))
    resolved = in_handling(cast, local(2026, 3, day, 12, 0))
    with at(local(2026, 3, day, 14, 0)):
        actions.do_forward(cast.specialist, at_unit)
        actions.do_forward(cast.unit_leader, actions.do_forward(cast.specialist, at_agency))
        resolved = actions.do_forward(
            cast.unit_leader, actions.do_forward(cast.specialist, resolved)
        )
        resolved = actions.do_approve(cast.agency_leader, resolved)
        actions.add_file(cast.reception, resolved, "Kết quả.pdf", PDF, kind="result")
        actions.do_attach_result(cast.reception, resolved)


def _single_query(user, **filters) -> list[int]:
    """What the inbox showed when it was one query on the OR of ``waiting_for``."""
    qs = Dossier.objects.filter(access.waiting_for(user), sort_due__isnull=False, **filters)
    return list(qs.order_by("sort_due", "pk").values_list("pk", flat=True))


def _paged(user, limit: int, **filters) -> list[int]:
    seen, cursor = [], None
    while True:
        flt = access.QueueFilter(limit=limit, cursor=cursor, now=local(2026, 3, 9, 8, 0), **filters)
        rows, cursor = access.queue_for(user, flt)
        seen += [row.pk for row in rows]
        if cursor is None:
            return seen
        assert cursor == access.encode_cursor(rows[-1])


@pytest.mark.parametrize("name", ROLES)
def test_the_merged_arms_equal_the_single_query(cast, name):
    for day in (2, 3):
        _mixed(cast, day)
    user = cast.person(name)
    expected = _single_query(user)
    assert expected, "the mixed set gives every role some work"
    for limit in (1, 2, 3, 50):
        assert _paged(user, limit) == expected, limit
    assert _paged(user, 2, status="received") == _single_query(user, status="received")


@pytest.mark.parametrize("name", ROLES)
def test_the_inbox_reads_a_fixed_number_of_queries(cast, name):
    user = cast.person(name)
    _mixed(cast, 2)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            access.queue_for(user, access.QueueFilter(limit=3, now=local(2026, 3, 9, 8, 0)))
        return len(queries)

    few = count()
    for day in (3, 4, 5):
        _mixed(cast, day)
    assert count() == few
    # Roles, steps (for step roles), one per arm, the page.
    assert few <= 2 + 6 + 1
