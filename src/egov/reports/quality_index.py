"""The service-quality index of Decision 766/QĐ-TTg (2022), computed from the platform's own data.

Five groups (transparency 18, progress and results 20, digitisation 22, online service 22,
satisfaction 18 points). Each indicator is a rate measured here, scored as ``rate × its points``;
an indicator the platform cannot measure is reported as such and scores nothing, so the total is
shown beside the points that could be measured. The indicators, their formulas, their points
and every assumption are in ``docs/quality-index.md``.

The figures are grouped by competent agency in a few SQL aggregates, so the province row is the
sum of the agency rows (no double counting).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.agencies.models import Agency
from egov.catalog.models import DocumentComponent, Procedure
from egov.dossiers import deadlines
from egov.dossiers.models import Dossier, DossierFile, Status
from egov.feedback.statistics import FeedbackStatistics, statistics

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_RECEIVED = (Status.DRAFT, Status.SUBMITTED)
RESOLVED = (Status.RESOLVED, Status.RETURNED)
ONLINE_LEVELS = (Procedure.OnlineLevel.FULL, Procedure.OnlineLevel.PARTIAL)

Pair = tuple[int, int]  # (numerator, denominator)


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name: str
    points: float
    formula: str
    # None: the platform has no data for it (the indicator is shown as not measurable).
    measure: Callable[[Figures], Pair] | None = None


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    points: int


GROUPS = (
    Group("transparency", _("Công khai, minh bạch"), 18),
    Group("progress", _("Tiến độ, kết quả giải quyết"), 20),
    Group("digitisation", _("Số hóa hồ sơ"), 22),
    Group("online", _("Cung cấp dịch vụ trực tuyến"), 22),
    Group("satisfaction", _("Mức độ hài lòng"), 18),
)


@dataclass
class Figures:
    """What one agency (or the province) did in the period: counts only."""

    received: int = 0
    received_online: int = 0
    received_with_code: int = 0
    received_digitised: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    resolved_with_result_file: int = 0
    resolved_not_late_nor_dissatisfied: int = 0
    procedures: int = 0
    procedures_online: int = 0
    feedback: FeedbackStatistics | None = None

    def add(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            if name != "feedback":
                setattr(self, name, getattr(self, name) + getattr(other, name))


def _feedback_on_time(f: Figures) -> Pair:
    s = f.feedback
    return (s.answered_on_time, s.received) if s else (0, 0)


def _feedback_satisfied(f: Figures) -> Pair:
    s = f.feedback
    if s is None:
        return (0, 0)
    unhappy = (s.rated - s.satisfied) + s.answered_late + s.pending_overdue
    return (max(s.received - unhappy, 0), s.received)


INDICATORS = (
    Indicator(
        "1.1", "transparency", _("Thủ tục hành chính được công bố, công khai đúng hạn"), 4,
        _("Số TTHC công bố, công khai đúng hạn / số TTHC phải công bố × 100 %"),
    ),
    Indicator(
        "1.2", "transparency", _("Hồ sơ được đồng bộ trạng thái lên Cổng Dịch vụ công quốc gia"), 7,
        _("Số hồ sơ đồng bộ đầy đủ / số hồ sơ tiếp nhận × 100 %"),
    ),
    Indicator(
        "1.3", "transparency", _("Hồ sơ được công khai tiến độ, kết quả (tra cứu bằng mã)"), 7,
        _("Số hồ sơ tiếp nhận trong kỳ có mã tra cứu / số hồ sơ tiếp nhận trong kỳ × 100 %"),
        lambda f: (f.received_with_code, f.received),
    ),
    Indicator(
        "2.1", "progress", _("Hồ sơ giải quyết đúng hạn"), 20,
        _("Số hồ sơ giải quyết trong kỳ đúng hoặc trước hạn / số hồ sơ giải quyết trong kỳ "
          "× 100 %"),
        lambda f: (f.resolved_on_time, f.resolved),
    ),
    Indicator(
        "3.1", "digitisation", _("Hồ sơ được cấp kết quả điện tử"), 8,
        _("Số hồ sơ giải quyết trong kỳ có tệp kết quả / số hồ sơ giải quyết trong kỳ × 100 %"),
        lambda f: (f.resolved_with_result_file, f.resolved),
    ),
    Indicator(
        "3.2", "digitisation", _("Hồ sơ được số hóa thành phần"), 8,
        _("Số hồ sơ tiếp nhận trong kỳ có tệp cho mọi thành phần bắt buộc / số hồ sơ tiếp nhận "
          "trong kỳ × 100 %"),
        lambda f: (f.received_digitised, f.received),
    ),
    Indicator(
        "3.3", "digitisation", _("Khai thác, sử dụng lại thông tin, dữ liệu số hóa"), 6,
        _("Số hồ sơ dùng lại dữ liệu đã số hóa / số hồ sơ tiếp nhận × 100 %"),
    ),
    Indicator(
        "4.1", "online", _("Thủ tục hành chính cung cấp dịch vụ công trực tuyến"), 7,
        _("Số TTHC đang áp dụng trực tuyến toàn trình hoặc một phần / số TTHC đang áp dụng "
          "× 100 %"),
        lambda f: (f.procedures_online, f.procedures),
    ),
    Indicator(
        "4.2", "online", _("Hồ sơ nộp trực tuyến"), 8,
        _("Số hồ sơ tiếp nhận trong kỳ nộp trực tuyến / số hồ sơ tiếp nhận trong kỳ × 100 %"),
        lambda f: (f.received_online, f.received),
    ),
    Indicator(
        "4.3", "online", _("Thanh toán trực tuyến"), 7,
        _("Số giao dịch thanh toán trực tuyến / số hồ sơ phải nộp phí, lệ phí × 100 %"),
    ),
    Indicator(
        "5.1", "satisfaction", _("Phản ánh, kiến nghị xử lý đúng hạn"), 6,
        _("Số PAKN trả lời đúng hoặc trước hạn / số PAKN tiếp nhận trong kỳ thuộc thẩm quyền "
          "× 100 %"),
        _feedback_on_time,
    ),
    Indicator(
        "5.2", "satisfaction", _("Hài lòng trong xử lý phản ánh, kiến nghị"), 6,
        _("(Số PAKN − số không hài lòng − số trả lời quá hạn − số đang quá hạn) / số PAKN "
          "× 100 %"),
        _feedback_satisfied,
    ),
    Indicator(
        "5.3", "satisfaction", _("Hài lòng trong tiếp nhận, giải quyết thủ tục hành chính"), 6,
        _("(Số hồ sơ giải quyết trong kỳ − số quá hạn hoặc bị đánh giá không hài lòng) / số hồ "
          "sơ giải quyết trong kỳ × 100 %"),
        lambda f: (f.resolved_not_late_nor_dissatisfied, f.resolved),
    ),
)  # fmt: skip

assert {g.code: g.points for g in GROUPS} == {
    g.code: sum(i.points for i in INDICATORS if i.group == g.code) for g in GROUPS
}


# --- the figures, grouped by agency -------------------------------------------------------------


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time(), ZONE), datetime.combine(
        end + timedelta(days=1), time(), ZONE
    )


def _by_agency(rows: QuerySet, **counts) -> dict[int, dict[str, int]]:
    return {
        row.pop("agency_id"): row for row in rows.order_by().values("agency_id").annotate(**counts)
    }


def _received(start_at, end_at, agency_ids) -> QuerySet:
    rows = Dossier.objects.filter(accepted_at__gte=start_at, accepted_at__lt=end_at).exclude(
        status__in=NOT_RECEIVED
    )
    return rows if agency_ids is None else rows.filter(agency_id__in=agency_ids)


def _resolved(start_at, end_at, agency_ids) -> QuerySet:
    rows = Dossier.objects.filter(
        status__in=RESOLVED,
        accepted_at__isnull=False,
        resolved_at__gte=start_at,
        resolved_at__lt=end_at,
    )
    return rows if agency_ids is None else rows.filter(agency_id__in=agency_ids)


def _digitised() -> GreaterThanOrEqual:
    """Every mandatory component of the procedure has at least one file in the dossier."""
    needed = (
        DocumentComponent.objects.filter(procedure=OuterRef("procedure_id"), mandatory=True)
        .order_by()
        .values("procedure")
        .annotate(n=Count("id"))
        .values("n")
    )
    filed = (
        DossierFile.objects.filter(
            dossier=OuterRef("pk"), kind=DossierFile.Kind.COMPONENT, component__mandatory=True
        )
        .order_by()
        .values("dossier")
        .annotate(n=Count("component", distinct=True))
        .values("n")
    )
    return GreaterThanOrEqual(
        Coalesce(Subquery(filed, output_field=IntegerField()), 0),
        Coalesce(Subquery(needed, output_field=IntegerField()), 0),
    )


def agency_figures(
    start: date, end: date, agency_ids: Sequence[int] | None, at: datetime | None = None
) -> dict[int, Figures]:
    """The figures of every agency with something to count in the period."""
    at = at or timezone.now()
    start_at, end_at = _bounds(start, end)
    received = _by_agency(
        _received(start_at, end_at, agency_ids),
        received=Count("id"),
        received_online=Count("id", filter=Q(channel=Dossier.Channel.ONLINE)),
        received_with_code=Count("id", filter=Q(code__isnull=False) & ~Q(code="")),
        received_digitised=Count("id", filter=_digitised()),
    )
    late = deadlines.late_result()
    result_file = Exists(
        DossierFile.objects.filter(dossier=OuterRef("pk"), kind=DossierFile.Kind.RESULT)
    )
    resolved = _by_agency(
        _resolved(start_at, end_at, agency_ids).annotate(has_result=result_file),
        resolved=Count("id"),
        resolved_on_time=Count("id", filter=~late),
        resolved_with_result_file=Count("id", filter=Q(has_result=True)),
        resolved_not_late_nor_dissatisfied=Count(
            "id", filter=~late & ~Q(rating=Dossier.Rating.DISSATISFIED)
        ),
    )
    procedures = Procedure.agencies.through.objects.filter(procedure__is_active=True)
    if agency_ids is not None:
        procedures = procedures.filter(agency_id__in=agency_ids)
    offered = _by_agency(
        procedures,
        procedures=Count("procedure_id"),
        procedures_online=Count(
            "procedure_id", filter=Q(procedure__online_level__in=ONLINE_LEVELS)
        ),
    )
    out: dict[int, Figures] = defaultdict(Figures)
    for table in (received, resolved, offered):
        for agency_id, counts in table.items():
            for name, value in counts.items():
                setattr(out[agency_id], name, value)
    for agency_id, figures in out.items():
        figures.feedback = statistics(start, end, [agency_id], at=at)
    return dict(out)


# --- scores -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    indicator: Indicator
    numerator: int | None  # None: not measurable on this platform
    denominator: int | None

    @property
    def measurable(self) -> bool:
        return self.indicator.measure is not None

    @property
    def rate(self) -> float | None:
        """Percent; None when not measurable or nothing to measure (denominator 0)."""
        if not self.measurable or not self.denominator:
            return None
        return 100 * self.numerator / self.denominator

    @property
    def points(self) -> float | None:
        return None if self.rate is None else self.indicator.points * self.rate / 100


@dataclass
class Card:
    """One agency's (or the province's) index."""

    label: str
    agency: Agency | None
    scores: list[Score]
    groups: list[dict] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(s.points or 0 for s in self.scores)

    @property
    def measured_points(self) -> float:
        """The points of the indicators that had something to measure."""
        return sum(s.indicator.points for s in self.scores if s.rate is not None)


def card(label: str, agency: Agency | None, figures: Figures) -> Card:
    scores = []
    for indicator in INDICATORS:
        if indicator.measure is None:
            scores.append(Score(indicator, None, None))
        else:
            scores.append(Score(indicator, *indicator.measure(figures)))
    result = Card(label, agency, scores)
    for group in GROUPS:
        mine = [s for s in scores if s.indicator.group == group.code]
        result.groups.append(
            {
                "group": group,
                "points": sum(s.points or 0 for s in mine),
                "measured": sum(s.indicator.points for s in mine if s.rate is not None),
            }
        )
    return result


@dataclass
class Index:
    start: date
    end: date
    overall: Card
    agencies: list[Card]


def compute(
    start: date,
    end: date,
    agency_ids: Sequence[int] | None,
    *,
    overall_label: str,
    at: datetime | None = None,
) -> Index:
    """The index for each agency and for all of them together (``agency_ids`` None: province)."""
    at = at or timezone.now()
    per_agency = agency_figures(start, end, agency_ids, at)
    total = Figures()
    for figures in per_agency.values():
        total.add(figures)
    total.feedback = statistics(start, end, agency_ids, at=at)
    names = Agency.objects.in_bulk(list(per_agency))
    cards = sorted(
        (card(names[pk].name, names[pk], figures) for pk, figures in per_agency.items()),
        key=lambda c: (-c.total, c.label),
    )
    return Index(start, end, card(overall_label, None, total), cards)
