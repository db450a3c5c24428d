"""The bank account on the API: nested in /api/v1/csos/{id}/ for those who may read it, and
GET/PUT /api/v1/csos/{id}/bank-account/, as each role."""

import pytest

from csos.models import CSO, BankAccount
from portal.audit import audit_history
from tests.factories import (
    ApiClientFactory,
    CSOFactory,
    EvaluatorFactory,
    OfficerFactory,
    ReviewerFactory,
    StaffAdminFactory,
    award,
    bank_account_for,
)
from tests.helpers import assert_error, officer_of

pytestmark = pytest.mark.django_db

ACCOUNT_KEYS = {
    "bank",
    "bank_name_th",
    "bank_name_en",
    "branch",
    "account_name",
    "account_number",
    "account_number_masked",
    "updated_at",
}


def url(cso, tail="bank-account/"):
    return f"/api/v1/csos/{cso.pk}/{tail}"


@pytest.fixture
def agreement():
    """An agreement, so its agency's officers are partners of its CSO, which has an account."""
    return award()


def reader(who, agreement):
    return {
        "own_member": lambda: agreement.cso.members.get(),
        "reviewer": ReviewerFactory,
        "staff_admin": StaffAdminFactory,
        "partner_officer": lambda: officer_of(agreement),
    }[who]()


def outsider(who):
    return {
        "other_officer": OfficerFactory,
        "other_member": lambda: CSOFactory(status="approved").members.get(),
        "evaluator": EvaluatorFactory,
        "api_client": lambda: ApiClientFactory(scopes=["read", "payments"]).user,
    }[who]()


# --- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["own_member", "reviewer", "staff_admin", "partner_officer"])
def test_the_members_the_committee_staff_and_partner_agencies_read_it(api_as, agreement, who):
    body = api_as(reader(who, agreement)).get(url(agreement.cso)).json()

    assert set(body) == ACCOUNT_KEYS
    assert body["bank"] == "004"
    assert (body["bank_name_th"], body["bank_name_en"]) == ("ธนาคารกสิกรไทย", "Kasikornbank")
    account = BankAccount.objects.get(cso=agreement.cso)
    assert body["account_number"] == account.account_number
    assert body["account_number_masked"] == "xxxxxx" + account.account_number[-4:]
    assert body["account_name"] == agreement.cso.name_th


@pytest.mark.parametrize("who", ["own_member", "reviewer", "staff_admin", "partner_officer"])
def test_the_cso_resource_carries_it_for_those_who_may_read_it(api_as, agreement, who):
    body = api_as(reader(who, agreement)).get(url(agreement.cso, "")).json()

    assert set(body["bank_account"]) == ACCOUNT_KEYS
    assert body["bank_account"]["account_number"].isdigit()


@pytest.mark.parametrize("who", ["other_officer", "other_member", "evaluator", "api_client"])
def test_others_are_refused_it_and_the_cso_resource_has_none(api_as, agreement, who):
    client = api_as(outsider(who), lang="en")

    error = assert_error(client.get(url(agreement.cso)), 403, "permission_denied")
    assert "bank account" in error["message"]
    assert client.get(url(agreement.cso, "")).json()["bank_account"] is None


def test_anonymous_callers_must_sign_in_and_see_no_account(api_as, agreement):
    assert_error(api_as(None).get(url(agreement.cso)), 401, "not_authenticated")
    assert api_as(None).get(url(agreement.cso, "")).json()["bank_account"] is None


def test_none_recorded_yet_is_404_with_a_reason_and_null_on_the_cso(api_as):
    cso = CSOFactory(status="approved", bank_account=False)
    client = api_as(cso.members.get(), lang="en")

    error = assert_error(client.get(url(cso)), 404, "not_found")
    assert "not recorded a bank account" in error["message"]
    assert client.get(url(cso, "")).json()["bank_account"] is None


def test_a_list_shows_the_account_only_for_partner_csos_without_a_query_per_row(
    api_as, agreement, django_assert_max_num_queries
):
    others = [CSOFactory(status="approved") for _ in range(3)]
    client = api_as(officer_of(agreement))
    client.get("/api/v1/csos/")  # warm up the caller's token and roles

    with django_assert_max_num_queries(8):
        rows = client.get("/api/v1/csos/", {"page_size": 100}).json()["results"]

    accounts = {row["id"]: row["bank_account"] for row in rows}
    assert accounts[agreement.cso.pk]["bank"] == "004"
    assert all(accounts[cso.pk] is None for cso in others)


# --- writing ----------------------------------------------------------------------------


def test_a_member_records_and_changes_it_with_put(api_as):
    cso = CSOFactory(status="approved", bank_account=False)
    member = cso.members.get()
    client = api_as(member)

    assert client.put(url(cso), bank_account_for(cso), format="json").status_code == 200
    body = client.put(
        url(cso),
        bank_account_for(cso, bank="030", account_number="0200 1234 5678"),
        format="json",
    ).json()

    assert set(body) == ACCOUNT_KEYS
    assert (body["bank"], body["account_number"]) == ("030", "020012345678")
    account = BankAccount.objects.get(cso=cso)
    assert account.account_number == "020012345678"
    assert [row.actor for row in audit_history(account)] == [member, member]


