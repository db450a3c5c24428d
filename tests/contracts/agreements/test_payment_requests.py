"""Tranches paid on request (issue 17, item 9): at the award, a grant's later tranches may be
released when the organisation asks, citing an accepted progress report and saying what was
reached; the officer approves by releasing or returns the request with a reason. Services,
API, pages and a race on PostgreSQL."""

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from contracts.agreements import services
from contracts.agreements.models import MoneyMovement, PaymentRequest, Tranche
from portal.audit import audit_history
from portal.notices.models import Notice
from portal.workflow import InvalidTransition
from tests.factories import award, send_reports
from tests.helpers import assert_error, at, fresh, member_of, officer_of, run_together, text

pytestmark = [pytest.mark.usefixtures("english")]
C = Tranche.Condition
MILESTONES = ["ศูนย์เปิดให้บริการ", "ผู้สูงอายุ 60 คนได้รับการเยี่ยมบ้าน"]
ON_REQUEST = {
    "shares": ["40", "30", "30"],
    "paid_on_request": True,
    "milestones": MILESTONES,
    "considered_funding": True,
}
AFTER_REPORT_1 = at(2027, 4, 5)  # report 1 fell due on 1 April 2570 BE


def _running():
    """A signed grant of three tranches, the later two paid on request, with tranche 1
    released (the organisation's bank account is on record)."""
    agreement = award(terms=ON_REQUEST)
    services.tranche_release(tranche=agreement.tranches.get(seq=1), officer=officer_of(agreement))
    return agreement


def _ask(agreement, seq=2, report=1, note="ศูนย์เปิดให้บริการแล้วตั้งแต่ 1 มีนาคม"):
    return services.payment_request_submit(
        tranche=agreement.tranches.get(seq=seq),
        user=member_of(agreement),
        note=note,
        report=report,
    )


def _accept_report_1(agreement):
    send_reports(agreement, due_before=at(2027, 4, 2).date(), accept=True)


# --- the award ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_award_sets_the_later_tranches_on_request_with_their_milestones():
    agreement = award(terms=ON_REQUEST, sign=False)
    assert [(t.seq, t.condition, t.milestone) for t in agreement.tranches.all()] == [
        (1, C.ON_SIGNING, ""),
        (2, C.ON_REQUEST, MILESTONES[0]),
        (3, C.ON_REQUEST, MILESTONES[1]),
    ]
    assert audit_history(agreement).get(action="award").data["paid_on_request"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "instrument, terms, field, message",
    [
        ("performance_contract", {"paid_on_request": True}, "paid_on_request", "on completion"),
        ("grant", {"paid_on_request": True}, "paid_on_request", "two tranches or more"),
        ("grant", {"shares": ["50", "50"], "milestones": ["x"]}, "milestones", "paid on request"),
        (
            "grant",
            {"shares": ["50", "50"], "paid_on_request": True, "milestones": ["a", "b"]},
            "milestones",
            "At most 1 milestone",
        ),
        ("grant", {"shares": ["50", "50"], "paid_on_request": "yes"}, "paid_on_request", "yes"),
    ],
)
def test_the_award_refuses_what_cannot_be_paid_on_request(instrument, terms, field, message):
    from tests.factories import selected_proposal

    proposal = selected_proposal(instrument=instrument)
    with pytest.raises(ValidationError) as refused:
        services.agreement_award(
            proposal=proposal,
            officer=proposal.call.created_by,
            considered_funding=True,
            **terms,
        )
    assert message in refused.value.message_dict[field][0]
    assert not hasattr(fresh(proposal), "agreement") or fresh(proposal).agreement is None


# --- asking, returning, approving ----------------------------------------------------------


