"""Accessible everywhere (issue 18, section 3): axe-core finds no serious or critical violation
of the WCAG 2.1 A and AA rules on any page, web or admin, in Thai and in English, on a desktop
(1280 × 800) and on a phone (390 × 844); every page answers in the language chosen.

What is checked where, and why it is a sample. The whole cross product (every page × every
role × two languages × two widths: some 4,000 page loads with axe) would add about half an hour
to CI's two cores, so:

- every (page, role) pair gets axe in Thai, at 390 px and at 1280 px, in
  test_phone_width.py, where each role already opens every page for the phone checks;
- every page (each sample URL, so each template and each kind of object on it) gets axe in
  English here, at both widths, as the first role of ``ROLES`` that can open it (the
  public first). A page that no role can open fails here, naming it: the sweeps would
  otherwise pass it over unseen. Each page is opened once and checked at 1280 px, then laid
  out again at 390 px and checked again: the style sheet asks only for the width, so a
  phone shows the same;
- the Django admin, as a superuser: in Thai at 1280 px its index, each app's index, and for
  each registered model its change list, its add form (where the admin allows adding) and
  the change form of one row (where there is one). In the other three
  combinations, ``admin_sample``: each of the admin's templates (index, app index, change
  list, add and change form) with each kind of widget the portal's admins use (select2
  autocomplete, the two-box filter, stacked and read-only tabular inlines, list_editable),
  since every model's admin page is Django's same template around other fields.

pytest-xdist spreads these tests and the phone sweep's over its workers; the web test and
the full admin test build the sample objects once each (``build_data``).
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

# Each language's widths, each page opened once per language and laid out at each width in
# turn. Thai is test_phone_width.py's, for every role.
WEB_COMBINATIONS = [("en", (1280, 390))]
ADMIN_COMBINATIONS = [("th", (390,)), ("en", (1280, 390))]  # beside the full one (th, 1280)


def _playwright():
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("Playwright is not installed.")
    return sync_api


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "widths"),
    WEB_COMBINATIONS,
    ids=lambda v: "+".join(map(str, v)) if isinstance(v, tuple) else v,
)
def test_every_page_passes_axe(transactional_db, live_server, language, widths):
    sync_api = _playwright()
    data = build_data()
    visits = all_visits(data)
    found = what_each_role_finds(data, visits, ROLES, first_only=True)

    started = time.monotonic()
    problems, first_visitor, actions, never = [], {}, set(), []
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        pages = {}  # one context per role, opened when first needed

        def page_for(role):
            if role not in pages:
                user = data["roles"][role]
                context = new_context(browser, live_server.url, user, language, widths[0])
                pages[role] = context.new_page()
            return pages[role]

        try:
            for name, path in visits:
                if name in actions:
                    continue
                # The first role that can see it (or the one it breaks for), else none.
                seen = found[(name, path)]  # the roles in order, up to the first not refused
                able = [r for r, kind in seen.items() if kind in (PAGE, BROKEN, ACTION)]
                for role in able[:1] or ():
                    page = page_for(role)
                    set_width(page, widths[0])
                    visit = open_path(page, name, path, role)
                    if visit.kind == ACTION:
                        actions.add(name)
                        break
                    if visit.kind == BROKEN:
                        problems.append(f"{visit.where}: answered {visit.status}")
                        break
                    if visit.kind != PAGE:
                        continue
                    first_visitor[path] = role
                    problems += language_problems(page, visit.where, language)
                    for width in widths:
                        set_width(page, width)
                        problems += axe_problems(page, f"{visit.where} at {width}px in {language}")
                    if refused := csp_violations(page):
                        problems.append(f"{visit.where}: the CSP refused: {refused}")
                    break
                else:
                    never.append(f"{name} {path}")
        finally:
            browser.close()
    elapsed = time.monotonic() - started

    assert not never, f"No role could open these pages, so no sweep checked them: {never}"
    at = " and ".join(f"{width}px" for width in widths)
    assert not problems, (
        f"{len(problems)} problem(s) in {language} at {at} ({elapsed:.0f}s):\n  "
        + "\n  ".join(problems)
    )
    print(  # noqa: T201 - the report names what was covered, with -s
        f"\n{len(first_visitor)} pages in {language} at {at} in {elapsed:.0f}s"
    )


def admin_paths(superuser):
    """(what, path) of the admin's pages: the index, each app's index, and each registered
    model's change list, add form (if the admin allows adding) and one row's change form."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    request = RequestFactory().get("/admin/")
    request.user = superuser
    paths = [("admin index", reverse("admin:index"))]
    apps = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        apps.add(opts.app_label)
        if not model_admin.has_module_permission(request):
            continue
        base = f"admin:{opts.app_label}_{opts.model_name}"
        if model_admin.has_view_or_change_permission(request):
            paths.append((f"{opts.label} list", reverse(f"{base}_changelist")))
        if model_admin.has_add_permission(request):
            paths.append((f"{opts.label} add", reverse(f"{base}_add")))
        row = model_admin.get_queryset(request).order_by("pk").first()
        if row is not None and model_admin.has_view_or_change_permission(request, row):
            paths.append((f"{opts.label} change", reverse(f"{base}_change", args=[row.pk])))
    paths += [
        (f"{app} index", reverse("admin:app_list", kwargs={"app_label": app}))
        for app in sorted(apps)
    ]
    return paths


