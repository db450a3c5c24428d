"""Agreements on the web: the list, the award of a selected proposal, the agreement's page
(where it stands, its money, reports, evaluations and documents) with the actions open to
the user, and the shared service design of a commissioning partnership. Every change goes
through contracts.agreements; a refused workflow move comes back as a message
(portal.middleware), a refused input as the form's errors with what was typed."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contracts.agreements import deadlines, permissions, rules, selectors, services
from contracts.agreements.forms import (
    PARTY_LABELS,
    AgreementFilterForm,
    AwardForm,
    ButtonForm,
    DesignForm,
    EndNoticeForm,
    ReasonForm,
    RenewForm,
    SettlementForm,
    SignForm,
)
from contracts.agreements.models import Agreement, Tranche
from contracts.agreements.timeline import has_settlement, money_summary, next_deadlines, timeline
from contracts.instruments import rules_for
from contracts.proposals import selectors as proposal_selectors
from contracts.proposals.models import Proposal
from csos.bank import selectors as bank_selectors
from csos.bank.rules import masked
from portal.audit import audit_history
from portal.lists import KeysFirstPaginator
from portal.roles import Role, has_role
from portal.workflow import Conflict, InvalidTransition, require

AS = Agreement.Status
PER_PAGE = 20

DEADLINE_LABELS = {
    "report": gettext_lazy("Progress report %(ref)s"),
    "evaluation_midterm": gettext_lazy("Mid-term evaluation"),
    "evaluation_final": gettext_lazy("Post-completion evaluation"),
    "evaluation_periodic": gettext_lazy("Periodic evaluation"),
    "tranche": gettext_lazy("Tranche %(ref)s"),
    "end": gettext_lazy("End of the agreement"),
    "settlement": gettext_lazy("Settlement"),
}
# The tag style of each timeline state; the text label carries the meaning.
STATE_TAGS = {
    "done": "completed",
    "current": "in_progress",
    "upcoming": "not_started",
    "overdue": "overdue",
    "skipped": "not_started",
}


def _deadline(item: dict | None) -> dict | None:
    """One of ``timeline.next_deadlines`` with its label in the current language."""
    if item is None:
        return None
    label = DEADLINE_LABELS.get(item["kind"], item["kind"])
    return {**item, "label": str(label) % {"ref": item["ref"]} if item["ref"] else str(label)}


# --- the list --------------------------------------------------------------------------------


@login_required
def agreement_list(request):
    """The agreements the user may see (their agency's, their CSO's, those they evaluate, or
    all for staff), with the next deadline of each."""
    form = AgreementFilterForm(request.GET or None)
    agreements_qs = selectors.agreements_visible_to(request.user).filter(**form.filters())
    page = KeysFirstPaginator(agreements_qs, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {"agreement": a, "next": _deadline(next(iter(next_deadlines(a, today)), None))}
        for a in page.object_list
    ]
    return render(
        request,
        "contracts/agreements/agreements_list.html",
        {"form": form, "page": page, "rows": rows},
    )


# --- award -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_award(request, pk):
    """The call's officer turns a selected proposal into the offer of the call's instrument."""
    proposal = proposal_selectors.proposal_get_for_user(request.user, pk)
    require(permissions.can_award(request.user, proposal))
    try:
        existing = proposal.agreement
    except Agreement.DoesNotExist:
        existing = None
    if existing is not None:
        messages.info(request, _("This proposal already has its agreement."))
        return redirect("agreement-detail", pk=existing.pk)
    if proposal.status != Proposal.Status.SELECTED:
        messages.error(
            request,
            _("Only a selected proposal can be awarded (it is “%(status)s”).")
            % {"status": proposal.get_status_display()},
        )
        return redirect("proposal-detail", pk=proposal.pk)
    kind = proposal.call.instrument
    form = AwardForm(
        request.POST or None,
        kind=kind,
        requested_amount=proposal.requested_amount,
        initial=AwardForm.initial_from(proposal, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_award(
                proposal=proposal, officer=request.user, **form.service_data()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except Conflict as exc:  # a colleague awarded it a moment ago
            messages.info(request, exc.message)
            existing = (
                selectors.agreements_visible_to(request.user).filter(proposal=proposal).first()
            )
            if existing is None:
                return redirect("agreement-list")
            return redirect("agreement-detail", pk=existing.pk)
        except InvalidTransition as exc:
            messages.error(request, exc.message)
            return redirect("proposal-detail", pk=proposal.pk)
        else:
            messages.success(
                request,
                _("The offer %(number)s was made; the organisation was told and can sign it.")
                % {"number": agreement.number},
            )
            return redirect("agreement-detail", pk=agreement.pk)
    return render(
        request,
        "contracts/agreements/agreement_award.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "form": form,
            "is_performance_contract": rules_for(kind).shares_fixed,
            "is_commissioning": rules_for(kind).co_design,
        },
    )


# --- the agreement's page and its actions ----------------------------------------------------


@dataclass
class Action:
    form: type
    run: object  # (agreement, user, cleaned_data) -> None
    done: str


def _sign(agreement, user, data):
    services.agreement_accept(
        agreement=agreement, user=user, signed_name=data["signed_name"], confirm=data["confirm"]
    )


def _decline(agreement, user, data):
    services.agreement_decline(agreement=agreement, user=user, reason=data["reason"])


def _complete(agreement, user, data):
    services.agreement_complete(agreement=agreement, officer=user)


def _terminate(agreement, user, data):
    services.agreement_terminate(agreement=agreement, officer=user, reason=data["reason"])


def _end_notice(agreement, user, data):
    services.agreement_end_notice(
        agreement=agreement, officer=user, end_date=data["end_date"], reason=data["reason"]
    )


def _renew(agreement, user, data):
    services.agreement_renew(
        agreement=agreement, officer=user, end_date=data["end_date"], reason=data["reason"]
    )


def _start_delivery(agreement, user, data):
    services.agreement_start_delivery(agreement=agreement, officer=user)


def _settlement(agreement, user, data):
    services.settlement_submit(
        agreement=agreement,
        user=user,
        spent_total=data["spent_total"],
        note=data["note"],
    )


def _settle(agreement, user, data):
    services.agreement_settle(agreement=agreement, officer=user)


ACTIONS = {
    "sign": Action(SignForm, _sign, gettext_lazy("You signed the agreement; it is now active.")),
    "decline": Action(
        ReasonForm, _decline, gettext_lazy("You declined the offer; the agency was told why.")
    ),
    "complete": Action(ButtonForm, _complete, gettext_lazy("Delivery was recorded as complete.")),
    "start_delivery": Action(
        ButtonForm, _start_delivery, gettext_lazy("Delivery has started; the design is fixed.")
    ),
    "end_notice": Action(
        EndNoticeForm,
        _end_notice,
        gettext_lazy("The end notice was given; the organisation was told at once."),
    ),
    "renew": Action(RenewForm, _renew, gettext_lazy("The partnership was renewed.")),
    "terminate": Action(ReasonForm, _terminate, gettext_lazy("The agreement was terminated.")),
    "settlement": Action(
        SettlementForm,
        _settlement,
        gettext_lazy("Your settlement was saved; the refund due is shown below."),
    ),
    "settle": Action(ButtonForm, _settle, gettext_lazy("The agreement was settled and closed.")),
}


# The page's actions in the order it shows them, each with the permission function that
# says who may take it and when. A partnership that has yet to start delivering is offered
# the start rather than completion.
PERMITTED = {
    "sign": permissions.can_sign,
    "decline": permissions.can_decline,
    "settlement": permissions.can_state_settlement,
    "start_delivery": permissions.can_start_delivery,
    "complete": permissions.can_complete,
    "end_notice": permissions.can_give_end_notice,
    "renew": permissions.can_renew,
    "settle": permissions.can_settle,
    "terminate": permissions.can_terminate,
}


def offered_actions(agreement, user, *, today) -> tuple[list[str], dict[str, list[str]]]:
    """The actions the permission functions allow the user on the agreement as it stands,
    and those refused only for what is still missing, with each missing thing to list."""
    actions, blocked = [], {}
    for name, permitted in PERMITTED.items():
        allowed, why = permitted(user, agreement, today=today)
        if allowed:
            actions.append(name)
        elif isinstance(why, permissions.Missing):
            blocked[name] = why.problems
    if "start_delivery" in actions:
        actions = [name for name in actions if name != "complete"]
        blocked.pop("complete", None)
    return actions, blocked


def _detail_context(request, agreement, actions, blocked, forms) -> dict:
    user = request.user
    today = timezone.localdate()
    officer = permissions.is_agreement_officer(user, agreement)
    member = permissions.is_agreement_member(user, agreement)
    tranches = []
    live = agreement.status in Agreement.LIVE
    parties = officer or member or has_role(user, Role.STAFF_ADMIN)
    for tranche in agreement.tranches.all():
        problems = None  # no release offered: not the agency's officer, or not scheduled
        if officer and tranche.status == Tranche.Status.SCHEDULED:
            allowed, _why = permissions.can_release_tranche(user, tranche, today=today)
            problems = [] if allowed else rules.release_problems(tranche, agreement, today=today)
        on_hold = (
            rules.payment_problems(tranche, agreement)
            if parties and tranche.status == Tranche.Status.RELEASED
            else []
        )
        tranches.append(
            {
                "tranche": tranche,
                "problems": problems,
                "payee": _payee(tranche) if parties else "",
                "on_hold": on_hold,
            }
        )
    reports = [
        {
            "report": report,
            "overdue": live and rules.report_overdue(report, today),
            "overspent": rules.overspending_note(report, agreement),
        }
        for report in agreement.reports.all()
    ]
    evaluations = [
        {"evaluation": evaluation, "overdue": live and rules.evaluation_overdue(evaluation, today)}
        for evaluation in agreement.evaluations.all()
    ]
    steps = timeline(agreement, today)
    for step in steps:
        step.tag = STATE_TAGS[step.state]
    settlement = agreement.settlement if has_settlement(agreement) else None
    return {
        "agreement": agreement,
        "proposal": agreement.proposal,
        "is_officer_here": officer,
        "is_member_here": member,
        "steps": steps,
        "money": money_summary(agreement),
        "next": _deadline(next(iter(next_deadlines(agreement, today)), None)),
        "tranches": tranches,
        "reports": reports,
        "evaluations": evaluations,
        "settlement": settlement,
        "disbursed": rules.disbursed_total(agreement),
        "responsibilities": [
            {**row, "party_label": PARTY_LABELS.get(row.get("party"), row.get("party"))}
            for row in agreement.responsibilities or []
        ],
        "is_commissioning": rules_for(agreement.kind).co_design,
        "can_design": permissions.can_edit_design(user, agreement, today=today)[0],
        "earliest_end": deadlines.earliest_end_after_notice(today),
        "actions": actions,
        "blocked": blocked,
        "forms": forms,
        "history": audit_history(agreement) if parties else None,
        "suspended": rules.payee_problems(agreement.cso) if parties else [],
        "bank": (
            bank_selectors.bank_account_summary(agreement.cso)
            if permissions.can_view_payee_account(user, agreement)[0]
            else None
        ),
    }


def _payee(tranche) -> str:
    """The account a released tranche is paid into, for the tranches table: the bank in the
    reader's language and the number's last 4 digits (the payment order has it in full)."""
    if not tranche.payee_account_number:
        return ""
    name = tranche.payee_bank_name_en if get_language() == "en" else tranche.payee_bank_name_th
    return f"{name or tranche.payee_bank} {masked(tranche.payee_account_number)}"


@login_required
@require_http_methods(["GET", "POST"])
def agreement_detail(request, pk):
    agreement = selectors.agreement_get_for_user(request.user, pk)
    user = request.user
    actions, blocked = offered_actions(agreement, user, today=timezone.localdate())
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "release":
        return _release(request, agreement)
    if action is not None and action not in ACTIONS:
        messages.error(request, _("Choose one of the actions on the page."))
        return redirect("agreement-detail", pk=agreement.pk)
    if action is not None and action not in actions:
        actions.append(action)  # the service says why it is refused
    forms = {a: ACTIONS[a].form(request.POST if a == action else None, prefix=a) for a in actions}
    if action is not None:
        form = forms[action]
        if form.is_valid():
            try:
                ACTIONS[action].run(agreement, user, form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, ACTIONS[action].done)
                return redirect("agreement-detail", pk=agreement.pk)
    return render(
        request,
        "contracts/agreements/agreement_detail.html",
        _detail_context(request, agreement, actions, blocked, forms),
    )


def _release(request, agreement):
    seq = request.POST.get("tranche", "")
    tranche = next((t for t in agreement.tranches.all() if str(t.seq) == seq), None)
    if tranche is None:
        raise Http404
    tranche = services.tranche_release(tranche=tranche, officer=request.user)
    messages.success(
        request,
        _("Tranche %(seq)s (%(amount)s baht) was released for payment.")
        % {"seq": tranche.seq, "amount": f"{tranche.amount:,.2f}"},
    )
    return redirect("agreement-detail", pk=agreement.pk)


# --- commissioning: the shared service design ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_design(request, pk):
    """Agency and organisation edit the service model and who does what, until delivery
    starts. A table of rows that works without JavaScript."""
    agreement = selectors.agreement_get_for_user(request.user, pk)
    if not rules_for(agreement.kind).co_design:
        raise Http404
    require(permissions.can_edit_service_design(request.user, agreement))
    if request.method == "GET" and not permissions.can_edit_design(request.user, agreement)[0]:
        messages.warning(request, _("The service design is fixed once delivery has started."))
        return redirect("agreement-detail", pk=agreement.pk)
    if request.method == "POST":
        form = DesignForm(request.POST)
        if "add_rows" in request.POST:
            form = form.with_more_rows()
        elif form.is_valid():
            try:
                services.agreement_update_design(
                    agreement=agreement, user=request.user, **form.service_data()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except InvalidTransition as exc:
                messages.error(request, exc.message)
                return redirect("agreement-detail", pk=agreement.pk)
            else:
                messages.success(
                    request, _("The service design was saved; the other side can see it.")
                )
                return redirect("agreement-detail", pk=agreement.pk)
    else:
        form = DesignForm(
            initial_rows=agreement.responsibilities, service_design=agreement.service_design
        )
    return render(
        request,
        "contracts/agreements/agreement_design.html",
        {"agreement": agreement, "form": form, "rows": form.table()},
    )
