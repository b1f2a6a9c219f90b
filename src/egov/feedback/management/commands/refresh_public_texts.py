from django.core.management.base import BaseCommand

from egov.feedback import services


class Command(BaseCommand):
    help = (
        "Recompute the public (masked) title, text and answer of every feedback item with the "
        "current masking rules; moderators' corrections stand. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        changed = services.refresh_public_texts()
        if options["verbosity"] > 0:
            self.stdout.write(f"refresh_public_texts: {changed} item(s) changed")
