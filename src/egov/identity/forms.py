"""Forms for the account pages: they parse input and show errors; the rules live in services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.identity import services
from egov.identity.models import User

PASSWORD_HELP = _(
    "Ít nhất 8 ký tự, không chỉ gồm chữ số, không quá giống họ tên hay số điện thoại, "
    "không phải mật khẩu phổ biến."
)


class SignInForm(AuthenticationForm):
    """Phone (any written form) or e-mail, and password, checked behind the sign-in throttle."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    username = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean(self):
        identifier = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if identifier is None or not password:
            return self.cleaned_data
        try:
            self.user_cache = services.sign_in(identifier, password, request=self.request)
        except services.TooManyAttempts as exc:
            raise ValidationError(exc.message, code="too_many_attempts") from None
        except services.InvalidCredentials as exc:
            raise ValidationError(exc.message, code="invalid_login") from None
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class _RegistrationForm(forms.Form):
    """What citizens and organisations share: contact (the login) and a password typed twice."""

    # Where a service error on a model field is shown on this form.
    field_for_service_error = {"password": "password1"}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        required=False,
        max_length=20,
        help_text=_("Dùng để đăng nhập. Nhập số điện thoại hoặc thư điện tử, ít nhất một."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return services.normalise_phone(value) if value else ""

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip()
        return services.normalise_email(value) if value else ""

    def clean(self):
        data = super().clean()
        if (
            "phone" not in self.errors
            and "email" not in self.errors
            and not (data.get("phone") or data.get("email"))
        ):
            self.add_error("phone", _("Nhập số điện thoại hoặc địa chỉ thư điện tử (ít nhất một)."))
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp."))
        return data

    def _register(self) -> User:
        raise NotImplementedError

    def save(self) -> User | None:
        """Register through the service; on a rule it enforces, show its errors on the form."""
        try:
            return self._register()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    target = self.field_for_service_error.get(field, field)
                    self.add_error(target if target in self.fields else None, errors)
            else:
                self.add_error(None, exc.messages)
            return None


class CitizenRegistrationForm(_RegistrationForm):
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=14,
        help_text=_("12 chữ số, in trên thẻ căn cước hoặc căn cước công dân."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    field_order = ["full_name", "citizen_id", "phone", "email", "password1", "password2"]

    def clean_citizen_id(self) -> str:
        return services.validate_citizen_id(self.cleaned_data["citizen_id"]).number

    def _register(self) -> User:
        data = self.cleaned_data
        return services.register_citizen(
            full_name=data["full_name"],
            citizen_id=data["citizen_id"],
            phone=data["phone"],
            email=data["email"],
            password=data["password1"],
        )


class OrganisationRegistrationForm(_RegistrationForm):
    organisation_name = forms.CharField(
        label=_("Tên tổ chức, doanh nghiệp"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=16,
        help_text=_("10 chữ số; chi nhánh: 10 chữ số, dấu “-” và 3 chữ số (ví dụ 0100107518-001)."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    representative_name = forms.CharField(
        label=_("Họ và tên người đại diện"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = [
        "organisation_name",
        "tax_code",
        "representative_name",
        "phone",
        "email",
        "password1",
        "password2",
    ]

    def clean_tax_code(self) -> str:
        return services.validate_tax_code(self.cleaned_data["tax_code"])

    def _register(self) -> User:
        data = self.cleaned_data
        return services.register_organisation(
            organisation_name=data["organisation_name"],
            representative_name=data["representative_name"],
            tax_code=data["tax_code"],
            phone=data["phone"],
            email=data["email"],
            password=data["password1"],
        )
