"""The browser tests' fixtures: Debian's Chromium driven by Playwright (``page``) and a
real PDF to upload (``sample_pdf``).

They need Chromium (``CHROMIUM_PATH``, default ``/usr/bin/chromium``): skipped without one,
except in CI, where they fail.
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import unavailable

from .helpers import record_csp_violations

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


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (Path(path).is_file() or shutil.which(path)):
        unavailable(f"Chromium not found at {path!r}; set CHROMIUM_PATH.")
    return path


@pytest.fixture
def page(live_server):
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("Playwright is not installed.")
    executable = _chromium_path()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        # A Thai browser: the portal answers in Thai until the user picks English.
        context = browser.new_context(base_url=live_server.url, locale="th-TH")
        context.set_default_timeout(10_000)
        # Whatever a test does, no page may break the Content-Security-Policy: an inline
        # script the policy refused is a feature that silently stopped working.
        violations = record_csp_violations(context)
        page = context.new_page()
        try:
            yield page
            with contextlib.suppress(sync_api.Error):  # deliver the reports on their way
                page.evaluate("0")
        finally:
            context.close()
            browser.close()
        assert not violations, "Content-Security-Policy violations:\n  " + "\n  ".join(violations)


@pytest.fixture
def sample_pdf(tmp_path):
    """A real (if tiny) PDF, made the way the portal makes its certificates."""
    from weasyprint import HTML

    path = tmp_path / "registration-certificate.pdf"
    HTML(string="<p>หนังสือจดทะเบียนมูลนิธิ / Registration certificate</p>").write_pdf(path)
    return path
