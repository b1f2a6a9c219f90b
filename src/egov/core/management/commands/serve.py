import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from egov.env import env_int, env_str


class Command(BaseCommand):
    help = "Serve the platform with gunicorn (PORT sets the port, EGOV_WORKERS the processes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=env_int("PORT", 8000))
        parser.add_argument("--host", default=env_str("EGOV_HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=env_int("EGOV_WORKERS", 3))

    def handle(self, *args, port: int, host: str, workers: int, **options) -> None:
        self.stdout.write(f"egov ({settings.PROFILE}) serving on http://{host}:{port}/")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "egov.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            env_str("EGOV_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.execv(sys.executable, argv)
