"""In a real browser, in Thai: settling a grant the organisation overspent. The officer opens
the completed agreement too early and reads what is still missing (the settlement, each
report not accepted with its due date in the Buddhist Era) instead of a button that would be
refused; the organisation states that it spent more than it was paid and the page shows the
uncovered amount; once the reports are accepted the officer settles. axe checks each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py.
"""

import datetime

import pytest
import time_machine

from tests.browser.helpers import activate, assert_accessible
from tests.factories import PASSWORD, send_reports
from tests.helpers import at, in_thai


@pytest.mark.browser
def test_an_overspent_grant_is_settled_once_nothing_is_missing(transactional_db, live_server, page):
    from django.utils import timezone
    from playwright.sync_api import expect

    from contracts.agreements import services as agreement_services
    from contracts.agreements.models import Agreement
    from tests.factories import ApiClientFactory, award

    # A grant of 190,020.00 baht: tranche 1 (114,012.00) paid, tranche 2 never released.
    # Report 1 says 150,000.00 was spent (more than was paid), report 2 less, explained; the
    # grant is completed on its end date with every report due sent.
    agreement = award(terms={"shares": ["60", "40"]})
    officer = agreement.proposal.call.created_by
    member = agreement.cso.members.get()
    finance = ApiClientFactory(scopes=["read", "payments"]).user
    first = agreement.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=first, officer=officer)
    agreement_services.tranche_pay(
        tranche=first, user=finance, payment_reference="GFMIS-1", paid_on=timezone.localdate()
    )
    for seq, spent, explanation, when in (
        (1, "150000.00", "", at(2027, 4, 2)),
        (2, "140000.00", "ได้รับคืนค่ามัดจำสถานที่ 10,000 บาท", at(2027, 7, 2)),
    ):
        with time_machine.travel(when):
            agreement_services.report_submit(
                report=agreement.reports.get(seq=seq),
                user=member,
                narrative="เยี่ยมบ้านผู้สูงอายุ",
                indicators=[],
                spent_to_date=spent,
                spending_explanation=explanation,
            )
    with time_machine.travel(at(2027, 12, 31)):
        send_reports(agreement, due_before=datetime.date(2027, 12, 31))
        agreement_services.agreement_complete(agreement=agreement, officer=officer)

    main = page.get_by_role("main")
    detail = f"/agreements/{agreement.pk}/"

    def sign_in(user):
        page.goto("/accounts/login/")
        page.get_by_label(in_thai("Username")).fill(user.username)
        page.get_by_label(in_thai("Password")).fill(PASSWORD)
        activate(main.get_by_role("button", name=in_thai("Sign in")))
        expect(page.get_by_role("button", name=in_thai("Sign out"))).to_be_visible()

    def sign_out():
        activate(page.get_by_role("button", name=in_thai("Sign out")))

    def fits_390_pixels(where):
        """Nothing but a table in its own scrolling box is wider than a 390 px phone."""
        page.set_viewport_size({"width": 390, "height": 844})
        widest = page.evaluate(
            """() => Math.max(...[...document.querySelectorAll("main *")]
                .filter((e) => !e.closest(".table-scroll"))
                .map((e) => e.getBoundingClientRect().right))"""
        )
        assert widest <= 390, f"{where} is {widest} px wide at 390 px"
        page.set_viewport_size({"width": 1280, "height": 800})

    with time_machine.travel(at(2028, 1, 10)):
        # --- the reports: spending beyond what was paid flagged, a lower amount explained ---
        sign_in(officer)
        page.goto(f"{detail}reports/1/")
        expect(main.get_by_role("note")).to_contain_text(
            "ใช้จ่ายเกินเงินที่ได้รับโอน: ใช้จ่าย 150,000.00 บาท จากเงินที่ได้รับโอน 114,012.00 บาท"
        )
        assert_accessible(page, "report with spending beyond what was paid (officer, Thai)")
        page.goto(f"{detail}reports/2/")
        expect(main).to_contain_text("ได้รับคืนค่ามัดจำสถานที่ 10,000 บาท")
        assert_accessible(page, "report with a lower amount explained (officer, Thai)")

        # --- too early: the page says what is missing, in Thai, dates in B.E. ---------------
        page.goto(detail)
        settle = main.get_by_role("region", name=in_thai("Settle and close"))
        expect(settle).to_contain_text(
            in_thai("The agreement cannot be settled yet. Still missing:")
        )
        missing = settle.get_by_role("listitem")
        expect(missing).to_have_text(
            [
                "องค์กรยังไม่ได้แจ้งการชำระบัญชี",
                "รายงานความก้าวหน้าฉบับที่ 1 กำหนดส่ง 1 เมษายน พ.ศ. 2570 ยังไม่ได้รับการตรวจรับ "
                "(สถานะ “ส่งแล้ว รอตรวจรับ”)",
                "รายงานความก้าวหน้าฉบับที่ 2 กำหนดส่ง 1 กรกฎาคม พ.ศ. 2570 ยังไม่ได้รับการตรวจรับ "
                "(สถานะ “ส่งแล้ว รอตรวจรับ”)",
                "รายงานความก้าวหน้าฉบับที่ 3 กำหนดส่ง 1 ตุลาคม พ.ศ. 2570 ยังไม่ได้รับการตรวจรับ "
                "(สถานะ “ส่งแล้ว รอตรวจรับ”)",
                "รายงานความก้าวหน้าฉบับที่ 4 กำหนดส่ง 31 ธันวาคม พ.ศ. 2570 ยังไม่ได้รับการตรวจรับ "
                "(สถานะ “รอส่ง”)",
            ]
        )
        expect(
            main.get_by_role("link", name=in_thai("Settle and close the agreement"))
        ).to_have_count(0)
        expect(settle).not_to_contain_text("2027")
        reports = main.get_by_role("region", name=in_thai("Progress reports"))
        expect(reports.get_by_role("row").nth(1)).to_contain_text(in_thai("More than paid"))
        assert_accessible(page, "agreement page, settlement refused (officer, Thai)")
        fits_390_pixels("the agreement page with its refusal and flags")
        sign_out()

        # --- the organisation states it spent 200,000.00 of the 114,012.00 paid -----------
        sign_in(member)
        page.goto(detail)
        statement = main.get_by_role("region", name=in_thai("State the settlement"))
        statement.get_by_label(in_thai("Total spent (baht)")).fill("200,000.00")
        activate(statement.get_by_role("button", name=in_thai("Save the settlement")))
        expect(main.get_by_role("status")).to_be_visible()
        settlement = main.get_by_role("region", name=in_thai("Settlement"))
        expect(settlement).to_contain_text("114,012.00")
        expect(settlement).to_contain_text("200,000.00")
        uncovered = settlement.locator("div").filter(has_text=in_thai("Spent beyond what was paid"))
        expect(uncovered).to_contain_text("85,988.00")
        assert_accessible(page, "agreement page with an overspent settlement (CSO, Thai)")
        sign_out()

        # --- the reports accepted, the officer settles -------------------------------------
        send_reports(agreement, due_before=timezone.localdate(), accept=True)
        sign_in(officer)
        page.goto(detail)
        expect(main.get_by_role("region", name=in_thai("Settlement"))).to_contain_text("85,988.00")
        activate(main.get_by_role("link", name=in_thai("Settle and close the agreement")))
        fits_390_pixels("the settle confirmation page")
        activate(main.get_by_role("button", name=in_thai("Yes, settle and close the agreement")))
        expect(main.get_by_role("status")).to_be_visible()
        assert Agreement.objects.get(pk=agreement.pk).status == "settled"
        assert_accessible(page, "agreement page (settled, officer, Thai)")
        statement = page.request.get(f"/agreements/{agreement.pk}/settlement.pdf")
        assert statement.status == 200
        assert statement.headers["content-type"] == "application/pdf"
