"""A local issue to a public action contract, through the services: a certified member raises
an issue, the manager sets goals and draws up the contract, parties are added and each signs
(online for itself, on paper through the manager), parties report progress until every
commitment is met, and the contract is recorded in the provincial plan. Refusals; audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from csos.actioncontracts import services
from csos.localissues import services as issues
from csos.networks import services as networks
from portal.audit import audit_history
from portal.models import Province
from portal.workflow import InvalidTransition
from tests import factories
from tests.factories import sample_file

pytestmark = pytest.mark.django_db

ISSUE = {
    "title": "Haze from field burning every March",
    "description": "PM2.5 above 150 for three weeks; schools close.",
    "evidence": "Pollution Control Department station 36T readings.",
    "places": "Mae Chaem, Chom Thong",
}


@pytest.fixture
def network(staff_admin, officer):
    return networks.network_create(
        actor=staff_admin, province=Province.objects.get(code="50"), manager=officer
    )


def _member(network, name, person, sector="community", **extra):
    applied = networks.member_apply(
        person=person, network=network,
        data={"kind": "person", "name": name, "sector": sector, "resources": []}, **extra,
    )  # fmt: skip
    return networks.member_certify(manager=network.manager, member=applied)


def _planned(network, raiser):
    issue = issues.issue_raise(person=raiser, network=network, data=ISSUE)
    return issues.issue_plan(
        manager=network.manager, issue=issue,
        data={"goals": "Halve burning", "results": "Fewer than 5 bad-air days",
              "approach": "Buy the stubble; chip it for compost"},
    )  # fmt: skip


def test_an_issue_becomes_a_signed_contract_tracked_to_done(network, approved_member):
    manager = network.manager
    farmer = factories.citizen()
    farmer_member = _member(network, "Lung Dam", farmer)
    cso_member = _member(
        network, "-", approved_member, sector="civil_society", on_behalf_of_cso=True
    )
    issue = _planned(network, farmer)
    assert issue.raised_by == farmer_member and issue.status == "planned"

    contract = services.contract_draw_up(manager=manager, issue=issue, title="Clean air pact")
    issue.refresh_from_db()
    assert issue.status == "contracted" and contract.status == "draft"
    due = timezone.localdate() + datetime.timedelta(days=90)
    farmer_party = services.party_add(
        manager=manager, contract=contract,
        data={"member": farmer_member, "commitments": "No burning on 40 rai", "due_date": due},
    )  # fmt: skip
    cso_party = services.party_add(
        manager=manager, contract=contract,
        data={"member": cso_member, "commitments": "Run the chipper", "due_date": due},
    )  # fmt: skip
    district = services.party_add(
        manager=manager, contract=contract,
        data={"name": "Mae Chaem District Office", "commitments": "Buy stubble", "due_date": due},
    )  # fmt: skip
    assert cso_party.name == approved_member.cso.name_th

    # Each party signs for itself; the manager records the district's paper signature.
    with pytest.raises(PermissionDenied):
        services.party_sign(actor=farmer, party=cso_party, signed_name="Dam", confirm=True)
    with pytest.raises(ValidationError) as unconfirmed:
        services.party_sign(actor=farmer, party=farmer_party, signed_name="Dam", confirm=False)
    assert "confirm" in unconfirmed.value.message_dict
    services.party_sign(actor=farmer, party=farmer_party, signed_name="Dam Jaidee", confirm=True)
    with pytest.raises(InvalidTransition):  # the parties are fixed once anyone has signed
        services.party_add(
            manager=manager, contract=contract,
            data={"name": "Late comer", "commitments": "x", "due_date": due},
        )  # fmt: skip
    with pytest.raises(InvalidTransition):  # no progress before every party has signed
        services.progress_report(actor=farmer, party=farmer_party, text="Started")
    services.party_sign(actor=approved_member, party=cso_party, signed_name="Somchai", confirm=True)
    services.party_sign(
        actor=manager, party=district, signed_name="District chief", confirm=True, on_paper=True
    )
    contract.refresh_from_db()
    assert contract.status == "signed" and contract.signed_at is not None

    services.progress_report(actor=farmer, party=farmer_party, text="Half the fields done")
    contract.refresh_from_db()
    assert contract.status == "in_progress"
    with pytest.raises(PermissionDenied):
        services.progress_report(actor=farmer, party=district, text="Not mine to say")
    services.progress_report(actor=farmer, party=farmer_party, text="All 40 rai", completes=True)
    with pytest.raises(InvalidTransition):
        services.progress_report(actor=farmer, party=farmer_party, text="Again", completes=True)
    services.progress_report(actor=approved_member, party=cso_party, text="Done", completes=True)
    services.plan_record(
        manager=manager, contract=contract, plan_year=2571, project_code="CM-71-014"
    )
    services.progress_report(actor=manager, party=district, text="Bought 300 t", completes=True)
    contract.refresh_from_db()
    issue.refresh_from_db()
    assert contract.status == "done" and contract.done_at is not None
    assert (contract.plan_year, contract.plan_project_code) == (2571, "CM-71-014")
    assert issue.status == "closed"

    assert [e.action for e in audit_history(contract)] == [
        "create", "contract_party_add", "contract_party_add", "contract_party_add",
        "contract_sign", "contract_sign", "contract_sign", "contract_signed",
        "contract_progress", "contract_progress", "contract_progress", "contract_plan",
        "contract_progress",
    ]  # fmt: skip
    assert [e.action for e in audit_history(issue)] == [
        "issue_raise", "issue_plan", "issue_contract", "issue_close"
    ]  # fmt: skip


def test_refusals_before_the_contract(network, approved_member):
    outsider = factories.citizen()
    with pytest.raises(PermissionDenied):  # not a certified member
        issues.issue_raise(person=outsider, network=network, data=ISSUE)
    farmer = factories.citizen()
    _member(network, "Lung Dam", farmer)
    with pytest.raises(ValidationError) as missing:
        issues.issue_raise(person=farmer, network=network, data={**ISSUE, "places": " "})
    assert "places" in missing.value.message_dict
    bad_file = SimpleUploadedFile("evidence.pdf", b"just words", "application/pdf")
    with pytest.raises(ValidationError) as refused_file:
        issues.issue_raise(person=farmer, network=network, data=ISSUE, upload=bad_file)
    assert "evidence_file" in refused_file.value.message_dict
    issue = issues.issue_raise(
        person=farmer, network=network, data=ISSUE,
        upload=sample_file("registration.pdf", content_type="application/pdf"),
    )  # fmt: skip
    assert issue.evidence_file.name.endswith(".pdf")
    with pytest.raises(ValidationError):  # goals first
        services.contract_draw_up(manager=network.manager, issue=issue, title="Too soon")
    with pytest.raises(PermissionDenied):
        issues.issue_plan(
            manager=farmer, issue=issue, data={"goals": "x", "results": "y", "approach": "z"}
        )
    with pytest.raises(ValidationError) as no_reason:
        issues.issue_close(manager=network.manager, issue=issue, reason="")
    assert "reason" in no_reason.value.message_dict
    closed = issues.issue_close(manager=network.manager, issue=issue, reason="Duplicate of #1")
    assert closed.status == "closed"
    with pytest.raises(InvalidTransition):
        issues.issue_plan(
            manager=network.manager, issue=closed,
            data={"goals": "x", "results": "y", "approach": "z"},
        )  # fmt: skip


def test_a_contract_needs_two_parties_and_a_real_plan_year(network):
    farmer = factories.citizen()
    member = _member(network, "Lung Dam", farmer)
    issue = _planned(network, farmer)
    contract = services.contract_draw_up(manager=network.manager, issue=issue, title="Pact")
    with pytest.raises(ValidationError) as past:
        services.party_add(
            manager=network.manager, contract=contract,
            data={"member": member, "commitments": "x",
                  "due_date": timezone.localdate() - datetime.timedelta(days=1)},
        )  # fmt: skip
    assert "due_date" in past.value.message_dict
    party = services.party_add(
        manager=network.manager, contract=contract,
        data={"member": member, "commitments": "x", "due_date": timezone.localdate()},
    )  # fmt: skip
    with pytest.raises(ValidationError) as alone:
        services.party_sign(actor=farmer, party=party, signed_name="Dam", confirm=True)
    assert "สองฝ่าย" in " ".join(alone.value.messages)  # at least two parties
    with pytest.raises(InvalidTransition):  # not signed yet
        services.plan_record(
            manager=network.manager, contract=contract, plan_year=2571, project_code="X"
        )
    services.party_add(
        manager=network.manager, contract=contract,
        data={"name": "Tambon office", "commitments": "y", "due_date": timezone.localdate()},
    )  # fmt: skip
    services.party_sign(actor=farmer, party=party, signed_name="Dam", confirm=True)
    other = contract.parties.exclude(pk=party.pk).get()
    services.party_sign(
        actor=network.manager, party=other, signed_name="Chief", confirm=True, on_paper=True
    )
    with pytest.raises(ValidationError) as year:
        services.plan_record(
            manager=network.manager, contract=contract, plan_year=2026, project_code="X"
        )
    assert "plan_year" in year.value.message_dict
