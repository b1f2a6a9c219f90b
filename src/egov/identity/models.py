from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields) -> "User":
        if not username:
            raise ValueError("username is required")
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("kind", User.Kind.STAFF)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One identity across the platform: a citizen, an organisation or an official.

    ``username`` is what the person signs in with: a normalised phone number (0xxxxxxxxx), a
    lower-cased e-mail address, or a staff login chosen by an administrator.
    """

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
        STAFF = "staff", _("Cán bộ, công chức")

    username = models.CharField(_("tên đăng nhập"), max_length=150, unique=True)
    kind = models.CharField(
        _("loại tài khoản"), max_length=16, choices=Kind.choices, default=Kind.CITIZEN
    )
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    # For an organisation ``full_name`` holds its name and this its legal representative.
    representative_name = models.CharField(_("người đại diện"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True, db_index=True)
    citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, db_index=True
    )
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True, db_index=True)
    is_staff = models.BooleanField(_("vào trang quản trị"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_demo = models.BooleanField(_("tài khoản trình diễn"), default=False)
    date_joined = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        # One applicant account per phone, e-mail, ID number and tax code; the database enforces
        # it so two registrations racing each other cannot both succeed. Staff accounts are left
        # out: an official may also hold a personal applicant account with the same phone.
        constraints = [
            models.UniqueConstraint(
                fields=[name],
                condition=models.Q(kind__in=["citizen", "organisation"]) & ~models.Q(**{name: ""}),
                name=f"user_unique_applicant_{name}",
            )
            for name in ("phone", "email", "citizen_id", "tax_code")
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class SignInAttempt(models.Model):
    """One sign-in attempt, kept for the throttle and for the security review's audit trail."""

    username = models.CharField(_("tên đăng nhập đã nhập"), max_length=254)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    success = models.BooleanField(_("thành công"), default=False)
    # Refused by the throttle before the password was even checked; not counted as a failure,
    # so hammering during a wait does not lengthen it for the real owner.
    refused = models.BooleanField(_("bị từ chối do thử quá nhiều"), default=False)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("lần đăng nhập")
        verbose_name_plural = _("lần đăng nhập")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["username", "at"], name="signin_username_at"),
            models.Index(fields=["ip", "at"], name="signin_ip_at"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.username} {self.ip} {'ok' if self.success else 'fail'} {self.at:%Y-%m-%d %H:%M}"
        )


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored, so a database leak reveals none."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("tài khoản"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("ngày cấp"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    last_used = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user} — {self.created:%Y-%m-%d %H:%M}"
