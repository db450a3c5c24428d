"""The budget pages of a running grant, in Thai: on a phone 390 px wide the organisation's
member records an expense with a photo of the receipt; the officer, on a desktop, queries
it; the member answers; the member proposes moving money between budget lines and the
officer agrees. axe passes on each page.

Run with ``pytest -m browser``; the set-up is in tests/browser/conftest.py and helpers.py."""

import datetime
import re
from pathlib import Path

import pytest

from tests.browser.helpers import activate, assert_accessible, fill_date, sign_in

PHOTO = Path(__file__).resolve().parents[1] / "files" / "photo.jpg"


def th(text: str, **values) -> str:
    """A label or message as the Thai page shows it."""
    from django.utils import translation

    with translation.override("th"):
        return translation.gettext(text) % values if values else translation.gettext(text)


@pytest.mark.browser
def test_an_expense_queried_answered_and_the_budget_varied(transactional_db, live_server, page):
    from django.utils import timezone
    from playwright.sync_api import expect

    from contracts.agreements.models import Agreement, Expense
    from tests.factories import award

    today = timezone.localdate()
    agreement = award(
        terms={
            "start_date": today,
            "end_date": today + datetime.timedelta(days=300),
            "considered_funding": True,
        }
    )
    member, officer = agreement.cso.members.get(), agreement.proposal.call.created_by
    carers, dressings = agreement.proposal.budget_lines.all()
    main = page.get_by_role("main")
    expenses_url = f"/agreements/{agreement.pk}/expenses/"

    # The member records an expense on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, member)
    page.goto(expenses_url)
    assert_accessible(page, "the budget and expenses page, before any expense")
    main.get_by_label(th("Budget line")).select_option(label=dressings.description)
    fill_date(
        main,
        th("Date spent"),
        {"วัน": str(today.day), "ปี (พ.ศ.)": str(today.year + 543)},
    )
    main.get_by_role("group", name=re.compile("^" + th("Date spent"))).get_by_label(
        "เดือน", exact=True
    ).select_option(str(today.month))
    main.get_by_label(th("Amount (baht)")).fill("1,250.00")
    main.get_by_label(th("Paid to")).fill("ร้านเวชภัณฑ์ชุมชน")
    main.get_by_label(th("What it paid for")).fill("ผ้าก๊อซและแอลกอฮอล์")
    main.get_by_label(th("Receipt")).set_input_files(str(PHOTO))
    activate(main.get_by_role("button", name=th("Record the expense")))
    expect(page.get_by_text(th("The expense was recorded."))).to_be_visible()
    expense = Expense.objects.get(agreement=agreement)
    assert str(expense.amount) == "1250.00"
    assert_accessible(page, "the expenses page with an expense, on a phone")

    # The officer queries it on a desktop.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, officer)
    page.goto(expenses_url)
    expect(main.get_by_role("link", name=expense.original_name)).to_be_visible()
    main.get_by_label(th("Query"), exact=True).check()
    main.get_by_label(th("Question or reason")).fill("ใบเสร็จไม่มีชื่อร้าน")
    assert_accessible(page, "the officer's check of an expense")
    activate(main.get_by_role("button", name=th("Record the check")))
    expect(page.get_by_text(th("The check was recorded."))).to_be_visible()

    # The member answers it on the phone.
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, member)
    page.goto(expenses_url)
    expect(main.get_by_text("ใบเสร็จไม่มีชื่อร้าน")).to_be_visible()
    assert_accessible(page, "the expenses page with a question to answer")
    main.get_by_label(th("Your answer")).fill("ร้านออกใบเสร็จฉบับใหม่ให้แล้ว")
    activate(main.get_by_role("button", name=th("Send the answer")))
    expect(page.get_by_text(th("Your answer was sent; the agency was told."))).to_be_visible()
    assert Expense.objects.get(pk=expense.pk).check_status == "pending"

    # The member proposes moving money from the carers to the dressings.
    page.goto(f"/agreements/{agreement.pk}/variations/")
    main.get_by_label(th("New budget: %(line)s", line=carers.description)).fill("170,000.00")
    main.get_by_label(th("New budget: %(line)s", line=dressings.description)).fill("20,020.00")
    main.get_by_label(th("Why the agreement should change")).fill("ค่าวัสดุทำแผลสูงกว่าที่ประมาณ")
    assert_accessible(page, "the variation form, on a phone")
    activate(main.get_by_role("button", name=th("Propose the variation")))
    expect(
        page.get_by_text(th("The variation was proposed; the other side was told."))
    ).to_be_visible()

    # The officer agrees on the desktop; the budget follows.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, officer)
    page.goto(f"/agreements/{agreement.pk}/variations/")
    expect(main.get_by_role("rowheader", name=th("Budget lines"))).to_be_visible()
    assert_accessible(page, "the variation waiting for the agency's answer")
    main.get_by_label(th("I agree to this variation on behalf of my side of the agreement")).check()
    activate(main.get_by_role("button", name=th("Agree to the variation")))
    expect(
        page.get_by_text(th("The variation was agreed; the agreement now includes it."))
    ).to_be_visible()
    varied = Agreement.objects.get(pk=agreement.pk).line_budgets
    assert varied == {str(carers.pk): "170000.00", str(dressings.pk): "20020.00"}
    page.goto(expenses_url)
    expect(main.get_by_text("20,020.00").first).to_be_visible()
    assert_accessible(page, "the budget after the variation")
