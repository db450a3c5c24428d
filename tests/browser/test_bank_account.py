"""End to end in a real browser: a CSO member records the bank account its payments go to,
fixes a number that is too short, then the officer of its agreement reads it (with the change
history, the number masked there) on the agreement's page and releases a tranche into it.
Every control by its accessible name, from the keyboard; axe checks each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py.
"""

import re

import pytest

from tests.browser.helpers import activate, assert_accessible
from tests.factories import PASSWORD


@pytest.mark.browser
def test_a_member_records_the_account_and_the_officer_releases_into_it(
    transactional_db, live_server, page
):
    from playwright.sync_api import expect

    from tests.factories import CSOFactory, award

    cso = CSOFactory(status="approved", bank_account=False)
    agreement = award(cso=cso)
    member, officer = cso.members.get(), agreement.proposal.call.created_by
    for user in (member, officer):
        user.set_password(PASSWORD)
        user.save()
    main = page.get_by_role("main")

    def sign_in(user):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        activate(main.get_by_role("button", name="Sign in"))
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto("/")
    language_form = page.locator("form[action$='/i18n/setlang/']")
    language_form.get_by_role("combobox").select_option("en")
    activate(language_form.get_by_role("button"))

    # --- the member, from the registration page ------------------------------------------
    sign_in(member)
    page.goto("/registration/")
    activate(main.get_by_role("link", name="Record the bank account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bank account for payments")
    assert_accessible(page, "bank account (none yet)")
    page.get_by_label("Bank").select_option(label="Government Savings Bank (030)")
    page.get_by_label("Branch").fill("สาขาลาดพร้าว")
    page.get_by_label("Account name").fill("มูลนิธิทดสอบ")
    page.get_by_label("Account number").fill("0200-1234-567")
    activate(main.get_by_role("button", name="Save the bank account"))

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("^Account number"))).to_contain_text(
        "10 or 12 digits; this one has 11"
    )
    expect(page.get_by_label("Account number")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "bank account (error)")
    page.get_by_label("Account number").fill("0200-1234-5678")
    activate(main.get_by_role("button", name="Save the bank account"))
    expect(main).to_contain_text("The bank account was saved")
    expect(main).to_contain_text("020012345678")
    assert_accessible(page, "bank account (recorded)")

    # --- the officer, on the agreement's page -------------------------------------------
    activate(page.get_by_role("button", name="Sign out"))
    sign_in(officer)
    page.goto(f"/agreements/{agreement.pk}/")
    expect(main).to_contain_text("Account number: xxxxxxxx5678")
    activate(main.get_by_role("link", name="Release tranche 1"))
    expect(main).to_contain_text("Government Savings Bank xxxxxxxx5678")  # paid into
    activate(main.get_by_role("button", name=re.compile("^Yes, release")))
    expect(main).to_contain_text("was released for payment")
    expect(main).to_contain_text("Into Government Savings Bank xxxxxxxx5678")
    assert_accessible(page, "agreement with its bank account")
