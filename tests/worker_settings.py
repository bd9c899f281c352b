"""Settings for a real Celery worker started by tests marked ``worker``:
the production settings, mail written to files the test can count."""

import os

from smartcity.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["ORCHESTRE_TEST_MAIL_DIR"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
