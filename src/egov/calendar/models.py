"""The province's own calendar decisions, which win over the ``holidays`` package."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayOverride(models.Model):
    """One date whose status an authority decided for a given year.

    Each year the Prime Minister (or the Ministry of Home Affairs on his behalf) announces the
    days off and make-up working days for civil servants (e.g. around Tết or 2 September); the
    province may add its own. Those decisions are data, entered here, not code.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(
        _("tên"), max_length=200, help_text=_("Ví dụ: Nghỉ Tết Nguyên Đán, Ngày làm bù cho 02/05.")
    )
    legal_basis = models.CharField(
        _("căn cứ pháp lý"),
        max_length=300,
        blank=True,
        help_text=_("Văn bản quyết định, ví dụ: Thông báo số …/TB-BNV."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.WORKING_DAY
