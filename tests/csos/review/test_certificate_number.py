"""The certificate number carries the Buddhist Era year as Bangkok reads it."""

import datetime
import zoneinfo

import pytest
import time_machine

from csos.models import CSO
from csos.review import services
from tests.factories import CSOFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def test_a_cso_approved_on_new_years_night_gets_the_new_years_number():
    cso = CSOFactory(status=CSO.Status.SUBMITTED, activity_fields=["health"])
    reviewer = ReviewerFactory()
    # 00:30 on 1 January 2027 in Bangkok: UTC still reads 31 December 2026 (B.E. 2569).
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=BANGKOK), tick=False):
        services.cso_approve(cso=cso, reviewer=reviewer, certified_fields=["health"])
    assert CSO.objects.get(pk=cso.pk).certificate_number == f"NCCS-2570-{cso.pk:06d}"
