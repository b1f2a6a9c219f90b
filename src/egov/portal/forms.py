from django import forms
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import Procedure
from egov.catalog.services import provincial_agencies, sectors_with_counts
from egov.core.forms import Form


class CatalogSearchForm(forms.Form):
    """The catalog page's query string: every field optional, bad values reported, not fatal."""

    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Tất cả các cấp")), *Procedure.Level.choices],
    )
    online_level = forms.ChoiceField(
        label=_("Mức độ trực tuyến"),
        required=False,
        choices=[("", _("Tất cả các mức")), *Procedure.OnlineLevel.choices],
    )
    agency = forms.ChoiceField(label=_("Cơ quan cấp tỉnh"), required=False)
    agency_name = forms.CharField(
        label=_("Hoặc tên cơ quan, xã, phường"), required=False, max_length=100
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sectors = list(sectors_with_counts())
        self.fields["sector"].choices = [("", _("Tất cả lĩnh vực"))] + [
            (s.code, s.name) for s in self.sectors
        ]
        self.fields["agency"].choices = [("", _("Tất cả cơ quan"))] + [
            (a.code, a.name) for a in provincial_agencies()
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters as keyword arguments for ``search_procedures``."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if self.is_bound and not self.is_valid():
            # Keep the valid parts of a partly wrong query rather than dropping everything.
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return {k: v for k, v in data.items() if v}


class UnechoedInput(forms.TextInput):
    """A text input that never renders what was typed: the page holds no phone digits."""

    def format_value(self, value):
        return None


class TrackForm(Form):
    """Public tracking: the dossier code and the last four digits of the applicant's phone.

    Both fields are optional on purpose: every POST goes to ``access.track``, which judges the
    pair and counts each wrong one against the address, so a blank or malformed pair is a
    failed attempt there as it always was, and its answer is the same as any wrong pair's.
    """

    code = forms.CharField(
        label=_("Mã hồ sơ"),
        required=False,
        help_text=_("Ví dụ: UBX25456-260302-0001"),
        widget=forms.TextInput(
            attrs={"maxlength": 48, "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    phone_last4 = forms.CharField(
        label=_("4 số cuối điện thoại người nộp"),
        required=False,
        widget=UnechoedInput(
            attrs={
                "maxlength": 4,
                "inputmode": "numeric",
                "pattern": "[0-9]{4}",
                "autocomplete": "off",
                "class": "short",
            }
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "track-%s")
        super().__init__(*args, **kwargs)
