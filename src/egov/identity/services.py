"""Accounts: registration rules, identifiers, sign-in with a throttle, and API tokens.

Views, forms, the API router and the demo command all call these functions; none of them writes
a user, an attempt or a token itself.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from egov.core.api_errors import ApiError
from egov.identity.models import ApiToken, SignInAttempt, User

security_log = logging.getLogger("egov.security")


def _now() -> datetime:
    """The clock seam: tests pass ``now=`` to the functions below instead of sleeping."""
    return timezone.now()


# --- identifiers -------------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# Vietnamese mobile numbers have 10 digits since the 2018 renumbering of 11-digit subscriber
# numbers (Decision 798/QĐ-BTTTT, 2018, under the numbering plan of Circular 22/2014/TT-BTTTT):
# a trunk 0 then a network prefix 3x, 5x, 7x, 8x or 9x. Fixed lines (02x) cannot receive the
# SMS messages accounts rely on, so they are not accepted as a sign-in phone.
_MOBILE = re.compile(r"0[35789]\d{8}")


def normalise_phone(raw: str) -> str:
    """Return the phone as ``0xxxxxxxxx``: accepts +84 / 84 / 0084 prefixes, spaces, dots, dashes.

    Raises ``ValidationError`` when what remains is not a Vietnamese mobile number.
    """
    digits = _PHONE_SEPARATORS.sub("", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if digits.startswith("00"):  # "+84 0912…" written with the trunk zero kept
        digits = digits[1:]
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(
            _("Số điện thoại di động không hợp lệ (ví dụ: 0912 345 678 hoặc +84 912 345 678)."),
            code="invalid_phone",
        )
    return digits


def normalise_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("Địa chỉ thư điện tử không hợp lệ."), code="invalid_email"
        ) from None
    return email


def login_key(identifier: str) -> str:
    """The username an identifier signs in as: a normalised phone, a lower-cased e-mail, or (for
    staff logins chosen by an administrator) the text itself, trimmed and lower-cased."""
    text = (identifier or "").strip()
    if "@" in text:
        return text.lower()
    try:
        return normalise_phone(text)
    except ValidationError:
        return text.lower()


# Province codes of the place of birth (birth registration) that open a personal identification
# number: Annex to Circular 07/2016/TT-BCA detailing Decree 137/2015/NĐ-CP, Art. 7. They are the
# General Statistics Office's codes of the 63 provinces before the 2025 mergers, prefixed with 0.
# A number issued keeps its code for life, so the merger of July 2025 does not change this list.
CITIZEN_ID_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip


@dataclass(frozen=True)
class CitizenIdInfo:
    number: str
    birth_province: str
    sex: str  # "male" | "female"
    birth_year: int


def validate_citizen_id(raw: str, *, today: datetime | None = None) -> CitizenIdInfo:
    """Check a personal identification number (số định danh cá nhân) and decode what it says.

    Structure (Decree 137/2015/NĐ-CP Art. 7; Circular 07/2016/TT-BCA Art. 7): 12 digits —
    3 for the province of birth registration, 1 for sex and century of birth (0/1 male/female born
    1900–1999, 2/3 in 2000–2099, 4/5 in the 2100s, 6/7 the 2200s, 8/9 the 2300s), 2 for the last
    two digits of the birth year, then 6 random digits. The random part has no check digit, so a
    well-formed number can still be someone else's; only the population database can tell.
    """
    number = re.sub(r"\s", "", raw or "")
    if not re.fullmatch(r"\d{12}", number):
        raise ValidationError(
            _("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="citizen_id_format"
        )
    province = CITIZEN_ID_PROVINCE_CODES.get(number[:3])
    if province is None:
        raise ValidationError(
            _("Ba chữ số đầu (%(code)s) không phải mã tỉnh nơi đăng ký khai sinh hợp lệ.")
            % {"code": number[:3]},
            code="citizen_id_province",
        )
    sex_century = int(number[3])
    birth_year = 1900 + 100 * (sex_century // 2) + int(number[4:6])
    current_year = (today or _now()).year
    if birth_year > current_year:
        raise ValidationError(
            _("Chữ số thứ 4 đến thứ 6 cho năm sinh %(year)s, sau năm hiện tại.")
            % {"year": birth_year},
            code="citizen_id_year",
        )
    return CitizenIdInfo(
        number=number,
        birth_province=province,
        sex="female" if sex_century % 2 else "male",
        birth_year=birth_year,
    )


# Tax code check digit: the tenth digit N10 = 10 − (31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 +
# 13·N6 + 7·N7 + 5·N8 + 3·N9) mod 11 (General Department of Taxation, Decision 75/1998/QĐ-TCT on
# the structure of the tax code). A remainder that gives 10 is never issued. Verified against
# published codes (0100107518, 0101248141, 0100109106). Branches add "-" and 3 digits 001–999
# (Circular 105/2020/TT-BTC, Art. 5).
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no code can be issued on them."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True)) % 11
    digit = 10 - remainder
    return digit if digit < 10 else None


def validate_tax_code(raw: str) -> str:
    """Return the tax code (10 digits, or 10 digits + "-" + 3 for a branch) or raise."""
    code = re.sub(r"\s", "", raw or "")
    match = re.fullmatch(r"(\d{10})(?:-(\d{3}))?", code)
    if not match:
        raise ValidationError(
            _("Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số với chi nhánh."),
            code="tax_code_format",
        )
    main, branch = match.groups()
    if tax_code_check_digit(main[:9]) != int(main[9]):
        raise ValidationError(
            _("Mã số thuế không đúng (chữ số kiểm tra không khớp)."), code="tax_code_check"
        )
    if branch == "000":
        raise ValidationError(
            _("Mã chi nhánh (3 chữ số sau dấu “-”) phải từ 001 đến 999."), code="tax_code_branch"
        )
    return code


def mask_citizen_id(value: str) -> str:
    """Show the province code and the last three digits only: "079203001234" → "079******234"."""
    value = value or ""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]


def mask_username(value: str) -> str:
    """Enough of a username for a log reader to correlate attempts, not enough to reuse it."""
    value = value or ""
    if "@" in value:
        local, _sep, domain = value.partition("@")
        return (local[:2] + "***@" + domain) if domain else "***"
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


# --- registration ------------------------------------------------------------------------------


def _contact(phone: str, email: str) -> tuple[str, str]:
    """Normalise the applicant's phone and e-mail; at least one is required (it is the login)."""
    errors: dict[str, list[str]] = {}
    normal_phone = normal_email = ""
    if phone and phone.strip():
        try:
            normal_phone = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if email and email.strip():
        try:
            normal_email = normalise_email(email)
        except ValidationError as exc:
            errors["email"] = exc.messages
    if not errors and not (normal_phone or normal_email):
        errors["phone"] = [_("Nhập số điện thoại hoặc địa chỉ thư điện tử (ít nhất một).")]
    if errors:
        raise ValidationError(errors)
    return normal_phone, normal_email


