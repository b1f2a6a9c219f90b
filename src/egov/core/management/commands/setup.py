from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prepare the database: migrate, collect static files, load reference data (places, "
        "agencies, procedures) and, in demo mode, the demo accounts. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Do not create demo accounts.")

    def handle(self, *args, no_demo: bool = False, **options) -> None:
        verbosity = options["verbosity"]
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_places", verbosity=verbosity)
        call_command("load_agencies", verbosity=verbosity)
        call_command("load_procedures", verbosity=verbosity)
        call_command("load_processes", verbosity=verbosity)
        call_command("load_feedback_categories", verbosity=verbosity)
        if settings.PROFILE == "demo" and not no_demo:
            call_command("demo_accounts", verbosity=verbosity)
            from egov.dossiers.demo import demo_dossiers_exist
            from egov.env import env_int

            # Demo dossiers only the first time, so a second `make run` stays fast;
            # EGOV_DEMO_DOSSIERS=0 skips them (the browser tests' server does).
            count = env_int("EGOV_DEMO_DOSSIERS", 300)
            if count and not demo_dossiers_exist():
                call_command("demo", dossiers=count, months=12, verbosity=verbosity)
            from egov.feedback.demo import demo_feedback_exist

            # Demo feedback likewise, once; EGOV_DEMO_DOSSIERS=0 skips it too unless
            # EGOV_DEMO_FEEDBACK says how many.
            feedback = env_int("EGOV_DEMO_FEEDBACK", 36 if count else 0)
            if feedback and not demo_feedback_exist():
                call_command("demo_feedback", items=feedback, verbosity=verbosity)
