"""Releasing a tranche, declining the offer, completing, settling and terminating are each
asked on a page of their own (portal.confirm): the page states the facts and what will
happen, nothing moves on GET, the POST from it does it once, someone without the right gets
403 and an action no longer possible says so without the button."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from contracts.agreements.models import Agreement, MoneyMovement, Tranche
from portal.models import AuditLog
from tests import factories
from tests.helpers import at, fresh, member_of, officer_of, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def release_url(agreement, seq):
    return reverse("tranche-release", args=[agreement.pk, seq])


def action_url(agreement, action):
    return reverse("agreement-action", args=[agreement.pk, action])


def detail_url(agreement):
    return reverse("agreement-detail", args=[agreement.pk])


def test_the_release_page_states_the_money_and_the_payee_and_moves_nothing(english):
    agreement = factories.award(instrument="performance_contract")
    account_tail = agreement.cso.bank_account.account_number[-4:]
    english.force_login(officer_of(agreement))

    detail = page(english.get(detail_url(agreement)))
    assert f'href="{release_url(agreement, 1)}"' in detail  # a link, not a POST form

    response = english.get(release_url(agreement, 1))
    words = text(response)
    assert response.status_code == 200
    assert f"Release tranche 1 of {agreement.number}?" in words
    assert "Amount 152,016.00 baht" in words
    assert f"Organisation {agreement.cso.name}" in words
    assert f"xxxxxx{account_tail}" in words
    assert "members are told at once" in words
    assert "A release cannot be undone." in words
    assert "Yes, release 152,016.00 baht" in words
    assert 'class="button"' in page(response)  # money moves as planned: not a danger button
    assert fresh(agreement.tranches.get(seq=1)).status == Tranche.Status.SCHEDULED
    assert MoneyMovement.objects.count() == 0


def test_the_post_from_the_release_page_releases_once(english):
    agreement = factories.award(instrument="performance_contract")
    english.force_login(officer_of(agreement))

    response = english.post(release_url(agreement, 1))
    assert response.status_code == 302 and response.url == detail_url(agreement)
    assert "Tranche 1 (152,016.00 baht) was released for payment." in text(
        english.get(detail_url(agreement))
    )
    again = english.post(release_url(agreement, 1))  # twice: nothing more moves
    assert again.status_code == 200
    assert "This cannot be done now:" in text(again)
    assert "Yes, release" not in text(again)
    tranche = agreement.tranches.get(seq=1)
    assert MoneyMovement.objects.filter(tranche=tranche).count() == 1
    assert AuditLog.objects.filter(action="release", object_id=str(tranche.pk)).count() == 1

    # Later, the page says it is done rather than offering the button.
    later = text(english.get(release_url(agreement, 1)))
    assert "This cannot be done now:" in later and "Yes, release" not in later


def test_a_tranche_not_due_yet_is_explained_without_a_button(english):
    agreement = factories.award(instrument="performance_contract")
    english.force_login(officer_of(agreement))
    words = text(english.get(release_url(agreement, 2)))
    assert "This tranche is released once delivery is complete." in words
    assert "Yes, release" not in words
    assert english.get(release_url(agreement, 9)).status_code == 404


def test_only_the_agencys_officer_may_open_the_release_page(english, django_user_model):
    agreement = factories.award(instrument="performance_contract")
    english.force_login(member_of(agreement))
    assert english.get(release_url(agreement, 1)).status_code == 403
    assert english.post(release_url(agreement, 1)).status_code == 403
    english.force_login(officer_of(factories.award()))  # another agency's officer
    assert english.get(release_url(agreement, 1)).status_code == 404
    assert fresh(agreement.tranches.get(seq=1)).status == Tranche.Status.SCHEDULED


def test_terminate_states_what_is_lost_is_red_and_keeps_the_typed_reason(english):
    agreement = factories.award(instrument="performance_contract")
    english.force_login(officer_of(agreement))

    assert f'href="{action_url(agreement, "terminate")}"' in page(
        english.get(detail_url(agreement))
    )
    response = english.get(action_url(agreement, "terminate"))
    words = text(response)
    assert f"Terminate {agreement.number}?" in words
    assert f"The agreement with {agreement.cso.name} ends now." in words
    assert "The tranches not released yet (190,020.00 baht) will never be released." in words
    assert "told at once, with your reason" in words and "This cannot be undone." in words
    assert "button button-danger" in page(response)
    assert fresh(agreement).status == Agreement.Status.ACTIVE

    response = english.post(action_url(agreement, "terminate"), {"terminate-reason": "   "})
    assert response.status_code == 200
    assert "Give a reason; the organisation will see it." in text(response)
    assert fresh(agreement).status == Agreement.Status.ACTIVE

    response = english.post(action_url(agreement, "terminate"), {"terminate-reason": "ผิดสัญญา"})
    assert response.status_code == 302
    assert fresh(agreement).status == Agreement.Status.TERMINATED
    assert "Reason: ผิดสัญญา" in text(english.get(detail_url(agreement)))
    words = text(english.get(action_url(agreement, "terminate")))
    assert "This cannot be done now:" in words and "Yes, terminate" not in words


def test_the_member_cannot_terminate_and_the_officer_cannot_decline(english):
    agreement = factories.award()
    english.force_login(member_of(agreement))
    assert english.get(action_url(agreement, "terminate")).status_code == 403
    assert (
        english.post(action_url(agreement, "terminate"), {"terminate-reason": "x"}).status_code
        == 403
    )
    english.force_login(officer_of(agreement))
    assert english.get(action_url(agreement, "decline")).status_code == 403
    assert english.get(action_url(agreement, "sign")).status_code == 404  # not asked this way
    assert fresh(agreement).status == Agreement.Status.ACTIVE


def test_the_member_declines_the_offer_on_its_own_page(english):
    agreement = factories.award(sign=False)
    english.force_login(member_of(agreement))
    response = english.get(action_url(agreement, "decline"))
    words = text(response)
    assert f"Decline the offer {agreement.number}?" in words
    assert f"The agency {agreement.agency.name} reads your reason" in words
    assert "button button-danger" in page(response)
    assert fresh(agreement).status == Agreement.Status.OFFERED

    english.post(action_url(agreement, "decline"), {"decline-reason": "ไม่พร้อม"})
    assert fresh(agreement).status == Agreement.Status.DECLINED


def test_completion_is_asked_and_refused_with_what_is_missing(english):
    agreement = factories.award()
    english.force_login(officer_of(agreement))
    words = text(english.get(action_url(agreement, "complete")))
    assert f"Record the delivery of {agreement.number} as complete?" in words
    # Before the start date nothing can be completed: the reason, and no button.
    assert "This cannot be done now:" in words and "Yes, delivery is complete" not in words
    assert "Yes, delivery is complete" not in text(english.post(action_url(agreement, "complete")))
    assert fresh(agreement).status == Agreement.Status.ACTIVE


def test_starting_delivery_says_the_design_is_fixed_and_starts_once(english):
    from contracts.agreements import services as agreement_services

    agreement = factories.award(instrument="commissioning")
    agreement_services.agreement_update_design(
        agreement=agreement,
        user=member_of(agreement),
        service_design="เยี่ยมบ้านสัปดาห์ละครั้ง",
        responsibilities=[{"task": "เยี่ยมบ้าน", "party": "cso"}],
    )
    english.force_login(officer_of(agreement))
    assert f'href="{action_url(agreement, "start_delivery")}"' in page(
        english.get(detail_url(agreement))
    )
    words = text(english.get(action_url(agreement, "start_delivery")))
    assert f"Start the delivery of {agreement.number}?" in words
    assert "neither side can change them after this" in words
    assert fresh(agreement).delivery_started_at is None

    assert english.post(action_url(agreement, "start_delivery")).status_code == 302
    started = fresh(agreement).delivery_started_at
    assert started is not None
    again = text(english.post(action_url(agreement, "start_delivery")))
    assert "This cannot be done now:" in again
    assert fresh(agreement).delivery_started_at == started


def test_the_end_notice_states_the_dates_and_keeps_a_refused_date(english):
    agreement = factories.award(
        instrument="commissioning", terms={"end_date": datetime.date(2029, 12, 31)}
    )
    url = action_url(agreement, "end_notice")
    with time_machine.travel(at(2027, 11, 30)):
        english.force_login(officer_of(agreement))
        assert f'href="{url}"' in page(english.get(detail_url(agreement)))
        response = english.get(url)
        words = text(response)
        assert f"Give notice that {agreement.number} ends?" in words
        assert "End date now 31 December 2572 BE" in words
        assert "no earlier than 29 February 2571 BE" in words
        assert "moved to the new end or cancelled" in words
        assert 'name="end_notice-end_day"' in page(response)
        assert "button button-danger" in page(response)

        data = {
            "end_notice-end_day": "28",
            "end_notice-end_month": "2",
            "end_notice-end_year": "2028",  # C.E. on this English page; too early a date
            "end_notice-reason": "ปรับแผนงบประมาณ",
        }
        refused = page(english.post(url, data))
        assert 'id="id_end_notice-end_error"' in refused
        assert "no earlier than 29 February 2571 BE" in refused
        assert 'value="28"' in refused and "ปรับแผนงบประมาณ" in refused  # kept
        assert fresh(agreement).end_notice_on is None

        assert english.post(url, {**data, "end_notice-end_day": "29"}).status_code == 302
    assert fresh(agreement).end_date == datetime.date(2028, 2, 29)
    english.force_login(member_of(agreement))
    assert english.get(url).status_code == 403
