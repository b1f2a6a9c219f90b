from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.text import fold


class AdminUnit(models.Model):
    """An administrative unit (đơn vị hành chính) during its period of validity.

    Codes are the General Statistics Office's. A code can be reused after a reform (new Tây Ninh
    took the former Long An's 80), so a code is unique only among units valid at the same time;
    ``valid_to`` is empty for the units in force. A merger is a data change: close the old units,
    add the new ones and record the succession.

    ``name`` is the proper name without the kind ("Tân Biên"); ``full_name`` adds it ("Xã Tân
    Biên"), and ``name_folded`` is the folded full name that search matches against.
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
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = self.folded_key()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        """The name as written in legal texts: "Xã Tân Biên", "Tỉnh Tây Ninh"."""
        return f"{KIND_PREFIXES[self.kind]} {self.name}"

    def is_valid_on(self, day: date) -> bool:
        # ``valid_to`` is the first day the unit no longer exists (the reform's effective date).
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def folded_key(self) -> str:
        """The search key: the full name folded, so "xa tan bien" and "Tân Biên" both match."""
        return fold(self.full_name)


# The word that opens a unit's full name, by kind (capitalised as at the start of a title).
KIND_PREFIXES: dict[str, str] = {
    AdminUnit.Kind.PROVINCE: "Tỉnh",
    AdminUnit.Kind.CENTRAL_CITY: "Thành phố",
    AdminUnit.Kind.URBAN_DISTRICT: "Quận",
    AdminUnit.Kind.RURAL_DISTRICT: "Huyện",
    AdminUnit.Kind.TOWN: "Thị xã",
    AdminUnit.Kind.PROVINCIAL_CITY: "Thành phố",
    AdminUnit.Kind.COMMUNE: "Xã",
    AdminUnit.Kind.WARD: "Phường",
    AdminUnit.Kind.TOWNSHIP: "Thị trấn",
    AdminUnit.Kind.SPECIAL_ZONE: "Đặc khu",
}


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
