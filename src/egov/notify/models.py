"""One row per message to send: an event (a dossier accepted, a supplement requested …) on one
channel. The unique (event_key, channel) pair is what makes "never sent twice" hold even when the
caller retries or two processes raise the same event."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        RETRYING = "retrying", _("Chờ gửi lại")
        SENT = "sent", _("Đã gửi")
        SKIPPED = "skipped", _("Bỏ qua")
        FAILED = "failed", _("Gửi không được")

    # Also the reference sent to the SMS gateway, which deduplicates on it.
    reference = models.UUIDField(
        _("mã tham chiếu"), default=uuid.uuid4, unique=True, editable=False
    )
    event_key = models.CharField(_("sự kiện"), max_length=200)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    template = models.CharField(_("mẫu"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The address as it was when the event happened: an applicant who changes the phone later
    # does not redirect a message already raised.
    address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body_text = models.TextField(_("nội dung"), blank=True)
    body_html = models.TextField(_("nội dung HTML"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin thông báo")
        verbose_name_plural = _("tin thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event_key", "channel"], name="notify_one_per_event"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="notify_status_idx")]

    def __str__(self) -> str:
        return f"{self.event_key} [{self.channel}] {self.status}"
