"""Publishing, closing and cancelling a call are asked on a page of their own
(portal.confirm): the page states the call and what will happen, nothing changes on GET,
the POST from it acts once, and only the call's officers see it."""

import pytest
from django.conf import settings
from django.urls import reverse

from contracts.calls.models import Call
from portal.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, call):
    return reverse(name, args=[call.pk])


def body(response) -> str:
    return response.content.decode()


def audited(call, action):
    return AuditLog.objects.filter(
        object_id=str(call.pk), action=action, to_status__in=Call.Status.values
    )


def test_the_draft_links_to_the_publish_page_which_states_the_call(en, officer):
    call = factories.CallFactory(status="draft", officer=officer, title="ประกาศเยี่ยมบ้าน")
    en.force_login(officer)
    assert f'href="{url("call-publish", call)}"' in body(en.get(url("call-detail", call)))

    page = body(en.get(url("call-publish", call)))
    assert "Publish the call “ประกาศเยี่ยมบ้าน”?" in page
    assert call.agency.name in page
    assert "its terms cannot change" in page
    assert "Yes, publish the call" in page and "button-danger" not in page
    assert "No, cancel and go back" in page
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT and not audited(call, "publish").exists()

    en.post(url("call-publish", call))
    en.post(url("call-publish", call))
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN and audited(call, "publish").count() == 1


def test_close_is_red_and_says_the_drafts_cannot_be_sent(en, officer):
    call = factories.CallFactory(officer=officer)
    factories.ProposalFactory(call=call, status="draft")
    en.force_login(officer)

    page = body(en.get(url("call-close", call)))
    assert "Close the call" in page and "now?" in page
    assert "Drafts not yet submitted (1) can no longer be sent." in page
    assert "A closed call cannot be reopened." in page
    assert "button button-danger" in page
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN

    assert en.post(url("call-close", call)).status_code == 302
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED


def test_cancel_counts_the_waiting_proposals_and_keeps_a_missing_reason_on_the_page(en, officer):
    call = factories.CallFactory(officer=officer)
    factories.ProposalFactory(call=call, status="submitted")
    factories.ProposalFactory(call=call, status="submitted")
    en.force_login(officer)
    assert f'href="{url("call-cancel", call)}"' in body(en.get(url("call-detail", call)))

    page = body(en.get(url("call-cancel", call)))
    assert "The proposals waiting for a decision (2) are marked not selected" in page
    assert 'name="cancel-reason"' in page and "button button-danger" in page

    response = en.post(url("call-cancel", call), {"cancel-reason": " "})
    assert 'id="error-summary"' in body(response)
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN


def test_only_the_calls_officers_open_its_confirmation_pages(
    client, officer, other_officer, member
):
    call = factories.CallFactory(officer=officer)
    draft = factories.CallFactory(status="draft", officer=officer)
    for user in (other_officer, member):
        client.force_login(user)
        for name in ("call-close", "call-cancel"):
            assert client.get(url(name, call)).status_code == 403
        assert client.get(url("call-publish", draft)).status_code == 404  # a draft stays hidden
    call.refresh_from_db()
    draft.refresh_from_db()
    assert call.status == Call.Status.OPEN and draft.status == Call.Status.DRAFT


def test_taking_an_evaluator_off_the_panel_is_asked_first(en, officer):
    call = factories.CallFactory(officer=officer)
    first, second = factories.EvaluatorFactory(), factories.EvaluatorFactory()
    url = reverse("call-evaluators", args=[call.pk])
    en.force_login(officer)
    en.post(url, {"usernames": [first.username, second.username]})

    response = en.post(url, {"usernames": [first.username]})
    page = body(response)
    assert response.status_code == 200
    assert f"Remove 1 evaluator from the panel of “{call.title}”?" in page
    assert second.username in page and "button button-danger" in page
    assert 'name="confirm_removal" value="yes"' in page
    assert f'name="usernames" value="{first.username}"' in page
    assert set(call.evaluators.values_list("username", flat=True)) == {
        first.username,
        second.username,
    }

    assert (
        en.post(url, {"usernames": [first.username], "confirm_removal": "yes"}).status_code == 302
    )
    assert list(call.evaluators.values_list("username", flat=True)) == [first.username]

    # Adding is not destructive: saved at once.
    assert en.post(url, {"usernames": [first.username, second.username]}).status_code == 302
    assert call.evaluators.count() == 2
