"""What the proposal's page (a page of contracts) shows of its reviews: the scores and
comments without names, for whoever may see them (contracts decides who, assessments what)."""

from django import template

from assessments.reviews.selectors import proposal_feedback
from portal.reference import SelectionCriterion

register = template.Library()


@register.simple_tag
def feedback_for(proposal) -> dict:
    """``proposal_feedback`` with each criterion's label."""
    feedback = proposal_feedback(proposal)
    for row in feedback["criteria"]:
        row["label"] = SelectionCriterion(row["code"]).label
    return feedback
