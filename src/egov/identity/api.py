"""``/api/v1/auth``: exchange credentials for a bearer token, revoke it, and "who am I"."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from egov.core.api_errors import ApiError
from egov.identity import services
from egov.identity.auth import BearerOrSession

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"
    expires_at: datetime


class ErrorOut(Schema):
    code: str
    message: str


class RoleOut(Schema):
    role: str
    role_label: str
    agency_code: str
    agency_name: str
    unit_name: str


class MeOut(Schema):
    username: str
    kind: str
    kind_label: str
    full_name: str
    representative_name: str
    phone: str
    email: str
    citizen_id_masked: str
    tax_code: str
    roles: list[RoleOut]


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
    summary="Cấp mã truy cập (bearer token)",
)
def issue_token(request: HttpRequest, payload: TokenIn):
    """Sign in with a phone (any written form) or e-mail and the password; the same throttle as
    the sign-in page applies (429 ``too_many_attempts``)."""
    user = services.sign_in(payload.username, payload.password, request=request)
    issued = services.issue_token(user)
    return TokenOut(token=issued.token, expires_at=issued.expires_at)


@router.delete(
    "/token", auth=BearerOrSession(), response={204: None, 400: ErrorOut}, summary="Thu hồi mã"
)
def revoke_token(request: HttpRequest):
    """Revoke the bearer token this request carries (sign out of a program)."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        raise ApiError(_("Yêu cầu này cần mã truy cập (Authorization: Bearer …)."))
    services.revoke_token(token.strip())
    return Status(204, None)


@router.get("/me", auth=BearerOrSession(), response=MeOut, summary="Tài khoản đang đăng nhập")
def me(request: HttpRequest):
    user = request.user
    return MeOut(
        username=user.username,
        kind=user.kind,
        kind_label=str(user.get_kind_display()),
        full_name=user.full_name,
        representative_name=user.representative_name,
        phone=user.phone,
        email=user.email,
        citizen_id_masked=services.mask_citizen_id(user.citizen_id),
        tax_code=user.tax_code,
        roles=[RoleOut(**vars(role)) for role in services.staff_roles(user)],
    )
