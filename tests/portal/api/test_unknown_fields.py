"""A write keeps every field it was sent or refuses the request: a field the endpoint does
not know is named in a 400, on every write, and nothing is written."""

import importlib
import inspect
import pkgutil

import pytest
from rest_framework import serializers

from contracts.calls.models import Call
from contracts.proposals.models import Proposal
from portal.api.fields import StrictFieldsMixin
from tests.factories import CallFactory, CSOFactory, ProposalFactory
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

PROPOSALS = "/api/v1/proposals/"


def full_proposal(call, **overrides):
    body = {
        "call": call.pk,
        "title": "เยี่ยมบ้านผู้สูงอายุติดเตียง",
        "summary": "จัดผู้ดูแลเยี่ยมบ้านสัปดาห์ละครั้ง",
        "outcomes": "ผู้สูงอายุได้รับการดูแลต่อเนื่อง",
        "targets": [{"indicator": "ผู้สูงอายุที่ได้รับการเยี่ยม", "target": "120 คน"}],
        "budget_lines": [
            {"description": "ค่าตอบแทนผู้ดูแล", "unit_cost": "1500.00", "quantity": "120"}
        ],
        "start_date": "2027-03-01",
        "end_date": "2027-12-31",
        "project_document": "เอกสารโครงการ",
    }
    body.update(overrides)
    return body


def test_a_whole_proposal_is_kept_on_create(api_as):
    call = CallFactory()
    member = CSOFactory(status="approved").members.get()

    response = api_as(member).post(PROPOSALS, full_proposal(call), format="json")

    assert response.status_code == 201, response.content
    row = response.json()
    assert row["title"] == "เยี่ยมบ้านผู้สูงอายุติดเตียง"
    assert row["summary"] == "จัดผู้ดูแลเยี่ยมบ้านสัปดาห์ละครั้ง"
    assert row["outcomes"] == "ผู้สูงอายุได้รับการดูแลต่อเนื่อง"
    assert row["targets"] == [{"indicator": "ผู้สูงอายุที่ได้รับการเยี่ยม", "target": "120 คน"}]
    assert [line["amount"] for line in row["budget_lines"]] == ["180000.00"]
    assert row["requested_amount"] == "180000.00"
    assert (row["start_date"], row["end_date"]) == ("2027-03-01", "2027-12-31")
    assert row["project_document"] == "เอกสารโครงการ"


def test_a_create_with_one_bad_part_keeps_nothing(api_as):
    call = CallFactory()
    member = CSOFactory(status="approved").members.get()
    body = full_proposal(call, end_date="2027-01-01")  # before it starts

    response = api_as(member, lang="en").post(PROPOSALS, body, format="json")

    assert_error(response, 400, "validation_error", fields=["end_date"])
    assert not Proposal.objects.filter(cso_id=member.cso_id).exists()


def test_a_misspelt_field_is_named_and_nothing_is_written(api_as):
    draft = ProposalFactory()
    member = draft.cso.members.get()

    response = api_as(member, lang="en").patch(
        f"{PROPOSALS}{draft.pk}/", {"summary": "ใหม่", "outcome": "สะกดผิด"}, format="json"
    )

    error = assert_error(response, 400, "validation_error", fields=["outcome"])
    assert list(error["fields"]) == ["outcome"]
    assert "no such field" in error["fields"]["outcome"][0]
    assert Proposal.objects.get(pk=draft.pk).summary != "ใหม่"


def test_a_misspelt_field_inside_a_budget_line_is_named(api_as):
    call = CallFactory()
    member = CSOFactory(status="approved").members.get()
    line = {"description": "ค่าวัสดุ", "unit_cost": "10.00", "quantity": "2", "qty": "3"}

    response = api_as(member).post(
        PROPOSALS, full_proposal(call, budget_lines=[line]), format="json"
    )

    error = assert_error(response, 400, "validation_error")
    assert "qty" in str(error["fields"]), error
    assert not Proposal.objects.filter(cso_id=member.cso_id).exists()


def test_an_action_without_a_body_refuses_one_and_an_action_with_one_names_a_stray(api_as):
    call = CallFactory(status="draft")
    client = api_as(call.created_by, lang="en")

    response = client.post(f"/api/v1/calls/{call.pk}/publish/", {"when": "now"}, format="json")
    assert_error(response, 400, "validation_error", fields=["when"])
    assert Call.objects.get(pk=call.pk).status == Call.Status.DRAFT

    response = client.post(
        f"/api/v1/calls/{call.pk}/cancel/", {"reason": "งบถูกตัด", "reasn": "x"}, format="json"
    )
    assert_error(response, 400, "validation_error", fields=["reasn"])
    assert Call.objects.get(pk=call.pk).status == Call.Status.DRAFT


def _our_serializers():
    for app in ("agencies", "csos", "contracts", "assessments", "portal"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(cls, serializers.BaseSerializer)
                    and cls.__module__ == module.__name__
                ):
                    yield cls


def test_every_serializer_of_the_portal_refuses_fields_it_does_not_know():
    found = list(_our_serializers())
    assert len(found) > 40
    lax = [
        f"{cls.__module__}.{cls.__name__}"
        for cls in found
        if not issubclass(cls, StrictFieldsMixin)
    ]
    assert lax == []
