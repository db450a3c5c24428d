"""The real agencies the report names: the ministries and the departments it proposes as
pilots for co-governance, co-management and co-production."""

MINISTRIES = [
    ("สำนักนายกรัฐมนตรี", "Office of the Prime Minister"),
    ("กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", "Ministry of Social Development and Human Security"),
    ("กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม", "Ministry of Natural Resources and Environment"),
    ("กระทรวงยุติธรรม", "Ministry of Justice"),
    ("กระทรวงพลังงาน", "Ministry of Energy"),
]

DEPARTMENTS = [
    (
        "สำนักงานปลัดสำนักนายกรัฐมนตรี",
        "Office of the Permanent Secretary, Prime Minister's Office",
        "สำนักนายกรัฐมนตรี",
    ),
    ("สำนักงานคณะกรรมการคุ้มครองผู้บริโภค", "Office of the Consumer Protection Board", "สำนักนายกรัฐมนตรี"),
    ("สำนักงานทรัพยากรน้ำแห่งชาติ", "Office of the National Water Resources", "สำนักนายกรัฐมนตรี"),
    ("กรมกิจการผู้สูงอายุ", "Department of Older Persons", "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"),
    (
        "กรมกิจการเด็กและเยาวชน",
        "Department of Children and Youth",
        "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
    ),
    (
        "กรมส่งเสริมและพัฒนาคุณภาพชีวิตคนพิการ",
        "Department of Empowerment of Persons with Disabilities",
        "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
    ),
    ("กรมควบคุมมลพิษ", "Pollution Control Department", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    (
        "สำนักงานนโยบายและแผนทรัพยากรธรรมชาติและสิ่งแวดล้อม",
        "Office of Natural Resources and Environmental Policy and Planning",
        "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    ),
    (
        "กรมพินิจและคุ้มครองเด็กและเยาวชน",
        "Department of Juvenile Observation and Protection",
        "กระทรวงยุติธรรม",
    ),
    ("สำนักงานนโยบายและแผนพลังงาน", "Energy Policy and Planning Office", "กระทรวงพลังงาน"),
]


def load_agencies(agency_model) -> int:
    ministries = {}
    for name_th, name_en in MINISTRIES:
        ministries[name_th], _ = agency_model.objects.update_or_create(
            name_th=name_th, defaults={"name_en": name_en, "kind": "ministry", "parent": None}
        )
    for name_th, name_en, parent in DEPARTMENTS:
        agency_model.objects.update_or_create(
            name_th=name_th,
            defaults={"name_en": name_en, "kind": "department", "parent": ministries[parent]},
        )
    return len(MINISTRIES) + len(DEPARTMENTS)
