"""The Open Government Action Plan: staff record a plan, its commitments and milestones and
publish it; the responsible agency reports progress with evidence (others are refused);
anyone sees each commitment's status and what is late, on the page and in the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from agencies.ogp import services
from agencies.ogp.forms import parse_milestones
from agencies.ogp.models import Milestone, Plan
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests import factories
from tests.helpers import page, text

pytestmark = pytest.mark.usefixtures("english")


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _plan(staff, agency, *, publish=True):
    plan = services.plan_create(
        actor=staff,
        data={
            "number": 3,
            "title": "Open government 2027-2029",
            "starts_year": 2027,
            "ends_year": 2029,
        },
    )
    today = timezone.localdate()
    services.commitment_add(
        actor=staff,
        plan=plan,
        data={
            "title": "Open contracting data",
            "description": "Publish every agreement as OCDS.",
            "agency": agency,
            "values": ["transparency", "accountability"],
            "milestones": [
                {"title": "Data standard adopted", "due_on": today - datetime.timedelta(days=10)},
                {
                    "title": "All agreements published",
                    "due_on": today + datetime.timedelta(days=200),
                },
            ],
        },
    )
    if publish:
        plan = services.plan_publish(actor=staff, plan=plan)
    return plan


def test_staff_record_and_publish_and_the_agency_reports_progress(staff_admin, officer):
    plan = _plan(staff_admin, officer.agency, publish=False)
    assert _client().get(f"/ogp/{plan.pk}/").status_code == 404  # a draft is the staff's
    services.plan_publish(actor=staff_admin, plan=plan)
    html = text(_client().get(f"/ogp/{plan.pk}/"))
    assert "Open contracting data" in html and "late" in html  # the first milestone is late

    first = Milestone.objects.order_by("due_on").first()
    client = _client(officer)
    no_evidence = client.post(
        f"/ogp/milestones/{first.pk}/report/", {"status": "done", "note": "Adopted by cabinet"}
    )
    assert no_evidence.status_code == 400
    assert "needs a link to its evidence" in text(no_evidence)
    done = client.post(
        f"/ogp/milestones/{first.pk}/report/",
        {
            "status": "done",
            "note": "Adopted by cabinet",
            "evidence_url": "https://example.go.th/ocds",
        },
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.status == "done" and first.done_on == timezone.localdate()
    commitment_page = text(_client().get(f"/ogp/commitments/{first.commitment_id}/"))
    assert "Adopted by cabinet" in commitment_page and "In progress" in commitment_page
    assert [e.action for e in audit_history(first)] == ["ogp_progress"]

    body = _client().get("/api/v1/ogp/commitments/").json()
    row = body["results"][0]
    assert (row["plan"], row["number"], row["agency"]) == (3, 1, officer.agency_id)
    assert [m["status"] for m in row["milestones"]] == ["done", "not_started"]
    assert row["milestones"][0]["evidence"] == "https://example.go.th/ocds"
    assert row["milestones"][0]["late"] is False


def test_only_the_responsible_agency_reports_and_only_staff_record(
    staff_admin, officer, other_officer
):
    plan = _plan(staff_admin, officer.agency)
    milestone = Milestone.objects.first()
    with pytest.raises(PermissionDenied):
        services.milestone_report(actor=other_officer, milestone=milestone, status="done", note="x")
    assert _client(other_officer).get(f"/ogp/milestones/{milestone.pk}/report/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=officer, data={"number": 9})
    assert _client(officer).get("/ogp/new/").status_code == 403
    with pytest.raises(InvalidTransition):
        services.plan_publish(actor=staff_admin, plan=plan)
    draft = services.plan_create(
        actor=staff_admin,
        data={"number": 4, "title": "Next", "starts_year": 2030, "ends_year": 2032},
    )
    with pytest.raises(ValidationError):  # nothing to publish yet
        services.plan_publish(actor=staff_admin, plan=draft)
    assert Plan.objects.get(pk=draft.pk).status == "draft"


def test_a_commitment_form_reads_thai_dates_and_keeps_what_was_typed(staff_admin, officer):
    plan = _plan(staff_admin, officer.agency, publish=False)
    client = _client(staff_admin)
    form = {
        "title": "Citizen budget",
        "description": "A plain budget for every province",
        "agency": officer.agency_id,
        "values": ["participation"],
        "milestones": "Pilot in 5 provinces | 31/3/2571\nAll provinces | someday",
    }
    bad = client.post(f"/ogp/{plan.pk}/commitments/new/", form)
    assert bad.status_code == 400
    assert "All provinces | someday" in page(bad)
    ok = client.post(
        f"/ogp/{plan.pk}/commitments/new/", {**form, "milestones": "Pilot | 31/3/2571"}
    )
    assert ok.status_code == 302
    assert Milestone.objects.get(title="Pilot").due_on == datetime.date(2028, 3, 31)
    rows, problems = parse_milestones("A | 1/1/2028\nB | 30/2/2571\nno date")
    assert rows == [{"title": "A", "due_on": datetime.date(2028, 1, 1)}] and len(problems) == 2


def test_the_plan_page_is_constant_query(staff_admin, officer, django_assert_max_num_queries):
    plan = _plan(staff_admin, officer.agency)
    client = _client()
    with django_assert_max_num_queries(30) as first:
        client.get(f"/ogp/{plan.pk}/")
    for _ in range(4):
        services.commitment_add(
            actor=staff_admin,
            plan=plan,
            data={
                "title": "More",
                "description": "More",
                "agency": factories.AgencyFactory(),
                "values": ["participation"],
                "milestones": [{"title": "M", "due_on": datetime.date(2028, 1, 1)}],
            },
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(f"/ogp/{plan.pk}/").status_code == 200
