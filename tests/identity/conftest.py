import pytest

from egov.identity import services

PASSWORD = "Cay-xoai-9-nhanh"


@pytest.fixture
def citizen(db):
    return services.register_citizen(
        full_name="Nguyễn Văn An",
        password=PASSWORD,
        citizen_id="079203001234",
        phone="0912345678",
    )
