import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from egov.dossiers.actions import check_overdue
from egov.feedback.services import check_overdue as check_overdue_feedback


class Command(BaseCommand):
    help = (
        "Raise the overdue alert, once, for every dossier and every feedback item past its due "
        "moment."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="keep running and check again every SECONDS (egov serve --with-worker uses 900)",
        )

    def handle(self, *args, every: int = 0, **options) -> None:
        while True:
            count = check_overdue()
            feedback = check_overdue_feedback()
            if options["verbosity"]:
                self.stdout.write(f"{count} hồ sơ quá hạn đã được cảnh báo.")
                self.stdout.write(f"{feedback} phản ánh quá hạn trả lời đã được cảnh báo.")
            if every <= 0:
                return
            close_old_connections()
            time.sleep(every)
