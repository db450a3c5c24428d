"""Where the money goes, on the API: a tranche of a suspended organisation is neither released
nor paid (409 with the committee's note), nor released without a bank account on record; a
released tranche shows the account it is paid into as it stood at release, in full to the
parties, staff and the finance system, masked to anyone else who sees the agreement."""

import pytest
from django.utils import timezone

from assessments.evaluations import services as evaluation_services
from csos.bank import services as bank_services
from csos.models import BankAccount
from csos.review import services as review_services
from tests.factories import (
    ApiClientFactory,
    CSOFactory,
    EvaluatorFactory,
    ReviewerFactory,
    StaffAdminFactory,
    award,
    bank_account_for,
)
from tests.helpers import assert_error, has_thai, in_thai, member_of, officer_of

pytestmark = pytest.mark.django_db
NOTE = "ไม่ส่งรายงานการเงินตามกำหนด"
PAYEE_KEYS = {
    "bank",
    "bank_name_th",
    "bank_name_en",
    "branch",
    "account_name",
    "account_number",
    "account_number_masked",
}


def url(agreement, tail):
    return f"/api/v1/agreements/{agreement.pk}/{tail}/"


def pay_body(reference="GFMIS-1"):
    return {"payment_reference": reference, "paid_on": timezone.localdate().isoformat()}


@pytest.fixture
def reviewer():
    return ReviewerFactory()


def suspend(agreement, reviewer):
    review_services.cso_suspend(cso=agreement.cso, reviewer=reviewer, reason=NOTE)


# --- suspension ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_release_of_a_suspended_organisations_tranche_is_409_with_the_note(api_as, reviewer, lang):
    agreement = award()
    suspend(agreement, reviewer)

    error = assert_error(
        api_as(officer_of(agreement), lang=lang).post(url(agreement, "tranches/1/release")),
        409,
        "invalid_transition",
    )

    suspended = (
        "The National Committee has suspended the organisation (“%(note)s”); no money is "
        "released or paid to it until it is reinstated."
    )
    expected = in_thai(suspended) if lang == "th" else suspended
    assert error["message"] == expected % {"note": NOTE}
    assert has_thai(expected.replace("%(note)s", "")) is (lang == "th")
    assert agreement.tranches.get(seq=1).status == "scheduled"


def test_payment_of_a_tranche_released_before_the_suspension_is_409(api_as, reviewer, finance):
    agreement = award()
    api_as(officer_of(agreement)).post(url(agreement, "tranches/1/release"))
    suspend(agreement, reviewer)

    error = assert_error(
        api_as(finance, lang="en").post(
            url(agreement, "tranches/1/pay"), pay_body(), format="json"
        ),
        409,
        "invalid_transition",
    )

    assert NOTE in error["message"]
    assert agreement.tranches.get(seq=1).status == "released"


def test_after_reinstatement_the_money_moves_again(api_as, reviewer, finance):
    agreement = award()
    suspend(agreement, reviewer)
    review_services.cso_reinstate(cso=agreement.cso, reviewer=reviewer)

    released = api_as(officer_of(agreement)).post(url(agreement, "tranches/1/release"))
    paid = api_as(finance).post(url(agreement, "tranches/1/pay"), pay_body(), format="json")

    assert (released.status_code, paid.status_code) == (200, 200)
    assert paid.json()["status"] == "paid"


