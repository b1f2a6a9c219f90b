"""Browser tests: Debian's chromium, driven by Playwright, against a real egov server.

The server is the production stack (``egov setup`` then gunicorn) on a free loopback port with a
database of its own: a temporary SQLite file, or a fresh PostgreSQL database when DATABASE_URL
is set, so each run of the suite also browses on each database.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser
# The smallest real PDF, for uploads the platform must recognise as PDF by their content.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("EGOV_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"{CHROMIUM} is required (EGOV_REQUIRE_BROWSER=1) but missing")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_database(tmp: Path) -> tuple[dict[str, str], callable]:
    """Environment for the server's own database, and how to drop it afterwards."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return {"EGOV_SQLITE_PATH": str(tmp / "browser.sqlite3")}, lambda: None
    import psycopg

    name = f"egov_browser_{uuid.uuid4().hex[:8]}"
    admin_url = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return {"DATABASE_URL": url.rsplit("/", 1)[0] + "/" + name}, drop


@pytest.fixture(scope="session")
def live_url(tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("server")
    db_env, drop_database = _server_database(tmp)
    env = {
        **os.environ,
        **db_env,
        "EGOV_PROFILE": "demo",
        "EGOV_DATA_DIR": str(tmp),
        "EGOV_WORKERS": "2",
        "EGOV_DEMO_DOSSIERS": "0",  # predictable pages: no generated demo dossiers
    }
    egov = [sys.executable, "-m", "egov.cli"]
    subprocess.run([*egov, "setup", "-v", "0"], env=env, check=True, cwd=ROOT)
    port = _free_port()
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen(
        [*egov, "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError((tmp / "server.log").read_text()) from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        drop_database()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(params=["phone", "desktop"])
def viewport_name(request) -> str:
    return request.param


@pytest.fixture
def page(browser, viewport_name):
    size = PHONE if viewport_name == "phone" else DESKTOP
    context = browser.new_context(viewport=size, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Run axe-core on the page; fail on any serious or critical finding."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not bad, "\n".join(
        f"{v['impact']}: {v['id']} — {v['help']} ({[n['target'] for n in v['nodes']][:5]})"
        for v in bad
    )


def screenshot(page, name: str, viewport_name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ for a person to look at."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pytest_sessionfinish(session, exitstatus):
    # Chromium leaves crash-pad folders behind when killed; keep the work tree clean.
    shutil.rmtree(ROOT / ".org.chromium.Chromium", ignore_errors=True)
