"""The one-stop shop's records: internal processes, dossiers, their files and their history.

Decisions written down here (review them with the domain owners):

* A **Process** (quy trình nội bộ) is data. ``procedure = NULL`` marks the default process
  used by every procedure without its own. Steps are ordered; each names the role that acts
  on it (and optionally a unit) and its share of the legal time, either in working hours or
  as a percentage of the legal time. Transitions name the allowed moves (``forward`` and
  ``send_back``); :func:`egov.dossiers.process.validate_process` checks them.
* A **Dossier** carries an internal ``status`` (finer than the national code) and maps it onto
  the national portal's status code (1 … 10) in :meth:`Dossier.national_status`. Several
  internal states share code 4 ("đang xử lý").
* ``public_id`` (a random UUID) is what URLs and the API use, so ids cannot be guessed or
  counted; the integer primary key stays internal (keyset paging, foreign keys).
* ``version`` is the optimistic lock: every action updates ``… WHERE id = X AND version = V``
  and fails with a conflict when another official changed the dossier in between.
* ``current_agency`` is the agency whose queue holds the dossier now: the competent agency,
  or the partner agency during joint processing (liên thông).
* ``sort_due`` is ``due_at`` when the dossier has one, otherwise the submission moment: one
  non-null column so the inbox can page by ``(sort_due, id)`` with a matching index.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.agencies.models import Role


class Process(models.Model):
    procedure = models.OneToOneField(
        "catalog.Procedure",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="process",
        verbose_name=_("thủ tục"),
        help_text=_("Để trống: quy trình mặc định cho các thủ tục chưa có quy trình riêng."),
    )
    name = models.CharField(_("tên quy trình"), max_length=255)

    class Meta:
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from egov.dossiers.process import validate_process

        if self.pk:
            problems = validate_process(self)
            if problems:
                raise ValidationError(problems)


class ProcessStep(models.Model):
    process = models.ForeignKey(
        Process, models.CASCADE, related_name="steps", verbose_name=_("quy trình")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.SlugField(_("mã bước"), max_length=40)
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=24, choices=Role.choices)
    unit_code = models.CharField(
        _("mã phòng thực hiện"),
        max_length=24,
        blank=True,
        help_text=_("Để trống: phòng được giao khi phân công."),
    )
    time_hours = models.PositiveIntegerField(_("thời gian (giờ làm việc)"), null=True, blank=True)
    time_percent = models.PositiveSmallIntegerField(
        _("thời gian (% thời hạn)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["process", "order"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="step_code_per_process"),
            models.UniqueConstraint(fields=["process", "order"], name="step_order_per_process"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ProcessTransition(models.Model):
    class Action(models.TextChoices):
        FORWARD = "forward", _("Chuyển bước tiếp theo")
        SEND_BACK = "send_back", _("Trả lại bước trước")

    process = models.ForeignKey(
        Process, models.CASCADE, related_name="transitions", verbose_name=_("quy trình")
    )
    from_code = models.SlugField(_("từ bước"), max_length=40)
    to_code = models.SlugField(_("đến bước"), max_length=40)
    action = models.CharField(_("thao tác"), max_length=16, choices=Action.choices)

    class Meta:
        verbose_name = _("chuyển bước")
        verbose_name_plural = _("chuyển bước")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "from_code", "action"], name="one_target_per_action"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_code} → {self.to_code} ({self.action})"


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    SUPPLEMENT = "supplement", _("Chờ bổ sung")
    REFUSED = "refused", _("Từ chối")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thanh toán")
    WITHDRAWN = "withdrawn", _("Đã rút")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


# Statuses in which the dossier is still the agency's work (its clock may be running).
ACTIVE_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT)
FINAL_STATUSES = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)
# Statuses in which handling has ended: with a result (returned or not yet) or without one.
ENDED_STATUSES = (Status.RESOLVED, *FINAL_STATUSES)


class Dossier(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        COUNTER = "counter", _("Trực tiếp tại quầy")
        # Through the public postal service (Decree 118/2025/NĐ-CP allows it); only imported
        # dossiers carry it so far: the live intake has no postal desk yet.
        POST = "post", _("Qua dịch vụ bưu chính")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Hài lòng")
        NEUTRAL = "neutral", _("Bình thường")
        DISSATISFIED = "dissatisfied", _("Không hài lòng")

    class SupplementPhase(models.TextChoices):
        RECEPTION = "reception", _("Khi tiếp nhận")
        HANDLING = "handling", _("Khi giải quyết")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("mã hồ sơ"), max_length=48, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        "catalog.Procedure", models.PROTECT, related_name="dossiers", verbose_name=_("thủ tục")
    )
    agency = models.ForeignKey(
        "agencies.Agency", models.PROTECT, related_name="dossiers", verbose_name=_("cơ quan")
    )
    current_agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan đang xử lý"),
    )
    unit = models.ForeignKey(
        "agencies.Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("phòng xử lý"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("người nộp"),
    )
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=150)
    applicant_phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_id_number = models.CharField(_("số định danh"), max_length=14, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    channel = models.CharField(_("kênh nộp"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    current_step = models.ForeignKey(
        ProcessStep,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bước hiện tại"),
    )
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("người xử lý"),
    )
    form_data = models.JSONField(_("dữ liệu tờ khai"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    # When handling ended (a result, a refusal, a withdrawal, a stop), written with the status:
    # the reports read this one column instead of each dossier's history.
    ended_at = models.DateTimeField(null=True, blank=True)
    # The first apology with a new appointment: late from then on (deadlines.late_result).
    apologised_at = models.DateTimeField(null=True, blank=True)
    sort_due = models.DateTimeField(null=True, blank=True)
    # The stopped clock: set while waiting for the applicant's supplement.
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_working_seconds = models.PositiveBigIntegerField(default=0)
    supplement_phase = models.CharField(max_length=12, choices=SupplementPhase.choices, blank=True)
    supplement_round = models.PositiveSmallIntegerField(default=0)
    missing_items = models.JSONField(default=list, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    idempotency_key = models.CharField(max_length=80, blank=True)
    search_key = models.CharField(max_length=300, blank=True, db_index=True)
    rating = models.CharField(max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="dossier_idempotency_per_applicant",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ENDED_STATUSES, ended_at__isnull=False)
                | (~models.Q(status__in=ENDED_STATUSES) & models.Q(ended_at__isnull=True)),
                name="dossier_ended_at_with_status",
            ),
        ]
        indexes = [
            # The inbox: one agency's active dossiers in due order (keyset paging).
            models.Index(fields=["current_agency", "status", "sort_due", "id"]),
            models.Index(fields=["current_agency", "sort_due", "id"]),
            # The specialist's inbox: what was given to them, in due order.
            models.Index(fields=["assignee", "status", "sort_due", "id"]),
            models.Index(fields=["applicant", "created_at"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        return self.code or f"{self.procedure_id}/{self.public_id}"

    def national_status(self) -> int:
        """The national public-service portal's status code (1 new … 10 result returned)."""
        if self.status == Status.REFUSED:
            # Refused at reception = "không được tiếp nhận" (3); refused after acceptance ends
            # the handling with a refusal letter, reported as resolved (9).
            return 3 if self.accepted_at is None else 9
        return NATIONAL_CODES[self.status]