def test_a_member_may_record_it_before_approval(api_as):
    cso = CSOFactory(status=CSO.Status.DRAFT)

    response = api_as(cso.members.get()).put(url(cso), bank_account_for(cso), format="json")

    assert response.status_code == 200, response.content
    assert BankAccount.objects.filter(cso=cso).exists()


def test_bad_input_is_a_400_on_each_field_in_the_callers_language(api_as):
    cso = CSOFactory(status="approved", bank_account=False)
    body = {"bank": "002", "branch": "", "account_name": "มูลนิธิ", "account_number": "12345"}

    error = assert_error(
        api_as(cso.members.get(), lang="th").put(url(cso), body, format="json"),
        400,
        "validation_error",
        fields=["branch", "account_number"],
    )
    assert error["fields"]["account_number"] == ["เลขที่บัญชีของธนาคารกรุงเทพมี 10 หลัก แต่เลขนี้มี 5 หลัก"]
    assert error["fields"]["branch"] == ["โปรดระบุสาขา"]
    error = assert_error(
        api_as(cso.members.get(), lang="en").put(url(cso), body, format="json"),
        400,
        "validation_error",
    )
    assert error["fields"]["account_number"] == [
        "An account number at Bangkok Bank has 10 digits; this one has 5."
    ]
    assert not BankAccount.objects.filter(cso=cso).exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"bank": ["002"]}, {"bank": "002", "account_number": None}, "not json"],
    ids=["empty", "list", "null", "text"],
)
def test_malformed_bodies_are_400_never_500(api_as, body):
    cso = CSOFactory(status="approved", bank_account=False)

    assert_error(
        api_as(cso.members.get()).put(url(cso), body, format="json"), 400, "validation_error"
    )


@pytest.mark.parametrize("who", ["reviewer", "staff_admin", "partner_officer"])
def test_readers_may_not_change_it(api_as, agreement, who):
    before = BankAccount.objects.get(cso=agreement.cso).account_number

    response = api_as(reader(who, agreement)).put(
        url(agreement.cso), bank_account_for(agreement.cso, account_number="9999999999")
    )

    assert_error(response, 403, "permission_denied")
    assert BankAccount.objects.get(cso=agreement.cso).account_number == before


@pytest.mark.parametrize("who", ["other_member", "api_client", "other_officer", "evaluator"])
def test_outsiders_may_not_change_it(api_as, agreement, who):
    response = api_as(outsider(who)).put(
        url(agreement.cso), bank_account_for(agreement.cso), format="json"
    )

    assert_error(response, 403, "permission_denied")


def test_anonymous_may_not_change_it(api_as, agreement):
    assert_error(
        api_as(None).put(url(agreement.cso), bank_account_for(agreement.cso), format="json"),
        401,
        "not_authenticated",
    )


def test_a_cso_the_caller_cannot_see_is_404(api_as):
    draft = CSOFactory(status=CSO.Status.DRAFT)

    assert_error(api_as(OfficerFactory()).get(url(draft)), 404, "not_found")


def test_the_reference_list_of_banks_is_public(api_client):
    items = api_client.get("/api/v1/reference/banks/").json()["results"]

    assert {"code": "002", "name_th": "ธนาคารกรุงเทพ", "name_en": "Bangkok Bank"} in items
    assert len(items) == 16


# --- the history of changes -------------------------------------------------------------------


def test_every_change_is_listed_oldest_first_with_the_numbers_masked(api_as):
    cso = CSOFactory(status="approved", bank_account=False)
    member = cso.members.get()
    client = api_as(member)
    client.put(url(cso), bank_account_for(cso, account_number="123-4-56789-0"), format="json")
    client.put(
        url(cso),
        bank_account_for(cso, bank="030", account_number="0200 1234 5678"),
        format="json",
    )

    response = client.get(url(cso, "bank-account/changes/"))

    assert response.status_code == 200
    first, second = response.json()
    assert first["actor"] == second["actor"] == member.username
    assert {c["field"]: c["new"] for c in first["changes"]}["account_number"] == "xxxxxx7890"
    assert {c["field"]: (c["old"], c["new"]) for c in second["changes"]} == {
        "bank": ("004", "030"),
        "account_number": ("xxxxxx7890", "xxxxxxxx5678"),
    }
    assert "1234567890" not in response.content.decode()


@pytest.mark.parametrize("who", ["reviewer", "staff_admin", "partner_officer"])
def test_those_who_may_read_the_account_read_its_changes(api_as, agreement, who):
    response = api_as(reader(who, agreement)).get(url(agreement.cso, "bank-account/changes/"))
    assert response.status_code == 200
    assert isinstance(response.json(), list)


@pytest.mark.parametrize("who", ["other_officer", "other_member", "evaluator", "api_client"])
def test_others_are_refused_its_changes(api_as, agreement, who):
    response = api_as(outsider(who)).get(url(agreement.cso, "bank-account/changes/"))
    assert response.status_code in (403, 404)
    assert "account_number" not in response.content.decode()
