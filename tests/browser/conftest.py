"""Headless Chromium (Debian's `chromium` package) driven by Playwright, against the real stack.

No `playwright install`: Playwright drives the system browser. `make test` installs it
(apt) when /usr/bin/chromium is missing. Screenshots go to tests/artifacts/browser/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.service.stack import Stack

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "browser"
# A guard against a hung page, not an assertion on speed.
TEST_TIMEOUT_S = 180
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(TEST_TIMEOUT_S))


# Module scope: Playwright's sync API runs an event loop in this thread while it lives,
# and later tests that call asyncio.run() must not find it still running.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class PageErrors:
    """Uncaught errors and console errors of a page: a test fails on any."""

    def __init__(self, page: Page) -> None:
        self.messages: list[str] = []
        page.on("pageerror", lambda exc: self.messages.append(f"page error: {exc}"))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        # The browser logs failed requests as console errors: the 4xx tests expect theirs.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.messages.append(f"console: {message.text}")


def open_page(browser: Browser, stack: Stack, viewport: dict[str, int], **options: object) -> Page:
    context = browser.new_context(
        base_url=stack.base_url, viewport=viewport, accept_downloads=True, **options
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


@pytest.fixture
def page(browser: Browser, stack: Stack) -> Iterator[Page]:
    page = open_page(browser, stack, DESKTOP)
    errors = PageErrors(page)
    yield page
    page.context.close()
    assert not errors.messages, errors.messages


@pytest.fixture
def phone(browser: Browser, stack: Stack) -> Iterator[Page]:
    page = open_page(browser, stack, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    errors = PageErrors(page)
    yield page
    page.context.close()
    assert not errors.messages, errors.messages
