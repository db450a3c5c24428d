"""In a real Thai browser: an officer creates a call typing its opening and closing as day,
Thai month name, พ.ศ. year and 24-hour time; a year typed in C.E. is caught on its box with
the B.E. year meant, what was typed stays, and every page passes axe.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.dates import MONTHS

from tests.browser.helpers import activate, assert_accessible, fill_date
from tests.factories import PASSWORD

CALL_TITLE = "ทุนศูนย์ดูแลผู้สูงอายุกลางวัน"


def thai_month(month: int) -> str:
    with translation.override("th"):
        return str(MONTHS[month])


@pytest.mark.browser
def test_a_call_created_with_thai_dates(transactional_db, live_server, page):
    from playwright.sync_api import expect

    from contracts.calls.models import Call
    from tests.factories import MissionFactory, OfficerFactory

    officer = OfficerFactory(username="officer-dates")
    mission = MissionFactory(officer=officer)
    main = page.get_by_role("main")

    page.goto("/")
    activate(page.get_by_role("banner").get_by_role("link", name="ลงชื่อเข้าใช้"))
    page.get_by_label("ชื่อผู้ใช้").fill(officer.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    activate(main.get_by_role("button", name="ลงชื่อเข้าใช้"))

    page.goto(f"/missions/{mission.pk}/calls/new/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    opens_group = page.get_by_role("group", name=re.compile("^วันเวลาเปิดรับข้อเสนอ"))
    expect(opens_group).to_contain_text("ปีเป็นพุทธศักราช (พ.ศ.)")  # the hint names the era
    expect(opens_group.get_by_label("ปี (พ.ศ.)", exact=True)).to_be_visible()
    assert page.locator("input[type=date], input[type=datetime-local]").count() == 0
    assert_accessible(page, "new call form (Thai)")

    page.get_by_label("รูปแบบการสนับสนุน").select_option(label="เงินอุดหนุน")
    page.locator("#id_title").fill(CALL_TITLE)
    page.get_by_label("วงเงินสูงสุด (บาท)").fill("300,000.00")
    page.get_by_label("วิธีคิดต้นทุน").select_option(index=1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    closing = tomorrow + datetime.timedelta(days=30)
    fill_date(
        page,
        "วันเวลาเปิดรับข้อเสนอ",
        {
            "วัน": str(tomorrow.day),
            "เดือน": thai_month(tomorrow.month),
            "ปี (พ.ศ.)": str(tomorrow.year),  # typed in C.E. by mistake
            "ชั่วโมง": "09",
            "นาที": "30",
        },
    )
    fill_date(
        page,
        "วันเวลาปิดรับข้อเสนอ",
        {
            "วัน": str(closing.day),
            "เดือน": thai_month(closing.month),
            "ปี (พ.ศ.)": str(closing.year + 543),
            "ชั่วโมง": "16",
            "นาที": "30",
        },
    )
    activate(page.get_by_role("button", name="บันทึกและดูตัวอย่าง"))

    # Caught on the year box, with the B.E. year meant; nothing typed is lost.
    summary = page.get_by_role("alert").filter(has_text="พบข้อผิดพลาด")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(f"ท่านหมายถึง {tomorrow.year + 543} ใช่หรือไม่")
    year = opens_group.get_by_label("ปี (พ.ศ.)", exact=True)
    expect(year).to_have_attribute("aria-invalid", "true")
    expect(year).to_have_value(str(tomorrow.year))
    expect(opens_group.get_by_label("วัน", exact=True)).to_have_value(str(tomorrow.day))
    expect(opens_group.get_by_label("วัน", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(opens_group.get_by_label("เดือน", exact=True)).to_have_value(str(tomorrow.month))
    expect(page.locator("#id_title")).to_have_value(CALL_TITLE)
    assert_accessible(page, "new call form with a C.E. year (Thai)")

    activate(summary.get_by_role("link", name=re.compile("วันเวลาเปิดรับข้อเสนอ")))
    expect(year).to_be_focused()
    year.fill(str(tomorrow.year + 543))
    activate(page.get_by_role("button", name="บันทึกและดูตัวอย่าง"))

    expect(page.get_by_role("heading", level=1, name=CALL_TITLE)).to_be_visible()
    call = Call.objects.get(title=CALL_TITLE)
    opens = timezone.localtime(call.opens_at)
    assert (opens.date(), opens.hour, opens.minute) == (tomorrow, 9, 30)
    be_opens = f"{tomorrow.day} {thai_month(tomorrow.month)} พ.ศ. {tomorrow.year + 543}"
    expect(main).to_contain_text(f"{be_opens} เวลา 09:30 น.")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", main.inner_text())
    assert_accessible(page, "call preview with Thai dates")
