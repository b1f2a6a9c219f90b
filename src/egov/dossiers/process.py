"""Internal processes (quy trình nội bộ giải quyết TTHC) as data, and their validation.

Decree 118/2025/NĐ-CP asks each agency to publish, for each procedure, the internal process:
the steps, who performs each and the time each takes, within the legal time. A process here is
valid when (1) it has steps, (2) every transition names existing steps, (3) every step can be
reached from the first by ``forward`` transitions and the last step is reached, and (4) the
steps' times do not exceed the procedure's legal time (hours are compared with the legal time
in working hours; percentages must not add up to more than 100).
"""

import itertools
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from egov.agencies import permissions
from egov.agencies.models import Role
from egov.dossiers.models import Process, ProcessStep, ProcessTransition

DEFAULT_PROCESS_NAME = "Quy trình mặc định"

# Who acts on a step, as the capability the actor needs in the dossier's agency (and unit).
ROLE_CAPABILITY: dict[str, str] = {
    Role.RECEPTION_OFFICER: permissions.RETURN_RESULTS,
    Role.SPECIALIST: permissions.HANDLE_DOSSIERS,
    Role.UNIT_LEADER: permissions.APPROVE_IN_UNIT,
    Role.AGENCY_LEADER: permissions.APPROVE_IN_AGENCY,
    Role.ADMINISTRATOR: permissions.MANAGE_AGENCY,
    Role.AUDITOR: permissions.AUDIT,
}

# reception → specialist → unit leader → agency leader → result return; shares of legal time.
DEFAULT_STEPS = (
    ("reception", "Tiếp nhận hồ sơ", Role.RECEPTION_OFFICER, 5),
    ("handling", "Thẩm định, xử lý hồ sơ", Role.SPECIALIST, 60),
    ("unit_review", "Lãnh đạo phòng xem xét", Role.UNIT_LEADER, 15),
    ("agency_approval", "Lãnh đạo cơ quan phê duyệt", Role.AGENCY_LEADER, 15),
    ("result_return", "Trả kết quả", Role.RECEPTION_OFFICER, 5),
)


def legal_working_time(procedure) -> timedelta | None:
    """The legal time as working time, when the unit is a working one (else None)."""
    from egov.calendar.services import day_length

    unit, amount = procedure.processing_time_unit, procedure.processing_time_amount
    if unit == "working_days":
        return day_length() * amount
    if unit == "working_hours":
        return timedelta(hours=amount)
    return None


def validate_process(process: Process) -> list[str]:
    """The reasons ``process`` cannot be used (empty when it is valid)."""
    steps = list(process.steps.order_by("order"))
    transitions = list(process.transitions.all())
    if not steps:
        return [_("Quy trình chưa có bước nào.")]
    problems: list[str] = []
    codes = {step.code for step in steps}
    for t in transitions:
        for code in (t.from_code, t.to_code):
            if code not in codes:
                problems.append(
                    _("Chuyển bước %(a)s → %(b)s dẫn tới bước không tồn tại: %(c)s.")
                    % {"a": t.from_code, "b": t.to_code, "c": code}
                )
    forward = {t.from_code: t.to_code for t in transitions if t.action == "forward"}
    reached = {steps[0].code}
    frontier = [steps[0].code]
    while frontier:
        nxt = forward.get(frontier.pop())
        if nxt in codes and nxt not in reached:
            reached.add(nxt)
            frontier.append(nxt)
    for step in steps:
        if step.code not in reached:
            problems.append(
                _("Bước “%(name)s” không thể tới được từ bước đầu tiên.") % {"name": step.name}
            )
    percent = sum(step.time_percent or 0 for step in steps)
    if percent > 100:
        problems.append(
            _("Tổng thời gian các bước (%(p)s%%) vượt thời hạn giải quyết.") % {"p": percent}
        )
    hours = sum(step.time_hours or 0 for step in steps)
    if hours and process.procedure_id:
        legal = legal_working_time(process.procedure)
        if legal is not None and timedelta(hours=hours) > legal:
            problems.append(
                _(
                    "Tổng thời gian các bước (%(h)s giờ làm việc) vượt thời hạn "
                    "giải quyết (%(l)s giờ)."
                )
                % {"h": hours, "l": int(legal.total_seconds() // 3600)}
            )
    return problems


@transaction.atomic
def load_default_process() -> Process:
    """Create (or complete) the default process; safe to run again."""
    process = Process.objects.filter(procedure__isnull=True).order_by("id").first()
    if process is None:
        process = Process.objects.create(name=DEFAULT_PROCESS_NAME)
    for order, (code, name, role, percent) in enumerate(DEFAULT_STEPS, start=1):
        ProcessStep.objects.get_or_create(
            process=process,
            code=code,
            defaults={"order": order, "name": name, "role": role, "time_percent": percent},
        )
    codes = [step[0] for step in DEFAULT_STEPS]
    for a, b in itertools.pairwise(codes):
        ProcessTransition.objects.get_or_create(
            process=process, from_code=a, action="forward", defaults={"to_code": b}
        )
        ProcessTransition.objects.get_or_create(
            process=process, from_code=b, action="send_back", defaults={"to_code": a}
        )
    return process


def process_for(procedure) -> Process:
    """The procedure's own process, else the default one (created on first use)."""
    own = Process.objects.filter(procedure=procedure).first()
    if own is not None:
        return own
    default = Process.objects.filter(procedure__isnull=True).order_by("id").first()
    return default or load_default_process()


def target_step(step: ProcessStep, action: str) -> ProcessStep | None:
    transition = ProcessTransition.objects.filter(
        process_id=step.process_id, from_code=step.code, action=action
    ).first()
    if transition is None:
        return None
    return ProcessStep.objects.filter(process_id=step.process_id, code=transition.to_code).first()


def step_capability(step: ProcessStep) -> str:
    return ROLE_CAPABILITY[step.role]
