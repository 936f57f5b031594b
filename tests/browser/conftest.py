from pathlib import Path

import pytest
from django.db import connections

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--lang=zh-CN",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def _close_connections_kept_beside_playwrights_loop(playwright):
    """Playwright's sync API leaves an event loop running in the test thread from the first journey to
    the end of the session; while it runs, Django keeps that thread's database connections in
    context-local storage instead of thread-local storage (asgiref's Local). pytest-django drops the test
    database after Playwright has stopped, when only the thread-local ones are seen and closed: the
    other stayed open, and PostgreSQL refused to drop a database in use. Closed here, while the loop
    still runs (this fixture ends before the `playwright` fixture it depends on)."""
    yield
    connections.close_all()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright cannot download its own browser here.
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url():
    """Journeys open live_server URLs, so there is no base URL. Defined here because pytest-playwright's
    own fallback is a session fixture written as an instance method, which pytest deprecates."""
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Township organisers' browsers ask for Chinese.
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def screenshot(page, request):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str):
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def mobile_page(browser, browser_context_args):
    context = browser.new_context(
        **browser_context_args,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()
