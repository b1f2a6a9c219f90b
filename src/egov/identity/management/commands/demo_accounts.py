from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.identity.demo import create_demo_accounts, demo_password, remove_demo_accounts


class Command(BaseCommand):
    help = (
        "Create the demo accounts (demo profile only) and print them with the shared password; "
        "--remove deletes them (any profile)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--remove", action="store_true", help="Delete every demo account.")

    def handle(self, *args, remove: bool = False, **options) -> None:
        if remove:
            count = remove_demo_accounts()
            self.stdout.write(f"demo_accounts: {count} demo accounts removed")
            return
        if settings.PROFILE != "demo":
            raise CommandError(
                f"demo accounts are only created in the demo profile (EGOV_PROFILE=demo); "
                f"this is {settings.PROFILE!r}. They share a published password."
            )
        result = create_demo_accounts()
        if options["verbosity"] >= 1:
            self._print_table(result.rows)
        for line in result.skipped:
            self.stderr.write(self.style.WARNING(f"  skipped {line}"))
        self.stdout.write(f"demo_accounts: {len(result.rows)} ready, {len(result.skipped)} skipped")

    def _print_table(self, rows: list[tuple[str, str, str]]) -> None:
        self.stdout.write(f"Demo accounts — password for all: {demo_password()}")
        width = max((len(r[0]) for r in rows), default=10)
        for username, description, note in rows:
            suffix = f"  ({note})" if note else ""
            self.stdout.write(f"  {username:<{width}}  {description}{suffix}")
