"""The portal's applicant pages reuse the dossiers' cast (STP, its officials, two citizens),
set up through the real actions; see tests/dossiers/conftest.py."""

from tests.dossiers.conftest import cast  # noqa: F401 (a fixture, used by name)
