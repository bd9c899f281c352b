"""The deployment files stay in step with the code: docker-compose.yml has
the services README promises, and .env.example documents every variable
that settings read."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services_each_with_a_healthcheck(compose):
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A smartcity worker")
    assert services["beat"]["command"].startswith("celery -A smartcity beat")


def test_compose_worker_and_beat_reuse_the_web_definition(compose):
    """Through the x-app anchor: same image, environment and dependencies."""
    services = compose["services"]
    for key in ("image", "build", "environment", "depends_on", "env_file"):
        assert services["worker"][key] == services["web"][key] == compose["x-app"][key], key
        assert services["beat"][key] == services["web"][key], key
    text = (ROOT / "docker-compose.yml").read_text()
    assert text.count("<<: *app") == 3


def test_compose_has_no_top_level_name(compose):
    # docker-compose 1.29 (what CI validates with) rejects it.
    assert "name" not in compose


def test_compose_waits_for_healthy_database_and_redis(compose):
    depends = compose["services"]["web"]["depends_on"]
    assert depends == {"db": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    environment = compose["services"]["web"]["environment"]
    assert environment["DATABASE_URL"].endswith("@db:5432/orchestre")
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert environment["DEBUG"] == "0"


def _settings_variables() -> set[str]:
    source = (ROOT / "smartcity" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+|_str)\(\s*"([A-Z][A-Z0-9_]*)"', source))


def test_env_example_documents_every_setting():
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    variables = _settings_variables()
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "EMAIL_BACKEND"} <= variables
    assert variables - documented == set()


def test_readme_configuration_table_lists_every_setting():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in _settings_variables() if f"`{name}`" not in readme}
    assert missing == set()
