"""Fixtures for the tests that talk to a real broker.

``REDIS_URL`` (default ``redis://127.0.0.1:6379/15``) names the Redis these
tests use. When it does not answer they are skipped, unless
``REQUIRE_SERVICES=1`` (CI), which turns the skip into a failure.
"""

import os
import uuid

import pytest
import redis

DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes"}


def missing_service(reason: str) -> None:
    """Skip, or fail when the run requires its services."""
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "").strip() or DEFAULT_TEST_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2).ping()
    except redis.RedisError as exc:
        missing_service(f"Redis unreachable at {url}: {exc}")
    return url


@pytest.fixture
def redis_client(redis_url):
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=5)
    yield client
    client.close()


@pytest.fixture
def unique_queue(redis_client):
    """A queue name no other run uses; its Redis keys are removed afterwards."""
    name = f"orchestre-test-{uuid.uuid4().hex[:12]}"
    yield name
    redis_client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