def test_progress_reports_still_go_in_while_suspended(api_as, reviewer):
    agreement = award()
    suspend(agreement, reviewer)

    response = api_as(member_of(agreement)).post(
        url(agreement, "reports/1/submit"),
        {"narrative": "เยี่ยมบ้านครบ 60 ราย", "spent_to_date": "1000.00"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"


@pytest.mark.parametrize("who", ["member", "reviewer", "evaluator"])
def test_only_the_agencys_officer_releases_suspended_or_not(api_as, reviewer, who):
    agreement = award()
    user = {"member": member_of, "reviewer": lambda a: reviewer, "evaluator": None}[who]
    user = user(agreement) if user else EvaluatorFactory()

    response = api_as(user).post(url(agreement, "tranches/1/release"))

    assert response.status_code in (403, 404)  # 404 for those who cannot see the agreement
    assert agreement.tranches.get(seq=1).status == "scheduled"


# --- the bank account ----------------------------------------------------------------------


def test_release_without_a_bank_account_is_409_with_the_reason(api_as):
    agreement = award(cso=CSOFactory(status="approved", bank_account=False))

    error = assert_error(
        api_as(officer_of(agreement), lang="en").post(url(agreement, "tranches/1/release")),
        409,
        "invalid_transition",
    )

    assert "has not recorded the bank account" in error["message"]


def test_a_scheduled_tranche_has_no_account_and_a_released_one_keeps_the_one_at_release(api_as):
    agreement = award()
    officer, member = officer_of(agreement), member_of(agreement)
    number = BankAccount.objects.get(cso=agreement.cso).account_number
    assert api_as(officer).get(url(agreement, "tranches")).json()[0]["bank_account"] is None

    released = api_as(officer).post(url(agreement, "tranches/1/release")).json()
    bank_services.bank_account_set(
        cso=agreement.cso,
        user=member,
        **bank_account_for(agreement.cso, bank="030", account_number="020012345678"),
    )

    assert set(released["bank_account"]) == PAYEE_KEYS
    for body in (
        released,
        api_as(officer).get(url(agreement, "tranches")).json()[0],
        api_as(officer).get(f"/api/v1/agreements/{agreement.pk}/").json()["tranches"][0],
    ):
        account = body["bank_account"]
        assert (account["bank"], account["bank_name_en"]) == ("004", "Kasikornbank")
        assert account["account_number"] == number
        assert account["account_number_masked"] == "xxxxxx" + number[-4:]
        assert account["account_name"] == agreement.cso.name_th


def _evaluator_of(agreement):
    evaluator = EvaluatorFactory()
    midterm = agreement.evaluations.get(kind="midterm")
    evaluation_services.evaluation_plan(
        evaluation=midterm,
        officer=officer_of(agreement),
        mode="external",
        evaluators=[evaluator.username],
    )
    return evaluator


@pytest.mark.parametrize(
    ("who", "full"),
    [
        ("officer", True),
        ("member", True),
        ("staff_admin", True),
        ("finance", True),
        ("reader_client", False),
        ("evaluator", False),
    ],
)
def test_the_number_is_read_in_full_by_the_parties_staff_and_finance_only(api_as, who, full):
    agreement = award(instrument="performance_contract")
    api_as(officer_of(agreement)).post(url(agreement, "tranches/1/release"))
    number = BankAccount.objects.get(cso=agreement.cso).account_number
    user = {
        "officer": lambda: officer_of(agreement),
        "member": lambda: member_of(agreement),
        "staff_admin": StaffAdminFactory,
        "finance": lambda: ApiClientFactory(scopes=["read", "payments"]).user,
        "reader_client": lambda: ApiClientFactory(scopes=["read"]).user,
        "evaluator": lambda: _evaluator_of(agreement),
    }[who]()
    client = api_as(user)

    tranche = client.get(url(agreement, "tranches")).json()[0]
    nested = client.get(f"/api/v1/agreements/{agreement.pk}/").json()["tranches"][0]

    for account in (tranche["bank_account"], nested["bank_account"]):
        assert account["account_number"] == (number if full else None)
        assert account["account_number_masked"] == "xxxxxx" + number[-4:]
    assert (number in str(client.get(f"/api/v1/agreements/{agreement.pk}/").content)) is full


def test_the_finance_system_sees_the_account_in_its_payment_answer(api_as, finance):
    agreement = award()
    api_as(officer_of(agreement)).post(url(agreement, "tranches/1/release"))
    number = BankAccount.objects.get(cso=agreement.cso).account_number

    body = api_as(finance).post(url(agreement, "tranches/1/pay"), pay_body(), format="json").json()

    assert body["bank_account"]["account_number"] == number


def test_a_kept_list_follows_a_client_losing_its_payments_scope(api_as):
    agreement = award(instrument="performance_contract")
    api_as(officer_of(agreement)).post(url(agreement, "tranches/1/release"))
    number = BankAccount.objects.get(cso=agreement.cso).account_number
    finance = ApiClientFactory(scopes=["read", "payments"])
    client = api_as(finance.user)
    client.get("/api/v1/agreements/")
    assert number in str(client.get("/api/v1/agreements/").content)  # kept, in full

    type(finance).objects.filter(pk=finance.pk).update(scopes=["read"])

    assert number not in str(client.get("/api/v1/agreements/").content)
