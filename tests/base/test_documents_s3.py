"""Documents on an S3-compatible object store, over HTTP: moto's server runs
as a separate process on a free port (``python -m moto.server``), the
storage settings are built by ``smartcity.settings`` from the same
environment variables a city would set, and a document goes up, comes down
and is deleted through the real views.

Skipped only if moto's server cannot start here; with ``REQUIRE_SERVICES=1``
(CI) that is a failure instead."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from smartcity.base import documents
from smartcity.base.models import Document
from smartcity.site.demo.documents import tiny_pdf
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "orchestre-documents"
ENV = {
    "ORCHESTRE_S3_BUCKET": BUCKET,
    "ORCHESTRE_S3_REGION": "fr-par",
    "ORCHESTRE_S3_ADDRESSING_STYLE": "path",
    "ORCHESTRE_S3_PREFIX": "orchestre",
    "AWS_ACCESS_KEY_ID": "test-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"moto's S3 server is required (REQUIRE_SERVICES=1): {reason}")
    pytest.skip(f"moto's S3 server cannot start here: {reason}")


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's server in its own process, on a free port; stopped at the end."""
    try:
        import moto.server  # noqa: F401
    except ImportError as exc:
        _unavailable(str(exc))
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _unavailable(f"no answer on {endpoint}")
            time.sleep(0.2)
    yield endpoint
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def s3_storage(s3_endpoint):
    """The ``documents`` storage as ``smartcity.settings`` builds it from the
    environment (in a fresh interpreter), and its bucket, created empty."""
    import boto3

    code = "import json; from smartcity import settings; print(json.dumps(settings.STORAGES['documents']))"
    env = {**os.environ, **ENV, "ORCHESTRE_S3_ENDPOINT_URL": s3_endpoint, "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    config = json.loads(output.strip().splitlines()[-1])
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="fr-par",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "fr-par"})
    return config, client


def _keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_a_document_goes_up_comes_down_and_goes_away_on_s3(
    s3_storage, lead_client, director_client, director_service, other_service, django_capture_on_commit_callbacks
):
    config, client = s3_storage
    assert config["OPTIONS"]["endpoint_url"].startswith("http://127.0.0.1:")
    project = factories.ProjectFactory(lead_service=director_service)
    other = factories.ProjectFactory(lead_service=other_service)
    content = tiny_pdf("Convention", ["Stockée dans un seau S3."])
    with override_settings(STORAGES={**settings.STORAGES, "documents": config, "default": config}):
        assert type(documents.storage()).__name__ == "S3Storage"
        before = _keys(client)

        # Up, through the real view (the director, on their service's project).
        response = director_client.post(
            reverse("documents:add", args=["projet", project.pk]),
            {"title": "Convention S3", "kind": "agreement", "file": SimpleUploadedFile("c.pdf", content)},
        )
        assert response.status_code == 302
        document = Document.objects.get()
        key = f"orchestre/{document.storage_name}"
        assert _keys(client) - before == {key}
        stored = client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert stored == content

        # Refused (another service's project): nothing reaches the bucket.
        response = director_client.post(
            reverse("documents:add", args=["projet", other.pk]),
            {"title": "Intrus", "kind": "other", "file": SimpleUploadedFile("i.pdf", content)},
        )
        assert response.status_code == 403
        assert _keys(client) - before == {key}

        # Down, through the permission-checked view.
        response = lead_client.get(document.get_download_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Disposition"] == 'attachment; filename="Convention_S3.pdf"'

        # Away: the object goes when the deletion commits.
        with django_capture_on_commit_callbacks(execute=True):
            assert lead_client.post(reverse("documents:delete", args=[document.pk])).status_code == 302
        assert _keys(client) == before
