"""Personal API tokens: created on the profile page (secret shown once,
stored hashed), scoped, revoked, last use recorded, rate-limited per token."""

import hashlib

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from smartcity.base.models import ApiToken
from smartcity.base.tokens import api_token_create
from tests import factories

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_profile_page_creates_a_token_shown_once_and_stored_hashed(director_client, director):
    response = director_client.post(reverse("api_tokens"), {"name": "Tableau BI", "scope": "read"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=director)
    secret = response.context["secret"]
    assert secret.startswith("orch_") and secret in response.content.decode()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(list(ApiToken.objects.values()))
    again = director_client.get(reverse("api_tokens")).content.decode()
    assert "Tableau BI" in again and secret not in again


def test_token_reads_the_api_and_records_its_last_use(director):
    token, secret = api_token_create(user=director, name="BI", scope="read")
    assert token.last_used_at is None
    response = Client().get(reverse("api:project-list"), **bearer(secret))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_wrong_or_revoked_token_is_refused(director_client, director):
    token, secret = api_token_create(user=director, name="BI", scope="read")
    assert Client().get(reverse("api:project-list"), **bearer("orch_nope")).status_code == 401
    response = director_client.post(reverse("api_token_revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(reverse("api:project-list"), **bearer(secret)).status_code == 401


def test_nobody_revokes_another_persons_token(director_client, lead):
    token, _secret = api_token_create(user=lead, name="BI", scope="read")
    assert director_client.post(reverse("api_token_revoke", kwargs={"pk": token.pk})).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_api_request_gets_401_with_bearer_challenge():
    response = Client().get(reverse("api:project-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_read_token_cannot_write(director, director_service):
    project = factories.ProjectFactory(lead_service=director_service)
    _token, secret = api_token_create(user=director, name="BI", scope="read")
    url = reverse("api:project-detail", kwargs={"pk": project.pk})
    assert Client().patch(url, {}, content_type="application/json", **bearer(secret)).status_code == 403


def test_rate_limit_is_per_token(director, settings):
    settings.ORCHESTRE_API_TOKEN_RATE = "3/minute"
    cache.clear()
    _a, first = api_token_create(user=director, name="A", scope="read")
    _b, second = api_token_create(user=director, name="B", scope="read")
    url = reverse("api:programme-list")
    client = Client()
    assert [client.get(url, **bearer(first)).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(url, **bearer(second)).status_code == 200
    cache.clear()
