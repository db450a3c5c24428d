"""End to end in a real browser: an agency officer opens and publishes a call with weighted
criteria, a CSO member fills the proposal's task list and submits it, an evaluator scores it,
and the officer closes the call and selects the proposal. Each page is checked with axe-core,
and every control is reached by its accessible name and operated from the keyboard; the
member's task list and the evaluator's score form by the keyboard alone (text typed key by
key, options chosen with the arrow keys, the file chooser opened with Space).

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py.
"""

import datetime
import re

import pytest
from django.utils import timezone

from tests.browser.helpers import (
    activate,
    assert_accessible,
    choose_file,
    choose_option,
    fill_date,
    tick,
    type_into,
)
from tests.factories import PASSWORD

CALL_TITLE = "ทุนดูแลผู้สูงอายุติดเตียง ปี 2570"
PROJECT_TITLE = "โครงการเพื่อนเยี่ยมบ้าน"


@pytest.mark.browser
def test_publish_a_call_submit_score_and_select(transactional_db, live_server, page, sample_pdf):
    from playwright.sync_api import expect

    from contracts.calls.models import Call
    from contracts.proposals.models import Proposal
    from tests.factories import CSOFactory, EvaluatorFactory, MissionFactory, OfficerFactory

    officer = OfficerFactory(username="officer-malee")
    mission = MissionFactory(officer=officer, provinces=["10"])
    cso = CSOFactory(status="approved", service_provinces=["10"])
    member = cso.members.get()
    evaluator = EvaluatorFactory(username="evaluator-anan", first_name="Anan")

    main = page.get_by_role("main")
    nav = page.get_by_role("navigation", name="Main")

    def h1(name):
        expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()

    def sign_in(user):
        activate(page.get_by_role("banner").get_by_role("link", name="Sign in"))
        type_into(page.get_by_label("Username"), user.username)
        type_into(page.get_by_label("Password"), PASSWORD)
        activate(main.get_by_role("button", name="Sign in"))

    def sign_out():
        activate(page.get_by_role("button", name="Sign out"))

    # English, through the header form; the choice is kept for everyone after.
    page.goto("/")
    language_form = page.locator("form[action$='/i18n/setlang/']")
    language_form.get_by_role("combobox").select_option("en")
    activate(language_form.get_by_role("button"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # --- 1. The officer opens a call for the mission, previews and publishes it --------
    sign_in(officer)
    page.goto(f"/missions/{mission.pk}/")
    activate(main.get_by_role("link", name="Open a call"))
    h1(re.compile("call", re.I))
    assert_accessible(page, "new call form")
    page.get_by_label("Instrument").select_option(label="Grant")
    page.get_by_role("textbox", name="Title", exact=True).fill(CALL_TITLE)
    page.get_by_label("Budget ceiling (baht)").fill("500,000.00")
    now = timezone.localtime()
    for legend, moment in (
        ("Opens at", now - datetime.timedelta(hours=1)),
        ("Closes at", now + datetime.timedelta(days=7)),
    ):  # day, month by name, C.E. year on the English page, 24-hour time
        fill_date(
            page,
            legend,
            {
                "Day": str(moment.day),
                "Month": f"{moment:%B}",
                "Year (C.E.)": str(moment.year),
                "Hour": f"{moment:%H}",
                "Minute": f"{moment:%M}",
            },
        )
    page.get_by_label("Costing method").select_option(label="Per person served")
    page.get_by_label("Required documents").fill("Work plan")
    weights = {
        "Expertise and experience": "30",
        "Organisational standards": "25",
        "Service area": "20",
        "Track record": "15",
        "Networking and resource mobilisation": "5",  # 95: one short
    }
    for label, value in weights.items():
        page.get_by_role("spinbutton", name=label).fill(value)
    # The running total follows the typing (static/js/portal.js, under the CSP).
    expect(page.locator("#weights-total")).to_have_text("Total now: 95 of 100")
    activate(page.get_by_role("button", name="Save and preview"))

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The weights must add up to 100 (now 95)")
    expect(page.get_by_role("textbox", name="Title", exact=True)).to_have_value(CALL_TITLE)
    assert_accessible(page, "new call form with errors")
    page.get_by_role("spinbutton", name="Networking and resource mobilisation").fill("10")
    activate(page.get_by_role("button", name="Save and preview"))

    h1(CALL_TITLE)
    assert_accessible(page, "call preview (draft)")
    activate(main.get_by_role("link", name="Publish", exact=True))
    h1(f"Publish the call “{CALL_TITLE}”?")
    assert_accessible(page, "publish confirmation")
    activate(main.get_by_role("button", name="Yes, publish the call"))
    expect(main.get_by_role("status")).to_be_visible()
    call = Call.objects.get(title=CALL_TITLE)
    assert call.status == "open"
    assert call.criteria_weights["expertise"] == 30

    activate(main.get_by_role("link", name="Choose the evaluators"))
    assert_accessible(page, "evaluator panel")
    tick(main.get_by_role("checkbox", name=re.compile(evaluator.username)))
    activate(main.get_by_role("button", name="Save the panel"))
    expect(main).to_contain_text(evaluator.username)
    sign_out()

    # --- 2. A CSO member finds the call and fills the task list --------------------------
    sign_in(member)
    activate(nav.get_by_role("link", name="Calls for proposals"))
    assert_accessible(page, "public list of calls")
    activate(main.get_by_role("link", name=CALL_TITLE))
    h1(CALL_TITLE)
    assert_accessible(page, "call page (CSO member)")
    activate(main.get_by_role("button", name="Start a proposal"))

    def open_part(name):
        activate(main.get_by_role("link", name=name, exact=True))

    def save():
        activate(main.get_by_role("button", name="Save and return to the task list"))

    expect(main.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "proposal task list (new)")
    open_part("Summary and outcomes")
    assert_accessible(page, "summary part")
    type_into(page.get_by_label("Project title"), PROJECT_TITLE)
    type_into(page.get_by_label("Summary"), "ผู้ดูแลเยี่ยมบ้านผู้สูงอายุติดเตียงสัปดาห์ละครั้ง")
    type_into(page.get_by_label("Expected outcomes"), "ผู้สูงอายุ 120 คนได้รับการดูแลต่อเนื่อง")
    save()

    open_part("Targets and indicators")
    assert_accessible(page, "targets part")
    type_into(page.get_by_label("Indicator, row 1"), "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน")
    type_into(page.get_by_label("Target, row 1"), "120 คน")
    save()

    open_part("Budget")
    assert_accessible(page, "budget part")
    type_into(page.get_by_label("Item, row 1"), "ค่าตอบแทนผู้ดูแล")
    type_into(page.get_by_label(re.compile(r"^Unit cost.*row 1")), "5000")
    type_into(page.get_by_label("Quantity, row 1"), "120")  # 600,000: over the ceiling
    activate(main.get_by_role("button", name="Save and work out the total"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("500,000.00")
    expect(page.get_by_label("Quantity, row 1")).to_have_value("120")
    assert_accessible(page, "budget part over the ceiling")
    type_into(page.get_by_label(re.compile(r"^Unit cost.*row 1")), "1500")
    activate(main.get_by_role("button", name="Save and work out the total"))
    expect(main).to_contain_text("180,000.00")
    save()

    open_part("Dates")
    assert_accessible(page, "dates part")
    for legend, day, month in (("Start date", "1", "January"), ("End date", "31", "December")):
        fill_date(
            page, legend, {"Day": day, "Month": month, "Year (C.E.)": "2027"}, by_keyboard=True
        )
    save()

    open_part("Project document")
    type_into(page.get_by_label("Project document"), "เอกสารโครงการที่องค์กรร่วมเขียนกับหน่วยงาน")
    save()

    open_part("Attachments")
    assert_accessible(page, "attachments part")
    choose_option(page.get_by_label("Which document is this?"), "Work plan")
    choose_file(page.get_by_label("File"), sample_pdf)
    activate(main.get_by_role("button", name="Upload"))
    expect(main).to_contain_text(sample_pdf.name)
    activate(main.get_by_role("link", name=re.compile("task list", re.I)).first)

    for part in ("Summary and outcomes", "Targets and indicators", "Budget", "Dates"):
        expect(main.get_by_role("listitem").filter(has_text=part).first).to_contain_text(
            "Completed"
        )
    assert_accessible(page, "proposal task list (complete)")
    activate(main.get_by_role("link", name="Check your answers and submit"))
    expect(main).to_contain_text("180,000.00")
    assert_accessible(page, "check your answers")
    activate(main.get_by_role("button", name="Submit the proposal"))

    proposal = Proposal.objects.get(title=PROJECT_TITLE)
    assert proposal.status == "submitted"
    expect(main).to_contain_text(proposal.reference)
    assert_accessible(page, "submission confirmation")
    sign_out()

    # --- 3. The evaluator scores it --------------------------------------------------------
    sign_in(evaluator)
    activate(nav.get_by_role("link", name="Evaluations"))
    assert_accessible(page, "evaluator's work")
    activate(main.get_by_role("link", name=re.compile(f"Score.*{PROJECT_TITLE}")))
    h1(f"Score: {PROJECT_TITLE}")
    assert_accessible(page, "score form")
    scores = {
        "Expertise and experience": "5",
        "Organisational standards": "4",
        "Service area": "3",
        "Track record": "2",
        "Networking and resource mobilisation": "1",
    }
    for criterion, value in scores.items():
        group = page.get_by_role("group", name=re.compile(criterion))
        tick(group.get_by_role("radio", name=re.compile(f"^{value} ")))
    activate(main.get_by_role("button", name="Submit scores"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()  # the declaration comes first
    track_record = page.get_by_role("group", name=re.compile("Track record"))
    expect(track_record.get_by_role("radio", name=re.compile("^2 "))).to_be_checked()
    assert_accessible(page, "score form with errors")
    tick(page.get_by_role("checkbox", name=re.compile("no conflict of interest")))
    activate(main.get_by_role("button", name="Submit scores"))
    expect(main.get_by_role("status")).to_be_visible()
    assert proposal.reviews.get().status == "submitted"
    sign_out()

    # --- 4. The officer closes the call, reads the ranking and selects -------------------
    sign_in(officer)
    page.goto(f"/calls/{call.pk}/")
    activate(main.get_by_role("link", name="Close the call"))
    activate(main.get_by_role("button", name="Yes, close the call"))
    activate(main.get_by_role("link", name="Ranking of the proposals"))
    h1(f"Ranking: {CALL_TITLE}")
    # 30×5 + 25×4 + 20×3 + 15×2 + 10×1 = 350; / 5 = 70
    expect(main.get_by_role("table").first).to_contain_text("70.00")
    assert_accessible(page, "ranking")
    activate(main.get_by_role("link", name=re.compile(f"Decide.*{PROJECT_TITLE}")))
    assert_accessible(page, "decision page")
    activate(main.get_by_role("link", name="Select this proposal", exact=True))
    assert_accessible(page, "select confirmation")
    activate(main.get_by_role("button", name="Yes, select this proposal"))
    expect(main.get_by_role("status")).to_be_visible()
    assert Proposal.objects.get(pk=proposal.pk).status == "selected"
    assert Call.objects.get(pk=call.pk).status == "awarded"
