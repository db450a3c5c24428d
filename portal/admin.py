from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenProxy

from . import services
from .admin_mixins import LabelledListEditableMixin, ReadOnlyAdminMixin
from .models import (
    ActivityField,
    ApiClient,
    ApiRequestLog,
    AuditLog,
    Bank,
    Notice,
    NoticeKind,
    Province,
    PublicHoliday,
    User,
    UserRole,
)
from .twofactor import services as twofactor_services
from .workflow import InvalidTransition


class UserRoleInline(admin.StackedInline):
    """Stacked, not tabular: each role's box and its delete box have a label of their own."""

    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "email", "agency", "cso", "is_active"]
    list_select_related = ["agency", "cso"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Portal"),
            {
                "fields": (
                    "agency",
                    "agency_admin",
                    "complaints_officer",
                    "cso",
                    "cso_role",
                    "language",
                    "position",
                )
            },
        ),
    )
    autocomplete_fields = ["agency", "cso"]
    actions = ["deactivate", "reactivate", "reset_two_factor"]

    # Whoever has acted stays on record: audit rows and money movements keep their actor
    # (on_delete=PROTECT), so a person leaves by deactivation, which is audited.
    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "is_active", "last_login", "date_joined"] if obj else fields

    @admin.action(description=_("Deactivate (they can no longer sign in; their record stays)"))
    def deactivate(self, request, queryset):
        for user in queryset:
            try:
                services.user_deactivate(user=user, actor=request.user)
            except (InvalidTransition, PermissionDenied) as exc:
                message = getattr(exc, "message", None) or str(exc)
                self.message_user(request, f"{user}: {message}", messages.ERROR)
            else:
                self.message_user(request, _("%(name)s: deactivated.") % {"name": user})

    @admin.action(description=_("Reactivate (they can sign in again)"))
    def reactivate(self, request, queryset):
        for user in queryset:
            try:
                services.user_reactivate(user=user, actor=request.user)
            except (InvalidTransition, PermissionDenied) as exc:
                message = getattr(exc, "message", None) or str(exc)
                self.message_user(request, f"{user}: {message}", messages.ERROR)
            else:
                self.message_user(request, _("%(name)s: reactivated.") % {"name": user})

    @admin.action(description=_("Reset two-factor sign-in (a lost phone: they set it up again)"))
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            try:
                twofactor_services.two_factor_reset(
                    user=user, actor=request.user, reason=_("Reset on the administration site")
                )
            except (InvalidTransition, PermissionDenied) as exc:
                message = getattr(exc, "message", None) or str(exc)
                self.message_user(request, f"{user}: {message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(name)s: two-factor sign-in reset.") % {"name": user}
                )


def _verified_staff(request, _has_permission=admin.site.has_permission):
    """The admin opens only to a staff session that gave its two-factor code (django-otp's
    OTPAdminSite asks the same; the portal keeps one sign-in page for both steps, and
    portal.twofactor.middleware sends an unverified session there first)."""
    verified = getattr(request.user, "is_verified", None)
    return _has_permission(request) and verified is not None and verified()


admin.site.has_permission = _verified_staff


# Two-factor devices change only through the audited services (the reset action above):
# django-otp's own device lists would let a secret be read or a device removed unrecorded.
for _device_model in (StaticDevice, TOTPDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


# A token is shown once, when it is issued; DRF's own token list would show it again.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=ApiClient.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ApiClient
        fields = ["name", "contact", "scopes"]


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Other government systems. Saving a new one issues its token, shown once; the actions
    rotate or revoke tokens. The work is done by portal.services, audited there."""

    form = ApiClientForm
    list_display = ["name", "contact", "scopes", "user", "token_issued_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "contact", "user__username"]
    actions = ["rotate_token", "revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "created_at", "token_issued_at", "revoked_at"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: its request log and audit trail stay

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        answers = {"name": data["name"], "contact": data["contact"], "scopes": data["scopes"]}
        if change:
            services.api_client_update(client=obj, actor=request.user, **answers)
            return
        client, key = services.api_client_create(actor=request.user, **answers)
        vars(obj).update(vars(client))  # the admin carries on with the client just made
        obj.issued_token = key

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(obj, "issued_token", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        return self._token_page(request, [(obj, key)])

    def _token_page(self, request, issued):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Copy the token now"),
            "issued": issued,
        }
        response = TemplateResponse(request, "admin/portal/apiclient/token.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Rotate token (the old one stops working at once)"))
    def rotate_token(self, request, queryset):
        issued = []
        for client in queryset.select_related("user"):
            try:
                key = services.api_client_rotate_token(client=client, actor=request.user)
            except InvalidTransition as exc:
                self.message_user(request, f"{client}: {exc.message}", messages.ERROR)
                continue
            issued.append((client, key))
        return self._token_page(request, issued) if issued else None

    @admin.action(description=_("Revoke access (the token is deleted)"))
    def revoke(self, request, queryset):
        for client in queryset:
            try:
                services.api_client_revoke(client=client, actor=request.user)
            except InvalidTransition as exc:
                self.message_user(request, f"{client}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(name)s: access revoked.") % {"name": client})


@admin.register(ApiRequestLog)
class ApiRequestLogAdmin(admin.ModelAdmin):
    list_display = ["at", "client", "method", "path", "status_code", "duration_ms"]
    list_filter = ["client", "method", "status_code"]
    list_select_related = ["client"]
    search_fields = ["path"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(Bank)
class BankAdmin(ReferenceAdmin):
    list_display = ["code", "name_th", "name_en", "account_lengths"]


@admin.register(NoticeKind)
class NoticeKindAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    """The staff admin sets each kind's lead time here, or stops sending it."""

    list_display = ["code", "__str__", "lead_days", "active"]
    list_editable = ["lead_days", "active"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__username"]
    readonly_fields = [f.name for f in Notice._meta.fields]


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    """Days off besides the ``holidays`` package's Thai calendar: substitution days and
    special holidays the cabinet announces. Working-day deadlines (grievances) skip them.
    Added, changed and removed through portal.services, audited there."""

    list_display = ["day", "name_th", "name_en"]
    date_hierarchy = "day"
    search_fields = ["name_th", "name_en"]
    actions = None  # removed one at a time, each audited

    def save_model(self, request, obj, form, change):
        try:
            services.public_holiday_save(holiday=obj, actor=request.user, change=change)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)

    def delete_model(self, request, obj):
        services.public_holiday_remove(holiday=obj, actor=request.user)

    def has_add_permission(self, request):
        return services.can_keep_holidays(request.user)[0]

    def has_change_permission(self, request, obj=None):
        return services.can_keep_holidays(request.user)[0]

    def has_delete_permission(self, request, obj=None):
        return services.can_keep_holidays(request.user)[0]

    def has_view_permission(self, request, obj=None):
        return services.can_keep_holidays(request.user)[0]
