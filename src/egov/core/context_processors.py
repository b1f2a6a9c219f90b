from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from egov.places.models import AdminUnit
from egov.places.services import default_province


def platform(request: HttpRequest) -> dict[str, object]:
    unit = default_province()
    province = unit.name if unit else "Tây Ninh"
    if unit is not None and unit.kind == AdminUnit.Kind.CENTRAL_CITY:
        authority = _("Ủy ban nhân dân thành phố %(name)s") % {"name": province}
    else:
        authority = _("Ủy ban nhân dân tỉnh %(name)s") % {"name": province}
    return {
        "province_name": province,
        "province_authority": authority,
        "platform_name": settings.EGOV_PLATFORM_NAME
        or _("Cổng dịch vụ công %(province)s") % {"province": province},
        "demo_mode": settings.PROFILE == "demo",
    }
