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

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
