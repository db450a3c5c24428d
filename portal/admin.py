from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    ActivityField,
    ApiClient,
    AuditLog,
    Notice,
    NoticeKind,
    Province,
    User,
    UserRole,
)


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "email", "agency", "cso", "is_active"]
    list_select_related = ["agency", "cso"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Portal"), {"fields": ("agency", "cso", "language")}),
    )
    autocomplete_fields = ["agency", "cso"]


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "contact", "scopes"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor",
        "content_type",
        "object_id",
        "action",
        "from_status",
        "to_status",
    ]
    list_filter = ["content_type", "action"]
    search_fields = ["object_id", "reason"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Province, ActivityField)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(NoticeKind)
class NoticeKindAdmin(admin.ModelAdmin):
    """The staff admin sets each kind's lead time here, or stops sending it."""

    list_display = ["code", "__str__", "lead_days", "active"]
    list_editable = ["lead_days", "active"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__username"]
    readonly_fields = [f.name for f in Notice._meta.fields]
