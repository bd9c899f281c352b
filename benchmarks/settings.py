"""Settings for benchmark runs only: production settings, plain HTTP on
127.0.0.1, plain static storage, and a URLconf adding the trivial view the
pages are compared with. Never deployed."""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-0123456789-0123456789")
os.environ.setdefault("DEBUG", "0")

from smartcity.settings import *  # noqa: F403
from smartcity.settings import STORAGES

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "benchmarks.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The benchmark reads pages as they are served; log only problems.
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
LOGGING["loggers"] = {**LOGGING["loggers"], "orchestre.security": {"level": "WARNING"}}
