"""Every page, as each role that can see it, on a phone 390 px wide and in Thai (issue 12,
item 3; issue 18, section 3): no page scrolls sideways, the inputs are big enough to tap, no
page breaks the Content-Security-Policy (an inline script or style it refused would be a
feature silently gone), and axe-core finds no serious or critical violation of the WCAG 2.1
A and AA rules, on the phone and on a desktop.

This is where every (page, role) pair gets axe in Thai: each role opens every sample URL for
the phone checks, and axe runs on the first URL of each page name the role can open, at
390 px and again at 1280 px (the page laid out again, not reloaded). The other URLs of that
name, other objects on the same template, are axe'd in English in
test_accessible_everywhere.py. The roles are split in three tests, so pytest-xdist spreads
them over its workers, each building the sample objects once (``build_data``, about 25 s).
A page the role may not see (403, 404, the sign-in page) is passed over for that role, and
one that answers a GET with 405 is an action (POST only), not a page; a page no role can open
fails test_accessible_everywhere.py. The list of pages is walked in sweep.py.
"""

import time

import pytest

from tests.helpers import unavailable
from tests.samples import build_data

from .helpers import csp_violations
from .sweep import (
    ACTION,
    BROKEN,
    PAGE,
    ROLES,
    all_visits,
    axe_problems,
    language_problems,
    launch,
    new_context,
    open_path,
    set_width,
    what_each_role_finds,
)

WIDTH, HEIGHT = 390, 844
MIN_TAP = 44  # px: the smallest height of a text input, a select or a button

# The roles in three tests of about the same length (the officer and the member see most).
ROLE_SHARDS = [
    ("agency_officer", "anonymous"),
    ("cso_member", "cso_member_registering"),
    ("staff_admin", "committee_reviewer", "evaluator"),
]
assert sorted(sum(ROLE_SHARDS, ())) == sorted(ROLES), "every role in one shard"

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


def phone_problems(page, where):
    scroll_width, offenders, hidden, small = measure(page)
    problems = []
    if scroll_width > WIDTH:
        problems.append(
            f"{where} (now {page.url}): scrollWidth {scroll_width} > {WIDTH}; "
            f"widest: {'; '.join(offenders) or '?'}"
        )
    if hidden:
        problems.append(f"{where}: buttons out of view: {'; '.join(hidden)}")
    if small:
        problems.append(f"{where}: controls under {MIN_TAP}px: {'; '.join(small)}")
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("roles", ROLE_SHARDS, ids="+".join)
def test_every_page_on_a_phone_in_thai(transactional_db, live_server, roles):
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("Playwright is not installed.")

    data = build_data()
    visits = all_visits(data)
    found = what_each_role_finds(data, visits, roles)

    started = time.monotonic()
    problems, seen = [], {}
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for role in roles:
                wanted = [v for v in visits if found[v][role] in (PAGE, BROKEN)]
                problems += _sweep(browser, live_server.url, data, wanted, role, seen)
        finally:
            browser.close()
    elapsed = time.monotonic() - started

    assert all(seen.get(role) for role in roles), f"a role opened no page at all: {seen}"
    assert not problems, (
        f"{len(problems)} problem(s) at {WIDTH}px ({elapsed:.0f}s):\n  " + "\n  ".join(problems)
    )
    print(  # noqa: T201 - the report names what was covered, with -s
        f"\n{sum(map(len, seen.values()))} (page, role) pairs at {WIDTH}px in {elapsed:.0f}s: "
        + "; ".join(f"{role}: {', '.join(sorted(names))}" for role, names in seen.items())
    )


def _sweep(browser, base_url, data, visits, role, seen):
    """Open every page as ``role``; the problems found. ``seen[role]``: the page names axe
    checked."""
    problems, axed, skip = [], set(), set()  # skip: actions (405 to a GET) and downloads
    context = new_context(browser, base_url, data["roles"][role], "th", WIDTH)
    page = context.new_page()
    for name, path in visits:
        if name in skip:
            continue
        visit = open_path(page, name, path, role)
        if visit.kind == ACTION:
            skip.add(name)
            continue
        if visit.kind == BROKEN:
            problems.append(f"{visit.where}: answered {visit.status}")
            continue
        if visit.kind != PAGE:
            continue
        problems += phone_problems(page, visit.where)
        problems += language_problems(page, visit.where, "th")
        if name not in axed:
            axed.add(name)
            problems += axe_problems(page, f"{visit.where} at {WIDTH}px in Thai")
            # The same page on a desktop: laid out again at 1280 px, no reload (the style
            # sheet asks only for the width), then back to the phone for the next page.
            set_width(page, 1280)
            problems += axe_problems(page, f"{visit.where} at 1280px in Thai")
            set_width(page, WIDTH)
        # After axe too: checking the page under the policy must not break it.
        if refused := csp_violations(page):
            problems.append(f"{visit.where}: Content-Security-Policy refused: {refused}")
    context.close()
    seen[role] = axed
    return problems
