"""The FAQs' pages: the public list (most read first) and each FAQ, suggesting a question,
and the agency's queue where suggestions are answered or declined."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.confirm import Confirmation, confirm_action
from portal.ids import id_or_none
from portal.rates import RateLimited

from ..missions.models import Mission
from . import permissions, selectors, services
from .forms import DeclineForm, FaqForm, SuggestForm

PER_PAGE = 20
SEEN = "faqs-seen"


def faq_list(request):
    from ..models import Agency

    filters = {
        "agency": id_or_none(request.GET.get("agency")),
        "mission": id_or_none(request.GET.get("mission")),
        "words": request.GET.get("q", "")[:200].replace("\x00", "").strip(),
    }
    page = Paginator(selectors.public_faqs(**filters), PER_PAGE).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "agencies/faqs/list.html",
        {
            "page": page,
            "filters": filters,
            "agencies": Agency.objects.filter(faqs__status="published")
            .distinct()
            .order_by("name_th"),
            "manages": user.is_authenticated and permissions.can_manage(user, user.agency_id)[0],
        },
    )


def faq_detail(request, pk):
    faq = selectors.faq_get_for_user(request.user, pk)
    seen = set(request.session.get(SEEN, []))
    if services.faq_count_view(faq, seen):
        request.session[SEEN] = sorted(seen)[-500:]
        faq.views += 1
    return render(
        request,
        "agencies/faqs/detail.html",
        {"faq": faq, "manages": permissions.can_manage(request.user, faq.agency_id)[0]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def faq_suggest(request):
    from ..models import Agency

    allowed, why = permissions.can_suggest(request.user)
    if not allowed:
        raise PermissionDenied(why)
    initial = {}
    mission = Mission.objects.filter(pk=id_or_none(request.GET.get("mission")) or 0).first()
    if mission:
        initial = {"agency": mission.agency_id, "mission": mission.pk}
    form = SuggestForm(
        request.POST or None,
        initial=initial,
        agencies=Agency.objects.order_by("name_th"),
        missions=Mission.objects.select_related("agency").order_by("title_th"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.faq_suggest(person=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except RateLimited as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Thank you. The agency will answer; you will be told when it does."),
            )
            return redirect("faq-list")
    return render(request, "agencies/faqs/suggest.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def faq_queue(request):
    """The agency's suggestions to answer, and a form to write an FAQ directly."""
    allowed, why = permissions.can_manage(request.user, request.user.agency_id)
    if not allowed:
        raise PermissionDenied(why)
    missions = Mission.objects.filter(agency_id=request.user.agency_id).order_by("title_th")
    form = FaqForm(request.POST or None, missions=missions)
    if request.method == "POST" and form.is_valid():
        try:
            faq = services.faq_write(
                officer=request.user, agency=request.user.agency, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The question and its answer are published."))
            return redirect("faq-detail", pk=faq.pk)
    page = Paginator(selectors.suggestions(request.user.agency_id), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "agencies/faqs/queue.html", {"form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def faq_answer(request, pk):
    faq = selectors.faq_get_for_user(request.user, pk)
    allowed, why = permissions.can_answer(request.user, faq)
    if not allowed:
        if not permissions.can_manage(request.user, faq.agency_id)[0]:
            raise PermissionDenied(why)
        messages.error(request, str(why))
        return redirect("faq-queue")
    missions = Mission.objects.filter(agency_id=faq.agency_id).order_by("title_th")
    form = FaqForm(
        request.POST or None,
        missions=missions,
        initial={"question": faq.question, "answer": faq.answer, "mission": faq.mission_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.faq_answer(
                officer=request.user,
                faq=faq,
                question=form.cleaned_data["question"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The answer is published."))
            return redirect("faq-detail", pk=faq.pk)
    return render(request, "agencies/faqs/answer.html", {"form": form, "faq": faq})


@login_required
@require_http_methods(["GET", "POST"])
def faq_decline(request, pk):
    faq = selectors.faq_get_for_user(request.user, pk)
    back = reverse("faq-queue")
    return confirm_action(
        request,
        allowed=permissions.can_decline(request.user, faq),
        form_class=DeclineForm,
        perform=lambda data: services.faq_decline(
            officer=request.user, faq=faq, reason=data["reason"]
        ),
        done=_("The suggestion is declined and the person who asked is told why."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Decline this suggested question?"),
            button=_("Decline"),
            back_url=back,
            facts=[(_("Question asked"), faq.question)],
            effects=[_("It is not published; the person who asked is told your reason.")],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def faq_unpublish(request, pk):
    faq = selectors.faq_get_for_user(request.user, pk)
    back = reverse("faq-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_unpublish(request.user, faq),
        perform=lambda data: services.faq_unpublish(officer=request.user, faq=faq),
        done=_("The question is taken down."),
        done_url=reverse("faq-queue"),
        describe=lambda: Confirmation(
            question=_("Take this question down?"),
            button=_("Take down"),
            back_url=back,
            facts=[(_("Question asked"), faq.question)],
            effects=[_("It is no longer public. You can answer it again to publish it.")],
        ),
    )
