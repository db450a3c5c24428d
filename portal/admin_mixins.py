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


class LabelledListEditableMixin:
    """For a ModelAdmin with ``list_editable``: each box in the change list is named by its
    column and its row ("Lead days: <row>"), as a screen reader needs; Django's change list
    gives them no label (WCAG 1.3.1, 4.1.2)."""

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class LabelledForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                for field in self.fields.values():
                    if not field.widget.is_hidden:
                        field.widget.attrs["aria-label"] = f"{field.label}: {self.instance}"

        return LabelledForm
