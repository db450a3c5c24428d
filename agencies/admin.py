from django.contrib import admin

from portal.admin_mixins import ReadOnlyAdminMixin

from .models import Agency, Mission


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_th", "name_en"]


@admin.register(Mission)
class MissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Missions change only through agencies.missions.services (audited); read-only here.
    list_display = ["title_th", "agency", "service_category", "mission_type"]
    list_filter = ["service_category", "mission_type"]
    list_select_related = ["agency"]
    search_fields = ["title_th", "title_en"]
