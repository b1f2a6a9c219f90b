"""Demo dossiers: a realistic stretch of one-stop-shop work, written through the real actions.

``generate`` plays out each dossier's life — draft, files, submission or counter intake,
acceptance, assignment, the steps of the process, approval, result, return, rating, and the
detours (supplement rounds, refusals, withdrawals, late dossiers with an apology) — by calling
the ``do_<verb>`` functions of :mod:`egov.dossiers.actions` with the clock moved to the moment
each step happens. Nothing here saves a dossier itself, so the data obeys every rule the
actions enforce (codes, due moments in working days, the stopped clock, history rows).

Decisions (review them with the dossiers owner):

* **The clock.** ``django.utils.timezone.now`` is patched while a dossier is played out, so the
  actions' ``now()`` seam, ``auto_now_add`` columns and the e-forms' "today" all read the
  simulated moment. Steps that would fall after the real present are not played: those
  dossiers are still being processed, as recent dossiers are.
* **Messages.** The events happened in the past, so their e-mails and SMS are not queued
  (``egov.dossiers.notifications.send`` is a no-op while generating) unless ``messages=True``;
  otherwise ``make run``'s worker would send hundreds of stale messages to the demo addresses.
* **Staff.** The demo accounts (``egov.identity.demo``) staff Sở Tư pháp and the first commune's
  reception desk; every other agency used here gets demo officials (``is_demo=True``) created
  through ``egov.agencies.services.create_staff_account`` by the demo platform administrator.
* **Randomness** comes from one ``random.Random(seed)``: the same seed on the same database gives
  the same dossiers.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TextIO
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from egov.agencies import services as staff_services
from egov.agencies.models import Agency, Role, StaffRole
from egov.calendar import services as calendar
from egov.catalog.eforms import fields_of, province_communes, validate_form_data
from egov.catalog.models import Procedure
from egov.dossiers import actions, deadlines, notifications
from egov.dossiers.models import Dossier, Status
from egov.identity import services as identity
from egov.identity.demo import create_demo_accounts, demo_password
from egov.identity.models import User

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PLATFORM_ADMIN = "quantri"
COMMUNE_AGENCIES = 3  # the demo commune and the next two by code
# Procedures by sector: civil status and certification are most of a commune's counter work.
SECTOR_WEIGHTS = {"Hộ tịch": 12, "Chứng thực": 10, "Lý lịch tư pháp": 6}
DEFAULT_WEIGHT = 1.5
ONLINE_SHARE = 0.6
ROLES = (Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER)
ROLE_SLUG = {
    Role.RECEPTION_OFFICER: "tiepnhan",
    Role.SPECIALIST: "chuyenvien",
    Role.UNIT_LEADER: "truongphong",
    Role.AGENCY_LEADER: "lanhdao",
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoài", "Quốc", "Thu", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam",
         "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tú", "Vy", "Yến"]  # fmt: skip
STREETS = ["Cách Mạng Tháng Tám", "Trưng Nữ Vương", "30 Tháng 4", "Lạc Long Quân", "Hùng Vương"]
MISSING = [
    "Bản sao giấy khai sinh có chứng thực",
    "Ảnh chân dung 4x6 cm chụp không quá 6 tháng",
    "Bản chính tờ khai có chữ ký của người yêu cầu",
    "Giấy ủy quyền có chứng thực",
    "Bản sao căn cước của người làm chứng",
]
REFUSALS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
    "Người yêu cầu không đủ điều kiện theo quy định",
    "Giấy tờ kèm theo có dấu hiệu tẩy xóa, sửa chữa",
]
COMMENTS = {
    Dossier.Rating.SATISFIED: ["Cán bộ hướng dẫn tận tình.", "Nhanh, đúng hẹn.", ""],
    Dossier.Rating.NEUTRAL: ["Thủ tục còn nhiều giấy tờ.", ""],
    Dossier.Rating.DISSATISFIED: ["Trả kết quả chậm so với hẹn.", "Phải đi lại nhiều lần."],
}


def tiny_pdf(title: str) -> bytes:
    """A real one-page PDF (valid cross-reference table) of a few hundred bytes."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 12 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


