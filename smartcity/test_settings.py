"""Settings for the test suite: the production settings with fast hashing,
plain static storage and mail kept in memory. The database comes from
DATABASE_URL (PostgreSQL in CI) or falls back to SQLite."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-000000000000")
os.environ.setdefault("DEBUG", "0")

from .settings import *  # noqa: F403
from .settings import STORAGES

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Documents uploaded by tests go to a throw-away folder, never the project's media/.
_TEST_FILES_DIR = tempfile.mkdtemp(prefix="orchestre-test-documents-")
atexit.register(shutil.rmtree, _TEST_FILES_DIR, True)
_TEST_FILES = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": _TEST_FILES_DIR}}
STORAGES = {**STORAGES, "default": _TEST_FILES, "documents": _TEST_FILES}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Tasks run in-process unless a test points Celery at a real broker.
CELERY_BROKER_URL = ""
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "fr"
WHITENOISE_USE_FINDERS = True
# Each test client loads the middleware again: WhiteNoise then looks a static
# file up when one is asked for, instead of scanning every app's static
# folders at each load (a quarter of a second per test client on a busy
# machine). The live server serves static files through its own handler.
WHITENOISE_AUTOREFRESH = True
