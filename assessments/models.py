"""The models of assessments, one sub-package per noun: reviews (scoring proposals on the five
selection criteria), evaluations of agreements and citizens' grievances. Imported here so the
app label, the tables and the migrations stay as they are."""

from assessments.evaluations.models import Evaluation
from assessments.grievances.models import Grievance, GrievanceAttachment, GrievanceMessage
from assessments.reviews.models import Review

__all__ = ["Evaluation", "Grievance", "GrievanceAttachment", "GrievanceMessage", "Review"]
