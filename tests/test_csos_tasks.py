"""The committee's decision reaches the CSO's members by email, through Celery."""

import pytest
from django.core import mail

from csos import services
from csos.models import CSO
from csos.tasks import send_decision_email
from portal.workflow import InvalidTransition

from . import factories

pytestmark = pytest.mark.django_db


def test_a_decision_queues_the_email_only_after_commit(django_capture_on_commit_callbacks):
    cso = factories.CSOFactory(status=CSO.Status.SUBMITTED)
    reviewer = factories.ReviewerFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.cso_reject(cso=cso, reviewer=reviewer, reason="ไม่ใช่องค์กรไม่แสวงกำไร")
    assert len(callbacks) == 1


def test_a_refused_decision_queues_nothing(django_capture_on_commit_callbacks):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT)
    reviewer = factories.ReviewerFactory()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(InvalidTransition),
    ):
        services.cso_reject(cso=cso, reviewer=reviewer, reason="x")
    assert callbacks == []


def test_members_get_the_reason_in_their_language():
    cso = factories.CSOFactory(status=CSO.Status.CHANGES_REQUESTED)
    thai = cso.members.get()
    english = factories.MemberFactory(email="en@example.org", language="en")
    english.cso = cso
    english.save()

    assert send_decision_email(cso.pk, "request_changes") == 2

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "แนบงบการเงินปีล่าสุด" in by_recipient[thai.email].body
    assert cso.name_th in by_recipient[thai.email].subject
    assert "Changes requested" in by_recipient["en@example.org"].subject
    assert "submit the registration again" in by_recipient["en@example.org"].body


def test_a_deleted_cso_sends_nothing():
    assert send_decision_email(999999, "approve") == 0
    assert mail.outbox == []
