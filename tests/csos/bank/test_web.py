"""The bank account on the web: the organisation's members record and change it on its own
page in their registration area; the committee and the partner agencies read it, with every
change, on the organisation's page."""

import pytest
from django.conf import settings
from django.urls import reverse

from csos.bank import services
from csos.models import CSO, BankAccount
from tests.factories import (
    CSOFactory,
    MemberFactory,
    OfficerFactory,
    ReviewerFactory,
    award,
    bank_account_for,
)
from tests.helpers import officer_of, page, text

pytestmark = pytest.mark.django_db
URL = "/registration/bank-account/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def detail(cso):
    return reverse("cso-detail", args=[cso.pk])


def test_a_member_records_the_account_then_sees_it_and_its_history(english):
    cso = CSOFactory(status="approved", bank_account=False)
    english.force_login(cso.members.get())

    response = english.get(URL)
    assert response.status_code == 200
    assert "No bank account is recorded yet" in text(response)
    assert 'name="account_number"' in page(response) and "Kasikornbank (004)" in page(response)

    response = english.post(URL, bank_account_for(cso, account_number="123 4 56789 0"))
    assert response.status_code == 302 and response.url == URL
    assert BankAccount.objects.get(cso=cso).account_number == "1234567890"

    words = text(english.get(URL))
    assert "The bank account was saved" in words
    assert "123-4-56789-0" in words
    assert "Account number: xxxxxx7890" in words  # the history masks it
    assert "no-store" in english.get(URL)["Cache-Control"]


def test_bad_answers_keep_what_was_typed_and_say_what_to_fix(english):
    cso = CSOFactory(status="approved", bank_account=False)
    english.force_login(cso.members.get())

    response = english.post(
        URL, {"bank": "030", "branch": "", "account_name": "กลุ่ม", "account_number": "12-345"}
    )

    assert response.status_code == 200
    html = page(response)
    assert 'id="error-summary"' in html and 'href="#id_account_number"' in html
    assert "An account number at Government Savings Bank has 10 or 12 digits" in text(response)
    assert 'value="12-345"' in html and 'value="กลุ่ม"' in html
    assert not BankAccount.objects.filter(cso=cso).exists()


def test_the_registration_page_leads_to_it(english):
    cso = CSOFactory(status="approved")
    english.force_login(cso.members.get())

    words = text(english.get("/registration/"))

    number = BankAccount.objects.get(cso=cso).account_number
    assert f"Payments go to your account at Kasikornbank (004) ending in {number[-4:]}" in words
    assert URL in page(english.get("/registration/"))


def test_a_member_without_an_organisation_starts_with_it(client):
    client.force_login(MemberFactory())

    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == reverse("registration-part", args=["organisation"])


@pytest.mark.parametrize("who", ["officer", "reviewer"])
def test_only_members_have_the_page(client, who):
    client.force_login(OfficerFactory() if who == "officer" else ReviewerFactory())

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"bank": "002"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("who", ["partner_officer", "reviewer"])
def test_the_partner_agency_and_the_committee_read_it_and_its_changes(english, who):
    agreement = award()
    cso = agreement.cso
    member = cso.members.get()
    services.bank_account_set(
        cso=cso, user=member, **bank_account_for(cso, account_number="5555566666")
    )
    english.force_login(officer_of(agreement) if who == "partner_officer" else ReviewerFactory())

    words = text(english.get(detail(cso)))

    assert "Bank account for payments" in words
    assert "555-5-56666-6" in words
    assert "xxxxxx6666" in words and member.username in words  # the change, masked, and who


@pytest.mark.parametrize("who", ["other_officer", "anonymous", "other_member"])
def test_others_do_not_see_it_on_the_organisations_page(english, who):
    cso = CSOFactory(status="approved")
    number = BankAccount.objects.get(cso=cso).account_number
    if who == "other_officer":
        english.force_login(OfficerFactory())
    elif who == "other_member":
        english.force_login(CSOFactory(status=CSO.Status.APPROVED).members.get())

    response = english.get(detail(cso))

    assert response.status_code == 200
    assert "Bank account for payments" not in text(response)
    assert number not in page(response)
