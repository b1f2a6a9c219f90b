from django import template

from egov.catalog.models import Procedure
from egov.catalog.services import format_vnd, processing_time_text

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """``{{ fee.amount_vnd|vnd }}`` → "50.000 đồng" or "Miễn phí"."""
    return format_vnd(amount)


@register.filter
def processing_time(procedure: Procedure) -> str:
    return processing_time_text(procedure)


@register.filter
def unconfirmed(procedure: Procedure, field: str) -> bool:
    return procedure.is_unconfirmed(field)
