"""The counters equal the live dossiers after any mix of workflow actions."""

import importlib
import random
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command

from egov.dossiers import actions
from egov.dossiers.legacy import import_file
from egov.dossiers.models import Dossier, Status
from egov.reports import counters
from egov.reports.models import DossierCounter
from tests.dossiers.test_legacy import DATA as LEGACY
from tests.reports.conftest import FORM, accepted, at, local, resolve, submitted


def _random_dossier(cast, rng: random.Random, start) -> None:
    path = rng.choice(
        ["pending", "refuse_at_reception", "supplement_at_reception", "withdraw", "stop",
         "resolve", "resolve_late", "counter", "joint", "supplement_in_handling",
         "refuse_in_handling", "reschedule"]
    )  # fmt: skip
    if path == "pending":
        submitted(cast, start)
        return
    if path == "refuse_at_reception":
        dossier = submitted(cast, start)
        with at(start + timedelta(hours=1)):
            actions.do_refuse(cast.reception, dossier, "Không thuộc thẩm quyền")
        return
    if path == "supplement_at_reception":
        dossier = submitted(cast, start)
        with at(start + timedelta(hours=1)):
            dossier = actions.do_request_supplement(cast.reception, dossier, ["Bản sao CCCD"])
        with at(start + timedelta(days=3)):
            dossier = actions.do_answer_supplement(cast.citizen, dossier)
            actions.do_accept(cast.reception, dossier)
        return
    if path == "counter":
        with at(start):
            dossier = actions.do_receive_at_counter(
                cast.reception, cast.procedure, cast.agency, applicant_name="Lê Văn Quầy",
                form_data=FORM,
            )  # fmt: skip
        resolve(cast, dossier, start + timedelta(days=rng.choice([2, 40])))
        return
    dossier = accepted(cast, start)
    later = start + timedelta(days=rng.randint(1, 5))
    if path == "withdraw":
        with at(later):
            actions.do_withdraw(cast.citizen, dossier)
    elif path == "stop":
        with at(later):
            dossier = actions.do_assign(cast.reception, dossier, cast.specialist)
            actions.do_stop(cast.specialist, dossier, "Người nộp đề nghị dừng")
    elif path in ("resolve", "resolve_late"):
        late = timedelta(days=35) if path == "resolve_late" else timedelta()
        resolve(cast, dossier, later + late, rating=rng.choice(["", *Dossier.Rating.values]))
    elif path == "joint":
        with at(later):
            dossier = actions.do_assign(cast.reception, dossier, cast.specialist)
            dossier = actions.do_hand_over(cast.specialist, dossier, cast.other_agency)
            dossier = actions.do_take_back(cast.specialist, dossier)
        resolve(cast, dossier, later + timedelta(days=1))
    elif path == "supplement_in_handling":
        with at(later):
            dossier = actions.do_assign(cast.reception, dossier, cast.specialist)
            dossier = actions.do_request_supplement(cast.specialist, dossier, ["Tờ khai"])
        with at(later + timedelta(days=2)):
            dossier = actions.do_answer_supplement(cast.citizen, dossier)
        resolve(cast, dossier, later + timedelta(days=3), rating="neutral")
    elif path == "refuse_in_handling":
        with at(later):
            actions.do_refuse(cast.agency_leader, dossier, "Không đủ điều kiện")
    elif path == "reschedule":
        with at(later):
            dossier = actions.do_assign(cast.reception, dossier, cast.specialist)
            dossier = actions.do_apologise_and_reschedule(
                cast.specialist, dossier, dossier.due_at + timedelta(days=40), "Chờ xác minh"
            )
        resolve(cast, dossier, later + timedelta(days=30))


def _live_totals() -> dict[str, int]:
    """The same measures counted straight from the dossiers, one ORM count each."""
    received = Dossier.objects.filter(accepted_at__isnull=False).exclude(
        status__in=(Status.DRAFT, Status.SUBMITTED)
    )
    done = Dossier.objects.filter(status__in=(Status.RESOLVED, Status.RETURNED))
    # Late: after the due moment, or after an apology (whatever the new appointment).
    late = [d for d in done if d.apologised_at or (d.due_at and d.resolved_at > d.due_at)]
    return {
        "received": received.count(),
        "withdrawn": received.filter(status=Status.WITHDRAWN).count(),
        "stopped": received.filter(status=Status.STOPPED).count(),
        "resolved_on_time": done.count() - len(late),
        "resolved_late": len(late),
        "refused": Dossier.objects.filter(status=Status.REFUSED, accepted_at__isnull=False).count(),
        "refused_at_reception": Dossier.objects.filter(
            status=Status.REFUSED, accepted_at__isnull=True
        ).count(),
        **{f"rated_{r}": done.filter(rating=r).count() for r in Dossier.Rating.values},
    }


