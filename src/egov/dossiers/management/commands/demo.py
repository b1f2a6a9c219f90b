from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.dossiers.demo import generate


class Command(BaseCommand):
    help = (
        "Fill the database with realistic demo dossiers over the last months, through the same "
        "actions officials and citizens use (not in the production profile)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dossiers", type=int, default=300, help="How many (default 300).")
        parser.add_argument("--months", type=int, default=12, help="Over how many months.")
        parser.add_argument("--seed", type=int, default=2025, help="Same seed, same dossiers.")
        parser.add_argument(
            "--citizens", type=int, default=12, help="Extra demo citizens to apply online."
        )
        parser.add_argument(
            "--with-messages",
            action="store_true",
            help="Also queue the e-mails and SMS of the past events (off: the worker would "
            "send them all now).",
        )

    def handle(self, *args, **options) -> None:
        if settings.PROFILE == "production":
            raise CommandError(
                "egov demo refuses to run in the production profile: it creates demo accounts "
                "with a published password and invented dossiers."
            )
        if options["dossiers"] < 0 or options["months"] < 1:
            raise CommandError("--dossiers must be >= 0 and --months >= 1")
        out = self.stdout if options["verbosity"] >= 1 else None
        summary = generate(
            options["dossiers"],
            options["months"],
            options["seed"],
            out=out,
            messages=options["with_messages"],
            citizens=options["citizens"],
        )
        for line in summary.lines():
            self.stdout.write(line)
        if summary.failures and summary.created == 0 and options["dossiers"]:
            raise CommandError("no dossier could be created")
