"""Two officials at the same moment, on PostgreSQL with real threads and real transactions.

These tests commit, so pytest-django flushes the database after each; they reload the reference
data first when an earlier transactional test flushed it (pytest-django runs transactional
tests after all the others).
"""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from egov.agencies.models import Agency
from egov.core.api_errors import ApiError
from egov.dossiers import actions
from egov.dossiers.models import Dossier
from tests.dossiers.conftest import at, local, submitted

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks: PostgreSQL only"
)


@pytest.fixture
def seeded(transactional_db):
    if not Agency.objects.filter(code="STP").exists():
        for command in ("load_places", "load_agencies", "load_procedures"):
            call_command(command, verbosity=0)


def _race(*calls):
    """Run the calls at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            with at(local(2026, 3, 2, 9, 0)):
                results[index] = call()
        except ApiError as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def pg_cast(seeded, settings):
    from tests.dossiers.conftest import cast as make_cast

    return make_cast.__wrapped__(None, settings)


def test_two_officials_accepting_at_once_one_wins(pg_cast):
    cast = pg_cast
    dossier = submitted(cast)
    second = cast.person("reception")
    results = _race(
        lambda: actions.do_accept(cast.reception, Dossier.objects.get(pk=dossier.pk)),
        lambda: actions.do_accept(second, Dossier.objects.get(pk=dossier.pk)),
    )
    winners = [r for r in results if isinstance(r, Dossier)]
    losers = [r for r in results if isinstance(r, ApiError)]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0].status == 409
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.code == "STP-260302-0001"
    assert fresh.events.filter(action="accept").count() == 1


def test_concurrent_acceptance_gives_unique_sequential_codes(pg_cast):
    cast = pg_cast
    dossiers = [submitted(cast) for _ in range(6)]
    results = _race(
        *[
            (lambda d=d: actions.do_accept(cast.reception, Dossier.objects.get(pk=d.pk)))
            for d in dossiers
        ]
    )
    assert all(isinstance(r, Dossier) for r in results), results
    codes = sorted(
        Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("code", flat=True)
    )
    assert codes == [f"STP-260302-{n:04d}" for n in range(1, 7)]
