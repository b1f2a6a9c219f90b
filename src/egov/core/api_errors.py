"""One error shape for the whole API: ``{"code": <machine code>, "message": <Vietnamese text>}``.

Domain code raises :class:`ApiError` (or a subclass); Ninja's own validation and auth errors are
turned into the same shape so clients handle one format; so is an unexpected exception (a JSON
500 ``server_error``, logged like Django logs any server error).
"""

import math
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.log import log_response
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ApiError(Exception):
    status = 400
    code = "bad_request"
    # When set (an aware datetime), the response tells clients when to retry (Retry-After).
    retry_at: datetime | None = None

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class InvalidAction(ApiError):
    """The action does not apply in the record's current state."""

    status = 409
    code = "invalid_state"


class InvalidInput(ApiError):
    """What the caller sent cannot be used (a field-level reason is in the message)."""

    status = 422
    code = "invalid"


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return body


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = api.create_response(
            request, error_body(exc.code, exc.message, exc.details), status=exc.status
        )
        if exc.retry_at is not None:
            seconds = (exc.retry_at - timezone.now()).total_seconds()
            response["Retry-After"] = str(max(1, math.ceil(seconds)))
        return response

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {
                "field": ".".join(str(p) for p in err.get("loc", [])[1:]) or None,
                "message": err.get("msg", ""),
            }
            for err in exc.errors
        ]
        body = error_body("validation_error", _("Dữ liệu gửi lên không hợp lệ."), details)
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = error_body("unauthenticated", _("Bạn cần đăng nhập để thực hiện thao tác này."))
        return api.create_response(request, body, status=401)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(
            request, error_body(f"http_{exc.status_code}", str(exc)), status=exc.status_code
        )

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        body = error_body("server_error", _("Đã có lỗi máy chủ. Vui lòng thử lại sau."))
        response = api.create_response(request, body, status=500)
        # As Django logs a server error (logger django.request, with the traceback), once.
        log_response(
            "Internal Server Error: %s",
            request.path,
            response=response,
            request=request,
            exception=exc,
        )
        return response
