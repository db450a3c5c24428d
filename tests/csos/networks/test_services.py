"""Provincial networks through the services: staff set one up with its manager; people and
CSOs apply, the manager proposes an agency; the manager certifies with a term, names a
connector, ends a membership and records the governor's order (PDF); refusals; audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from csos.networks import selectors, services
from csos.networks.models import Network, NetworkMember
from portal.audit import audit_history
from portal.models import Province
from portal.workflow import Conflict, InvalidTransition
from tests import factories
from tests.factories import sample_file

pytestmark = pytest.mark.django_db


def _network(staff_admin, manager=None):
    return services.network_create(
        actor=staff_admin,
        province=Province.objects.get(code="50"),
        manager=manager or factories.OfficerFactory(),
    )


def test_a_network_from_applications_to_the_governors_order(staff_admin, approved_member):
    network = _network(staff_admin)
    manager = network.manager
    person = factories.citizen()
    applied = services.member_apply(
        person=person,
        network=network,
        data={"kind": "person", "name": "ครูสมศรี", "sector": "academia", "resources": ["knowledge"]},
    )
    for_cso = services.member_apply(
        person=approved_member,
        network=network,
        data={"kind": "organisation", "name": "x", "sector": "civil_society",
              "resources": ["staff", "local_wisdom"]},
        on_behalf_of_cso=True,
    )  # fmt: skip
    assert for_cso.cso == approved_member.cso and for_cso.name == approved_member.cso.name_th
    agency = services.member_propose(
        manager=manager,
        network=network,
        data={"kind": "organisation", "name": "สำนักงานจังหวัดเชียงใหม่", "sector": "government",
              "resources": ["authority", "budget"]},
        agency_id=factories.AgencyFactory().pk,
    )  # fmt: skip
    term = timezone.localdate() + datetime.timedelta(days=730)
    for member in (applied, for_cso, agency):
        services.member_certify(manager=manager, member=member, term_ends=term)
    network.refresh_from_db()
    assert network.member_count == 4  # the manager, and three certified members
    services.member_set_role(manager=manager, member=for_cso, role="connector")
    by_sector = {
        value: [m.name for m in ms] for value, _label, ms in selectors.members_by_sector(network)
    }
    assert by_sector["academia"] == ["ครูสมศรี"] and by_sector["media"] == []

    services.member_end(manager=manager, member=applied, reason="ย้ายไปจังหวัดอื่น")
    network.refresh_from_db()
    assert network.member_count == 3

    pdf = sample_file("registration.pdf", content_type="application/pdf")
    appointed = services.order_record(
        manager=manager, network=network, number="ชม 1234/2570",
        date=timezone.localdate(), upload=pdf,
    )  # fmt: skip
    assert appointed.status == "appointed" and appointed.order_file.name.endswith(".pdf")
    assert selectors.stage(selectors.all_networks()["50"]) == 3
    assert [e.action for e in audit_history(applied)] == [
        "network_apply", "network_certify", "network_end"
    ]  # fmt: skip
    assert [e.action for e in audit_history(appointed)] == ["create", "network_order"]


def test_refusals(staff_admin, officer):
    with pytest.raises(PermissionDenied):
        services.network_create(
            actor=officer, province=Province.objects.get(code="10"), manager=officer
        )
    network = _network(staff_admin)
    with pytest.raises(ValidationError):  # one network per province
        _network(staff_admin)
    person = factories.citizen()
    data = {"kind": "person", "name": "ลุงดำ", "sector": "community", "resources": []}
    member = services.member_apply(person=person, network=network, data=data)
    with pytest.raises(Conflict):
        services.member_apply(person=person, network=network, data=data)
    with pytest.raises(PermissionDenied):
        services.member_apply(person=factories.citizen(verified=False), network=network, data=data)
    with pytest.raises(PermissionDenied):  # only the manager certifies
        services.member_certify(manager=officer, member=member)
    with pytest.raises(ValidationError):
        services.member_apply(
            person=factories.citizen(), network=network,
            data={"kind": "robot", "name": "", "sector": "mars", "resources": ["gold"]},
        )  # fmt: skip
    with pytest.raises(ValidationError):  # not a certified member yet
        services.member_set_role(manager=network.manager, member=member, role="connector")
    services.member_certify(manager=network.manager, member=member)
    with pytest.raises(InvalidTransition):
        services.member_certify(manager=network.manager, member=member)
    photo = sample_file("photo.jpg", content_type="image/jpeg")
    with pytest.raises(ValidationError) as bad:
        services.order_record(
            manager=network.manager, network=network, number="", date=None, upload=photo
        )
    assert set(bad.value.message_dict) == {"number", "date", "file"}
    assert Network.objects.get().status == "forming"
    assert NetworkMember.objects.filter(status="certified").count() == 2
