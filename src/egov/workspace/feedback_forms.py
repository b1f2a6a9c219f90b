"""The officials' feedback forms: one small form per action on an item.

Forms only parse; ``egov.feedback.services`` decides. Each form carries the ``version`` the
official read, so an action on a page that went stale is refused with a conflict, not applied.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.forms import Form
from egov.feedback.models import Item
from egov.workspace.forms import ActionForm, NoteForm, _textarea


class ForwardForm(NoteForm):
    agency = forms.ChoiceField(label=_("Cơ quan có thẩm quyền"))
    field_order = ["agency", "note"]

    def __init__(self, *args, agencies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— Chọn cơ quan —"))] + [
            (str(a.pk), a.name) for a in agencies
        ]


class RejectForm(ActionForm):
    reason = forms.ChoiceField(
        label=_("Lý do"), choices=[("", _("— Chọn lý do —")), *Item.RejectReason.choices]
    )
    note = forms.CharField(
        label=_("Giải thích cho người gửi"), max_length=2000, widget=_textarea(3)
    )


class AssignForm(NoteForm):
    assignee = forms.ChoiceField(label=_("Chuyên viên xử lý"))
    field_order = ["assignee", "note"]

    def __init__(self, *args, specialists=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Chọn chuyên viên —"))] + [
            (str(u.pk), u.full_name or u.username) for u in specialists
        ]


class DraftForm(ActionForm):
    text = forms.CharField(label=_("Nội dung trả lời"), max_length=20000, widget=_textarea(8))


class SendBackForm(ActionForm):
    note = forms.CharField(label=_("Yêu cầu chỉnh sửa"), max_length=2000, widget=_textarea(3))


class HideForm(ActionForm):
    reason = forms.CharField(label=_("Lý do ẩn"), max_length=500, widget=_textarea(2))


class PublicEditForm(ActionForm):
    """The moderator's correction of what the public reads (the originals stay)."""

    title = forms.CharField(label=_("Tiêu đề công khai"), max_length=200)
    text = forms.CharField(label=_("Nội dung công khai"), max_length=10000, widget=_textarea(6))
    answer = forms.CharField(
        label=_("Câu trả lời công khai"), max_length=20000, widget=_textarea(6)
    )
    note = forms.CharField(
        label=_("Lý do sửa"), required=False, max_length=2000, widget=_textarea(2)
    )

    def __init__(self, *args, has_answer: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not has_answer:
            del self.fields["answer"]


class MergeForm(ActionForm):
    into = forms.CharField(label=_("Mã phản ánh gộp vào"), max_length=24)

    def clean_into(self) -> str:
        return self.cleaned_data["into"].strip().upper()


class InboxFilterForm(Form):
    """The inbox's query string: every field optional; a wrong value is dropped, not fatal."""

    q = forms.CharField(
        label=_("Tìm theo mã, tiêu đề hoặc số điện thoại"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), *Item.Status.choices],
    )
    category = forms.ChoiceField(label=_("Lĩnh vực"), required=False)

    def __init__(self, *args, categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Mọi lĩnh vực"))] + [
            (c.code, c.name) for c in categories
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors and v}


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "accept": NoteForm,
    "assign": AssignForm,
    "save_draft": DraftForm,
    "submit_for_approval": DraftForm,
    "approve": NoteForm,
    "send_back": SendBackForm,
    "answer": DraftForm,
    "forward": ForwardForm,
    "reject": RejectForm,
    "merge": MergeForm,
    "hide": HideForm,
    "unhide": NoteForm,
    "edit_public": PublicEditForm,
}
