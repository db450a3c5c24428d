from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from portal.rates import RateLimited
from portal.workflow import Conflict, InvalidTransition


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
