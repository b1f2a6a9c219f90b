"""/api/v1/calendar: due moments, one day's status, a year's exceptional days.

Query parameters are taken as strings and parsed here, so every malformed value is a 400 in the
platform's error shape with a Vietnamese message, rather than Ninja's generic 422.
"""

import re
from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from egov.calendar import services
from egov.core.api_errors import ApiError

router = Router(tags=["calendar"])

_AMOUNT = re.compile(r"^\d{1,9}$")
_SIGNED_NUMBER = re.compile(r"^[+-]?\d+([.,]\d*)?$")
# "+07:00" in an unencoded query string arrives as " 07:00"; put the sign back.
_LOST_PLUS = re.compile(r" (\d{2}(:?\d{2})?)$")


class DueOut(Schema):
    start: str
    amount: int
    unit: str
    due: str


class DayOut(Schema):
    date: str
    working: bool
    reason: str


class YearOut(Schema):
    year: int
    days: list[DayOut]


# The years the holidays package and the province's decisions can speak for.
FIRST_YEAR, LAST_YEAR = 1995, 2100


def _required(value: str | None, name: str) -> str:
    if value is None or not value.strip():
        raise ApiError(_("Thiếu tham số %(name)s.") % {"name": name}, code="missing_parameter")
    return value.strip()


def parse_start(raw: str) -> datetime:
    text = _LOST_PLUS.sub(r"+\1", raw)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(
            _("Thời điểm bắt đầu không đúng định dạng ISO 8601, ví dụ 2026-02-13T16:00+07:00."),
            code="invalid_start",
        ) from None
    if moment.tzinfo is None:
        raise ApiError(
            _("Thời điểm bắt đầu phải có múi giờ, ví dụ 2026-02-13T16:00+07:00 hoặc …Z."),
            code="naive_start",
        )
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ApiError(
            _("Thời điểm bắt đầu phải trong khoảng năm 1995 đến 2100."), code="start_out_of_range"
        )
    return moment


def parse_amount(raw: str) -> int:
    if not _AMOUNT.match(raw):
        if _SIGNED_NUMBER.match(raw) and raw.startswith("-"):
            raise ApiError(_("Thời hạn không được là số âm."), code="negative_amount")
        raise ApiError(_("Thời hạn phải là một số nguyên không âm."), code="invalid_amount")
    amount = int(raw)
    if amount > services.MAX_AMOUNT:
        raise ApiError(
            _("Thời hạn không được vượt quá %(max)d.") % {"max": services.MAX_AMOUNT},
            code="amount_too_large",
        )
    return amount


def parse_unit(raw: str) -> services.Unit:
    try:
        return services.Unit(raw)
    except ValueError:
        raise ApiError(
            _("Đơn vị thời hạn không hợp lệ; dùng một trong: %(units)s.")
            % {"units": ", ".join(unit.value for unit in services.Unit)},
            code="invalid_unit",
        ) from None


def parse_date(raw: str) -> date:
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(
            _("Ngày không hợp lệ; dùng định dạng YYYY-MM-DD, ví dụ 2026-02-17."),
            code="invalid_date",
        ) from None


@router.get("/due", response=DueOut, summary="Thời điểm đến hạn của một thời hạn")
def due_view(
    request: HttpRequest,
    start: str | None = None,
    amount: str | None = None,
    unit: str | None = None,
) -> dict:
    start_at = parse_start(_required(start, "start"))
    count = parse_amount(_required(amount, "amount"))
    kind = parse_unit(_required(unit, "unit"))
    try:
        due_at = services.due(start_at, count, kind)
    except ValueError as exc:  # e.g. same_day with an amount other than 0 or 1
        raise ApiError(
            _("Không tính được thời hạn với các tham số này: %(error)s") % {"error": exc},
            code="invalid_deadline",
        ) from None
    return {
        "start": start_at.astimezone(services.ZONE).isoformat(),
        "amount": count,
        "unit": kind.value,
        "due": due_at.isoformat(),
    }


@router.get("/day", response=DayOut, summary="Một ngày có phải ngày làm việc không, vì sao")
def day_view(request: HttpRequest, date: str | None = None) -> dict:
    day = parse_date(_required(date, "date"))
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ApiError(_("Năm không hợp lệ; dùng một năm từ 1995 đến 2100."), code="invalid_year")
    working, reason = services.is_working_day(day)
    return {"date": day.isoformat(), "working": working, "reason": reason}


@router.get(
    "/year/{year}",
    response=YearOut,
    summary="Các ngày nghỉ lễ, nghỉ bù, ngày làm bù của một năm (không kể Thứ Bảy, Chủ Nhật)",
)
def year_view(request: HttpRequest, year: str) -> dict:
    if not re.match(r"^\d{4}$", year) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ApiError(_("Năm không hợp lệ; dùng một năm từ 1995 đến 2100."), code="invalid_year")
    days = [
        {"date": day.isoformat(), "working": working, "reason": reason}
        for day, working, reason in services.year_exceptions(int(year))
    ]
    return {"year": int(year), "days": days}