# --- the clock ----------------------------------------------------------------------------------


class Clock:
    """The simulated present; ``freeze`` makes Django (and so the actions) read it."""

    def __init__(self) -> None:
        self.moment = timezone.now()

    def now(self) -> datetime:
        return self.moment

    @contextlib.contextmanager
    def freeze(self, *, messages: bool) -> Iterator[None]:
        with contextlib.ExitStack() as stack:
            stack.enter_context(mock.patch.object(timezone, "now", self.now))
            if not messages:
                stack.enter_context(mock.patch.object(notifications, "send", _no_message))
            yield


def _no_message(*args, **kwargs) -> None:
    return None


class _Horizon(Exception):
    """The next step would happen after the real present: the dossier stays where it is."""


# --- the cast -----------------------------------------------------------------------------------


@dataclass
class Desk:
    """The officials of one agency, one per role the default process needs."""

    agency: Agency
    staff: dict[str, User]

    def __getitem__(self, role: str) -> User:
        return self.staff[role]


def _agencies() -> list[Agency]:
    from egov.identity.demo import DEMO_AGENCY, _commune_agency

    province_codes = set(
        Procedure.objects.filter(is_active=True, level="province").values_list(
            "agencies__code", flat=True
        )
    )
    found = list(Agency.objects.filter(code__in=province_codes | {DEMO_AGENCY}, is_active=True))
    first = _commune_agency()
    communes = Agency.objects.filter(
        level=Agency.Level.COMMUNE, is_active=True, procedures__isnull=False
    ).distinct()
    chosen = [first] if first else []
    chosen += [a for a in communes.order_by("code") if a != first][: COMMUNE_AGENCIES - len(chosen)]
    return found + chosen


def _holder(agency: Agency, role: str) -> User | None:
    held = (
        StaffRole.objects.filter(agency=agency, role=role, user__is_active=True)
        .select_related("user")
        .order_by("-user__is_demo", "user_id")
        .first()
    )
    return held.user if held else None


def ensure_desks(out: TextIO | None = None) -> dict[int, Desk]:
    """Every agency used by the demo, with a demo official in each role (created if missing)."""
    create_demo_accounts()
    admin = User.objects.get(username=PLATFORM_ADMIN)
    desks: dict[int, Desk] = {}
    created = 0
    for agency in _agencies():
        staff: dict[str, User] = {}
        unit = agency.units.order_by("code").first()
        for role in ROLES:
            user = _holder(agency, role)
            if user is None:
                in_unit = unit if role in (Role.SPECIALIST, Role.UNIT_LEADER) else None
                username = f"{agency.code.lower()}.{ROLE_SLUG[role]}"
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = staff_services.create_staff_account(
                        admin, agency, username, _demo_name(agency.pk, role), demo_password(),
                        role, unit=in_unit,
                    )  # fmt: skip
                    created += 1
                else:
                    staff_services.grant_role(admin, user, agency, role, in_unit)
                User.objects.filter(pk=user.pk).update(is_demo=True)
            staff[role] = user
        desks[agency.pk] = Desk(agency, staff)
    if out is not None and created:
        out.write(f"  demo officials created: {created}\n")
    return desks


def _demo_name(seed: int, role: str) -> str:
    rng = random.Random(f"{seed}:{role}")
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _citizen_id(rng: random.Random) -> str:
    province = rng.choice(["072", "080", "079", "070"])  # Tây Ninh, Long An, HCMC, Bình Phước
    sex_century = rng.choice("0123")
    year = rng.randrange(60, 100) if sex_century in "01" else rng.randrange(0, 6)
    return f"{province}{sex_century}{year:02d}{rng.randrange(10**6):06d}"


def ensure_citizens(count: int) -> list[User]:
    """The demo applicants: the demo accounts' citizens and organisation, plus ``count`` more."""
    people = list(
        User.objects.filter(
            is_demo=True, kind__in=(User.Kind.CITIZEN, User.Kind.ORGANISATION)
        ).order_by("username")
    )
    rng = random.Random("demo-citizens")
    number = 0
    while sum(1 for p in people if p.username.startswith("09100")) < count:
        number += 1
        phone = f"09100{number:05d}"
        if User.objects.filter(username=phone).exists():
            continue
        user = identity.register_citizen(
            full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            password=demo_password(),
            citizen_id=_citizen_id(rng),
            phone=phone,
        )
        User.objects.filter(pk=user.pk).update(is_demo=True)
        people.append(user)
    return people


