"""The periodic report on procedure handling (Biểu 06/VPCP/KSTT), computed live from the dossiers.

Each counted dossier gets one *outcome* from a single CASE (resolved before the deadline, on
time, late; withdrawn; stopped; pending within the deadline or overdue); one grouped query
counts them per procedure, entry (new or carried over), channel and outcome, and the drill-down
filters the same annotated rows, so a list always has as many dossiers as its cell says.
How each column is counted, and why, is in ``docs/reports.md``; in short:

* The rows are the dossiers **accepted** (``accepted_at`` set) before the period's end by the
  competent agency (``Dossier.agency``) that had not **ended** before its start. Drafts, dossiers
  waiting for reception and dossiers refused or withdrawn at reception were never received and
  are not counted.
* A dossier **ends** when it is resolved (a result, or a refusal after acceptance), withdrawn or
  stopped: ``Dossier.ended_at``, written with that status. Every received dossier ends in the
  period in exactly one way (resolved before the deadline, on time, late; withdrawn; stopped)
  or is still pending at the period's end (within the deadline or overdue), so
  ``received = resolved + withdrawn + stopped + pending`` holds for every row by construction.
* The deadline is the dossier's ``due_at``, which already moved by the time spent waiting for a
  supplement (:mod:`egov.dossiers.deadlines`). Resolved *before the deadline* is on an earlier
  local day than the due day; *on time* is on the due day, not after the due moment; *late* is
  after it, or after an apology with a new appointment (late by the agency's own notice; the
  same rule as :func:`egov.dossiers.deadlines.late_result`). Pending is measured at the
  period's end (or now, if the period has not ended), overdue once the due moment or an apology
  is reached; a dossier waiting for a supplement is measured at the moment its clock stopped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import ExpressionWrapper
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import Procedure, Sector
from egov.core.periods import year_problem
from egov.dossiers import deadlines
from egov.dossiers.models import Dossier, Status

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# Asia/Ho_Chi_Minh has kept UTC+7 without daylight saving since 1975: the local day of a stored
# UTC moment is the date of moment + 7 h, plain arithmetic in both databases.
UTC_OFFSET_HOURS = 7
# A report covers at most five years (a leader's term); longer ranges are refused, not truncated.
MAX_PERIOD_YEARS = 5
MAX_PERIOD_DAYS = MAX_PERIOD_YEARS * 366


class Cell(StrEnum):
    """The report's columns, in the form's order (the numbers are in :data:`COLUMNS`)."""

    RECEIVED = "received"
    ONLINE = "online"
    DIRECT = "direct"
    CARRIED_OVER = "carried_over"
    RESOLVED = "resolved"
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"
    PENDING_IN_TIME = "pending_in_time"
    PENDING_OVERDUE = "pending_overdue"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"


RECEIVED_GROUP = _("Số hồ sơ nhận giải quyết")
RESOLVED_GROUP = _("Số hồ sơ đã giải quyết")
PENDING_GROUP = _("Số hồ sơ đang giải quyết")
OTHER_GROUP = _("Kết thúc không có kết quả (ngoài biểu)")


@dataclass(frozen=True)
class Column:
    cell: Cell
    number: int  # the form's column number (1 is "STT", 2 the sector)
    group: str
    label: str
    in_form: bool = True  # False: our own column beside the form's (the documented exits)

    @property
    def title(self) -> str:
        """The column's full name, e.g. "Số hồ sơ đã giải quyết — Trước hạn (8)"."""
        return f"{self.group} — {self.label} ({self.number})"


COLUMNS: tuple[Column, ...] = (
    Column(Cell.RECEIVED, 3, RECEIVED_GROUP, _("Tổng số")),
    Column(Cell.ONLINE, 4, RECEIVED_GROUP, _("Trực tuyến")),
    Column(Cell.DIRECT, 5, RECEIVED_GROUP, _("Trực tiếp, dịch vụ bưu chính")),
    Column(Cell.CARRIED_OVER, 6, RECEIVED_GROUP, _("Từ kỳ trước")),
    Column(Cell.RESOLVED, 7, RESOLVED_GROUP, _("Tổng số")),
    Column(Cell.EARLY, 8, RESOLVED_GROUP, _("Trước hạn")),
    Column(Cell.ON_TIME, 9, RESOLVED_GROUP, _("Đúng hạn")),
    Column(Cell.LATE, 10, RESOLVED_GROUP, _("Quá hạn")),
    Column(Cell.PENDING, 11, PENDING_GROUP, _("Tổng số")),
    Column(Cell.PENDING_IN_TIME, 12, PENDING_GROUP, _("Trong hạn")),
    Column(Cell.PENDING_OVERDUE, 13, PENDING_GROUP, _("Quá hạn")),
    Column(Cell.WITHDRAWN, 14, OTHER_GROUP, _("Rút hồ sơ"), in_form=False),
    Column(Cell.STOPPED, 15, OTHER_GROUP, _("Dừng xử lý"), in_form=False),
)
COLUMN_OF: dict[Cell, Column] = {c.cell: c for c in COLUMNS}


