"""/api/v1/notices/: the caller's in-app notices with their related object, the unread and
kind filters, marking one read (once: the first moment is kept), someone else's notice as
404, the anonymous caller as 401, and a list that costs the same at any length."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Notice
from portal.notices.services import notice_preferences_save, notify
from tests import factories
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notices/"
CONTEXT = {"seq": 1, "number": "G-2570-000001", "title": "เยี่ยมบ้าน", "due": "1 เม.ย."}


def read_url(notice) -> str:
    return f"{LIST}{notice.pk}/read/"


def give(user, n=1, *, kind="report_due", start=datetime.date(2027, 4, 1)):
    user.language = "en"  # notices are written in the recipient's language
    user.save(update_fields=["language"])
    about = factories.AgencyFactory()
    made = []
    for i in range(n):
        made += notify(
            kind,
            [user],
            about,
            due_on=start + datetime.timedelta(days=i),
            context={**CONTEXT, "seq": i + 1},
            url="/calls/",
        )
    return made


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


def test_anonymous_callers_get_401(api_client, member):
    (notice,) = give(member)
    assert_error(api_client.get(LIST), 401, "not_authenticated")
    assert_error(api_client.post(read_url(notice)), 401, "not_authenticated")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_list_has_the_callers_notices_with_their_related_object(api_as, other_member):
    agreement = factories.award()
    member = agreement.cso.members.get()
    (due,) = give(member, start=datetime.date(2027, 4, 1))
    theirs = {n.pk for n in give(other_member, 2)}

    body = api_as(member).get(LIST).json()
    assert set(body) == {"count", "next", "previous", "results"}
    mine = Notice.objects.filter(recipient=member, in_app=True)
    assert body["count"] == mine.count()  # the offer, the report, and what came before
    listed = [row["id"] for row in body["results"]]
    assert not theirs & set(listed)
    assert listed == sorted(listed, reverse=True)  # newest first
    newest = body["results"][0]
    assert newest["id"] == due.pk
    assert set(newest) == {
        "id",
        "kind",
        "subject",
        "body",
        "created_at",
        "read_at",
        "due_on",
        "related",
    }
    assert newest["kind"] == "report_due"
    assert newest["due_on"] == "2027-04-01"  # ISO 8601, C.E., in the API
    assert newest["read_at"] is None and newest["subject"] == due.subject
    assert newest["related"]["type"] == "agency"
    (offered,) = [row for row in body["results"] if row["kind"] == "agreement_offered"]
    assert offered["related"] == {
        "type": "agreement",
        "id": agreement.pk,
        "url": f"http://testserver/agreements/{agreement.pk}/",
    }


def test_filters_unread_and_kind(api_as, member):
    due = give(member, 2, kind="report_due")
    (paid,) = give(member, kind="tranche_paid")
    client = api_as(member)
    client.post(read_url(due[0]))

    assert ids(client.get(LIST, {"unread": "true"})) == [paid.pk, due[1].pk]
    assert ids(client.get(LIST, {"unread": "false"})) == [due[0].pk]
    assert ids(client.get(LIST, {"kind": "tranche_paid"})) == [paid.pk]
    assert ids(client.get(LIST, {"kind": "report_due", "unread": "true"})) == [due[1].pk]
    assert ids(client.get(LIST, {"search": "Tranche"})) == [paid.pk]
    assert_error(client.get(LIST, {"kind": "nonsense"}), 400, "validation_error", fields=["kind"])
    assert client.get(LIST, {"page_size": 1}).json()["next"]


def test_notices_turned_off_in_the_portal_are_not_listed(api_as, member):
    notice_preferences_save(user=member, choices={"tranche_paid": {"email": True, "in_app": False}})
    give(member, kind="tranche_paid")
    give(member, kind="settlement_due")  # legal: always in the portal
    kinds = [row["kind"] for row in api_as(member).get(LIST).json()["results"]]
    assert kinds == ["settlement_due"]


def test_marking_read_keeps_the_first_moment(api_as, member):
    notice, other = give(member, 2)
    client = api_as(member)
    response = client.post(read_url(notice))
    assert response.status_code == 200
    first = response.json()["read_at"]
    assert first and response.json()["id"] == notice.pk
    again = client.post(read_url(notice))
    assert again.status_code == 200 and again.json()["read_at"] == first
    other.refresh_from_db()
    assert other.read_at is None  # only the one asked for
    assert client.get(f"{LIST}{notice.pk}/").json()["read_at"] == first


def test_someone_elses_notice_is_404(api_as, member, other_member):
    (theirs,) = give(other_member)
    client = api_as(member)
    assert_error(client.post(read_url(theirs)), 404, "not_found")
    assert_error(client.get(f"{LIST}{theirs.pk}/"), 404, "not_found")
    assert_error(client.post(f"{LIST}99999999999999999999/read/"), 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_session_of_the_web_ui_needs_its_csrf_token(member):
    from rest_framework.test import APIClient

    (notice,) = give(member)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member)
    assert ids(client.get(LIST)) == [notice.pk]
    assert_error(client.post(read_url(notice)), 403, "permission_denied")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_list_costs_the_same_queries_whatever_its_length(api_as, member):
    client = api_as(member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    give(member, 2)
    few = queries()
    give(member, 15, kind="tranche_paid")
    factories.award(cso=factories.CSOFactory(status="approved", member=member))
    many = queries()
    assert few == many, (few, many)
    assert client.get(LIST).json()["count"] == Notice.objects.filter(recipient=member).count()
    assert Notice.objects.filter(recipient=member, content_type__model="agreement").exists()
