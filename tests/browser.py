"""What the browser tests share: Debian's Chromium driven by Playwright, axe-core on every
page, and keyboard-only operation of each control.

They need Chromium (``CHROMIUM_PATH``, default ``/usr/bin/chromium``): skipped without one,
except in CI, where they fail.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# (creating the reviewer, reading results) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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
BLOCKING_IMPACTS = {"serious", "critical"}

PASSWORD = "Ruam-Tham-2568!"


def _unavailable(message: str):
    """Skip on a developer's machine; in CI a browser test that cannot run is a failure."""
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (Path(path).is_file() or shutil.which(path)):
        _unavailable(f"Chromium not found at {path!r}; set CHROMIUM_PATH.")
    return path


@pytest.fixture
def page(live_server):
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("Playwright is not installed.")
    executable = _chromium_path()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        # A Thai browser: the portal answers in Thai until the user picks English.
        context = browser.new_context(base_url=live_server.url, locale="th-TH")
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def sample_pdf(tmp_path):
    """A real (if tiny) PDF, made the way the portal makes its certificates."""
    from weasyprint import HTML

    path = tmp_path / "registration-certificate.pdf"
    HTML(string="<p>หนังสือจดทะเบียนมูลนิธิ / Registration certificate</p>").write_pdf(path)
    return path


def assert_accessible(page, where: str) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    violations = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING_IMPACTS
    ]
    report = "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations
    )
    assert not violations, f"axe on {where} ({page.url}):\n{report}"


def activate(locator, key: str = "Enter") -> None:
    """Operate a control from the keyboard: it must take focus, then respond to the key."""
    from playwright.sync_api import expect

    locator.focus()
    expect(locator).to_be_focused()
    locator.press(key)


def tick(locator) -> None:
    from playwright.sync_api import expect

    activate(locator, "Space")
    expect(locator).to_be_checked()
