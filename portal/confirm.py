"""One pattern for the actions that move money, end something or cannot be undone (release a
tranche, terminate, settle, cancel a call, reject, suspend, delete a document, ...): a GET on
the action's URL shows a page of its own that asks the question, says what will happen to
whom with the concrete facts, takes any reason the action needs, and offers one button
(red when the action is destructive) and a way back; the POST from that page does it,
through the noun's service. Works without JavaScript.

The page asks the same permission function as the service: someone who may not act gets
403 (the view's selector already answers 404 to someone who may not see the object), and an
action no longer possible (already released, wrong status) is shown as such, without the
button. Usage in a view::

    return confirm_action(
        request,
        allowed=permissions.can_terminate(request.user, agreement, today=today),
        form_class=ReasonForm,
        perform=lambda data: services.agreement_terminate(..., reason=data["reason"]),
        done=_("The agreement was terminated."),
        done_url=agreement_url,
        describe=lambda: Confirmation(question=..., facts=[...], effects=[...], ...),
    )
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import PortalForm
from .thai_words import baht_figures
from .workflow import AlreadyDone, NotNow


@dataclass
class Confirmation:
    """What a confirmation page says. ``facts`` are (label, value) pairs, ``effects`` the
    plain sentences of what will happen (to whom, who is told, what cannot be undone)."""

    question: str
    button: str
    back_url: str
    facts: Sequence[tuple[str, str]] = ()
    effects: Sequence[str] = ()
    danger: bool = True
    hidden: Sequence[tuple[str, str]] = ()  # (name, value): what the POST carries besides
    fields_template: str = ""  # how the form's fields are laid out, if not one by one
    form: forms.Form | None = None
    refusal: list[str] | None = None  # set: the action cannot be done now, and why


def refusal_of(allowed_reason) -> list[str] | None:
    """A permission function's ``(allowed, reason)`` read for a confirmation page: ``None``
    when the user may act now; the reasons when the user may act but not now (a ``NotNow``,
    ``AlreadyDone`` or ``Missing`` reason); ``PermissionDenied`` (403) for anyone else."""
    allowed, reason = allowed_reason
    if allowed:
        return None
    if isinstance(reason, NotNow | AlreadyDone):
        return [str(p) for p in getattr(reason, "problems", None) or [reason]]
    raise PermissionDenied(reason)


def baht(amount) -> str:
    """An amount as a confirmation page states it: "152,016.00 baht"."""
    return _("%(amount)s baht") % {"amount": baht_figures(amount)}


class NoInputForm(PortalForm):
    """A confirmation with nothing to type."""


def confirm_action(
    request,
    *,
    allowed,
    perform: Callable[[dict], object],
    done: str | Callable[[object], str],
    done_url: str,
    describe: Callable[[], Confirmation],
    form_class: type[forms.Form] = NoInputForm,
    form_kwargs: dict | None = None,
):
    """GET: the confirmation page (nothing changes). POST: ``perform(cleaned_data)`` once,
    then back to ``done_url`` with ``done`` (or ``done(result)``); a refused input comes back
    on the page with what was typed, a workflow refusal (``InvalidTransition``, ``Conflict``)
    through ``portal.middleware`` as a message on this page, which then says it is no longer
    possible. ``allowed`` is the permission function's answer for this user, object and
    moment."""
    refusal = refusal_of(allowed)
    posted = request.method == "POST"
    form = form_class(request.POST if posted and refusal is None else None, **(form_kwargs or {}))
    if posted and refusal is None and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect(done_url)
    confirmation = describe()
    confirmation.form = form
    confirmation.refusal = refusal
    return confirmation_page(request, confirmation)


def confirmation_page(request, confirmation: Confirmation):
    """The page itself, for a view whose action is confirmed after a form of its own (the
    POST from it carries ``hidden`` back to the same URL)."""
    form = confirmation.form if confirmation.form is not None else NoInputForm()
    return render(request, "confirm.html", {"confirm": confirmation, "form": form})
