from django.contrib import messages
from django.shortcuts import redirect

from .workflow import Conflict, InvalidTransition


class WorkflowErrorMiddleware:
    """A web action refused by a workflow rule (someone else moved the object first) comes
    back to the page with the reason, never a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, InvalidTransition | Conflict):
            messages.error(request, exception.message)
            return redirect(request.get_full_path())
        return None
