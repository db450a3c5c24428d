"""The polls' pages: the public list and a poll's page with its vote form and results (plain
HTML, no JavaScript), and the agency's pages to make, publish and close one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.confirm import Confirmation, confirm_action
from portal.dates import format_be
from portal.workflow import Conflict, InvalidTransition, refuse_wrong_person

from ..missions.models import Mission
from . import permissions, selectors, services
from .forms import PollForm
from .models import Poll

PER_PAGE = 20


def poll_list(request):
    past = request.GET.get("when") == "past"
    rows = selectors.past_polls() if past else selectors.open_polls()
    page = Paginator(rows.order_by("-closes_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    user = request.user
    manages = permissions.can_manage_polls(user, getattr(user, "agency", None))[0]
    drafts = []
    if manages:
        drafts = list(
            Poll.objects.filter(agency_id=user.agency_id, status=Poll.Status.DRAFT).order_by("-pk")[
                :20
            ]
        )
    return render(
        request,
        "agencies/polls/list.html",
        {
            "page": page,
            "past": past,
            "drafts": drafts,
            "may_create": bool(drafts)
            or (permissions.can_manage_polls(user, getattr(user, "agency", None))[0]),
        },
    )


def _poll_for(user, pk) -> Poll:
    poll = Poll.objects.select_related("agency", "mission").filter(pk=pk).first()
    if poll is None:
        raise Http404
    if poll.status == Poll.Status.DRAFT and not permissions.can_manage_polls(user, poll.agency)[0]:
        raise Http404
    return poll


def poll_detail(request, pk):
    poll = _poll_for(request.user, pk)
    voted = selectors.has_voted(poll, request.user)
    now = timezone.now()
    allowed, why = permissions.can_vote(request.user, poll, already_voted=voted, now=now)
    shown = permissions.can_see_results(request.user, poll, has_voted=voted, now=now)
    return render(
        request,
        "agencies/polls/detail.html",
        {
            "poll": poll,
            "options": list(poll.options.all()),
            "voted": voted,
            "may_vote": allowed,
            "why_not": "" if allowed or voted else str(why),
            "results": selectors.results(poll) if shown else None,
            "manages": permissions.can_manage_polls(request.user, poll.agency)[0],
            "is_open_now": poll.status == Poll.Status.OPEN
            and poll.opens_at <= now < poll.closes_at,
        },
    )


@login_required
@require_POST
def poll_vote(request, pk):
    poll = _poll_for(request.user, pk)
    refuse_wrong_person(permissions.can_vote(request.user, poll, already_voted=False))
    try:
        option = request.POST.get("option", "")
        services.cast_vote(
            poll, voter=request.user, option_id=int(option) if option.isdigit() else None
        )
    except ValidationError:
        messages.error(request, _("Choose one of the options, then vote."))
    except (InvalidTransition, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: your vote is counted."))
    return redirect("poll-detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def poll_create(request):
    allowed, why = permissions.can_manage_polls(request.user, request.user.agency)
    if not allowed:
        raise PermissionDenied(why)
    missions = Mission.objects.filter(agency_id=request.user.agency_id).order_by("title_th")
    mission = request.GET.get("mission", "")
    form = PollForm(
        request.POST or None,
        missions=missions,
        initial={"mission": mission} if mission.isdigit() else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.create_poll(
                actor=request.user, agency=request.user.agency, data=form.service_data()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The poll is saved as a draft. Publish it to open it."))
            return redirect("poll-detail", pk=poll.pk)
    return render(request, "agencies/polls/form.html", {"form": form})


def _facts(poll):
    return [
        (_("Question"), poll.question),
        (_("Voting opens"), format_be(poll.opens_at, "datetime")),
        (_("Voting closes"), format_be(poll.closes_at, "datetime")),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def poll_publish(request, pk):
    poll = _poll_for(request.user, pk)
    back = reverse("poll-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_edit(request.user, poll),
        perform=lambda data: services.publish_poll(poll, actor=request.user),
        done=_("The poll is published."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Publish this poll?"),
            button=_("Publish"),
            back_url=back,
            facts=_facts(poll),
            effects=[
                _("Anyone can see it; verified accounts can vote once while it is open."),
                _("Its question and options cannot change once it is published."),
            ],
            danger=False,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def poll_close(request, pk):
    poll = _poll_for(request.user, pk)
    back = reverse("poll-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_close(request.user, poll),
        perform=lambda data: services.close_poll(poll, actor=request.user),
        done=_("The poll is closed and its results are public."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Close this poll now?"),
            button=_("Close"),
            back_url=back,
            facts=_facts(poll),
            effects=[_("Nobody can vote any more, and everyone sees the results.")],
        ),
    )
