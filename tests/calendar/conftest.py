import pytest

from egov.calendar import services


@pytest.fixture(autouse=True)
def fresh_calendar(db):
    """Every test reads the overrides of its own (rolled-back) transaction, not a cached copy."""
    services.invalidate_cache()
    yield
    services.invalidate_cache()
