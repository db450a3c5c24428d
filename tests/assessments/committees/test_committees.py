"""User management committees of commissioned services: the agency's officer sets one up,
adds members with terms, records meetings and recommendations and answers each; the public
project page shows it; a grant has none; another agency's officer is refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from assessments.committees import services
from assessments.committees.models import CommitteeRecommendation
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests import factories
from tests.factories import award
from tests.helpers import date_boxes, text

pytestmark = pytest.mark.usefixtures("english")


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_a_committee_of_service_users_on_the_web(db):
    agreement = award(instrument="commissioning")
    officer = agreement.proposal.call.created_by
    client = _client(officer)
    url = f"/projects/{agreement.pk}/committee/"
    assert "no user management committee" in text(_client().get(url))
    assert (
        client.post(url + "setup/", {"setup-purpose": "Home care for bedridden elders"}).status_code
        == 302
    )
    today = timezone.localdate()
    bad = client.post(url + "member/", {"member-name": "Khun Malee", "member-side": "service_user"})
    assert bad.status_code == 400 and 'value="Khun Malee"' in bad.content.decode()
    member = {
        "member-name": "Khun Malee",
        "member-side": "service_user",
        "member-is_chair": "on",
        **{f"member-{k}": v for k, v in date_boxes("term_start", today, language="en").items()},
    }
    assert client.post(url + "member/", member).status_code == 302
    meeting = {
        "meeting-minutes": "Visits were late twice.",
        "meeting-decisions": "Visit rota shared with families.",
        **{f"meeting-{k}": v for k, v in date_boxes("held_on", today, language="en").items()},
    }
    assert client.post(url + "meeting/", meeting).status_code == 302
    assert (
        client.post(url + "recommendation/", {"rec-text": "Add weekend visits"}).status_code == 302
    )
    rec = CommitteeRecommendation.objects.get()
    answered = client.post(
        f"{url}recommendations/{rec.pk}/answer/",
        {"answer": "accepted", "explanation": "From next quarter"},
    )
    assert answered.status_code == 302

    public = text(_client().get(url))
    assert "Khun Malee (chair)" in public and "Service user" in public
    assert "Visit rota shared with families." in public and "From next quarter" in public
    project = text(_client().get(f"/projects/{agreement.pk}/"))
    assert "Add weekend visits — Accepted" in project
    assert [e.action for e in audit_history(agreement) if e.action.startswith("committee")] == [
        "committee_set_up", "committee_member_add", "committee_meeting_add",
        "committee_recommendation_add",
    ]  # fmt: skip


def test_refusals(db):
    agreement = award(instrument="commissioning")
    stranger = factories.OfficerFactory()
    with pytest.raises(PermissionDenied):
        services.committee_set_up(officer=stranger, agreement=agreement, purpose="x")
    assert (
        _client(stranger)
        .post(f"/projects/{agreement.pk}/committee/setup/", {"setup-purpose": "x"})
        .status_code
        == 403
    )
    grant = award()
    with pytest.raises(InvalidTransition):  # a grant is not a commissioned service
        services.committee_set_up(
            officer=grant.proposal.call.created_by, agreement=grant, purpose="x"
        )
    officer = agreement.proposal.call.created_by
    services.committee_set_up(officer=officer, agreement=agreement, purpose="Oversee")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # a meeting still to come is not recorded
        services.meeting_add(
            officer=officer, agreement=agreement,
            data={"held_on": timezone.localdate() + datetime.timedelta(days=3), "minutes": "x"},
        )  # fmt: skip
    assert _client().get("/projects/99999999999/committee/").status_code == 404
    assert _client(officer).post(f"/projects/{agreement.pk}/committee/nonsense/").status_code == 404
