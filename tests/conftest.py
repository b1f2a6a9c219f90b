"""Shared fixtures: every test database holds the real reference data."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command


def pytest_configure(config) -> None:
    # WhiteNoise warns on every request while STATIC_ROOT does not exist (before collectstatic).
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    """Load the reference data (places, agencies, procedures, feedback categories) once into
    the test database.

    Tests run inside transactions that roll back, so every test starts from exactly the seeded
    data of the configured province (Tây Ninh, 80): use it rather than creating look-alikes.
    """
    with django_db_blocker.unblock():
        for command in (
            "load_places",
            "load_agencies",
            "load_procedures",
            "load_feedback_categories",
        ):
            call_command(command, verbosity=0)
