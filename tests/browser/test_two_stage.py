"""A two-stage call in Thai: the officer answers the concept notes on a desktop screen
(inviting one with a note and a deadline, declining the other with a reason), checks and
confirms; the invited organisation's member, on a phone 390 px wide, finds the invitation,
the full proposal's task list starting from the concept note, and version 1 with what has
changed since. axe passes on each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py."""

import datetime
import re

import pytest

from tests.browser.helpers import activate, assert_accessible, fill_thai_moment, sign_in


@pytest.mark.browser
def test_a_concept_note_is_invited_to_a_full_proposal(transactional_db, live_server, page):
    from django.utils import timezone
    from playwright.sync_api import expect

    from contracts.proposals.models import Proposal
    from tests.factories import OfficerFactory, two_stage_call

    officer = OfficerFactory()
    call, (chosen, other) = two_stage_call(officer=officer)
    main = page.get_by_role("main")

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, officer)
    page.goto(f"/calls/{call.pk}/")
    main.get_by_role("link", name="แนวคิดโครงการ", exact=True).click()
    assert_accessible(page, "concept notes")
    invite = main.get_by_role("group", name=re.compile(re.escape(chosen.title)))
    invite.get_by_label("เชิญให้ส่งข้อเสนอฉบับเต็ม", exact=True).check()
    invite.get_by_role("textbox").fill("เพิ่มแผนอบรมอาสาสมัคร")
    decline = main.get_by_role("group", name=re.compile(re.escape(other.title)))
    decline.get_by_label("ปฏิเสธ", exact=True).check()
    decline.get_by_role("textbox").fill("พื้นที่บริการซ้ำกับโครงการเดิม")
    due = timezone.localtime(timezone.now() + datetime.timedelta(days=21))
    fill_thai_moment(main, "กำหนดส่งข้อเสนอฉบับเต็ม", due)
    activate(main.get_by_role("button", name="ตรวจสอบคำตอบ"))
    expect(main.get_by_role("heading", name="ยืนยันคำตอบเหล่านี้")).to_be_visible()
    assert_accessible(page, "confirm the answers")
    activate(main.get_by_role("button", name="ยืนยันคำตอบ", exact=True))
    expect(page.get_by_text("เชิญให้ส่งข้อเสนอฉบับเต็ม 1 ราย และปฏิเสธ 1 ราย")).to_be_visible()
    assert Proposal.objects.get(pk=chosen.pk).stage == Proposal.Stage.FULL

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, chosen.cso.members.first())
    page.goto(f"/proposals/{chosen.pk}/")
    expect(main.get_by_role("heading", name="ได้รับเชิญให้ส่งข้อเสนอฉบับเต็ม")).to_be_visible()
    expect(main.get_by_text("ข้อความจากหน่วยงาน: เพิ่มแผนอบรมอาสาสมัคร")).to_be_visible()
    expect(main.get_by_role("link", name="งบประมาณ", exact=True)).to_be_visible()
    assert_accessible(page, "the invited full proposal")
    main.get_by_role("link", name="ฉบับที่ 1: แนวคิดโครงการ").click()
    expect(main.get_by_role("heading", name="ฉบับที่ 1: แนวคิดโครงการ")).to_be_visible()
    assert_accessible(page, "version 1")
