"""Django settings for egov, all read from environment variables with safe defaults.

EGOV_PROFILE selects the profile: ``dev`` (default for tests and tools), ``demo`` (what
``make run`` serves, with demo accounts) or ``production`` (refuses to start unless hardened,
see ``egov.core.profile``).
"""

from pathlib import Path

import dj_database_url

from egov.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(env_str("EGOV_DATA_DIR", str(PROJECT_DIR / "var")))

PROFILE = env_choice("EGOV_PROFILE", "dev", {"dev", "demo", "production"})
INSECURE_DEFAULT_SECRET_KEY = "egov-insecure-default-key-change-me-in-production"
SECRET_KEY = env_str("EGOV_SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("EGOV_DEBUG", PROFILE == "dev")
ALLOWED_HOSTS = env_list("EGOV_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("EGOV_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "egov.core",
    "egov.identity",
    "egov.places",
    "egov.agencies",
    "egov.calendar",
    "egov.catalog",
    "egov.dossiers",
    "egov.feedback",
    "egov.reports",
    "egov.portal",
    "egov.workspace",
    "django_tasks",
    "django_tasks_db",
    "egov.notify",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "egov.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egov.core.context_processors.platform",
            ],
        },
    },
]

# SQLite in WAL mode by default; DATABASE_URL (postgres://…) selects PostgreSQL.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("EGOV_SQLITE_PATH", str(DATA_DIR / "egov.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions and cookies as a security review expects: HttpOnly, SameSite, Secure behind TLS.
SECURE_TLS = env_bool("EGOV_SECURE_TLS", PROFILE == "production")
SESSION_COOKIE_AGE = env_int("EGOV_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Applicants often sign in on shared computers (commune offices, internet cafés): the cookie dies
# with the browser, and the server-side session still ends after SESSION_COOKIE_AGE.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("EGOV_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_SECURE = SECURE_TLS
SESSION_COOKIE_NAME = "__Host-egov_session" if SECURE_TLS else "egov_session"
CSRF_COOKIE_SECURE = SECURE_TLS
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = SECURE_TLS and env_bool("EGOV_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_TLS else None
SECURE_HSTS_SECONDS = 31536000 if SECURE_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_TLS
# Preload (hstspreload.org) only means something once submitted; sending it is what
# `check --deploy` asks for. EGOV_HSTS_PRELOAD=0 for a domain whose subdomains are not all TLS.
SECURE_HSTS_PRELOAD = SECURE_TLS and env_bool("EGOV_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sign-in throttle (egov.identity.services.check_throttle): after this many failures within the
# window for one username or one IP address, attempts wait 30 s, doubling up to 15 minutes.
EGOV_SIGNIN_MAX_FAILURES = env_int("EGOV_SIGNIN_MAX_FAILURES", 5)
# Per IP address the threshold is higher: a commune office or a company signs in through one
# NAT address, and one person mistyping must not lock out the whole counter.
EGOV_SIGNIN_MAX_FAILURES_PER_IP = env_int("EGOV_SIGNIN_MAX_FAILURES_PER_IP", 20)
EGOV_SIGNIN_WINDOW_SECONDS = env_int("EGOV_SIGNIN_WINDOW_SECONDS", 15 * 60)
EGOV_SIGNIN_BASE_DELAY_SECONDS = env_int("EGOV_SIGNIN_BASE_DELAY_SECONDS", 30)
EGOV_SIGNIN_MAX_DELAY_SECONDS = env_int("EGOV_SIGNIN_MAX_DELAY_SECONDS", 15 * 60)
EGOV_API_TOKEN_SECONDS = env_int("EGOV_API_TOKEN_SECONDS", 8 * 3600)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("EGOV_STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("EGOV_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("EGOV_MANIFEST_STATIC", PROFILE != "dev")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # What every server process must agree on (throttle counters): kept in the database.
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "egov_shared_cache",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "egov": {"handlers": ["console"], "level": env_str("EGOV_LOG_LEVEL", "INFO")},
        "egov.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Server errors (500) with their traceback, which Django only e-mails by default.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# The province this installation serves (the places app's code); any of the 34 works.
EGOV_PROVINCE_CODE = env_int("EGOV_PROVINCE_CODE", 80)
EGOV_PLATFORM_NAME = env_str("EGOV_PLATFORM_NAME", "")

# Working calendar (egov.calendar), parsed strictly where used: the sessions of a working day in
# Asia/Ho_Chi_Minh time, the weekend days, and the cut-off for same-day procedures.
EGOV_WORKING_HOURS = env_str("EGOV_WORKING_HOURS", "07:00-11:30,13:30-17:00")
EGOV_WEEKEND_DAYS = env_str("EGOV_WEEKEND_DAYS", "sat,sun")
EGOV_SAME_DAY_CUTOFF = env_str("EGOV_SAME_DAY_CUTOFF", "15:00")

# Background tasks (the django.tasks API through the django-tasks backport): the database backend
# writes the task row in the caller's transaction; `egov worker` runs them (egov.notify).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# E-mail through Django's backends: the console by default, SMTP when EGOV_EMAIL_HOST is set
# (or any backend by EGOV_EMAIL_BACKEND). Passwords may come from EGOV_EMAIL_PASSWORD_FILE.
EMAIL_HOST = env_str("EGOV_EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EGOV_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EGOV_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EGOV_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("EGOV_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EGOV_EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EGOV_EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EGOV_EMAIL_TIMEOUT_SECONDS", 30)
DEFAULT_FROM_EMAIL = env_str("EGOV_EMAIL_FROM", "Cổng dịch vụ công <no-reply@localhost>")

# Notifications (egov.notify): the SMS gateway (protocol in egov/notify/sms.py; no URL = SMS are
# logged and skipped), retries with exponential backoff, and the site address for links.
EGOV_SMS_GATEWAY_URL = env_str("EGOV_SMS_GATEWAY_URL")
EGOV_SMS_API_KEY = env_str("EGOV_SMS_API_KEY")
EGOV_SMS_SENDER = env_str("EGOV_SMS_SENDER", "TAYNINH")
EGOV_SMS_ASCII = env_bool("EGOV_SMS_ASCII", False)
EGOV_SMS_TIMEOUT_SECONDS = env_int("EGOV_SMS_TIMEOUT_SECONDS", 10)
EGOV_NOTIFY_MAX_ATTEMPTS = env_int("EGOV_NOTIFY_MAX_ATTEMPTS", 6)
EGOV_NOTIFY_RETRY_BASE_SECONDS = env_int("EGOV_NOTIFY_RETRY_BASE_SECONDS", 60)
EGOV_SITE_URL = env_str("EGOV_SITE_URL", "http://127.0.0.1:8000")

# The one-stop shop (egov.dossiers).
# After a supplement during handling the clock resumes with the time left ("resume"), or counts
# the whole legal time again ("restart"); see egov.dossiers.deadlines for the legal reading.
EGOV_SUPPLEMENT_CLOCK = env_choice("EGOV_SUPPLEMENT_CLOCK", "resume", {"resume", "restart"})
EGOV_DOSSIER_FILE_MAX_BYTES = env_int("EGOV_DOSSIER_FILE_MAX_BYTES", 10 * 1024 * 1024)

# Feedback (egov.feedback, docs/feedback.md): the bound for forwarding to the competent agency
# (Decree 20/2008/NĐ-CP: 5 working days), the likely-duplicate rule (same category, within so
# many metres and days, text similarity in percent) and the photos a citizen may attach.
EGOV_FEEDBACK_FORWARD_DAYS = env_int("EGOV_FEEDBACK_FORWARD_DAYS", 5)
EGOV_FEEDBACK_DUPLICATE_METRES = env_int("EGOV_FEEDBACK_DUPLICATE_METRES", 200)
EGOV_FEEDBACK_DUPLICATE_DAYS = env_int("EGOV_FEEDBACK_DUPLICATE_DAYS", 14)
EGOV_FEEDBACK_DUPLICATE_SIMILARITY = env_int("EGOV_FEEDBACK_DUPLICATE_SIMILARITY", 50)
EGOV_FEEDBACK_MAX_PHOTOS = env_int("EGOV_FEEDBACK_MAX_PHOTOS", 5)
EGOV_FEEDBACK_PHOTO_MAX_BYTES = env_int("EGOV_FEEDBACK_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
EGOV_TRACK_MAX_FAILURES = env_int("EGOV_TRACK_MAX_FAILURES", 10)
EGOV_TRACK_WINDOW_SECONDS = env_int("EGOV_TRACK_WINDOW_SECONDS", 15 * 60)
EGOV_DEMO_PASSWORD = env_str("EGOV_DEMO_PASSWORD", "egov-demo-2025")
