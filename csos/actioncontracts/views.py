"""A local issue's public page with its way to an action contract: the issue and evidence,
the goals and approach, the contract's parties with their commitments, signatures and
progress, and its place in the provincial plan; each person sees the forms that are theirs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.ids import id_or_none
from portal.pages import stored_file, submit_on_page
from portal.uploads import ALLOWED_TYPES
from portal.workflow import Conflict, InvalidTransition, refuse_wrong_person

from ..localissues import permissions as issue_permissions
from ..localissues import selectors as issue_selectors
from ..localissues import services as issue_services
from ..localissues.forms import CloseForm, PlanForm
from ..networks import permissions as network_permissions
from ..networks import selectors as networks
from . import permissions, services
from .forms import DrawUpForm, PartyForm, PlanRecordForm, ProgressForm, SignForm
from .models import ActionContract


def _contract(issue):
    contract = ActionContract.objects.filter(issue=issue).first()
    if contract is not None:
        contract.issue = issue
    return contract


def _parties(contract):
    if contract is None:
        return []
    parties = list(contract.parties.select_related("member"))
    for p in parties:
        p.contract = contract
    return parties


def issue_page(request, code, pk, status=200, bound=None):
    network = networks.network_for_province(code)
    issue = issue_selectors.issue_of(network, pk)
    contract = _contract(issue)
    parties = _parties(contract)
    bound = bound or {}
    user = request.user
    manages = network_permissions.can_manage(user, network)[0]
    today = timezone.localdate()
    for p in parties:
        p.late = p.done_at is None and p.due_date < today
        p.sign_form = None
        if permissions.can_sign(user, p)[0]:
            p.sign_form = bound.get(f"sign-{p.pk}") or SignForm(prefix=f"sign-{p.pk}")
        elif permissions.can_sign(user, p, on_paper=True)[0]:
            p.paper_form = bound.get(f"paper-{p.pk}") or SignForm(prefix=f"paper-{p.pk}")
    reportable = [p for p in parties if permissions.can_report(user, p)[0]]
    context = {
        "network": network,
        "issue": issue,
        "contract": contract,
        "parties": parties,
        "updates": list(contract.updates.select_related("party")) if contract else [],
        "manages": manages,
    }
    if issue_permissions.can_plan(user, issue)[0]:
        context["plan_form"] = bound.get("plan") or PlanForm(
            prefix="plan",
            initial={"goals": issue.goals, "results": issue.results, "approach": issue.approach},
        )
    if issue_permissions.can_close(user, issue)[0]:
        context["close_form"] = bound.get("close") or CloseForm(prefix="close")
    if manages and issue.status == issue.Status.PLANNED and contract is None:
        context["draw_up_form"] = bound.get("draw-up") or DrawUpForm(
            prefix="draw", initial={"title": issue.title}
        )
    if contract is not None and permissions.can_change_parties(user, contract)[0]:
        context["party_form"] = bound.get("party") or PartyForm(
            prefix="party", members=networks.certified_members(network)
        )
        context["may_remove_parties"] = True
    if reportable:
        context["progress_form"] = bound.get("progress") or ProgressForm(
            prefix="progress", parties=reportable
        )
    if contract is not None and permissions.can_record_plan(user, contract)[0]:
        context["plan_record_form"] = bound.get("plan-record") or PlanRecordForm(
            prefix="planrec",
            initial={"plan_year": contract.plan_year, "project_code": contract.plan_project_code},
        )
    return render(request, "csos/actioncontracts/issue.html", context, status=status)


def _party(contract, request):
    if contract is None:
        raise Http404
    found = contract.parties.filter(pk=id_or_none(request.POST.get("party"))).first()
    if found is None:
        raise Http404
    found.contract = contract
    return found


@login_required
@require_POST
def issue_action(request, code, pk, what):
    """One of the forms on an issue's page. Refused input comes back with what was typed."""
    network = networks.network_for_province(code)
    issue = issue_selectors.issue_of(network, pk)
    contract = _contract(issue)
    user = request.user
    back = reverse("network-issue", args=[code, issue.pk])
    if what == "plan":
        form, allowed = (
            PlanForm(request.POST, prefix="plan"),
            issue_permissions.can_plan(user, issue),
        )

        def perform(data):
            issue_services.issue_plan(manager=user, issue=issue, data=data)

    elif what == "close":
        form = CloseForm(request.POST, prefix="close")
        allowed = issue_permissions.can_close(user, issue)

        def perform(data):
            issue_services.issue_close(manager=user, issue=issue, reason=data["reason"])

    elif what == "draw-up":
        form = DrawUpForm(request.POST, prefix="draw")
        allowed = permissions.can_draw_up(user, network)

        def perform(data):
            services.contract_draw_up(manager=user, issue=issue, title=data["title"])

    elif what == "party" and contract is not None:
        form = PartyForm(request.POST, prefix="party", members=networks.certified_members(network))
        allowed = permissions.can_change_parties(user, contract)

        def perform(data):
            services.party_add(manager=user, contract=contract, data=data)

    elif what in ("sign", "paper"):
        party = _party(contract, request)
        on_paper = what == "paper"
        what = f"{what}-{party.pk}"
        form = SignForm(request.POST, prefix=what)
        allowed = permissions.can_sign(user, party, on_paper=on_paper)

        def perform(data):
            services.party_sign(
                actor=user, party=party, signed_name=data["signed_name"],
                confirm=data["confirm"], on_paper=on_paper,
            )  # fmt: skip

    elif what == "progress" and contract is not None:
        parties = _parties(contract)
        reportable = [p for p in parties if permissions.can_report(user, p)[0]]
        form = ProgressForm(request.POST, prefix="progress", parties=reportable)
        allowed = permissions.for_any_party(user, parties, permissions.can_report)

        def perform(data):
            party = next(p for p in reportable if p.pk == data["party"])
            services.progress_report(
                actor=user, party=party, text=data["text"], completes=data["completes"]
            )

    elif what == "plan-record" and contract is not None:
        form = PlanRecordForm(request.POST, prefix="planrec")
        allowed = permissions.can_record_plan(user, contract)

        def perform(data):
            services.plan_record(
                manager=user, contract=contract, plan_year=data["plan_year"],
                project_code=data["project_code"],
            )  # fmt: skip

    elif what == "remove-party":
        party = _party(contract, request)
        refuse_wrong_person(permissions.can_change_parties(user, contract))
        try:
            services.party_remove(manager=user, party=party)
        except (InvalidTransition, Conflict) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The party is removed."))
        return redirect(back)
    else:
        raise Http404
    return submit_on_page(
        request, allowed=allowed, form=form, perform=perform, done=_("Saved."), back=back,
        rerender=lambda bound: issue_page(request, code, pk, status=400, bound={what: bound}),
    )  # fmt: skip


def issue_evidence(request, code, pk):
    network = networks.network_for_province(code)
    issue = issue_selectors.issue_of(network, pk)
    types = {ext: mime for mime, ext in ALLOWED_TYPES.items()}
    ext = issue.evidence_file.name.rsplit(".", 1)[-1]
    if ext not in types:
        raise Http404
    return stored_file(
        issue.evidence_file, content_type=types[ext], filename=f"issue-{issue.pk}-evidence.{ext}"
    )
