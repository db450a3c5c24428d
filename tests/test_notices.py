"""Notices: recorded once per (kind, object, due date, recipient), shown in the inbox, emailed
in the recipient's language unless they turned email off, and found by the sweep exactly
when they are due: with time travel, re-runs and overlapping sweeps."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from contracts.agreements import services as agreement_services
from portal import notices
from portal.models import Notice, NoticeKind, NoticePreference
from portal.tasks import send_notice_email

from .factories import (
    CallFactory,
    CSOFactory,
    EvaluatorFactory,
    ProposalFactory,
    ReviewerFactory,
    award,
)

pytestmark = pytest.mark.django_db

BKK = datetime.timezone(datetime.timedelta(hours=7))


def at(y, m, d, hour=9):
    return datetime.datetime(y, m, d, hour, tzinfo=BKK)


CONTEXT = {"seq": 1, "number": "G-2570-000001", "title": "โครงการ", "due": "x"}


# What the CSO was told on its way to the agreement: not what these tests are about.
EARLIER = [
    "registration_decided",
    "proposal_received",
    "presentation_scheduled",
    "proposal_decided",
]


def kinds_for(user):
    notices_of = Notice.objects.filter(recipient=user).exclude(kind__in=EARLIER)
    return sorted(notices_of.values_list("kind", flat=True))


# --- notify --------------------------------------------------------------------------------


def test_a_notice_is_recorded_once_per_key(member, django_capture_on_commit_callbacks):
    cso = CSOFactory(status="approved")
    with django_capture_on_commit_callbacks() as queued:
        first = notices.notify(
            "report_due",
            [member, member],
            cso,
            due_on=datetime.date(2027, 4, 1),
            context=CONTEXT,
        )
        again = notices.notify(
            "report_due", [member], cso, due_on=datetime.date(2027, 4, 1), context=CONTEXT
        )
    assert len(first) == 1 and again == []
    assert len(queued) == 1  # one email task, queued once the notice is committed
    later = notices.notify(
        "report_due", [member], cso, due_on=datetime.date(2027, 7, 1), context=CONTEXT
    )
    assert len(later) == 1  # another due date is another notice
    assert Notice.objects.filter(recipient=member).count() == 2


def test_the_notice_speaks_the_recipients_language_with_be_dates(member, other_member):
    member.language = "en"
    member.save(update_fields=["language"])
    cso = CSOFactory(status="approved")
    context = {
        "seq": 2,
        "number": "G-2570-000001",
        "title": "โครงการ",
        "due": datetime.date(2027, 7, 1),
    }
    notices.notify("report_due", [member, other_member], cso, due_on=None, context=context)

    english = Notice.objects.get(recipient=member)
    thai = Notice.objects.get(recipient=other_member)
    assert english.subject == "Progress report 2 of G-2570-000001 is due on 1 July 2570 BE"
    assert "1 กรกฎาคม พ.ศ. 2570" in thai.subject


def test_email_can_be_turned_off_but_a_legal_deadline_stays_in_the_inbox(member):
    cso = CSOFactory(status="approved")
    NoticePreference.objects.create(user=member, kind="report_due", email=False, in_app=False)
    NoticePreference.objects.create(user=member, kind="settlement_due", email=False, in_app=False)
    notices.notify(
        "report_due", [member], cso, context=dict.fromkeys(["seq", "number", "title", "due"], "x")
    )
    notices.notify(
        "settlement_due", [member], cso, context=dict.fromkeys(["number", "title", "due"], "x")
    )

    report = Notice.objects.get(kind="report_due")
    legal = Notice.objects.get(kind="settlement_due")
    assert (report.in_app, report.email_status) == (False, "off")
    assert (legal.in_app, legal.email_status) == (True, "off")


# --- the email channel ------------------------------------------------------------------------


def _one_notice(user):
    cso = CSOFactory(status="approved")
    (notice,) = notices.notify(
        "tranche_paid",
        [user],
        cso,
        context={"seq": 1, "number": "PC-2570-000001", "amount": "152,016.00", "reference": "GF-1"},
        url="/agreements/1/",
    )
    return notice


def test_the_email_goes_once_whatever_runs_twice(member):
    notice = _one_notice(member)

    assert send_notice_email(notice.pk) == 1
    assert send_notice_email(notice.pk) == 0  # a retried or duplicated task
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "152,016.00" in mail.outbox[0].body
    assert mail.outbox[0].body.endswith("/agreements/1/")
    notice.refresh_from_db()
    assert (notice.email_status, notice.email_attempts) == ("sent", 1)


class BrokenSMTP:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_mail_server_outage_keeps_the_notice_and_retries(member, settings):
    settings.EMAIL_BACKEND = "tests.test_notices.BrokenSMTP"
    notice = _one_notice(member)

    with pytest.raises(Exception) as exc:  # celery's Retry: the task is scheduled again
        send_notice_email.apply(args=[notice.pk], throw=True)
    assert "Retry" in type(exc.value).__name__ or "retry" in str(exc.value).lower()

    notice.refresh_from_db()
    assert notice.email_status == "pending"  # to be sent when the server is back
    assert notice.email_attempts == 1
    assert Notice.objects.filter(recipient=member, read_at__isnull=True).count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notice_email(notice.pk) == 1
    assert len(mail.outbox) == 1


def test_stalled_emails_are_queued_again(member, django_capture_on_commit_callbacks):
    notice = _one_notice(member)
    Notice.objects.filter(pk=notice.pk).update(
        email_status="sending",
        emailed_at=timezone.now() - datetime.timedelta(hours=1),
        created_at=timezone.now() - datetime.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks() as queued:
        assert notices.requeue_stalled_email() == 1
    assert len(queued) == 1
    notice.refresh_from_db()
    assert notice.email_status == "pending"


# --- the sweep, with time travel -----------------------------------------------------------


def test_the_three_month_warning_goes_out_on_time_and_once():
    agreement = award()  # ends 2027-12-31; warned by 2027-09-30; 14 days' lead
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by

    with time_machine.travel(at(2027, 9, 15)):
        notices.sweep()
    assert "partnership_ending" not in kinds_for(member)

    with time_machine.travel(at(2027, 9, 16)):
        notices.sweep()
        notices.sweep()  # a second run sends nothing new
    assert kinds_for(member).count("partnership_ending") == 1
    warning = Notice.objects.get(recipient=member, kind="partnership_ending")
    assert warning.due_on == datetime.date(2027, 9, 30)
    assert "end_warning_late" not in kinds_for(officer)

    with time_machine.travel(at(2027, 10, 5)):
        notices.sweep()
    assert "end_warning_late" not in kinds_for(officer)  # the warning went out in time


def test_a_late_warning_alerts_the_officer():
    agreement = award()
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by
    NoticeKind.objects.filter(code="partnership_ending").update(active=False)  # never sent

    with time_machine.travel(at(2027, 10, 1)):
        notices.sweep()
        notices.sweep()
    assert kinds_for(officer).count("end_warning_late") == 1
    assert "partnership_ending" not in kinds_for(member)


def test_an_end_notice_is_the_warning_for_its_new_end_date():
    agreement = award(instrument="commissioning", data={"end_date": datetime.date(2029, 12, 31)})
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by
    with time_machine.travel(at(2027, 11, 30)):
        agreement_services.agreement_end_notice(
            agreement=agreement,
            officer=officer,
            end_date=datetime.date(2028, 2, 29),
            reason="ปรับแผนงบประมาณ",
        )
        notices.sweep()
    assert "end_notice" in kinds_for(member)  # told at once
    with time_machine.travel(at(2027, 12, 15)):
        notices.sweep()
    assert "end_warning_late" not in kinds_for(officer)


def test_reports_evaluations_and_settlement_fall_due_and_overdue():
    agreement = award(instrument="performance_contract")
    member = agreement.cso.members.get()
    officer = agreement.proposal.call.created_by
    evaluator = EvaluatorFactory()
    midterm = agreement.evaluations.get(kind="midterm")  # due 2027-07-02
    midterm.evaluators.add(evaluator)

    with time_machine.travel(at(2027, 3, 24)):  # report 1 due 2027-04-01, 7 days' lead
        notices.sweep()
    assert kinds_for(member) == ["agreement_offered"]
    with time_machine.travel(at(2027, 3, 25)):
        notices.sweep()
    assert kinds_for(member) == ["agreement_offered", "report_due"]

    with time_machine.travel(at(2027, 4, 2)):
        notices.sweep()
    assert kinds_for(member).count("report_overdue") == 1
    assert "report_overdue" in kinds_for(officer)

    with time_machine.travel(at(2027, 6, 18)):  # 14 days before the mid-term
        notices.sweep()
    assert "evaluation_due" in kinds_for(evaluator)
    assert "evaluation_due" in kinds_for(officer)
    assert "evaluation_due" not in kinds_for(member)

    with time_machine.travel(at(2028, 2, 15)):  # settlement due 2028-02-29
        notices.sweep()
    assert "settlement_due" in kinds_for(member)


def test_tranche_released_and_paid_reach_the_cso():
    from .factories import ApiClientFactory

    agreement = award(instrument="performance_contract")
    member = agreement.cso.members.get()
    first = agreement.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=first, officer=agreement.proposal.call.created_by)
    agreement_services.tranche_pay(
        tranche=first,
        user=ApiClientFactory(scopes=["payments"]).user,
        payment_reference="GFMIS-77",
        paid_on=timezone.localdate(),
    )
    assert kinds_for(member) == ["agreement_offered", "tranche_paid", "tranche_released"]
    paid = Notice.objects.get(recipient=member, kind="tranche_paid")
    assert "GFMIS-77" in paid.body and "152,016.00" in paid.body


def test_calls_closing_soon_and_closed():
    call = CallFactory()
    draft = ProposalFactory(call=call)
    sent = ProposalFactory(call=call, status="submitted")
    drafter = draft.cso.members.get()
    sender = sent.cso.members.get()
    officer = call.created_by
    officer.language = "en"
    officer.save(update_fields=["language"])

    with time_machine.travel(call.closes_at - datetime.timedelta(days=4)):
        notices.sweep()
    assert kinds_for(drafter) == []
    with time_machine.travel(call.closes_at - datetime.timedelta(days=2)):
        notices.sweep()
    assert kinds_for(drafter) == ["call_closing_soon"]
    assert kinds_for(sender) == []  # only drafts are reminded
    with time_machine.travel(call.closes_at + datetime.timedelta(minutes=10)):
        notices.sweep()
    assert kinds_for(officer) == ["call_closed"]
    assert "1 proposals" in Notice.objects.get(recipient=officer).body
    with time_machine.travel(call.closes_at + datetime.timedelta(days=15)):
        notices.sweep()
    assert "proposals_waiting" in kinds_for(officer)


def test_a_registration_that_waits_too_long_reaches_the_reviewers():
    reviewer = ReviewerFactory()
    cso = CSOFactory(status="submitted")
    with time_machine.travel(cso.submitted_at + datetime.timedelta(days=13)):
        notices.sweep()
    assert kinds_for(reviewer) == []
    with time_machine.travel(cso.submitted_at + datetime.timedelta(days=14, minutes=1)):
        notices.sweep()
        notices.sweep()
    assert kinds_for(reviewer) == ["registration_waiting"]


def test_the_staff_admin_changes_a_lead_time():
    agreement = award()
    member = agreement.cso.members.get()
    NoticeKind.objects.filter(code="partnership_ending").update(lead_days=30)
    with time_machine.travel(at(2027, 8, 31)):  # 30 days before the 30 September warning day
        notices.sweep()
    assert "partnership_ending" in kinds_for(member)


def test_the_sweeps_cost_grows_with_what_is_due(django_assert_max_num_queries):
    for _ in range(3):
        award()  # agreements far from any deadline today
    with django_assert_max_num_queries(40):
        assert notices.sweep() == 0


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_notice_once():
    agreement = award()
    member = agreement.cso.members.get()
    start = threading.Barrier(2, timeout=10)
    errors = []

    def run():
        try:
            start.wait()
            with time_machine.travel(at(2027, 10, 1), tick=False):
                notices.sweep()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert kinds_for(member).count("partnership_ending") == 1
    officer = agreement.proposal.call.created_by
    assert kinds_for(officer).count("end_warning_late") <= 1
