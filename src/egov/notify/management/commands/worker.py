"""``egov worker``: run the background tasks (notifications and any other app's tasks)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from egov.env import env_str


class Command(BaseCommand):
    help = "Run the background task worker (sends e-mail and SMS notifications); Ctrl+C stops it."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queues",
            default=env_str("EGOV_WORKER_QUEUES", "*"),
            help="comma-separated queue names to work on, '*' for all (default: %(default)s)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait when no task is ready (default: %(default)s)",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="run every task that is ready now, then exit (cron, tests, one-off catch-up)",
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many")

    def handle(self, *args, queues: str, interval: float, batch: bool, max_tasks, **options):
        # django-tasks-db's worker claims rows with SELECT … FOR UPDATE SKIP LOCKED on
        # PostgreSQL (an exclusive transaction on SQLite), so any number of workers may run.
        worker_options = {
            "queue_name": queues,
            "interval": interval,
            "batch": batch,
            "reload": False,
            "verbosity": options["verbosity"],
        }
        if max_tasks:
            worker_options["max_tasks"] = max_tasks
        call_command("db_worker", **worker_options)
