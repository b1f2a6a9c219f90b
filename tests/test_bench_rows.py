"""The benchmarks' synthetic dossiers are rows the database accepts: every column, and the
constraints the actions keep (``make bench`` bulk-inserts them, so a new column would
otherwise break it unseen)."""

import sys
from datetime import UTC, datetime
from pathlib import Path

from egov.dossiers.models import ENDED_STATUSES, Dossier

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import one_stop
import reports


def test_the_synthetic_dossiers_have_every_column_and_pass_the_constraints(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    fixture = one_stop.prepare()
    now = datetime.now(UTC)
    rows = [
        *one_stop.Generator(fixture, now, recent_rows=100).rows(300),
        *reports.YearGenerator(fixture, now, recent_rows=0).rows(300),
    ]
    for row in rows:
        assert set(row) == set(one_stop.COLUMNS) - {"id"}
    Dossier.objects.bulk_create(Dossier(**row) for row in rows)
    stored = Dossier.objects.filter(code__startswith=fixture.agencies[0][0].code)
    assert stored.count() > 0
    assert {d.status for d in Dossier.objects.all()} >= {*ENDED_STATUSES}
    assert not Dossier.objects.filter(status__in=ENDED_STATUSES, ended_at__isnull=True).exists()
