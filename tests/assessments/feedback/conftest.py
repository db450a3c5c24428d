import pytest

from portal.roles import CsoRole
from tests import factories
from tests.helpers import member_of, officer_of


@pytest.fixture
def agreement(db):
    """An active grant agreement (signed by its CSO's signatory)."""
    return factories.award()


@pytest.fixture
def officer(agreement):
    return officer_of(agreement)


@pytest.fixture
def signatory(agreement):
    return member_of(agreement)


@pytest.fixture
def plain_member(agreement):
    """A member of the agreement's CSO who is not its signatory."""
    return factories.MemberFactory(cso=agreement.cso, cso_role=CsoRole.MEMBER)


CHARTER = {
    "service": "เยี่ยมบ้านผู้สูงอายุติดเตียงสัปดาห์ละครั้ง",
    "who_may_use": "ผู้สูงอายุติดบ้านติดเตียงในเขตจตุจักร",
    "where_when": "ที่บ้านของผู้รับบริการ วันจันทร์ถึงศุกร์ 8.30–16.30 น.",
    "time_standard": "เยี่ยมครั้งแรกภายใน 3 วันหลังลงทะเบียน",
    "quality_standard": "ผู้ดูแลผ่านการอบรม 70 ชั่วโมง",
    "cost": "",
    "remedy": "แจ้งศูนย์ได้ทันที และจะจัดเยี่ยมชดเชยภายใน 2 วัน",
}