@pytest.mark.django_db
def test_a_tranche_on_request_is_asked_for_returned_asked_again_and_released():
    agreement = _running()
    officer, member = officer_of(agreement), member_of(agreement)
    second = agreement.tranches.get(seq=2)
    with pytest.raises(InvalidTransition) as refused:  # no accepted report yet
        _ask(agreement)
    assert "accepted progress report" in refused.value.message
    with pytest.raises(InvalidTransition) as refused:  # the officer cannot release unasked
        services.tranche_release(tranche=second, officer=officer)
    assert "has not asked yet" in refused.value.message

    with time_machine.travel(AFTER_REPORT_1):
        _accept_report_1(agreement)
        with pytest.raises(InvalidTransition) as refused:
            _ask(agreement, seq=3)
        assert "earlier tranches are released first" in refused.value.message
        with pytest.raises(ValidationError) as refused:
            _ask(agreement, report=2)  # report 2 is not accepted
        assert "accepted progress report" in refused.value.message_dict["report"][0]
        with pytest.raises(ValidationError) as refused:
            _ask(agreement, note="  ")
        assert "Say what was reached" in refused.value.message_dict["note"][0]

        first = _ask(agreement)
        assert (first.number, first.status, first.report.seq) == (1, "pending", 1)
        told = Notice.objects.get(kind="payment_requested")
        assert told.recipient == officer
        assert agreement.number in told.subject
        with pytest.raises(InvalidTransition) as refused:
            _ask(agreement)
        assert "waiting for the agency" in refused.value.message

        with pytest.raises(ValidationError):
            services.payment_request_return(payment_request=first, officer=officer, reason=" ")
        services.payment_request_return(
            payment_request=first, officer=officer, reason="แนบภาพถ่ายศูนย์ที่เปิดแล้ว"
        )
        back = Notice.objects.get(kind="payment_request_returned")
        assert back.recipient == member and "แนบภาพถ่าย" in back.body
        assert not MoneyMovement.objects.filter(tranche=second).exists()

        again = _ask(agreement, note="เปิดศูนย์แล้ว มีภาพถ่ายในรายงานงวดที่ 1")
        assert again.number == 2
        released = services.tranche_release(tranche=second, officer=officer)

    assert released.status == "released"
    assert [(r.number, r.status) for r in second.payment_requests.all()] == [
        (1, "returned"),
        (2, "approved"),
    ]
    approved = PaymentRequest.objects.get(tranche=second, number=2)
    assert approved.answered_by == officer
    assert [row.action for row in audit_history(first)] == [
        "request_payment",
        "return_payment_request",
    ]
    assert [row.action for row in audit_history(approved)] == [
        "request_payment",
        "approve_payment_request",
    ]
    assert audit_history(released).get(action="release").data["payment_request"] == 2

    # Report 1 evidenced tranche 2: tranche 3 waits for another accepted report.
    with time_machine.travel(AFTER_REPORT_1), pytest.raises(InvalidTransition) as refused:
        _ask(agreement, seq=3)
    assert "evidences no other request" in refused.value.message


@pytest.mark.django_db
def test_only_the_organisation_asks_and_only_the_agency_returns(other_officer):
    agreement = _running()
    with time_machine.travel(AFTER_REPORT_1):
        _accept_report_1(agreement)
        for user in (officer_of(agreement), other_officer):
            with pytest.raises(PermissionDenied):
                services.payment_request_submit(
                    tranche=agreement.tranches.get(seq=2), user=user, note="x", report=1
                )
        waiting = _ask(agreement)
        for user in (member_of(agreement), other_officer):
            with pytest.raises(PermissionDenied):
                services.payment_request_return(payment_request=waiting, officer=user, reason="x")
    assert fresh(waiting).status == "pending"


@pytest.mark.django_db
def test_a_tranche_not_paid_on_request_cannot_be_asked_for():
    agreement = award(terms={"shares": ["50", "50"], "considered_funding": True})
    with pytest.raises(InvalidTransition) as refused:
        _ask(agreement)
    assert "not paid on request" in refused.value.message


# --- the API --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_asks_shows_and_returns_a_request(api_as):
    agreement = _running()
    url = f"/api/v1/agreements/{agreement.pk}/tranches/2/request/"
    member = api_as(member_of(agreement))
    officer = api_as(officer_of(agreement))
    with time_machine.travel(AFTER_REPORT_1):
        _accept_report_1(agreement)
        assert_error(member.post(url, {"report": 1}, format="json"), 400, "validation_error",
                     fields=["note"])  # fmt: skip
        assert_error(
            member.post(url, {"report": 1, "note": "x", "amount": "9"}, format="json"),
            400,
            "validation_error",
        )
        assert_error(officer.post(url, {"report": 1, "note": "x"}, format="json"), 403,
                     "permission_denied")  # fmt: skip
        made = member.post(url, {"report": 1, "note": "ศูนย์เปิดแล้ว"}, format="json")
        assert made.status_code == 201, made.content
        assert made.json()["status"] == "pending" and made.json()["report"] == 1
        assert_error(member.post(url, {"report": 1, "note": "อีกครั้ง"}, format="json"), 409,
                     "invalid_transition")  # fmt: skip

        tranches = officer.get(f"/api/v1/agreements/{agreement.pk}/tranches/").json()
        assert tranches[1]["condition"] == "on_request"
        assert tranches[1]["milestone"] == MILESTONES[0]
        assert [r["status"] for r in tranches[1]["payment_requests"]] == ["pending"]

        back = officer.post(url + "return/", {"reason": "ขอภาพถ่ายเพิ่ม"}, format="json")
        assert back.status_code == 200, back.content
        assert back.json()["return_reason"] == "ขอภาพถ่ายเพิ่ม"
        assert_error(officer.post(url + "return/", {"reason": "x"}, format="json"), 409,
                     "invalid_transition")  # fmt: skip


