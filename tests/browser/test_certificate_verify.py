"""The public certificate verification page in a real browser: typed from the keyboard,
read by a screen reader (axe-core: no serious or critical violation), Thai dates in B.E."""

import pytest

from tests.browser.helpers import activate, assert_accessible


@pytest.mark.browser
def test_anyone_verifies_a_certificate_by_its_number(transactional_db, live_server, page):
    from playwright.sync_api import expect

    from csos.models import CSO
    from tests import factories

    approved = factories.CSOFactory(status=CSO.Status.APPROVED, name_th="มูลนิธิตรวจสอบได้")
    suspended = factories.CSOFactory(status=CSO.Status.SUSPENDED, name_th="สมาคมพักใช้")

    page.goto("/verify/")
    expect(
        page.get_by_role("heading", level=1, name="ตรวจสอบหนังสือรับรองการขึ้นทะเบียน")
    ).to_be_visible()
    assert_accessible(page, "verify (empty)")

    # Typed in lower case, sent with Enter.
    page.get_by_label("เลขที่หนังสือรับรอง").fill(approved.certificate_number.lower())
    activate(page.get_by_role("button", name="ตรวจสอบ"))
    result = page.get_by_role("heading", level=2)
    expect(result).to_have_text(f"หนังสือรับรองเลขที่ {approved.certificate_number} ยังมีผลใช้ได้")
    expect(page.get_by_role("main")).to_contain_text("มูลนิธิตรวจสอบได้")
    expect(page.get_by_role("main")).to_contain_text("พ.ศ. 25")
    assert_accessible(page, "verify (valid)")

    page.goto(f"/verify/{suspended.certificate_number}/")
    expect(result).to_have_text(f"หนังสือรับรองเลขที่ {suspended.certificate_number} ถูกพักใช้")
    assert_accessible(page, "verify (suspended)")

    page.get_by_label("เลขที่หนังสือรับรอง").fill("NCCS-2500-999999")
    activate(page.get_by_role("button", name="ตรวจสอบ"))
    expect(result).to_have_text("ไม่พบหนังสือรับรองเลขที่ NCCS-2500-999999")
    assert_accessible(page, "verify (not found)")
