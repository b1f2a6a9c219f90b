"""The feedback figures the reports need (service-quality index, periodic reports).

Definitions (``docs/feedback.md``), for the items **submitted** in ``[start, end]`` (local dates,
Asia/Ho_Chi_Minh) whose competent agency (``current_agency``) is in ``agency_ids``:

* ``received``: all of them, except items merged into another (a merged item counts once, in
  the item it was merged into);
* ``answered_on_time`` / ``answered_late``: answered by ``at``, at or before / after ``due_at``
  (a reopened item counts by its latest answer, or as pending while it is reopened);
* ``pending_in_time`` / ``pending_overdue``: not answered, rejected or closed by ``at``, with
  ``due_at`` after / at or before ``at``;
* ``forwarded``: forwarded at least once by ``at``;
* ``rejected``: rejected by ``at``;
* ``rated`` / ``satisfied``: rated by the author (any / "satisfied").

Counts are one aggregate query (conditional ``COUNT`` per figure).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q
from django.utils import timezone

from egov.feedback.models import Item

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class FeedbackStatistics:
    received: int
    answered_on_time: int
    answered_late: int
    pending_in_time: int
    pending_overdue: int
    forwarded: int
    rejected: int
    rated: int
    satisfied: int

    @property
    def satisfaction_rate(self) -> float | None:
        """Satisfied over rated; None when nothing was rated."""
        return self.satisfied / self.rated if self.rated else None

    @property
    def answered_on_time_rate(self) -> float | None:
        """On time over all answered; None when nothing was answered."""
        answered = self.answered_on_time + self.answered_late
        return self.answered_on_time / answered if answered else None


def statistics(
    start: date,
    end: date,
    agency_ids: Iterable[int] | None = None,
    *,
    at: datetime | None = None,
) -> FeedbackStatistics:
    at = at or timezone.now()
    begin = datetime.combine(start, time.min, ZONE)
    stop = datetime.combine(end + timedelta(days=1), time.min, ZONE)
    items = Item.objects.filter(
        submitted_at__gte=begin, submitted_at__lt=stop, submitted_at__lte=at
    )
    items = items.exclude(status=Item.Status.MERGED)
    if agency_ids is not None:
        items = items.filter(current_agency_id__in=list(agency_ids))
    answered = Q(answered_at__isnull=False, answered_at__lte=at)
    ended = answered | Q(rejected_at__isnull=False, rejected_at__lte=at)
    ended |= Q(closed_at__isnull=False, closed_at__lte=at)
    pending = ~ended
    figures = items.aggregate(
        received=Count("pk"),
        answered_on_time=Count("pk", filter=answered & Q(answered_at__lte=F("due_at"))),
        answered_late=Count("pk", filter=answered & Q(answered_at__gt=F("due_at"))),
        pending_in_time=Count("pk", filter=pending & Q(due_at__gt=at)),
        pending_overdue=Count("pk", filter=pending & Q(due_at__lte=at)),
        forwarded=Count("pk", filter=Q(forwarded_at__isnull=False, forwarded_at__lte=at)),
        rejected=Count("pk", filter=Q(rejected_at__isnull=False, rejected_at__lte=at)),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating=Item.Rating.SATISFIED)),
    )
    return FeedbackStatistics(**figures)
