from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import User, UserRole
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
