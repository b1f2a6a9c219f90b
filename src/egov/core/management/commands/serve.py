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
            help="also run `egov worker` (background tasks) and stop it when the server stops",
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


def _serve_with_worker(server_argv: list[str], worker_argv: list[str] | None = None) -> int:
    """Run gunicorn and the task worker as children; when the server ends, stop the worker.

    The worker gets its own session so a Ctrl+C in the terminal does not hit it mid-task; it is
    sent one SIGTERM (finish the current task, then exit) once the server has stopped.
    """
    worker_argv = worker_argv or [sys.executable, "-m", "egov.cli", "worker"]
    worker = subprocess.Popen(worker_argv, start_new_session=True)
    server = subprocess.Popen(server_argv)

    def forward(signum: int, frame: object) -> None:
        server.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return server.wait()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
