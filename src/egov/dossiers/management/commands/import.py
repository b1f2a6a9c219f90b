from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from egov.dossiers.legacy import import_file


class Command(BaseCommand):
    help = (
        "Import a legacy one-stop system's dossiers from CSV or JSON (egov import dossiers FILE); "
        "all or nothing, and a second import of the same file adds nothing. "
        "Format: docs/import.md."
    )

    def add_arguments(self, parser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="dossiers")
        dossiers = kinds.add_parser(
            "dossiers",
            help="dossiers with their procedure, agency, times and outcome",
            description="Bad rows are listed with their line (CSV) or index (JSON) and nothing "
            "is stored; otherwise every row is stored in one transaction.",
        )
        dossiers.add_argument("file", metavar="FILE", help="the CSV or JSON export")
        dossiers.add_argument(
            "--format",
            choices=("csv", "json"),
            help="the file's format (default: json for *.json, else csv)",
        )
        dossiers.add_argument(
            "--source",
            default="",
            metavar="NAME",
            help="the legacy system's name for rows without a source column",
        )
        dossiers.add_argument(
            "--dry-run", action="store_true", help="check the file and report; store nothing"
        )

    def handle(self, *args, **options) -> None:
        out = self.stdout if options["verbosity"] >= 1 else None
        report = import_file(
            options["file"],
            fmt=options["format"],
            source=options["source"],
            dry_run=options["dry_run"],
            out=out,
        )
        for error in report.errors:
            self.stderr.write(f"  ! {error}")
        for line in report.lines():
            self.stdout.write(line)
        if report.errors:
            raise CommandError(
                _("%(count)d lỗi; không lưu hồ sơ nào.") % {"count": len(report.errors)}
            )
