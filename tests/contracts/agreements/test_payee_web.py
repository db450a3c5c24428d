"""Where the money goes, on the agreement's page and its payment order: the officer sees why a
suspended organisation's tranche or one without a bank account cannot be released (no
button), the parties see the account on record and its changes, and a released tranche's
payment order prints the account as it stood at release, in full only for those who may
read it."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.evaluations import services as evaluation_services
from csos.bank import services as bank_services
from csos.models import BankAccount
from csos.review import services as review_services
from tests.contracts.agreements.test_pdf import pdf_text
from tests.factories import CSOFactory, EvaluatorFactory, ReviewerFactory, award, bank_account_for
from tests.helpers import member_of, officer_of, page, text

pytestmark = pytest.mark.django_db
NOTE = "ไม่ส่งรายงานการเงินตามกำหนด"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def detail_url(agreement):
    return reverse("agreement-detail", args=[agreement.pk])


def order_url(agreement, seq=1):
    return reverse("tranche-payment-order", args=[agreement.pk, seq])


def release_button(html):
    """The link to tranche 1's release confirmation (the button that releases is there)."""
    return 'href="/agreements/' in html and '/tranches/1/release/"' in html


def suspend(agreement):
    review_services.cso_suspend(cso=agreement.cso, reviewer=ReviewerFactory(), reason=NOTE)


def test_the_officer_sees_why_a_suspended_organisations_tranche_waits(english):
    agreement = award()
    english.force_login(officer_of(agreement))
    assert release_button(page(english.get(detail_url(agreement))))
    suspend(agreement)

    response = english.get(detail_url(agreement))

    words = text(response)
    assert "Payments are on hold." in words and NOTE in words
    assert "Progress reports are still sent as scheduled." in words
    assert "Cannot be released yet:" in words
    assert not release_button(page(response))


def test_a_release_posted_anyway_is_refused_with_the_note(english):
    agreement = award()
    english.force_login(officer_of(agreement))
    suspend(agreement)

    response = english.post(
        detail_url(agreement), {"action": "release", "tranche": "1"}, follow=True
    )

    assert NOTE in text(response)
    assert agreement.tranches.get(seq=1).status == "scheduled"


def test_the_member_sees_the_hold_too_and_reinstating_brings_the_button_back(english):
    agreement = award()
    suspend(agreement)
    english.force_login(member_of(agreement))
    assert "Payments are on hold." in text(english.get(detail_url(agreement)))

    review_services.cso_reinstate(cso=agreement.cso, reviewer=ReviewerFactory())
    english.force_login(officer_of(agreement))
    response = english.get(detail_url(agreement))

    assert "Payments are on hold." not in text(response)
    assert release_button(page(response))


def test_a_released_tranche_on_hold_says_so(english):
    agreement = award()
    english.force_login(officer_of(agreement))
    english.post(detail_url(agreement), {"action": "release", "tranche": "1"})
    suspend(agreement)

    words = text(english.get(detail_url(agreement)))

    assert "Payment on hold:" in words and NOTE in words


def test_no_button_without_a_bank_account_and_the_reason_is_shown(english):
    agreement = award(cso=CSOFactory(status="approved", bank_account=False))
    english.force_login(officer_of(agreement))

    response = english.get(detail_url(agreement))

    words = text(response)
    assert "has not recorded the bank account to pay into" in words
    assert "No bank account is recorded yet" in words
    assert not release_button(page(response))


