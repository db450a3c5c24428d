"""Content negotiation for views that answer with a file."""

from rest_framework.negotiation import BaseContentNegotiation


class FirstRendererNegotiation(BaseContentNegotiation):
    """For file downloads: the view returns the file itself, and errors go out as JSON
    whatever the client asked for."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
