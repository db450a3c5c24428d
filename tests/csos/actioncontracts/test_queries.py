"""The network's public pages and lists cost the same queries however many members, seats,
meetings, issues, parties and progress reports there are."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from csos.actioncontracts import services
from csos.localissues import services as issues
from csos.networks import services as networks
from portal.models import Province
from tests import factories

pytestmark = pytest.mark.django_db


def _grow(network, n):
    """``n`` more members, each seated on the steering committee with a meeting, raising an
    issue whose signed contract has two parties and a progress report."""
    manager = network.manager
    steering = networks.group_set_up(manager=manager, network=network, kind="steering")
    due = timezone.localdate() + datetime.timedelta(days=30)
    for _ in range(n):
        person = factories.citizen()
        member = networks.member_certify(
            manager=manager,
            member=networks.member_apply(
                person=person,
                network=network,
                data={"kind": "person", "name": "x", "sector": "media", "resources": ["staff"]},
            ),  # fmt: skip
        )
        networks.seat_add(manager=manager, group=steering, member=member, role="member")
        networks.meeting_record(
            actor=manager, group=steering,
            data={"held_on": timezone.localdate(), "minutes": "m", "decisions": "a\nb"},
        )  # fmt: skip
        issue = issues.issue_raise(
            person=person, network=network, data={"title": "t", "description": "d", "places": "p"}
        )
        issues.issue_plan(
            manager=manager, issue=issue, data={"goals": "g", "results": "r", "approach": "a"}
        )
        contract = services.contract_draw_up(manager=manager, issue=issue, title="c")
        parties = [
            services.party_add(
                manager=manager,
                contract=contract,
                data={**who, "commitments": "c", "due_date": due},
            )  # fmt: skip
            for who in ({"member": member}, {"name": "office"})
        ]
        for party in parties:
            services.party_sign(
                actor=manager, party=party, signed_name="s", confirm=True, on_paper=True
            )
        services.progress_report(actor=person, party=parties[0], text="half")


def test_pages_and_lists_cost_the_same_queries_as_the_network_grows(staff_admin, officer):
    network = networks.network_create(
        actor=staff_admin, province=Province.objects.get(code="50"), manager=officer
    )
    _grow(network, 1)
    first_issue = network.issues.order_by("pk").first()
    urls = [
        "/networks/",
        "/networks/50/",
        "/networks/50/groups/steering/",
        "/networks/50/issues/",
        f"/networks/50/issues/{first_issue.pk}/",
        "/api/v1/networks/",
        f"/api/v1/networks/{network.pk}/members/",
        f"/api/v1/networks/{network.pk}/issues/",
        "/api/v1/action-contracts/",
    ]

    def queries(client) -> dict:
        counts = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            counts[url] = len(ctx.captured_queries)
        return counts

    anonymous, manager = Client(), Client()
    manager.force_login(officer)
    queries(manager)  # roles read once and kept
    few = (queries(anonymous), queries(manager))
    _grow(network, 3)
    assert (queries(anonymous), queries(manager)) == few
