"""Sign-in protection, sessions, second factor, CSP, security log, uploads."""

import io
import logging
import re
import zipfile

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcity.base.exports import neutralise
from smartcity.base.roles import Role, assign_role
from smartcity.base.security import log_export
from smartcity.base.uploads import FileCheck, check_upload
from tests import factories

LOGIN = "/compte/login/"


def _sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- brute force (django-axes) -------------------------------------------------


@pytest.mark.django_db
def test_password_sign_in_works(caplog):
    factories.UserFactory(username="alice")
    client = Client()
    with caplog.at_level(logging.INFO, logger="orchestre.security"):
        response = _sign_in(client, "alice", "secret-password")
    assert response.status_code == 302
    assert "sign-in success" in caplog.text


@pytest.mark.django_db
def test_five_failures_lock_the_username_from_that_address_only(caplog):
    factories.UserFactory(username="alice")
    attacker = Client()
    with caplog.at_level(logging.WARNING, logger="orchestre.security"):
        for _ in range(5):
            _sign_in(attacker, "alice", "wrong")
    assert caplog.text.count("sign-in failure username='alice'") == 5
    locked = _sign_in(attacker, "alice", "secret-password")
    assert locked.status_code == 429
    assert "registration/lockout.html" in [t.name for t in locked.templates]
    # A colleague behind another address is not locked out…
    assert _sign_in(Client(), "alice", "secret-password", ip="10.0.0.2").status_code == 302
    # …nor is another account behind the same (city hall) address.
    factories.UserFactory(username="bob")
    assert _sign_in(Client(), "bob", "secret-password").status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off():
    factories.UserFactory(username="alice")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            _sign_in(Client(), "alice", "wrong")
        assert _sign_in(Client(), "alice", "secret-password").status_code == 429
        traveller.shift(16 * 60)
        assert _sign_in(Client(), "alice", "secret-password").status_code == 302


# --- sessions ------------------------------------------------------------------


