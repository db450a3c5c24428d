"""A committee reviewer, on a phone 390 px wide, in Thai: the first sign-in sends them to set
up two-factor sign-in (a QR code and the key to type), a code from the app turns it on and
shows ten recovery codes once (downloadable as .txt); the next sign-in asks for the code on
its own page, refuses a wrong one with the reason, and lets the right one in. Keyboard only,
axe on every page, nothing wider than the screen."""

import re

import pytest

from tests.browser.helpers import activate, assert_accessible
from tests.factories import PASSWORD

WIDTH = 390
CODE_LABEL = re.compile(r"^รหัส\s*\*?$")


def assert_fits(page, where):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{where} is {width}px wide on a {WIDTH}px phone"


@pytest.mark.browser
def test_a_reviewer_sets_up_two_factor_and_signs_in_with_the_code(
    transactional_db, live_server, page, settings
):
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import expect

    from tests.factories import ReviewerFactory
    from tests.helpers import totp_code

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below does not make the test wait
    page.set_viewport_size({"width": WIDTH, "height": 844})
    reviewer = ReviewerFactory(username="reviewer-malee")
    main = page.get_by_role("main")

    def sign_in():
        page.goto("/accounts/login/")
        page.get_by_label("ชื่อผู้ใช้").fill(reviewer.username)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        activate(main.get_by_role("button", name="ลงชื่อเข้าใช้"))

    # First sign-in: straight to the set-up, whatever page was asked for.
    sign_in()
    page.goto("/review/csos/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ตั้งค่าการยืนยันตัวตนสองขั้นตอน")
    expect(main.get_by_role("img", name="คิวอาร์โค้ดสำหรับสแกนด้วยแอปยืนยันตัวตน")).to_be_visible()
    key = main.locator("#secret-key").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", key)
    assert_accessible(page, "the two-factor set-up")
    assert_fits(page, "the two-factor set-up")

    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    page.get_by_label("รหัสจากแอป").fill(totp_code(device))
    activate(main.get_by_role("button", name="ยืนยันและเปิดใช้"))

    expect(page.get_by_role("heading", level=1)).to_have_text("เปิดการยืนยันตัวตนสองขั้นตอนแล้ว")
    codes = main.get_by_role("region", name="รหัสกู้คืนของท่าน").get_by_role("listitem")
    expect(codes).to_have_count(10)
    first_code = codes.first.inner_text()
    with page.expect_download() as download:
        activate(main.get_by_role("link", name="ดาวน์โหลดเป็นไฟล์ข้อความ"))
    assert download.value.suggested_filename == "recovery-codes.txt"
    with open(download.value.path(), encoding="utf-8") as saved:
        assert first_code in saved.read()
    assert_accessible(page, "the recovery codes")
    assert_fits(page, "the recovery codes")
    activate(main.get_by_role("link", name="เก็บรหัสแล้ว ดำเนินการต่อ"))
    expect(page).to_have_url(re.compile(r"/review/csos/$"))  # where they were going

    # The next sign-in asks for the code on a page of its own.
    activate(page.get_by_role("button", name="ออกจากระบบ"))
    sign_in()
    expect(page.get_by_role("heading", level=1)).to_have_text("รหัสเข้าสู่ระบบ")
    assert_accessible(page, "the code step")
    assert_fits(page, "the code step")

    page.get_by_label(CODE_LABEL).fill("000000")
    activate(main.get_by_role("button", name="ลงชื่อเข้าใช้"))
    expect(page.locator("#error-summary")).to_contain_text("รหัสไม่ถูกต้องหรือหมดอายุแล้ว")
    expect(page.get_by_label(CODE_LABEL)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the code step with a wrong code")

    device.refresh_from_db()
    page.get_by_label(CODE_LABEL).fill(totp_code(device, steps_ahead=1))
    activate(main.get_by_role("button", name="ลงชื่อเข้าใช้"))
    expect(page.get_by_role("heading", level=1, name="งานที่รอท่าน")).to_be_visible()
