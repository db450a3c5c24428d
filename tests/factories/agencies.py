"""Agencies, and missions added through the real services."""

import factory
from factory.django import DjangoModelFactory

from agencies.missions import services as agency_services
from agencies.models import Agency, Mission

from .portal import OfficerFactory


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name_th = factory.Sequence(lambda n: f"กรมทดสอบที่ {n}")
    name_en = factory.Sequence(lambda n: f"Test Department {n}")
    kind = Agency.Kind.DEPARTMENT
    province_id = "10"


class MissionFactory(factory.Factory):
    """A mission added through ``mission_create`` by ``officer`` (default: a new officer of
    ``agency``, itself new by default)."""

    class Meta:
        model = Mission

    title_th = factory.Sequence(lambda n: f"บริการดูแลผู้สูงอายุในชุมชน {n}")
    title_en = factory.Sequence(lambda n: f"Community care for older persons {n}")
    description = "ดูแลผู้สูงอายุติดบ้านติดเตียงโดยผู้ดูแลที่ผ่านการอบรม"
    service_category = "social_cultural"
    mission_type = "direct_service"
    activity_field = "social_services"
    target_groups = factory.LazyFunction(lambda: ["ผู้สูงอายุติดบ้านติดเตียง"])
    provinces = factory.LazyFunction(lambda: ["10"])

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Missions are built through the services; use create().")

    @classmethod
    def _create(cls, model_class, *args, **data):
        officer = data.pop("officer", None)
        agency = data.pop("agency", None)
        if officer is None:
            officer = OfficerFactory(agency=agency) if agency else OfficerFactory()
        return agency_services.mission_create(officer=officer, **data)
