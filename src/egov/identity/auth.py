"""Authentication for every API router: a bearer token or the browser's Django session.

Use it per router or per operation::

    from egov.identity.auth import BearerOrSession

    router = Router(auth=BearerOrSession())          # every operation needs a signed-in user
    @router.get("/mine", auth=BearerOrSession())     # or one operation

Inside the handler ``request.user`` (and ``request.auth``) is the signed-in ``User``. Without
credentials Ninja answers 401 in the platform's error shape.
"""

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from egov.identity import services


class BearerOrSession(HttpBearer):
    """``Authorization: Bearer <token>`` from programs, else the session cookie from pages.

    A request with a session is checked for CSRF (the browser sends cookies by itself, so a
    forged cross-site POST must not ride on them); a bearer token is never sent automatically,
    so it needs no CSRF token.
    """

    def __call__(self, request: HttpRequest) -> Any | None:
        header = request.headers.get(self.header, "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() == "bearer":
            return self.authenticate(request, token.strip())
        return self._from_session(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = services.user_for_token(token)
        if user is None:
            return None
        request.user = user
        request.auth_method = "bearer"
        return user

    def _from_session(self, request: HttpRequest) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF check failed")
        request.auth_method = "session"
        return user
