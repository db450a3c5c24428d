"""Citizens' assemblies' pages: the public list and an assembly's page (quotas and the seats
filled, the draw with everything needed to re-run it, sessions, recommendations and the
agency's answers), volunteering and withdrawing, and the agency's forms and the draw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.confirm import Confirmation, confirm_action
from portal.pages import submit_on_page
from portal.workflow import Conflict, InvalidTransition, refuse_wrong_person

from ..advisory.selectors import one_of
from ..advisory.views import answer_page
from . import permissions, selectors, services
from .forms import AssemblyForm, DrawForm, RecommendationForm, SessionForm
from .models import Characteristic

PER_PAGE = 20


def assembly_list(request):
    page = Paginator(selectors.public_assemblies(), PER_PAGE).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "agencies/assemblies/list.html",
        {
            "page": page,
            "may_create": user.is_authenticated and permissions.can_manage(user, user.agency_id)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assembly_create(request):
    allowed, why = permissions.can_manage(request.user, request.user.agency_id)
    if not allowed:
        raise PermissionDenied(why)
    form = AssemblyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        quotas = form.quotas()
        if not form.errors:
            try:
                made = services.assembly_create(
                    officer=request.user, data={**form.cleaned_data, "quotas": quotas}
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The assembly is taking volunteers."))
                return redirect("assembly-detail", pk=made.pk)
    return render(
        request, "agencies/assemblies/form.html", {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip


def _detail(request, assembly, status=200, **forms):
    user = request.user
    manages = permissions.can_manage(user, assembly.owner_agency_id)[0]
    records = permissions.can_record(user, assembly)[0]
    labels = dict(Characteristic.choices)
    counts = selectors.member_counts(assembly)
    quotas = [
        (labels.get(c, c), [(v, n, counts[c][v]) for v, n in values.items()])
        for c, values in assembly.quotas.items()
    ]
    context = {
        "assembly": assembly,
        "quotas": quotas,
        "characteristics": [(c, labels.get(c, c), list(v)) for c, v in assembly.quotas.items()],
        "mine": selectors.my_volunteering(user, assembly),
        "may_volunteer": permissions.can_volunteer(user, assembly)[0],
        "manages": manages,
        "may_draw": permissions.can_draw(user, assembly)[0],
        "records": records,
        "may_report": permissions.can_report(user, assembly)[0],
        "record": selectors.draw_record(assembly) if assembly.drawn_at else None,
        "sessions": list(assembly.sessions.all()),
        "recommendations": list(assembly.recommendations.all()),
        "volunteer_errors": forms.get("volunteer_errors", {}),
        "chosen": forms.get("chosen", {}),
    }
    if records:
        context["session_form"] = forms.get("session_form") or SessionForm(prefix="session")
        context["recommendation_form"] = forms.get("recommendation_form") or RecommendationForm(
            prefix="rec"
        )
    return render(request, "agencies/assemblies/detail.html", context, status=status)


def assembly_detail(request, pk):
    return _detail(request, selectors.assembly_get(pk))


@login_required
@require_POST
def assembly_volunteer(request, pk):
    assembly = selectors.assembly_get(pk)
    refuse_wrong_person(permissions.can_volunteer(request.user, assembly))
    traits = {c: request.POST.get(c, "")[:100] for c in assembly.quotas}
    try:
        mine = services.volunteer(person=request.user, assembly=assembly, traits=traits)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        return _detail(request, assembly, status=400, volunteer_errors=errors, chosen=traits)
    except (InvalidTransition, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Thank you: you are volunteer number %(n)s. You will be told the draw's outcome.")
            % {"n": mine.number},
        )
    return redirect("assembly-detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def assembly_withdraw(request, pk):
    assembly = selectors.assembly_get(pk)
    mine = selectors.my_volunteering(request.user, assembly)
    back = reverse("assembly-detail", args=[pk])
    allowed = (mine is not None, _("You are not a volunteer of this assembly."))
    return confirm_action(
        request,
        allowed=allowed,
        perform=lambda data: services.withdraw(person=request.user, assembly=assembly),
        done=_("You have withdrawn."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Withdraw from this assembly?"),
            button=_("Withdraw"),
            back_url=back,
            facts=[(_("Assembly"), assembly.title), (_("Your number"), str(mine.number))],
            effects=[_("If you were drawn, your seat goes to a reserve.")],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assembly_draw(request, pk):
    assembly = selectors.assembly_get(pk)
    back = reverse("assembly-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_draw(request.user, assembly),
        form_class=DrawForm,
        perform=lambda data: services.draw(
            officer=request.user, assembly=assembly, seed=data.get("seed", "")
        ),
        done=_("The members are drawn and everyone who volunteered is told."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Draw the members now?"),
            button=_("Draw"),
            back_url=back,
            facts=[
                (_("Assembly"), assembly.title),
                (_("Volunteers"), str(assembly.volunteer_count)),
                (_("Seats"), str(assembly.seats)),
                (_("Reserves"), str(assembly.reserves)),
            ],
            effects=[
                _(
                    "Volunteering closes. The seed, the list drawn from and the outcome are "
                    "published so anyone can re-run the draw."
                ),
            ],
            danger=False,
        ),
    )


def assembly_draw_record(request, pk):
    """The draw as JSON: the seed, the snapshot (numbers and characteristics) and its hash,
    the quotas and the outcome: enough to re-run it (agencies/assemblies/sortition.py)."""
    assembly = selectors.assembly_get(pk)
    response = JsonResponse(
        selectors.draw_record(assembly), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'inline; filename="assembly-{assembly.pk}-draw.json"'
    return response


def _add(request, pk, form_name, form, perform, done):
    assembly = selectors.assembly_get(pk)
    return submit_on_page(
        request, allowed=permissions.can_record(request.user, assembly), form=form,
        perform=lambda data: perform(assembly, data), done=done,
        back=reverse("assembly-detail", args=[pk]),
        rerender=lambda bound: _detail(request, assembly, status=400, **{form_name: bound}),
    )  # fmt: skip


@login_required
@require_POST
def assembly_session_add(request, pk):
    return _add(
        request, pk, "session_form", SessionForm(request.POST, prefix="session"),
        lambda a, data: services.session_add(officer=request.user, assembly=a, data=data),
        _("The session is recorded."),
    )  # fmt: skip


@login_required
@require_POST
def assembly_recommendation_add(request, pk):
    return _add(
        request, pk, "recommendation_form", RecommendationForm(request.POST, prefix="rec"),
        lambda a, data: services.recommendation_add(officer=request.user, assembly=a, data=data),
        _("The recommendation is recorded. Answer it when the agency has decided."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def assembly_recommendation_answer(request, pk, recommendation_pk):
    assembly = selectors.assembly_get(pk)
    allowed, why = permissions.can_manage(request.user, assembly.owner_agency_id)
    if not allowed:
        raise PermissionDenied(why)
    recommendation = one_of(assembly.recommendations, recommendation_pk)
    return answer_page(
        request,
        recommendation=recommendation,
        perform=lambda **data: services.recommendation_answer(
            officer=request.user, recommendation=recommendation, **data
        ),
        back_url=reverse("assembly-detail", args=[pk]),
        back_label=assembly.title,
        done=_("The answer is published."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assembly_report(request, pk):
    assembly = selectors.assembly_get(pk)
    back = reverse("assembly-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_report(request.user, assembly),
        perform=lambda data: services.report(officer=request.user, assembly=assembly),
        done=_("The assembly has reported."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Mark the assembly as reported?"),
            button=_("Publish the report"),
            back_url=back,
            facts=[(_("Assembly"), assembly.title)],
            effects=[_("Its sessions end; its recommendations and the answers stay public.")],
            danger=False,
        ),
    )
