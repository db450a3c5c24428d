"""An officer signs in, in Thai, and lands on what needs them: the agency's proposal waiting
for a decision, counted and dated in the Buddhist Era, one keyboard step from its page; the
page passes axe.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py.
"""

import pytest

from tests.browser.helpers import activate, assert_accessible
from tests.factories import PASSWORD


@pytest.mark.browser
def test_an_officer_lands_on_what_needs_them(transactional_db, live_server, page):
    from playwright.sync_api import expect

    from tests.factories import CallFactory, OfficerFactory, ProposalFactory

    officer = OfficerFactory(username="officer-somsri")
    call = CallFactory(officer=officer)
    proposal = ProposalFactory(call=call, status="submitted", title="โครงการเยี่ยมบ้านผู้สูงอายุ")
    main = page.get_by_role("main")

    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(officer.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    activate(main.get_by_role("button", name="ลงชื่อเข้าใช้"))

    expect(page.get_by_role("heading", level=1, name="งานที่รอท่าน")).to_be_visible()
    waiting = main.get_by_role("region", name="ข้อเสนอที่รอการตัดสิน (1)")
    expect(waiting).to_contain_text("พ.ศ. 25")
    calls = main.get_by_role("region", name="ประกาศที่จะปิดรับภายใน 30 วัน (1)")
    expect(calls).to_contain_text(call.title)
    assert_accessible(page, "what needs you")

    activate(waiting.get_by_role("link", name=proposal.title, exact=False))
    expect(page).to_have_url(f"{live_server.url}/proposals/{proposal.pk}/")


@pytest.mark.browser
def test_an_officer_reads_their_agencys_dashboard(transactional_db, live_server, page):
    from playwright.sync_api import expect

    from tests.factories import award

    agreement = award()
    officer = agreement.proposal.call.created_by
    main = page.get_by_role("main")

    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(officer.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    activate(main.get_by_role("button", name="ลงชื่อเข้าใช้"))
    activate(page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="แดชบอร์ด"))

    expect(page.get_by_role("heading", level=1)).to_contain_text(agreement.agency.name_th)
    money = main.get_by_role("region", name="เงินรายเดือน")
    expect(money.get_by_role("img", name="เงินรายเดือน")).to_be_visible()
    expect(money.get_by_role("table")).to_contain_text(f"{agreement.amount:,.2f}")
    expect(money.get_by_role("table")).to_contain_text("พ.ศ. 25")
    assert_accessible(page, "agency dashboard")
