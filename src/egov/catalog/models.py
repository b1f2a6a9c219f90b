"""The catalog of administrative procedures (thủ tục hành chính) and their e-forms.

A procedure's public facts (time, fees, components, legal basis) are published under Decree
63/2010/NĐ-CP as amended (the national procedure database, CSDLQG về TTHC); ``code`` is the
national code from that database, so it is the procedure's identity everywhere.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.text import fold


class Sector(models.Model):
    """A field of administration (lĩnh vực), e.g. "Hộ tịch"."""

    name = models.CharField(_("tên lĩnh vực"), max_length=200, unique=True)
    code = models.SlugField(_("mã lĩnh vực"), max_length=200, unique=True)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name_folded"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class Procedure(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    class TimeUnit(models.TextChoices):
        WORKING_DAYS = "working_days", _("ngày làm việc")
        WORKING_HOURS = "working_hours", _("giờ làm việc")
        CALENDAR_DAYS = "calendar_days", _("ngày")
        SAME_DAY = "same_day", _("trong ngày")

    class OnlineLevel(models.TextChoices):
        # Decree 42/2022/NĐ-CP, Article 11: full-online and partial-online public services.
        FULL = "full", _("Trực tuyến toàn trình")
        PARTIAL = "partial", _("Trực tuyến một phần")
        NONE = "none", _("Không trực tuyến")

    code = models.CharField(_("mã thủ tục"), max_length=32, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_folded = models.CharField(max_length=500, editable=False, db_index=True)
    # "<folded code> <folded name>": one indexed column that search can match with LIKE.
    search_key = models.CharField(max_length=540, db_index=True, editable=False)
    sector = models.ForeignKey(
        Sector, models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực")
    )
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices)
    agencies = models.ManyToManyField(
        "agencies.Agency",
        related_name="procedures",
        blank=True,
        verbose_name=_("cơ quan thực hiện"),
    )
    processing_time_amount = models.PositiveIntegerField(_("thời hạn giải quyết"), default=0)
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices
    )
    same_day_cutoff = models.TimeField(
        _("giờ tiếp nhận trước (trong ngày)"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ nhận trước giờ này được giải quyết trong ngày."),
    )
    processing_time_note = models.TextField(_("ghi chú thời hạn"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=16, choices=OnlineLevel.choices
    )
    applicant_types = models.JSONField(_("đối tượng thực hiện"), default=list, blank=True)
    unconfirmed_fields = models.JSONField(
        _("thông tin chưa được xác nhận"),
        default=list,
        blank=True,
        help_text=_("Tên các mục chưa đối chiếu được với nguồn chính thức, ví dụ “fees”."),
    )
    eform = models.JSONField(_("biểu mẫu điện tử"), default=dict, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        # Sorted on the folded name: byte order would put "Chứng" before "Cấp".
        ordering = ["name_folded"]
        indexes = [
            models.Index(fields=["is_active", "name_folded"]),
            models.Index(fields=["level", "online_level"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        self.search_key = f"{fold(self.code)} {self.name_folded}"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from egov.catalog.eforms import validate_eform_schema

        super().clean()
        problems = validate_eform_schema(self.eform)
        if problems:
            raise ValidationError({"eform": problems})
        if self.processing_time_unit == self.TimeUnit.SAME_DAY and self.same_day_cutoff is None:
            raise ValidationError(
                {"same_day_cutoff": _("Thủ tục giải quyết trong ngày cần có giờ tiếp nhận.")}
            )

    def is_unconfirmed(self, field: str) -> bool:
        return field in (self.unconfirmed_fields or [])


class Fee(models.Model):
    """A fee or charge (phí, lệ phí) in whole đồng."""

    procedure = models.ForeignKey(
        Procedure, models.CASCADE, related_name="fees", verbose_name=_("thủ tục")
    )
    name = models.CharField(_("tên phí, lệ phí"), max_length=300)
    amount_vnd = models.PositiveBigIntegerField(_("mức thu (đồng)"), default=0)
    note = models.TextField(_("ghi chú"), blank=True)
    unconfirmed = models.BooleanField(_("chưa được xác nhận"), default=False)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure", "id"]

    def __str__(self) -> str:
        return self.name


class DocumentComponent(models.Model):
    """One paper of the dossier (thành phần hồ sơ)."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        COPY = "copy", _("Bản sao")
        CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
        ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")
        ELECTRONIC = "electronic", _("Bản điện tử")

    procedure = models.ForeignKey(
        Procedure, models.CASCADE, related_name="components", verbose_name=_("thủ tục")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    form = models.CharField(_("hình thức"), max_length=20, choices=Form.choices)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    template_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=300, blank=True)
    template = models.FileField(
        _("tệp mẫu"), upload_to="catalog/templates/", blank=True, max_length=300
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.Model):
    """A legal document the procedure rests on (căn cứ pháp lý)."""

    procedure = models.ForeignKey(
        Procedure, models.CASCADE, related_name="legal_bases", verbose_name=_("thủ tục")
    )
    title = models.CharField(_("văn bản"), max_length=500)
    articles = models.CharField(_("điều, khoản"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["procedure", "id"]

    def __str__(self) -> str:
        return self.title