NATIONAL_CODES: dict[str, int] = {
    Status.DRAFT: 1,
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESOLVED: 9,
    Status.RETURNED: 10,
}


class DossierFile(models.Model):
    class Kind(models.TextChoices):
        COMPONENT = "component", _("Thành phần hồ sơ")
        RESULT = "result", _("Kết quả giải quyết")
        FORM = "form", _("Biểu mẫu")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="files")
    component = models.ForeignKey(
        "catalog.DocumentComponent", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    form_kind = models.CharField(max_length=32, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(upload_to="dossiers/%Y/%m/", max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.original_name


class DossierEvent(models.Model):
    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    step = models.ForeignKey(ProcessStep, models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField()
    step_due_at = models.DateTimeField(null=True, blank=True)
    # Working time spent on the step this event closes (None when it closes none).
    working_seconds = models.PositiveBigIntegerField(null=True, blank=True)
    # Copied from a legacy system's record by ``egov import dossiers`` (no actor, no step).
    imported = models.BooleanField(default=False, db_default=False)

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class LegacyDossier(models.Model):
    """Where an imported dossier came from: the legacy system and its id there.

    The unique ``(source, legacy_id)`` pair makes a second import of the same file add nothing;
    ``fingerprint`` (SHA-256 of the row as read) tells an unchanged row from a changed one.
    Kept beside the dossier, not in it, so the busy dossiers table stays as the workflow needs.
    """

    dossier = models.OneToOneField(Dossier, models.CASCADE, related_name="legacy")
    source = models.CharField(_("hệ thống nguồn"), max_length=40)
    legacy_id = models.CharField(_("mã hồ sơ ở hệ thống cũ"), max_length=64)
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("nhập lúc"))

    class Meta:
        verbose_name = _("hồ sơ nhập từ hệ thống cũ")
        verbose_name_plural = _("hồ sơ nhập từ hệ thống cũ")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "legacy_id"], name="one_dossier_per_legacy_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.legacy_id}"


class DailySequence(models.Model):
    """The last number an agency gave on one day (its dossier codes' last four digits)."""

    agency = models.ForeignKey("agencies.Agency", models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="one_sequence_per_agency_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last_number}"
