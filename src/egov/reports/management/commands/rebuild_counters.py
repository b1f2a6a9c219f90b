from django.core.management.base import BaseCommand

from egov.reports.counters import rebuild


class Command(BaseCommand):
    help = "Recompute the dashboard's dossier counters from the dossiers (after a bulk load)."

    def handle(self, *args, **options) -> None:
        replaced, summary = rebuild(self.stdout)
        self.stdout.write(f"{summary.line()}; {replaced} old rows replaced.")
