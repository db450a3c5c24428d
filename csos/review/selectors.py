"""The committee's review queue."""

from django.db.models import Q

from csos.registration.models import CSO
from csos.registration.selectors import cso_base_queryset
from portal.lists import having_related


def review_queue(
    *,
    status=CSO.Status.SUBMITTED,
    search="",
    activity_field="",
    org_form="",
    province="",
    registered="",
):
    """Registrations waiting for the committee, the oldest first."""
    qs = cso_base_queryset().prefetch_related("documents")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(name_th__icontains=search) | Q(name_en__icontains=search) | Q(juristic_id=search)
        )
    if activity_field:
        qs = having_related(qs, "activity_fields", activity_field)
    if org_form:
        qs = qs.filter(org_form=org_form)
    if province:
        qs = having_related(qs, "service_provinces", province)
    if registered in ("true", "false"):
        qs = qs.filter(registered=registered == "true")
    return qs.order_by("submitted_at", "id")
