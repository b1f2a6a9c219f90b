from django.conf import settings
from django.http import HttpRequest

from egov.places.services import default_province_name


def platform(request: HttpRequest) -> dict[str, object]:
    province = default_province_name()
    return {
        "province_name": province,
        "platform_name": settings.EGOV_PLATFORM_NAME or f"Cổng dịch vụ công {province}",
        "demo_mode": settings.PROFILE == "demo",
    }
