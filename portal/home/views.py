from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from portal import caching, page_cache
from portal.home.registry import queues_for
from portal.roles import Role, has_role
from portal.twofactor.permissions import two_factor_offered
from portal.twofactor.selectors import has_two_factor


@login_required
@page_cache.personal
def my_work(request):
    """What needs the signed-in person, for each of their roles: each queue counted, the
    oldest first, the first few shown with a link to the whole filtered list."""
    today = timezone.localdate()
    queues_html = caching.personal(
        "home", request.user, (today.isoformat(),), lambda: _queues_html(request.user, today)
    )
    # Officers and evaluators are invited to turn on two-factor sign-in (never forced).
    offer = two_factor_offered(request.user) and not has_two_factor(request.user)
    return render(
        request,
        "portal/home/my_work.html",
        {
            "queues_html": queues_html,  # rendered from a template: safe HTML
            "today": today,
            "two_factor_offer": offer,
            "is_citizen": has_role(request.user, Role.CITIZEN),
            # A citizen takes part once the address is verified (portal/verification).
            "verify_email": has_role(request.user, Role.CITIZEN)
            and request.user.email_verified_at is None,
        },
    )


def _queues_html(user, today) -> str:
    """The person's lists as HTML: built again only when a table they are read from is
    written (``caching.personal``), since an officer comes back to this page all day."""
    queues = queues_for(user, today=today)
    return render_to_string("portal/home/_queues.html", {"queues": queues})