# --- e-forms ------------------------------------------------------------------------------------

_PATTERN_SAMPLES = ("125, 34", "B1234567", "0123456789", "123456789012", "AB12345")


def fill_form(procedure: Procedure, rng: random.Random, person: dict[str, str]) -> dict:
    """Values for the e-form's required fields (and a few optional ones) that it accepts."""
    data: dict = {}
    communes = _commune_codes()
    today = timezone.localdate()
    for f in fields_of(procedure.eform):
        if not f.get("required") and rng.random() < 0.7:
            continue
        data[f["name"]] = _value(f, rng, person, communes, today)
    _cleaned, errors = validate_form_data(procedure.eform or {}, data)
    for name in errors:  # a value this generator cannot guess: leave optional ones out
        data.pop(name, None)
    return data


def _value(f: dict, rng: random.Random, person: dict, communes: list[str], today: date):
    kind, name = f["type"], f["name"]
    if kind == "select":
        return rng.choice(f["choices"])[0]
    if kind == "checkbox":
        return True
    if kind == "integer":
        low = int(f.get("min", 1))
        return rng.randint(low, max(low, min(int(f.get("max", low + 4)), low + 4)))
    if kind == "decimal":
        low = max(float(f.get("min", 1)), 0.1)
        high = min(float(f.get("max", low * 300)), low * 300)
        return f"{max(low, rng.uniform(low, high)):.1f}"
    if kind == "date":
        if f.get("min") == "today":
            return (today + timedelta(days=rng.randint(3, 30))).isoformat()
        return (today - timedelta(days=rng.randint(20, 9000))).isoformat()
    if kind == "phone":
        return person["phone"] or "0912345678"
    if kind == "citizen_id":
        return person["id_number"] if len(person["id_number"]) == 12 else _citizen_id(rng)
    if kind == "tax_code":
        return "3900000014"
    if kind == "email":
        return "demo@example.vn"
    if kind == "place":
        return rng.choice(communes)
    if "pattern" in f:
        import re

        for sample in _PATTERN_SAMPLES:
            if re.fullmatch(f["pattern"], sample):
                return sample
    if "name" in name:
        return person["name"]
    if kind == "textarea":
        return "Đề nghị cơ quan xem xét, giải quyết theo quy định."
    limit = int(f.get("max_length", 60))
    return (f"{rng.randint(1, 300)} đường {rng.choice(STREETS)}")[:limit]


_communes_cache: list[str] = []


def _commune_codes() -> list[str]:
    if not _communes_cache:
        _communes_cache.extend(province_communes().values_list("code", flat=True)[:20])
    return _communes_cache or ["00000"]


# --- one dossier's life -------------------------------------------------------------------------


@dataclass
class Plan:
    """What happens to one dossier, drawn before it is played."""

    channel: str
    reception_supplement: bool = False
    reception_refusal: bool = False
    withdraw_early: bool = False
    handling_supplement: bool = False
    handling_refusal: bool = False
    stop: bool = False
    late: bool = False
    apologise: bool = False
    rate: bool = False
    withdraw_in_supplement: bool = False


def draw_plan(rng: random.Random, procedure: Procedure, has_account: bool) -> Plan:
    online_ok = procedure.online_level != "none"
    channel = "online" if online_ok and rng.random() < ONLINE_SHARE else "counter"
    online = channel == "online"
    r = rng.random()
    return Plan(
        channel=channel,
        reception_refusal=online and r < 0.04,
        withdraw_early=online and 0.04 <= r < 0.06,
        reception_supplement=online and 0.06 <= r < 0.16,
        withdraw_in_supplement=rng.random() < 0.1,
        handling_supplement=has_account and rng.random() < 0.08,
        handling_refusal=rng.random() < 0.02,
        stop=rng.random() < 0.01,
        late=rng.random() < 0.09,
        apologise=rng.random() < 0.6,
        rate=has_account and rng.random() < 0.65,
    )


