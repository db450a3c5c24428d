"""Focus visible (issue 18, section 3; WCAG 2.4.7): a person using the keyboard always sees
where they are. Tab is pressed from the top of the page to its end, and every element that
takes the focus must show it: a computed outline (style not ``none``, width above 0) or a
box-shadow, as the browser draws it for keyboard focus (``:focus-visible``).

A sample, not every page: tabbing through a page takes a key press per link, and the focus
styles are the portal's (static/css/portal.css), the same on every page. The sample has one of
each kind of control the pages use: the home page (header, navigation, language switch,
footer), a form (the grievance form: text boxes, a select, date boxes, radio buttons, file
input, buttons), a list with its filters (the calls), and a page with a wide table in a
scrolling region (an officer's agreements), in Thai at 1280 px and on a phone.
"""

import pytest

from .sweep import new_context

# Where the focus is now, and whether it shows.
FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = !!s.boxShadow && s.boxShadow !== 'none';
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.name ? `[name=${el.name}]` : '') + (el.type ? `[type=${el.type}]` : '');
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  return {key: el, name: `${name} "${text}"`, shows: outline || shadow};
}
"""
MAX_TABS = 250


def tab_through(page, where):
    """Press Tab from the top of the page until the focus leaves it; the elements reached
    and those among them that showed no focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    reached, hidden = [], []
    first = None
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("document.activeElement")
        focus = page.evaluate(FOCUS_JS)
        if focus is None:  # back on the body: past the last element
            break
        if first is not None and page.evaluate("([a, b]) => a === b", [handle, first]):
            break  # round to the first again
        first = first or handle
        reached.append(focus["name"])
        if not focus["shows"]:
            hidden.append(f"{where}: {focus['name']}")
    else:
        raise AssertionError(f"{where}: still tabbing after {MAX_TABS} presses")
    return reached, hidden


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_every_focused_element_shows_its_focus(transactional_db, live_server, width):
    from playwright import sync_api

    from tests import factories
    from tests.browser.sweep import launch

    agreement = factories.award()
    officer = agreement.proposal.call.created_by
    factories.CallFactory(officer=officer)  # an open call to list
    visits = [
        (None, "/", "home"),
        (None, "/grievances/new/", "grievance form"),
        (None, "/calls/", "list of calls"),
        (officer, "/agreements/", "officer's agreements (table)"),
    ]

    problems = []
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for user, path, what in visits:
                context = new_context(browser, live_server.url, user, "th", width)
                page = context.new_page()
                page.goto(path)
                reached, hidden = tab_through(page, f"{what} at {width}px")
                # Every page has at least its skip link, the header, the content, the footer.
                assert len(reached) > 10, f"{what}: Tab reached only {reached}"
                problems += hidden
                context.close()
        finally:
            browser.close()
    assert not problems, "Focus not visible on:\n  " + "\n  ".join(problems)