@pytest.mark.django_db
def test_the_api_awards_with_tranches_on_request(api_as):
    from tests.factories import selected_proposal

    proposal = selected_proposal()
    officer = api_as(proposal.call.created_by)
    answer = officer.post(
        f"/api/v1/proposals/{proposal.pk}/award/",
        {**ON_REQUEST, "shares": ["40.00", "30.00", "30.00"]},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert [t["condition"] for t in answer.json()["tranches"]] == [
        "on_signing",
        "on_request",
        "on_request",
    ]


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_organisation_asks_and_the_officer_returns_on_the_page(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    agreement = _running()
    url = reverse("tranche-request", args=[agreement.pk, 2])
    with time_machine.travel(AFTER_REPORT_1):
        client.force_login(member_of(agreement))
        page = text(client.get(url))
        assert "You cannot ask yet" in page and "send the next report first" in page
        _accept_report_1(agreement)
        assert "Send the request" in text(client.get(url))
        typed = {"action": "ask", "ask-report": "1", "ask-note": ""}
        refused = client.post(url, typed)
        assert refused.status_code == 400
        assert "Say what was reached" in text(refused)
        sent = client.post(url, {**typed, "ask-note": "เปิดศูนย์แล้ว"})
        assert sent.status_code == 302
        detail = text(client.get(reverse("agreement-detail", args=[agreement.pk])))
        assert "Milestone: " + MILESTONES[0] in detail and "one waits for an answer" in detail

        client.force_login(officer_of(agreement))
        page = text(client.get(url))
        assert "Request 1 waits for your answer" in page and "เปิดศูนย์แล้ว" in page
        assert "Approve and release tranche 2" in page
        release = text(client.get(reverse("tranche-release", args=[agreement.pk, 2])))
        assert "Request 1, citing progress report 1: เปิดศูนย์แล้ว" in release
        kept = client.post(url, {"action": "return", "return-reason": ""})
        assert kept.status_code == 400 and "Give a reason" in text(kept)
        back = client.post(url, {"action": "return", "return-reason": "ขอภาพถ่ายเพิ่ม"})
        assert back.status_code == 302
        page = text(client.get(url))
        assert "Returned" in page and "ขอภาพถ่ายเพิ่ม" in page
    assert fresh(agreement.tranches.get(seq=2)).status == "scheduled"


@pytest.mark.django_db
def test_a_tranche_released_on_its_date_has_no_request_page(client):
    agreement = award(terms={"shares": ["50", "50"], "considered_funding": True})
    client.force_login(member_of(agreement))
    assert client.get(reverse("tranche-request", args=[agreement.pk, 2])).status_code == 404


# --- at once, on PostgreSQL -----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_leave_one_waiting():
    agreement = _running()
    with time_machine.travel(AFTER_REPORT_1, tick=True):
        _accept_report_1(agreement)
        outcomes = run_together(lambda: _ask(agreement), lambda: _ask(agreement))
    made = [o for o in outcomes if isinstance(o, PaymentRequest)]
    assert len(made) == 1, outcomes
    assert isinstance(next(o for o in outcomes if o not in made), InvalidTransition), outcomes
    assert PaymentRequest.objects.filter(tranche__agreement=agreement).count() == 1


# --- the queues and the feed (found in review) ----------------------------------------------


@pytest.mark.django_db
def test_the_queues_wait_for_the_request_not_for_the_date():
    from contracts.agreements.queues import overdue_tranches, tranches_to_release
    from tests.factories import StaffAdminFactory

    agreement = _running()
    officer = officer_of(agreement)
    late = at(2027, 12, 30)  # every planned date has passed

    def listed(queue, user, moment):
        with time_machine.travel(moment):
            found = queue(user, moment.date())
        return [item.note.split(" — ")[0] for item in found.items if agreement.number in item.text]

    assert "Tranche 2" not in listed(overdue_tranches, StaffAdminFactory(), late)
    assert "Tranche 2" not in listed(tranches_to_release, officer, late)
    with time_machine.travel(AFTER_REPORT_1):
        _accept_report_1(agreement)
        _ask(agreement)
    # Asked for before its planned date: the officer's queue has it at once.
    assert "Tranche 2" in listed(tranches_to_release, officer, AFTER_REPORT_1)


@pytest.mark.django_db
def test_the_release_answer_reads_the_requests_in_the_same_queries_however_many(api_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for returned in (0, 2):
        agreement = _running()
        officer = officer_of(agreement)
        with time_machine.travel(AFTER_REPORT_1):
            _accept_report_1(agreement)
            for _ in range(returned):
                services.payment_request_return(
                    payment_request=_ask(agreement), officer=officer, reason="ขอเพิ่ม"
                )
            _ask(agreement)
            client = api_as(officer)
            url = f"/api/v1/agreements/{agreement.pk}/tranches/2/release/"
            with CaptureQueriesContext(connection) as captured:
                answer = client.post(url, format="json")
        assert answer.status_code == 200, answer.content
        assert len(answer.json()["payment_requests"]) == returned + 1
        counts.append(len(captured))
    assert counts[0] == counts[1]