class Player:
    """Plays one dossier's life against the clock; stops quietly at the real present."""

    def __init__(self, clock: Clock, horizon: datetime, rng: random.Random) -> None:
        self.clock, self.horizon, self.rng = clock, horizon, rng

    def at(self, moment: datetime) -> None:
        if moment >= self.horizon:
            raise _Horizon
        self.clock.moment = moment

    def later(self, working: timedelta) -> None:
        self.at(deadlines.add_working_time(self.clock.moment, working))

    def minutes(self, low: int, high: int) -> None:
        self.later(timedelta(minutes=self.rng.randint(low, high)))

    def play(self, procedure, desk: Desk, applicant: User | None, start: datetime, plan: Plan):
        """Returns the dossier (None if nothing happened before the horizon)."""
        self.at(start)
        reception = desk[Role.RECEPTION_OFFICER]
        dossier = None
        try:
            if plan.channel == "online":
                dossier = self._online_intake(procedure, desk, applicant, plan)
                if dossier is None or dossier.status != Status.SUBMITTED:
                    return dossier
                self.minutes(20, 8 * 60)
                dossier = actions.do_accept(reception, dossier)
            else:
                dossier = self._counter_intake(procedure, desk, applicant)
            self._handle(dossier, desk, applicant, plan)
        except _Horizon:
            pass
        return dossier

    def _person(self, applicant: User | None) -> dict[str, str]:
        if applicant is not None:
            return {
                "name": applicant.full_name,
                "phone": applicant.phone,
                "id_number": applicant.citizen_id or applicant.tax_code,
            }
        rng = self.rng
        return {
            "name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            "phone": f"09{rng.choice('0134789')}{rng.randrange(10**7):07d}",
            "id_number": _citizen_id(rng),
        }

    def _files(self, actor, dossier, procedure) -> None:
        for component in procedure.components.filter(mandatory=True).order_by("order", "id"):
            actions.add_file(
                actor,
                dossier,
                f"{component.name[:80]}.pdf",
                tiny_pdf(f"{procedure.code} component {component.pk}"),
                component_id=component.pk,
            )

    def _online_intake(self, procedure, desk: Desk, applicant: User, plan: Plan):
        person = self._person(applicant)
        dossier, _ = actions.create_draft(
            applicant,
            procedure,
            agency_code=desk.agency.code,
            form_data=fill_form(procedure, self.rng, person),
        )
        self.later(timedelta(minutes=self.rng.randint(3, 40)))
        self._files(applicant, dossier, procedure)
        dossier = actions.do_submit(applicant, dossier)
        if plan.withdraw_early:
            self.minutes(60, 600)
            return actions.do_withdraw(applicant, dossier, "Tôi nộp nhầm thủ tục.")
        reception = desk[Role.RECEPTION_OFFICER]
        if plan.reception_refusal:
            self.minutes(30, 480)
            return actions.do_refuse(reception, dossier, self.rng.choice(REFUSALS))
        if plan.reception_supplement:
            self.minutes(30, 480)
            dossier = self._supplement_round(reception, dossier, applicant, plan)
        return dossier

    def _supplement_round(self, official, dossier, applicant, plan: Plan):
        items = self.rng.sample(MISSING, self.rng.randint(1, 2))
        dossier = actions.do_request_supplement(
            official, dossier, items, "Đề nghị bổ sung giấy tờ còn thiếu."
        )
        self.later(calendar.day_length() * self.rng.uniform(0.5, 4))
        if plan.withdraw_in_supplement:
            return actions.do_withdraw(applicant, dossier, "Không bổ sung được giấy tờ.")
        return actions.do_answer_supplement(applicant, dossier, note="Đã bổ sung theo yêu cầu.")

    def _counter_intake(self, procedure, desk: Desk, applicant: User | None):
        person = self._person(applicant)
        dossier = actions.do_receive_at_counter(
            desk[Role.RECEPTION_OFFICER],
            procedure,
            desk.agency,
            applicant_name=person["name"],
            applicant_phone=person["phone"],
            applicant_id_number=person["id_number"],
            applicant_address=f"{self.rng.randint(1, 300)} {self.rng.choice(STREETS)}, Tây Ninh",
            applicant=applicant,
            form_data=fill_form(procedure, self.rng, person),
        )
        self.minutes(2, 15)
        self._files(desk[Role.RECEPTION_OFFICER], dossier, procedure)
        return dossier

    def _handle(self, dossier, desk: Desk, applicant: User | None, plan: Plan) -> None:
        if dossier.status == Status.SUBMITTED:  # answered a reception supplement
            self.minutes(20, 240)
            dossier = actions.do_accept(desk[Role.RECEPTION_OFFICER], dossier)
        if dossier.status != Status.RECEIVED:
            return
        # The working time the whole handling may take: a share of the legal time (over it for
        # the late ones), split between the steps as the default process splits it.
        budget = calendar.working_time_between(dossier.accepted_at, dossier.due_at)
        budget = max(budget, timedelta(minutes=40))
        share = self.rng.uniform(1.08, 1.6) if plan.late else self.rng.uniform(0.2, 0.9)
        used = budget * share
        self.minutes(5, 60)
        dossier = actions.do_assign(desk[Role.RECEPTION_OFFICER], dossier, desk[Role.SPECIALIST])
        self.later(used * 0.5)
        specialist = desk[Role.SPECIALIST]
        if plan.handling_supplement and applicant is not None:
            dossier = self._supplement_round(specialist, dossier, applicant, plan)
            if dossier.status == Status.WITHDRAWN:
                return
            self.later(used * 0.1)
        if plan.handling_refusal:
            actions.do_refuse(specialist, dossier, self.rng.choice(REFUSALS))
            return
        if plan.stop:
            actions.do_stop(specialist, dossier, "Người yêu cầu đề nghị dừng giải quyết.")
            return
        dossier = actions.do_forward(specialist, dossier, "Đủ điều kiện, trình lãnh đạo phòng.")
        self.later(used * 0.15)
        dossier = actions.do_forward(desk[Role.UNIT_LEADER], dossier, "Đồng ý, trình ký.")
        if plan.late and plan.apologise:
            # Before the appointment passes, the agency apologises and sets a new one.
            due = dossier.due_at
            if due > self.clock.moment:
                self.at(max(self.clock.moment, due - timedelta(hours=2)))
            new_due = calendar.due(max(due, self.clock.moment), 2, "working_days")
            dossier = actions.do_apologise_and_reschedule(
                desk[Role.AGENCY_LEADER], dossier, new_due, "Hồ sơ cần xác minh thêm."
            )
        self.later(used * 0.15)
        leader = desk[Role.AGENCY_LEADER]
        dossier = actions.do_approve(leader, dossier, "Phê duyệt.")
        self.minutes(10, 120)
        reception = desk[Role.RECEPTION_OFFICER]
        actions.add_file(
            specialist,
            dossier,
            f"Kết quả {dossier.code}.pdf",
            tiny_pdf(f"Result {dossier.code}"),
            kind="result",
        )
        dossier = actions.do_attach_result(reception, dossier)
        self.later(used * 0.1)
        dossier = actions.do_return_result(reception, dossier)
        if plan.rate and applicant is not None and dossier.applicant_id == applicant.pk:
            self.minutes(30, 3 * 480)
            rating = self.rng.choices(list(COMMENTS), weights=(80, 14, 6))[0]
            actions.do_rate(applicant, dossier, rating, self.rng.choice(COMMENTS[rating]))


