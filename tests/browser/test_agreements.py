"""End to end in a real browser: one performance contract from the offer to settlement. The
officer awards the selected proposal, the CSO signs, tranche 1 (80 %) is released and paid
by the finance system through the API, the mid-term evaluation is recorded, the reports due
are sent, delivery is completed, tranche 2 (20 %) is released and paid, the CSO states its
settlement after the end date, the reports are accepted, the post-completion evaluation is
recorded and the officer settles. Time moves with time-machine; axe checks each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py.
"""

import datetime
import json
import re
import urllib.request

import pytest
import time_machine

from tests.browser.helpers import activate, assert_accessible, tick
from tests.factories import PASSWORD, send_reports
from tests.helpers import at


def pay_through_the_api(base_url, token, agreement_id, seq, paid_on):
    """The ministry's finance system records the payment, as another system would."""
    request = urllib.request.Request(
        f"{base_url}/api/v1/agreements/{agreement_id}/tranches/{seq}/pay/",
        data=json.dumps({"payment_reference": f"GFMIS-{seq:04d}", "paid_on": paid_on}).encode(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"pay-{agreement_id}-{seq}",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 200
        return json.loads(response.read())


@pytest.mark.browser
def test_a_performance_contract_from_offer_to_settlement(transactional_db, live_server, page):
    from django.utils import timezone
    from playwright.sync_api import expect
    from rest_framework.authtoken.models import Token

    from contracts.agreements.models import Agreement
    from tests.factories import ApiClientFactory, selected_proposal

    proposal = selected_proposal(instrument="performance_contract")
    officer = proposal.call.created_by
    member = proposal.cso.members.get()
    finance = ApiClientFactory(scopes=["read", "payments"]).user
    token = Token.objects.create(user=finance).key

    main = page.get_by_role("main")

    def sign_in(user):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        activate(main.get_by_role("button", name="Sign in"))
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    def sign_out():
        activate(page.get_by_role("button", name="Sign out"))

    def action(name):
        """The form of one of the page's actions, found by its heading."""
        return main.get_by_role("region", name=name)

    def step(key):
        return (
            main.get_by_role("region", name="Where the agreement stands")
            .get_by_role("listitem")
            .filter(has_text=key)
        )

    page.goto("/")
    language_form = page.locator("form[action$='/i18n/setlang/']")
    language_form.get_by_role("combobox").select_option("en")
    activate(language_form.get_by_role("button"))

    # --- the offer, and the CSO signs -------------------------------------------------------
    sign_in(officer)
    page.goto(f"/proposals/{proposal.pk}/")
    activate(main.get_by_role("link", name="Award the agreement"))
    assert_accessible(page, "award form")
    expect(page.get_by_label("Amount (baht)")).to_have_value(re.compile(r"190,?020\.00"))
    activate(main.get_by_role("button", name="Make the offer"))
    agreement = Agreement.objects.get(proposal=proposal)
    expect(page.get_by_role("heading", level=1)).to_contain_text(agreement.number)
    expect(main).to_contain_text("152,016.00")  # 80 %
    expect(main).to_contain_text("38,004.00")  # the remaining 20 %
    assert_accessible(page, "agreement page (offered, officer)")
    sign_out()

    sign_in(member)
    page.goto(f"/agreements/{agreement.pk}/")
    sign = action("Sign the agreement")
    activate(sign.get_by_role("button", name="Sign the agreement"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    assert_accessible(page, "signing with errors")
    sign = action("Sign the agreement")
    sign.get_by_label("Your full name").fill("สมหญิง ใจดี")
    tick(sign.get_by_role("checkbox", name=re.compile("I have read the terms")))
    activate(sign.get_by_role("button", name="Sign the agreement"))
    expect(main).to_contain_text("สมหญิง ใจดี")
    assert Agreement.objects.get(pk=agreement.pk).status == "active"
    assert_accessible(page, "agreement page (active, CSO)")

    # The first progress report asks only what the evaluation needs.
    reports = main.get_by_role("region", name="Progress reports")
    activate(reports.get_by_role("link").first)
    assert_accessible(page, "progress report form")
    page.get_by_label("Spent to date (baht)").fill("90,000.00")
    activate(main.get_by_role("button", name="Send the report"))
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_focused()
    expect(page.get_by_label("Spent to date (baht)")).to_have_value("90,000.00")
    assert_accessible(page, "progress report form with errors")
    page.get_by_label("What was done").fill("เยี่ยมบ้านผู้สูงอายุครบ 30 ราย")
    page.get_by_label(re.compile("^Result:")).first.fill("30 คน")
    # The award page offered the mission's target groups: the report counts the people
    # reached in each, a number typed where the label names the group.
    groups = Agreement.objects.get(pk=agreement.pk).beneficiary_groups
    assert groups
    for n, group in enumerate(groups):
        page.get_by_label(f"People reached: {group}").fill(str(30 - n))
    activate(main.get_by_role("button", name="Send the report"))
    assert agreement.reports.get(seq=1).status == "submitted"
    assert agreement.reports.get(seq=1).beneficiaries[0]["count"] == 30
    sign_out()

    # --- tranche 1: released by the officer, paid by the finance system --------------------
    sign_in(officer)
    page.goto(f"/agreements/{agreement.pk}/")
    expect(main.get_by_role("link", name="Release tranche 2")).to_have_count(0)
    activate(main.get_by_role("link", name="Release tranche 1"))
    # The release is asked on a page of its own: the money, the payee, who is told.
    h1 = main.get_by_role("heading", level=1)
    expect(h1).to_have_text(f"Release tranche 1 of {agreement.number}?")
    expect(main).to_contain_text("152,016.00 baht")
    expect(main).to_contain_text(re.compile(r"Paid into.*xxxxxx\d{4}"))
    assert agreement.tranches.get(seq=1).status == "scheduled"  # nothing moved on the way
    assert_accessible(page, "release confirmation")
    activate(main.get_by_role("button", name="Yes, release 152,016.00 baht"))
    expect(main.get_by_role("status")).to_be_visible()
    assert agreement.tranches.get(seq=1).status == "released"
    today = timezone.localdate().isoformat()
    first = pay_through_the_api(live_server.url, token, agreement.pk, 1, today)
    assert (first["status"], first["amount"]) == ("paid", "152016.00")
    page.reload()
    expect(step("First tranche")).to_contain_text("Done")
    sign_out()

    # --- mid-term, completion, tranche 2 -------------------------------------------------------
    with time_machine.travel(at(2027, 7, 5)):
        send_reports(agreement, due_before=datetime.date(2027, 7, 5))  # report 2, due 1 July
        sign_in(officer)
        page.goto(f"/agreements/{agreement.pk}/")
        expect(step("Mid-term evaluation")).to_contain_text("Overdue")  # due 2 July
        evaluations = main.get_by_role("region", name="Evaluations")
        activate(evaluations.get_by_role("link").first)
        assert_accessible(page, "mid-term evaluation")
        page.get_by_label("Score (0–100)").fill("82.50")
        page.get_by_label("Findings").fill("ดำเนินงานตามแผน ผู้สูงอายุได้รับการเยี่ยมบ้านครบ")
        activate(main.get_by_role("button", name="Record the result"))
        expect(main).to_contain_text("82.50")
        page.goto(f"/agreements/{agreement.pk}/")
        activate(action("Record delivery as complete").get_by_role("link"))
        activate(main.get_by_role("button", name="Yes, delivery is complete"))
        activate(main.get_by_role("link", name="Release tranche 2"))
        activate(main.get_by_role("button", name="Yes, release 38,004.00 baht"))
        expect(main.get_by_role("status")).to_be_visible()
        pay_through_the_api(live_server.url, token, agreement.pk, 2, "2027-07-05")
        page.reload()
        expect(main.get_by_role("region", name="Money")).to_contain_text("190,020.00")
        assert_accessible(page, "agreement page (completed, both tranches paid)")
        sign_out()

    # --- settlement after the end date, the final evaluation, settle --------------------------
    with time_machine.travel(at(2028, 2, 20)):
        sign_in(member)
        page.goto(f"/agreements/{agreement.pk}/")
        settlement = action("State the settlement")
        settlement.get_by_label("Total spent (baht)").fill("180,000.00")
        activate(settlement.get_by_role("button", name="Save the settlement"))
        expect(main.get_by_role("region", name="Settlement")).to_contain_text("10,020.00")
        assert_accessible(page, "settlement stated")
        sign_out()

        send_reports(agreement, due_before=datetime.date(2028, 2, 20), accept=True)
        sign_in(officer)
        page.goto(f"/agreements/{agreement.pk}/")
        evaluations = main.get_by_role("region", name="Evaluations")
        activate(evaluations.get_by_role("link").last)
        page.get_by_label("Score (0–100)").fill("90")
        page.get_by_label("Findings").fill("บรรลุเป้าหมายทุกตัวชี้วัด")
        activate(main.get_by_role("button", name="Record the result"))
        page.goto(f"/agreements/{agreement.pk}/")
        activate(action("Settle and close").get_by_role("link"))
        assert_accessible(page, "settle confirmation")
        activate(main.get_by_role("button", name="Yes, settle and close the agreement"))
        expect(main.get_by_role("status")).to_be_visible()
        assert Agreement.objects.get(pk=agreement.pk).status == "settled"
        expect(step("Settlement")).to_contain_text("Done")
        assert_accessible(page, "agreement page (settled)")
        document = page.request.get(f"/agreements/{agreement.pk}/document.pdf")
        assert document.status == 200
        assert document.headers["content-type"] == "application/pdf"
