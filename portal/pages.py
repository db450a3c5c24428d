"""One form posted from a page that holds several (a detail page's "add a member", "record a
meeting" boxes): who may, when, and what the person sees after."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from .workflow import refuse_wrong_person


def submit_on_page(request, *, allowed, form, perform, done: str, back: str, rerender):
    """403 for someone who may never do this; for the wrong moment, back to the page with the
    reason. A valid form is ``perform(cleaned_data)``: saved, back with ``done``; refused
    input shows the page again (``rerender(form)``, a 400) with what was typed."""
    refuse_wrong_person(allowed)
    if not allowed[0]:
        messages.error(request, str(allowed[1]))
        return redirect(back)
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, done)
            return redirect(back)
    return rerender(form)
