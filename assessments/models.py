"""The models of assessments, one sub-package per noun: reviews (scoring proposals on the five
selection criteria), evaluations of agreements and the citizens' feedback (charters, surveys,
responses). Imported here so the app label, the tables
and the migrations stay as they are."""

from assessments.evaluations.models import Evaluation
from assessments.feedback.models import Charter, FeedbackResponse, Rating, Survey
from assessments.reviews.models import Review

__all__ = ["Charter", "Evaluation", "FeedbackResponse", "Rating", "Review", "Survey"]
