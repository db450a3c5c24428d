"""What the page sweeps share (tests/browser/test_phone_width.py and
tests/browser/test_accessible_everywhere.py): the list of every page of the site, a browser
context for one role in one language at one width, opening a page and telling a page from an
action, a download or a refusal, and axe-core with the WCAG 2.1 A and AA rules.

The pages are not listed by hand: the sweeps walk the URL resolver (the site's URLconf
includes every app's routes), leave out the API, the Django admin and file downloads, and fill
each page's arguments from ``SAMPLE_KWARGS`` with the objects built once by ``build_data``
(both in tests/samples.py, shared with the permission matrix). A new page whose arguments the
sweeps cannot fill makes them fail, naming the page.
"""

import re
from dataclasses import dataclass

from axe_playwright_python.base import AXE_SCRIPT

from .helpers import BLOCKING_IMPACTS, record_csp_violations

# health/ is the operators' probe (503 until the first sweep), not a page for people.
SKIPPED_PREFIXES = ("api/", "admin/", "i18n/", "health/")
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".xml")

# The languages and widths every page is checked in: a desktop and a phone.
LANGUAGES = ("th", "en")
VIEWPORTS = {1280: {"width": 1280, "height": 800}, 390: {"width": 390, "height": 844}}
BROWSER_LOCALES = {"th": "th-TH", "en": "en-GB"}

# The roles in the order a page's first visitor is looked for: the public first (its pages
# are everyone's), then the roles owning most pages.
ROLES = (
    "anonymous",
    "cso_member",
    "agency_officer",
    "staff_admin",
    "committee_reviewer",
    "evaluator",
    "cso_member_registering",
)

# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA (its tags); a serious or critical
# violation of any of them fails.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def page_patterns():
    """(name, route, takes arguments) of every named page of the site: the API, the admin
    and the language switch left out. A route with a file suffix is a download, not a page."""
    from django.urls import URLPattern, URLResolver, get_resolver

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

    def value(match):
        return str(kwargs[match.group("name")])

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)


def urls_to_visit(data):
    """(name, path) of every page; names the pages the sweep cannot fill, if any."""
    from tests.samples import SAMPLE_KWARGS

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


def all_visits(data):
    visits, unfilled = urls_to_visit(data)
    assert not unfilled, (
        "The page sweep cannot fill the arguments of these pages; add them to "
        "SAMPLE_KWARGS in tests/samples.py:\n  " + "\n  ".join(unfilled)
    )
    return visits


