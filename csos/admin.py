from django.contrib import admin

from portal.admin_mixins import ReadOnlyAdminMixin

from .models import CSO, CSODocument


class CSODocumentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CSODocument
    extra = 0
    readonly_fields = ["kind", "title", "file", "content_type", "size", "uploaded_at"]


@admin.register(CSO)
class CSOAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Registration, the committee's decisions and certification change only through the
    # services (audited); read-only here.

    list_display = ["name_th", "org_form", "registered", "status", "submitted_at"]
    list_filter = ["status", "org_form", "registered"]
    search_fields = ["name_th", "name_en", "juristic_id"]
    readonly_fields = [
        "status",
        "submitted_at",
        "approved_at",
        "certificate_number",
        "decision_reason",
    ]
    inlines = [CSODocumentInline]
