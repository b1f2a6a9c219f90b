from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from egov.feedback.models import ApiClient
from egov.feedback.open311_keys import issue_key, revoke_key


class Command(BaseCommand):
    help = "Open311 API keys: create NAME (prints the key once), revoke ID, list."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a key to a new client.")
        create.add_argument("name", help="The client's name, e.g. the app's.")
        create.add_argument("--contact", default="", help="Who to call about this client.")
        revoke = actions.add_parser("revoke", help="Revoke a client's key at once.")
        revoke.add_argument("id", type=int, help="The client's id (see list).")
        actions.add_parser("list", help="Every client, its key's first characters and state.")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _create(self, name: str, contact: str, **options) -> None:
        try:
            client, key = issue_key(name, contact=contact)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"open311_key: client {client.pk} “{client.name}” created; its key:")
        self.stdout.write(key)
        self.stdout.write("Give it to the client now: it is not stored and cannot be shown again.")

    def _revoke(self, id: int, **options) -> None:
        client = ApiClient.objects.filter(pk=id).first()
        if client is None:
            raise CommandError(f"no Open311 client with id {id}")
        if revoke_key(client):
            self.stdout.write(f"open311_key: client {client.pk} “{client.name}” revoked")
        else:
            self.stdout.write(f"open311_key: client {client.pk} was already revoked")

    def _list(self, **options) -> None:
        for client in ApiClient.objects.order_by("pk"):
            if client.revoked_at:
                state = f"revoked {timezone.localtime(client.revoked_at):%Y-%m-%d %H:%M}"
            else:
                state = "active"
            used = (
                # mark_used records at most once a minute (docs/open311.md): say how exact it is.
                f"last used {timezone.localtime(client.last_used):%Y-%m-%d %H:%M} (±1 min)"
                if client.last_used
                else "never used"
            )
            self.stdout.write(
                f"{client.pk:>4}  {client.key_prefix}…  {client.name}  ({state}, {used})"
            )