def _duplicates(**values: str) -> dict[str, list[str]]:
    messages = {
        "phone": _("Số điện thoại này đã được dùng cho một tài khoản khác."),
        "email": _("Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác."),
        "citizen_id": _("Số định danh cá nhân này đã có tài khoản."),
        "tax_code": _("Mã số thuế này đã có tài khoản."),
    }
    applicants = User.objects.filter(kind__in=[User.Kind.CITIZEN, User.Kind.ORGANISATION])
    errors = {}
    for field, value in values.items():
        if not value:
            continue
        taken = applicants.filter(**{field: value}).exists()
        if field in {"phone", "email"}:
            # The value is also someone's login name, whatever kind of account that is.
            taken = taken or User.objects.filter(username=value).exists()
        if taken:
            errors[field] = [messages[field]]
    return errors


def password_messages(exc: ValidationError) -> list[str]:
    """Django's password validators' messages, in Vietnamese whatever Django's catalog holds.

    Django 5.2 changed some msgids (``%d`` for ``%(min_length)d``) and its Vietnamese catalog has
    not followed, so "too short" would reach applicants in English; the codes are stable.
    """
    texts = {
        "password_too_short": _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."),
        "password_too_common": _("Mật khẩu này quá phổ biến, dễ bị đoán."),
        "password_entirely_numeric": _("Mật khẩu không được chỉ gồm chữ số."),
        "password_too_similar": _("Mật khẩu quá giống thông tin cá nhân (họ tên, số điện thoại…)."),
    }
    messages = []
    for error in exc.error_list:
        template = texts.get(error.code or "")
        if template is None:
            messages.extend(ValidationError([error]).messages)
        else:
            messages.append(template % (error.params or {}) if "%(" in template else template)
    return messages


def _create_applicant(password: str, **fields: str) -> User:
    user = User(username=fields["phone"] or fields["email"], **fields)
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": password_messages(exc)}) from None
    errors = _duplicates(
        **{k: fields.get(k, "") for k in ("phone", "email", "citizen_id", "tax_code")}
    )
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Another registration with the same identifier committed between our check and insert.
        raise ValidationError(
            _("Thông tin này vừa được dùng để đăng ký một tài khoản khác. Vui lòng kiểm tra lại.")
        ) from None
    return user


