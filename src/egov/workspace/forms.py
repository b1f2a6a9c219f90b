"""The workspace's forms: one small form per dossier action, the inbox filters, counter intake.

Forms only parse; the ``do_*`` actions decide. Each action form carries the ``version`` the
official read, so an action on a page that went stale is refused with a conflict, not applied.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.forms import Form
from egov.dossiers.models import Status

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ActionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000, widget=_textarea())


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=_textarea(3))


class SupplementForm(ActionForm):
    missing_items = forms.CharField(
        label=_("Giấy tờ, thông tin cần bổ sung"),
        help_text=_("Mỗi dòng một mục."),
        max_length=4000,
        widget=_textarea(3),
    )
    note = forms.CharField(label=_("Lý do"), required=False, max_length=2000, widget=_textarea())

    def items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["missing_items"].splitlines()]


class AssignForm(NoteForm):
    assignee = forms.ChoiceField(label=_("Chuyên viên xử lý"))
    field_order = ["assignee", "note"]

    def __init__(self, *args, specialists=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Chọn chuyên viên —"))] + [
            (str(u.pk), u.full_name or u.username) for u in specialists
        ]


class ResultForm(NoteForm):
    file = forms.FileField(label=_("Tệp kết quả"), help_text=_("PDF, ảnh, Word hoặc Excel."))
    field_order = ["file", "note"]


class RescheduleForm(ActionForm):
    new_due = forms.DateTimeField(
        label=_("Ngày giờ hẹn trả mới"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("Lý do chậm trễ"), max_length=2000, widget=_textarea(3))

    def new_due_at(self) -> datetime:
        moment = self.cleaned_data["new_due"]
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=ZONE)
        return moment


class HandOverForm(NoteForm):
    agency = forms.ChoiceField(label=_("Cơ quan phối hợp"))
    field_order = ["agency", "note"]

    def __init__(self, *args, agencies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— Chọn cơ quan —"))] + [
            (str(a.pk), a.name) for a in agencies
        ]


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "accept": NoteForm,
    "assign": AssignForm,
    "forward": NoteForm,
    "approve": NoteForm,
    "attach_result": ResultForm,
    "return_result": NoteForm,
    "send_back": NoteForm,
    "request_supplement": SupplementForm,
    "refuse": ReasonForm,
    "apologise_and_reschedule": RescheduleForm,
    "stop": ReasonForm,
    "hand_over": HandOverForm,
    "take_back": NoteForm,
}


class InboxFilterForm(Form):
    """The inbox's query string: every field optional; a wrong value is dropped, not fatal."""

    q = forms.CharField(
        label=_("Tìm theo mã hồ sơ, tên hoặc số định danh"), required=False, max_length=100
    )
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái"))] + [c for c in Status.choices if c[0] != Status.DRAFT],
    )
    date_from = forms.DateField(
        label=_("Nộp từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, procedures=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Mọi thủ tục"))] + [
            (p.code, p.name) for p in procedures
        ]

    def filters(self) -> dict:
        """Keyword arguments for ``access.QueueFilter`` (dates as moments in Vietnam's time)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors and v}
        found: dict = {}
        for key in ("q", "procedure", "status"):
            if data.get(key):
                found[key] = data[key]
        if data.get("date_from"):
            found["date_from"] = datetime.combine(data["date_from"], time(), ZONE)
        if data.get("date_to"):
            # The last day counts in full: up to midnight that ends it.
            found["date_to"] = datetime.combine(data["date_to"] + timedelta(days=1), time(), ZONE)
        return found


class ApplicantForm(Form):
    """The person at the counter."""

    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150)
    applicant_id_number = forms.RegexField(
        label=_("Số định danh cá nhân (căn cước)"),
        regex=r"^\d{12}$",
        error_messages={"invalid": _("Số định danh gồm đúng 12 chữ số.")},
    )
    applicant_phone = forms.RegexField(
        label=_("Số điện thoại"),
        regex=r"^0\d{9,10}$",
        error_messages={"invalid": _("Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=255)
