"""Browser fixtures for tests/e2e: Debian's Chromium driven by Playwright against pytest-django's
live server, with the seed data kept across these transactional tests (see `_seed_snapshot`)."""

import os
from pathlib import Path

import pytest
from django.db import connection, connections

from catalog.models import Province
from tests.conftest import require_service

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "e2e"
TIMEOUT_MS = 60_000  # the longest wait for something to appear: CI runs on two slow shared cores


@pytest.fixture(scope="module")
def _async_unsafe():
    """Playwright's sync API keeps an asyncio loop marked as running in this thread while it is
    started, and Django then refuses ORM calls here (SynchronousOnlyOperation). Allowed for this
    module only, so the rest of the suite keeps Django's check."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="module")
def browser(_async_unsafe):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_service(False, "the playwright package is not installed (pip install -r requirements.txt)")
    require_service(os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def _seed_snapshot(browser, django_db_setup, django_db_blocker):
    """The seeded database, restored before each test (serialized rollback) and after the module.

    Set up after the browser on purpose: while Playwright runs, asgiref sees a running event loop
    in this thread and Django hands out other connection objects (context-local instead of
    thread-local), and the test case reads `_test_serialized_contents` from those."""
    with django_db_blocker.unblock():
        assert Province.objects.exists(), "the seed data of tests/conftest.py is gone (flushed by an earlier test?)"
        before = getattr(connection, "_test_serialized_contents", None)
        snapshot = connection.creation.serialize_db_to_string()
        connection._test_serialized_contents = snapshot
    yield
    with django_db_blocker.unblock():
        if not Province.objects.exists():
            connection.creation.deserialize_db_from_string(snapshot)
        if before is None:
            del connection._test_serialized_contents
        else:
            connection._test_serialized_contents = before
        # Those context-local connections are dropped with the browser: close them, or PostgreSQL
        # refuses to drop the test database at the end ("being accessed by other users").
        connections.close_all()


@pytest.fixture
def page(browser, _seed_snapshot, live_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def expect(target):
    from playwright.sync_api import expect

    return expect(target)


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits). A phone (is_mobile)
    zooms out to show a page that is too wide, which widens `innerWidth` with it: the layout
    viewport (`clientWidth`, the device's width) is what the page must fit."""
    return page.evaluate("document.documentElement.scrollWidth - Math.min(window.innerWidth, "
                         "document.documentElement.clientWidth)")
