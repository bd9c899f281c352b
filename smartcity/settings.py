"""Orchestre settings, driven by the environment.

Every knob is an environment variable (see README, "Configuration"). Without
any, the project runs as the embedded default only when ``DEBUG`` is on:
SQLite, Celery tasks run in-process, mail printed to the console. With
``DEBUG`` off, a real ``SECRET_KEY`` is mandatory and the process refuses to
start without one.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is convenient in development; the environment always wins.
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file), overwrite=False)


def _env_str(name: str, default: str = "") -> str:
    """An environment string where empty counts as unset."""
    value = env.str(name, default="")
    return value if value.strip() else default


DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = _env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (and DEBUG=0) for production, "
            "or DEBUG=1 for a local development server."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = _env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project's own apps, from the bottom layer up (ARCHITECTURE.md).
    "smartcity.base",
    "partners",
    "programmes",
    "governance",
    "smartcity.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "smartcity.base.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "smartcity.base.middleware.SessionSecurityMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: refuses locked-out credentials.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Single sign-on with OpenID Connect (smartcity/base/sso.py, README "Single
# sign-on"): on when OIDC_RP_CLIENT_ID is set. Endpoints from OIDC_OP_*, or
# discovered from OIDC_ISSUER.
OIDC_RP_CLIENT_ID = _env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = _env_str("OIDC_RP_CLIENT_SECRET")
OIDC_ISSUER = _env_str("OIDC_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = _env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = _env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = _env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = _env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_RP_SCOPES = _env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = _env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
ORCHESTRE_SSO_LABEL = _env_str("ORCHESTRE_SSO_LABEL")
ORCHESTRE_OIDC_CREATE_USERS = env.bool("ORCHESTRE_OIDC_CREATE_USERS", default=False)
ORCHESTRE_OIDC_REQUIRE_VERIFIED_EMAIL = env.bool("ORCHESTRE_OIDC_REQUIRE_VERIFIED_EMAIL", default=True)
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("smartcity.base.sso.OrchestreOIDCBackend")

ROOT_URLCONF = "smartcity.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smartcity.base.context_processors.navigation",
                "programmes.context_processors.reporting",
            ],
        },
    },
]

WSGI_APPLICATION = "smartcity.wsgi.application"

# Database: DATABASE_URL (postgres://…) or the embedded SQLite file.
_database_url = _env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": env.db_url_config(_database_url)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A connection that died (PostgreSQL restarted) is replaced before the request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0

    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# The REST API (/api/v1/, smartcity/site/api/).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "smartcity.site.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "smartcity.site.api.auth.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["smartcity.site.api.auth.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Calls allowed per personal API token (DRF rate: "<n>/second|minute|hour|day").
ORCHESTRE_API_TOKEN_RATE = env.str("ORCHESTRE_API_TOKEN_RATE", default="1000/hour")
# Webhooks (smartcity/site/webhooks/): retries after 30 s, then four times
# longer each time, up to the maximum; private addresses refused unless allowed.
ORCHESTRE_WEBHOOK_MAX_ATTEMPTS = env.int("ORCHESTRE_WEBHOOK_MAX_ATTEMPTS", default=6)
ORCHESTRE_WEBHOOK_RETRY_BASE = env.float("ORCHESTRE_WEBHOOK_RETRY_BASE", default=30.0)
ORCHESTRE_WEBHOOK_TIMEOUT = env.float("ORCHESTRE_WEBHOOK_TIMEOUT", default=5.0)
ORCHESTRE_WEBHOOK_ALLOW_PRIVATE = env.bool("ORCHESTRE_WEBHOOK_ALLOW_PRIVATE", default=False)
SPECTACULAR_SETTINGS = {
    "TITLE": "Orchestre API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "HealthEnum": "programmes.models.Health",
        "ReportableHealthEnum": "smartcity.site.api.serializers.REPORTABLE_HEALTH",
    },
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: French first, English second.
# django-filter: an unchosen filter (model choices included) reads "Any",
# not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("Any")
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents (smartcity.base.documents). They are never served under
# MEDIA_URL (no URL pattern serves it, in production or not): only the
# permission-checked download view reads them. Local disk by default, in
# MEDIA_ROOT (private: outside static/, give it to the app's user only); with
# ORCHESTRE_S3_BUCKET set, any S3-compatible object store (AWS, MinIO,
# Scaleway, OVH…), shared by every web and worker node:
#   ORCHESTRE_S3_BUCKET            bucket name (required to use S3)
#   ORCHESTRE_S3_ENDPOINT_URL      e.g. https://s3.fr-par.scw.cloud, http://minio:9000 (empty: AWS)
#   ORCHESTRE_S3_REGION            e.g. fr-par, gra, eu-west-3
#   ORCHESTRE_S3_ADDRESSING_STYLE  path (MinIO), virtual or auto (default)
#   ORCHESTRE_S3_PREFIX            folder inside the bucket (default: none)
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY  the credentials (or boto3's usual chain)
# Objects are private (no ACL given: the bucket's policy applies, keep it private).
MEDIA_ROOT = Path(_env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
ORCHESTRE_S3_BUCKET = _env_str("ORCHESTRE_S3_BUCKET")
if ORCHESTRE_S3_BUCKET:
    _FILE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ORCHESTRE_S3_BUCKET,
            "endpoint_url": _env_str("ORCHESTRE_S3_ENDPOINT_URL") or None,
            "region_name": _env_str("ORCHESTRE_S3_REGION") or None,
            "addressing_style": _env_str("ORCHESTRE_S3_ADDRESSING_STYLE") or None,
            "location": _env_str("ORCHESTRE_S3_PREFIX"),
            "access_key": _env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": _env_str("AWS_SECRET_ACCESS_KEY") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    _FILE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "file_permissions_mode": 0o640, "directory_permissions_mode": 0o750},
    }
STORAGES = {
    "default": _FILE_STORAGE,
    "documents": _FILE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# backup_data writes times to the microsecond (Django's "json" stops at the millisecond).
SERIALIZATION_MODULES = {"exact_json": "smartcity.base.exact_json"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Cache and broker: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = _env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis: with IGNORE_EXCEPTIONS, a Redis error is logged and
            # reads as a cache miss, so a cache outage never fails a page.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "orchestre.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = _env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = _env_str("CELERY_RESULT_BACKEND", REDIS_URL) or None
# Embedded default: no broker configured, tasks run in the calling process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Publishing from a web request: one quick retry, then give up (the task goes
# to the DeferredTask outbox) rather than kombu's default of retrying with
# 2-second sleeps while the user waits. Does not change how a worker reconnects.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The result backend's own retries (20 by default, a second apart) would hold
# a caller for ~20 s when Redis is down.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
}
CELERY_TASK_DEFAULT_QUEUE = _env_str("CELERY_QUEUE", "orchestre")
CELERY_BEAT_SCHEDULE: dict = {
    "resend-deferred-tasks": {
        "task": "smartcity.tasks.resend_deferred_tasks",
        "schedule": 300.0,
    },
    # Status reporting: close the cycle when due (the lead's digest follows),
    # then remind directors of their due projects, once per cycle.
    "reporting-cycle-roll-over": {
        "task": "programmes.tasks.roll_reporting_cycle",
        "schedule": crontab(minute=5),
    },
    "reporting-reminders": {
        "task": "programmes.tasks.send_reporting_reminders",
        "schedule": crontab(minute=30, hour=8, day_of_week="mon-fri"),
    },
    # Partner relationships: one reminder to the lead per agreement expiry.
    "agreement-expiry-reminders": {
        "task": "programmes.tasks.send_agreement_reminders",
        "schedule": crontab(minute=45, hour=8),
    },
    # Meeting packs: e-mailed to the members Committee.pack_days_before days ahead.
    "meeting-packs": {
        "task": "governance.tasks.send_due_packs",
        "schedule": crontab(minute=0, hour=7),
    },
}

# E-mail
EMAIL_BACKEND = _env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = _env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = _env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = _env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = _env_str("DEFAULT_FROM_EMAIL", "Orchestre <orchestre@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production values are on unless DEBUG; each can be overridden.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions: an idle timeout (sliding) and an absolute one counted from sign-in,
# both enforced by smartcity.base.middleware.SessionSecurityMiddleware. The cookie
# lives as long as the absolute limit; the middleware ends it sooner when idle.
ORCHESTRE_SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
# Password-reset requests (smartcity/base/views.py): per address and per
# client address, in a window of seconds; past a limit no e-mail is sent.
ORCHESTRE_PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
ORCHESTRE_PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=20)
ORCHESTRE_PASSWORD_RESET_WINDOW = env.int("PASSWORD_RESET_WINDOW", default=3600)
ORCHESTRE_SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=10 * 3600)
SESSION_COOKIE_AGE = ORCHESTRE_SESSION_ABSOLUTE_TIMEOUT
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Uploads: request bodies and in-memory files capped (imports are spreadsheets,
# not media); smartcity.base.uploads checks each file's type and size.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
ORCHESTRE_UPLOAD_MAX_BYTES = env.int("ORCHESTRE_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Largest accepted document (studies, conventions, photos), bytes.
ORCHESTRE_DOCUMENT_MAX_BYTES = env.int("ORCHESTRE_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# GDPR retention: a contact person neither confirmed nor edited for this many
# days is listed for review (partners/rules.py).
ORCHESTRE_CONTACT_REVIEW_DAYS = env.int("ORCHESTRE_CONTACT_REVIEW_DAYS", default=365)

# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere.
# data: images are Bootstrap's SVG icons (select arrow, navbar toggler) and the
# server-rendered TOTP QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Brute-force protection (django-axes): lock a username *from one address*
# after 5 failures, for 15 minutes. Locking by address alone would lock out a
# whole city hall behind one NAT; by username alone would let anyone lock out
# the lead.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "smartcity.base.security.client_ip"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "smartcity.base.security.axes_username"
# Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
ORCHESTRE_TRUSTED_PROXIES = env.int("ORCHESTRE_TRUSTED_PROXIES", default=0)

# Second factor (TOTP, django-otp): optional for everybody, compulsory for
# leads when the city turns it on.
ORCHESTRE_REQUIRE_2FA_FOR_LEADS = env.bool("ORCHESTRE_REQUIRE_2FA_FOR_LEADS", default=False)
OTP_TOTP_ISSUER = "Orchestre"

SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # "One open reporting cycle" uses a NULLS NOT DISTINCT constraint SQLite
    # cannot hold; the cycle services lock and check it themselves.
    SILENCED_SYSTEM_CHECKS.append("models.W047")
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way decision for the city's DNS owners, not ours.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Sign-ins, refusals, role changes, personal-data exports (ASVS V7).
        "orchestre.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# Orchestre's own settings
ORCHESTRE_CITY_NAME = _env_str("ORCHESTRE_CITY_NAME", "Métropole d’Orvalle")

# Partner relationships: a partner with no interaction for this many days is
# flagged as quiet; an agreement ending within this many days is flagged as
# expiring and the lead gets one reminder.
ORCHESTRE_PARTNER_QUIET_DAYS = env.int("ORCHESTRE_PARTNER_QUIET_DAYS", default=180)
ORCHESTRE_AGREEMENT_EXPIRY_DAYS = env.int("ORCHESTRE_AGREEMENT_EXPIRY_DAYS", default=90)
