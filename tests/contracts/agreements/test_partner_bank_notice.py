"""An agency hears at once when a partner it still has to pay changes its bank account: the
next release pays into the new account, so the officer should know before it."""

import pytest
from django.utils import timezone, translation

from contracts.agreements import services as agreement_services
from csos.bank import services as bank_services
from portal.models import Notice
from tests.factories import OfficerFactory, award, bank_account_for
from tests.helpers import member_of, officer_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
KIND = "partner_bank_account_changed"


def change_account(agreement, number="987-6-54321-0"):
    cso = agreement.cso
    return bank_services.bank_account_set(
        cso=cso,
        user=member_of(agreement),
        **bank_account_for(cso, account_number=number, branch="สาขาสีลม"),
    )


def test_the_officers_of_a_paying_agency_are_told_with_the_number_masked():
    agreement = award()
    officer = officer_of(agreement)
    colleague = OfficerFactory(agency=agreement.agency)
    stranger = OfficerFactory()  # another agency's officer

    change_account(agreement)

    notices = Notice.objects.filter(kind=KIND)
    assert {n.recipient for n in notices} == {officer, colleague}
    notice = notices.get(recipient=officer)
    assert notice.url.endswith(f"/agreements/{agreement.pk}/")
    assert agreement.number in notice.subject
    assert "xxxxxx3210" in notice.body
    assert "9876543210" not in notice.body
    assert not Notice.objects.filter(kind=KIND, recipient=stranger).exists()


def test_the_notice_reads_in_thai_for_a_thai_officer():
    agreement = award()
    officer = officer_of(agreement)
    with translation.override("th"):
        change_account(agreement)
    notice = Notice.objects.get(kind=KIND, recipient=officer)
    assert "เปลี่ยนบัญชี" in notice.subject


def test_each_change_is_told_and_saving_the_same_account_again_tells_nothing():
    agreement = award()
    officer = officer_of(agreement)
    change_account(agreement)
    change_account(agreement)  # the same account: no change, no notice
    change_account(agreement, number="111-2-33333-4")
    assert Notice.objects.filter(kind=KIND, recipient=officer).count() == 2


def test_an_agency_with_nothing_left_to_pay_is_not_told(finance):
    agreement = award(terms={"shares": ["100"]})
    tranche = agreement.tranches.get()
    agreement_services.tranche_release(tranche=tranche, officer=officer_of(agreement))
    agreement_services.tranche_pay(
        tranche=tranche, user=finance, payment_reference="GFMIS-1", paid_on=timezone.localdate()
    )
    change_account(agreement)
    assert not Notice.objects.filter(kind=KIND).exists()
