"""Reads of the registry, each a queryset with what its page needs prefetched."""

from django.db.models import Prefetch, Q, Sum
from django.http import Http404

from portal.lists import having_related
from portal.notices.audiences import People, active_with_role
from portal.roles import Role, has_role

from . import permissions
from .models import CSO, CSODocument


def cso_base_queryset():
    return CSO.objects.prefetch_related("activity_fields", "service_provinces", "certified_fields")


def cso_visible_to(user):
    """Everything ``user`` may see: approved CSOs for all, their own, all for reviewers; with
    the bank account, which the API and the page show to those who may read it."""
    qs = cso_base_queryset().select_related("bank_account__bank")
    if has_role(user, Role.COMMITTEE_REVIEWER) or has_role(user, Role.STAFF_ADMIN):
        return qs
    visible = Q(status__in=permissions.PUBLIC_STATUSES)
    if user is not None and user.is_authenticated and user.cso_id:
        visible |= Q(pk=user.cso_id)
    return qs.filter(visible)


def cso_get_for_user(user, pk) -> CSO:
    """The CSO if ``user`` may see it; otherwise 404, so its existence does not leak."""
    try:
        return (
            cso_visible_to(user)
            .prefetch_related(
                Prefetch("documents", queryset=CSODocument.objects.order_by("uploaded_at", "id"))
            )
            .get(pk=pk)
        )
    except (CSO.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def cso_directory(*, search="", activity_field="", certified_field="", org_form="", provinces=()):
    """The public directory: approved organisations only; ``certified_field``, those the
    National Committee certified in that field; ``provinces``, those serving any of them."""
    qs = cso_base_queryset().filter(status=CSO.Status.APPROVED)
    if search:
        qs = qs.filter(Q(name_th__icontains=search) | Q(name_en__icontains=search))
    if activity_field:
        qs = having_related(qs, "activity_fields", activity_field)
    if certified_field:
        qs = having_related(qs, "certified_fields", certified_field)
    if org_form:
        qs = qs.filter(org_form=org_form)
    if provinces:
        qs = having_related(qs, "service_provinces", list(provinces), lookup="in")
    return qs.order_by("name_th", "id")


def cso_members(cso_id) -> list:
    """The active members of a CSO: whom its notices go to."""
    return cso_members_of({cso_id}).get(cso_id, [])


def cso_members_of(cso_ids) -> dict:
    """The active members of each of ``cso_ids``, by organisation, read in one query."""
    return active_with_role(Role.CSO_MEMBER, "cso_id", cso_ids)


def cso_members_later(cso_id) -> People:
    """The members of ``cso_id`` as a deadline notice's recipients: read by the sweep with
    those of the other notices it writes at the same time."""
    return People(cso_members_of, cso_id)


def document_bytes(cso_id: int) -> int:
    """How many bytes of registration documents organisation ``cso_id`` keeps."""
    return CSODocument.objects.filter(cso_id=cso_id).aggregate(total=Sum("size"))["total"] or 0
