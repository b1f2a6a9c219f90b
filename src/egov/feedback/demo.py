"""Demo feedback for the demo profile: a few dozen items over the last weeks, in every state,
made through the same services citizens and officials use (the clock is moved, messages are
not queued so the worker does not send weeks of old e-mails at once).

The demo commune is the province's first (as for the demo accounts ``ubx.*``); questions on
civil status go to Sở Tư pháp (``stp.*``). Points are scattered around the commune's
People's Committee office, whose location the platform does not know: a fixed point inside
the province stands in for it.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TextIO
from unittest import mock

from django.db import transaction
from django.utils import timezone

from egov.agencies.models import Agency
from egov.feedback import services
from egov.feedback.models import Category, Item
from egov.identity.models import User

SEED_POINT = (11.3100, 106.0980)
ANSWER = (
    "Ủy ban nhân dân đã giao bộ phận chuyên môn kiểm tra hiện trường và khắc phục trong ngày "
    "{day}. Cảm ơn ông/bà đã phản ánh."
)
QUESTION_ANSWER = (
    "Theo Luật Hộ tịch 2014 và Nghị định 123/2015/NĐ-CP, ông/bà có thể đăng ký tại Ủy ban nhân "
    "dân cấp xã nơi cư trú của cha hoặc mẹ; hồ sơ gồm tờ khai và giấy chứng sinh. Ông/bà có thể "
    "nộp trực tuyến trên Cổng dịch vụ công của tỉnh."
)

# (category code, title, text, attributes)
REPORTS = [
    (
        "hu-hong-duong",
        "Ổ gà lớn trước chợ",
        "Ổ gà sâu khoảng 20 cm trước cổng chợ, xe máy dễ té ngã, nhất là buổi tối.",
        {"muc_do": "nghiem_trong"},
    ),
    (
        "hu-hong-duong",
        "Mặt đường sụt lún gần trường tiểu học",
        "Đoạn đường trước trường bị sụt lún sau mưa, học sinh đi lại khó khăn.",
        {"muc_do": "trung_binh", "dien_tich_m2": 6},
    ),
    (
        "den-chieu-sang",
        "Đèn đường không sáng",
        "Ba cột đèn liên tiếp trên đường tỉnh không sáng từ tuần trước, đoạn đường rất tối.",
        {"tinh_trang": "khong_sang"},
    ),
    (
        "den-chieu-sang",
        "Đèn sáng cả ban ngày",
        "Đèn chiếu sáng ở ngã ba sáng cả ngày, lãng phí điện.",
        {"tinh_trang": "sang_ban_ngay"},
    ),
    (
        "rac-thai",
        "Rác tồn đọng nhiều ngày",
        "Điểm tập kết rác đầu hẻm không được thu gom ba ngày nay, bốc mùi hôi.",
        {"loai_rac": ["sinh_hoat"]},
    ),
    (
        "rac-thai",
        "Đổ xà bần trái phép ven kênh",
        "Có người đổ xà bần ven kênh vào ban đêm.",
        {"loai_rac": ["xay_dung"]},
    ),
    (
        "ngap-nuoc",
        "Ngập nước sau mưa",
        "Mỗi lần mưa lớn đoạn đường trước chợ ngập sâu, cống thoát nước bị nghẹt.",
        {"do_sau_cm": 30, "mat_nap_cong": "khong"},
    ),
    (
        "cay-xanh",
        "Cây nghiêng có nguy cơ ngã",
        "Cây dầu lớn bên đường nghiêng ra lòng đường sau cơn giông.",
        {"muc_do": "nghiem_trong"},
    ),
    (
        "lan-chiem-via-he",
        "Lấn chiếm vỉa hè buôn bán",
        "Nhiều quầy hàng bày bán kín vỉa hè, người đi bộ phải đi xuống lòng đường.",
        {},
    ),
    (
        "o-nhiem",
        "Khói bụi từ lò đốt",
        "Lò đốt rác tự phát gây khói bụi cho khu dân cư buổi chiều.",
        {"loai_o_nhiem": ["khong_khi"]},
    ),
]
QUESTIONS = [
    (
        "Đăng ký khai sinh cho con ở đâu?",
        "Con tôi sinh ở Thành phố Hồ Chí Minh, tôi có được đăng "
        "ký khai sinh tại xã nơi tôi thường trú không?",
    ),
    (
        "Trích lục kết hôn bị mất",
        "Tôi làm mất bản chính giấy chứng nhận kết hôn, xin hỏi thủ tục cấp bản sao trích lục.",
    ),
    (
        "Chứng thực bản sao trực tuyến",
        "Tôi có thể chứng thực bản sao điện tử từ bản chính trên Cổng dịch vụ công không?",
    ),
]
NAMES = ["Nguyễn Văn Hải", "Trần Thị Thu", "Lê Minh Tâm", "Phạm Ngọc Lan", "Võ Thanh Tùng"]
# The fate of each generated item, in rotation.
FATES = [
    "answered",
    "closed",
    "submitted",
    "in_progress",
    "awaiting_approval",
    "answered",
    "accepted",
    "closed",
    "rejected",
    "answered",
    "hidden",
    "reopened",
]


@dataclass
class DemoSummary:
    created: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items()))
        return [f"demo_feedback: {self.created} created ({parts})"]


def demo_feedback_exist() -> bool:
    return Item.objects.exists()


@contextlib.contextmanager
def _clock(moment: datetime):
    with (
        mock.patch.object(services, "now", return_value=moment),
        mock.patch.object(services, "notify", lambda *a, **k: None),
    ):
        yield


def _desk(agency: Agency) -> dict[str, User | None]:
    def holder(role: str) -> User | None:
        found = agency.staff_roles.filter(role=role, user__is_active=True).order_by(
            "-user__is_demo", "user_id"
        )
        return found.first().user if found.exists() else None

    return {
        "reception": holder("reception_officer"),
        "specialist": holder("specialist"),
        "leader": holder("agency_leader") or holder("unit_leader"),
    }


def _point(rng: random.Random) -> tuple[Decimal, Decimal]:
    lat = SEED_POINT[0] + rng.uniform(-0.01, 0.01)
    lon = SEED_POINT[1] + rng.uniform(-0.01, 0.01)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _play(item: Item, fate: str, desk: dict, start: datetime, rng: random.Random) -> Item:
    """Move ``item`` towards ``fate`` with the officials of ``desk``, a few hours per step."""
    moment = start
    if fate == "submitted":
        return item

    def step() -> datetime:
        nonlocal moment
        moment += timedelta(hours=rng.randint(2, 20))
        return moment

    with _clock(step()):
        if fate == "rejected":
            return services.reject(
                desk["reception"], item, "out_of_scope", "Nội dung thuộc thẩm quyền Tòa án."
            )
        item = services.accept(desk["reception"], item)
    if fate == "accepted":
        return item
    with _clock(step()):
        item = services.assign(desk["reception"], item, desk["specialist"])
    day = f"{(moment + timedelta(days=1)).astimezone(services.ZONE):%d/%m/%Y}"
    text = QUESTION_ANSWER if item.kind == Item.Kind.QUESTION else ANSWER.format(day=day)
    with _clock(step()):
        item = services.save_draft(desk["specialist"], item, text)
    if fate == "in_progress":
        return item
    with _clock(step()):
        item = services.submit_for_approval(desk["specialist"], item)
    if fate == "awaiting_approval":
        return item
    with _clock(step()):
        item = services.approve(desk["leader"], item)
    if fate == "closed":
        with _clock(step()):
            author = item.author or item.contact_phone
            item = services.rate(author, item, rng.choice(["satisfied", "satisfied", "neutral"]))
    elif fate == "hidden":
        with _clock(step()):
            item = services.hide(desk["reception"], item, "Có lời lẽ xúc phạm cán bộ.")
    elif fate == "reopened":
        with _clock(step()):
            author = item.author or item.contact_phone
            item = services.rate(author, item, "dissatisfied", "Vẫn chưa được khắc phục.")
            item = services.reopen(author, item, "Vẫn chưa được khắc phục.")
    return item


@transaction.atomic
def generate(count: int = 36, seed: int = 2025, out: TextIO | None = None) -> DemoSummary:
    """``count`` items over the last 45 days; the same seed gives the same items."""
    from egov.identity.demo import _commune_agency, create_demo_accounts

    create_demo_accounts()
    rng = random.Random(seed)
    commune_agency = _commune_agency()
    stp = Agency.objects.get(code="STP")
    desks = {commune_agency.pk: _desk(commune_agency), stp.pk: _desk(stp)}
    citizens = list(User.objects.filter(kind=User.Kind.CITIZEN, is_demo=True).order_by("pk"))
    categories = {c.code: c for c in Category.objects.all()}
    summary = DemoSummary()
    now = timezone.now()
    for number in range(count):
        start = now - timedelta(days=45) + timedelta(hours=number * 45 * 24 / max(count, 1))
        fate = FATES[number % len(FATES)]
        anonymous = number % 3 == 2
        author = None if anonymous or not citizens else citizens[number % len(citizens)]
        contact = {
            "contact_name": rng.choice(NAMES),
            "contact_phone": f"09{rng.randint(10_000_000, 99_999_999)}",
        }
        with _clock(start):
            if number % 6 == 5:
                title, text = QUESTIONS[number % len(QUESTIONS)]
                item = services.submit(
                    author,
                    kind=Item.Kind.QUESTION,
                    category=categories["hoi-dap-ho-tich"],
                    title=title,
                    text=text,
                    may_publish=True,
                    **(contact if author is None else {}),
                )
            else:
                code, title, text, attributes = REPORTS[number % len(REPORTS)]
                lat, lon = _point(rng)
                item = services.submit(
                    author,
                    kind=Item.Kind.FIELD_REPORT,
                    category=categories[code],
                    title=title,
                    text=text,
                    commune=commune_agency.place,
                    latitude=lat,
                    longitude=lon,
                    may_publish=number % 4 != 3,
                    attributes=attributes,
                    **(contact if author is None else {}),
                )
        desk = desks[item.current_agency_id]
        if None in desk.values():
            continue  # an agency without the three roles: the item waits at reception
        if item.kind == Item.Kind.QUESTION and number % 12 == 11:
            with _clock(start + timedelta(hours=3)):
                item = services.forward(
                    desk["reception"], item, commune_agency, "Thuộc thẩm quyền UBND xã."
                )
            desk = desks[commune_agency.pk]
            start += timedelta(hours=3)
        item = _play(item, fate, desk, start, rng)
        summary.created += 1
        summary.by_status[item.status] = summary.by_status.get(item.status, 0) + 1
        if out is not None and summary.created % 10 == 0:
            out.write(f"  phản ánh: {summary.created}/{count}\n")
    return summary
