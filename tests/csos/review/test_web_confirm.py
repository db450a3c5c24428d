"""The committee's decisions are each asked on a page of their own (portal.confirm): the
page names the organisation and what follows, nothing changes on GET, the POST from it
decides once, and only a reviewer, for a status that allows it, gets the button."""

import pytest
from django.conf import settings
from django.urls import reverse

from csos.models import CSO
from portal.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def decision_url(cso, action):
    return reverse("review-decision", args=[cso.pk, action])


def body(response) -> str:
    return response.content.decode()


def test_the_review_page_links_to_each_decision_page(en):
    cso = factories.CSOFactory(status=CSO.Status.SUBMITTED)
    en.force_login(factories.ReviewerFactory())
    page = body(en.get(reverse("review-detail", args=[cso.pk])))
    for action in ("approve", "request_changes", "reject"):
        assert f'href="{decision_url(cso, action)}"' in page
    assert decision_url(cso, "suspend") not in page  # not while it is submitted


def test_suspending_says_payments_stop_is_red_and_decides_once(en):
    cso = factories.CSOFactory(status=CSO.Status.APPROVED, name_en="Friends of the Elderly")
    en.force_login(factories.ReviewerFactory())

    page = body(en.get(decision_url(cso, "suspend")))
    assert "Suspend Friends of the Elderly?" in page
    assert "No tranche is released or paid to the organisation while it is suspended" in page
    assert "members are told at once" in page
    assert "button button-danger" in page and 'name="suspend-reason"' in page
    cso.refresh_from_db()
    assert cso.status == CSO.Status.APPROVED

    response = en.post(decision_url(cso, "suspend"), {"suspend-reason": ""})
    assert 'id="error-summary"' in body(response)
    cso.refresh_from_db()
    assert cso.status == CSO.Status.APPROVED

    assert (
        en.post(decision_url(cso, "suspend"), {"suspend-reason": "ไม่ส่งรายงาน"}).status_code == 302
    )
    again = en.post(decision_url(cso, "suspend"), {"suspend-reason": "อีกครั้ง"})
    assert "This cannot be done now:" in body(again)
    cso.refresh_from_db()
    assert cso.status == CSO.Status.SUSPENDED
    assert AuditLog.objects.filter(object_id=str(cso.pk), action="suspend").count() == 1


def test_approving_keeps_the_certified_fields_on_its_page(en):
    cso = factories.CSOFactory(status=CSO.Status.SUBMITTED)
    en.force_login(factories.ReviewerFactory())
    page = body(en.get(decision_url(cso, "approve")))
    assert 'name="approve-certified_fields"' in page
    assert "Yes, approve and certify" in page and "button-danger" not in page

    response = en.post(decision_url(cso, "approve"), {"approve-scope_note": "ดูแลผู้สูงอายุ"})
    assert 'href="#id_approve-certified_fields_0"' in body(response)  # the summary points at it
    assert "ดูแลผู้สูงอายุ" in body(response)  # what was typed is kept
    cso.refresh_from_db()
    assert cso.status == CSO.Status.SUBMITTED

    en.post(
        decision_url(cso, "approve"),
        {"approve-certified_fields": ["social_services"], "approve-scope_note": ""},
    )
    cso.refresh_from_db()
    assert cso.status == CSO.Status.APPROVED


def test_only_a_reviewer_opens_a_decision_page(client):
    cso = factories.CSOFactory(status=CSO.Status.SUBMITTED)
    for user in (cso.members.get(), factories.OfficerFactory()):
        client.force_login(user)
        assert client.get(decision_url(cso, "reject")).status_code == 403
        assert client.post(decision_url(cso, "reject"), {"reject-reason": "x"}).status_code == 403
    client.force_login(factories.ReviewerFactory())
    assert client.get(decision_url(cso, "erase")).status_code == 404
    cso.refresh_from_db()
    assert cso.status == CSO.Status.SUBMITTED
