"""``Dossier.ended_at``: written with every status that ends handling, never without one, and
filled for the dossiers stored before the column existed."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F

from egov.dossiers import actions
from egov.dossiers.models import Dossier, Status
from tests.dossiers.conftest import PDF, at, in_handling, local, submitted

WHEN = local(2026, 3, 4, 10, 30)


def _result(cast, dossier):
    with at(WHEN):
        dossier = actions.do_forward(cast.specialist, dossier)
        dossier = actions.do_forward(cast.unit_leader, dossier)
        dossier = actions.do_approve(cast.agency_leader, dossier)
        actions.add_file(cast.reception, dossier, "Kết quả.pdf", PDF, kind="result")
        return actions.do_attach_result(cast.reception, dossier)


ENDINGS = {
    "result": _result,
    "refusal at reception": lambda cast, d: actions.do_refuse(cast.reception, d, "Sai thẩm quyền"),
    "refusal in handling": lambda cast, d: actions.do_refuse(
        cast.specialist, d, "Không đủ điều kiện"
    ),
    "stop": lambda cast, d: actions.do_stop(cast.specialist, d, "Người nộp đề nghị dừng"),
    "withdrawal": lambda cast, d: actions.do_withdraw(cast.citizen, d, "Không còn nhu cầu"),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_every_ending_writes_the_moment_it_happened(cast, ending):
    dossier = submitted(cast) if ending == "refusal at reception" else in_handling(cast)
    assert dossier.ended_at is None
    with at(WHEN):
        dossier = ENDINGS[ending](cast, dossier)
    dossier.refresh_from_db()
    assert dossier.ended_at == WHEN
    if dossier.status == Status.RESOLVED:
        with at(local(2026, 3, 5, 9, 0)):
            dossier = actions.do_return_result(cast.reception, dossier)
        dossier.refresh_from_db()
        assert dossier.status == Status.RETURNED and dossier.ended_at == WHEN  # the result's day


def test_an_ended_status_without_its_moment_is_refused_by_the_database(cast):
    dossier = in_handling(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(status=Status.RETURNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(ended_at=WHEN)  # still in handling


def test_the_migration_fills_the_moment_from_the_result_or_the_history(cast):
    resolved = _result(cast, in_handling(cast))
    with at(WHEN):
        withdrawn = actions.do_withdraw(cast.citizen, in_handling(cast), "Không cần nữa")
    pending = in_handling(cast)
    # What the migration meets: rows without the moment (here a wrong one: NULL is refused).
    Dossier.objects.filter(pk__in=[resolved.pk, withdrawn.pk]).update(ended_at=F("created_at"))
    migration = importlib.import_module("egov.dossiers.migrations.0004_ended_at")
    migration.fill_ended_at(apps, None)
    ended = dict(Dossier.objects.values_list("pk", "ended_at"))
    assert ended[resolved.pk] == resolved.resolved_at == WHEN
    assert ended[withdrawn.pk] == WHEN  # the withdraw event, not the acceptance
    assert ended[pending.pk] is None


def test_the_first_apology_is_kept_and_filled_for_stored_rows(cast):
    dossier = in_handling(cast)
    first, second = local(2026, 3, 11, 10), local(2026, 3, 19, 10)
    with at(first):
        dossier = actions.do_apologise_and_reschedule(
            cast.specialist, dossier, local(2026, 3, 20, 17), "Chờ xác minh"
        )
    with at(second):
        dossier = actions.do_apologise_and_reschedule(
            cast.specialist, dossier, local(2026, 3, 27, 17), "Chờ kết quả xác minh"
        )
    dossier.refresh_from_db()
    assert dossier.apologised_at == first and dossier.due_at == local(2026, 3, 27, 17)
    untouched = in_handling(cast)
    Dossier.objects.filter(pk=dossier.pk).update(apologised_at=None)  # before the column
    importlib.import_module("egov.dossiers.migrations.0005_apologised_at").fill_apologised_at(
        apps, None
    )
    stored = dict(Dossier.objects.values_list("pk", "apologised_at"))
    assert stored == {dossier.pk: first, untouched.pk: None}
