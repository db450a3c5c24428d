"""The page sweeps' own checks (tests/browser/sweep.py) find what they look for: axe-core,
put in each page by the browser context, reports a violation, and a page laid out again at
390 px (``set_width``, no reload) is checked as a phone shows it."""

import pytest

from tests.helpers import unavailable

from .sweep import axe_problems, launch, new_context, set_width

# Grey on white that is readable at 1280 px (black text) and fails the contrast rule once the
# style sheet's phone layout (max-width 40em, as the portal's) turns it pale.
PAGE = """<!doctype html><html lang="en"><head><title>Sample</title>
<style>p { color: #000; } @media (max-width: 40em) { p { color: #ccc; } }</style></head>
<body><main><h1>Sample</h1><p>Text that must stay readable.</p></main></body></html>"""


@pytest.mark.browser
def test_axe_is_in_every_page_and_sees_the_phone_layout_after_a_resize(live_server):
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("Playwright is not installed.")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = new_context(browser, live_server.url, None, "en", 1280)
            context.route(
                "**/sample/", lambda route: route.fulfill(body=PAGE, content_type="text/html")
            )
            page = context.new_page()
            page.goto("/sample/")
            assert page.evaluate("typeof window.axe") == "object"  # before any check asked

            assert axe_problems(page, "sample at 1280px") == []
            set_width(page, 390)
            problems = axe_problems(page, "sample at 390px")
        finally:
            browser.close()
    assert len(problems) == 1
    assert "color-contrast (serious)" in problems[0]
    assert "sample at 390px" in problems[0]
