"""Asking for more information, in Thai: the officer, on a desktop screen, sends questions
about the project document with a reply-by date; the organisation's member, on a phone
390 px wide, finds the questions, changes the one part opened, and sends the proposal again
with an answer; the officer reads the answer and what changed, word by word. axe passes on
each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py."""

import datetime
import re

import pytest

from tests.browser.helpers import activate, assert_accessible, fill_thai_moment, sign_in


@pytest.mark.browser
def test_the_agency_asks_and_the_organisation_answers(transactional_db, live_server, page):
    from django.utils import timezone
    from playwright.sync_api import expect

    from contracts.proposals.models import Proposal
    from tests.factories import OfficerFactory, make_call

    officer = OfficerFactory()
    call, (proposal,) = make_call(officer, n=1)
    main = page.get_by_role("main")

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, officer)
    page.goto(f"/proposals/{proposal.pk}/decide/")
    expect(main.get_by_role("heading", name="ขอข้อมูลเพิ่มเติม")).to_be_visible()
    main.get_by_label("คำถามถึงองค์กร").fill("โปรดแยกแผนงานเป็นรายเดือน")
    due = timezone.localtime(timezone.now() + datetime.timedelta(days=10))
    fill_thai_moment(main, "ตอบภายใน", due)
    parts = main.get_by_role("group", name=re.compile("^ส่วนที่องค์กรแก้ไขได้"))
    parts.get_by_label("เอกสารโครงการ", exact=True).check()
    assert_accessible(page, "the decide page")
    activate(main.get_by_role("button", name="ส่งคำถาม", exact=True))
    expect(page.get_by_text("ส่งคำถามแล้ว องค์กรแก้ไขส่วนที่ถูกถามได้")).to_be_visible()
    expect(main.get_by_text("รอคำตอบจากองค์กร")).to_be_visible()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.INFO_REQUESTED

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, proposal.cso.members.first())
    page.goto(f"/proposals/{proposal.pk}/")
    expect(
        main.get_by_role("heading", name="หน่วยงานขอข้อมูลเพิ่มเติมเกี่ยวกับข้อเสนอของท่าน")
    ).to_be_visible()
    expect(main.get_by_text("โปรดแยกแผนงานเป็นรายเดือน").first).to_be_visible()
    expect(main.get_by_role("link", name="งบประมาณ", exact=True)).to_have_count(0)
    assert_accessible(page, "the task list while answering")
    main.get_by_role("link", name="เอกสารโครงการ", exact=True).click()
    main.get_by_label("เอกสารโครงการ").fill("แผนงานรายเดือน: มกราคม อบรมอาสาสมัคร")
    activate(main.get_by_role("button", name="บันทึกและกลับไปยังรายการส่วนที่ต้องกรอก"))
    main.get_by_role("link", name="ตรวจสอบและส่งคำตอบ").click()
    assert_accessible(page, "the check page with the answer")
    main.get_by_label("คำตอบของท่านต่อคำถามของหน่วยงาน").fill("แยกแผนรายเดือนแล้ว")
    activate(main.get_by_role("button", name="ส่งคำตอบพร้อมข้อเสนอ"))
    expect(page.get_by_text("ส่งคำตอบพร้อมข้อเสนอแล้ว และแจ้งหน่วยงานแล้ว")).to_be_visible()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, officer)
    page.goto(f"/proposals/{proposal.pk}/")
    expect(main.get_by_text("แยกแผนรายเดือนแล้ว")).to_be_visible()
    main.get_by_role("link", name="ดูสิ่งที่เปลี่ยนแปลง").click()
    expect(main.get_by_role("heading", name="ฉบับที่ 1: ก่อนหน่วยงานขอข้อมูลเพิ่มเติม")).to_be_visible()
    expect(main.locator("ins").filter(has_text="อบรม").first).to_be_visible()
    assert_accessible(page, "what the answer changed")