def test_the_parties_see_the_account_and_its_changes_and_the_tranche_says_where_it_went(
    english,
):
    agreement = award()
    member = member_of(agreement)
    number = BankAccount.objects.get(cso=agreement.cso).account_number
    english.force_login(officer_of(agreement))
    english.post(detail_url(agreement), {"action": "release", "tranche": "1"})
    bank_services.bank_account_set(
        cso=agreement.cso,
        user=member,
        **bank_account_for(agreement.cso, bank="030", account_number="020012345678"),
    )

    words = text(english.get(detail_url(agreement)))

    assert f"Into Kasikornbank xxxxxx{number[-4:]}" in words  # as it stood at release
    assert "The organisation's bank account" in words
    assert "020012345678" in words  # the account on record now, in full for the officer
    assert f"Account number: xxxxxx{number[-4:]} → xxxxxxxx5678" in words
    assert member.username in words
    english.force_login(member)
    assert reverse("registration-bank-account") in page(english.get(detail_url(agreement)))


def _evaluator_of(agreement):
    evaluator = EvaluatorFactory()
    evaluation_services.evaluation_plan(
        evaluation=agreement.evaluations.get(kind="midterm"),
        officer=officer_of(agreement),
        mode="external",
        evaluators=[evaluator.username],
    )
    return evaluator


def test_an_evaluator_sees_no_account(english):
    agreement = award(instrument="performance_contract")
    english.force_login(officer_of(agreement))
    english.post(detail_url(agreement), {"action": "release", "tranche": "1"})
    number = BankAccount.objects.get(cso=agreement.cso).account_number
    english.force_login(_evaluator_of(agreement))

    response = english.get(detail_url(agreement))

    assert response.status_code == 200
    assert "The organisation's bank account" not in text(response)
    assert number not in page(response)


# --- the payment order -----------------------------------------------------------------------


def test_the_payment_order_prints_the_account_as_it_stood_at_release(client, tmp_path):
    agreement = award()
    account = BankAccount.objects.get(cso=agreement.cso)
    client.force_login(officer_of(agreement))
    client.post(detail_url(agreement), {"action": "release", "tranche": "1"})
    bank_services.bank_account_set(
        cso=agreement.cso,
        user=member_of(agreement),
        **bank_account_for(agreement.cso, bank="030", account_number="020012345678"),
    )

    order = "".join(pdf_text(client.get(order_url(agreement)).content, tmp_path).split())

    n = account.account_number
    assert "โอนเข้าบัญชีธนาคารธนาคารกสิกรไทย(รหัสธนาคาร004)" in order
    assert f"สาขา{account.branch}" in order
    assert "ชื่อบัญชี" + "".join(account.account_name.split()) in order
    assert f"เลขที่บัญชี{n[:3]}-{n[3]}-{n[4:9]}-{n[9]}" in order
    assert "020012345678" not in order and "ออมสิน" not in order


def test_an_evaluator_reads_the_payment_order_with_the_number_masked(client, tmp_path):
    agreement = award(instrument="performance_contract")
    client.force_login(officer_of(agreement))
    client.post(detail_url(agreement), {"action": "release", "tranche": "1"})
    number = BankAccount.objects.get(cso=agreement.cso).account_number
    client.force_login(_evaluator_of(agreement))

    order = pdf_text(client.get(order_url(agreement)).content, tmp_path)

    assert f"xxxxxx{number[-4:]}" in order
    assert number not in "".join(order.split()).replace("-", "")


def test_a_kept_payment_order_is_never_shown_unmasked_to_a_reader_who_may_not_read_it(
    client, tmp_path
):
    agreement = award(instrument="performance_contract")
    client.force_login(officer_of(agreement))
    client.post(detail_url(agreement), {"action": "release", "tranche": "1"})
    number = BankAccount.objects.get(cso=agreement.cso).account_number
    evaluators = Client()
    evaluators.force_login(_evaluator_of(agreement))  # nothing is written after this
    officers = "".join(pdf_text(client.get(order_url(agreement)).content, tmp_path).split())
    assert f"{number[:3]}-{number[3]}-{number[4:9]}-{number[9]}" in officers

    order = pdf_text(evaluators.get(order_url(agreement)).content, tmp_path)

    assert f"xxxxxx{number[-4:]}" in order
    assert number not in "".join(order.split()).replace("-", "")
