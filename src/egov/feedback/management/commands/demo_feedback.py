from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.feedback.demo import generate


class Command(BaseCommand):
    help = (
        "Create demo feedback, questions and field reports in every state, through the same "
        "services citizens and officials use (not in the production profile)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--items", type=int, default=36, help="How many (default 36).")
        parser.add_argument("--seed", type=int, default=2025, help="Same seed, same items.")

    def handle(self, *args, **options) -> None:
        if settings.PROFILE == "production":
            raise CommandError("egov demo_feedback refuses to run in the production profile.")
        if options["items"] < 0:
            raise CommandError("--items must be >= 0")
        out = self.stdout if options["verbosity"] >= 1 else None
        summary = generate(options["items"], options["seed"], out=out)
        if out is not None:
            for line in summary.lines():
                out.write(line)
