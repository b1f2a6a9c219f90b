import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.core.profile import production_problems
from egov.env import env_int, env_str


class Command(BaseCommand):
    help = "Serve the platform with gunicorn (PORT sets the port, EGOV_WORKERS the processes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--port", type=int, default=env_int("PORT", 8000), help="port (PORT, default 8000)"
        )
        parser.add_argument(
            "--host",
            default=env_str("EGOV_HOST", "127.0.0.1"),
            help="address to listen on (EGOV_HOST, default 127.0.0.1)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=env_int("EGOV_WORKERS", 3),
            help="gunicorn worker processes (EGOV_WORKERS, default 3)",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run `egov worker` and `egov check_overdue --every 900`; both stop with it",
        )

    def handle(
        self, *args, port: int, host: str, workers: int, with_worker: bool = False, **options
    ) -> None:
        # Say why before gunicorn starts: its workers would each die with a traceback otherwise.
        problems = production_problems()
        if problems:
            raise CommandError("Refusing to start in production:\n  - " + "\n  - ".join(problems))
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
            # No shared control socket: several servers on one machine would remove each other's.
            "--no-control-socket",
            "--forwarded-allow-ips",
            env_str("EGOV_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        if with_worker:
            sys.exit(_serve_with_worker(argv))
        os.execv(sys.executable, argv)


def _serve_with_worker(server_argv: list[str], background: list[list[str]] | None = None) -> int:
    """Run gunicorn and the background processes as children; when the server ends, stop them.

    The background processes are the task worker and the overdue check (every 15 minutes).
    They get their own session so a Ctrl+C in the terminal does not hit them mid-task; each is
    sent one SIGTERM (finish the current task, then exit) once the server has stopped.
    """
    egov = [sys.executable, "-m", "egov.cli"]
    background = background or [[*egov, "worker"], [*egov, "check_overdue", "--every", "900"]]
    children = [subprocess.Popen(argv, start_new_session=True) for argv in background]
    server = subprocess.Popen(server_argv)

    def forward(signum: int, frame: object) -> None:
        server.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return server.wait()
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
