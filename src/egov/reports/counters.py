"""The dossier counters: kept equal to the live dossiers in the same transaction as each change.

What one dossier contributes (:func:`contribution`) is a pure function of its row:

* **received** (and, in the same row, **withdrawn** / **stopped** when that is how it ended) in the
  local month of ``accepted_at``, once it has left reception (status neither draft nor submitted);
* in the local month of ``resolved_at``: **resolved_on_time** or **resolved_late**
  (:func:`egov.dossiers.deadlines.late_result`: after the due moment, or after an apology),
  with its **rating** if the applicant gave one — for dossiers
  resolved or returned after acceptance; **refused** (refused after acceptance) or
  **refused_at_reception** (never accepted).

Every write to a dossier goes through ``dossiers.actions._claim``, which calls
:func:`record_change` with the contribution before and after: the difference is added with
``UPDATE … SET n = n + d`` (or an insert when the row does not exist yet), so concurrent actions
never lose an increment. Bulk loads call :func:`add_dossiers` on what they inserted, or
:func:`rebuild` recomputes everything from the dossiers table (``egov rebuild_counters``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DateField, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from egov.core.progress import Progress, Summary
from egov.dossiers import deadlines
from egov.dossiers.models import Dossier, Status
from egov.reports.models import MEASURES, DossierCounter

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_RECEIVED = (Status.DRAFT, Status.SUBMITTED)
RESOLVED = (Status.RESOLVED, Status.RETURNED)

Key = tuple[int, int, date, str]  # agency id, procedure id, first day of the month, channel
Deltas = dict[Key, dict[str, int]]


def month_of(moment: datetime) -> date:
    local = moment.astimezone(ZONE)
    return date(local.year, local.month, 1)


def contribution(dossier: Dossier) -> Deltas:
    """What ``dossier`` adds to the counters in its present state (see the module docstring)."""
    out: Deltas = defaultdict(dict)

    def add(moment: datetime, measure: str) -> None:
        key = (dossier.agency_id, dossier.procedure_id, month_of(moment), dossier.channel)
        out[key][measure] = out[key].get(measure, 0) + 1

    accepted, resolved, status = dossier.accepted_at, dossier.resolved_at, dossier.status
    if accepted is not None and status not in NOT_RECEIVED:
        add(accepted, "received")
        if status == Status.WITHDRAWN:
            add(accepted, "withdrawn")
        elif status == Status.STOPPED:
            add(accepted, "stopped")
    if resolved is not None:
        if status in RESOLVED and accepted is not None:
            late = deadlines.is_late_result(dossier)
            add(resolved, "resolved_late" if late else "resolved_on_time")
            if dossier.rating:
                add(resolved, f"rated_{dossier.rating}")
        elif status == Status.REFUSED:
            add(resolved, "refused" if accepted is not None else "refused_at_reception")
    return dict(out)


def difference(after: Mapping[Key, Mapping[str, int]], before: Mapping[Key, Mapping[str, int]]):
    deltas: Deltas = defaultdict(dict)
    for sign, side in ((1, after), (-1, before)):
        for key, measures in side.items():
            for measure, value in measures.items():
                deltas[key][measure] = deltas[key].get(measure, 0) + sign * value
    return {
        key: nonzero
        for key, measures in deltas.items()
        if (nonzero := {m: v for m, v in measures.items() if v})
    }


def record_change(before: Deltas, dossier: Dossier) -> None:
    """Called by ``dossiers.actions._claim`` after each successful conditional update."""
    apply(difference(contribution(dossier), before))


def apply(deltas: Mapping[Key, Mapping[str, int]]) -> None:
    """Add ``deltas`` to the counter rows (inside the caller's transaction)."""
    for (agency_id, procedure_id, month, channel), measures in deltas.items():
        if not measures:
            continue
        row = DossierCounter.objects.filter(
            agency_id=agency_id, procedure_id=procedure_id, month=month, channel=channel
        )
        increments = {m: F(m) + v for m, v in measures.items()}
        if row.update(**increments):
            continue
        try:
            with transaction.atomic():
                DossierCounter.objects.create(
                    agency_id=agency_id,
                    procedure_id=procedure_id,
                    month=month,
                    channel=channel,
                    **measures,
                )
            continue
        except IntegrityError:
            pass  # a concurrent change created the row a moment ago: add to it
        row.update(**increments)


# --- from the dossiers table, in SQL ------------------------------------------------------------

_KEY = ("agency_id", "procedure_id", "month", "channel")


def _month(field: str) -> TruncMonth:
    return TruncMonth(field, tzinfo=ZONE, output_field=DateField())


def aggregate(dossiers: QuerySet) -> Deltas:
    """The summed contribution of ``dossiers``, computed by two grouped SQL aggregates."""
    out: Deltas = defaultdict(dict)
    received = (
        dossiers.filter(accepted_at__isnull=False)
        .exclude(status__in=NOT_RECEIVED)
        .annotate(month=_month("accepted_at"))
        .values(*_KEY)
        .annotate(
            received=Count("id"),
            withdrawn=Count("id", filter=Q(status=Status.WITHDRAWN)),
            stopped=Count("id", filter=Q(status=Status.STOPPED)),
        )
        .order_by()
    )
    done = Q(status__in=RESOLVED, accepted_at__isnull=False)
    late = deadlines.late_result()
    ratings = {
        f"rated_{value}": Count("id", filter=done & Q(rating=value))
        for value in Dossier.Rating.values
    }
    ended = (
        dossiers.filter(resolved_at__isnull=False)
        .annotate(month=_month("resolved_at"))
        .values(*_KEY)
        .annotate(
            resolved_on_time=Count("id", filter=done & ~late),
            resolved_late=Count("id", filter=done & late),
            refused=Count("id", filter=Q(status=Status.REFUSED, accepted_at__isnull=False)),
            refused_at_reception=Count(
                "id", filter=Q(status=Status.REFUSED, accepted_at__isnull=True)
            ),
            **ratings,
        )
        .order_by()
    )
    for query in (received, ended):
        for row in query:
            key = tuple(row.pop(name) for name in _KEY)
            for measure, value in row.items():
                if value:
                    out[key][measure] = out[key].get(measure, 0) + value
    return dict(out)


@transaction.atomic
def add_dossiers(dossiers: QuerySet) -> int:
    """Count dossiers inserted in bulk (the importer): returns the counter rows touched."""
    deltas = aggregate(dossiers)
    apply(deltas)
    return len(deltas)


def snapshot(rows: Iterable[DossierCounter] | None = None) -> Deltas:
    """The counters as a mapping (zero measures left out), to compare with :func:`aggregate`."""
    rows = DossierCounter.objects.all() if rows is None else rows
    out: Deltas = {}
    for row in rows:
        measures = {m: getattr(row, m) for m in MEASURES if getattr(row, m)}
        if measures:
            out[(row.agency_id, row.procedure_id, row.month, row.channel)] = measures
    return out


def rebuild(out: TextIO | None = None) -> tuple[int, Summary]:
    """Recompute every counter from the dossiers table, one agency at a time, in one transaction.

    On PostgreSQL the counter table is locked first (EXCLUSIVE): an action running meanwhile
    waits at its counter update and adds its change on top of the rebuilt rows once this commits,
    so nothing is counted twice or lost. SQLite serialises writers anyway. Returns the number
    of rows replaced and the summary of the rows written.
    """
    summary = Summary("rebuild_counters")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {DossierCounter._meta.db_table} IN EXCLUSIVE MODE")
        replaced, _ = DossierCounter.objects.all().delete()
        agency_ids = sorted(
            Dossier.objects.order_by().values_list("agency_id", flat=True).distinct()
        )
        progress = Progress("agencies", len(agency_ids), out, every=10)
        for agency_id in agency_ids:
            deltas = aggregate(Dossier.objects.filter(agency_id=agency_id))
            DossierCounter.objects.bulk_create(
                DossierCounter(
                    agency_id=key[0], procedure_id=key[1], month=key[2], channel=key[3], **measures
                )
                for key, measures in deltas.items()
            )
            summary.created += len(deltas)
            progress.step()
    return replaced, summary
