"""Single sign-on end to end against a real OpenID Connect provider: a
second Django process (django-oauth-toolkit, tests/oidc_provider/) with a
fresh RSA key. Orchestre is driven by the test client; the provider by
HTTP; Orchestre's callback exchanges the code with the provider over HTTP
(PKCE, signed ID token checked against the provider's JWKS, userinfo)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcity.base import sso
from smartcity.base.security import SESSION_OTP_STATE
from tests import factories

CLIENT_ID = "orchestre-test"
CLIENT_SECRET = "orchestre-test-secret"
CALLBACK = "http://testserver/compte/sso/retour/"


@pytest.fixture(scope="module")
def provider():
    """The provider's issuer URL, its process running for this module."""
    folder = tempfile.TemporaryDirectory(prefix="oidc-provider-")
    env = {**os.environ, "OIDC_PROVIDER_DB": str(Path(folder.name) / "provider.sqlite3"), "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", CLIENT_ID, CLIENT_SECRET, CALLBACK],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = process.stdout.readline()
    if not line.startswith("READY"):
        process.kill()
        pytest.fail(f"the OIDC provider did not start: {line}{process.stdout.read()}")
    yield f"http://127.0.0.1:{int(line.split()[1])}/o"
    process.terminate()
    process.wait(timeout=10)
    folder.cleanup()


@pytest.fixture
def sso_on(settings, provider):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ISSUER = provider
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "smartcity.base.sso.OrchestreOIDCBackend"]
    sso._discovery.cache_clear()
    return settings


def _sign_in_at_provider(orchestre: Client, username: str, password: str, *, next_url: str = ""):
    """Start at Orchestre's SSO button, sign in at the provider, come back
    with the code: Orchestre's answer to the callback."""
    start = orchestre.get(reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["client_id"] == [CLIENT_ID] and query["redirect_uri"] == [CALLBACK]

    browser = requests.Session()
    to_login = browser.get(authorize, allow_redirects=False, timeout=10)
    assert to_login.status_code == 302  # not signed in at the provider yet
    login_url = requests.compat.urljoin(authorize, to_login.headers["Location"])
    browser.get(login_url, timeout=10)
    signed_in = browser.post(
        login_url,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": parse_qs(urlsplit(login_url).query)["next"][0],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    back = browser.get(
        requests.compat.urljoin(login_url, signed_in.headers["Location"]), allow_redirects=False, timeout=10
    )
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK), back.text[:500]
    callback = urlsplit(back.headers["Location"])
    return orchestre.get(callback.path, parse_qs(callback.query))


@pytest.mark.django_db
def test_a_known_verified_email_signs_in_through_the_provider(sso_on):
    agent = factories.UserFactory(username="imorvan", email="ines.morvan@orvalle.example", role="director")
    orchestre = Client()
    answer = _sign_in_at_provider(orchestre, "agent", "agent-password", next_url="/projets/")
    assert answer.status_code == 302 and answer["Location"] == "/projets/"
    assert orchestre.session[SESSION_KEY] == str(agent.pk)
    assert orchestre.session[SESSION_OTP_STATE] == "none"
    assert orchestre.get("/projets/").status_code == 200

    # The second factor of local sign-ins is asked after the provider too.
    TOTPDevice.objects.create(user=agent, name="phone", confirmed=True)
    second = Client()
    _sign_in_at_provider(second, "agent", "agent-password")
    assert second.session[SESSION_OTP_STATE] == "verify"
    assert second.get("/projets/")["Location"].startswith(reverse("otp_verify"))


@pytest.mark.django_db
def test_an_unknown_or_unverified_email_gets_no_session(sso_on):
    factories.UserFactory(username="lead-account", email="lead@orvalle.example", role="lead")
    for username in ("stranger", "unverified"):
        orchestre = Client()
        answer = _sign_in_at_provider(orchestre, username, f"{username}-password")
        assert answer.status_code == 302 and answer["Location"] == reverse("login")
        assert SESSION_KEY not in orchestre.session
        assert orchestre.get("/projets/").status_code == 302  # sent to sign-in
    from django.contrib.auth.models import User

    assert not User.objects.filter(email__iexact="someone@elsewhere.example").exists()


@pytest.mark.django_db
def test_with_creation_on_a_stranger_gets_an_inactive_account_and_no_session(sso_on):
    sso_on.ORCHESTRE_OIDC_CREATE_USERS = True
    orchestre = Client()
    answer = _sign_in_at_provider(orchestre, "stranger", "stranger-password")
    assert answer["Location"] == reverse("login") and SESSION_KEY not in orchestre.session
    from django.contrib.auth.models import User

    created = User.objects.get(email="someone@elsewhere.example")
    assert not created.is_active and not created.groups.exists()


@pytest.mark.django_db
def test_sso_is_off_without_a_client_id(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    for name in ("oidc_authentication_init", "oidc_authentication_callback"):
        answer = client.get(reverse(name), {"code": "x", "state": "y"})
        assert answer.status_code == 302 and answer["Location"] == reverse("login")
        assert SESSION_KEY not in client.session
    assert "sso-sign-in" not in client.get(reverse("login")).content.decode()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    assert "sso-sign-in" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_local_sign_in_still_works_beside_sso(sso_on):
    factories.UserFactory(username="local-agent", password="a-long-local-password", role="viewer")
    orchestre = Client()
    page = orchestre.get(reverse("login")).content.decode()
    assert "sso-sign-in" in page and reverse("oidc_authentication_init") in page
    answer = orchestre.post(reverse("login"), {"username": "local-agent", "password": "a-long-local-password"})
    assert answer.status_code == 302 and SESSION_KEY in orchestre.session
