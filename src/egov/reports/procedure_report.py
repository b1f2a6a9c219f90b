"""The periodic report on procedure handling (Biểu 06/VPCP/KSTT), computed live from the dossiers.

One grouped query counts every cell for every sector (``COUNT(*) FILTER (WHERE …)``); the
drill-down filters the same rows with the same condition, so a list always has as many dossiers
as its cell says. How each column is counted, and why, is in ``docs/reports.md``; in short:

* The rows are the dossiers **accepted** (``accepted_at`` set) before the period's end by the
  competent agency (``Dossier.agency``) that had not **ended** before its start. Drafts, dossiers
  waiting for reception and dossiers refused or withdrawn at reception were never received and
  are not counted.
* A dossier **ends** when it is resolved (a result, or a refusal after acceptance: ``resolved_at``),
  withdrawn or stopped (the moment of that event). Every received dossier ends in the period in
  exactly one way (resolved before the deadline, on time, late; withdrawn; stopped) or is still
  pending at the period's end (within the deadline or overdue), so
  ``received = resolved + withdrawn + stopped + pending`` holds for every row by construction.
* The deadline is the dossier's ``due_at``, which already moved by the time spent waiting for a
  supplement (:mod:`egov.dossiers.deadlines`). Resolved *before the deadline* is on an earlier
  local day than the due day; *on time* is on the due day, not after the due moment; *late* is
  after it. Pending is measured at the period's end (or now, if the period has not ended); a
  dossier waiting for a supplement is measured at the moment its clock stopped.
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
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import Sector
from egov.dossiers.models import Dossier, DossierEvent, Status

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# Asia/Ho_Chi_Minh has kept UTC+7 without daylight saving since 1975: the local day of a stored
# UTC moment is the date of moment + 7 h (SQLite's own date() does this in C, without Python).
UTC_OFFSET_HOURS = 7
# A report covers at most five years (a leader's term); longer ranges are refused, not truncated.
MAX_PERIOD_DAYS = 5 * 366
# The deadline of a dossier without one: it can never be late.
NO_DEADLINE = datetime(9999, 1, 1, tzinfo=ZONE)

RESOLVED_STATUSES = (Status.RESOLVED, Status.RETURNED, Status.REFUSED)
ENDED_STATUSES = (*RESOLVED_STATUSES, Status.WITHDRAWN, Status.STOPPED)


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
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise PeriodError(_("Kỳ báo cáo dài tối đa %(days)s ngày.") % {"days": MAX_PERIOD_DAYS})
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
            template="((%(expressions)s) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date",
            **extra,
        )


def _end_event() -> Subquery:
    """When a withdrawn or stopped dossier ended: its last withdraw/stop event."""
    events = DossierEvent.objects.filter(
        dossier=OuterRef("pk"), action__in=("withdraw", "stop")
    ).order_by("-at")
    return Subquery(events.values("at")[:1], output_field=DateTimeField())


def rows_considered(
    start_at: datetime, end_at: datetime, as_of: datetime, agency_ids: Iterable[int] | None
) -> QuerySet[Dossier]:
    """The dossiers the report counts, annotated with the moments the cells compare.

    ``ended_at``: null while the dossier is still the agency's work; for an ended one its
    ``resolved_at``, else its withdraw/stop event (evaluated only where ``resolved_at`` is null),
    else its acceptance (an imported dossier without history ends when it began).
    """
    dossiers = Dossier.objects.filter(accepted_at__isnull=False, accepted_at__lt=end_at)
    if agency_ids is not None:
        dossiers = dossiers.filter(agency_id__in=list(agency_ids))
    moment = DateTimeField()
    return (
        dossiers.annotate(
            ended_at=Case(
                When(
                    status__in=ENDED_STATUSES,
                    then=Coalesce("resolved_at", _end_event(), "accepted_at", output_field=moment),
                ),
                default=None,
                output_field=moment,
            ),
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start_at))
        .annotate(
            deadline=Coalesce(
                "due_at", "ended_at", Value(NO_DEADLINE, output_field=moment), output_field=moment
            ),
            # The clock's reading at the measuring moment: frozen while waiting for a supplement.
            clock=Case(
                When(stopped_at__lt=as_of, then=F("stopped_at")),
                default=Value(as_of, output_field=moment),
                output_field=moment,
            ),
        )
    )


def cell_conditions(start_at: datetime, end_at: datetime) -> dict[Cell, Q]:
    """Each cell as a condition on :func:`rows_considered` (the one definition of every cell)."""
    new = Q(accepted_at__gte=start_at)
    ended = Q(ended_at__lt=end_at)
    resolved = ended & Q(status__in=RESOLVED_STATUSES)
    in_deadline = Q(ended_at__lte=F("deadline"))
    same_day = Q(ended_day__gte=F("deadline_day"))
    pending = Q(ended_at__isnull=True) | Q(ended_at__gte=end_at)
    return {
        Cell.RECEIVED: Q(pk__isnull=False),
        Cell.ONLINE: new & Q(channel=Dossier.Channel.ONLINE),
        Cell.DIRECT: new & ~Q(channel=Dossier.Channel.ONLINE),
        Cell.CARRIED_OVER: Q(accepted_at__lt=start_at),
        Cell.RESOLVED: resolved,
        Cell.EARLY: resolved & in_deadline & ~same_day,
        Cell.ON_TIME: resolved & in_deadline & same_day,
        Cell.LATE: resolved & Q(ended_at__gt=F("deadline")),
        Cell.PENDING: pending,
        Cell.PENDING_IN_TIME: pending & Q(deadline__gt=F("clock")),
        Cell.PENDING_OVERDUE: pending & Q(deadline__lte=F("clock")),
        Cell.WITHDRAWN: ended & Q(status=Status.WITHDRAWN),
        Cell.STOPPED: ended & Q(status=Status.STOPPED),
    }


def _with_days(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.annotate(ended_day=LocalDate("ended_at"), deadline_day=LocalDate("deadline"))


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
    (``None``: the whole province), one row per sector with a dossier in it, and the totals."""
    start_at, end_at = period_bounds(start, end)
    as_of = measuring_moment(end_at, at)
    conditions = cell_conditions(start_at, end_at)
    dossiers = _with_days(rows_considered(start_at, end_at, as_of, agency_ids))
    counted = (
        dossiers.values("procedure__sector_id")
        .order_by()
        .annotate(**{cell.value: Count("pk", filter=q) for cell, q in conditions.items()})
    )
    by_sector = {row.pop("procedure__sector_id"): row for row in counted}
    rows = [
        Row(sector.pk, sector.name, {cell: by_sector[sector.pk][cell.value] for cell in Cell})
        for sector in Sector.objects.filter(pk__in=by_sector).order_by("name_folded")
    ]
    totals = {cell: sum(row.counts[cell] for row in rows) for cell in Cell}
    return Report(start, end, as_of, rows, totals)


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
    as_of = measuring_moment(end_at, at)
    dossiers = _with_days(rows_considered(start_at, end_at, as_of, agency_ids))
    dossiers = dossiers.filter(cell_conditions(start_at, end_at)[cell])
    if sector_id is not None:
        dossiers = dossiers.filter(procedure__sector_id=sector_id)
    return dossiers.order_by("accepted_at", "pk")
