from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import Notice, NoticePreference, User, UserRole
from .notices import KINDS
from .roles import Role


def user_sign_up(*, username: str, password: str, email: str, first_name="", last_name="") -> User:
    """Self sign-up: a CSO-member account, ready to register its organisation."""
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
            UserRole.objects.create(user=user, role=Role.CSO_MEMBER)
            audit_record(obj=user, actor=user, action="sign_up")
    except IntegrityError as exc:
        raise ValidationError({"username": [_("This username is taken; choose another.")]}) from exc
    return user


def notice_mark_read(*, user, notice_ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s unread notices read: those in ``notice_ids``, or all of them. Another
    person's notice is never touched; a notice already read keeps the moment it was first
    read. Returns how many changed."""
    unread = Notice.objects.filter(recipient=user, in_app=True, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=list(notice_ids))
    return unread.update(read_at=timezone.now())


def notice_preferences_save(*, user, choices: dict[str, dict[str, bool]]) -> list:
    """Save ``user``'s channels per kind of notice: ``{kind: {"email": bool, "in_app":
    bool}}``. Kinds left out keep their setting. The in-app notice of a legal deadline
    cannot be turned off: it is saved on whatever was asked."""
    unknown = sorted(code for code in choices if code not in KINDS)
    if unknown:
        raise ValidationError(
            {"kind": [_("Unknown kind of notice: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    rows = [
        NoticePreference(
            user=user,
            kind=code,
            email=bool(choice.get("email", True)),
            in_app=KINDS[code].legal or bool(choice.get("in_app", True)),
        )
        for code, choice in choices.items()
    ]
    if rows:
        NoticePreference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["email", "in_app"],
        )
    return rows
