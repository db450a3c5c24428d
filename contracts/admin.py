from django.contrib import admin

from contracts.calls.models import Call, CallEvaluator
from contracts.proposals.models import BudgetLine, Proposal, ProposalDocument
from portal.admin_mixins import ReadOnlyAdminMixin


class CallEvaluatorInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CallEvaluator
    fk_name = "call"
    extra = 0
    readonly_fields = ["evaluator", "assigned_by", "assigned_at"]


@admin.register(Call)
class CallAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Calls change only through contracts.calls.services (audited); read-only here.

    list_display = ["title", "agency", "instrument", "status", "opens_at", "closes_at"]
    list_filter = ["status", "instrument", "costing_method"]
    search_fields = ["title", "agency__name_th", "mission__title_th"]
    list_select_related = ["agency"]
    readonly_fields = ["status", "published_at", "closed_at", "cancel_reason"]
    inlines = [CallEvaluatorInline]


class BudgetLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BudgetLine
    extra = 0
    readonly_fields = ["description", "costing_method", "unit_cost", "quantity", "amount"]


class ProposalDocumentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProposalDocument
    extra = 0
    readonly_fields = ["title", "file", "content_type", "size", "uploaded_at"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Proposals change only through contracts.proposals.services (audited); read-only here.
    list_display = ["reference", "title", "cso", "call", "status", "requested_amount"]
    list_filter = ["status", "call__instrument"]
    search_fields = ["reference", "title", "cso__name_th"]
    list_select_related = ["cso", "call"]
    readonly_fields = [
        "status",
        "reference",
        "requested_amount",
        "submitted_at",
        "decided_at",
        "decision_reason",
        "presented_at",
    ]
    inlines = [BudgetLineInline, ProposalDocumentInline]
