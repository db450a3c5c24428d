"""Names and titles refuse bidi overrides, direction marks and zero-width characters, which
can make one organisation look like another in a list: in every service that takes one, so
the web forms and the API alike answer with a field error and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from agencies.missions import services as mission_services
from contracts.calls import services as call_services
from contracts.proposals import services as proposal_services
from csos.models import CSO
from csos.registration import services as cso_services
from portal.validation import hidden_character_problems
from tests import factories
from tests.factories import sample_file
from tests.helpers import assert_error, fresh

pytestmark = pytest.mark.django_db

HIDDEN = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b",
          "\u200c", "\u200d", "\u2060", "\ufeff"]  # fmt: skip
LOOKALIKE = "มูลนิธิ\u202eเพื่อผู้สูงอายุ"


@pytest.mark.parametrize("char", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_each_hidden_character_is_named_with_its_position(char):
    (message,) = hidden_character_problems(f"ab{char}c")
    assert f"U+{ord(char):04X}" in message and "3" in message


@pytest.mark.parametrize(
    "text", ["มูลนิธิเพื่อผู้สูงอายุ ภาคเหนือ", "Foundation for Older Persons", "ก่ำ ฟ้า ญี่ปุ่น"]
)
def test_thai_and_english_names_pass(text):
    assert hidden_character_problems(text) == []


def test_the_api_refuses_a_cso_name_with_a_bidi_override(api_as):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT)
    before = cso.name_th
    response = api_as(cso.members.get(), lang="th").patch(
        f"/api/v1/csos/{cso.pk}/", {"name_th": LOOKALIKE}, format="json"
    )
    error = assert_error(response, 400, "validation_error", fields=["name_th"])
    assert "U+202E" in error["fields"]["name_th"][0]
    assert fresh(cso).name_th == before


def test_the_registration_service_refuses_an_english_name_with_a_zero_width_space():
    cso = factories.CSOFactory(status=CSO.Status.DRAFT)
    with pytest.raises(ValidationError) as caught:
        cso_services.cso_update(cso=cso, user=cso.members.get(), name_en="Older\u200bPersons")
    assert "name_en" in caught.value.message_dict


def test_the_mission_form_refuses_a_hidden_character_and_keeps_what_was_typed(client):
    officer = factories.OfficerFactory()
    client.force_login(officer)
    response = client.post(
        "/missions/new/",
        {
            "title_th": "ศูนย์ดูแล\u200dผู้สูงอายุ",
            "service_category": "social_cultural",
            "mission_type": "direct_service",
            "activity_field": "social_services",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_title_th"' in page  # the error summary points at the field
    assert "U+200D" in page
    assert "ศูนย์ดูแล" in page


def test_a_mission_title_in_english_is_refused_by_the_service():
    officer = factories.OfficerFactory()
    with pytest.raises(ValidationError) as caught:
        mission_services.mission_create(
            officer=officer,
            title_th="ศูนย์ดูแลผู้สูงอายุ",
            title_en="Day\u2066care",
            service_category="social_cultural",
            mission_type="direct_service",
            activity_field="social_services",
        )
    assert "title_en" in caught.value.message_dict


def test_a_call_title_is_refused():
    call = factories.CallFactory()
    before = call.title
    with pytest.raises(ValidationError) as caught:
        call_services.call_update(call=call, user=call.created_by, title="ทุน\u202dปี 2570")
    assert "title" in caught.value.message_dict
    assert fresh(call).title == before


def test_a_proposal_title_is_refused_when_started_and_when_edited():
    call = factories.CallFactory(status="open")
    cso = factories.CSOFactory(status="approved")
    member = cso.members.first()
    with pytest.raises(ValidationError) as caught:
        proposal_services.proposal_create(user=member, call=call, title="\ufeffโครงการ")
    assert "title" in caught.value.message_dict
    proposal = factories.ProposalFactory(call=call, cso=cso)
    with pytest.raises(ValidationError) as caught:
        proposal_services.proposal_update(proposal=proposal, user=member, title="โครง\u200fการ")
    assert "title" in caught.value.message_dict


def test_document_titles_are_refused(api_as):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT, documents=False)
    response = api_as(cso.members.get()).post(
        f"/api/v1/csos/{cso.pk}/documents/",
        {"kind": "other", "title": "ใบ\u2060อนุญาต", "file": sample_file("registration.pdf")},
        format="multipart",
    )
    assert_error(response, 400, "validation_error", fields=["title"])
    assert not cso.documents.exists()

    proposal = factories.ProposalFactory()
    with pytest.raises(ValidationError) as caught:
        proposal_services.proposal_document_add(
            proposal=proposal,
            user=proposal.created_by,
            title="แผน\u061cงาน",
            upload=sample_file("registration.pdf"),
        )
    assert "title" in caught.value.message_dict
