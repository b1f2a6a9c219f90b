"""EGOV_PROFILE=production refuses to serve until hardened (egov.core.profile), tried the way a
server starts: importing egov.wsgi in a fresh process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(50)


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def base_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EGOV_") and key != "DATABASE_URL"
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "egov.settings",
        "EGOV_DATA_DIR": str(tmp),
        "EGOV_SQLITE_PATH": str(tmp / "egov.sqlite3"),
        "EGOV_ALLOWED_HOSTS": "dvc.example.gov.vn",
    }
    migrated = run(["-m", "egov.cli", "migrate", "-v", "0"], env)
    assert migrated.returncode == 0, migrated.stderr
    return env


def start(env, **overrides):
    return run(["-c", "import egov.wsgi"], {**env, "EGOV_PROFILE": "production", **overrides})


def test_refuses_the_default_secret_key(base_env):
    result = start(base_env)
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert "EGOV_SECRET_KEY" in result.stderr


def test_refuses_a_short_secret_key(base_env):
    result = start(base_env, EGOV_SECRET_KEY="short")
    assert result.returncode != 0 and "EGOV_SECRET_KEY" in result.stderr


def test_refuses_debug(base_env):
    result = start(base_env, EGOV_SECRET_KEY=STRONG_KEY, EGOV_DEBUG="1")
    assert result.returncode != 0 and "EGOV_DEBUG is on" in result.stderr
    assert "EGOV_SECRET_KEY" not in result.stderr


def test_refuses_demo_accounts_then_starts_once_removed(base_env):
    created = run(["-m", "egov.cli", "demo_accounts"], {**base_env, "EGOV_PROFILE": "demo"})
    assert created.returncode == 0, created.stderr
    refused = start(base_env, EGOV_SECRET_KEY=STRONG_KEY)
    assert refused.returncode != 0 and "demo accounts exist" in refused.stderr
    prod = {**base_env, "EGOV_PROFILE": "production", "EGOV_SECRET_KEY": STRONG_KEY}
    removed = run(["-m", "egov.cli", "demo_accounts", "--remove"], prod)
    assert removed.returncode == 0, removed.stderr
    started = start(base_env, EGOV_SECRET_KEY=STRONG_KEY)
    assert started.returncode == 0, started.stderr


def test_demo_accounts_cannot_be_created_in_production(base_env):
    prod = {**base_env, "EGOV_PROFILE": "production", "EGOV_SECRET_KEY": STRONG_KEY}
    result = run(["-m", "egov.cli", "demo_accounts"], prod)
    assert result.returncode != 0 and "demo profile" in result.stderr


def test_check_deploy_is_clean_when_hardened(base_env):
    prod = {**base_env, "EGOV_PROFILE": "production", "EGOV_SECRET_KEY": STRONG_KEY}
    result = run(["-m", "egov.cli", "check", "--deploy", "--fail-level", "WARNING"], prod)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookie_settings(base_env):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
        "s.SESSION_COOKIE_AGE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)"
    )
    prod = {**base_env, "EGOV_PROFILE": "production", "EGOV_SECRET_KEY": STRONG_KEY}
    result = run(["-c", code], prod)
    assert result.stdout.split() == [
        "__Host-egov_session", "True", "True", "Lax", "True", "True", "28800", "True", "True",
    ]  # fmt: skip


def test_egov_serve_says_why_before_starting_any_server(base_env):
    result = run(
        ["-m", "egov.cli", "serve", "--port", "1"], {**base_env, "EGOV_PROFILE": "production"}
    )
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert "EGOV_SECRET_KEY" in result.stderr
    assert "serving on" not in result.stdout and "Traceback" not in result.stderr
