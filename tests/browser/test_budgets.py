"""Participatory budgeting on a phone 390 px wide, in Thai: a resident proposes a project;
the officer finds it feasible and opens the vote; another resident, with the keyboard only,
ticks projects and watches the budget bar (over the envelope it says so, and the server
refuses the same ballot), unticks one and votes within the envelope; the officer closes the
vote and the results page shows the winners with the full count. axe passes on each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py."""

import pytest

from tests.browser.helpers import activate, assert_accessible, tick
from tests.factories import PASSWORD


def _sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="ลงชื่อเข้าใช้").click()


@pytest.mark.browser
def test_residents_propose_and_vote_within_the_envelope_and_see_the_winners(
    transactional_db, live_server, page
):
    from playwright.sync_api import expect

    from agencies.budgets import services
    from agencies.budgets.models import Ballot, BudgetProject
    from tests.factories import OfficerFactory, budget_round, citizen

    officer = OfficerFactory()
    made = budget_round(
        officer,
        envelope="3000000",
        projects=[("ไฟส่องสว่างถนนเลียบคลอง", "2000000"), ("ลานกีฬาชุมชน", "1500000")],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    main = page.get_by_role("main")

    # A resident proposes a project on the phone.
    _sign_in(page, citizen())
    page.goto(f"/budgets/{made.pk}/")
    assert_accessible(page, "round page")
    main.get_by_role("link", name="เสนอโครงการ").click()
    main.get_by_label("ชื่อโครงการ").fill("ห้องสมุดเคลื่อนที่")
    main.get_by_label("โครงการคืออะไร และช่วยใคร").fill("รถห้องสมุดไปโรงเรียนบนดอย")
    main.get_by_label("ค่าใช้จ่าย (บาท)").fill("900000")
    assert_accessible(page, "propose")
    main.get_by_role("button", name="ส่งโครงการ").click()
    expect(main.get_by_role("heading", name="ห้องสมุดเคลื่อนที่")).to_be_visible()

    # The agency finds every project feasible and opens the vote.
    services.round_start_review(officer=officer, budget_round=made)
    for project in made.projects.all():
        services.project_review(officer=officer, project=project, feasible=True)
    services.round_start_voting(officer=officer, budget_round=made)

    # Another resident votes with the keyboard only (Space ticks, Enter sends): the bar
    # follows the ticks and says when the envelope is passed.
    _sign_in(page, citizen())
    page.goto(f"/budgets/{made.pk}/ballot/")
    assert_accessible(page, "ballot")
    bar = main.locator("#budget-words")
    sports = main.get_by_label("ลานกีฬาชุมชน", exact=False)
    tick(main.get_by_label("ไฟส่องสว่างถนนเลียบคลอง", exact=False))
    tick(sports)
    expect(bar).to_contain_text("เกิน 500,000.00 บาท")
    activate(main.get_by_role("button", name="ลงคะแนน"))
    expect(main.get_by_role("alert")).to_contain_text("เกินวงเงิน")
    assert not Ballot.objects.exists()
    expect(sports).to_be_checked()  # kept
    activate(sports, "Space")  # untick
    expect(sports).not_to_be_checked()
    tick(main.get_by_label("ห้องสมุดเคลื่อนที่", exact=False))
    expect(bar).to_contain_text("เหลือ 100,000.00 บาท")
    activate(main.get_by_role("button", name="ลงคะแนน"))
    expect(page.get_by_role("status").or_(main.locator(".messages"))).to_contain_text(
        "นับบัตรของท่านแล้ว"
    )
    assert Ballot.objects.count() == 1

    # The vote closes; anyone sees the winners and the full count.
    services.round_close(officer=officer, budget_round=made)
    page.context.clear_cookies()
    page.goto(f"/budgets/{made.pk}/results/")
    assert_accessible(page, "results")
    table = main.get_by_role("table")
    expect(table).to_contain_text("ห้องสมุดเคลื่อนที่")
    selected = set(BudgetProject.objects.filter(status="selected").values_list("title", flat=True))
    assert selected == {"ไฟส่องสว่างถนนเลียบคลอง", "ห้องสมุดเคลื่อนที่"}
    expect(main).to_contain_text("2,900,000.00")
