"""Deadlines of dossiers and steps, always through the calendar (never wall-clock subtraction).

* The due moment is ``calendar.due(accepted_at, amount, unit)``: counting starts at acceptance
  (Decree 118/2025/NĐ-CP: the time limit runs from the receipt of a complete, valid dossier).
* **The stopped clock.** Time waiting for the applicant's supplement is not counted (Decree
  118/2025/NĐ-CP and Circular 03/2025/TT-VPCP). How it restarts:

  - *Supplement asked at reception* (before acceptance): the dossier is not yet received, so no
    clock runs; when it is accepted after the supplement, the full legal time counts from that
    acceptance (the law counts from the receipt of a complete dossier).
  - *Supplement asked during handling*: the former rule (Decree 61/2018/NĐ-CP, Art. 17(2)(b)… "
    thời gian mà cơ quan, tổ chức đã giải quyết lần đầu được tính trong thời gian giải quyết hồ
    sơ") counts the time already used, so the clock **resumes** with the remaining time. We could
    not verify the article number of the same rule in Decree 118/2025/NĐ-CP, so the behaviour is
    the setting ``EGOV_SUPPLEMENT_CLOCK``: ``"resume"`` (default) or ``"restart"`` (full legal
    time again from the applicant's answer).
* **Late by the apology.** The apology with a new appointment (Mẫu số 04, phiếu xin lỗi và hẹn
  lại ngày trả kết quả) is owed for a dossier that misses its deadline: it is the agency's own
  notice that it does. The new appointment replaces ``due_at`` for the work (the inbox, the
  alerts, what the applicant is told), but the reports count the dossier as late from the
  apology on, whatever the new appointment (:func:`late_result`, :func:`overdue_at`).
* **Deadline state**: ``overdue`` once the due moment has passed; ``due_soon`` while at most one
  working day (``calendar.day_length()``) of working time is left; else ``in_time``. While the
  clock is stopped the state is frozen at the moment it stopped.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import F, Q

from egov.calendar import services as calendar


class DeadlineState(StrEnum):
    IN_TIME = "in_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def late_result() -> Q:
    """Resolved dossiers resolved late: after the due moment, or after an apology."""
    return Q(apologised_at__isnull=False) | Q(due_at__isnull=False, resolved_at__gt=F("due_at"))


def is_late_result(dossier) -> bool:
    """:func:`late_result` for one resolved dossier."""
    if dossier.apologised_at is not None:
        return True
    return dossier.due_at is not None and dossier.resolved_at > dossier.due_at


def overdue_at(moment) -> Q:
    """Open dossiers overdue at ``moment`` (a value or an expression): the due moment reached,
    or the apology given."""
    return Q(due_at__lte=moment) | Q(apologised_at__lte=moment)


def supplement_clock_mode() -> str:
    return settings.EGOV_SUPPLEMENT_CLOCK


def legal_due(procedure, start: datetime) -> datetime:
    unit = procedure.processing_time_unit
    amount = procedure.processing_time_amount
    if unit == "same_day":
        amount = 0
    return calendar.due(start, amount, unit)


def add_working_time(start: datetime, amount: timedelta) -> datetime:
    """The earliest instant by which ``amount`` of working time has elapsed after ``start``.

    Whole hours go through ``calendar.due``; the remainder (under an hour) is found by
    bisection on ``working_time_between``, which is monotone, to the second.
    """
    if amount <= timedelta():
        return calendar.next_working_moment(start)
    hours = int(amount.total_seconds() // 3600)
    rest = amount - timedelta(hours=hours)
    moment = calendar.due(start, hours, "working_hours") if hours else start
    if rest <= timedelta():
        return moment
    low = moment
    high = calendar.due(moment, 1, "working_hours")
    while (high - low) > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if calendar.working_time_between(moment, middle) >= rest:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0) if high.microsecond else high


def state_at(due_at: datetime | None, now: datetime) -> DeadlineState | None:
    if due_at is None:
        return None
    if now >= due_at:
        return DeadlineState.OVERDUE
    if calendar.working_time_between(now, due_at) <= calendar.day_length():
        return DeadlineState.DUE_SOON
    return DeadlineState.IN_TIME


def effective_now(dossier, now: datetime) -> datetime:
    """The clock's reading: frozen at ``stopped_at`` while waiting for the applicant."""
    return dossier.stopped_at or now


def deadline_state(dossier, now: datetime) -> DeadlineState | None:
    """In time, due soon or overdue at ``now`` (None when there is no running deadline)."""
    from egov.dossiers.models import Status

    if dossier.status in (Status.RESOLVED, Status.RETURNED):
        end = dossier.resolved_at or now
        return DeadlineState.OVERDUE if dossier.due_at and end > dossier.due_at else None
    if dossier.status not in (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT):
        return None
    return state_at(dossier.due_at, effective_now(dossier, now))


def step_deadline_state(dossier, now: datetime) -> DeadlineState | None:
    if dossier.status not in ("received", "processing"):
        return None
    return state_at(dossier.step_due_at, now)


def due_soon_threshold(now: datetime) -> datetime:
    """Dossiers due before this moment are due soon (or overdue): one working day ahead."""
    return calendar.due(now, 1, "working_days")


def step_due(step, dossier, start: datetime) -> datetime | None:
    """When ``step`` entered at ``start`` should be done: its hours, or its share of the legal
    time (measured in working time between acceptance and the due moment)."""
    if step.time_hours:
        return calendar.due(start, step.time_hours, "working_hours")
    if step.time_percent and dossier.accepted_at and dossier.due_at:
        legal = calendar.working_time_between(dossier.accepted_at, dossier.due_at)
        return add_working_time(start, legal * step.time_percent / 100)
    return None


def resumed_due(dossier, resumed_at: datetime) -> datetime | None:
    """The new due moment when the applicant answers a supplement asked during handling."""
    if dossier.due_at is None or dossier.stopped_at is None:
        return dossier.due_at
    if supplement_clock_mode() == "restart":
        return legal_due(dossier.procedure, resumed_at)
    remaining = calendar.working_time_between(dossier.stopped_at, dossier.due_at)
    return add_working_time(resumed_at, max(remaining, timedelta()))
