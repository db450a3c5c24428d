"""The models of assessments, one sub-package per noun: reviews (scoring proposals on the five
selection criteria), evaluations of agreements, the citizens' feedback (charters, surveys,
responses) and their grievances. Imported here so the app label, the tables and the
migrations stay as they are."""

from assessments.committees.models import (
    CommitteeMeeting,
    CommitteeMember,
    CommitteeRecommendation,
    UserCommittee,
)
from assessments.evaluations.models import Evaluation
from assessments.feedback.models import Charter, FeedbackResponse, Rating, Survey
from assessments.grievances.models import Grievance, GrievanceAttachment, GrievanceMessage
from assessments.reviews.models import Review

__all__ = [
    "Charter",
    "CommitteeMeeting",
    "CommitteeMember",
    "CommitteeRecommendation",
    "UserCommittee",
    "Evaluation",
    "FeedbackResponse",
    "Grievance",
    "GrievanceAttachment",
    "GrievanceMessage",
    "Rating",
    "Review",
    "Survey",
]
