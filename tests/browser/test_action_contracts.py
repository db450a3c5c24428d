"""A public action contract on a phone 390 px wide, in Thai: a resident who is a certified
member of Chiang Mai's network finds the issue, signs for their party with the keyboard (the
missing confirmation is shown on its field and the typed name kept), then reports progress;
anyone reads the contract, and the steering committee's page. axe passes on each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py."""

import datetime

import pytest

from tests.browser.helpers import assert_accessible, tick
from tests.factories import PASSWORD


def _sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="ลงชื่อเข้าใช้").click()


@pytest.mark.browser
def test_a_resident_signs_the_contract_and_reports(transactional_db, live_server, page):
    from django.utils import timezone
    from playwright.sync_api import expect

    from csos.actioncontracts import services
    from csos.localissues import services as issues
    from csos.networks import services as networks
    from portal.models import Province
    from tests.factories import OfficerFactory, StaffAdminFactory, citizen

    manager = OfficerFactory()
    network = networks.network_create(
        actor=StaffAdminFactory(), province=Province.objects.get(code="50"), manager=manager
    )
    resident = citizen()
    member = networks.member_certify(
        manager=manager,
        member=networks.member_apply(
            person=resident,
            network=network,
            data={"kind": "person", "name": "ลุงดำ", "sector": "community", "resources": []},
        ),  # fmt: skip
    )
    steering = networks.group_set_up(manager=manager, network=network, kind="steering")
    networks.seat_add(manager=manager, group=steering, member=member, role="chair")
    issue = issues.issue_raise(
        person=resident, network=network,
        data={"title": "ฝุ่นควันทุกเดือนมีนาคม", "description": "ค่าฝุ่นเกินมาตรฐาน",
              "places": "อ.แม่แจ่ม"},
    )  # fmt: skip
    issues.issue_plan(
        manager=manager, issue=issue,
        data={"goals": "ลดการเผา", "results": "อากาศดีขึ้น", "approach": "รับซื้อเศษวัสดุ"},
    )  # fmt: skip
    contract = services.contract_draw_up(manager=manager, issue=issue, title="ข้อตกลงอากาศสะอาด")
    due = timezone.localdate() + datetime.timedelta(days=90)
    mine = services.party_add(
        manager=manager, contract=contract,
        data={"member": member, "commitments": "งดเผา 40 ไร่", "due_date": due},
    )  # fmt: skip
    district = services.party_add(
        manager=manager, contract=contract,
        data={"name": "อำเภอแม่แจ่ม", "commitments": "รับซื้อเศษวัสดุ", "due_date": due},
    )  # fmt: skip
    services.party_sign(
        actor=manager, party=district, signed_name="นายอำเภอ", confirm=True, on_paper=True
    )

    page.set_viewport_size({"width": 390, "height": 844})
    main = page.get_by_role("main")
    _sign_in(page, resident)
    page.goto("/networks/50/")
    assert_accessible(page, "network page")
    main.get_by_role("link", name="ฝุ่นควันทุกเดือนมีนาคม").click()
    assert_accessible(page, "issue page, to sign")
    name = main.get_by_label("ชื่อผู้ลงนาม")
    name.fill("ดำ ใจดี")
    name.press("Enter")  # submitted without the confirmation
    expect(main.locator(f"#id_sign-{mine.pk}-confirm_error")).to_be_visible()
    expect(main.get_by_label("ชื่อผู้ลงนาม")).to_have_value("ดำ ใจดี")
    tick(main.get_by_label("คู่ภาคียอมรับพันธกิจของตนในข้อตกลงนี้"))
    main.get_by_role("button", name="ลงนาม", exact=True).click()
    expect(main).to_contain_text("ลงนามเมื่อ")
    contract.refresh_from_db()
    assert contract.status == "signed"

    main.get_by_label("ความคืบหน้า").fill("งดเผาแล้ว 20 ไร่")
    main.get_by_role("button", name="รายงาน", exact=True).click()
    expect(main).to_contain_text("งดเผาแล้ว 20 ไร่")
    assert_accessible(page, "issue page, in progress")

    page.context.clear_cookies()
    page.goto("/networks/50/groups/steering/")
    expect(main).to_contain_text("ลุงดำ")
    assert_accessible(page, "steering committee")