def register_citizen(
    *, full_name: str, password: str, citizen_id: str, phone: str = "", email: str = ""
) -> User:
    """Create a citizen's account; raise ``ValidationError`` (by field) and create nothing if a
    rule fails. The username is the normalised phone, or the e-mail when there is no phone."""
    errors: dict[str, list[str]] = {}
    try:
        normal_phone, normal_email = _contact(phone, email)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        normal_phone = normal_email = ""
    if not (full_name or "").strip():
        errors["full_name"] = [_("Nhập họ và tên.")]
    try:
        number = validate_citizen_id(citizen_id).number
    except ValidationError as exc:
        errors["citizen_id"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return _create_applicant(
        password,
        kind=User.Kind.CITIZEN,
        full_name=" ".join(full_name.split()),
        phone=normal_phone,
        email=normal_email,
        citizen_id=number,
    )


def register_organisation(
    *,
    organisation_name: str,
    representative_name: str,
    tax_code: str,
    password: str,
    phone: str = "",
    email: str = "",
) -> User:
    """Create an organisation's account, identified by its tax code (mã số thuế)."""
    errors: dict[str, list[str]] = {}
    try:
        normal_phone, normal_email = _contact(phone, email)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        normal_phone = normal_email = ""
    if not (organisation_name or "").strip():
        errors["organisation_name"] = [_("Nhập tên tổ chức, doanh nghiệp.")]
    if not (representative_name or "").strip():
        errors["representative_name"] = [_("Nhập họ và tên người đại diện.")]
    try:
        code = validate_tax_code(tax_code)
    except ValidationError as exc:
        errors["tax_code"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return _create_applicant(
        password,
        kind=User.Kind.ORGANISATION,
        full_name=" ".join(organisation_name.split()),
        representative_name=" ".join(representative_name.split()),
        phone=normal_phone,
        email=normal_email,
        tax_code=code,
    )


# --- sign-in throttle --------------------------------------------------------------------------


class InvalidCredentials(ApiError):
    status = 401
    code = "invalid_credentials"


class TooManyAttempts(ApiError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message, details={"retry_at": retry_at.isoformat()})
        self.retry_at = retry_at


@dataclass(frozen=True)
class Throttle:
    allowed: bool
    retry_at: datetime | None = None

    def message(self, now: datetime | None = None) -> str:
        now = now or _now()
        seconds = max(1, int((self.retry_at - now).total_seconds() + 0.999))
        wait = (
            _("%(n)s giây") % {"n": seconds}
            if seconds < 120
            else _("%(n)s phút") % {"n": (seconds + 59) // 60}
        )
        local = timezone.localtime(self.retry_at)
        return _(
            "Bạn đã đăng nhập sai quá nhiều lần. Vì an toàn, vui lòng thử lại sau %(time)s "
            "(khoảng %(wait)s nữa)."
        ) % {"time": date_format(local, "H:i:s"), "wait": wait}


def _delay_after(failures: int, threshold: int) -> timedelta:
    """30 s at the threshold, doubling with each further failure, capped (15 min by default)."""
    extra = max(failures - threshold, 0)
    seconds = settings.EGOV_SIGNIN_BASE_DELAY_SECONDS * 2 ** min(extra, 30)
    return timedelta(seconds=min(seconds, settings.EGOV_SIGNIN_MAX_DELAY_SECONDS))


def _streak(times: list[datetime], window: timedelta) -> list[datetime]:
    """The latest run of failures (newest first), each within ``window`` of the one after it.

    The window is measured between consecutive failures rather than back from now: otherwise a
    lock longer than half the window would let old failures expire during the wait and the delay
    could never grow to its cap. A pause of a whole window with no failure starts afresh.
    """
    streak: list[datetime] = []
    for at in times:
        if streak and streak[-1] - at > window:
            break
        streak.append(at)
    return streak


def _retry_at(failures_qs, now: datetime, threshold: int) -> datetime | None:
    window = timedelta(seconds=settings.EGOV_SIGNIN_WINDOW_SECONDS)
    # Enough rows to reach the cap; older failures in the streak cannot lengthen the delay.
    times = list(failures_qs.order_by("-at").values_list("at", flat=True)[: threshold + 40])
    if not times or now - times[0] > window + _delay_after(len(times), threshold):
        return None
    streak = _streak(times, window)
    if len(streak) < threshold:
        return None
    return streak[0] + _delay_after(len(streak), threshold)


def check_throttle(username: str, ip: str | None, *, now: datetime | None = None) -> Throttle:
    """May someone try to sign in as ``username`` from ``ip`` now?

    Failures count per username (since that username's last success) and per IP address (a
    success does not reset it, or an attacker could clear it with their own account). Once
    the username has ``EGOV_SIGNIN_MAX_FAILURES`` (5) failures, or the IP address
    ``EGOV_SIGNIN_MAX_FAILURES_PER_IP`` (20: offices share one NAT address), in a row, each
    within the window (15 minutes) of the next, the next attempt must wait a delay counted from
    the last failure:
    30 s, doubling with every further failure up to 15 minutes. Nothing sleeps: the caller
    refuses at once and says when to come back.
    """
    now = now or _now()
    failures = SignInAttempt.objects.filter(success=False, refused=False, at__lte=now)
    candidates = []
    if username:
        last_success = SignInAttempt.objects.filter(
            username=username, success=True, at__lte=now
        ).aggregate(t=Max("at"))["t"]
        by_user = failures.filter(username=username)
        if last_success:
            by_user = by_user.filter(at__gt=last_success)
        candidates.append(_retry_at(by_user, now, settings.EGOV_SIGNIN_MAX_FAILURES))
    if ip:
        ip_threshold = settings.EGOV_SIGNIN_MAX_FAILURES_PER_IP
        candidates.append(_retry_at(failures.filter(ip=ip), now, ip_threshold))
    retry_at = max((t for t in candidates if t is not None), default=None)
    if retry_at is not None and now < retry_at:
        return Throttle(allowed=False, retry_at=retry_at)
    return Throttle(allowed=True)


def record_attempt(
    username: str,
    ip: str | None,
    *,
    success: bool,
    refused: bool = False,
    now: datetime | None = None,
) -> SignInAttempt:
    attempt = SignInAttempt.objects.create(
        username=username[:254], ip=ip or None, success=success, refused=refused, at=now or _now()
    )
    if not success:
        security_log.warning(
            "sign-in %s username=%s ip=%s",
            "refused (throttled)" if refused else "failed",
            mask_username(username),
            ip or "-",
        )
    return attempt


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address. Behind a reverse proxy, configure it to set REMOTE_ADDR (gunicorn does
    not trust X-Forwarded-For by itself), so one client cannot pose as many."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def sign_in(
    identifier: str,
    password: str,
    *,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> User:
    """Check the credentials behind the throttle; return the user or raise.

    Raises ``TooManyAttempts`` (even for the right password while a wait runs) or
    ``InvalidCredentials``. It does not start a session: the login view calls Django's
    ``login()``, which rotates the session key, and the token endpoint issues a token.
    """
    now = now or _now()
    username = login_key(identifier)
    ip = client_ip(request)
    throttle = check_throttle(username, ip, now=now)
    if not throttle.allowed:
        record_attempt(username, ip, success=False, refused=True, now=now)
        raise TooManyAttempts(throttle.message(now), retry_at=throttle.retry_at)
    user = authenticate(request, username=username, password=password)
    if user is None:
        record_attempt(username, ip, success=False, now=now)
        raise InvalidCredentials(
            _(
                "Tên đăng nhập hoặc mật khẩu không đúng. "
                "Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
            )
        )
    record_attempt(username, ip, success=True, now=now)
    return user


# --- API tokens --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


def _hash_token(token: str) -> str:
    # 256 random bits need no slow hash: nobody can search that space, a plain digest suffices.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, *, now: datetime | None = None) -> IssuedToken:
    """Create a bearer token; the plain value is returned once and never stored."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(seconds=settings.EGOV_API_TOKEN_SECONDS)
    ApiToken.objects.create(
        user=user, token_hash=_hash_token(token), created=now, expires_at=expires_at
    )
    return IssuedToken(token=token, expires_at=expires_at)


def user_for_token(token: str, *, now: datetime | None = None) -> User | None:
    """The active user a valid (not expired, not revoked) token belongs to, else None."""
    if not token:
        return None
    now = now or _now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash_token(token), revoked=False, expires_at__gt=now)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    # Record use at most once a minute: one write per request would make reads contend.
    if row.last_used is None or now - row.last_used > timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used=now)
    return row.user


def revoke_token(token: str) -> bool:
    """Revoke one token; True when it existed and was still active."""
    return bool(
        ApiToken.objects.filter(token_hash=_hash_token(token), revoked=False).update(revoked=True)
    )


def revoke_all_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)


# --- profile -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleView:
    role: str
    role_label: str
    agency_code: str
    agency_name: str
    unit_name: str


def staff_roles(user: User) -> list[RoleView]:
    """The official's roles as rows of agencies.StaffRole (the agencies app owns their meaning)."""
    if not user.is_authenticated or user.kind != User.Kind.STAFF:
        return []
    rows = user.staff_roles.select_related("agency", "unit").order_by("agency__name", "role")
    return [
        RoleView(
            role=row.role,
            role_label=row.get_role_display(),
            agency_code=row.agency.code,
            agency_name=row.agency.name,
            unit_name=row.unit.name if row.unit else "",
        )
        for row in rows
    ]


def demo_accounts_exist() -> bool:
    return User.objects.filter(is_demo=True).exists()
