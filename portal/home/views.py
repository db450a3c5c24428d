from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from portal.home.registry import queues_for


@login_required
def my_work(request):
    """What needs the signed-in person, for each of their roles: each queue counted, the
    oldest first, the first few shown with a link to the whole filtered list."""
    today = timezone.localdate()
    queues = queues_for(request.user, today=today)
    return render(
        request,
        "portal/home/my_work.html",
        {"queues": queues, "today": today, "waiting": sum(q.count for q in queues)},
    )
