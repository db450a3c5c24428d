"""Moving money between budget lines beyond the set share (issue 17, item 8): a variation
sets new amounts for lines of the budget; the whole budget still adds up to the agreement's
amount, no line goes below what was spent on it, and once agreed the expenses follow the new
lines."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError

from contracts.agreements import selectors, services
from contracts.agreements.models import Agreement
from portal.workflow import Conflict
from tests.factories import award, sample_file
from tests.helpers import assert_error, at, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
IN_PERIOD = at(2027, 3, 15)


@pytest.fixture
def running():
    """An active grant of 190,020.00 whose budget is carers 180,000.00 and dressings
    10,020.00."""
    agreement = award(terms={"considered_funding": True})
    carers, dressings = agreement.proposal.budget_lines.all()
    return agreement, agreement.cso.members.get(), carers, dressings


def _spend(agreement, member, line, amount):
    return services.expense_record(
        agreement=agreement, user=member, budget_line=line.pk,
        spent_on=datetime.date(2027, 3, 1), amount=amount, payee="ร้านเวชภัณฑ์ชุมชน",
        description="ผ้าก๊อซ", receipt=sample_file("photo.jpg", content_type="image/jpeg"),
    )  # fmt: skip


def test_an_agreed_variation_moves_money_between_lines_and_the_expenses_follow(running):
    agreement, member, carers, dressings = running
    officer = agreement.proposal.call.created_by
    with time_machine.travel(IN_PERIOD):
        _spend(agreement, member, dressings, "11000.00")  # within 10 % over 10,020.00
        with pytest.raises(ValidationError):  # beyond the share: a variation is needed
            _spend(agreement, member, dressings, "5000.00")
        variation = services.variation_propose(
            agreement=agreement, user=member, reason="ค่าวัสดุทำแผลสูงกว่าที่ประมาณไว้",
            budget_lines=[{"line": carers.pk, "amount": "170000.00"},
                          {"line": dressings.pk, "amount": "20020.00"}],
        )  # fmt: skip
        assert [row["description"] for row in variation.changes["budget_lines"]] == [
            carers.description,
            dressings.description,
        ]
        services.variation_agree(variation=variation, user=officer, confirm=True)
        _spend(agreement, member, dressings, "5000.00")  # now within the line
    rows = {row.line.pk: row for row in selectors.budget_of(Agreement.objects.get(pk=agreement.pk))}
    assert (rows[carers.pk].budget, rows[dressings.pk].budget) == (170000, 20020)
    assert rows[dressings.pk].spent == 16000
    agreed = variation.__class__.objects.get(pk=variation.pk)
    assert agreed.previous["budget_lines"][1]["amount"] == "10020.00"


@pytest.mark.parametrize(
    "lines, message",
    [
        ([("carers", "170000.00")], "must add up to the agreement's amount of 190,020.00"),
        ([("carers", "abc")], "Give the new amount"),
        ([("other", "100.00")], "lines of this agreement's budget"),
        ([("carers", "189020.00"), ("dressings", "1000.00")], "already spent on it"),
    ],
)
def test_a_budget_that_does_not_add_up_or_goes_below_the_spending_is_refused(
    running, lines, message
):
    agreement, member, carers, dressings = running
    named = {"carers": carers.pk, "dressings": dressings.pk, "other": 0}
    with time_machine.travel(IN_PERIOD):
        _spend(agreement, member, dressings, "2000.00")
        with pytest.raises(ValidationError) as refused:
            services.variation_propose(
                agreement=agreement, user=member, reason="ปรับงบ",
                budget_lines=[{"line": named[n], "amount": a} for n, a in lines],
            )  # fmt: skip
    assert any(message in m for m in refused.value.message_dict["budget_lines"])
    assert not agreement.variations.exists()


def test_spending_between_the_proposal_and_the_answer_is_checked_again(running):
    agreement, member, carers, dressings = running
    officer = agreement.proposal.call.created_by
    with time_machine.travel(IN_PERIOD):
        variation = services.variation_propose(
            agreement=agreement, user=officer, reason="ย้ายงบไปค่าตอบแทน",
            budget_lines=[{"line": carers.pk, "amount": "189020.00"},
                          {"line": dressings.pk, "amount": "1000.00"}],
        )  # fmt: skip
        _spend(agreement, member, dressings, "3000.00")
        with pytest.raises(ValidationError) as refused:
            services.variation_agree(
                variation=variation, user=member, signed_name="สมหญิง ใจดี", confirm=True
            )
    assert "already spent on it" in refused.value.message_dict["budget_lines"][0]
    assert Agreement.objects.get(pk=agreement.pk).line_budgets == {}


def test_the_api_and_the_page_move_money_between_lines(running, api_as, client):
    agreement, member, carers, dressings = running
    url = f"/api/v1/agreements/{agreement.pk}/variations/"
    body = {"reason": "ปรับงบ", "changes": {"budget_lines": [
        {"line": carers.pk, "amount": "170000.00"}]}}  # fmt: skip
    assert_error(api_as(member).post(url, body, format="json"), 400, "validation_error",
                 fields=["budget_lines"])  # fmt: skip
    body["changes"]["budget_lines"].append({"line": dressings.pk, "amount": "20020.00"})
    made = api_as(member).post(url, body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["changes"]["budget_lines"][1]["amount"] == "20020.00"
    with pytest.raises(Conflict):  # one waits at a time
        services.variation_propose(agreement=agreement, user=member, reason="x", scope="y")

    services.variation_withdraw(variation=agreement.variations.get(), user=member, reason="ผิด")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(member)
    page_url = f"/agreements/{agreement.pk}/variations/"
    page = text(client.get(page_url))
    assert f"New budget: {dressings.description}" in page and "Now 10,020.00 baht" in page
    typed = {"action": "propose", "propose-reason": "ปรับงบ",
             f"propose-line_{dressings.pk}": "20,020.00"}  # fmt: skip
    refused = client.post(page_url, typed)
    assert refused.status_code == 400 and "must add up" in text(refused)
    assert 'value="20,020.00"' in refused.content.decode()
    done = client.post(page_url, {**typed, f"propose-line_{carers.pk}": "170,000.00"})
    assert done.status_code == 302
    shown = text(client.get(page_url))
    assert "Budget lines" in shown and "20,020.00" in shown


def test_the_page_moves_a_tranche_date(client):
    from contracts.agreements.models import Tranche
    from tests.helpers import date_boxes

    agreement = award(terms={"shares": ["60", "40"], "considered_funding": True})
    member = agreement.cso.members.get()
    second = agreement.tranches.get(seq=2)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(member)
    url = f"/agreements/{agreement.pk}/variations/"
    page = text(client.get(url))
    assert "New planned date of tranche 2" in page
    assert "New planned date of tranche 1" in page  # not released yet either
    moved = datetime.date(2027, 9, 1)
    outside = client.post(url, {"action": "propose", "propose-reason": "เลื่อนงวด",
                                **date_boxes("propose-tranche_2", datetime.date(2029, 1, 1),
                                             language="en")})  # fmt: skip
    assert outside.status_code == 400 and "Plan tranche 2 within the period" in text(outside)
    assert 'value="2029"' in outside.content.decode()  # what was typed is kept
    done = client.post(url, {"action": "propose", "propose-reason": "เลื่อนงวด",
                             **date_boxes("propose-tranche_2", moved, language="en")})  # fmt: skip
    assert done.status_code == 302
    variation = agreement.variations.get()
    assert variation.changes["tranches"] == [{"seq": 2, "planned_on": "2027-09-01"}]
    services.variation_agree(
        variation=variation, user=agreement.proposal.call.created_by, confirm=True
    )
    assert Tranche.objects.get(pk=second.pk).planned_on == moved


def test_the_page_changes_a_target(client):
    agreement = award(terms={"considered_funding": True})
    member = agreement.cso.members.get()
    (target,) = agreement.targets
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(member)
    url = f"/agreements/{agreement.pk}/variations/"
    page = text(client.get(url))
    assert f"New target: {target['indicator']}" in page and f"Now {target['target']}" in page
    done = client.post(
        url, {"action": "propose", "propose-reason": "ขยายกลุ่มเป้าหมาย", "propose-target_0": "150 คน"}
    )
    assert done.status_code == 302
    services.variation_agree(
        variation=agreement.variations.get(),
        user=agreement.proposal.call.created_by,
        confirm=True,
    )
    assert Agreement.objects.get(pk=agreement.pk).targets == [
        {"indicator": target["indicator"], "target": "150 คน"}
    ]
    assert "150 คน" in text(client.get(url))  # before and after on the variations page
