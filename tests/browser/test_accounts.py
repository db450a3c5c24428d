"""A colleague's invitation accepted and a password reset, in a real Thai browser, by
keyboard, with axe on each page."""

import re

import pytest
from django.core import mail

from portal.invitations import services as invitation_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.browser
def test_a_colleague_accepts_an_invitation_by_signing_up(transactional_db, live_server, page):
    from playwright.sync_api import expect

    from tests.browser.helpers import PASSWORD, activate, assert_accessible

    cso = factories.CSOFactory(status="approved")
    signatory = cso.members.get()
    _invitation, token = invitation_services.invitation_create(
        inviter=signatory, email="kanya@example.org", role="member", cso_id=cso.pk
    )
    main = page.get_by_role("main")

    page.goto(f"/invitations/{token}/")
    expect(main.get_by_role("heading", level=1)).to_contain_text(cso.name_th)
    expect(page.get_by_label(re.compile(r"^อีเมล\s*\*?$"))).to_have_value("kanya@example.org")
    assert_accessible(page, "the invitation")
    page.get_by_label("ชื่อผู้ใช้").fill("kanya")
    page.get_by_label(re.compile(r"^รหัสผ่าน\s*\*?$")).fill("short")
    page.get_by_label("ยืนยันรหัสผ่าน").fill("short")
    activate(main.get_by_role("button", name="สร้างบัญชีและเข้าร่วม"))
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("ชื่อผู้ใช้")).to_have_value("kanya")
    assert_accessible(page, "the invitation with errors")

    page.get_by_label(re.compile(r"^รหัสผ่าน\s*\*?$")).fill(PASSWORD)
    page.get_by_label("ยืนยันรหัสผ่าน").fill(PASSWORD)
    activate(main.get_by_role("button", name="สร้างบัญชีและเข้าร่วม"))
    expect(page).to_have_url(re.compile(r"/colleagues/$"))
    expect(main.get_by_role("table").first).to_contain_text("kanya@example.org")
    expect(main.get_by_role("table").first).to_contain_text(signatory.email)
    assert_accessible(page, "the colleagues page")

    # The link works once.
    page.goto(f"/invitations/{token}/")
    expect(main).to_contain_text("คำเชิญนี้ถูกใช้ไปแล้ว")


@pytest.mark.browser
def test_a_password_reset_by_email(transactional_db, live_server, page, settings):
    from playwright.sync_api import expect

    from tests.browser.helpers import PASSWORD, activate, assert_accessible

    settings.PORTAL_BASE_URL = live_server.url
    user = factories.MemberFactory(email="somsri@example.org")
    main = page.get_by_role("main")

    page.goto("/accounts/login/")
    activate(main.get_by_role("link", name="ลืมรหัสผ่าน?"))
    expect(main.get_by_role("heading", level=1)).to_have_text("ตั้งรหัสผ่านใหม่")
    assert_accessible(page, "the reset form")
    page.get_by_label("อีเมล").fill("somsri@example.org")
    activate(main.get_by_role("button", name="ส่งลิงก์ทางอีเมล"))
    expect(main.get_by_role("heading", level=1)).to_have_text("โปรดตรวจสอบอีเมลของท่าน")
    assert_accessible(page, "the reset sent page")

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_label(re.compile(r"^รหัสผ่านใหม่\s*\*?$")).fill(PASSWORD)
    page.get_by_label("รหัสผ่านใหม่อีกครั้ง").fill(PASSWORD)
    assert_accessible(page, "the new password form")
    activate(main.get_by_role("button", name="บันทึกรหัสผ่านใหม่"))
    expect(main.get_by_role("heading", level=1)).to_have_text("ตั้งรหัสผ่านใหม่แล้ว")

    activate(main.get_by_role("link", name="ลงชื่อเข้าใช้"))
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label(re.compile(r"^รหัสผ่าน\s*\*?$")).fill(PASSWORD)
    activate(main.get_by_role("button", name="ลงชื่อเข้าใช้"))
    expect(page.get_by_role("banner")).to_contain_text(user.username)
