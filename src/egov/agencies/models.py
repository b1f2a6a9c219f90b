from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.text import fold


class Agency(models.Model):
    """An authority (cơ quan) that receives or handles dossiers.

    ``code`` is short, upper-case and unique: it opens every dossier code the agency issues
    (``<code>-<YYMMDD>-<NNNN>``), so it never changes once dossiers carry it.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        SERVICE_CENTRE = "service_centre", _("Trung tâm phục vụ hành chính công")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        OTHER = "other", _("Cơ quan khác")

    code = models.CharField(_("mã cơ quan"), max_length=24, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    name_folded = models.CharField(max_length=320, db_index=True, editable=False, default="")
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    place = models.ForeignKey(
        "places.AdminUnit", models.PROTECT, related_name="agencies", verbose_name=_("địa bàn")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = self.folded_key()
        super().save(*args, **kwargs)

    def folded_key(self) -> str:
        """The search key: name and short name folded ("uy ban nhan dan xa tan bien ubnd …")."""
        return fold(f"{self.name} {self.short_name}")


class Unit(models.Model):
    """A unit (phòng, bộ phận) inside an agency."""

    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="units", verbose_name=_("cơ quan")
    )
    code = models.CharField(_("mã đơn vị"), max_length=24)
    name = models.CharField(_("tên đơn vị"), max_length=255)

    class Meta:
        verbose_name = _("đơn vị, phòng")
        verbose_name_plural = _("đơn vị, phòng")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.agency.short_name or self.agency.name}"


class Role(models.TextChoices):
    RECEPTION_OFFICER = "reception_officer", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo phòng")
    AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")
    ADMINISTRATOR = "administrator", _("Quản trị")
    AUDITOR = "auditor", _("Thanh tra, kiểm tra")


class StaffRole(models.Model):
    """One role an official holds in one agency (and, for unit roles, one unit)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("cán bộ"),
    )
    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="staff_roles", verbose_name=_("cơ quan")
    )
    unit = models.ForeignKey(
        Unit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_roles",
        verbose_name=_("phòng"),
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                name="staffrole_agency_unique",
                condition=models.Q(unit__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["user", "agency", "unit", "role"],
                name="staffrole_unit_unique",
                condition=models.Q(unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"
