"""`egov serve --with-worker` (what `make run` starts): the worker lives as long as the server."""

import signal
import sys
import textwrap

from egov.core.management.commands.serve import _serve_with_worker


def test_the_worker_is_stopped_gently_when_the_server_ends(tmp_path):
    marker = tmp_path / "worker-stopped"
    started = tmp_path / "worker-started"
    # A stand-in worker that records the signal it is stopped with.
    worker = textwrap.dedent(
        f"""
        import pathlib, signal, sys, time
        def stop(signum, frame):
            pathlib.Path({str(marker)!r}).write_text(signal.Signals(signum).name)
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        pathlib.Path({str(started)!r}).write_text("up")
        time.sleep(60)
        """
    )
    # A stand-in server that waits for the worker to be up, then exits with code 3.
    server = textwrap.dedent(
        f"""
        import pathlib, sys, time
        for _ in range(200):
            if pathlib.Path({str(started)!r}).exists():
                break
            time.sleep(0.05)
        sys.exit(3)
        """
    )
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        code = _serve_with_worker(
            [sys.executable, "-c", server], background=[[sys.executable, "-c", worker]]
        )
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])

    assert code == 3
    assert marker.read_text() == "SIGTERM"
