"""Closing the loop (issue 14, item 7): what citizens said of a CSO's services reaches the
people who decide on it: the evaluation of the agreement, the renewal form, the award screen
(the CSO's record across its agreements) and the evaluator scoring its next proposal under
track record."""

import pytest

from assessments.feedback import services
from tests import factories
from tests.factories.assessments import make_call
from tests.helpers import officer_of, text

pytestmark = pytest.mark.django_db


def rate(agreement, *overall):
    for n, value in enumerate(overall):
        services.feedback_submit(
            agreement=agreement,
            ratings={"overall": value, "courtesy": 5},
            comment="ความเห็นที่ไม่ควรออกนอกรายงานผล",
            address=f"192.0.2.{agreement.pk % 200}.{n}",
        )


@pytest.fixture
def english_client(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_award_screen_shows_the_organisations_record(english_client):
    earlier = factories.award()
    rate(earlier, 5, 4)
    proposal = factories.selected_proposal(cso=earlier.cso)
    english_client.force_login(proposal.call.created_by)

    page = text(english_client.get(f"/proposals/{proposal.pk}/award/"))

    assert "The organisation's record with the people it served" in page
    assert "Overall rating 4.50 of 5 from 2 answers." in page
    assert "Across 1 agreement rated." in page
    assert "ความเห็นที่ไม่ควร" not in page  # numbers, not comments


def test_the_renewal_form_shows_the_agreements_report_card(english_client):
    agreement = factories.award(instrument="commissioning")
    rate(agreement, 3, 4, 5)
    english_client.force_login(officer_of(agreement))

    page = text(english_client.get(f"/agreements/{agreement.pk}/"))

    assert "Renew the partnership" in page
    assert "Before renewing: the citizens' report card" in page
    assert "Overall rating 4.00 of 5 from 3 answers." in page
    assert "Staff courtesy: 5.00 (3 answers)" in page


def test_a_grant_that_cannot_be_renewed_shows_no_renewal_card(english_client):
    agreement = factories.award()
    rate(agreement, 3)
    english_client.force_login(officer_of(agreement))
    page = text(english_client.get(f"/agreements/{agreement.pk}/"))
    assert "Before renewing" not in page
    assert "Citizen report card" in page  # the link to the public page


def test_the_evaluation_page_shows_the_report_card(english_client):
    agreement = factories.award(instrument="performance_contract")
    rate(agreement, 2, 4)
    evaluation = agreement.evaluations.first()
    english_client.force_login(officer_of(agreement))

    page = text(english_client.get(f"/evaluations/{evaluation.pk}/"))

    assert "The citizens' report card" in page
    assert "Overall rating 3.00 of 5 from 2 answers." in page


def test_the_evaluator_sees_the_record_under_track_record(english_client):
    officer = factories.OfficerFactory()
    evaluator = factories.EvaluatorFactory()
    _call, (proposal,) = make_call(officer, evaluators=[evaluator])
    earlier = factories.award(cso=proposal.cso)
    rate(earlier, 5, 5, 4, 4)
    _other, (newcomer,) = make_call(officer, evaluators=[evaluator])
    english_client.force_login(evaluator)
    page = text(english_client.get(f"/proposals/{proposal.pk}/review/"))
    fresh = text(english_client.get(f"/proposals/{newcomer.pk}/review/"))
    assert "What the people it served said" in page
    assert "Overall rating 4.50 of 5 from 4 answers, across 1 agreement(s)." in page
    assert "No citizen has rated its services yet." in fresh
