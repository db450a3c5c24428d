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


def citizen(*, verified=True, **kwargs):
    """A citizen's account, with its email verified unless ``verified=False``."""
    from django.utils import timezone

    from portal.roles import Role

    from .portal import UserFactory

    return UserFactory(
        roles=[Role.CITIZEN], email_verified_at=timezone.now() if verified else None, **kwargs
    )


CONSULTATION_QUESTIONS = (
    {"kind": "text", "text": "ท่านเห็นว่าบริการรถโดยสารในชุมชนควรปรับปรุงอย่างไร", "required": True},
    {"kind": "single", "text": "ท่านใช้บริการบ่อยเพียงใด", "options": ["ทุกวัน", "ทุกสัปดาห์", "นาน ๆ ครั้ง"]},
    {"kind": "multiple", "text": "เส้นทางใดควรเพิ่ม", "options": ["ตลาด", "โรงพยาบาล", "โรงเรียน"]},
    {"kind": "scale", "text": "ความพึงพอใจต่อบริการปัจจุบัน"},
    {"kind": "ranking", "text": "เรียงลำดับความสำคัญ", "options": ["ความถี่", "ราคา", "ความปลอดภัย"]},
)


def open_consultation(officer, *, publish=True, questions=CONSULTATION_QUESTIONS, **over):
    """A consultation of ``officer``'s agency made, given its questions and published
    through the services (open from an hour ago for two weeks)."""
    import datetime

    from django.utils import timezone

    from agencies.consultations import services

    now = timezone.now()
    data = {
        "title": "รับฟังความคิดเห็นเรื่องรถโดยสารประจำทางในชุมชน",
        "summary": "หน่วยงานต้องการทราบความต้องการของประชาชนก่อนปรับเส้นทางเดินรถ",
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=14),
        **over,
    }
    consultation = services.consultation_create(actor=officer, agency=officer.agency, data=data)
    for question in questions:
        services.question_add(actor=officer, consultation=consultation, data=dict(question))
    if publish:
        consultation = services.consultation_publish(actor=officer, consultation=consultation)
    return consultation


def budget_round(officer, *, envelope="5000000", projects=(), **over):
    """A participatory budget round of ``officer``'s agency in Chiang Mai, made through the
    services, with ``projects`` (title, cost) proposed by citizens; still taking ideas."""
    from agencies.budgets import services
    from portal.models import Province

    made = services.round_create(
        officer=officer,
        data={
            "title": "งบประมาณแบบมีส่วนร่วม เชียงใหม่ 2570",
            "description": "โครงการที่ชาวเชียงใหม่เสนอและเลือกเอง",
            "envelope": envelope,
            "provinces": [Province.objects.get(code="50")],
            **over,
        },
    )
    for title, cost in projects:
        services.project_propose(
            person=citizen(),
            budget_round=made,
            data={"title": title, "description": f"รายละเอียด {title}", "cost": cost},
        )
    return made
