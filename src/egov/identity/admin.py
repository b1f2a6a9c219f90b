from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from egov.identity.forms import SignInForm
from egov.identity.models import ApiToken, SignInAttempt, User
from egov.identity.services import mask_citizen_id


class ThrottledAdminSignInForm(SignInForm):
    """The admin's sign-in goes through the same throttle as the public one, staff only."""

    confirm_login_allowed = AdminAuthenticationForm.confirm_login_allowed
    error_messages = AdminAuthenticationForm.error_messages


# The admin site is the most valuable target; without this it would bypass the throttle.
admin.site.login_form = ThrottledAdminSignInForm


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "full_name", "kind", "masked_id", "is_active", "is_demo"]
    list_filter = ["kind", "is_active", "is_staff", "is_demo"]
    search_fields = ["username", "full_name", "phone", "email", "tax_code"]
    exclude = ["password"]
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description="Số định danh cá nhân")
    def masked_id(self, obj: User) -> str:
        return mask_citizen_id(obj.citizen_id)


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "ip", "success", "refused"]
    list_filter = ["success", "refused"]
    search_fields = ["username", "ip"]
    readonly_fields = ["username", "ip", "success", "refused", "at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created", "expires_at", "last_used", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["user", "created", "expires_at", "last_used"]
