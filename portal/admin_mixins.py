"""What the Django admin may do with workflow objects: look, not touch.

A submitted review's scores, a published call, a submitted proposal, a CSO's certification
and the notices sent change only through their services, which check the rules and write
the audit rows. In the admin they are read-only: no add, no change, no delete (and so no
"delete selected" action). Admin actions stay only where they call a service."""


class ReadOnlyAdminMixin:
    """For a ModelAdmin or an inline: the staff admin sees the rows and changes none."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
