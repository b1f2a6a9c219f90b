from django.core.management.base import BaseCommand

from egov.dossiers.process import load_default_process


class Command(BaseCommand):
    help = "Create the default internal process (reception → … → result return); safe to rerun."

    def handle(self, *args, **options) -> None:
        process = load_default_process()
        if options["verbosity"]:
            self.stdout.write(f"{process.name}: {process.steps.count()} bước.")
