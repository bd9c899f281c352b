"""Gunicorn settings for Orchestre (``gunicorn -c smartcity/gunicorn.conf.py
smartcity.wsgi``). Each value can be overridden from the environment."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104 - inside a container
# Sync workers: the pages are short database-bound requests.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then so that a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The TLS-terminating proxy in front sets X-Forwarded-Proto (see SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
