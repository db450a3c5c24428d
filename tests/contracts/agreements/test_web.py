"""Agreements on the web, as the agency's officers and the organisation's members use them:
award a selected proposal, sign, release tranches, give notice, co-design, settle; what the
agreement's page shows (timeline, money, reports, evaluations) and every refusal on the way."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.evaluations import services as evaluation_services
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement, MoneyMovement, Tranche
from tests import factories
from tests.helpers import at, fresh, member_of, officer_of, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    """Pages in English, so the tests read the source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def detail_url(agreement):
    return reverse("agreement-detail", args=[agreement.pk])


def award_data(**overrides):
    data = {
        "amount": "190,020.00",
        "start_day": "1",
        "start_month": "1",
        "start_year": "2027",
        "end_day": "31",
        "end_month": "12",
        "end_year": "2027",
        "scope": "เยี่ยมบ้านผู้สูงอายุติดเตียงในเขตจตุจักร",
        "terms": "รายงานผลทุกไตรมาส",
        "report_schedule": "by_period",
        "report_every_months": "3",
        "shares": "60\n40",
    }
    data.update(overrides)
    return data


# --- award -----------------------------------------------------------------------------------


def test_the_award_form_is_filled_from_the_proposal(english):
    proposal = factories.selected_proposal()
    english.force_login(proposal.call.created_by)
    body = page(english.get(reverse("agreement-award", args=[proposal.pk])))
    assert 'value="190020.00"' in body  # the requested amount
    assert "At most the amount the proposal requested: 190,020.00 baht." in body
    assert 'name="start_year" value="2027"' in body  # C.E. on the English page
    assert proposal.summary in body  # the scope starts from the proposal's summary
    assert ">\n100</textarea>" in body  # one tranche of 100 % until the officer splits it
    assert "Prioritised outcomes" not in body  # a grant has no commissioning fields


def test_the_award_form_for_each_instrument(english):
    pc = factories.selected_proposal(instrument="performance_contract")
    cm = factories.selected_proposal(instrument="commissioning")
    client = english
    client.force_login(pc.call.created_by)
    body = page(client.get(reverse("agreement-award", args=[pc.pk])))
    assert 'name="shares"' not in body and "80 % once the contract is signed" in body
    client.force_login(cm.call.created_by)
    body = page(client.get(reverse("agreement-award", args=[cm.pk])))
    assert 'name="shares"' in body and 'name="needs_assessment"' in body
    assert cm.outcomes in body  # prioritised outcomes start from the proposal's outcomes


def test_bad_shares_are_refused_and_what_was_typed_is_kept(english):
    proposal = factories.selected_proposal()
    english.force_login(proposal.call.created_by)
    url = reverse("agreement-award", args=[proposal.pk])
    response = english.post(url, award_data(shares="50\n49", terms="ข้อตกลงพิเศษ"))
    assert response.status_code == 200
    body = page(response)
    assert "There is a problem" in body
    assert "The shares must add up to 100 % (now 99.00 %)." in body
    assert ">\n50\n49</textarea>" in body and "ข้อตกลงพิเศษ" in body
    assert 'aria-invalid="true"' in body
    assert not Agreement.objects.exists()

    response = english.post(url, award_data(amount="190,020.01"))
    assert "cannot be for more than the proposal requested" in page(response)
    assert 'value="190,020.01"' in page(response)
    response = english.post(url, award_data(end_day="31", end_month="2"))
    assert "This date does not exist" in page(response)
    assert not Agreement.objects.exists()


def test_the_officer_awards_and_lands_on_the_agreement(english, django_capture_on_commit_callbacks):
    proposal = factories.selected_proposal()
    officer = proposal.call.created_by
    english.force_login(officer)
    # The proposal page and the decide page both lead to the award.
    award_url = reverse("agreement-award", args=[proposal.pk])
    assert award_url in page(english.get(reverse("proposal-detail", args=[proposal.pk])))
    assert award_url in page(english.get(reverse("proposal-decide", args=[proposal.pk])))

    with django_capture_on_commit_callbacks():
        response = english.post(award_url, award_data(amount="150,000.00"))
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(agreement)
    assert agreement.amount == Decimal("150000.00")
    assert [t.amount for t in agreement.tranches.all()] == [
        Decimal("90000.00"),
        Decimal("60000.00"),
    ]
    body = page(english.get(response["Location"]))
    assert agreement.number in body and "was made" in body
    assert "The offer is waiting for the organisation to sign or decline." in body

    # Awarded once: the links now lead to the agreement, a second award goes there too.
    proposal_page = page(english.get(reverse("proposal-detail", args=[proposal.pk])))
    assert award_url not in proposal_page and detail_url(agreement) in proposal_page
    assert award_url not in page(english.get(reverse("proposal-decide", args=[proposal.pk])))
    response = english.post(award_url, award_data())
    assert response["Location"] == detail_url(agreement)
    assert Agreement.objects.count() == 1


