from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.identity.forms import SignInForm
from egov.identity.models import ApiToken, SignInAttempt, User
from egov.identity.services import mask_citizen_id


class ThrottledAdminSignInForm(SignInForm):
    """The admin's sign-in goes through the same throttle as the public one, staff only."""

    error_messages = AdminAuthenticationForm.error_messages

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


# The admin site is the most valuable target; without this it would bypass the throttle.
admin.site.login_form = ThrottledAdminSignInForm


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "kind", "full_name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin (password set and changed through its own forms, hashed)."""

    add_form = UserCreationForm
    list_display = ["username", "full_name", "kind", "masked_id", "is_active", "is_demo"]
    list_filter = ["kind", "is_active", "is_staff", "is_demo"]
    search_fields = ["username", "full_name", "phone", "email", "tax_code"]
    ordering = ["username"]
    readonly_fields = ["last_login", "date_joined", "is_demo"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Thông tin"),
            {
                "fields": [
                    "kind",
                    "full_name",
                    "representative_name",
                    "phone",
                    "email",
                    "citizen_id",
                    "tax_code",
                ]
            },
        ),
        (
            _("Quyền"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined", "is_demo"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "kind", "full_name", "password1", "password2"],
            },
        ),
    ]

    @admin.display(description="Số định danh cá nhân")
    def masked_id(self, obj: User) -> str:
        return mask_citizen_id(obj.citizen_id)


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "ip", "success", "refused"]
    list_filter = ["success", "refused"]
    search_fields = ["username", "ip"]
    readonly_fields = ["username", "ip", "success", "refused", "at"]

    def has_add_permission(self, request) -> bool:
        return False  # an audit trail is written by sign-ins, never by hand

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created", "expires_at", "last_used", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["user", "created", "expires_at", "last_used"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens are issued through POST /api/v1/auth/token only
