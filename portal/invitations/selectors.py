from django.utils import timezone

from ..models import User
from .models import Invitation, token_hash


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("cso", "agency", "invited_by")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )


def invitations_pending(*, cso_id=None, agency_id=None):
    return (
        Invitation.objects.filter(
            cso_id=cso_id,
            agency_id=agency_id,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .order_by("-created_at", "-id")
    )


def colleagues(*, cso_id=None, agency_id=None):
    people = User.objects.filter(is_active=True)
    people = people.filter(cso_id=cso_id) if cso_id else people.filter(agency_id=agency_id)
    return people.order_by("first_name", "last_name", "username", "id")


def invitation_for_user(user, pk):
    """A pending invitation of the user's own organisation or agency (None otherwise)."""
    scope = Invitation.objects.none()
    if user.cso_id:
        scope = Invitation.objects.filter(cso_id=user.cso_id)
    elif user.agency_id:
        scope = Invitation.objects.filter(agency_id=user.agency_id)
    return scope.select_related("cso", "agency").filter(pk=pk).first()
