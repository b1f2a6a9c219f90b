"""The citizen's feedback forms. They parse and keep what was typed; ``feedback.services``
decides (coordinates inside the province, a way to reach an anonymous author, duplicates…)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from egov.catalog.eforms import province_communes
from egov.core.forms import Form
from egov.feedback.models import Item


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``EGOV_FEEDBACK_MAX_PHOTOS`` photos in one file input; their content (JPEG or PNG,
    size) is checked by the domain."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png"})

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f] if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        limit = settings.EGOV_FEEDBACK_MAX_PHOTOS
        if len(files) > limit:
            raise forms.ValidationError(
                _("Chỉ gửi được tối đa %(n)d ảnh.") % {"n": limit}, code="too_many"
            )
        return [super(PhotosField, self).clean(f, initial) for f in files]


class SendForm(Form):
    """One piece of feedback, question or field report. Contact fields only when anonymous,
    coordinates only for field reports."""

    category = forms.ChoiceField(label=_("Lĩnh vực"))
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    text = forms.CharField(label=_("Nội dung"), max_length=5000, widget=_textarea(6))
    commune = forms.ChoiceField(label=_("Xã, phường nơi xảy ra sự việc"))
    address = forms.CharField(label=_("Địa chỉ, địa điểm cụ thể"), max_length=255, required=False)
    latitude = forms.DecimalField(
        label=_("Vĩ độ"),
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        help_text=_("Ví dụ: 11.310000"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Vĩ độ là một số, ví dụ 11.310000.")},
    )
    longitude = forms.DecimalField(
        label=_("Kinh độ"),
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        help_text=_("Ví dụ: 106.098000"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Kinh độ là một số, ví dụ 106.098000.")},
    )
    photos = PhotosField(
        label=_("Ảnh chụp (không bắt buộc)"),
        required=False,
    )
    may_publish = forms.BooleanField(
        label=_("Đồng ý công khai nội dung và câu trả lời (đã che thông tin cá nhân)"),
        required=False,
    )
    contact_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    contact_phone = forms.RegexField(
        label=_("Số điện thoại"),
        regex=r"^0\d{9,10}$",
        required=False,
        error_messages={"invalid": _("Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, kind: str, categories=(), anonymous: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["photos"].help_text = _("Tối đa %(n)s ảnh JPEG hoặc PNG.") % {
            "n": settings.EGOV_FEEDBACK_MAX_PHOTOS
        }
        self.fields["category"].choices = [("", _("— Chọn lĩnh vực —"))] + [
            (c.code, c.name) for c in categories
        ]
        self.fields["commune"].choices = [("", _("— Chọn xã, phường —"))] + [
            (u.code, u.full_name) for u in province_communes()
        ]
        if kind != Item.Kind.FIELD_REPORT:
            del self.fields["latitude"], self.fields["longitude"]
        else:
            self.fields["address"].required = True
        if kind == Item.Kind.QUESTION:
            self.fields["commune"].required = False
            self.fields["commune"].label = _("Xã, phường (không bắt buộc)")
            self.fields["text"].label = _("Câu hỏi")
        if not anonymous:
            for name in ("contact_name", "contact_phone", "contact_email"):
                del self.fields[name]

    @property
    def anonymous(self) -> bool:
        return "contact_phone" in self.fields

    def clean(self):
        data = super().clean()
        missing = not (data.get("contact_phone") or data.get("contact_email"))
        typed_wrong = "contact_phone" in self.errors or "contact_email" in self.errors
        if self.anonymous and missing and not typed_wrong:
            self.add_error(
                "contact_phone", _("Cần số điện thoại hoặc thư điện tử để cơ quan trả lời bạn.")
            )
        return data


class FollowForm(Form):
    code = forms.CharField(
        label=_("Mã phản ánh"),
        max_length=32,
        help_text=_("Ví dụ: PA-261203-0001"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử đã khai khi gửi"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class RateForm(Form):
    rating = forms.ChoiceField(
        label=_("Bạn có hài lòng với câu trả lời?"),
        choices=Item.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn một mức đánh giá.")},
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"), max_length=2000, required=False, widget=_textarea(3)
    )


class ReopenForm(Form):
    reason = forms.CharField(
        label=_("Vì sao câu trả lời chưa giải quyết được vấn đề?"),
        max_length=2000,
        widget=_textarea(3),
        error_messages={"required": _("Hãy cho biết vì sao bạn muốn mở lại.")},
    )


class PublicSearchForm(Form):
    """The public answers page's query string: every field optional, a wrong value dropped."""

    q = forms.CharField(
        label=_("Tìm trong các câu trả lời"),
        required=False,
        max_length=200,
        help_text=_("Có dấu hoặc không dấu đều được."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False)

    def __init__(self, *args, categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Mọi lĩnh vực"))] + [
            (c.code, c.name) for c in categories
        ]
        self.fields["commune"].choices = [("", _("Mọi xã, phường"))] + [
            (u.code, u.full_name) for u in province_communes()
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors and v}
