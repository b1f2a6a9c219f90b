from django.core.management.base import BaseCommand, CommandError

from egov.feedback import loaders


class Command(BaseCommand):
    help = (
        "Load the feedback categories (feedback/data/categories.json): routing, deadlines and "
        "Open311 attributes. Run load_agencies first. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        out = self.stdout if options["verbosity"] > 0 else None
        try:
            summary = loaders.load_categories(out=out or _Quiet())
        except loaders.CategoryDataError as exc:
            raise CommandError(str(exc)) from exc
        if out:
            out.write(summary.line())


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