def session_cookie(user, base_url):
    """A signed-in session for ``user`` (past the two-factor step: tests/conftest.py)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def language_cookie(language, base_url):
    """The cookie the language switch (/i18n/setlang/) leaves: the portal answers in it."""
    from django.conf import settings

    return {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}


def new_context(browser, base_url, user, language, width):
    """A browser context for ``user`` (None: nobody signed in) that has chosen ``language``,
    ``width`` px wide (a phone's touch screen below 1280), recording CSP violations, with
    axe-core in every page it opens."""
    phone = width < 1280
    context = browser.new_context(
        base_url=base_url,
        locale=BROWSER_LOCALES[language],
        viewport=VIEWPORTS[width],
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(15_000)
    cookies = [language_cookie(language, base_url)]
    if user is not None:
        cookies.append(session_cookie(user, base_url))
    context.add_cookies(cookies)
    record_csp_violations(context)
    # axe-core (570 KB) sent once, not to each page axe checks: Chromium compiles it once and
    # runs it in each new document, as Playwright's init scripts are, before the page's own
    # scripts and outside its Content-Security-Policy. It only defines ``window.axe``.
    context.add_init_script(script=AXE_SCRIPT)
    return context


def set_width(page, width):
    """Lay the page now shown out again at ``width`` px (the portal's style sheet asks only
    for the width: no reload is needed to see it as a phone shows it)."""
    page.set_viewport_size(VIEWPORTS[width])


def launch(playwright):
    from .conftest import CHROMIUM_ARGS, _chromium_path

    return playwright.chromium.launch(
        executable_path=_chromium_path(), headless=True, args=CHROMIUM_ARGS
    )


# What opening a path gave.
PAGE = "page"  # an HTML page the role may see
ACTION = "action"  # 405 to a GET (POST only), or a file to download
REFUSED = "refused"  # 403, 404 or the sign-in page: not for this role
BROKEN = "broken"  # 5xx


@dataclass
class Visit:
    kind: str
    status: int
    where: str


def open_path(page, name, path, role) -> Visit:
    """Open ``path`` (the page ``name``) in ``page`` and say what it is for ``role``."""
    from playwright.sync_api import Error

    try:
        response = page.goto(path)
    except Error:  # Chromium shows no page for an empty 405
        response = page.context.request.get(path)
    status = response.status if response else 0
    where = f"{name} {path} as {role}"
    content_type = (response.headers.get("content-type") or "") if response else ""
    if status == 405 or (status == 200 and "text/html" not in content_type):
        return Visit(ACTION, status, where)
    if status in (403, 404) or ("/accounts/login/" in page.url and name != "login"):
        return Visit(REFUSED, status, where)
    if status >= 500:
        return Visit(BROKEN, status, where)
    return Visit(PAGE, status, where)


def what_each_role_finds(data, visits, roles, *, first_only=False) -> dict[tuple, dict[str, str]]:
    """For each (name, path), what each of ``roles`` finds there (PAGE, ACTION, REFUSED or
    BROKEN), asked through Django's test client as ``open_path`` would tell it in the
    browser. The sweeps then load in Chromium only what a role can see: a page load there
    costs ten times a test-client request, and most roles are refused most pages.
    ``first_only``: stop at the first of ``roles`` (in their order) not refused; the roles
    after it are left out."""
    from django.test import Client

    clients = {}
    for role in roles:
        client = Client(raise_request_exception=False)
        if data["roles"][role] is not None:
            client.force_login(data["roles"][role])
        clients[role] = client
    found = {}
    for name, path in visits:
        kinds = found.setdefault((name, path), {})
        for role, client in clients.items():
            response = client.get(path, follow=True)
            final = response.redirect_chain[-1][0] if response.redirect_chain else path
            content_type = response.get("Content-Type", "")
            if response.status_code == 405 or (
                response.status_code == 200 and "text/html" not in content_type
            ):
                kinds[role] = ACTION
            elif response.status_code in (403, 404) or (
                "/accounts/login/" in final and name != "login"
            ):
                kinds[role] = REFUSED
            elif response.status_code >= 500:
                kinds[role] = BROKEN
            else:
                kinds[role] = PAGE
            if first_only and kinds[role] != REFUSED:
                break
    return found


def settle(page):
    """Wait for the page (after any redirect) to finish loading."""
    from playwright.sync_api import Error

    for attempt in range(3):
        try:
            page.wait_for_load_state()
            page.evaluate("0")
            return
        except Error:  # the page was still navigating (a redirect); wait again
            if attempt == 2:
                raise


def axe_problems(page, where: str) -> list[str]:
    """The serious and critical violations of WCAG 2.1 A and AA rules axe-core finds on the
    page as it is now, one line each (axe-core is put in the page if ``new_context`` did
    not)."""
    settle(page)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = page.evaluate("(options) => axe.run(document, options)", options)
    violations = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    return [
        f"axe on {where} ({page.url}): {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations
    ]


def language_problems(page, where: str, language: str) -> list[str]:
    """The page must be in the language chosen: its ``<html lang>`` says so."""
    settle(page)  # a page that moves on by itself (a redirect after load) has arrived
    lang = page.evaluate("document.documentElement.lang")
    if lang != language:
        return [f"{where}: <html lang={lang!r}>, not {language!r}"]
    return []
