"""The suitability advice on a mission: the pure rules, 3 categories x 7 mission types."""

import pytest
from django.utils import translation

from agencies.missions.suitability import advise, call_refusal
from portal.reference import MissionType, ServiceCategory
from tests.helpers import has_thai

# --- advise: 3 categories x 7 mission types -------------------------------------------


# domain.md: the category caps the level; the mission type picks the model that fits
# within that cap; support missions are the agency's own work.
EXPECTED = {
    ("administrative", "support"): ("information", []),
    ("administrative", "policy"): ("information", []),
    ("administrative", "technical"): ("information", []),
    ("administrative", "regulatory"): ("information", []),
    ("administrative", "permits"): ("information", []),
    ("administrative", "disputes"): ("information", []),
    ("administrative", "direct_service"): ("information", []),
    ("industrial_commercial", "support"): ("decision_making", []),
    ("industrial_commercial", "policy"): ("decision_making", ["co_governance"]),
    ("industrial_commercial", "technical"): ("decision_making", ["co_management"]),
    ("industrial_commercial", "regulatory"): ("decision_making", ["co_management"]),
    ("industrial_commercial", "permits"): ("decision_making", ["co_management"]),
    ("industrial_commercial", "disputes"): ("decision_making", ["co_management"]),
    ("industrial_commercial", "direct_service"): ("decision_making", ["co_management"]),
    ("social_cultural", "support"): ("co_production", []),
    ("social_cultural", "policy"): ("co_production", ["co_governance"]),
    ("social_cultural", "technical"): ("co_production", ["co_management"]),
    ("social_cultural", "regulatory"): ("co_production", ["co_management"]),
    ("social_cultural", "permits"): ("co_production", ["co_management"]),
    ("social_cultural", "disputes"): ("co_production", ["co_management"]),
    ("social_cultural", "direct_service"): ("co_production", ["co_production"]),
}


def test_the_table_covers_every_category_and_mission_type():
    assert set(EXPECTED) == {(c, t) for c in ServiceCategory.values for t in MissionType.values}


@pytest.mark.parametrize(("category", "mission_type"), sorted(EXPECTED))
def test_advise(category, mission_type):
    max_level, models = EXPECTED[(category, mission_type)]

    advice = advise(category, mission_type)

    assert advice.max_level == max_level
    assert advice.recommended_models == models
    assert advice.rationale_th and advice.rationale_en
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in advice.rationale_th)  # written in Thai
    assert advice.rationale_th != advice.rationale_en


def test_the_rationale_explains_why_nothing_is_recommended():
    support = advise("social_cultural", "support")
    capped = advise("administrative", "direct_service")

    assert "support mission" in support.rationale_en
    assert "administrative" in capped.rationale_en.lower()
    assert "partnership model" in capped.rationale_en  # why there is none
    assert support.rationale_th != capped.rationale_th


@pytest.mark.parametrize(
    ("category", "mission_type"), [("nonsense", "policy"), ("social_cultural", "x")]
)
def test_advise_refuses_unknown_codes(category, mission_type):
    with pytest.raises(ValueError):
        advise(category, mission_type)


@pytest.mark.parametrize("category", ServiceCategory.values)
def test_only_a_category_limited_to_information_rules_out_a_call(category, english):
    refusal = call_refusal(category)

    if category == "administrative":  # its deepest level is information
        assert "cannot be opened" in refusal and "“Information”" in refusal
        assert "Administrative public service" in refusal
    else:
        assert refusal == ""


def test_the_call_refusal_speaks_thai():
    with translation.override("th"):
        refusal = call_refusal("administrative")
    assert has_thai(refusal)
