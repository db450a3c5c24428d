import secrets
from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .audit import audit_record
from .lockouts.services import lock_lift_on_reset
from .models import ApiClient, User, UserRole
from .roles import Role, has_role
from .tokens.services import token_revoke
from .workflow import InvalidTransition


def user_password_record(*, user: User, action: str) -> None:
    """After a password changed (``password_change``) or reset by email (``password_reset``):
    an audit row (never the password itself), the person's API token revoked (whoever held
    the old password may hold the token), and, after a reset, the username's sign-in lock
    lifted (the email proved the person)."""
    data = {}
    if action == "password_reset":
        data["lock_lifted"] = lock_lift_on_reset(user=user)
    audit_record(obj=user, actor=user, action=action, data=data)
    token_revoke(user=user, actor=user, why=action)


def user_sign_up(
    *, username: str, password: str, email: str, first_name="", last_name="", role=Role.CSO_MEMBER
) -> User:
    """Self sign-up: a CSO-member account, ready to register its organisation, or a citizen's
    account, which is sent a link to verify its email address before it takes part."""
    errors = {}
    if role not in (Role.CSO_MEMBER, Role.CITIZEN):
        errors["role"] = [_("Choose a citizen's account or an organisation member's.")]
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
    if not email:
        errors["email"] = [_("Give an email address.")]
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
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
            UserRole.objects.create(user=user, role=role)
            audit_record(obj=user, actor=user, action="sign_up", data={"role": str(role)})
            if role == Role.CITIZEN:
                from .verification.services import verification_send

                verification_send(user=user, counted=False)
    except IntegrityError as exc:
        raise ValidationError({"username": [_("This username is taken; choose another.")]}) from exc
    return user


# --- API clients: other government systems ---------------------------------------------


def can_manage_api_clients(user):
    signed_in = user is not None and user.is_authenticated and user.is_active
    if signed_in and (user.is_superuser or has_role(user, Role.STAFF_ADMIN)):
        return True, ""
    return False, _("Only a staff administrator manages the systems that use the API.")


def _require_api_admin(actor) -> None:
    allowed, why = can_manage_api_clients(actor)
    if not allowed:
        raise PermissionDenied(why)


