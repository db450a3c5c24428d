"""Every page, as every role that can see it, on a phone 390 px wide (issue 12, item 3): no
page scrolls sideways, the inputs are big enough to tap, and axe finds nothing serious on a
sample of them, and no page breaks the Content-Security-Policy (an inline script or style it
refused would be a feature silently gone).

The pages are not listed by hand: the test walks the URL resolver (the site's URLconf
includes every app's routes), leaves out the API, the Django admin and file downloads, and
fills each page's arguments from ``SAMPLE_KWARGS`` with the objects built once by
``build_data`` (both in tests/samples.py, shared with the permission matrix). A new
page whose arguments the test cannot fill makes it fail, naming the page. A page is visited
as each role; one the role may not see (403, 404, the sign-in page) is passed over for that
role, and one that answers a GET with 405 is an action (POST only), not a page.
"""

import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.browser.conftest import CHROMIUM_ARGS, _chromium_path
from tests.helpers import unavailable
from tests.samples import SAMPLE_KWARGS, build_data

from .helpers import assert_accessible, csp_violations, record_csp_violations

WIDTH, HEIGHT = 390, 844
MIN_TAP = 44  # px: the smallest height of a text input, a select or a button

# health/ is the operators' probe (503 until the first sweep), not a page for people.
SKIPPED_PREFIXES = ("api/", "admin/", "i18n/", "health/")
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".xml")

# Pages axe-core also checks at 390 px (name, role): the wide tables and long forms.
AXE_SAMPLE = {
    ("agreement-detail", "cso_member"),
    ("agreement-detail", "agency_officer"),
    ("call-ranking", "agency_officer"),
    ("proposal-part", "cso_member"),
    ("registration-part", "cso_member_registering"),
    ("review-detail", "committee_reviewer"),
    ("proposal-review", "evaluator"),
    ("directory", "anonymous"),
    ("grievance-file", "anonymous"),
    ("project-detail", "anonymous"),
    ("meeting-detail", "agency_officer"),
    ("meeting-detail", "cso_member"),
    ("project-totals", "anonymous"),
    ("grievance-status", "anonymous"),
    ("grievance-handle", "staff_admin"),
    ("consultation-list", "anonymous"),
    ("consultation-discussion", "cso_member"),
    ("consultation-answer", "cso_member"),
    ("consultation-questions", "agency_officer"),
    ("consultation-moderation", "agency_officer"),
    ("consultation-summary", "anonymous"),
    ("consultation-analysis", "agency_officer"),
    ("tranche-request", "cso_member"),
    ("tranche-request", "agency_officer"),
    ("report-detail", "agency_officer"),
    ("open-data", "anonymous"),
}


def page_patterns():
    """(name, route) of every named page of the site: the API, the admin and the language
    switch left out. A route with a file suffix is a download, not a page."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif (
                isinstance(entry, URLPattern)
                and entry.name
                and not route.endswith(DOWNLOAD_SUFFIXES)
            ):
                found.append((entry.name, route, "<" in route))

    walk(get_resolver().url_patterns, "")
    return found


def fill(route: str, kwargs: dict) -> str:
    """The path of ``route`` with ``kwargs`` put in its converters' places."""
    import re

    def value(match):
        return str(kwargs[match.group("name")])

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)


def urls_to_visit(data):
    """(name, path) of every page; names the pages the test cannot fill, if any."""
    visits, unfilled = [], []
    for name, route, has_args in page_patterns():
        if not has_args:
            visits.append((name, fill(route, {})))
            continue
        if name not in SAMPLE_KWARGS:
            unfilled.append(f"{name} ({route})")
            continue
        sample = SAMPLE_KWARGS[name](data)
        for kwargs in sample if isinstance(sample, list) else [sample]:
            path = fill(route, kwargs)
            if not path.endswith(DOWNLOAD_SUFFIXES):
                visits.append((name, path))
    return visits, unfilled


# Elements reaching past the right edge of the viewport, outermost first, leaving out those
# inside a region that scrolls on its own (a wide table's region) or is clipped.
OFFENDERS_JS = """
(width) => {
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 0.5 || clipped(el)) continue;
    const parent = el.parentElement;
    if (parent && parent !== document.body &&
        parent.getBoundingClientRect().right > width + 0.5 && !clipped(parent)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push(`${name} right=${Math.round(r.right)}px ` +
      `"${(el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)}"`);
  }
  if (out.length) return out.slice(0, 5);
  // No box is too wide, so text spills out of one (a word with no place to break): name the
  // innermost elements whose content reaches past the edge.
  const spills = (el) => !clipped(el) &&
    el.getBoundingClientRect().left + el.scrollWidth > width + 0.5;
  for (const el of document.body.querySelectorAll('*')) {
    if (!spills(el) || [...el.children].some(spills)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
    out.push(`${name} with text reaching ` +
      `${Math.round(el.getBoundingClientRect().left + el.scrollWidth)}px ` +
      `"${(el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)}"`);
  }
  return out.slice(0, 5);
}
"""

