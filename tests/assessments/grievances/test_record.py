"""Closing the loop (issue 14, item 7): an agreement's grievance record by status is shown on
its evaluations and on the renewal screen, the organisation's record on the new-award
screen, and its complaints upheld to evaluators under ``track_record``."""

from django.urls import reverse

from assessments.evaluations.models import Evaluation
from assessments.grievances import services
from assessments.reviews.views import _registry_facts
from tests import factories
from tests.helpers import officer_of

from .conftest import file_one


def _answered(project, verifier, *, upheld):
    grievance, _token = file_one(project)
    routed = services.grievance_route(grievance=grievance, verifier=verifier)
    return services.grievance_respond(
        grievance=routed, officer=officer_of(project), response="ok", upheld=upheld
    )


def test_the_evaluation_page_shows_the_projects_grievances_by_status(client, verifier):
    project = factories.award(instrument="performance_contract")
    _answered(project, verifier, upheld=True)
    file_one(project)
    evaluation = Evaluation.objects.filter(agreement=project).first()
    client.force_login(officer_of(project))
    page = client.get(reverse("evaluation-detail", args=[evaluation.pk])).content.decode()
    assert 'id="grievances-title"' in page
    assert "2" in page.split('id="grievances-title"')[1].split("</section>")[0]


def test_the_renewal_screen_shows_the_record(client, verifier):
    project = factories.award(instrument="commissioning")
    _answered(project, verifier, upheld=True)
    client.force_login(officer_of(project))
    page = client.get(reverse("agreement-detail", args=[project.pk])).content.decode()
    assert 'id="record-grievances-agreement-renew"' in page
    assert 'id="record-grievances-cso-renew"' in page


def test_the_award_screen_shows_the_organisations_record(client, verifier):
    project = factories.award()
    _answered(project, verifier, upheld=True)
    proposal = factories.selected_proposal(cso=project.cso)
    client.force_login(proposal.call.created_by)
    page = client.get(reverse("agreement-award", args=[proposal.pk])).content.decode()
    assert 'id="record-grievances-cso-award"' in page


def test_evaluators_read_the_complaints_upheld_under_track_record(verifier, english):
    project = factories.award()
    _answered(project, verifier, upheld=True)
    _answered(project, verifier, upheld=False)
    proposal = factories.ProposalFactory(cso=project.cso, member=project.cso.members.first())
    rows = dict(_registry_facts(proposal)["track_record"])
    assert rows["Citizens' grievances upheld"].startswith("2 complaints")
    assert "1 upheld" in rows["Citizens' grievances upheld"]
