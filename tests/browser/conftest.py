"""Fixtures for tests that drive a real headless browser (Playwright + Debian's Chromium).

Playwright's own browser download is not used: the tests launch the Chromium that the
system package installs. If Playwright or Chromium is missing the tests fail (they never
skip), saying what to install. CI: `apt-get install -y chromium` and
`pip install playwright==1.65.2`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: pip install playwright==1.65.2", pytrace=False)
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)",
            pytrace=False,
        )
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are ordinary synchronous calls, so Django's guard is lifted.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="es-PE")
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()


@pytest.fixture
def sign_in(live_server: Any) -> Callable[[Any, str, str], None]:
    """Sign in through the registry's sign-in form (not by setting a session cookie)."""

    def do(page: Any, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/reports/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return do


@pytest.fixture
def demo_registry(transactional_db: None) -> Callable[..., Any]:
    """Load the demo data set into the live server's database.

    The reference data (regions, institutions, courses) is loaded first: a transactional
    test's flush removes what the migration put there, and the demo builds on it.
    """
    from django.apps import apps

    from registry.demo import demo_load
    from registry.reference_data import load_reference_data

    def load(persons: int = 300) -> Any:
        load_reference_data(apps)
        return demo_load(persons=persons)

    return load
