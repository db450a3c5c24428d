"""Invite a colleague, accept an invitation (signed in, or signing up from it), withdraw it.
Each leaves an audit row in the same transaction."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..models import User, UserRole
from ..roles import CsoRole, Role
from ..workflow import require
from .delivery import send_invitation_email
from .models import Invitation, token_hash
from .permissions import can_invite, can_revoke
from .rules import acceptance_problem


def invitation_create(
    *, inviter, email: str, role: str, cso_id=None, agency_id=None
) -> tuple[Invitation, str]:
    """Invite ``email`` to the CSO or the agency; returns the invitation and its token (the
    token goes into the email, only its hash is stored)."""
    email = (email or "").strip()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Give a valid email address, like name@example.org.")]
    allowed_roles = Invitation.CSO_ROLES if cso_id is not None else Invitation.AGENCY_ROLES
    if role not in allowed_roles:
        errors["role"] = [_("Choose one of the roles listed.")]
    require(can_invite(inviter, cso_id=cso_id, agency_id=agency_id, role=role))
    if not errors:
        same_place = {"cso_id": cso_id} if cso_id is not None else {"agency_id": agency_id}
        if User.objects.filter(email__iexact=email, **same_place).exists():
            errors["email"] = [_("This person is already one of your colleagues.")]
        elif Invitation.objects.filter(
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            **same_place,
        ).exists():
            errors["email"] = [
                _("An invitation to this address is still waiting. Withdraw it to send another.")
            ]
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            cso_id=cso_id,
            agency_id=agency_id,
            token_hash=token_hash(token),
            expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_TTL_DAYS),
            invited_by=inviter,
        )
        audit_record(obj=invitation, actor=inviter, action="invite", data={"role": role})
        language = get_language() or "th"
        transaction.on_commit(
            lambda: send_invitation_email.delay(invitation.pk, token, language), robust=True
        )
    return invitation, token


def invitation_revoke(*, invitation: Invitation, user) -> Invitation:
    require(can_revoke(user, invitation))
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."))
        if locked.revoked_at is None:
            locked.revoked_at, locked.revoked_by = timezone.now(), user
            locked.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(obj=locked, actor=user, action="revoke")
    return locked


def _join(*, invitation: Invitation, user: User) -> None:
    if invitation.cso_id:
        user.cso_id = invitation.cso_id
        user.cso_role = (
            CsoRole.SIGNATORY if invitation.role == Invitation.Kind.SIGNATORY else CsoRole.MEMBER
        )
        user.save(update_fields=["cso", "cso_role"])
        UserRole.objects.get_or_create(user=user, role=Role.CSO_MEMBER)
    else:
        user.agency_id = invitation.agency_id
        user.agency_admin = invitation.role == Invitation.Kind.AGENCY_ADMIN
        user.save(update_fields=["agency", "agency_admin"])
        UserRole.objects.get_or_create(user=user, role=Role.AGENCY_OFFICER)
    user.__dict__.pop("roles", None)


def _locked_acceptable(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=token_hash(token or "")).first()
    )
    problem = acceptance_problem(invitation, now=timezone.now())
    if problem:
        raise ValidationError(problem)
    return invitation


def invitation_accept(*, token: str, user: User) -> Invitation:
    """A signed-in person whose email the invitation names joins the CSO or the agency."""
    with transaction.atomic():
        invitation = _locked_acceptable(token)
        if user.email.strip().lower() != invitation.email.strip().lower():
            raise PermissionDenied(
                _(
                    "This invitation is for another email address. "
                    "Sign in with the account of %(email)s."
                )
                % {"email": invitation.email}
            )
        other = user.cso_id if invitation.cso_id else user.agency_id
        if other and other != (invitation.cso_id or invitation.agency_id):
            raise ValidationError(
                _("Your account already belongs to another organisation or agency.")
            )
        _join(invitation=invitation, user=user)
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(obj=invitation, actor=user, action="accept")
    return invitation


def invitation_sign_up(
    *, token: str, username: str, password: str, first_name="", last_name=""
) -> User:
    """Sign up from an invitation: the account takes the invited email (the token proves the
    person reads it) and joins at once."""
    with transaction.atomic():
        invitation = _locked_acceptable(token)
        errors = {}
        username = (username or "").strip()
        if not username:
            errors["username"] = [_("Choose a username.")]
        else:
            try:
                User.username_validator(username)
            except ValidationError as exc:
                errors["username"] = exc.messages
            if len(username) > 150:
                errors["username"] = [_("Keep the username within 150 characters.")]
            elif User.objects.filter(username__iexact=username).exists():
                errors["username"] = [_("This username is taken; choose another.")]
        user = User(
            username=username,
            email=invitation.email,
            first_name=(first_name or "").strip(),
            last_name=(last_name or "").strip(),
        )
        try:
            password_validation.validate_password(password or "", user)
        except ValidationError as exc:
            errors["password"] = exc.messages
        if errors:
            raise ValidationError(errors)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise ValidationError(
                {"username": [_("This username is taken; choose another.")]}
            ) from exc
        audit_record(obj=user, actor=user, action="sign_up")
        _join(invitation=invitation, user=user)
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(obj=invitation, actor=user, action="accept")
    return user
