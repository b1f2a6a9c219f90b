from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminUnit(models.Model):
    """An administrative unit (đơn vị hành chính) during its period of validity.

    Codes are the General Statistics Office's. A code can be reused after a reform (new Tây Ninh
    took the former Long An's 80), so a code is unique only among units valid at the same time;
    ``valid_to`` is empty for the units in force. A merger is a data change: close the old units,
    add the new ones and record the succession.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Cấp tỉnh")
        DISTRICT = 2, _("Cấp huyện (trước 01/7/2025)")
        COMMUNE = 3, _("Cấp xã")

    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("tỉnh")
        CENTRAL_CITY = "thanh_pho_trung_uong", _("thành phố trực thuộc trung ương")
        URBAN_DISTRICT = "quan", _("quận")
        RURAL_DISTRICT = "huyen", _("huyện")
        TOWN = "thi_xa", _("thị xã")
        PROVINCIAL_CITY = "thanh_pho", _("thành phố thuộc tỉnh")
        COMMUNE = "xa", _("xã")
        WARD = "phuong", _("phường")
        TOWNSHIP = "thi_tran", _("thị trấn")
        SPECIAL_ZONE = "dac_khu", _("đặc khu")

    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    codename = models.CharField(max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc"),
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="adminunit_code_per_period"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(valid_to__isnull=True),
                name="adminunit_current_code",
            ),
        ]
        indexes = [models.Index(fields=["parent", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from egov.core.text import fold

        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class UnitSuccession(models.Model):
    """An old unit merged into (or renamed as) a new one, so old records find today's unit."""

    old_unit = models.ForeignKey(AdminUnit, models.CASCADE, related_name="successors")
    new_unit = models.ForeignKey(AdminUnit, models.CASCADE, related_name="predecessors")
    effective_on = models.DateField(_("ngày có hiệu lực"))
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="unitsuccession_unique")
        ]

    def __str__(self) -> str:
        return f"{self.old_unit} → {self.new_unit}"
