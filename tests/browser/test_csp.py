"""The pages the portal does not write itself work under its Content-Security-Policy: the
Django admin and the Swagger UI at /api/docs/ draw and run with no inline script or style
refused. (The ``page`` fixture fails a test on any violation; the phone sweep covers the
portal's own pages.)"""

import pytest

from tests import factories


def _sign_in(page, user, base_url):
    from tests.browser.sweep import session_cookie

    page.context.add_cookies([session_cookie(user, base_url)])


@pytest.mark.browser
def test_the_django_admin_works_under_the_policy(transactional_db, live_server, page):
    from playwright.sync_api import expect

    admin = factories.StaffAdminFactory(is_superuser=True)
    member = factories.MemberFactory(username="somsri")
    _sign_in(page, admin, live_server.url)

    page.goto("/admin/")
    expect(page.locator("#content")).to_be_visible()
    # A change list with its actions bar and filters, driven by the admin's scripts.
    page.goto("/admin/portal/user/")
    page.locator("input.action-select").first.check()
    expect(page.locator(".action-counter")).to_contain_text("1")
    # A change form with an autocomplete (select2) widget and the role inlines' "add" link.
    page.goto(f"/admin/portal/user/{member.pk}/change/")
    expect(page.locator(".select2-container").first).to_be_visible()
    rows = page.locator(".inline-group .inline-related:not(.empty-form)")
    before = rows.count()
    page.locator(".add-row a").first.click()
    expect(rows).to_have_count(before + 1)


@pytest.mark.browser
def test_the_api_documentation_runs_under_the_policy(transactional_db, live_server, page):
    from playwright.sync_api import expect

    response = page.goto("/api/docs/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # Swagger UI ran (its start-up script is fetched, not inline) and read the schema.
    expect(page.locator("#swagger-ui .title")).to_contain_text("Co-production Portal API")
    expect(page.locator(".opblock-tag").first).to_be_visible()
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()


@pytest.mark.browser
def test_the_browsable_api_works_under_the_policy(transactional_db, live_server, page):
    from playwright.sync_api import expect

    member = factories.CSOFactory(status="approved").members.get()
    _sign_in(page, member, live_server.url)
    page.goto("/api/v1/me/")
    expect(page.locator(".response-info")).to_contain_text(member.username)
    page.goto("/api/v1/calls/")
    expect(page.locator(".response-info")).to_be_visible()
