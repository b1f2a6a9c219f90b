"""Concurrent acceptances on PostgreSQL (real threads, real transactions): no increment lost,
also when several transactions create the same counter row at once."""

import pytest
from django.db import connection

from egov.dossiers import actions
from egov.dossiers.models import Dossier
from egov.reports import counters
from egov.reports.models import DossierCounter
from tests.dossiers.test_concurrency import _race, pg_cast, seeded  # noqa: F401
from tests.reports.conftest import submitted

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks: PostgreSQL only"
)


def test_concurrent_acceptances_count_every_dossier(pg_cast):  # noqa: F811
    cast = pg_cast
    dossiers = [submitted(cast) for _ in range(6)]
    # The six acceptances race for the same counter row, which none of them finds at first.
    assert not DossierCounter.objects.exists()
    results = _race(
        *[
            (lambda d=d: actions.do_accept(cast.reception, Dossier.objects.get(pk=d.pk)))
            for d in dossiers
        ]
    )
    assert all(isinstance(r, Dossier) for r in results), results
    assert DossierCounter.objects.get().received == 6
    assert counters.snapshot() == counters.aggregate(Dossier.objects.all())


def test_concurrent_first_increments_of_one_row_all_land(pg_cast):  # noqa: F811
    """Eight transactions add to a row none of them finds: the inserts collide on the unique key
    and the losers add to the winner's row instead."""
    from datetime import date

    from django.db import transaction

    cast = pg_cast
    key = (cast.agency.pk, cast.procedure.pk, date(2026, 3, 1), "online")

    def add():
        with transaction.atomic():
            counters.apply({key: {"received": 1, "rated_satisfied": 1}})
        return True

    assert _race(*[add] * 8) == [True] * 8
    row = DossierCounter.objects.get()
    assert (row.received, row.rated_satisfied) == (8, 8)
