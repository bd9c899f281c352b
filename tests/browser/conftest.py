"""Headless Chromium through Playwright's sync API, against live_server."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM
# calls from the test body are still synchronous. Test set-up only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "secret-password"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # bypass_csp lets Playwright evaluate its own helpers (wait_for_function,
    # injected axe-core); test_accessibility.py checks the pages under the real CSP.
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/compte/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