def admin_sample(member, agreement):
    """(what, path) of each admin template with each kind of widget (see the docstring)."""
    from django.urls import reverse

    proposal = agreement.proposal
    return [
        ("admin index", reverse("admin:index")),
        ("portal index", reverse("admin:app_list", kwargs={"app_label": "portal"})),
        ("portal.User list", reverse("admin:portal_user_changelist")),
        ("portal.User add", reverse("admin:portal_user_add")),
        ("portal.User change", reverse("admin:portal_user_change", args=[member.pk])),
        ("auth.Group add", reverse("admin:auth_group_add")),
        ("portal.NoticeKind list", reverse("admin:portal_noticekind_changelist")),
        ("portal.AuditLog list", reverse("admin:portal_auditlog_changelist")),
        (
            "contracts.Proposal change",
            reverse("admin:contracts_proposal_change", args=[proposal.pk]),
        ),
    ]


def _check_admin(live_server, superuser, paths, language, widths):
    sync_api = _playwright()
    started = time.monotonic()
    problems = []
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = new_context(browser, live_server.url, superuser, language, widths[0]).new_page()
            for what, path in paths:
                set_width(page, widths[0])
                response = page.goto(path)
                where = f"admin {what} {path} in {language}"
                if response is None or response.status != 200:
                    problems.append(f"{where}: answered {response and response.status}")
                    continue
                problems += language_problems(page, where, language)
                # Before axe: axe-core reads each style sheet's @import (the admin's forms.css
                # imports widgets.css) into a <style> of its own, which the policy refuses;
                # that is axe's doing, not the page's.
                if refused := csp_violations(page):
                    problems.append(f"{where}: Content-Security-Policy refused: {refused}")
                for width in widths:
                    set_width(page, width)
                    problems += axe_problems(page, f"{where} at {width}px")
        finally:
            browser.close()
    elapsed = time.monotonic() - started

    at = " and ".join(f"{width}px" for width in widths)
    assert not problems, (
        f"{len(problems)} problem(s) in the admin in {language} at {at} "
        f"({elapsed:.0f}s):\n  " + "\n  ".join(problems)
    )
    print(f"\n{len(paths)} admin pages in {language} at {at} in {elapsed:.0f}s")  # noqa: T201


@pytest.mark.browser
def test_every_admin_page_passes_axe(transactional_db, live_server):
    from tests import factories

    build_data()  # rows for the change forms
    superuser = factories.StaffAdminFactory(is_superuser=True)
    _check_admin(live_server, superuser, admin_paths(superuser), "th", (1280,))


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "widths"),
    ADMIN_COMBINATIONS,
    ids=lambda v: "+".join(map(str, v)) if isinstance(v, tuple) else v,
)
def test_each_admin_template_passes_axe(transactional_db, live_server, language, widths):
    from tests import factories

    superuser = factories.StaffAdminFactory(is_superuser=True)
    member = factories.MemberFactory()
    paths = admin_sample(member, factories.award())
    _check_admin(live_server, superuser, paths, language, widths)
