"""The province picker in a real browser: the search box portal.js adds hides the provinces
that do not match, the region boxes stay reachable from the keyboard, axe finds nothing
serious."""

import pytest

from tests.browser.helpers import activate, assert_accessible, tick


@pytest.mark.browser
def test_search_and_a_whole_region_in_the_directory_filter(transactional_db, live_server, page):
    from playwright.sync_api import expect

    from csos.models import CSO
    from tests import factories

    factories.CSOFactory(
        status=CSO.Status.APPROVED, name_th="กลุ่มภูเก็ตรักษ์ทะเล", service_provinces=["83"]
    )
    factories.CSOFactory(
        status=CSO.Status.APPROVED, name_th="กลุ่มลำปางรักษ์ป่า", service_provinces=["52"]
    )

    page.goto("/csos/")
    assert_accessible(page, "directory with the province picker")
    search = page.get_by_label("ค้นหาจังหวัด")
    search.fill("ภูเก็ต")
    expect(page.get_by_label("ภูเก็ต", exact=True)).to_be_visible()
    expect(page.get_by_label("ลำปาง", exact=True)).to_be_hidden()
    expect(page.get_by_role("group", name="ภาคเหนือ")).to_be_hidden()
    search.fill("ไม่มีจังหวัดนี้")
    expect(page.get_by_text("ไม่พบจังหวัดที่ตรงกับคำค้น")).to_be_visible()
    search.fill("")

    tick(page.get_by_label("ทุกจังหวัดในภาคใต้"))
    activate(page.get_by_role("button", name="ค้นหา", exact=True))
    main = page.get_by_role("main")
    expect(main).to_contain_text("กลุ่มภูเก็ตรักษ์ทะเล")
    expect(main).not_to_contain_text("กลุ่มลำปางรักษ์ป่า")
    expect(page.get_by_label("ทุกจังหวัดในภาคใต้")).to_be_checked()
    assert_accessible(page, "directory filtered by a region")
