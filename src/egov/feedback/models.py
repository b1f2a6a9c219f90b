"""Citizens' feedback and petitions (phản ánh, kiến nghị), questions (hỏi đáp) and field reports
(phản ánh hiện trường), with their categories, photos, history and Open311 clients.

Decisions written down here (see ``docs/feedback.md`` for the reasons):

* ``receiving_agency`` is where the category routed the item on submission; ``current_agency``
  is the agency whose inbox holds it now (the competent agency after a forwarding).
* ``due_at`` is always set while the item is the agencies' work; ``sort_due`` copies it (or
  the submission moment) so the inbox pages by ``(sort_due, id)`` with a matching index.
* ``version`` is the optimistic lock, as for dossiers.
* What is public is stored masked (``public_title``, ``public_text``, ``public_answer``);
  ``published_at`` is set only while the item is answered, may be published and is not hidden.
  The public search reads :class:`SearchToken` rows (one per folded word of a published item,
  with its category and commune copied in) so it never scans the items table; see
  :mod:`egov.feedback.search`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    FEEDBACK = "feedback", _("Phản ánh, kiến nghị")
    QUESTION = "question", _("Hỏi đáp")
    FIELD_REPORT = "field_report", _("Phản ánh hiện trường")


class Category(models.Model):
    """A category of feedback (lĩnh vực phản ánh): where its items go and how long they may take.

    ``code`` is stable (it is also the Open311 ``service_code``). ``local`` categories go to the
    People's Committee of the commune the item names (``UBX<ward code>``); the others to
    ``agency``.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=160)
    description = models.TextField(_("mô tả"), blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_categories",
        verbose_name=_("cơ quan tiếp nhận"),
    )
    local = models.BooleanField(_("chuyển UBND xã theo địa bàn"), default=False)
    deadline_days = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc)"))
    attributes = models.JSONField(_("thông tin bổ sung (Open311)"), default=list, blank=True)
    open311 = models.BooleanField(_("cung cấp qua Open311"), default=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")
        ordering = ["kind", "order", "name"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    Kind = Kind

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ tiếp nhận")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        FORWARDED = "forwarded", _("Đã chuyển cơ quan có thẩm quyền")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo duyệt")
        ANSWERED = "answered", _("Đã trả lời")
        CLOSED = "closed", _("Đã kết thúc")
        REJECTED = "rejected", _("Từ chối")
        MERGED = "merged", _("Đã gộp")

    class Channel(models.TextChoices):
        WEB = "web", _("Cổng dịch vụ công")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Hài lòng")
        NEUTRAL = "neutral", _("Bình thường")
        DISSATISFIED = "dissatisfied", _("Không hài lòng")

    class RejectReason(models.TextChoices):
        DUPLICATE = "duplicate", _("Trùng lặp")
        OUT_OF_SCOPE = "out_of_scope", _("Không thuộc phạm vi xử lý")
        ABUSIVE = "abusive", _("Nội dung xúc phạm, sai sự thật")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("mã phản ánh"), max_length=24, unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    category = models.ForeignKey(
        Category, models.PROTECT, related_name="items", verbose_name=_("lĩnh vực")
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    text = models.TextField(_("nội dung"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    commune = models.ForeignKey(
        "places.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường"),
    )
    address = models.CharField(_("địa chỉ, địa điểm"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    may_publish = models.BooleanField(_("đồng ý công khai"), default=False)
    hidden = models.BooleanField(_("đã ẩn"), default=False)
    hidden_reason = models.CharField(_("lý do ẩn"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("người gửi"),
    )
    contact_name = models.CharField(_("họ tên"), max_length=150, blank=True)
    contact_phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    receiving_agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan tiếp nhận"),
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
        related_name="+",
        verbose_name=_("phòng xử lý"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_feedback",
        verbose_name=_("người xử lý"),
    )
    submitted_at = models.DateTimeField(_("ngày gửi"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    forward_due_at = models.DateTimeField(_("hạn chuyển"), null=True, blank=True)
    sort_due = models.DateTimeField()
    answered_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    draft = models.TextField(_("dự thảo trả lời"), blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    reject_reason = models.CharField(max_length=16, choices=RejectReason.choices, blank=True)
    reject_note = models.TextField(blank=True)
    rating = models.CharField(max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(blank=True)
    reopened = models.PositiveSmallIntegerField(default=0)
    duplicate_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_items",
        verbose_name=_("gộp vào"),
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    attributes = models.JSONField(default=dict, blank=True)
    api_client = models.ForeignKey(
        "ApiClient", models.SET_NULL, null=True, blank=True, related_name="items"
    )
    token = models.CharField(max_length=40, blank=True)
    # A resent submission (double click, retried request) finds the first one by its key; the
    # fingerprint of the cleaned fields tells a true resend from another item under the same key.
    idempotency_key = models.CharField(max_length=80, blank=True)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)
    public_title = models.CharField(max_length=200, blank=True)
    public_text = models.TextField(blank=True)
    public_answer = models.TextField(blank=True)
    search_key = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [
            # The inbox: one agency's open items in due order (keyset paging).
            models.Index(fields=["current_agency", "status", "sort_due", "id"]),
            models.Index(fields=["assignee", "status", "sort_due", "id"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["author", "submitted_at"]),
            models.Index(fields=["submitted_at"]),
            # The public answers, newest first, and the same filtered by category or commune.
            models.Index(
                fields=["-published_at", "-id"],
                name="feedback_published",
                condition=models.Q(published_at__isnull=False),
            ),
            models.Index(
                fields=["category", "-published_at", "-id"],
                name="feedback_published_category",
                condition=models.Q(published_at__isnull=False),
            ),
            models.Index(
                fields=["commune", "-published_at", "-id"],
                name="feedback_published_commune",
                condition=models.Q(published_at__isnull=False),
            ),
            # Duplicates: same category, near in space (bounding box) and time.
            models.Index(fields=["category", "latitude", "longitude"]),
            models.Index(fields=["token"]),
        ]
        constraints = [
            # "The same sender": the signed-in author, or for anonymous senders the key alone.
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=~models.Q(idempotency_key="") & models.Q(author__isnull=False),
                name="feedback_idempotency_per_author",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key="") & models.Q(author__isnull=True),
                name="feedback_idempotency_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def open311_status(self) -> str:
        """Open311 GeoReport v2 knows two states: ``open`` while the agencies work on it."""
        return "open" if self.status in OPEN_STATUSES else "closed"


# The agencies' work: the item is waiting for them and its clock runs.
OPEN_STATUSES = (
    Item.Status.SUBMITTED,
    Item.Status.ACCEPTED,
    Item.Status.FORWARDED,
    Item.Status.IN_PROGRESS,
    Item.Status.AWAITING_APPROVAL,
)


class SearchToken(models.Model):
    """One folded word of a published item, with the item's publication moment, category and
    commune copied in, so a word's newest items, also within one category or commune, are one
    index range read (``token, [category | commune,] published_at DESC, item``).

    ``search.reindex`` is the only writer. The copies carry no constraint or index of their own:
    the item's foreign keys already guard them, and a constraint would make deleting a category
    or a commune scan every word row.
    """

    token = models.CharField(max_length=40)
    published_at = models.DateTimeField()
    item = models.ForeignKey(Item, models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    commune = models.ForeignKey(
        "places.AdminUnit",
        models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        indexes = [
            models.Index(fields=["token", "-published_at", "-item"], name="feedback_token_newest"),
            models.Index(fields=["item", "token"], name="feedback_token_item"),
            models.Index(
                fields=["token", "category", "-published_at", "-item"],
                name="feedback_token_category",
            ),
            models.Index(
                fields=["token", "commune", "-published_at", "-item"],
                name="feedback_token_commune",
            ),
        ]

    def __str__(self) -> str:
        return self.token


class ItemPhoto(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, models.CASCADE, related_name="photos")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(upload_to="feedback/%Y/%m/", max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.original_name


class ItemEvent(models.Model):
    item = models.ForeignKey(Item, models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["item", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class DailySequence(models.Model):
    """The last number given on one day to codes with one prefix (``PA-261203-0001``)."""

    prefix = models.CharField(max_length=4)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="one_feedback_sequence_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day} {self.last_number}"


class ApiClient(models.Model):
    """An Open311 client (an app, a city tool). Only the key's SHA-256 is stored; the key is
    shown once, when the client is created."""

    name = models.CharField(_("tên ứng dụng"), max_length=120)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("đầu khóa"), max_length=8, editable=False)
    contact = models.CharField(_("liên hệ"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cấp"),
    )
    created_at = models.DateTimeField(_("ngày cấp"), auto_now_add=True)
    last_used = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("ứng dụng Open311")
        verbose_name_plural = _("ứng dụng Open311")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