class PeriodError(ValueError):
    """A period the report cannot cover (the message is for the user)."""


@dataclass(frozen=True)
class Row:
    sector_id: int
    sector_name: str
    counts: dict[Cell, int]


@dataclass(frozen=True)
class Report:
    start: date
    end: date  # inclusive: the last day of the period
    as_of: datetime  # when pending dossiers were measured
    rows: list[Row]
    totals: dict[Cell, int]


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period from ``start`` to ``end`` (both days included) as aware moments in
    Asia/Ho_Chi_Minh: [start 00:00, the day after end 00:00)."""
    if start > end:
        raise PeriodError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
    if problem := year_problem(start, end):
        raise PeriodError(problem)
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise PeriodError(_("Kỳ báo cáo dài tối đa %(years)s năm.") % {"years": MAX_PERIOD_YEARS})
    return (
        datetime.combine(start, time(), ZONE),
        datetime.combine(end + timedelta(days=1), time(), ZONE),
    )


class LocalDate(Func):
    """The Asia/Ho_Chi_Minh calendar day of a stored moment, in native SQL on both databases."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f"date(%(expressions)s, '+{UTC_OFFSET_HOURS} hours')",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            # A fixed offset is plain arithmetic; a zone name is looked up for every row.
            template=f"((%(expressions)s) AT TIME ZONE INTERVAL '{UTC_OFFSET_HOURS} hours')::date",
            **extra,
        )


def rows_considered(
    start_at: datetime, end_at: datetime, as_of: datetime, agency_ids: Iterable[int] | None
) -> QuerySet[Dossier]:
    """The dossiers the report counts, each annotated with its ``outcome``: the one leaf cell
    (:data:`OUTCOMES`) it falls in. One CASE per row decides it, so every received dossier is
    in exactly one of them and the totals add up by construction.

    A dossier whose handling ended (``ended_at``) at or after the period's end was still
    pending at that end. Every condition reads stored columns only: no dossier's history, no
    time-zone lookup, so PostgreSQL and SQLite each compute a row in one pass.
    """
    still_open = Q(ended_at__isnull=True)
    dossiers = Dossier.objects.filter(accepted_at__isnull=False, accepted_at__lt=end_at).filter(
        still_open | Q(ended_at__gte=start_at)
    )
    if agency_ids is not None:
        dossiers = dossiers.filter(agency_id__in=list(agency_ids))
    moment = DateTimeField()
    # The clock's reading at the measuring moment: frozen while waiting for a supplement.
    clock = Case(
        When(stopped_at__lt=as_of, then=F("stopped_at")),
        default=Value(as_of, output_field=moment),
        output_field=moment,
    )
    pending = Case(
        When(deadlines.overdue_at(clock), then=_code(Cell.PENDING_OVERDUE)),
        default=_code(Cell.PENDING_IN_TIME),  # also without a deadline: never overdue
        output_field=IntegerField(),
    )
    outcome = Case(
        When(still_open | Q(ended_at__gte=end_at), then=pending),
        When(status=Status.WITHDRAWN, then=_code(Cell.WITHDRAWN)),
        When(status=Status.STOPPED, then=_code(Cell.STOPPED)),
        When(apologised_at__isnull=False, then=_code(Cell.LATE)),  # deadlines.late_result
        When(due_at__isnull=True, then=_code(Cell.ON_TIME)),  # no deadline to miss
        When(ended_at__gt=F("due_at"), then=_code(Cell.LATE)),
        When(LessThan(LocalDate("ended_at"), LocalDate("due_at")), then=_code(Cell.EARLY)),
        default=_code(Cell.ON_TIME),
        output_field=IntegerField(),
    )
    return dossiers.annotate(
        outcome=outcome,
        # 2: accepted in the period (else carried over); 1: online (else direct or by post).
        entry=Case(When(accepted_at__gte=start_at, then=Value(2)), default=Value(0))
        + Case(When(channel=Dossier.Channel.ONLINE, then=Value(1)), default=Value(0)),
    )


# The leaf cells: every received dossier has exactly one of these outcomes (its index is the
# code the query computes).
OUTCOMES = (
    Cell.EARLY,
    Cell.ON_TIME,
    Cell.LATE,
    Cell.PENDING_IN_TIME,
    Cell.PENDING_OVERDUE,
    Cell.WITHDRAWN,
    Cell.STOPPED,
)
RESOLVED_OUTCOMES = (Cell.EARLY, Cell.ON_TIME, Cell.LATE)
PENDING_OUTCOMES = (Cell.PENDING_IN_TIME, Cell.PENDING_OVERDUE)
KEY_SPAN = 4 * len(OUTCOMES)  # the group key: procedure × KEY_SPAN + outcome × 4 + entry
ENTRIES = {0: Cell.CARRIED_OVER, 1: Cell.CARRIED_OVER, 2: Cell.DIRECT, 3: Cell.ONLINE}