# --- the run ------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    created: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_channel: Counter = field(default_factory=Counter)
    late: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        status = ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items()))
        channel = ", ".join(f"{k} {v}" for k, v in sorted(self.by_channel.items()))
        out = [
            f"demo: {self.created} dossiers in {self.seconds:.1f} s",
            f"  by status: {status}",
            f"  by channel: {channel}",
            f"  late (resolved after the appointment, or still open past it): {self.late}",
        ]
        if self.failures:
            out.append(f"  {len(self.failures)} failed:")
            out += [f"  ! {f}" for f in self.failures[:20]]
        return out


def _weighted_procedures(desks: dict[int, Desk]) -> tuple[list[Procedure], list[float]]:
    procedures, weights = [], []
    staffed = set(desks)
    for p in (
        Procedure.objects.filter(is_active=True)
        .select_related("sector")
        .prefetch_related("agencies")
        .order_by("code")
    ):
        if not {a.pk for a in p.agencies.all()} & staffed:
            continue
        procedures.append(p)
        weights.append(SECTOR_WEIGHTS.get(p.sector.name if p.sector_id else "", DEFAULT_WEIGHT))
    return procedures, weights


def _start_moment(rng: random.Random, first: datetime, last: datetime, online: bool) -> datetime:
    """A submission moment: counters open in working hours; online dossiers come at any hour,
    mostly in the day."""
    # One in twelve arrives in the last two weeks, so the inboxes hold work in progress.
    recent = max(first, last - timedelta(days=14))
    begin = recent if rng.random() < 1 / 12 else first
    moment = begin + (last - begin) * rng.random()
    local = moment.astimezone(ZONE)
    if online and rng.random() < 0.25:
        return local
    hour = rng.choice([7, 8, 8, 9, 9, 10, 10, 13, 14, 14, 15, 16])
    moment = local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
    return calendar.next_working_moment(moment)


