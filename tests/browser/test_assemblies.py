"""A citizens' assembly on a phone 390 px wide, in Thai: a resident volunteers with the
keyboard (a missing answer is shown on its field and the choice kept), the organiser draws
the members, and anyone reads the draw and its record on the assembly's page. axe passes on
each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py."""

import pytest

from tests.browser.helpers import assert_accessible
from tests.factories import PASSWORD


def _sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="ลงชื่อเข้าใช้").click()


@pytest.mark.browser
def test_a_resident_volunteers_and_the_draw_is_published(transactional_db, live_server, page):
    from playwright.sync_api import expect

    from agencies.assemblies import services
    from agencies.assemblies.models import Volunteer
    from tests.factories import OfficerFactory, citizen

    officer = OfficerFactory()
    assembly = services.assembly_create(
        officer=officer,
        data={
            "title": "สมัชชาพลเมืองเรื่องฝุ่น PM2.5",
            "purpose": "ควรใช้งบลดฝุ่นอย่างไร",
            "seats": 2,
            "reserves": 1,
            "quotas": {"gender": {"หญิง": 1, "ชาย": 1}},
        },
    )
    page.set_viewport_size({"width": 390, "height": 844})
    main = page.get_by_role("main")
    resident = citizen()
    _sign_in(page, resident)
    page.goto(f"/assemblies/{assembly.pk}/")
    assert_accessible(page, "assembly page")
    main.get_by_role("button", name="สมัครเป็นอาสาสมัคร").click()
    expect(main.locator("#id_gender_error")).to_be_visible()  # no value chosen
    main.get_by_label("เพศ").select_option("หญิง")
    main.get_by_role("button", name="สมัครเป็นอาสาสมัคร").click()
    expect(main.get_by_role("heading", name="ท่านสมัครแล้ว")).to_be_visible()
    for gender in ("ชาย", "ชาย"):
        services.volunteer(person=citizen(), assembly=assembly, traits={"gender": gender})

    services.draw(officer=officer, assembly=assembly, seed="123456")
    page.goto(f"/assemblies/{assembly.pk}/")
    expect(main).to_contain_text("123456")
    assert_accessible(page, "drawn assembly")
    mine = Volunteer.objects.get(person=resident)
    assert mine.status == "member"  # the only woman fills the women's seat
    expect(main.get_by_role("heading", name="ท่านสมัครแล้ว")).to_be_visible()
    record = page.request.get(f"/assemblies/{assembly.pk}/draw.json").json()
    assert mine.number in record["members"]