def _totals(snapshot) -> dict[str, int]:
    out: dict[str, int] = {}
    for measures in snapshot.values():
        for measure, value in measures.items():
            out[measure] = out.get(measure, 0) + value
    return out


@pytest.mark.parametrize("seed", [5, 2026])
def test_counters_equal_the_live_dossiers_after_a_random_mix(cast, seed):
    rng = random.Random(seed)
    for _ in range(18):
        start = local(2026, rng.randint(1, 5), rng.randint(1, 27), 8, rng.randint(0, 59))
        _random_dossier(cast, rng, start)
    # A legacy system's dossiers, stored in bulk by the importer.
    for name in ("semicolon_bom.csv", "dossiers.json"):
        report = import_file(LEGACY / name)
        assert report.ok and report.stored > 0, report.lines()
    kept = counters.snapshot()
    assert kept == counters.aggregate(Dossier.objects.all())
    live = _live_totals()
    assert {k: v for k, v in _totals(kept).items() if v} == {k: v for k, v in live.items() if v}
    assert len({key[2] for key in kept}) > 1  # several months were touched
    call_command("rebuild_counters", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counters.snapshot() == kept


def test_one_resolution_in_a_later_month_is_counted_in_both_months(cast):
    dossier = accepted(cast, local(2026, 1, 30, 9, 0))
    resolve(cast, dossier, local(2026, 2, 26, 9, 0), rating="satisfied")
    rows = {r.month.month: r for r in DossierCounter.objects.filter(agency=cast.agency)}
    assert set(rows) == {1, 2}
    assert rows[1].received == 1 and rows[1].resolved_late == 0
    # Due 13 February (10 working days from 30 January, Tết excepted): resolved late.
    assert rows[2].received == 0 and rows[2].resolved_late == 1 and rows[2].rated_satisfied == 1


def test_a_failed_action_leaves_the_counters_alone(cast):
    dossier = accepted(cast, local(2026, 3, 2, 9, 0))
    before = counters.snapshot()
    with at(local(2026, 3, 3, 9, 0)), pytest.raises(actions.Conflict):
        actions.do_withdraw(cast.citizen, dossier, expected_version=dossier.version - 1)
    assert counters.snapshot() == before


def test_the_month_is_the_local_month(cast):
    # 23:30 on 31 March UTC is 06:30 on 1 April in Hồ Chí Minh City.
    from datetime import UTC, datetime

    assert counters.month_of(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)).month == 4
    assert counters.month_of(datetime(2026, 3, 31, 16, 59, tzinfo=UTC)).month == 3


def test_rebuild_reports_what_it_did(cast, capsys):
    accepted(cast, local(2026, 3, 2, 9, 0))
    DossierCounter.objects.update(received=99)
    call_command("rebuild_counters")
    out = capsys.readouterr().out
    assert "rebuild_counters: 1 created" in out and "1 old rows replaced" in out
    assert DossierCounter.objects.get().received == 1


def test_the_demo_generator_keeps_the_counters(db, settings):
    """`egov demo` plays its dossiers through the actions: the counters follow, no extra call."""
    from egov.dossiers.demo import generate

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    generate(30, 3, seed=11, citizens=2, end=local(2026, 3, 20, 12, 0))
    kept = counters.snapshot()
    assert kept and kept == counters.aggregate(Dossier.objects.all())


def test_the_migration_moves_results_after_an_apology_to_late(cast):
    dossier = accepted(cast, local(2026, 3, 2, 9))
    with at(local(2026, 3, 11, 10)):
        dossier = actions.do_assign(cast.reception, dossier, cast.specialist)
        dossier = actions.do_apologise_and_reschedule(
            cast.specialist, dossier, local(2026, 3, 20, 17), "Chờ xác minh"
        )
    resolve(cast, dossier, local(2026, 3, 16, 10))  # before the new appointment
    [row] = DossierCounter.objects.filter(resolved_late=1)
    # What the counters held before the rule: on time by the new appointment.
    DossierCounter.objects.filter(pk=row.pk).update(resolved_late=0, resolved_on_time=1)
    migration = importlib.import_module("egov.reports.migrations.0002_late_by_apology")
    migration.count_apologies_late(apps, None)
    assert counters.snapshot() == counters.aggregate(Dossier.objects.all())
    row.refresh_from_db()
    assert (row.resolved_late, row.resolved_on_time) == (1, 0)
