"""Shared fixtures."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def reference_data(django_db_setup, django_db_blocker) -> None:
    """Load the reference data (places, agencies, procedures) once into the test database.

    Tests run inside transactions that roll back, so every test that asks for this fixture sees
    exactly the seeded data. Request it (or mark a module with
    ``pytestmark = pytest.mark.usefixtures("reference_data")``) where a test needs it.
    """
    with django_db_blocker.unblock():
        for command in ("load_places", "load_agencies", "load_procedures"):
            call_command(command, verbosity=0)
