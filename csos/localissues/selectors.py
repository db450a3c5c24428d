from django.http import Http404

from portal.ids import id_or_404

from .models import LocalIssue


def issues_of(network):
    """A network's issues, newest first, with who raised each and its contract's status."""
    return network.issues.select_related("raised_by", "contract").order_by("-created_at", "-pk")


def issue_of(network, pk) -> LocalIssue:
    found = network.issues.select_related("raised_by").filter(pk=id_or_404(pk)).first()
    if found is None:
        raise Http404
    found.network = network
    return found
