"""A consultation from start to end, in Thai: an officer opens one with two questions and
publishes it; a citizen on a phone 390 px wide answers and argues for another citizen's idea;
a third citizen reports that argument; the officer, as moderator, hides it with a reason; then
closes the consultation, names a theme, writes the response report and publishes it. axe
passes on each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py.
"""

import datetime
import re

import pytest

from tests.browser.helpers import assert_accessible, fill_date
from tests.factories import PASSWORD


def _sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="ลงชื่อเข้าใช้").click()


def _moment(main, legend, when):
    fill_date(
        main,
        legend,
        {
            "วัน": str(when.day),
            "ปี (พ.ศ.)": str(when.year + 543),
            "ชั่วโมง": f"{when.hour:02d}",
            "นาที": f"{when.minute:02d}",
        },
    )
    group = main.get_by_role("group", name=legend)
    group.get_by_label("เดือน", exact=True).select_option(str(when.month))


@pytest.mark.browser
def test_an_officer_consults_citizens_take_part_and_the_agency_answers(
    transactional_db, live_server, page
):
    from django.utils import timezone
    from playwright.sync_api import expect

    from agencies.consultations import services
    from agencies.consultations.models import Consultation, Contribution, Response
    from tests.factories import OfficerFactory, citizen

    officer = OfficerFactory()
    main = page.get_by_role("main")

    # The officer opens and publishes the consultation.
    _sign_in(page, officer)
    page.goto("/consultations/new/")
    main.get_by_label("ชื่อเรื่อง").fill("รับฟังความคิดเห็นเรื่องรถโดยสารในชุมชน")
    main.get_by_label("สรุปด้วยภาษาที่เข้าใจง่าย").fill("หน่วยงานจะปรับเส้นทางเดินรถในปีหน้า")
    now = timezone.localtime().replace(second=0, microsecond=0)
    _moment(main, "เปิดรับฟังความคิดเห็นตั้งแต่", now - datetime.timedelta(hours=1))
    _moment(main, "ปิดรับฟังความคิดเห็นเมื่อ", now + datetime.timedelta(days=14))
    assert_accessible(page, "consultation form")
    main.get_by_role("button", name="บันทึกและดำเนินการต่อ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ตั้งค่า")
    main.get_by_label("ประเภทคำถาม").select_option("text")
    main.get_by_label(re.compile("^คำถาม")).fill("ท่านอยากให้ปรับปรุงบริการอย่างไร")
    main.get_by_role("button", name="เพิ่มคำถาม").click()
    main.get_by_label("ประเภทคำถาม").select_option("single")
    main.get_by_label(re.compile("^คำถาม")).fill("ท่านใช้บริการบ่อยเพียงใด")
    main.get_by_label("ตัวเลือก บรรทัดละหนึ่งตัวเลือก").fill("ทุกวัน\nนาน ๆ ครั้ง")
    main.get_by_role("button", name="เพิ่มคำถาม").click()
    assert_accessible(page, "questions")
    main.get_by_role("link", name="เผยแพร่").click()
    main.get_by_role("button", name="เผยแพร่").click()
    consultation = Consultation.objects.get()
    assert consultation.status == "published"
    assert consultation.questions.count() == 2

    # Another citizen's idea is already in the thread.
    idea = services.contribution_add(
        consultation=consultation,
        author=citizen(),
        data={"kind": "idea", "text": "เพิ่มรถรอบเช้าเวลาหกโมง"},
    )

    # A citizen on a phone answers, then argues for the idea.
    person = citizen()
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, person)
    page.goto(f"/consultations/{consultation.pk}/")
    assert_accessible(page, "consultation page")
    main.get_by_role("link", name="ตอบคำถาม").click()
    main.get_by_label("ท่านอยากให้ปรับปรุงบริการอย่างไร").fill("อยากให้รถมาตรงเวลา")
    main.get_by_label("ทุกวัน").check()
    assert_accessible(page, "answering")
    main.get_by_role("button", name="ส่งคำตอบ").click()
    expect(main).to_contain_text("ท่านส่งคำตอบเมื่อ")
    assert Response.objects.get(respondent=person).status == "sent"
    main.get_by_role("link", name="อ่านและร่วมอภิปราย").click()
    thread = main.locator(f"#c{idea.pk}").locator("xpath=..")
    thread.get_by_text("ตอบกลับ: เหตุผลสนับสนุนหรือคัดค้าน หรือคำถาม").click()
    thread.get_by_label("เหตุผลสนับสนุน").check()
    thread.get_by_label("คำตอบกลับของท่าน").fill("คนทำงานจะได้ไปทันเวลา โทร 081-234-5678")
    assert_accessible(page, "discussion")
    thread.get_by_role("button", name="ตอบกลับ").click()
    expect(main).to_contain_text("คนทำงานจะได้ไปทันเวลา")
    argument = Contribution.objects.get(kind="pro")
    assert argument.parent == idea and argument.author == person

    # A third citizen reports it: it holds a phone number.
    _sign_in(page, citizen())
    page.goto(f"/consultations/{consultation.pk}/discussion/")
    main.locator(f"#c{argument.pk}").get_by_role("link", name="แจ้งผู้ดูแล", exact=True).click()
    main.get_by_label("มีข้อมูลส่วนบุคคล").check()
    assert_accessible(page, "report")
    main.get_by_role("button", name="แจ้งผู้ดูแล", exact=True).click()
    expect(main).to_contain_text("ขอบคุณ ผู้ดูแลจะตรวจสอบ")

    # The officer moderates, closes, and answers.
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, officer)
    page.goto(f"/consultations/{consultation.pk}/moderation/")
    assert_accessible(page, "moderation queue")
    expect(main).to_contain_text("081-234-5678")
    main.get_by_label("เหตุผลที่แสดงแทนข้อความ").select_option("personal_data")
    main.get_by_role("button", name="ซ่อน").click()
    expect(main).to_contain_text("ซ่อนความคิดเห็นแล้ว")
    page.goto(f"/consultations/{consultation.pk}/discussion/")
    expect(main).to_contain_text("ผู้ดูแลซ่อนไว้: มีข้อมูลส่วนบุคคล")
    expect(main).not_to_contain_text("081-234-5678")

    page.goto(f"/consultations/{consultation.pk}/close/")
    main.get_by_role("button", name="ปิด", exact=True).click()
    main.get_by_role("link", name="วิเคราะห์: ประเด็น").click()
    main.get_by_label("ประเด็นใหม่").fill("รอบรถตอนเช้า")
    main.get_by_role("button", name="เพิ่มประเด็น").click()
    card = main.locator(f"#c{idea.pk}")
    card.get_by_label("รอบรถตอนเช้า").check()
    card.get_by_role("button", name="บันทึกประเด็น").click()
    assert_accessible(page, "analysis")
    main.get_by_role("link", name="เขียนรายงานตอบผล").click()
    main.get_by_label("สิ่งที่เราได้ยิน").fill("ประชาชนต้องการรถรอบเช้า")
    main.get_by_label("ผลการพิจารณา").select_option("will_do")
    main.get_by_label("สิ่งที่เราจะทำ หรือเหตุผลที่ไม่ทำ").fill("เพิ่มรอบ 06:00 ตั้งแต่เดือนหน้า")
    main.get_by_label("เพิ่มรถรอบเช้าเวลาหกโมง").check()
    assert_accessible(page, "response report form")
    main.get_by_role("button", name="บันทึกรายงาน").click()
    main.get_by_role("link", name="เผยแพร่รายงาน").click()
    main.get_by_role("button", name="เผยแพร่").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("สิ่งที่เราได้ยิน สิ่งที่เราจะทำ")
    expect(main).to_contain_text("เพิ่มรอบ 06:00 ตั้งแต่เดือนหน้า")
    assert_accessible(page, "response report")
    consultation.refresh_from_db()
    assert consultation.status == "reported"
