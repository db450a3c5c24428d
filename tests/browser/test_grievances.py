"""A citizen's grievance from start to end, on a phone 390 px wide, in Thai: the citizen files
a complaint about a funded project with a photo and no account, the verifier routes it, the
agency's officer answers, and the citizen reads the answer by the tracking id and says it is
resolved. axe passes on each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py.
"""

import datetime
import re
from pathlib import Path

import pytest

from portal.twofactor.permissions import two_factor_required
from tests.browser.helpers import assert_accessible, fill_date, give_two_factor_code
from tests.factories import PASSWORD
from tests.helpers import totp_device_for

PHOTO = Path(__file__).resolve().parent.parent / "files" / "photo.jpg"


def _sign_in(page, user):
    """Through the form; staff (who must use two-factor sign-in) give their app's code."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="ลงชื่อเข้าใช้").click()
    if two_factor_required(user):
        give_two_factor_code(page, user)


@pytest.mark.browser
def test_a_citizen_files_follows_and_closes_a_grievance_on_a_phone(
    transactional_db, live_server, page
):
    from django.utils import timezone
    from playwright.sync_api import expect

    from assessments.grievances.models import Grievance
    from tests.factories import StaffAdminFactory, award

    project = award()
    officer = project.proposal.call.created_by
    verifier = StaffAdminFactory()
    totp_device_for(verifier)  # the verifier's authenticator app
    page.set_viewport_size({"width": 390, "height": 844})
    main = page.get_by_role("main")

    # The citizen, without an account.
    page.goto("/grievances/")
    assert_accessible(page, "grievances home")
    main.get_by_role("link", name="แจ้งเรื่องร้องเรียน").click()
    main.get_by_label("ร้องเรียน", exact=True).check()
    main.get_by_label("ชื่อเรื่อง").fill("ผู้ดูแลไม่มาเยี่ยมตามนัด")
    main.get_by_label("เกิดอะไรขึ้น").fill("รอทั้งวันแต่ไม่มีใครมา")
    day = timezone.localdate() - datetime.timedelta(days=2)
    fill_date(main, "วันที่เกิดเหตุ", {"วัน": str(day.day), "ปี (พ.ศ.)": str(day.year + 543)})
    main.get_by_label("เดือน").select_option(str(day.month))
    main.get_by_label("จังหวัด").select_option("10")
    main.get_by_label("โครงการที่ได้รับทุนที่เกี่ยวข้อง").select_option(str(project.pk))
    main.get_by_label("รูปภาพหรือเอกสาร").set_input_files(str(PHOTO))
    main.get_by_label("ชื่อของท่าน").fill("สมชาย รักดี")
    assert_accessible(page, "filing form")
    main.get_by_role("button", name="ส่ง", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("ได้รับเรื่องร้องเรียนของท่านแล้ว")
    codes = main.locator("strong.code").all_inner_texts()
    tracking_id, reply_code = codes[0], codes[1]
    assert_accessible(page, "filed")
    grievance = Grievance.objects.get(tracking_id=tracking_id)
    assert grievance.attachments.count() == 1

    # The verifier routes it.
    _sign_in(page, verifier)
    page.goto(f"/grievances/handle/{grievance.pk}/")
    assert_accessible(page, "handling, verifier")
    main.get_by_role("button", name="ส่งต่อเรื่อง").click()
    expect(main).to_contain_text("ส่งต่อหน่วยงานแล้ว")

    # The agency's officer answers.
    _sign_in(page, officer)
    page.goto(f"/grievances/handle/{grievance.pk}/")
    main.get_by_role("textbox", name=re.compile("^คำตอบ")).fill("ส่งผู้ดูแลไปเยี่ยมแล้วเมื่อเช้านี้")
    assert_accessible(page, "handling, officer")
    main.get_by_role("button", name="ส่งคำตอบ").click()
    expect(main).to_contain_text("ตอบแล้ว")

    # The citizen reads the answer by the tracking id and says it is resolved.
    page.context.clear_cookies()
    page.goto("/grievances/")
    main.get_by_label("เลขติดตาม").fill(tracking_id.lower())
    main.get_by_role("button", name="แสดงสถานะ").click()
    expect(main).to_contain_text("ส่งผู้ดูแลไปเยี่ยมแล้วเมื่อเช้านี้")
    expect(main).not_to_contain_text("สมชาย")
    assert_accessible(page, "status page")
    asked = main.get_by_role("region", name="เรื่องนี้ได้รับการแก้ไขแล้วหรือไม่")
    asked.get_by_label("ใช่", exact=True).check()
    asked.get_by_label("รหัสตอบกลับของท่าน").fill(reply_code)
    asked.get_by_role("button", name="ส่งคำตอบของข้าพเจ้า").click()
    expect(main).to_contain_text("ขอบคุณ")
    expect(main).to_contain_text("ปิดเรื่อง")
    grievance.refresh_from_db()
    assert (grievance.status, grievance.resolved) == ("closed", "yes")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390
