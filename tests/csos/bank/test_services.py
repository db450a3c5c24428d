"""Recording a CSO's bank account: its own members only, every rule at once, every change
audited with the numbers masked, and the number never in a log or an error report."""

import json
import logging
import sys

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.views.debug import ExceptionReporter

from csos.bank import selectors, services
from csos.models import CSO, BankAccount
from portal.audit import audit_history
from tests.factories import (
    ApiClientFactory,
    CSOFactory,
    EvaluatorFactory,
    MemberFactory,
    OfficerFactory,
    ReviewerFactory,
    StaffAdminFactory,
    award,
    bank_account_for,
)
from tests.helpers import officer_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def cso():
    return CSOFactory(status=CSO.Status.APPROVED, bank_account=False)


def record(cso, user=None, **changes):
    user = user or cso.members.get()
    return services.bank_account_set(cso=cso, user=user, **bank_account_for(cso, **changes))


def changes(account):
    return [row.data["changes"] for row in audit_history(account)]


def test_a_member_records_the_account_digits_only_and_it_is_audited(cso):
    member = cso.members.get()

    account = record(cso, member, account_number="123-4-56789-0", bank="002")

    account = BankAccount.objects.get(cso=cso)
    assert (account.bank_id, account.account_number) == ("002", "1234567890")
    assert account.account_name == cso.name_th and account.updated_by == member
    (row,) = audit_history(account)
    assert (row.action, row.actor) == ("bank_account_change", member)
    assert row.data["changes"]["bank"] == [None, "002"]
    assert row.data["changes"]["account_number"] == [None, "xxxxxx7890"]


def test_a_change_records_what_changed_old_and_new_masked(cso):
    record(cso, account_number="1234567890")
    account = record(cso, account_number="9876543210", branch="สาขาสีลม")

    assert changes(account)[-1] == {
        "branch": ["สาขาพหลโยธิน", "สาขาสีลม"],
        "account_number": ["xxxxxx7890", "xxxxxx3210"],
    }
    history = selectors.bank_account_changes(account)
    assert [f["name"] for f in history[-1]["fields"]] == ["branch", "account_number"]


def test_saving_the_same_account_again_records_nothing(cso):
    record(cso, account_number="1234567890")
    account = record(cso, account_number="123 4 56789 0")

    assert len(changes(account)) == 1


def test_another_number_with_the_same_last_digits_is_still_a_recorded_change(cso):
    record(cso, account_number="1111117890")
    account = record(cso, account_number="2222227890")

    assert changes(account)[-1] == {"account_number": ["xxxxxx7890", "xxxxxx7890"]}
    assert BankAccount.objects.get(cso=cso).account_number == "2222227890"


def test_another_member_of_the_same_organisation_may_change_it(cso):
    record(cso)
    colleague = MemberFactory(cso=cso)

    account = record(cso, colleague, account_number="5555555555")

    assert account.updated_by == colleague
    assert audit_history(account).last().actor == colleague


def test_a_bank_that_allows_12_digits_takes_them(cso):
    account = record(cso, bank="030", account_number="0200-1234-5678")

    assert account.account_number == "020012345678"


def test_bad_answers_are_all_refused_at_once_and_nothing_is_saved(cso):
    with pytest.raises(ValidationError) as exc:
        record(cso, bank="999", branch=" ", account_name="", account_number="12-34")

    assert set(exc.value.message_dict) == {"bank", "branch", "account_name", "account_number"}
    assert not BankAccount.objects.filter(cso=cso).exists()


def test_a_12_digit_number_at_a_10_digit_bank_is_refused_with_the_rule(cso):
    with pytest.raises(ValidationError) as exc:
        record(cso, bank="002", account_number="123456789012")

    assert exc.value.message_dict["account_number"] == [
        "An account number at Bangkok Bank has 10 digits; this one has 12."
    ]


@pytest.mark.parametrize(
    "who",
    ["reviewer", "staff_admin", "partner_officer", "other_officer", "other_member", "evaluator"],
)
def test_only_the_organisations_own_members_record_it(who):
    agreement = award()
    cso = agreement.cso
    before = BankAccount.objects.get(cso=cso).account_number
    user = {
        "reviewer": ReviewerFactory,
        "staff_admin": StaffAdminFactory,
        "partner_officer": lambda: officer_of(agreement),
        "other_officer": OfficerFactory,
        "other_member": lambda: CSOFactory(status="approved").members.get(),
        "evaluator": EvaluatorFactory,
    }[who]()

    with pytest.raises(PermissionDenied):
        record(cso, user, account_number="9999999999")

    assert BankAccount.objects.get(cso=cso).account_number == before


def test_an_api_client_cannot_record_it(cso):
    with pytest.raises(PermissionDenied):
        record(cso, ApiClientFactory(scopes=["read", "payments"]).user)


def test_the_number_is_never_in_the_audit_trail_or_a_log(cso, caplog):
    caplog.set_level(logging.DEBUG)

    account = record(cso, account_number="4321098765")
    record(cso, account_number="5678901234")

    stored = json.dumps([row.data for row in audit_history(account)], ensure_ascii=False)
    for number in ("4321098765", "5678901234"):
        assert number not in stored
        assert number not in caplog.text
    assert str(BankAccount.objects.get(pk=account.pk)) == "004 xxxxxx1234"


def test_an_error_report_hides_the_number_in_the_services_frame(cso, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the audit table is gone")

    monkeypatch.setattr(services, "audit_record", broken)
    try:
        record(cso, account_number="8765432109")
    except RuntimeError:
        reporter = ExceptionReporter(None, *sys.exc_info())
    frames = [f for f in reporter.get_traceback_frames() if f["function"] == "bank_account_set"]

    assert frames
    assert all("8765432109" not in str(value) for _name, value in frames[0]["vars"])


def test_the_database_refuses_a_number_of_a_length_no_bank_uses(cso):
    account = record(cso)

    with pytest.raises(IntegrityError), transaction.atomic():
        BankAccount.objects.filter(pk=account.pk).update(account_number="123456789")
