from django.conf import settings

from egov.places.models import AdminUnit


def default_province_name() -> str:
    """The name of the province this installation serves, as people write it ("Tây Ninh")."""
    unit = AdminUnit.objects.filter(
        code=str(settings.EGOV_PROVINCE_CODE), level=1, valid_to__isnull=True
    ).first()
    return unit.name if unit else "Tây Ninh"
