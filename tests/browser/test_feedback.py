"""A person served scans the charter's QR code on a phone (390 px, no account), rates the
service and sees the rating counted on the public report card, all from the keyboard (Space
picks a rating, the comment is typed, Enter sends and follows the link); axe finds nothing
serious on any of the pages."""

import pytest

from tests.browser.helpers import activate, assert_accessible, tick, type_into


@pytest.mark.browser
def test_scan_rate_and_see_it_counted_at_phone_width(transactional_db, live_server, page):
    from playwright.sync_api import expect

    from assessments.feedback import services
    from tests import factories

    agreement = factories.award()
    code = services.survey_ensure(agreement=agreement).code
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"/s/{code}/")  # what the QR code holds
    expect(page.get_by_role("heading", level=1, name="ประเมินบริการ")).to_be_visible()
    assert_accessible(page, "survey")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    overall = page.get_by_role("group", name="ภาพรวม")
    tick(overall.get_by_label("5 – ดีมาก"))
    tick(page.get_by_role("group", name="ความสุภาพของเจ้าหน้าที่").get_by_label("4 – ดี"))
    type_into(page.get_by_label("ท่านมีข้อคิดเห็นเพิ่มเติมหรือไม่ (ไม่บังคับ)"), "ผู้ดูแลมาตรงเวลา")
    activate(page.get_by_role("button", name="ส่งการประเมิน"))

    expect(page.get_by_role("heading", level=1)).to_have_text("ขอบคุณสำหรับการประเมินของท่าน")
    assert_accessible(page, "thanks")
    activate(page.get_by_role("link", name="ดูรายงานผล"))

    expect(page.get_by_role("heading", level=1)).to_have_text("รายงานผลการประเมินจากประชาชน")
    main = page.get_by_role("main")
    expect(main).to_contain_text("ผู้ดูแลมาตรงเวลา")
    table = page.get_by_role("table", name="คะแนนเฉลี่ย (1 ถึง 5) พร้อมช่วงความเชื่อมั่น 95 %")
    expect(table.get_by_role("row", name="ภาพรวม")).to_contain_text("5.00")
    expect(table.get_by_role("row", name="ความสุภาพของเจ้าหน้าที่")).to_contain_text("4.00")
    assert_accessible(page, "report card")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
