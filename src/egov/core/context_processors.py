from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from egov.places.services import default_province_name


def platform(request: HttpRequest) -> dict[str, object]:
    province = default_province_name()
    return {
        "province_name": province,
        "platform_name": settings.EGOV_PLATFORM_NAME
        or _("Cổng dịch vụ công %(province)s") % {"province": province},
        "demo_mode": settings.PROFILE == "demo",
    }
