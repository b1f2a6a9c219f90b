from django.core.management.base import BaseCommand

from egov.dossiers.actions import check_overdue


class Command(BaseCommand):
    help = "Raise the overdue alert, once, for every dossier past its due moment."

    def handle(self, *args, **options) -> None:
        count = check_overdue()
        if options["verbosity"]:
            self.stdout.write(f"{count} hồ sơ quá hạn đã được cảnh báo.")
