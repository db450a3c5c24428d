from django.contrib import admin

from assessments.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["proposal", "evaluator", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["proposal", "evaluator"]
    readonly_fields = ["status", "submitted_at", "no_conflict_of_interest"]
