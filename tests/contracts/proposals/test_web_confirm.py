"""Withdrawing a proposal, removing one of its documents, and the officer's selecting or not
selecting are asked on a page of their own (portal.confirm): the facts, nothing moves on
GET, the POST from it acts once, and others are refused."""

import pytest
from django.conf import settings
from django.urls import reverse

from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from portal.models import AuditLog
from tests import factories
from tests.factories.assessments import make_call

pytestmark = pytest.mark.django_db
PS = Proposal.Status


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def body(response) -> str:
    return response.content.decode()


def decision_url(proposal, action):
    return reverse("proposal-decision", args=[proposal.pk, action])


def test_not_selecting_is_red_names_the_organisation_and_decides_once(en, officer):
    _call, [proposal] = make_call(officer)
    en.force_login(officer)
    assert f'href="{decision_url(proposal, "reject")}"' in body(
        en.get(reverse("proposal-decide", args=[proposal.pk]))
    )

    page = body(en.get(decision_url(proposal, "reject")))
    assert f"Not select “{proposal.title}”?" in page
    assert proposal.cso.name in page and "told with your reason" in page
    assert "button button-danger" in page and 'name="reject-reason"' in page
    assert Proposal.objects.get(pk=proposal.pk).status == PS.SUBMITTED

    response = en.post(decision_url(proposal, "reject"), {"reject-reason": ""})
    assert "Give a reason; the organisation will see it." in body(response)
    assert Proposal.objects.get(pk=proposal.pk).status == PS.SUBMITTED

    en.post(decision_url(proposal, "reject"), {"reject-reason": "ไม่ตรงพันธกิจ"})
    again = en.post(decision_url(proposal, "reject"), {"reject-reason": "อีกครั้ง"})
    assert "This cannot be done now:" in body(again)
    assert Proposal.objects.get(pk=proposal.pk).status == PS.NOT_SELECTED
    assert AuditLog.objects.filter(object_id=str(proposal.pk), action="reject").count() == 1


def test_selecting_states_the_amount_and_waits_for_the_call_to_close(en, officer):
    _call, [proposal] = make_call(officer, close=False)
    en.force_login(officer)
    page = body(en.get(decision_url(proposal, "select")))
    assert "The agency decides once the call has closed" in page
    assert "Yes, select this proposal" not in page
    assert en.post(decision_url(proposal, "select")).status_code == 200
    assert Proposal.objects.get(pk=proposal.pk).status == PS.SUBMITTED

    _call, [open_one] = make_call(officer)
    page = body(en.get(decision_url(open_one, "select")))
    assert f"{open_one.requested_amount:,.2f} baht" in page
    assert "Yes, select this proposal" in page and "button-danger" not in page
    assert en.post(decision_url(open_one, "select")).status_code == 302
    assert Proposal.objects.get(pk=open_one.pk).status == PS.SELECTED


def test_only_the_calls_officer_opens_the_decision_pages(client, officer, other_officer):
    _call, [proposal] = make_call(officer)
    client.force_login(proposal.cso.members.get())
    assert client.get(decision_url(proposal, "reject")).status_code in {403, 404}
    client.force_login(other_officer)
    assert client.get(decision_url(proposal, "select")).status_code in {403, 404}
    assert client.post(decision_url(proposal, "select")).status_code in {403, 404}
    client.force_login(officer)
    assert client.get(decision_url(proposal, "shortlist")).status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).status == PS.SUBMITTED


def test_withdrawing_is_asked_with_the_call_and_is_red(en):
    proposal = factories.ProposalFactory(status="submitted")
    member = proposal.cso.members.get()
    en.force_login(member)
    url = reverse("proposal-withdraw", args=[proposal.pk])
    page = body(en.get(url))
    assert f"Withdraw “{proposal.title}”?" in page
    assert proposal.call.title in page and "button button-danger" in page
    assert Proposal.objects.get(pk=proposal.pk).status == PS.SUBMITTED

    en.force_login(factories.OfficerFactory(agency=proposal.call.agency))
    assert en.get(url).status_code in {403, 404}
    assert en.post(url, {"reason": "x"}).status_code in {403, 404}
    assert Proposal.objects.get(pk=proposal.pk).status == PS.SUBMITTED


def test_removing_an_attachment_is_asked_and_done_once(en):
    proposal = factories.ProposalFactory(status="draft")
    member = proposal.cso.members.get()
    document = proposal_services.proposal_document_add(
        proposal=proposal,
        user=member,
        title="งบการเงิน",
        upload=factories.sample_file(
            "registration.pdf", as_name="statement.pdf", content_type="application/pdf"
        ),
    )
    url = reverse("proposal-attachment-delete", args=[proposal.pk, document.pk])
    en.force_login(member)
    attachments = body(en.get(reverse("proposal-part", args=[proposal.pk, "attachments"])))
    assert f'href="{url}"' in attachments

    page = body(en.get(url))
    assert "Remove “งบการเงิน” from the proposal?" in page
    assert "statement.pdf" in page and "cannot be recovered" in page
    assert "button button-danger" in page
    assert proposal.documents.filter(pk=document.pk).exists()
    others = proposal.documents.exclude(pk=document.pk).count()

    assert en.post(url).status_code == 302
    assert not proposal.documents.filter(pk=document.pk).exists()
    assert proposal.documents.count() == others  # only that one
    assert en.post(url).status_code == 404  # gone: nothing more to remove


def test_a_draft_offers_delete_not_withdraw_and_is_deleted_once_confirmed(en):
    proposal = factories.ProposalFactory(status="draft")
    member = proposal.cso.members.get()
    en.force_login(member)
    detail = body(en.get(reverse("proposal-detail", args=[proposal.pk])))
    url = reverse("proposal-delete", args=[proposal.pk])
    assert f'href="{url}"' in detail
    assert reverse("proposal-withdraw", args=[proposal.pk]) not in detail

    page = body(en.get(url))
    assert f"Delete the draft “{proposal.title}”?" in page and "button button-danger" in page
    assert Proposal.objects.filter(pk=proposal.pk).exists()  # nothing moves on GET

    response = en.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("my-proposals")
    assert not Proposal.objects.filter(pk=proposal.pk).exists()
    row = AuditLog.objects.get(action="delete_draft", object_id=str(proposal.pk))
    assert row.actor == member and row.data["title"] == proposal.title


def test_a_submitted_proposal_cannot_be_deleted_and_others_may_not_delete_a_draft(en):
    submitted = factories.ProposalFactory(status="submitted")
    en.force_login(submitted.cso.members.get())
    url = reverse("proposal-delete", args=[submitted.pk])
    assert "Only a draft can be deleted" in body(en.get(url))
    en.post(url)
    assert Proposal.objects.get(pk=submitted.pk).status == PS.SUBMITTED

    draft = factories.ProposalFactory(status="draft")
    en.force_login(factories.OfficerFactory(agency=draft.call.agency))
    assert en.post(reverse("proposal-delete", args=[draft.pk])).status_code in {403, 404}
    assert Proposal.objects.filter(pk=draft.pk).exists()