def _clean_api_client(*, name, contact, scopes) -> dict:
    errors = {}
    name = (name or "").strip()
    contact = (contact or "").strip()
    if not name:
        errors["name"] = [_("Give the system's name.")]
    elif len(name) > 200:
        errors["name"] = [_("Keep the name within 200 characters.")]
    if len(contact) > 200:
        errors["contact"] = [_("Keep the contact within 200 characters.")]
    asked = set(scopes or [])
    unknown = sorted(str(scope) for scope in asked - set(ApiClient.Scope.values))
    if unknown:
        errors["scopes"] = [_("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    # Stored in one order, whatever order they were chosen in.
    return {
        "name": name,
        "contact": contact,
        "scopes": [scope for scope in ApiClient.Scope.values if scope in asked],
    }


def _new_username() -> str:
    while True:
        username = f"api-{secrets.token_hex(5)}"
        if not User.objects.filter(username=username).exists():
            return username


def api_client_create(
    *, actor, name: str, contact: str = "", scopes: Iterable[str] = ()
) -> tuple[ApiClient, str]:
    """Register another government system: an account with the api_client role (no
    password: it signs in with its token only), the client with its scopes, and a token.
    Returns the client and the token's key, which is shown to the administrator once."""
    _require_api_admin(actor)
    cleaned = _clean_api_client(name=name, contact=contact, scopes=scopes)
    with transaction.atomic():
        user = User(username=_new_username(), first_name=cleaned["name"][:150])
        user.set_unusable_password()
        user.save()
        UserRole.objects.create(user=user, role=Role.API_CLIENT)
        client = ApiClient.objects.create(user=user, token_issued_at=timezone.now(), **cleaned)
        token = Token.objects.create(user=user)
        audit_record(
            obj=client,
            actor=actor,
            action="create",
            to_status="active",
            data={"scopes": cleaned["scopes"], "username": user.username},
        )
    return client, token.key


def api_client_update(
    *, client: ApiClient, actor, name: str, contact: str = "", scopes: Iterable[str] = ()
) -> ApiClient:
    """Change a system's name, contact or scopes; a new scope applies from its next request."""
    _require_api_admin(actor)
    cleaned = _clean_api_client(name=name, contact=contact, scopes=scopes)
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        changed = [field for field, value in cleaned.items() if getattr(locked, field) != value]
        if not changed:
            return locked
        before = list(locked.scopes or [])
        for field in changed:
            setattr(locked, field, cleaned[field])
        locked.save(update_fields=changed)
        audit_record(
            obj=locked,
            actor=actor,
            action="update",
            data={"fields": changed, "scopes_before": before, "scopes": locked.scopes},
        )
    return locked


def api_client_rotate_token(*, client: ApiClient, actor) -> str:
    """Give the system a new token: the old one stops working at once. Returns the new
    key, which is shown to the administrator once."""
    _require_api_admin(actor)
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.is_revoked:
            raise InvalidTransition(_("A revoked system gets no new token."))
        Token.objects.filter(user_id=locked.user_id).delete()
        token = Token.objects.create(user_id=locked.user_id)
        locked.token_issued_at = timezone.now()
        locked.save(update_fields=["token_issued_at"])
        audit_record(obj=locked, actor=actor, action="rotate_token")
    return token.key


def api_client_revoke(*, client: ApiClient, actor, reason: str = "") -> ApiClient:
    """Cut the system off: its token is deleted and its account deactivated, so every
    later request answers 401. The client and its request log stay on record."""
    _require_api_admin(actor)
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.is_revoked:
            raise InvalidTransition(_("This system's access is already revoked."))
        Token.objects.filter(user_id=locked.user_id).delete()
        User.objects.filter(pk=locked.user_id).update(is_active=False)
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            obj=locked,
            actor=actor,
            action="revoke",
            from_status="active",
            to_status="revoked",
            reason=reason,
        )
    return locked


def user_deactivate(*, user: User, actor, reason: str = "") -> User:
    """A person leaves: they can no longer sign in and their API token stops working, while
    everything they did keeps their name (people are never deleted once they have acted)."""

    allowed, why = can_manage_api_clients(actor)  # the same staff administrators
    if not allowed:
        raise PermissionDenied(_("Only a staff administrator deactivates accounts."))
    if actor.pk == user.pk:
        raise InvalidTransition(_("You cannot deactivate your own account."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise InvalidTransition(_("This account is already deactivated."))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        token_revoke(user=locked, actor=actor, why="deactivation")
        audit_record(
            obj=locked,
            actor=actor,
            action="deactivate",
            from_status="active",
            to_status="inactive",
            reason=reason,
        )
    return locked


def user_reactivate(*, user: User, actor, reason: str = "") -> User:
    """Undo a deactivation: they may sign in again (an API client gets a new token by
    rotation). Audited like the deactivation."""

    allowed, why = can_manage_api_clients(actor)
    if not allowed:
        raise PermissionDenied(_("Only a staff administrator deactivates accounts."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            raise InvalidTransition(_("This account is active."))
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        audit_record(
            obj=locked,
            actor=actor,
            action="reactivate",
            from_status="inactive",
            to_status="active",
            reason=reason,
        )
    return locked


# --- the staff's public holidays (portal.working_days reads them) ----------------------


def can_keep_holidays(user):
    if has_role(user, Role.STAFF_ADMIN):
        return True, ""
    return False, _("Only a staff administrator keeps the public holidays.")


def public_holiday_save(*, holiday, actor, change: bool):
    """Add or change a day off in the staff's table (a substitution day, a special holiday
    the cabinet announced): every deadline counted in working days moves with it."""
    allowed, why = can_keep_holidays(actor)
    if not allowed:
        raise PermissionDenied(why)
    with transaction.atomic():
        holiday.save()
        audit_record(
            obj=holiday,
            actor=actor,
            action="update" if change else "create",
            data={"day": holiday.day.isoformat(), "name_th": holiday.name_th},
        )
    return holiday


def public_holiday_remove(*, holiday, actor):
    allowed, why = can_keep_holidays(actor)
    if not allowed:
        raise PermissionDenied(why)
    with transaction.atomic():
        audit_record(
            obj=holiday,
            actor=actor,
            action="remove_holiday",
            data={"day": holiday.day.isoformat(), "name_th": holiday.name_th},
        )
        holiday.delete()
