"""The end notice and the renewal through the API: what another system reads afterwards (the
tranches' planned dates, the reports and evaluations, cancelled ones with their reason, the
next deadlines) and what it may no longer do with a cancelled report or evaluation."""

import datetime

import pytest
import time_machine

from tests.factories import award
from tests.helpers import assert_error, at, member_of, officer_of

pytestmark = pytest.mark.django_db

REASON = "ปรับแผนงบประมาณ"


def url(agreement, action=""):
    return f"/api/v1/agreements/{agreement.pk}/" + (f"{action}/" if action else "")


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:600])
    return response.json()


@pytest.fixture
def partnership():
    """Commissioning 2027–2029 in three tranches, reports every 3 months, periodic
    evaluations on 1 Jan 2028 and 2029, the post-completion one by 31 Mar 2030."""
    return award(
        instrument="commissioning",
        terms={"end_date": datetime.date(2029, 12, 31), "shares": ["40", "30", "30"]},
    )


def test_after_an_end_notice_the_api_shows_the_new_schedule(api_as, partnership):
    officer, member = api_as(officer_of(partnership)), api_as(member_of(partnership))
    with time_machine.travel(at(2027, 11, 30)):
        body = ok(
            officer.post(
                url(partnership, "end-notice"),
                {"end_date": "2028-02-29", "reason": REASON},
                format="json",
            )
        )
        assert body["end_date"] == "2028-02-29"
        assert [t["planned_on"] for t in body["tranches"]] == [
            "2027-01-01",
            "2028-01-01",
            "2028-02-29",
        ]
        # What falls due next: nothing after the end but the post-completion evaluation and
        # the settlement, and no cancelled report.
        deadlines = ok(member.get(url(partnership)))["next_deadlines"]
        later = {(d["kind"], d["due_on"]) for d in deadlines if d["due_on"] > "2028-02-29"}
        assert later == {("evaluation_final", "2028-05-29"), ("settlement", "2028-04-29")}
        assert {d["ref"] for d in deadlines if d["kind"] == "report"} == {1, 2, 3, 4, 5}

        reports = {r["seq"]: r for r in ok(member.get(url(partnership, "reports")))}
        assert (reports[5]["due_on"], reports[5]["status"]) == ("2028-02-29", "due")
        assert reports[5]["cancelled_at"] is None and reports[5]["cancel_reason"] == ""
        for seq in range(6, 13):
            assert (reports[seq]["status"], reports[seq]["cancel_reason"]) == ("cancelled", REASON)
            assert reports[seq]["cancelled_at"].startswith("2027-11-30")
            assert reports[seq]["overdue"] is False
        assert reports[12]["due_on"] == "2029-12-31"  # its original date, as history

        evaluations = ok(member.get(url(partnership, "evaluations")))
        assert [(e["kind"], e["due_on"], e["status"]) for e in evaluations] == [
            ("periodic", "2028-01-01", "scheduled"),
            ("final", "2028-05-29", "scheduled"),
            ("periodic", "2029-01-01", "cancelled"),
        ]
        assert evaluations[2]["cancel_reason"] == REASON

        # A cancelled report is not sent, a cancelled evaluation neither planned nor recorded.
        report = {"narrative": "เยี่ยมบ้าน", "indicators": [], "spent_to_date": "1000.00"}
        assert_error(
            member.post(url(partnership, "reports/6/submit"), report, format="json"),
            409,
            "invalid_transition",
        )
        cancelled = url(partnership, f"evaluations/{evaluations[2]['id']}")
        assert_error(
            officer.patch(cancelled, {"mode": "external"}, format="json"),
            409,
            "invalid_transition",
        )
        assert_error(
            officer.post(f"{cancelled}submit/", {"score": "80", "findings": "ดี"}, format="json"),
            409,
            "invalid_transition",
        )
        # Nor is a new evaluation due after the end.
        error = assert_error(
            officer.post(url(partnership, "evaluations"), {"due_on": "2028-03-01"}, format="json"),
            400,
            "validation_error",
            fields=["due_on"],
        )
        assert "2571" in error["fields"]["due_on"][0]  # the end, in B.E.


def test_a_renewal_through_the_api_schedules_the_added_period(api_as):
    agreement = award(instrument="commissioning")  # 2027 only
    officer = api_as(officer_of(agreement))
    ok(
        officer.post(
            url(agreement, "renew"), {"end_date": "2029-12-31", "reason": "ผลดี"}, format="json"
        )
    )
    reports = ok(officer.get(url(agreement, "reports")))
    assert [r["due_on"] for r in reports][3:6] == ["2027-12-31", "2028-01-01", "2028-04-01"]
    assert reports[-1]["due_on"] == "2029-12-31"
    assert all(r["status"] == "due" for r in reports)
    evaluations = ok(officer.get(url(agreement, "evaluations")))
    assert [(e["kind"], e["due_on"]) for e in evaluations] == [
        ("periodic", "2028-01-01"),
        ("periodic", "2029-01-01"),
        ("final", "2030-03-31"),
    ]


def test_an_end_notice_is_refused_to_the_organisation_and_moves_nothing(api_as, partnership):
    member = api_as(member_of(partnership))
    with time_machine.travel(at(2027, 11, 30)):
        assert_error(
            member.post(
                url(partnership, "end-notice"),
                {"end_date": "2028-02-29", "reason": REASON},
                format="json",
            ),
            403,
            "permission_denied",
        )
    reports = ok(member.get(url(partnership, "reports")))
    assert {r["status"] for r in reports} == {"due"}
