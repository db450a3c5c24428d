from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from portal.rates import RateLimited
from portal.workflow import AlreadyDone, Conflict, InvalidTransition, NotNow


def refuse_wrong_person(allowed_reason) -> None:
    """403 for someone who may never do this (wrong role or account); a refusal for the
    moment (NotNow, AlreadyDone) is left to the page, which says why."""
    allowed, reason = allowed_reason
    if not allowed and not isinstance(reason, NotNow | AlreadyDone):
        raise PermissionDenied(reason)


def act(request, perform, *, done: str, back: str):
    """Do a one-button action (a POST with no page of its own) and go back to ``back`` with
    what happened, or with why it did not (refused input, wrong moment, done already, too
    often): never a server error, never a 405 after the redirect."""
    try:
        perform()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (InvalidTransition, Conflict, RateLimited) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(back)
