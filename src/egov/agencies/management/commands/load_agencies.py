from django.core.management.base import BaseCommand, CommandError

from egov.agencies import loaders
from egov.core.api_errors import NotFound


class Command(BaseCommand):
    help = (
        "Load the province's agencies: the provincial ones from agencies/data/<province>.json "
        "and, for every current commune, its People's Committee (UBX<code>) and public-service "
        "centre (TTX<code>). Run load_places first. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--province",
            metavar="CODE",
            help="Province code (default: settings.EGOV_PROVINCE_CODE).",
        )

    def handle(self, *args, province=None, **options) -> None:
        out = self.stdout if options["verbosity"] > 0 else None
        try:
            summaries = loaders.load_agencies(province, out=out or _Quiet())
        except (loaders.AgencyDataError, NotFound) as exc:
            raise CommandError(str(exc)) from exc
        if out:
            for summary in summaries:
                out.write(summary.line())


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