def test_only_the_calls_officers_award(client, other_officer):
    proposal = factories.selected_proposal()
    member = proposal.cso.members.first()
    url = reverse("agreement-award", args=[proposal.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert url not in page(client.get(reverse("proposal-detail", args=[proposal.pk])))
    client.force_login(other_officer)
    assert client.get(url).status_code == 404  # another agency's officer cannot see it
    assert not Agreement.objects.exists()


def test_a_proposal_not_selected_cannot_be_awarded(english):
    proposal = factories.ProposalFactory(status="submitted")
    english.force_login(proposal.call.created_by)
    url = reverse("agreement-award", args=[proposal.pk])
    response = english.get(url, follow=True)
    assert "Only a selected proposal can be awarded" in page(response)
    assert url not in page(response)


# --- signing ---------------------------------------------------------------------------------


def test_the_cso_signs_with_its_typed_name_and_confirmation(english):
    agreement = factories.award(sign=False)
    member = member_of(agreement)
    english.force_login(member)
    body = page(english.get(detail_url(agreement)))
    assert "I have read the terms and accept them on behalf of the organisation" in body
    assert "Decline the offer" in body

    response = english.post(
        detail_url(agreement), {"action": "sign", "sign-signed_name": "สมหญิง ใจดี"}
    )
    assert response.status_code == 200
    body = page(response)
    assert "Confirm that you accept the terms on behalf of the organisation." in body
    assert 'value="สมหญิง ใจดี"' in body  # the typed name is kept
    assert fresh(agreement).status == Agreement.Status.OFFERED

    response = english.post(
        detail_url(agreement),
        {"action": "sign", "sign-signed_name": "สมหญิง ใจดี", "sign-confirm": "on"},
    )
    assert response.status_code == 302
    agreement = fresh(agreement)
    assert (agreement.status, agreement.signed_name, agreement.signed_by) == (
        "active",
        "สมหญิง ใจดี",
        member,
    )
    body = text(english.get(detail_url(agreement)))
    assert "You signed the agreement" in body and "สมหญิง ใจดี" in body
    assert "Sign the agreement" not in body
    # A second click on Sign comes back with the reason, never an error page.
    response = english.post(
        detail_url(agreement),
        {"action": "sign", "sign-signed_name": "สมหญิง ใจดี", "sign-confirm": "on"},
        follow=True,
    )
    assert response.status_code == 200 and "cannot be done while the status is" in page(response)


def test_the_officer_does_not_sign_and_declining_needs_a_reason(english):
    agreement = factories.award(sign=False)
    english.force_login(officer_of(agreement))
    body = page(english.get(detail_url(agreement)))
    assert 'name="sign-signed_name"' not in body and "Terminate the agreement" in body
    response = english.post(
        detail_url(agreement),
        {"action": "sign", "sign-signed_name": "ปลอม", "sign-confirm": "on"},
    )
    assert response.status_code == 403
    english.force_login(member_of(agreement))
    response = english.post(detail_url(agreement), {"action": "decline", "decline-reason": " "})
    assert "Give a reason" in page(response)
    english.post(detail_url(agreement), {"action": "decline", "decline-reason": "ไม่พร้อม"})
    assert fresh(agreement).status == Agreement.Status.DECLINED
    body = text(english.get(detail_url(agreement)))
    assert "The organisation declined the offer. Reason: ไม่พร้อม" in body
    assert "Not reached" in body  # the timeline marks the steps never reached


# --- money -----------------------------------------------------------------------------------


def test_the_officer_releases_tranche_1_and_tranche_2_waits_with_its_reasons(english):
    agreement = factories.award(instrument="performance_contract")
    english.force_login(officer_of(agreement))
    body = text(english.get(detail_url(agreement)))
    assert "Release tranche 1" in body
    assert "Release tranche 2" not in body
    assert "This tranche is released once delivery is complete." in body
    assert "This tranche needs the mid-term evaluation first." in body
    assert "152,016.00" in body and "38,004.00" in body

    response = english.post(detail_url(agreement), {"action": "release", "tranche": "1"})
    assert response.status_code == 302
    first, last = agreement.tranches.all()
    assert first.status == Tranche.Status.RELEASED and last.status == Tranche.Status.SCHEDULED
    body = text(english.get(detail_url(agreement)))
    assert "Tranche 1 (152,016.00 baht) was released for payment." in body
    assert "Released for payment 152,016.00 baht" in body
    assert "Release tranche 1" not in body

    # Forcing tranche 2 through the form: the service refuses, the page says why.
    response = english.post(
        detail_url(agreement), {"action": "release", "tranche": "2"}, follow=True
    )
    assert response.status_code == 200
    assert "This tranche is released once delivery is complete." in page(response)
    assert fresh(last).status == Tranche.Status.SCHEDULED
    assert MoneyMovement.objects.filter(tranche=last).count() == 0
    response = english.post(detail_url(agreement), {"action": "release", "tranche": "9"})
    assert response.status_code == 404


def test_release_buttons_are_the_agencys_and_tranche_2_opens_after_completion(english, finance):
    agreement = factories.award(instrument="performance_contract")
    officer = officer_of(agreement)
    english.force_login(member_of(agreement))
    body = page(english.get(detail_url(agreement)))
    assert "Release tranche" not in body and "Cannot be released yet" not in body
    assert (
        english.post(detail_url(agreement), {"action": "release", "tranche": "1"}).status_code
        == 403
    )

    first, last = agreement.tranches.all()
    agreement_services.tranche_release(tranche=first, officer=officer)
    agreement_services.tranche_pay(
        tranche=first, user=finance, payment_reference="GFMIS-0001", paid_on=timezone.localdate()
    )
    with time_machine.travel(at(2027, 12, 31)):
        evaluation_services.evaluation_submit(
            evaluation=agreement.evaluations.get(kind="midterm"),
            user=officer,
            score="82.5",
            findings="ตามแผน",
        )
        factories.send_reports(agreement, due_before=datetime.date(2027, 12, 31))
        english.force_login(officer)
        english.post(detail_url(agreement), {"action": "complete"})
        assert fresh(agreement).status == Agreement.Status.COMPLETED
        body = text(english.get(detail_url(agreement)))
        assert "Release tranche 2" in body and "GFMIS-0001" in body
        english.post(detail_url(agreement), {"action": "release", "tranche": "2"})
    assert fresh(last).status == Tranche.Status.RELEASED


# --- ending ----------------------------------------------------------------------------------


def test_an_end_notice_shorter_than_3_months_is_refused_on_the_end_date(english):
    agreement = factories.award(
        instrument="commissioning", terms={"end_date": datetime.date(2029, 12, 31)}
    )
    with time_machine.travel(at(2027, 11, 30)):
        english.force_login(officer_of(agreement))
        body = text(english.get(detail_url(agreement)))
        assert "the earliest end date for notice given today is 29 February 2571 BE" in body
        data = {
            "action": "end_notice",
            "end_notice-end_day": "28",
            "end_notice-end_month": "2",
            "end_notice-end_year": "2028",
            "end_notice-reason": "ปรับแผนงบประมาณ",
        }
        response = english.post(detail_url(agreement), data)
        assert response.status_code == 200
        body = page(response)
        assert "A partnership ends at least 3 months after notice" in body
        assert re.search(
            r'<p class="error-message" id="id_end_notice-end_error">A partnership ends', body
        )
        assert 'value="28"' in body and "ปรับแผนงบประมาณ" in body  # kept
        assert fresh(agreement).end_date == datetime.date(2029, 12, 31)

        response = english.post(detail_url(agreement), {**data, "end_notice-end_day": "29"})
        assert response.status_code == 302
    agreement = fresh(agreement)
    assert (agreement.end_date, agreement.end_notice_on) == (
        datetime.date(2028, 2, 29),
        datetime.date(2027, 11, 30),
    )
    english.force_login(member_of(agreement))
    body = text(english.get(detail_url(agreement)))
    assert "the agency gave notice that the partnership ends on 29 February 2571 BE" in body
    assert "End notice given" in body  # the history


def test_terminate_needs_a_reason_and_stops_everything(english):
    agreement = factories.award(instrument="performance_contract")
    english.force_login(officer_of(agreement))
    response = english.post(detail_url(agreement), {"action": "terminate", "terminate-reason": ""})
    assert "Give a reason; the organisation will see it." in page(response)
    english.post(detail_url(agreement), {"action": "terminate", "terminate-reason": "ผิดสัญญา"})
    assert fresh(agreement).status == Agreement.Status.TERMINATED
    body = text(english.get(detail_url(agreement)))
    assert "Reason: ผิดสัญญา" in body and "Release tranche" not in body
    assert "What you can do now" not in body


# --- settlement ------------------------------------------------------------------------------


def test_the_cso_states_its_settlement_and_sees_the_refund(english, finance):
    agreement = factories.award()
    officer, member = officer_of(agreement), member_of(agreement)
    (tranche,) = agreement.tranches.all()
    agreement_services.tranche_release(tranche=tranche, officer=officer)
    agreement_services.tranche_pay(
        tranche=tranche, user=finance, payment_reference="GFMIS-9", paid_on=timezone.localdate()
    )
    english.force_login(member)
    assert "State the settlement" not in page(english.get(detail_url(agreement)))  # too early

    with time_machine.travel(at(2028, 1, 15)):
        english.force_login(member)  # a session from a year before has expired
        body = text(english.get(detail_url(agreement)))
        assert "Paid to your organisation under this agreement: 190,020.00 baht." in body
        response = english.post(
            detail_url(agreement), {"action": "settlement", "settlement-spent_total": "lots"}
        )
        assert "Give the amount spent in baht" in page(response)
        assert 'value="lots"' in page(response)
        response = english.post(
            detail_url(agreement),
            {
                "action": "settlement",
                "settlement-spent_total": "180,000.00",
                "settlement-note": "เหลือค่าวัสดุ",
            },
        )
        assert response.status_code == 302
        body = text(english.get(detail_url(agreement)))
    assert "Disbursed 190,020.00 baht" in body
    assert "Spent 180,000.00 baht" in body
    assert "Refund due 10,020.00 baht" in body
    assert "State the settlement" not in body
    assert "Settlement stated" in body  # the history


# --- the page: timeline, reports, evaluations, visibility ------------------------------------


def test_the_timeline_says_each_steps_state_in_words(english):
    agreement = factories.award(instrument="performance_contract")
    with time_machine.travel(at(2027, 7, 10)):
        english.force_login(member_of(agreement))
        body = page(english.get(detail_url(agreement)))
    steps = re.findall(
        r'<li class="step step-(\w+)">\s*<span class="step-label">([^<]+)</span>\s*'
        r'<strong class="tag tag-\w+">([^<]+)</strong>',
        body,
    )
    states = {label: (css, word) for css, label, word in steps}
    assert states["The agency selects and the contract is signed"] == ("done", "Done")
    assert states["Mid-term evaluation"] == ("overdue", "Overdue")  # due 2 July 2027
    assert states["Second tranche (20 %) paid on completion"] == ("upcoming", "Upcoming")
    assert "due 2 July 2570 BE" in body
    # Reports past due are flagged in words too, and link to their page once it exists.
    reports = body.split('id="reports-title"')[1].split("</section>")[0]
    assert "1 April 2570 BE" in reports and "Overdue" in reports


def test_the_page_in_thai_by_default(client):
    agreement = factories.award()
    client.force_login(member_of(agreement))
    body = page(client.get(detail_url(agreement)))
    assert "พ.ศ. 2570" in body and "190,020.00" in body


def test_other_csos_and_other_agencies_get_404(client, other_officer, other_member):
    agreement = factories.award(sign=False)
    for user in (other_member, other_officer):
        client.force_login(user)
        assert client.get(detail_url(agreement)).status_code == 404
        response = client.post(
            detail_url(agreement),
            {"action": "sign", "sign-signed_name": "ใครก็ได้", "sign-confirm": "on"},
        )
        assert response.status_code == 404
        assert agreement.number not in page(client.get(reverse("agreement-list")))
    assert fresh(agreement).status == Agreement.Status.OFFERED


def test_evaluators_see_the_agreements_they_evaluate(client, evaluator):
    agreement = factories.award(instrument="commissioning")
    client.force_login(evaluator)
    assert client.get(detail_url(agreement)).status_code == 404
    evaluation = agreement.evaluations.get()
    evaluation.evaluators.add(evaluator)
    body = page(client.get(detail_url(agreement)))
    assert agreement.number in body and 'id="history-title"' not in body
    assert agreement.number in page(client.get(reverse("agreement-list")))


# --- commissioning ---------------------------------------------------------------------------


def test_agency_and_cso_co_design_then_delivery_starts(english):
    agreement = factories.award(instrument="commissioning")
    member, officer = member_of(agreement), officer_of(agreement)
    url = reverse("agreement-design", args=[agreement.pk])
    english.force_login(member)
    assert url in page(english.get(detail_url(agreement)))
    form = page(english.get(url))
    assert 'name="task_4"' in form

    typed = {"rows": "5", "service_design": "เยี่ยมบ้านสัปดาห์ละครั้ง", "task_0": "เยี่ยมบ้าน"}
    response = english.post(url, {**typed, "party_0": "cso", "add_rows": "1"})
    body = page(response)
    assert 'name="task_7"' in body and 'value="เยี่ยมบ้าน"' in body  # rows added, input kept
    response = english.post(url, {**typed, "party_0": "mayor"})
    assert response.status_code == 200 and "Select a valid choice" in page(response)
    response = english.post(url, {**typed, "task_1": "ส่งต่อ"})
    assert "Give each task" in page(response)
    response = english.post(
        url, {**typed, "party_0": "cso", "task_2": "ส่งต่อโรงพยาบาล", "party_2": "agency"}
    )
    assert response.status_code == 302
    assert fresh(agreement).responsibilities == [
        {"task": "เยี่ยมบ้าน", "party": "cso"},
        {"task": "ส่งต่อโรงพยาบาล", "party": "agency"},
    ]

    english.force_login(officer)
    body = text(english.get(detail_url(agreement)))
    assert "ส่งต่อโรงพยาบาล The agency" in body and "Start delivery" in body
    english.post(detail_url(agreement), {"action": "start_delivery"})
    assert fresh(agreement).delivery_started_at is not None
    body = page(english.get(detail_url(agreement)))
    assert url not in body
    response = english.get(url, follow=True)
    assert "The service design is fixed once delivery has started." in page(response)

    english.post(
        detail_url(agreement),
        {
            "action": "renew",
            "renew-end_day": "31",
            "renew-end_month": "12",
            "renew-end_year": "2029",
            "renew-reason": "ผลดี",
        },
    )
    assert fresh(agreement).end_date == datetime.date(2029, 12, 31)


# --- query counts ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_whatever_its_length(client, officer):
    for _ in range(2):
        factories.award(call=factories.CallFactory(officer=officer))
    client.force_login(officer)
    url = reverse("agreement-list")
    few = _queries(client, url)
    for _ in range(3):
        factories.award(
            call=factories.CallFactory(officer=officer, instrument="performance_contract")
        )
    factories.award()  # another agency's, not listed
    many = _queries(client, url)
    assert many == few, (few, many)
    body = page(client.get(url))
    assert len(re.findall(r'href="/agreements/\d+/"', body)) == 5

    filtered = page(client.get(url, {"kind": "performance_contract", "status": "active"}))
    assert len(re.findall(r'href="/agreements/\d+/"', filtered)) == 3
    assert client.get(url, {"kind": "nonsense", "page": "x"}).status_code == 200


def test_the_agreement_page_costs_the_same_with_more_reports_and_tranches(client):
    small = factories.award(terms={"report_every_months": 12, "shares": ["100"]})
    large = factories.award(terms={"report_every_months": 1, "shares": ["10"] * 10})
    assert (small.reports.count(), large.reports.count()) == (1, 12)
    assert large.tranches.count() == 10
    counts = []
    for agreement in (small, large):
        client.force_login(officer_of(agreement))
        counts.append(_queries(client, detail_url(agreement)))
    assert counts[0] == counts[1], counts


def test_the_menu_leads_officers_members_and_evaluators_to_their_agreements(
    client, officer, cso_member, evaluator, reviewer
):
    link = f'href="{reverse("agreement-list")}"'
    for user in (officer, cso_member, evaluator):
        client.force_login(user)
        assert link in page(client.get(reverse("call-list")))
    client.force_login(reviewer)
    assert link not in page(client.get(reverse("call-list")))
    client.logout()
    assert link not in page(client.get(reverse("call-list")))
    assert client.get(reverse("agreement-list")).status_code == 302  # sign in first


def test_the_award_form_names_the_agency_signatory_from_the_officer_or_as_typed(english):
    proposal = factories.selected_proposal()
    officer = proposal.call.created_by
    officer.first_name, officer.last_name, officer.position = "วิชัย", "ราชการดี", "ผู้อำนวยการกอง"
    officer.save()
    english.force_login(officer)
    award_url = reverse("agreement-award", args=[proposal.pk])

    body = page(english.get(award_url))
    assert 'name="signatory_name" value="วิชัย ราชการดี"' in body.replace(' maxlength="255"', "")
    assert "ผู้อำนวยการกอง" in body

    response = english.post(
        award_url,
        award_data(signatory_name="นางสาวอรทัย ผู้มีอำนาจ", signatory_position="อธิบดี"),
    )

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.signatory_name, agreement.signatory_position) == (
        "นางสาวอรทัย ผู้มีอำนาจ",
        "อธิบดี",
    )
