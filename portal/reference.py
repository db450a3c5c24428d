"""Taxonomies of domain.md. The stored codes never change with the UI language."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative public service")
    INDUSTRIAL_COMMERCIAL = "industrial_commercial", _("Industrial and commercial public service")
    SOCIAL_CULTURAL = "social_cultural", _("Social and cultural public service")


class MissionType(models.TextChoices):
    SUPPORT = "support", _("Support")
    POLICY = "policy", _("Policy management")
    TECHNICAL = "technical", _("Technical")
    REGULATORY = "regulatory", _("Regulation and legal control")
    PERMITS = "permits", _("Approvals and permits")
    DISPUTES = "disputes", _("Disputes and complaints")
    DIRECT_SERVICE = "direct_service", _("Direct service to target groups")


class ParticipationLevel(models.TextChoices):
    """Ordered from the shallowest to the deepest."""

    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Consultation")
    DECISION_MAKING = "decision_making", _("Public decision-making")
    CO_PRODUCTION = "co_production", _("Co-production")


LEVEL_ORDER = [level.value for level in ParticipationLevel]


class ParticipationModel(models.TextChoices):
    CO_GOVERNANCE = "co_governance", _("Co-governance")
    CO_MANAGEMENT = "co_management", _("Co-management")
    CO_PRODUCTION = "co_production", _("Co-production")


class OrgForm(models.TextChoices):
    NONPROFIT_SERVICE_PROVIDER = "nonprofit_service_provider", _("Non-profit service provider")
    NGO = "ngo", _("Non-governmental organisation")
    ARTS_CULTURE = "arts_culture", _("Arts and culture organisation")
    SPORTS_ASSOCIATION = "sports_association", _("Sports association")
    ADVOCACY_GROUP = "advocacy_group", _("Advocacy group")
    CHARITABLE_FOUNDATION = "charitable_foundation", _("Charitable foundation")
    COMMUNITY_ORGANISATION = "community_organisation", _("Community organisation")
    SOCIAL_GROUP = "social_group", _("Social group")
    UNION_PROFESSIONAL_BUSINESS_ASSOCIATION = (
        "union_professional_business_association",
        _("Union, professional or business association"),
    )
    COOPERATIVE = "cooperative", _("Cooperative")
    COMMUNITY_FINANCE = "community_finance", _("Community finance organisation")
    SELF_HELP_GROUP = "self_help_group", _("Self-help group")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    INDIGENOUS_ETHNIC = "indigenous_ethnic", _("Indigenous or ethnic group")


class SelectionCriterion(models.TextChoices):
    EXPERTISE = "expertise", _("Expertise and experience")
    STANDARDS = "standards", _("Organisational standards")
    SERVICE_AREA = "service_area", _("Service area")
    TRACK_RECORD = "track_record", _("Track record")
    NETWORKING = "networking", _("Networking and resource mobilisation")


class CostingMethod(models.TextChoices):
    PER_PERSON = "per_person", _("Per person served")
    PER_PROJECT = "per_project", _("Per project")
    REFERENCE_PRICE = "reference_price", _("Reference price")


# Activity fields live in a table (portal.ActivityField) so CSOs and missions can be joined
# on them; these are its rows, loaded by a data migration.
ACTIVITY_FIELDS = [
    ("culture_recreation", "วัฒนธรรมและนันทนาการ", "Culture and recreation"),
    ("education_research", "การศึกษาและการวิจัย", "Education and research"),
    ("health", "สุขภาพ", "Health"),
    ("social_services", "บริการสังคม", "Social services"),
    ("environment", "สิ่งแวดล้อม", "Environment"),
    ("development_housing", "การพัฒนาและที่อยู่อาศัย", "Development and housing"),
    ("law_advocacy_politics", "กฎหมาย การรณรงค์ และการเมือง", "Law, advocacy and politics"),
    ("philanthropy_volunteerism", "การกุศลและอาสาสมัคร", "Philanthropy and volunteerism"),
    ("international", "กิจการระหว่างประเทศ", "International"),
    ("religion", "ศาสนา", "Religion"),
    (
        "business_professional_unions",
        "สมาคมธุรกิจ วิชาชีพ และสหภาพแรงงาน",
        "Business and professional associations, unions",
    ),
]


# The banks a CSO's payments go to, keyed by the Bank of Thailand's three-digit bank code,
# with the lengths an account number may have there (digits only): 10 at most banks, 12 also
# at the Government Savings Bank, the Government Housing Bank and BAAC. They live in a table
# (portal.Bank) so an account can refer to one; these are its rows, loaded by a data migration
# and by ``manage.py load_reference``.
BANKS = [
    ("002", "ธนาคารกรุงเทพ", "Bangkok Bank", (10,)),
    ("004", "ธนาคารกสิกรไทย", "Kasikornbank", (10,)),
    ("006", "ธนาคารกรุงไทย", "Krungthai Bank", (10,)),
    ("011", "ธนาคารทหารไทยธนชาต (ทีทีบี)", "TMBThanachart Bank (ttb)", (10,)),
    ("014", "ธนาคารไทยพาณิชย์", "Siam Commercial Bank", (10,)),
    ("022", "ธนาคารซีไอเอ็มบี ไทย", "CIMB Thai Bank", (10,)),
    ("024", "ธนาคารยูโอบี", "United Overseas Bank (Thai)", (10,)),
    ("025", "ธนาคารกรุงศรีอยุธยา", "Bank of Ayudhya (Krungsri)", (10,)),
    ("030", "ธนาคารออมสิน", "Government Savings Bank", (10, 12)),
    ("033", "ธนาคารอาคารสงเคราะห์", "Government Housing Bank", (10, 12)),
    (
        "034",
        "ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร",
        "Bank for Agriculture and Agricultural Cooperatives",
        (10, 12),
    ),
    ("066", "ธนาคารอิสลามแห่งประเทศไทย", "Islamic Bank of Thailand", (10,)),
    ("067", "ธนาคารทิสโก้", "Tisco Bank", (10,)),
    ("069", "ธนาคารเกียรตินาคินภัทร", "Kiatnakin Phatra Bank", (10,)),
    ("071", "ธนาคารไทยเครดิต", "Thai Credit Bank", (10,)),
    ("073", "ธนาคารแลนด์ แอนด์ เฮ้าส์", "Land and Houses Bank", (10,)),
]


class Region(models.TextChoices):
    """Thailand's six geographical regions (National Geographical Committee, 1977), the
    grouping of the province pickers. Bangkok is in the central region."""

    NORTH = "north", _("Northern region")
    NORTHEAST = "northeast", _("Northeastern region")
    CENTRAL = "central", _("Central region")
    EAST = "east", _("Eastern region")
    WEST = "west", _("Western region")
    SOUTH = "south", _("Southern region")


# Each region's provinces, by DOPA code (portal.Province.code); all 77, each once.
REGION_PROVINCES: dict[str, tuple[str, ...]] = {
    Region.NORTH: ("50", "51", "52", "53", "54", "55", "56", "57", "58"),
    Region.NORTHEAST: (
        "30", "31", "32", "33", "34", "35", "36", "37", "38", "39",
        "40", "41", "42", "43", "44", "45", "46", "47", "48", "49",
    ),
    Region.CENTRAL: (
        "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "26",
        "60", "61", "62", "64", "65", "66", "67", "72", "73", "74", "75",
    ),
    Region.EAST: ("20", "21", "22", "23", "24", "25", "27"),
    Region.WEST: ("63", "70", "71", "76", "77"),
    Region.SOUTH: (
        "80", "81", "82", "83", "84", "85", "86", "90", "91", "92", "93", "94", "95", "96",
    ),
}  # fmt: skip
PROVINCE_REGION: dict[str, str] = {
    code: region for region, codes in REGION_PROVINCES.items() for code in codes
}