def _is_late(d: Dossier, now: datetime) -> bool:
    if d.resolved_at is not None:
        return deadlines.is_late_result(d)
    if d.status not in (Status.RECEIVED, Status.PROCESSING):
        return False
    return d.apologised_at is not None or (d.due_at is not None and d.due_at < now)


def generate(
    dossiers: int,
    months: int,
    seed: int = 2025,
    *,
    out: TextIO | None = None,
    messages: bool = False,
    citizens: int = 12,
    progress_every: int = 100,
    end: datetime | None = None,
) -> DemoSummary:
    """Play out ``dossiers`` dossiers submitted over the last ``months`` months."""
    started = time.monotonic()
    rng = random.Random(seed)
    desks = ensure_desks(out)
    people = ensure_citizens(citizens)
    procedures, weights = _weighted_procedures(desks)
    horizon = end or timezone.now()
    first = horizon - timedelta(days=30 * months)
    # Draw every dossier first, then play them in submission order, as the desks saw them.
    drafts = []
    for _ in range(dossiers):
        procedure = rng.choices(procedures, weights)[0]
        options = [a.pk for a in procedure.agencies.all() if a.pk in desks]
        desk = desks[rng.choice(options)]
        applicant = rng.choice(people)
        plan = draw_plan(rng, procedure, has_account=True)
        if plan.channel == "counter" and rng.random() < 0.6:
            applicant = None  # most people at the counter have no account
            plan.rate = plan.handling_supplement = False
        start = _start_moment(rng, first, horizon, plan.channel == "online")
        drafts.append((start, procedure, desk, applicant, plan, rng.random()))
    drafts.sort(key=lambda d: (d[0], d[5]))
    summary = DemoSummary()
    clock = Clock()
    player = Player(clock, horizon, rng)
    ids: list[int] = []
    with clock.freeze(messages=messages):
        for number, (start, procedure, desk, applicant, plan, _tie) in enumerate(drafts, 1):
            try:
                with transaction.atomic():
                    dossier = player.play(procedure, desk, applicant, start, plan)
            except Exception as exc:  # one broken dossier is reported, not fatal
                summary.failures.append(f"{procedure.code} at {start:%Y-%m-%d %H:%M}: {exc!r}")
                dossier = None
            if dossier is not None:
                ids.append(dossier.pk)
            if out is not None and (number % progress_every == 0 or number == len(drafts)):
                out.write(f"  demo: {number}/{len(drafts)} dossiers\n")
                out.flush()
    now = timezone.now()
    for d in Dossier.objects.filter(pk__in=ids).only(
        "status", "channel", "due_at", "resolved_at", "apologised_at"
    ):
        summary.created += 1
        summary.by_status[d.status] += 1
        summary.by_channel[d.channel] += 1
        summary.late += _is_late(d, now)
    summary.seconds = time.monotonic() - started
    return summary


def demo_dossiers_exist() -> bool:
    """Whether the database already holds dossiers some demo account acted on."""
    return Dossier.objects.filter(events__actor__is_demo=True).exists()