def _code(cell: Cell) -> Value:
    return Value(OUTCOMES.index(cell))


def cell_conditions() -> dict[Cell, Q]:
    """Each cell as a condition on :func:`rows_considered` (the one definition of every cell)."""

    def entries(cell: Cell) -> Q:
        return Q(entry__in=[code for code, entry in ENTRIES.items() if entry == cell])

    def outcomes(*cells: Cell) -> Q:
        return Q(outcome__in=[OUTCOMES.index(cell) for cell in cells])

    return {
        Cell.RECEIVED: Q(pk__isnull=False),
        Cell.ONLINE: entries(Cell.ONLINE),
        Cell.DIRECT: entries(Cell.DIRECT),
        Cell.CARRIED_OVER: entries(Cell.CARRIED_OVER),
        Cell.RESOLVED: outcomes(*RESOLVED_OUTCOMES),
        Cell.PENDING: outcomes(*PENDING_OUTCOMES),
        **{cell: outcomes(cell) for cell in OUTCOMES},
    }


def _cells_of(entry: int, outcome: int) -> list[Cell]:
    """The cells a group of the aggregate adds to: :func:`cell_conditions` on the group's key."""
    leaf = OUTCOMES[outcome]
    cells = [Cell.RECEIVED, ENTRIES[entry], leaf]
    if leaf in RESOLVED_OUTCOMES:
        cells.append(Cell.RESOLVED)
    elif leaf in PENDING_OUTCOMES:
        cells.append(Cell.PENDING)
    return cells


def measuring_moment(end_at: datetime, at: datetime | None = None) -> datetime:
    """Pending dossiers are measured at the period's end, or now for a period still running."""
    return min(end_at, at or timezone.now())


def procedure_report(
    start: date,
    end: date,
    agency_ids: Iterable[int] | None = None,
    *,
    at: datetime | None = None,
) -> Report:
    """Biểu 06 for ``start`` … ``end`` (days included) over the agencies ``agency_ids``
    (``None``: the whole province), one row per sector with a dossier in it, and the totals.

    Grouped queries count the dossiers per (procedure, entry, outcome), packed in one
    integer key (one sort key is much cheaper for SQLite than four): a few hundred groups at
    most, summed here into the sectors' cells.
    """
    start_at, end_at = period_bounds(start, end)
    as_of = measuring_moment(end_at, at)
    key = F("procedure_id") * KEY_SPAN + F("outcome") * 4 + F("entry")
    groups = (
        rows_considered(start_at, end_at, as_of, agency_ids)
        .order_by()
        .annotate(key=ExpressionWrapper(key, output_field=IntegerField()))
        .values("key")
        .annotate(n=Count("pk"))
    )
    by_procedure: dict[int, dict[Cell, int]] = {}
    for group in groups:
        procedure_id, rest = divmod(group["key"], KEY_SPAN)
        counts = by_procedure.setdefault(procedure_id, dict.fromkeys(Cell, 0))
        for cell in _cells_of(rest % 4, rest // 4):
            counts[cell] += group["n"]
    sector_of = dict(Procedure.objects.filter(pk__in=by_procedure).values_list("pk", "sector_id"))
    by_sector: dict[int, dict[Cell, int]] = {}
    for procedure_id, counts in by_procedure.items():
        into = by_sector.setdefault(sector_of[procedure_id], dict.fromkeys(Cell, 0))
        for cell, n in counts.items():
            into[cell] += n
    rows = [
        Row(sector.pk, sector.name, by_sector[sector.pk])
        for sector in Sector.objects.filter(pk__in=by_sector).order_by("name_folded")
    ]
    totals = {cell: sum(row.counts[cell] for row in rows) for cell in Cell}
    return Report(start, end, measuring_moment(end_at, at), rows, totals)


def dossiers_behind(
    cell: Cell | str,
    start: date,
    end: date,
    agency_ids: Iterable[int] | None = None,
    sector_id: int | None = None,
    *,
    at: datetime | None = None,
) -> QuerySet[Dossier]:
    """The dossiers counted in ``cell`` of ``sector_id``'s row (``None``: the totals row)."""
    cell = Cell(cell)
    start_at, end_at = period_bounds(start, end)
    dossiers = rows_considered(start_at, end_at, measuring_moment(end_at, at), agency_ids)
    dossiers = dossiers.filter(cell_conditions()[cell])
    if sector_id is not None:
        dossiers = dossiers.filter(procedure__sector_id=sector_id)
    return dossiers.order_by("accepted_at", "pk")
