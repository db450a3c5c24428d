"""A network's committees and sub-networks: the manager sets one up, seats certified members
with a role and a term (one chair), the chair or secretary records meetings with numbered
decisions; the public page and the API show them; refusals; audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from csos.networks import services
from csos.networks.models import GroupSeat
from portal.audit import audit_history
from portal.models import Province
from portal.workflow import Conflict
from tests import factories
from tests.helpers import date_boxes, text

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def network(staff_admin, officer):
    return services.network_create(
        actor=staff_admin, province=Province.objects.get(code="50"), manager=officer
    )


def _certified(network, name, sector="community", person=None):
    member = services.member_apply(
        person=person or factories.citizen(),
        network=network,
        data={"kind": "person", "name": name, "sector": sector, "resources": []},
    )
    return services.member_certify(manager=network.manager, member=member)


def test_a_committee_seats_members_and_records_its_meetings(network):
    manager = network.manager
    chair_account = factories.citizen()
    chair = _certified(network, "Khun Malee", person=chair_account)
    teacher = _certified(network, "Kru Somsri", sector="academia")
    group = services.group_set_up(
        manager=manager, network=network, kind="steering", purpose="Steers the network's plan."
    )
    term = timezone.localdate() + datetime.timedelta(days=365)
    services.seat_add(manager=manager, group=group, member=chair, role="chair", term_ends=term)
    services.seat_add(manager=manager, group=group, member=teacher, role="member")
    with pytest.raises(ValidationError) as second_chair:
        services.seat_add(manager=manager, group=group, member=teacher, role="chair")
    assert "member" in second_chair.value.message_dict  # seated already
    other = _certified(network, "Lung Dam")
    with pytest.raises(ValidationError) as chair_taken:
        services.seat_add(manager=manager, group=group, member=other, role="chair")
    assert "role" in chair_taken.value.message_dict

    today = timezone.localdate()
    first = services.meeting_record(
        actor=chair_account, group=group,
        data={"held_on": today, "place": "Provincial hall", "minutes": "We met.",
              "decisions": "Adopt the 2570 plan\n\n  Ask the governor for an order  \n"},
    )  # fmt: skip
    second = services.meeting_record(
        actor=manager, group=group, data={"held_on": today, "minutes": "Again.", "decisions": ""}
    )
    assert (first.number, second.number) == (1, 2)
    assert [d.text for d in first.decisions.all()] == [
        "Adopt the 2570 plan", "Ask the governor for an order"
    ]  # fmt: skip
    with pytest.raises(ValidationError) as future:
        services.meeting_record(
            actor=manager, group=group,
            data={"held_on": today + datetime.timedelta(days=3), "minutes": "x"},
        )  # fmt: skip
    assert "held_on" in future.value.message_dict

    # A member without the chair or secretary's seat may not record a meeting.
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            actor=teacher.account, group=group, data={"held_on": today, "minutes": "x"}
        )
    # Ending a membership ends its seats; ending a seat twice is refused.
    services.member_end(manager=manager, member=chair, reason="Moved away")
    assert GroupSeat.objects.get(member=chair).ended_at is not None
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            actor=chair_account, group=group, data={"held_on": today, "minutes": "x"}
        )
    seat = GroupSeat.objects.get(member=teacher)
    services.seat_end(manager=manager, seat=seat, reason="Term over")
    with pytest.raises(Conflict):
        services.seat_end(manager=manager, seat=seat)
    assert [e.action for e in audit_history(teacher)] == [
        "network_apply", "network_certify", "network_seat", "network_seat_end"
    ]  # fmt: skip
    assert [e.action for e in audit_history(network)][-3:] == [
        "network_group_set_up", "network_meeting", "network_meeting"
    ]  # fmt: skip


def test_only_the_manager_sets_up_and_seats(network):
    stranger = factories.OfficerFactory()
    with pytest.raises(PermissionDenied):
        services.group_set_up(manager=stranger, network=network, kind="executive")
    with pytest.raises(ValidationError):
        services.group_set_up(manager=network.manager, network=network, kind="politburo")
    group = services.group_set_up(manager=network.manager, network=network, kind="capacity")
    applicant = services.member_apply(
        person=factories.citizen(), network=network,
        data={"kind": "person", "name": "Not yet", "sector": "media", "resources": []},
    )  # fmt: skip
    with pytest.raises(ValidationError) as not_certified:
        services.seat_add(manager=network.manager, group=group, member=applicant, role="member")
    assert "member" in not_certified.value.message_dict
    with pytest.raises(PermissionDenied):
        services.seat_add(manager=stranger, group=group, member=applicant, role="member")


def test_the_pages_and_the_api_show_committees_and_sub_networks(network, api_as):
    manager = network.manager
    malee = _certified(network, "Khun Malee")
    boss = _client(manager)
    made = boss.post(
        "/networks/50/groups/", {"group-kind": "monitoring", "group-purpose": "Watches delivery."}
    )
    assert made.status_code == 302 and made["Location"].endswith("/groups/monitoring/")
    refused = boss.post(
        "/networks/50/groups/monitoring/seat/",
        {"seat-member": malee.pk, "seat-role": "boss", "seat-term_ends_0": "1"},
    )
    assert refused.status_code == 400
    assert "Khun Malee" in text(refused)  # the choice is still there, with the error
    seated = boss.post(
        "/networks/50/groups/monitoring/seat/", {"seat-member": malee.pk, "seat-role": "secretary"}
    )
    assert seated.status_code == 302
    meeting = {
        "meeting-minutes": "First meeting of the monitoring committee.",
        "meeting-decisions": "Visit three projects",
        **{
            f"meeting-{k}": v
            for k, v in date_boxes("held_on", timezone.localdate(), language="en").items()
        },
    }
    assert (
        _client(malee.account).post("/networks/50/groups/monitoring/meeting/", meeting).status_code
        == 302
    )
    public = text(_client().get("/networks/50/groups/monitoring/"))
    assert "Khun Malee" in public and "Secretary" in public
    assert "Meeting 1" in public and "Visit three projects" in public
    home = text(_client().get("/networks/50/"))
    assert "Monitoring committee · 1 member · 1 meeting" in home
    assert "Executive committee · not set up yet" in home
    assert "Area data-sharing sub-network · not set up yet" in home

    assert (
        _client(factories.citizen())
        .post("/networks/50/groups/monitoring/meeting/", meeting)
        .status_code
        == 403
    )
    assert _client().get("/networks/50/groups/steering/").status_code == 404
    assert boss.post("/networks/50/groups/monitoring/explode/").status_code == 404

    row = api_as(None, lang="en").get(f"/api/v1/networks/{network.pk}/").json()
    assert row["committees"] == [
        {"kind": "monitoring", "name": "Monitoring committee", "purpose": "Watches delivery.",
         "members": 1, "meetings": 1}
    ]  # fmt: skip
    assert row["sub_networks"] == []
