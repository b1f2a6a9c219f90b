"""The applicant's side of the one-stop shop: small helpers the portal pages share.

Every write goes through :mod:`egov.dossiers.actions`; this module only turns posted forms into
the shapes those actions take, and dossier data into what a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from egov.catalog.eforms import fields_of, province_communes
from egov.core.api_errors import ApiError
from egov.dossiers import deadlines
from egov.dossiers.actions import now
from egov.dossiers.models import Dossier, DossierEvent, DossierFile, Status

# What the applicant reads in the timeline, one line per action of egov.dossiers.actions.
ACTION_LABELS = {
    "create": gettext_lazy("Tạo hồ sơ nháp"),
    "submit": gettext_lazy("Nộp hồ sơ trực tuyến"),
    "receive_at_counter": gettext_lazy("Nộp hồ sơ tại quầy"),
    "accept": gettext_lazy("Tiếp nhận hồ sơ"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "answer_supplement": gettext_lazy("Bổ sung hồ sơ"),
    "refuse": gettext_lazy("Từ chối giải quyết"),
    "assign": gettext_lazy("Phân công xử lý"),
    "forward": gettext_lazy("Chuyển bước xử lý tiếp theo"),
    "send_back": gettext_lazy("Trả lại bước xử lý trước"),
    "approve": gettext_lazy("Phê duyệt kết quả"),
    "attach_result": gettext_lazy("Đã có kết quả giải quyết"),
    "return_result": gettext_lazy("Trả kết quả"),
    "stop": gettext_lazy("Dừng xử lý hồ sơ"),
    "apologise_and_reschedule": gettext_lazy("Xin lỗi và hẹn lại ngày trả kết quả"),
    "withdraw": gettext_lazy("Rút hồ sơ"),
    "hand_over": gettext_lazy("Chuyển liên thông sang cơ quan khác"),
    "take_back": gettext_lazy("Nhận lại hồ sơ từ cơ quan liên thông"),
    "rate": gettext_lazy("Đánh giá mức độ hài lòng"),
}
# Notes the applicant is meant to read (reasons, their own notes); the officials' internal
# notes on assignment and forwarding stay in the workspace.
PUBLIC_NOTE_ACTIONS = {
    "request_supplement",
    "answer_supplement",
    "refuse",
    "stop",
    "apologise_and_reschedule",
    "withdraw",
}
DEADLINE_LABELS = {
    deadlines.DeadlineState.IN_TIME: gettext_lazy("Trong hạn"),
    deadlines.DeadlineState.DUE_SOON: gettext_lazy("Sắp đến hạn"),
    deadlines.DeadlineState.OVERDUE: gettext_lazy("Quá hạn"),
}
WITHDRAWABLE = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.SUPPLEMENT,
    Status.RECEIVED,
    Status.PROCESSING,
)
RATEABLE = (Status.RESOLVED, Status.RETURNED)


def error_of(exc: ApiError) -> str:
    return exc.message


# --- the e-form -----------------------------------------------------------------------------


def posted_form_data(eform: dict | None, post) -> dict[str, Any]:
    """The values of the e-form's own fields from a POST (other keys are ignored)."""
    data: dict[str, Any] = {}
    for f in fields_of(eform):
        name = f["name"]
        if f["type"] == "checkbox":
            data[name] = name in post
        else:
            data[name] = post.get(name, "")
    return data


def form_errors(exc: ApiError) -> dict[str, str]:
    """Field → message from the actions' ``invalid_form`` error (``details`` list)."""
    found = {}
    for item in exc.details or []:
        if isinstance(item, dict) and "field" in item:
            found[str(item["field"])] = str(item.get("message", ""))
    return found


@dataclass
class FieldView:
    name: str
    label: str
    type: str
    required: bool
    help: str
    value: Any
    error: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    max: str = ""

    @property
    def input_id(self) -> str:
        return f"eform-{self.name}"

    @property
    def described_by(self) -> str:
        ids = []
        if self.error:
            ids.append(f"{self.input_id}-error")
        if self.help:
            ids.append(f"{self.input_id}-help")
        return " ".join(ids)


def field_views(eform: dict | None, values: dict, errors: dict[str, str]) -> list[FieldView]:
    communes: list[tuple[str, str]] | None = None
    views = []
    for f in fields_of(eform):
        choices = [tuple(c) for c in f.get("choices", [])]
        if f["type"] == "place":
            if communes is None:
                communes = [(u.code, u.full_name) for u in province_communes()]
            choices = communes
        value = values.get(f["name"], "")
        maximum = ""
        if f["type"] == "date" and f.get("max") == "today":
            maximum = now().astimezone(deadlines_zone()).date().isoformat()
        elif f["type"] == "date" and isinstance(f.get("max"), str):
            maximum = f["max"]
        views.append(
            FieldView(
                name=f["name"],
                label=f["label"],
                type=f["type"],
                required=bool(f.get("required")),
                help=f.get("help", ""),
                value="" if value is None else value,
                error=errors.get(f["name"], ""),
                choices=choices,
                max=maximum,
            )
        )
    return views


def deadlines_zone():
    from egov.dossiers.actions import ZONE

    return ZONE


# --- components -----------------------------------------------------------------------------


@dataclass
class ComponentView:
    id: int
    name: str
    mandatory: bool
    note: str
    files: list[DossierFile]
    error: str = ""

    @property
    def input_id(self) -> str:
        return f"file-{self.id}"


def component_views(dossier: Dossier, errors: dict[int, str] | None = None) -> list:
    files = [f for f in dossier.files.all() if f.kind == DossierFile.Kind.COMPONENT]
    by_component: dict[int | None, list[DossierFile]] = {}
    for f in files:
        by_component.setdefault(f.component_id, []).append(f)
    errors = errors or {}
    return [
        ComponentView(
            id=c.pk,
            name=c.name,
            mandatory=c.mandatory,
            note=c.note,
            files=by_component.get(c.pk, []),
            error=errors.get(c.pk, ""),
        )
        for c in dossier.procedure.components.all()
    ]


@transaction.atomic
# --- the dossier page -----------------------------------------------------------------------


@dataclass
class TimelineEntry:
    label: str
    at: Any
    note: str


def timeline(events: list[DossierEvent]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            label=str(ACTION_LABELS.get(e.action, e.action)),
            at=e.at,
            note=e.note if e.action in PUBLIC_NOTE_ACTIONS else "",
        )
        for e in events
    ]


def supplement_reason(events: list[DossierEvent]) -> str:
    asked = [e for e in events if e.action == "request_supplement"]
    return asked[-1].note if asked else ""


def deadline_label(dossier: Dossier, moment=None) -> str:
    state = deadlines.deadline_state(dossier, moment or now())
    return str(DEADLINE_LABELS[state]) if state else ""
