"""Expenses against the budget (issue 17, item 8, first part): the organisation records what
it spent on each line of the agreement's budget with the receipt (checked like every
upload); the budget shows budget, spent and remaining by line, summing exactly; a line may
run over by the set share, beyond which a variation is needed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from contracts.agreements import selectors, services
from contracts.agreements.models import Expense
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests.factories import MemberFactory, award, sample_file
from tests.helpers import assert_error, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
# Inside the agreement's period (2027), so the dates are neither ahead nor outside it.
IN_PERIOD = datetime.datetime(
    2027, 3, 15, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
)


def _receipt():
    return sample_file("registration.pdf", content_type="application/pdf")


@pytest.fixture
def running():
    """An active grant whose budget has two lines: carers 180,000.00 and dressings
    10,020.00."""
    agreement = award()
    lines = list(agreement.proposal.budget_lines.all())
    return agreement, agreement.cso.members.get(), lines


def _record(agreement, member, line, amount, **over):
    data = {
        "budget_line": line.pk, "spent_on": datetime.date(2027, 3, 1), "amount": amount,
        "payee": "ร้านเวชภัณฑ์ชุมชน", "description": "ผ้าก๊อซและแอลกอฮอล์", "receipt": _receipt(),
    }  # fmt: skip
    data.update(over)
    return services.expense_record(agreement=agreement, user=member, **data)


def test_expenses_sum_by_line_exactly(running):
    agreement, member, (carers, dressings) = running
    with time_machine.travel(IN_PERIOD):
        for amount in ("1500.10", "2499.95", "0.05"):
            _record(agreement, member, dressings, amount)
        _record(agreement, member, carers, "45000.00")
    rows = {row.line.pk: row for row in selectors.budget_of(agreement)}
    assert rows[dressings.pk].spent == Decimal("4000.10")
    assert rows[dressings.pk].remaining == Decimal("6019.90")
    assert rows[carers.pk].spent == Decimal("45000.00")
    assert sum(r.budget for r in rows.values()) == Decimal("190020.00")
    expense = Expense.objects.filter(agreement=agreement).first()
    assert expense.check_status == "pending" and expense.content_type == "application/pdf"
    assert [row.action for row in audit_history(expense)] == ["record_expense"]


def test_a_line_may_run_over_by_the_set_share_and_no_more(running):
    agreement, member, (carers, dressings) = running
    assert settings.BUDGET_LINE_TOLERANCE_PERCENT == 10
    with time_machine.travel(IN_PERIOD):
        _record(agreement, member, dressings, "11022.00")  # 10 % over 10,020.00
        with pytest.raises(ValidationError) as refused:
            _record(agreement, member, dressings, "0.01")
    assert "needs a variation" in refused.value.message_dict["amount"][0]


def test_each_answer_is_checked_and_nothing_is_kept_when_refused(running):
    agreement, member, (carers, dressings) = running
    other = award()
    with time_machine.travel(IN_PERIOD):
        cases = [
            ({"budget_line": other.proposal.budget_lines.first().pk}, "budget_line"),
            ({"amount": "-5"}, "amount"),
            ({"amount": "abc"}, "amount"),
            ({"spent_on": datetime.date(2027, 4, 1)}, "spent_on"),  # ahead of today
            ({"spent_on": datetime.date(2026, 12, 31)}, "spent_on"),  # before the period
            ({"payee": "  "}, "payee"),
            ({"description": ""}, "description"),
            ({"receipt": None}, "receipt"),
            ({"receipt": sample_file("not-really.pdf", content_type="application/pdf")}, "receipt"),
        ]
        for bad, field in cases:
            with pytest.raises(ValidationError) as refused:
                _record(agreement, member, dressings, **{"amount": "100.00", **bad})
            assert field in refused.value.message_dict, bad
    assert not Expense.objects.exists()


def test_only_the_organisation_records_and_only_while_it_runs(running):
    agreement, member, (carers, dressings) = running
    officer = agreement.proposal.call.created_by
    with time_machine.travel(IN_PERIOD):
        with pytest.raises(PermissionDenied):
            _record(agreement, officer, dressings, "100.00")
        colleague = MemberFactory(cso=agreement.cso)  # any member, not only the signatory
        expense = _record(agreement, colleague, dressings, "100.00")
        services.agreement_terminate(agreement=agreement, officer=officer, reason="ผิดเงื่อนไข")
        with pytest.raises(InvalidTransition):
            _record(agreement, member, dressings, "100.00")
    assert expense.pk


def test_a_pending_expense_may_be_removed_by_the_organisation(
    running, django_capture_on_commit_callbacks
):
    agreement, member, (carers, dressings) = running
    with time_machine.travel(IN_PERIOD):
        expense = _record(agreement, member, dressings, "100.00")
    name = expense.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.expense_delete(expense=expense, user=member)
    assert not Expense.objects.exists() and not expense.file.storage.exists(name)
    assert [row.action for row in audit_history(agreement)][-1] == "delete_expense"


def test_api_records_lists_and_sums(api_as, running):
    agreement, member, (carers, dressings) = running
    url = f"/api/v1/agreements/{agreement.pk}/expenses/"
    with time_machine.travel(IN_PERIOD):
        made = api_as(member).post(
            url,
            {"budget_line": dressings.pk, "spent_on": "2027-03-02", "amount": "250.50",
             "payee": "ร้านยา", "description": "ผ้าก๊อซ", "receipt": _receipt()},
            format="multipart",
        )  # fmt: skip
        assert made.status_code == 201, made.content
        body = made.json()
        assert body["check"] == "pending" and body["receipt"]["content_type"] == "application/pdf"
        bad = api_as(member).post(
            url,
            {"budget_line": dressings.pk, "spent_on": "2027-03-02", "amount": "20000.00",
             "payee": "ร้านยา", "description": "ผ้าก๊อซ", "receipt": _receipt()},
            format="multipart",
        )  # fmt: skip
        assert_error(bad, 400, "validation_error", fields=["amount"])
        officer = agreement.proposal.call.created_by
        refused = api_as(officer).post(url, {}, format="multipart")
        assert_error(refused, 403, "permission_denied")
    listed = api_as(officer).get(url).json()
    assert [row["amount"] for row in listed] == ["250.50"]
    budget = {
        row["budget_line"]: row
        for row in api_as(member).get(url.replace("expenses", "budget")).json()
    }
    assert budget[dressings.pk]["spent"] == "250.50"
    assert budget[dressings.pk]["remaining"] == "9769.50"


def test_web_budget_page_and_the_form_keeps_what_was_typed(client, running):
    agreement, member, (carers, dressings) = running
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/agreements/{agreement.pk}/expenses/"
    with time_machine.travel(IN_PERIOD):
        client.force_login(member)  # signed in at that moment (a session expires)
        page = text(client.get(url))
        assert "Budget, spent and remaining by line" in page and "180,000.00" in page
        form = {
            "expense-budget_line": str(dressings.pk), "expense-spent_on_day": "2",
            "expense-spent_on_month": "3", "expense-spent_on_year": "2027",
            "expense-amount": "99999", "expense-payee": "ร้านยา", "expense-description": "ผ้าก๊อซ",
        }  # fmt: skip
        refused = client.post(url, {**form, "expense-receipt": _receipt()})
        assert refused.status_code == 400
        assert "needs a variation" in text(refused)
        assert 'value="ร้านยา"' in refused.content.decode()
        done = client.post(
            url, {**form, "expense-amount": "1,000.00", "expense-receipt": _receipt()}, follow=True
        )
        page = text(done)
        assert "The expense was recorded." in page and "1,000.00" in page and "9,020.00" in page
        client.force_login(agreement.proposal.call.created_by)
        officer_page = client.get(url)
        assert officer_page.status_code == 200 and "Record an expense" not in text(officer_page)


def test_the_officer_checks_each_expense_and_the_settlement_is_built_from_them(running):
    from contracts.agreements import rules

    agreement, member, (carers, dressings) = running
    officer = agreement.proposal.call.created_by
    with time_machine.travel(IN_PERIOD):
        kept = _record(agreement, member, carers, "150000.00")
        doubtful = _record(agreement, member, dressings, "2000.00")
        with pytest.raises(PermissionDenied):
            services.expense_check(expense=kept, officer=member, check="accepted")
        with pytest.raises(ValidationError) as refused:
            services.expense_check(expense=doubtful, officer=officer, check="queried")
        assert "note" in refused.value.message_dict
        services.expense_check(
            expense=doubtful, officer=officer, check="queried", note="ใบเสร็จไม่มีชื่อผู้ขาย"
        )
    assert "2 expenses are not checked yet" in " ".join(rules.settle_problems(agreement))
    with time_machine.travel(datetime.datetime(2028, 1, 10, 10, tzinfo=IN_PERIOD.tzinfo)):
        # After the end: the settlement is the expenses' sum; another figure is refused.
        with pytest.raises(ValidationError) as refused:
            services.settlement_submit(agreement=agreement, user=member, spent_total="160000")
        assert "152,000.00" in refused.value.message_dict["spent_total"][0]
        settlement = services.settlement_submit(agreement=agreement, user=member, spent_total="")
        assert settlement.spent_total == Decimal("152000.00")
        disbursed = settlement.disbursed_total
        services.expense_check(expense=kept, officer=officer, check="accepted")
        services.expense_check(
            expense=doubtful, officer=officer, check="rejected", note="ไม่มีหลักฐานการซื้อ"
        )
    settlement.refresh_from_db()
    assert settlement.spent_total == Decimal("150000.00")
    assert settlement.refund_due == max(disbursed - Decimal("150000.00"), Decimal("0.00"))
    assert [row.action for row in audit_history(agreement)][-1] == "settlement_restated"
    assert not any("expense" in p for p in rules.settle_problems(agreement))
    rows = {row.line.pk: row for row in selectors.budget_of(agreement)}
    assert rows[dressings.pk].spent == 0  # rejected: not spent
    assert [r.action for r in audit_history(doubtful)][-2:] == ["check_expense", "check_expense"]


def test_api_and_web_check(api_as, client, running):
    agreement, member, (carers, dressings) = running
    officer = agreement.proposal.call.created_by
    with time_machine.travel(IN_PERIOD):
        expense = _record(agreement, member, dressings, "300.00")
        url = f"/api/v1/agreements/{agreement.pk}/expenses/{expense.pk}/check/"
        assert_error(api_as(member).post(url, {"check": "accepted"}), 403, "permission_denied")
        assert_error(
            api_as(officer).post(url, {"check": "rejected"}, format="json"),
            400,
            "validation_error",
            fields=["note"],
        )
        done = api_as(officer).post(url, {"check": "queried", "note": "ขอใบเสร็จตัวจริง"})
        assert done.status_code == 200 and done.json()["check"] == "queried"

        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(officer)
        page = f"/agreements/{agreement.pk}/expenses/"
        field = f"check-{expense.pk}"
        refused = client.post(page, {"expense": expense.pk, f"{field}-check": "rejected"})
        assert refused.status_code == 400 and "why it is rejected" in text(refused)
        accepted = client.post(
            page, {"expense": expense.pk, f"{field}-check": "accepted"}, follow=True
        )
        assert "The check was recorded." in text(accepted)
    expense.refresh_from_db()
    assert expense.check_status == "accepted"


def test_a_stated_settlement_follows_expenses_recorded_or_removed_after_it(running):
    agreement, member, (carers, dressings) = running
    with time_machine.travel(datetime.datetime(2028, 1, 10, 10, tzinfo=IN_PERIOD.tzinfo)):
        _record(agreement, member, carers, "1000.00", spent_on=datetime.date(2027, 12, 1))
        settlement = services.settlement_submit(agreement=agreement, user=member, spent_total="")
        assert settlement.spent_total == Decimal("1000.00")
        late = _record(agreement, member, carers, "500.00", spent_on=datetime.date(2027, 12, 2))
        settlement.refresh_from_db()
        assert settlement.spent_total == Decimal("1500.00")
        services.expense_delete(expense=late, user=member)
        _record(agreement, member, carers, "700.00", spent_on=datetime.date(2027, 12, 3))
    settlement.refresh_from_db()
    assert settlement.spent_total == Decimal("1700.00")
    assert settlement.refund_due == max(settlement.disbursed_total - Decimal("1700.00"), 0)


# --- the organisation answers a question about an expense -----------------------------------


def test_a_queried_expense_is_answered_and_goes_back_to_be_checked(running):
    from portal.notices.models import Notice
    from tests.helpers import officer_of

    agreement, member, (carers, dressings) = running
    officer = officer_of(agreement)
    with time_machine.travel(IN_PERIOD):
        expense = _record(agreement, member, dressings, "350.00")
        services.expense_check(expense=expense, officer=officer, check="queried",
                               note="ใบเสร็จอ่านไม่ออก")  # fmt: skip
        asked = Notice.objects.get(kind="expense_queried")
        assert asked.recipient == member and "ใบเสร็จอ่านไม่ออก" in asked.body
        with pytest.raises(ValidationError) as refused:
            services.expense_answer(expense=expense, user=member, answer="  ")
        assert "Answer the officer's question" in refused.value.message_dict["answer"][0]
        with pytest.raises(PermissionDenied):
            services.expense_answer(expense=expense, user=officer, answer="x")
        answered = services.expense_answer(
            expense=expense, user=member, answer="ซื้อผ้าก๊อซ 10 ม้วน ร้านออกใบเสร็จใหม่ให้แล้ว"
        )
        assert answered.check_status == "pending" and answered.answer.startswith("ซื้อผ้าก๊อซ")
        told = Notice.objects.get(kind="expense_answered")
        assert told.recipient == officer and "ซื้อผ้าก๊อซ" in told.body
        with pytest.raises(InvalidTransition):  # pending now: nothing to answer
            services.expense_answer(expense=expense, user=member, answer="อีกครั้ง")
        services.expense_check(expense=expense, officer=officer, check="accepted")
    assert [row.action for row in audit_history(expense)] == [
        "record_expense",
        "check_expense",
        "answer_expense",
        "check_expense",
    ]


def test_the_answer_through_the_api_and_on_the_page(running, api_as, client):
    from tests.helpers import officer_of

    agreement, member, (carers, dressings) = running
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(IN_PERIOD):
        first = _record(agreement, member, dressings, "100.00")
        second = _record(agreement, member, dressings, "200.00")
        for expense in (first, second):
            services.expense_check(expense=expense, officer=officer_of(agreement),
                                   check="queried", note="ขอรายละเอียด")  # fmt: skip
        url = f"/api/v1/agreements/{agreement.pk}/expenses/{first.pk}/answer/"
        assert_error(api_as(officer_of(agreement)).post(url, {"answer": "x"}, format="json"),
                     403, "permission_denied")  # fmt: skip
        sent = api_as(member).post(url, {"answer": "ค่าผ้าก๊อซ"}, format="json")
        assert sent.status_code == 200 and sent.json()["check"] == "pending"
        assert sent.json()["answer"] == "ค่าผ้าก๊อซ"

        client.force_login(member)
        page_url = f"/agreements/{agreement.pk}/expenses/"
        kept = client.post(page_url, {"answer_to": second.pk, f"answer-{second.pk}-answer": ""})
        assert kept.status_code == 400 and "Answer the officer's question" in text(kept)
        done = client.post(page_url, {"answer_to": second.pk,
                                      f"answer-{second.pk}-answer": "ค่าแอลกอฮอล์"})  # fmt: skip
        assert done.status_code == 302
    assert Expense.objects.get(pk=second.pk).answer == "ค่าแอลกอฮอล์"
    assert Expense.objects.count() == 2  # an answer records no new expense


def test_the_expenses_page_costs_the_same_queries_however_many_expenses(
    running, client, django_assert_max_num_queries, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import officer_of

    settings.PAGE_CACHE_SECONDS = 0  # the page as built each time, not as kept for the officer
    agreement, member, (carers, dressings) = running
    url = f"/agreements/{agreement.pk}/expenses/"
    counts = []
    with time_machine.travel(IN_PERIOD):
        client.force_login(officer_of(agreement))
        for more in (2, 10):
            for _ in range(more):
                _record(agreement, member, dressings, "10.00")
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_budget_page_draws_budget_and_spending_by_line(running, client):
    from tests.helpers import officer_of

    agreement, member, (carers, dressings) = running
    with time_machine.travel(IN_PERIOD):
        _record(agreement, member, dressings, "5010.00")  # half the line
        client.force_login(officer_of(agreement))
        html = client.get(f"/agreements/{agreement.pk}/expenses/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="budget-chart-title budget-chart-desc"' in svg
    budgets = svg.count('class="bar bar-0"')
    spent = svg.count('class="bar bar-1"')
    assert (budgets, spent) == (2, 2)  # a budget bar and a spending bar for each line
    assert "5,010.00" in svg and "10,020.00" in svg
