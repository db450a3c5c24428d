"""Suitability advice for opening a mission (domain.md, "Suitability analysis").

``advise`` is a pure function of the mission's service category and mission type: the
deepest participation level the category allows, the participation models that fit the
mission type within that level, and the reason in Thai and in English. The third dimension,
citizen capacity, is answered from the registry by ``capable_cso_count``. ``call_refusal``
says when the advice rules out opening a call at all (``can_create_call`` enforces it).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.reference import LEVEL_ORDER, MissionType, ParticipationLevel, ParticipationModel
from portal.reference import ServiceCategory as SC

MAX_LEVEL = {
    SC.ADMINISTRATIVE: ParticipationLevel.INFORMATION,
    SC.INDUSTRIAL_COMMERCIAL: ParticipationLevel.DECISION_MAKING,
    SC.SOCIAL_CULTURAL: ParticipationLevel.CO_PRODUCTION,
}

# The level each model needs: deciding policy or managing steps together needs joint
# decisions; producing the service together needs co-production.
MODEL_NEEDS = {
    ParticipationModel.CO_GOVERNANCE: ParticipationLevel.DECISION_MAKING,
    ParticipationModel.CO_MANAGEMENT: ParticipationLevel.DECISION_MAKING,
    ParticipationModel.CO_PRODUCTION: ParticipationLevel.CO_PRODUCTION,
}

MODEL_FOR_TYPE = {
    MissionType.SUPPORT: [],
    MissionType.POLICY: [ParticipationModel.CO_GOVERNANCE],
    MissionType.TECHNICAL: [ParticipationModel.CO_MANAGEMENT],
    MissionType.REGULATORY: [ParticipationModel.CO_MANAGEMENT],
    MissionType.PERMITS: [ParticipationModel.CO_MANAGEMENT],
    MissionType.DISPUTES: [ParticipationModel.CO_MANAGEMENT],
    # A direct service is co-produced where the category allows it; an industrial or
    # commercial service may still have some steps bought from a CSO.
    MissionType.DIRECT_SERVICE: [
        ParticipationModel.CO_PRODUCTION,
        ParticipationModel.CO_MANAGEMENT,
    ],
}

CATEGORY_REASON = {
    SC.ADMINISTRATIVE: (
        "บริการสาธารณะทางปกครองเป็นบริการที่รัฐต้องจัดเอง ไม่อาจมอบหมายให้ภาคส่วนอื่นดำเนินการแทน "
        "ภาคประชาสังคมร่วมได้เฉพาะขั้นตอนที่ไม่ใช้ดุลพินิจ เช่น อาสาสมัคร และร่วมรับรู้ข้อมูล",
        "An administrative public service must be delivered by the state itself and cannot be "
        "delegated; civil society may only help in non-discretionary steps, such as volunteers, "
        "and be informed.",
    ),
    SC.INDUSTRIAL_COMMERCIAL: (
        "บริการสาธารณะทางพาณิชยกรรมและอุตสาหกรรม รัฐอาจซื้อบริการจากผู้ให้บริการอื่นได้ "
        "จึงเปิดให้ร่วมปรึกษาหารือและร่วมตัดสินใจได้ แต่ไม่ถึงขั้นร่วมจัดทำบริการ",
        "In an industrial or commercial public service the state may buy the service from "
        "other providers, so it may be opened up to consultation and joint decision-making, "
        "but not to co-production.",
    ),
    SC.SOCIAL_CULTURAL: (
        "บริการสาธารณะทางสังคมและวัฒนธรรมมอบหมายให้ภาคส่วนอื่นดำเนินการได้ "
        "และเหมาะสมที่สุดที่จะเปิดให้ร่วมจัดทำบริการสาธารณะ",
        "A social and cultural public service may be delegated and is the most suitable for "
        "participation, up to co-producing the service.",
    ),
}

MODEL_REASON = {
    ParticipationModel.CO_GOVERNANCE: (
        "ภารกิจด้านการบริหารนโยบายเหมาะกับการร่วมกำหนดทิศทางนโยบาย (co-governance)",
        "A policy mission fits co-governance: setting policy direction together.",
    ),
    ParticipationModel.CO_MANAGEMENT: (
        "ภารกิจนี้เหมาะกับการร่วมจัดการภารกิจบางขั้นตอน (co-management)",
        "This mission fits co-management: running some of its steps together.",
    ),
    ParticipationModel.CO_PRODUCTION: (
        "ภารกิจจัดบริการแก่ประชาชนกลุ่มเป้าหมายในบริการทางสังคมและวัฒนธรรม"
        "เหมาะกับการร่วมจัดทำบริการสาธารณะ (co-production)",
        "A direct service in a social and cultural service fits co-production: delivering the "
        "service together.",
    ),
}

NONE_REASON = {
    MissionType.SUPPORT: (
        "ภารกิจด้านการสนับสนุนเป็นงานภายในของหน่วยงาน จึงไม่แนะนำให้เปิดเป็นตัวแบบความร่วมมือ",
        "A support mission is the agency's internal work, so no partnership model is recommended.",
    ),
    None: (
        "ประเภทบริการนี้ไม่เปิดให้ร่วมลึกพอสำหรับตัวแบบความร่วมมือใด",
        "This service category does not allow participation deep enough for any partnership model.",
    ),
}


@dataclass(frozen=True)
class Advice:
    max_level: str
    recommended_models: list[str]
    rationale_th: str
    rationale_en: str


def level_at_most(level: str, ceiling: str) -> bool:
    return LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(ceiling)


def advise(service_category: str, mission_type: str) -> Advice:
    max_level = MAX_LEVEL[SC(service_category)]
    fitting = [
        model
        for model in MODEL_FOR_TYPE[MissionType(mission_type)]
        if level_at_most(MODEL_NEEDS[model], max_level)
    ][:1]
    reasons = [CATEGORY_REASON[SC(service_category)]]
    if fitting:
        reasons.append(MODEL_REASON[fitting[0]])
    elif mission_type == MissionType.SUPPORT:
        reasons.append(NONE_REASON[MissionType.SUPPORT])
    else:
        reasons.append(NONE_REASON[None])
    return Advice(
        max_level=max_level.value,
        recommended_models=[model.value for model in fitting],
        rationale_th=" ".join(th for th, _ in reasons),
        rationale_en=" ".join(en for _, en in reasons),
    )


def call_refusal(service_category: str) -> str:
    """Why a mission of ``service_category`` may not open a call: a call has a CSO deliver
    (part of) the service, which a category that allows only ``information`` forbids.
    Empty when it may. The mission page says it; ``can_create_call`` enforces it."""
    max_level = MAX_LEVEL[SC(service_category)]
    if max_level != ParticipationLevel.INFORMATION:
        return ""
    return _(
        "A call cannot be opened for this mission: in an “%(category)s” the deepest "
        "participation is “%(level)s”. The state delivers the service itself, so no "
        "organisation can be funded or contracted to deliver it."
    ) % {"category": SC(service_category).label, "level": max_level.label}
