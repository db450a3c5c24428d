"""One form posted from a page that holds several (a detail page's "add a member", "record a
meeting" boxes): who may, when, and what the person sees after; and a stored file served
to the reader."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .workflow import Conflict, InvalidTransition, refuse_wrong_person


def submit_on_page(request, *, allowed, form, perform, done: str, back: str, rerender):
    """403 for someone who may never do this; for the wrong moment (also when the service
    finds it so, someone having moved the object meanwhile), back to the page with the
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
        except (InvalidTransition, Conflict) as exc:  # someone moved it first, since the check
            messages.error(request, exc.message)
            return redirect(back)
        else:
            messages.success(request, done)
            return redirect(back)
    return rerender(form)


def form_done(form, perform) -> bool:
    """``perform(form.cleaned_data)`` for a valid form; True once it is done. What the
    service refuses stays on the form with what was typed: a ValidationError on the fields
    it names, a move someone made first (InvalidTransition, Conflict) above them."""
    if not form.is_valid():
        return False
    try:
        perform(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
    except (InvalidTransition, Conflict) as exc:
        form.add_error(None, exc.message)
    else:
        return True
    return False


def stored_file(field, *, filename: str, content_type: str) -> FileResponse:
    """A stored file (a ``FileField``'s value) shown in the browser under ``filename``; 404
    when there is none or it has gone from storage."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    return FileResponse(handle, filename=filename, content_type=content_type)
