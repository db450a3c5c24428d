"""The "what needs you" page: after signing in each person lands on the queues of their
roles, counted, the oldest first, each item linking to where it is acted on; each queue is
one query whatever the number of rows."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.dates import format_be
from portal.home.registry import queues_for
from tests import factories
from tests.factories.portal import PASSWORD
from tests.helpers import at, page

pytestmark = pytest.mark.django_db


def _queue(response, key):
    html = page(response)
    start = html.index(f'data-queue="{key}"')
    return html[start : html.index("</section>", start)]


def test_signing_in_lands_on_what_needs_you(client):
    officer = factories.OfficerFactory()
    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("my-work")


def test_the_page_asks_to_sign_in_first(client):
    response = client.get(reverse("my-work"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_officer_sees_their_agencys_proposals_waiting_oldest_first(client):
    officer = factories.OfficerFactory()
    call = factories.CallFactory(officer=officer)
    older = factories.ProposalFactory(call=call, status="submitted", title="โครงการเก่า")
    later = timezone.now() + datetime.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        newer = factories.ProposalFactory(call=call, status="submitted", title="โครงการใหม่")
        other_agency = factories.ProposalFactory(status="submitted", title="โครงการหน่วยงานอื่น")
        client.force_login(officer)
        queue = _queue(client.get(reverse("my-work")), "proposals_to_decide")

    assert "(2)" in queue
    assert queue.index("โครงการเก่า") < queue.index("โครงการใหม่")
    assert reverse("proposal-detail", args=[older.pk]) in queue
    assert reverse("proposal-detail", args=[newer.pk]) in queue
    sent = format_be(timezone.localtime(older.submitted_at).date(), language="th")
    assert f"ส่งเมื่อ {sent}" in queue  # the date it was sent, in the Buddhist Era
    assert other_agency.title not in queue


def test_a_long_queue_shows_ten_and_links_to_all(client):
    officer = factories.OfficerFactory()
    call = factories.CallFactory(officer=officer)
    for _n in range(11):
        factories.ProposalFactory(call=call, status="submitted")
    client.force_login(officer)
    queue = _queue(client.get(reverse("my-work")), "proposals_to_decide")
    assert queue.count("<li>") == 10
    assert "(11)" in queue


def test_each_officer_queue_is_one_query_whatever_the_rows():
    officer = factories.OfficerFactory()
    call = factories.CallFactory(officer=officer)
    factories.ProposalFactory(call=call, status="submitted")
    officer = type(officer).objects.get(pk=officer.pk)
    officer.roles  # noqa: B018 (the roles are read once per request, before the queues)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            queues = queues_for(officer)
        return len(captured), queues

    few, queues = queries()
    for _n in range(3):
        factories.ProposalFactory(call=call, status="submitted")
    many, queues_after = queries()

    assert few == many == len(queues) == 7  # with the grievances to answer
    decide = next(q for q in queues_after if q.key == "proposals_to_decide")
    assert decide.count == 4


def test_a_cso_member_sees_open_calls_their_organisation_is_eligible_for(client):
    cso = factories.CSOFactory(status="approved")  # serves Bangkok, certified in social services
    eligible = factories.CallFactory(title="ทุนที่องค์กรยื่นได้")
    elsewhere = factories.CallFactory(title="ทุนเฉพาะเชียงใหม่", eligible_provinces=["50"])
    client.force_login(cso.members.first())

    queue = _queue(client.get(reverse("my-work")), "eligible_calls")

    assert eligible.title in queue
    assert elsewhere.title not in queue
    assert reverse("call-detail", args=[eligible.pk]) in queue


def test_the_open_calls_follow_the_fields_the_committee_certified(client):
    # Declared in two fields, certified in social services only.
    cso = factories.CSOFactory(
        status="approved",
        activity_fields=["social_services", "health"],
        certified_fields=["social_services"],
    )
    certified = factories.CallFactory(
        title="ทุนด้านสังคมสงเคราะห์", eligible_activity_fields=["social_services"]
    )
    declared_only = factories.CallFactory(title="ทุนด้านสุขภาพ", eligible_activity_fields=["health"])
    client.force_login(cso.members.first())

    queue = _queue(client.get(reverse("my-work")), "eligible_calls")

    assert certified.title in queue
    assert declared_only.title not in queue


def test_a_reviewer_sees_registrations_waiting_and_for_how_long(client):
    with time_machine.travel(at(2026, 3, 1), tick=False):
        cso = factories.CSOFactory(status="submitted")
    reviewer = factories.ReviewerFactory()
    client.force_login(reviewer)
    with time_machine.travel(at(2026, 3, 11), tick=False):
        queue = _queue(client.get(reverse("my-work")), "registrations_waiting")
    assert cso.name_th in queue
    assert reverse("review-detail", args=[cso.pk]) in queue
    assert "10 วัน" in queue


def test_staff_see_overdue_reports_across_agencies(client):
    agreement = factories.award()
    report = agreement.reports.order_by("due_on").first()
    staff = factories.StaffAdminFactory()
    late = report.due_on + datetime.timedelta(days=2)
    with time_machine.travel(at(late.year, late.month, late.day), tick=False):
        client.force_login(staff)
        queue = _queue(client.get(reverse("my-work")), "overdue_reports")
    assert agreement.number in queue
    assert reverse("report-detail", args=[agreement.pk, report.seq]) in queue
    assert "(1)" in queue


def _count_queries(user):
    user = type(user).objects.get(pk=user.pk)
    user.roles  # noqa: B018 (read once per request, before the queues)
    with CaptureQueriesContext(connection) as captured:
        queues = queues_for(user)
    return len(captured), {q.key: q.count for q in queues}


def test_staff_and_reviewer_queues_cost_the_same_queries_whatever_the_rows():
    staff = factories.StaffAdminFactory()
    reviewer = factories.ReviewerFactory()
    factories.CSOFactory(status="submitted")
    staff_few, _ = _count_queries(staff)
    reviewer_few, before = _count_queries(reviewer)

    factories.CSOFactory(status="submitted")
    factories.CSOFactory(status="submitted")
    staff_many, _ = _count_queries(staff)
    reviewer_many, after = _count_queries(reviewer)

    assert staff_few == staff_many == 4  # one query per queue (grievances to route too)
    assert reviewer_few == reviewer_many == 1
    assert (before["registrations_waiting"], after["registrations_waiting"]) == (1, 3)


def test_a_cso_members_queues_cost_the_same_queries_whatever_the_rows():
    cso = factories.CSOFactory(status="approved")
    member = cso.members.first()
    factories.CallFactory()
    few, before = _count_queries(member)
    factories.CallFactory()
    factories.CallFactory()
    many, after = _count_queries(member)

    assert few == many
    assert (before["eligible_calls"], after["eligible_calls"]) == (1, 3)


# The lists are kept per person until a table they are read from is written
# (portal/caching.personal): an officer comes back to this page all day.


def _reads(captured, table):
    return [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]


def test_coming_back_reads_no_list_again_until_one_changes(client):
    officer = factories.OfficerFactory()
    call = factories.CallFactory(officer=officer)
    factories.ProposalFactory(call=call, status="submitted", title="โครงการแรก")
    client.force_login(officer)
    client.get(reverse("my-work"))

    with CaptureQueriesContext(connection) as again:
        queue = _queue(client.get(reverse("my-work")), "proposals_to_decide")
    assert "โครงการแรก" in queue and "(1)" in queue
    assert not _reads(again, "contracts_proposal")

    factories.ProposalFactory(call=call, status="submitted", title="โครงการที่สอง")
    with CaptureQueriesContext(connection) as after_write:
        queue = _queue(client.get(reverse("my-work")), "proposals_to_decide")
    assert "โครงการที่สอง" in queue and "(2)" in queue
    assert _reads(after_write, "contracts_proposal")


def test_one_persons_kept_lists_are_never_shown_to_another(client):
    agency = factories.AgencyFactory()
    first = factories.OfficerFactory(agency=agency)
    factories.ProposalFactory(
        call=factories.CallFactory(officer=first), status="submitted", title="ของหน่วยงานแรก"
    )
    client.force_login(first)
    assert "ของหน่วยงานแรก" in _queue(client.get(reverse("my-work")), "proposals_to_decide")

    other = factories.OfficerFactory()  # another agency, nothing waiting
    client.force_login(other)
    assert "ของหน่วยงานแรก" not in page(client.get(reverse("my-work")))


def test_a_new_agency_or_role_shows_its_lists_at_once(client):
    officer = factories.OfficerFactory()
    elsewhere = factories.CallFactory()
    factories.ProposalFactory(call=elsewhere, status="submitted", title="ของหน่วยงานใหม่")
    client.force_login(officer)
    html = page(client.get(reverse("my-work")))
    assert "ของหน่วยงานใหม่" not in html and 'data-queue="reviews_to_finish"' not in html

    type(officer).objects.filter(pk=officer.pk).update(agency=elsewhere.agency)
    assert "ของหน่วยงานใหม่" in _queue(client.get(reverse("my-work")), "proposals_to_decide")

    officer.role_rows.create(role="evaluator")  # the evaluator's list, empty as yet
    assert "reviews_to_finish" in page(client.get(reverse("my-work")))


def test_the_kept_lists_follow_the_language_and_the_day(client):
    officer = factories.OfficerFactory()
    call = factories.CallFactory(officer=officer)
    factories.ProposalFactory(call=call, status="submitted")
    client.force_login(officer)
    thai = _queue(client.get(reverse("my-work")), "proposals_to_decide")
    english = _queue(
        client.get(reverse("my-work"), HTTP_ACCEPT_LANGUAGE="en"), "proposals_to_decide"
    )
    assert "ข้อเสนอที่รอการตัดสิน" in thai
    assert "Proposals waiting for a decision" in english


def test_the_kept_lists_follow_the_day(client):
    with time_machine.travel(at(2026, 3, 1), tick=False):
        factories.CSOFactory(status="submitted")
    reviewer = factories.ReviewerFactory()
    client.force_login(reviewer)
    before_midnight = at(2026, 3, 11, hour=23) + datetime.timedelta(minutes=59, seconds=50)
    waited = []
    for moment in (before_midnight, before_midnight + datetime.timedelta(seconds=20)):
        with time_machine.travel(moment, tick=False):
            waited.append(_queue(client.get(reverse("my-work")), "registrations_waiting"))
    assert "10 วัน" in waited[0]
    assert "11 วัน" in waited[1]  # twenty seconds later, but the next day
