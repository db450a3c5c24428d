from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from portal.ids import id_or_404

from .models import Meeting, Registration
from .permissions import can_see_meeting

RS = Registration.Status


def with_counts(qs):
    return qs.annotate(
        registered=Count("registrations", filter=Q(registrations__status=RS.REGISTERED)),
        waiting=Count("registrations", filter=Q(registrations__status=RS.WAITING)),
    )


def public_meetings(*, upcoming=True):
    """Published and held meetings (upcoming ones soonest first, past ones latest first)."""
    qs = with_counts(
        Meeting.objects.filter(status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD])
        .select_related("agency", "mission")
        .prefetch_related("materials")
    )
    now = timezone.now()
    if upcoming:
        return qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    return qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")


def meeting_get_for_user(user, pk) -> Meeting:
    pk = id_or_404(pk)
    meeting = (
        with_counts(Meeting.objects.select_related("agency", "mission"))
        .prefetch_related("materials")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not can_see_meeting(user, meeting):
        raise Http404
    return meeting


def registration_of(meeting, user):
    if not (user and user.is_authenticated):
        return None
    return (
        Registration.objects.filter(meeting=meeting, person=user)
        .exclude(status=RS.CANCELLED)
        .first()
    )


def waiting_position(registration) -> int | None:
    if registration is None or registration.status != RS.WAITING:
        return None
    return (
        Registration.objects.filter(
            meeting_id=registration.meeting_id,
            status=RS.WAITING,
            registered_at__lt=registration.registered_at,
        ).count()
        + 1
    )


def material_of(meeting, material_pk):
    material = meeting.materials.filter(pk=id_or_404(material_pk)).first()
    if material is None:
        raise Http404
    return material
