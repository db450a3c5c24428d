from django.contrib import admin

from assessments.evaluations.models import Evaluation
from assessments.reviews.models import Review
from portal.admin_mixins import ReadOnlyAdminMixin


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Scores change only through assessments.reviews.services (audited); read-only here.
    list_display = ["proposal", "evaluator", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["proposal", "evaluator"]
    readonly_fields = ["status", "submitted_at", "no_conflict_of_interest"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Planned and recorded through assessments.evaluations.services (audited); read-only here.
    list_display = ["agreement", "kind", "mode", "due_on", "status", "score"]
    list_filter = ["status", "kind", "mode"]
    list_select_related = ["agreement"]
