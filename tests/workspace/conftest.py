"""The workspace's tests use the dossiers' cast (STP with its unit HCTP, the outsider of Sở Y
tế, two citizens) and its helpers, so dossiers are set up through the real actions."""

from django.test import Client

from tests.dossiers.conftest import cast  # noqa: F401 (the fixture)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
