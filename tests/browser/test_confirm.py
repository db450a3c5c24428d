"""A destructive action in a real browser, with the keyboard only: the officer terminates an
agreement through its confirmation page (portal.confirm), in Thai. The page says what will
happen and to whom, its button is red, going back changes nothing, a missing reason keeps
the page with the error summary focused, and axe finds nothing serious on it.
Run with ``pytest -m browser``."""

import pytest

from tests.browser.helpers import activate, assert_accessible
from tests.factories import PASSWORD
from tests.helpers import in_thai


@pytest.mark.browser
def test_the_officer_terminates_through_the_confirmation_page(transactional_db, live_server, page):
    from playwright.sync_api import expect

    from contracts.agreements.models import Agreement
    from tests.factories import award

    agreement = award(instrument="performance_contract")
    officer = agreement.proposal.call.created_by
    main = page.get_by_role("main")

    page.goto("/accounts/login/")
    page.get_by_label(in_thai("Username")).fill(officer.username)
    page.get_by_label(in_thai("Password")).fill(PASSWORD)
    activate(main.get_by_role("button", name=in_thai("Sign in")))
    page.goto(f"/agreements/{agreement.pk}/")

    terminate = in_thai("Terminate the agreement")
    activate(main.get_by_role("link", name=terminate))
    question = in_thai("Terminate %(number)s?") % {"number": agreement.number}
    expect(page.get_by_role("heading", level=1)).to_have_text(question)
    expect(main).to_contain_text(agreement.cso.name)
    expect(main).to_contain_text(in_thai("This cannot be undone."))
    button = main.get_by_role("button", name=in_thai("Yes, terminate the agreement"))
    # Danger is red (--error, #b00020), not the primary blue.
    expect(button).to_have_css("background-color", "rgb(176, 0, 32)")
    assert_accessible(page, "terminate confirmation")

    # Going back changes nothing.
    activate(main.get_by_role("link", name=in_thai("No, cancel and go back")))
    expect(page).to_have_url(f"{live_server.url}/agreements/{agreement.pk}/")
    assert Agreement.objects.get(pk=agreement.pk).status == "active"

    activate(main.get_by_role("link", name=terminate))
    activate(button)  # no reason
    summary = page.get_by_role("alert").filter(has_text=in_thai("There is a problem"))
    expect(summary).to_be_focused()
    assert Agreement.objects.get(pk=agreement.pk).status == "active"
    assert_accessible(page, "terminate confirmation with errors")

    page.get_by_label(in_thai("Reason")).fill("ไม่ดำเนินงานตามข้อตกลง")
    activate(main.get_by_role("button", name=in_thai("Yes, terminate the agreement")))
    expect(main.get_by_role("status")).to_contain_text(in_thai("The agreement was terminated."))
    assert Agreement.objects.get(pk=agreement.pk).status == "terminated"