@pytest.mark.django_db
def test_idle_session_ends(lead_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert lead_client.get("/").status_code == 200
        traveller.shift(29 * 60)
        assert lead_client.get("/").status_code == 200  # activity slides the window
        traveller.shift(29 * 60)
        assert lead_client.get("/").status_code == 200
        traveller.shift(31 * 60)
        response = lead_client.get("/projets/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert lead_client.get("/").status_code == 302


@pytest.mark.django_db
def test_session_has_an_absolute_limit(lead_client):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(21):  # active all day, every 29 minutes
            traveller.shift(29 * 60)
            response = lead_client.get("/")
            if response.status_code == 302:
                break
        assert response.status_code == 302
        assert 9.5 * 3600 < 29 * 60 * 21 and response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_disabling_an_account_ends_its_sessions(lead, lead_client, viewer_client, caplog):
    assert lead_client.get("/").status_code == 200
    sessions_before = Session.objects.count()
    with caplog.at_level(logging.WARNING, logger="orchestre.security"):
        lead.is_active = False
        lead.save()
    assert Session.objects.count() == sessions_before - 1
    assert "account disabled" in caplog.text
    assert lead_client.get("/").status_code == 302
    assert viewer_client.get("/").status_code == 200


@pytest.mark.django_db
def test_role_changes_are_logged(viewer, caplog):
    with caplog.at_level(logging.WARNING, logger="orchestre.security"):
        assign_role(viewer, Role.LEAD)
    assert "role change action=add" in caplog.text and "'lead'" in caplog.text
    assert "role change action=remove" in caplog.text


@pytest.mark.django_db
def test_role_changes_by_a_named_builder_are_info_not_warnings(viewer, caplog):
    from smartcity.base.security import role_changes_by

    with caplog.at_level(logging.INFO, logger="orchestre.security"), role_changes_by("seed_demo"):
        assign_role(viewer, Role.LEAD)
    records = [r for r in caplog.records if "role change" in r.getMessage()]
    assert records and all(r.levelno == logging.INFO for r in records)
    assert "by=seed_demo" in records[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="orchestre.security"):
        assign_role(viewer, Role.VIEWER)
    assert "role change" in caplog.text  # outside the block: a warning again


def test_cookies_and_hsts_are_secure_in_production():
    """The production values (settings.py without DEBUG) — test settings relax them."""
    import importlib
    import os

    import smartcity.settings as prod

    env = {"DEBUG": "0", "SECRET_KEY": "x" * 60}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        prod = importlib.reload(prod)
        assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and prod.SESSION_COOKIE_HTTPONLY
        assert prod.SECURE_SSL_REDIRECT and prod.SECURE_HSTS_SECONDS >= 31536000
        assert prod.SECURE_HSTS_INCLUDE_SUBDOMAINS
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --- CSP -----------------------------------------------------------------------


@pytest.mark.django_db
def test_csp_header_forbids_inline_scripts(lead_client):
    response = lead_client.get("/")
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert "<script>" not in html and "style=" not in html


# --- second factor -------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db
def test_enrol_then_second_step_is_required(caplog):
    user = factories.UserFactory(username="carol", role=Role.LEAD.value)
    client = Client()
    assert _sign_in(client, "carol", "secret-password").status_code == 302
    page = client.get(reverse("otp_setup"))
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    secret = re.compile(rb'user-select-all">([A-Z2-7]+)<')
    again = client.get(reverse("otp_setup"))
    assert secret.search(again.content).group(1) == secret.search(page.content).group(1)  # the same secret
    assert not TOTPDevice.objects.exists()  # looking at the page creates nothing
    password = "secret-password"
    assert client.post(reverse("otp_setup"), {"token": "123456", "password": password}).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device.throttle_reset()  # a failure makes the device wait a second (throttling)
    # A right code without the account's password enrols nothing.
    wrong = client.post(reverse("otp_setup"), {"token": _code(device), "password": "guess"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    with caplog.at_level(logging.INFO, logger="orchestre.security"):
        response = client.post(reverse("otp_setup"), {"token": _code(device), "password": password})
        assert response.status_code == 302
    assert "second factor enrolled" in caplog.text
    assert client.get("/").status_code == 200

    # A new sign-in now asks for the code before any page.
    other = Client()
    assert _sign_in(other, "carol", "secret-password").status_code == 302
    blocked = other.get("/projets/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("otp_verify"))
    assert other.post(reverse("otp_verify"), {"token": "000000"}).status_code == 200
    assert other.get("/projets/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset(commit=False)
    device.last_t = -1  # the enrolment code may be reused in this test
    device.save()
    response = other.post(reverse("otp_verify") + "?next=/projets/", {"token": _code(device)})
    assert response.status_code == 302 and response["Location"] == "/projets/"
    assert other.get("/projets/").status_code == 200


@pytest.mark.django_db
@override_settings(ORCHESTRE_REQUIRE_2FA_FOR_LEADS=True)
def test_leads_must_enrol_when_the_city_requires_it():
    factories.UserFactory(username="lead2", role=Role.LEAD.value)
    factories.UserFactory(username="viewer2", role=Role.VIEWER.value)
    lead, viewer = Client(), Client()
    _sign_in(lead, "lead2", "secret-password")
    _sign_in(viewer, "viewer2", "secret-password")
    response = lead.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_setup"))
    assert viewer.get("/").status_code == 200


@pytest.mark.django_db
def test_next_parameter_cannot_leave_the_site(lead_client):
    response = lead_client.get(reverse("otp_verify") + "?next=https://evil.example/")
    assert response.status_code == 302 and "evil" not in response["Location"]


# --- exports and uploads ---------------------------------------------------------


@pytest.mark.django_db
def test_log_export(rf, lead, caplog):
    request = rf.get("/partenaires/export.csv", REMOTE_ADDR="10.1.2.3")
    request.user = lead
    with caplog.at_level(logging.INFO, logger="orchestre.security"):
        log_export(request, "partner contacts", 42)
    assert f"personal data export user={lead.pk} ip=10.1.2.3 what='partner contacts' rows=42" in caplog.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+33 1", "'+33 1"),
        ("@SUM", "'@SUM"),
        ("-1", "'-1"),  # text; a number -1 stays a number
        ("Lyon", "Lyon"),
        (3, 3),
    ],
)
def test_safe_cell_neutralises_formulas(value, expected):
    assert neutralise(value) == expected


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def test_upload_checks_type_content_and_size():
    assert check_upload(SimpleUploadedFile("a.csv", "nom;prénom\n".encode()), kinds=["csv"]) == "csv"
    assert check_upload(SimpleUploadedFile("a.xlsx", _xlsx_bytes()), kinds=["csv", "xlsx"]) == "xlsx"
    with pytest.raises(ValidationError) as wrong_name:
        check_upload(SimpleUploadedFile("a.exe", b"MZ"), kinds=["csv"])
    assert wrong_name.value.code == "file_type"
    with pytest.raises(ValidationError) as disguised:
        check_upload(SimpleUploadedFile("a.xlsx", b"MZ\x90\x00 not a zip"), kinds=["xlsx"])
    assert disguised.value.code == "file_content"
    with pytest.raises(ValidationError) as binary:
        check_upload(SimpleUploadedFile("a.csv", b"\x00\x01\x02"), kinds=["csv"])
    assert binary.value.code == "file_content"
    with pytest.raises(ValidationError) as big:
        FileCheck(kinds=["csv"], max_bytes=10)(SimpleUploadedFile("a.csv", b"x" * 11))
    assert big.value.code == "file_too_large"


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_oversized_request_body_is_refused(lead_client):
    response = lead_client.post("/i18n/setlang/", {"language": "en", "next": "x" * 5000})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_throttled_right_code_says_too_many_attempts():
    user = factories.UserFactory(username="dave", role=Role.LEAD.value)
    device = TOTPDevice.objects.create(user=user, name="Orchestre", confirmed=True)
    client = Client()
    assert _sign_in(client, "dave", "secret-password").status_code == 302
    assert client.post(reverse("otp_verify"), {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    response = client.post(reverse("otp_verify"), {"token": _code(device)})  # right, but within the wait
    html = response.content.decode()
    assert response.status_code == 200 and "Trop de tentatives" in html and "pas valide" not in html


@pytest.mark.django_db
@override_settings(ORCHESTRE_PASSWORD_RESET_PER_ADDRESS=2, ORCHESTRE_PASSWORD_RESET_PER_CLIENT=4)
def test_password_reset_requests_are_rate_limited_per_address_and_per_client():
    import uuid

    from django.core import mail

    run = uuid.uuid4().hex[:8]  # the cache (Redis) outlives a test run
    factories.UserFactory(username=f"eve{run}", email=f"eve{run}@example.org")
    url = reverse("password_reset")
    ip = f"10.{int(run[:2], 16)}.{int(run[2:4], 16)}.{int(run[4:6], 16)}"
    for _ in range(4):
        response = Client().post(url, {"email": f"EVE{run}@example.org"}, REMOTE_ADDR=ip)
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 2  # per address
    other = factories.UserFactory(username=f"fay{run}", email=f"fay{run}@example.org")
    assert Client().post(url, {"email": other.email}, REMOTE_ADDR=ip).status_code == 302
    assert len(mail.outbox) == 2  # per client: this address already asked 4 times
    assert Client().post(url, {"email": other.email}, REMOTE_ADDR=ip + "1").status_code == 302
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_idle_timeout_is_configurable_and_warned_about(lead_client):
    from django.conf import settings

    assert settings.ORCHESTRE_SESSION_IDLE_TIMEOUT >= 30 * 60
    html = lead_client.get("/").content.decode()
    assert f'data-idle-timeout="{settings.ORCHESTRE_SESSION_IDLE_TIMEOUT}"' in html and "js/idle.js" in html
    assert 'id="idle-warning"' in html and "d-none" in html  # hidden until the script shows it
    with override_settings(ORCHESTRE_SESSION_IDLE_TIMEOUT=3600):
        assert 'data-idle-timeout="3600"' in lead_client.get("/").content.decode()
    assert "idle-warning" not in Client().get(reverse("login")).content.decode()
    from pathlib import Path

    script = (Path(settings.BASE_DIR) / "static" / "js" / "idle.js").read_text()
    assert "idle-warning" in script and "htmx:afterRequest" in script
