# Orchestre: one image for the web process (gunicorn), the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# pango and a font: WeasyPrint writes the meeting pack's PDF.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --uid 10001 --home-dir /home/orchestre orchestre

COPY requirements/ requirements/
RUN pip install -r requirements/base.txt

COPY . .

# Static files are collected into the image and served by whitenoise. The key
# below exists only for this build step; the container refuses to start
# without a real SECRET_KEY in its environment.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret DEBUG=0 DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -f /tmp/build.sqlite3

# Documents stored on local disk (no ORCHESTRE_S3_BUCKET) go to /app/media,
# the compose file's "documents" volume: the app's user owns it, nobody else reads it.
RUN mkdir -p /app/media && chown orchestre /app/media && chmod 750 /app/media

USER orchestre
EXPOSE 8000

CMD ["gunicorn", "--config", "smartcity/gunicorn.conf.py", "smartcity.wsgi:application"]
