"""The production profile refuses to serve until the deployment is hardened."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def production_problems() -> list[str]:
    """What stops this installation from serving in production; empty when it may start."""
    if settings.PROFILE != "production":
        return []
    problems = []
    if settings.SECRET_KEY == settings.INSECURE_DEFAULT_SECRET_KEY or len(settings.SECRET_KEY) < 40:
        problems.append("EGOV_SECRET_KEY is the default or shorter than 40 characters")
    if settings.DEBUG:
        problems.append("EGOV_DEBUG is on")
    from egov.identity.services import demo_accounts_exist

    if demo_accounts_exist():
        problems.append(
            "demo accounts exist in the database (remove them: egov demo_accounts --remove)"
        )
    return problems


def assert_ready_to_serve() -> None:
    problems = production_problems()
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))
