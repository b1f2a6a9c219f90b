from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def working_time(seconds: int | None) -> str:
    """``{{ event.working_seconds|working_time }}`` → "9 giờ 30 phút" (working time, not wall)."""
    if seconds is None:
        return ""
    minutes = int(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(h)d giờ %(m)d phút") % {"h": hours, "m": minutes}
    if hours:
        return _("%(h)d giờ") % {"h": hours}
    return _("%(m)d phút") % {"m": minutes}


@register.filter
def file_size(size: int | None) -> str:
    size = int(size or 0)
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


@register.simple_tag
def file_url(dossier, stored) -> str:
    """The API's download of a dossier file (it accepts the page's session, checks access)."""
    return f"/api/v1/dossiers/{dossier.public_id}/files/{stored.public_id}"
