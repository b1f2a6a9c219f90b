from django import template

from egov.identity.services import mask_citizen_id

register = template.Library()


@register.filter(name="mask_id")
def mask_id(value: str) -> str:
    """``{{ user.citizen_id|mask_id }}`` → "079******234": pages need no more than that."""
    return mask_citizen_id(str(value or ""))
