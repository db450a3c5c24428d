"""Services take typed keyword arguments: a caller's misspelt field is refused, never
dropped, and a field left out keeps its value."""

import pytest

from contracts.calls import services as call_services
from csos.models import CSO
from csos.registration import services as cso_services
from tests.factories.contracts import CallFactory
from tests.factories.csos import CSOFactory

pytestmark = pytest.mark.django_db


def test_a_misspelt_field_is_refused_and_nothing_changes():
    cso = CSOFactory(status="draft", name_en="Old name")
    member = cso.members.first()

    with pytest.raises(TypeError, match="name_english"):
        cso_services.cso_update(cso=cso, user=member, name_th="ชื่อใหม่", name_english="New")

    cso = CSO.objects.get(pk=cso.pk)
    assert cso.name_en == "Old name"
    assert cso.name_th != "ชื่อใหม่"


def test_a_field_left_out_keeps_its_value():
    call = CallFactory(status="draft", title="เดิม", description="รายละเอียดเดิม")

    call_services.call_update(call=call, user=call.created_by, title="ใหม่")

    call.refresh_from_db()
    assert (call.title, call.description) == ("ใหม่", "รายละเอียดเดิม")
