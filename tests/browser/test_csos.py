"""End to end in a real browser: a CSO member signs up and registers an organisation, a
committee reviewer approves it, and the public finds it in the directory.

Every control is reached by its accessible name (``get_by_label`` / ``get_by_role``), so the
test also proves the labels exist, and is operated from the keyboard (focus, then Enter or
Space). Each page is checked with axe-core; serious and critical violations fail the test.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py.
"""

import re

import pytest
from stdnum.th import moa

from tests.browser.helpers import (
    PASSWORD,
    activate,
    assert_accessible,
    fill_date,
    give_two_factor_code,
    tick,
)
from tests.helpers import totp_device_for

ORG_NAME_TH = "มูลนิธิเพื่อนบ้านช่วยกันทดสอบ"
JURISTIC_BASE = "099350001234"  # not the demo data's 0105539000128
JURISTIC_ID = JURISTIC_BASE + moa.calc_check_digit(JURISTIC_BASE)
BAD_JURISTIC_ID = JURISTIC_BASE + str((int(moa.calc_check_digit(JURISTIC_BASE)) + 1) % 10)


@pytest.mark.browser
def test_register_review_and_find_a_cso(transactional_db, live_server, page, sample_pdf):
    from playwright.sync_api import expect

    from portal.models import User, UserRole
    from portal.roles import Role

    def h1(name):
        expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()

    main = page.get_by_role("main")
    nav = page.get_by_role("navigation", name="Main")

    # --- 1. Home, in Thai (the default), then English through the header form ----------
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    assert_accessible(page, "home (Thai)")
    language_form = page.locator("form[action$='/i18n/setlang/']")
    language_form.get_by_role("combobox").select_option("en")
    activate(language_form.get_by_role("button"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    h1("Delivering public services together")

    activate(main.get_by_role("link", name="Sign up to register"))
    h1("Create an account")
    # Coming from "sign up to register", the organisation member's account is ticked.
    expect(
        page.get_by_label("Registering or working for a civil society organisation")
    ).to_be_checked()
    assert_accessible(page, "sign-up")
    page.get_by_label("Username").fill("nongnuch")
    page.get_by_label("Email").fill("nongnuch@example.org")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    activate(page.get_by_role("button", name="Create account"))

    # --- 2. The registration, part by part --------------------------------------------
    h1("Register your organisation")
    assert_accessible(page, "registration task list (empty)")
    activate(main.get_by_role("link", name="Organisation", exact=True))
    h1("Organisation")
    assert_accessible(page, "organisation part")
    page.get_by_label("Name (Thai)").fill(ORG_NAME_TH)
    page.get_by_label("Organisation form").select_option(label="Charitable foundation")
    tick(page.get_by_label("We are a registered juristic person"))
    page.get_by_label("Juristic person ID").fill(BAD_JURISTIC_ID)
    fill_date(page, "Year activities began", {"Year (C.E.)": "2015"})
    page.get_by_label("Contact email").fill("contact@example.org")
    activate(page.get_by_role("button", name="Save and continue"))

    # A bad value: the error summary takes focus, links to the field, nothing typed is lost.
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    error_link = summary.get_by_role("link", name=re.compile(r"^Juristic person ID"))
    expect(error_link).to_have_attribute("href", "#id_juristic_id")
    juristic = page.get_by_label("Juristic person ID")
    expect(juristic).to_have_value(BAD_JURISTIC_ID)
    expect(juristic).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Name (Thai)")).to_have_value(ORG_NAME_TH)
    expect(page.get_by_label("We are a registered juristic person")).to_be_checked()
    founded = page.get_by_role("group", name="Year activities began")
    expect(founded.get_by_label("Year (C.E.)")).to_have_value("2015")
    assert_accessible(page, "organisation part with errors")
    activate(error_link)
    expect(juristic).to_be_focused()
    juristic.fill(JURISTIC_ID)
    activate(page.get_by_role("button", name="Save and continue"))

    h1("Register your organisation")
    expect(main.get_by_role("status")).to_contain_text("Saved.")
    activate(main.get_by_role("link", name="Activity fields and service provinces"))
    h1("Activity fields and service provinces")
    assert_accessible(page, "activities part")
    tick(page.get_by_role("checkbox", name="Social services"))
    tick(page.get_by_role("checkbox", name="Bangkok"))
    activate(page.get_by_role("button", name="Save and continue"))

    h1("Register your organisation")
    activate(main.get_by_role("link", name="Capacity"))
    h1("Capacity")
    assert_accessible(page, "capacity part")
    page.get_by_role("spinbutton", name="Staff", exact=True).fill("12")
    page.get_by_label("Professionally certified staff").fill("3")
    page.get_by_label("Track record").fill("ดูแลผู้สูงอายุติดบ้านติดเตียงกว่า 300 คน")
    activate(page.get_by_role("button", name="Save and continue"))

    h1("Register your organisation")
    activate(main.get_by_role("link", name="Documents"))
    h1("Documents")
    assert_accessible(page, "documents part")
    page.get_by_label("Document type").select_option(label="Registration certificate")
    page.get_by_label("File").set_input_files(sample_pdf)
    activate(page.get_by_role("button", name="Upload"))
    expect(main.get_by_role("status")).to_contain_text("The document was uploaded.")
    expect(page.get_by_role("table", name="Uploaded documents")).to_contain_text(sample_pdf.name)
    assert_accessible(page, "documents part with a document")
    # Complete as soon as the certificate is in: back to the task list, nothing to mark.
    expect(main).to_contain_text("This part is complete")
    activate(page.get_by_role("link", name="Back to the task list"))

    h1("Register your organisation")
    for part in ("Organisation", "Activity fields and service provinces", "Capacity", "Documents"):
        expect(main.get_by_role("listitem").filter(has_text=part).first).to_contain_text(
            "Completed"
        )
    assert_accessible(page, "registration task list (complete)")
    activate(main.get_by_role("link", name="Check your answers and submit"))
    h1("Check your answers before you submit")
    expect(main).to_contain_text(ORG_NAME_TH)
    expect(main).to_contain_text(JURISTIC_ID)
    assert_accessible(page, "check answers")
    activate(page.get_by_role("button", name="Submit the registration"))
    h1("Register your organisation")
    expect(main.get_by_role("status")).to_contain_text("Your registration was submitted.")
    expect(main.locator(".status-line")).to_contain_text("Submitted")

    # --- 3. A committee reviewer approves it ------------------------------------------
    activate(page.get_by_role("button", name="Sign out"))
    reviewer = User.objects.create_user(username="reviewer-somchai", password=PASSWORD)
    UserRole.objects.create(user=reviewer, role=Role.COMMITTEE_REVIEWER)
    totp_device_for(reviewer)  # a reviewer signs in with a code from their app too

    activate(page.get_by_role("banner").get_by_role("link", name="Sign in"))
    h1("Sign in")
    assert_accessible(page, "sign-in")
    page.get_by_label("Username").fill("reviewer-somchai")
    page.get_by_label("Password").fill(PASSWORD)
    activate(main.get_by_role("button", name="Sign in"))
    h1("Your sign-in code")
    give_two_factor_code(page, reviewer)
    activate(nav.get_by_role("link", name="Review queue"))
    h1("Registrations to review")
    assert_accessible(page, "review queue")
    activate(main.get_by_role("link", name=ORG_NAME_TH))
    h1(ORG_NAME_TH)
    approve = main.get_by_role("region", name="Approve and certify")
    assert_accessible(page, "review detail")
    activate(approve.get_by_role("link", name="Approve"))
    h1(f"Approve and certify {ORG_NAME_TH}?")
    expect(main.get_by_role("checkbox", name="Social services")).to_be_checked()
    assert_accessible(page, "approve confirmation")
    activate(main.get_by_role("button", name="Yes, approve and certify"))
    expect(main.get_by_role("status")).to_contain_text("Your decision was recorded")
    expect(main.locator(".status-line")).to_contain_text("Approved")
    assert_accessible(page, "review detail (approved)")

    # --- 4. Anyone finds it in the public directory -----------------------------------
    activate(page.get_by_role("button", name="Sign out"))
    activate(nav.get_by_role("link", name="CSO directory"))
    h1("Directory of approved civil society organisations")
    search = page.get_by_role("search", name="Search the directory")
    search.get_by_label("Name", exact=True).fill("เพื่อนบ้านช่วยกัน")
    activate(search.get_by_role("button", name="Search"))
    expect(main.get_by_role("status")).to_contain_text("1 organisation found.")
    expect(main.get_by_role("link", name=ORG_NAME_TH)).to_be_visible()
    assert_accessible(page, "directory search results")
