"""The committee's decision reaches the CSO's members: a notice in the portal and an email,
each in the member's language, recorded in the decision's transaction."""

import pytest
from django.core import mail

from csos.models import CSO
from csos.review import services as review_services
from portal.models import Notice
from portal.notices.delivery import send_notice_email
from portal.workflow import InvalidTransition
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_decision_notifies_the_members_and_queues_the_email_after_commit(
    django_capture_on_commit_callbacks,
):
    cso = factories.CSOFactory(status=CSO.Status.SUBMITTED)
    reviewer = factories.ReviewerFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_services.cso_reject(cso=cso, reviewer=reviewer, reason="ไม่ใช่องค์กรไม่แสวงกำไร")
    assert len(callbacks) == 1
    notice = Notice.objects.get(kind="registration_decided")
    assert notice.recipient == cso.members.get()
    assert "ไม่ใช่องค์กรไม่แสวงกำไร" in notice.body


def test_a_refused_decision_notifies_no_one(django_capture_on_commit_callbacks):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT)
    reviewer = factories.ReviewerFactory()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(InvalidTransition),
    ):
        review_services.cso_reject(cso=cso, reviewer=reviewer, reason="x")
    assert callbacks == []
    assert not Notice.objects.exists()


def test_members_get_the_reason_in_their_language():
    cso = factories.CSOFactory(status=CSO.Status.SUBMITTED)
    thai = cso.members.get()
    english = factories.MemberFactory(email="en@example.org", language="en")
    english.cso = cso
    english.save()

    review_services.cso_request_changes(
        cso=cso, reviewer=factories.ReviewerFactory(), reason="แนบงบการเงินปีล่าสุด"
    )
    for notice in Notice.objects.filter(kind="registration_decided"):
        assert send_notice_email(notice.pk) == 1

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "แนบงบการเงินปีล่าสุด" in by_recipient[thai.email].body
    assert cso.name_th in by_recipient[thai.email].subject
    assert "Changes requested" in by_recipient["en@example.org"].subject
    assert "submit the registration again" in by_recipient["en@example.org"].body


def test_each_decision_is_its_own_notice():
    cso = factories.CSOFactory(status=CSO.Status.APPROVED)
    reviewer = factories.ReviewerFactory()
    review_services.cso_suspend(cso=cso, reviewer=reviewer, reason="ขาดรายงาน")
    review_services.cso_reinstate(cso=cso, reviewer=reviewer)
    review_services.cso_suspend(cso=cso, reviewer=reviewer, reason="ขาดรายงานอีกครั้ง")
    bodies = list(
        Notice.objects.filter(kind="registration_decided")
        .order_by("created_at", "id")
        .values_list("body", flat=True)
    )
    assert len(bodies) == 4  # approved (by the factory), suspended, reinstated, suspended
    assert "ขาดรายงานอีกครั้ง" in bodies[-1]