# Buttons that reach past the screen's edge, even inside a region that scrolls on its own:
# an action must be in view without scrolling sideways.
BUTTONS_OUT_OF_VIEW_JS = """
(width) => {
  const out = [];
  const sel = 'main button, main input[type=submit], main .button, main .button-secondary';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      out.push(`"${(el.textContent || el.value || '').trim().slice(0, 40)}" ` +
        `left=${Math.round(r.left)}px right=${Math.round(r.right)}px`);
    }
  }
  return out.slice(0, 5);
}
"""

# Text inputs, selects and buttons in the main content that are shorter than a fingertip.
SMALL_CONTROLS_JS = """
(min) => {
  const out = [];
  const sel = 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]),' +
              'main select, main textarea, main button, main .button, main .button-secondary';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.height < min - 0.5) {
      out.push(`${el.tagName.toLowerCase()}[name=${el.name || ''}] ` +
        `"${(el.textContent || el.value || '').trim().slice(0, 40)}" ${Math.round(r.height)}px`);
    }
  }
  return out.slice(0, 5);
}
"""


def measure(page):
    """The page's scroll width, what reaches past the edge, the buttons out of view and the
    controls too small to tap, read once the page has settled."""
    from playwright.sync_api import Error

    for attempt in range(3):
        try:
            page.wait_for_load_state()
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            offenders = page.evaluate(OFFENDERS_JS, WIDTH) if scroll_width > WIDTH else []
            return (
                scroll_width,
                offenders,
                page.evaluate(BUTTONS_OUT_OF_VIEW_JS, WIDTH),
                page.evaluate(SMALL_CONTROLS_JS, MIN_TAP),
            )
        except Error:  # the page was still navigating (a redirect); read it again
            if attempt == 2:
                raise


def _session_cookie(user, base_url):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(transactional_db, live_server):
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("Playwright is not installed.")
    executable = _chromium_path()

    data = build_data()
    visits, unfilled = urls_to_visit(data)
    assert not unfilled, (
        "The phone sweep cannot fill the arguments of these pages; add them to "
        "SAMPLE_KWARGS in tests/samples.py:\n  " + "\n  ".join(unfilled)
    )

    started = time.monotonic()
    problems, seen, axe_done = [], {}, set()
    post_only = set()  # actions (405 to a GET) and downloads
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for role, user in data["roles"].items():
                context = browser.new_context(
                    base_url=live_server.url,
                    locale="th-TH",
                    viewport={"width": WIDTH, "height": HEIGHT},
                    is_mobile=True,
                    has_touch=True,
                )
                context.set_default_timeout(15_000)
                if user is not None:
                    context.add_cookies([_session_cookie(user, live_server.url)])
                record_csp_violations(context)
                page = context.new_page()
                for name, path in visits:
                    if name in post_only:
                        continue
                    try:
                        response = page.goto(path)
                    except sync_api.Error:  # Chromium shows no page for an empty 405
                        response = context.request.get(path)
                    status = response.status if response else 0
                    if status == 405:
                        post_only.add(name)
                        continue
                    content_type = (response.headers.get("content-type") or "") if response else ""
                    if status == 200 and "text/html" not in content_type:
                        post_only.add(name)  # a file to download, not a page
                        continue
                    if status in (403, 404) or ("/accounts/login/" in page.url and name != "login"):
                        continue
                    where = f"{name} {path} as {role}"
                    if status >= 500:
                        problems.append(f"{where}: answered {status}")
                        continue
                    seen.setdefault(name, set()).add(role)
                    scroll_width, offenders, hidden, small = measure(page)
                    if scroll_width > WIDTH:
                        problems.append(
                            f"{where} (now {page.url}): scrollWidth {scroll_width} > {WIDTH}; "
                            f"widest: {'; '.join(offenders) or '?'}"
                        )
                    if hidden:
                        problems.append(f"{where}: buttons out of view: {'; '.join(hidden)}")
                    if small:
                        problems.append(f"{where}: controls under {MIN_TAP}px: {'; '.join(small)}")
                    if (name, role) in AXE_SAMPLE and (name, role) not in axe_done:
                        axe_done.add((name, role))
                        try:
                            assert_accessible(page, f"{where} at {WIDTH}px")
                        except AssertionError as exc:
                            problems.append(str(exc))
                    # After axe too: checking the page under the policy must not break it.
                    if refused := csp_violations(page):
                        problems.append(f"{where}: Content-Security-Policy refused: {refused}")
                context.close()
        finally:
            browser.close()
    elapsed = time.monotonic() - started

    never = sorted({name for name, _ in visits} - set(seen) - post_only)
    assert not never, f"No role could open these pages, so the sweep checked none: {never}"
    assert axe_done == AXE_SAMPLE, f"axe did not run on {sorted(AXE_SAMPLE - axe_done)}"
    assert not problems, (
        f"{len(problems)} problem(s) at {WIDTH}px ({elapsed:.0f}s):\n  " + "\n  ".join(problems)
    )
    print(  # noqa: T201 - the report names what was covered, with -s
        f"\n{len(seen)} pages at {WIDTH}px in {elapsed:.0f}s: "
        + ", ".join(f"{n} [{'/'.join(sorted(r))}]" for n, r in sorted(seen.items()))
    )
