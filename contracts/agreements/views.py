"""Agreements on the web: the list, the award of a selected proposal, the agreement's page
(where it stands, its money, reports, evaluations and documents) with the actions open to
the user, and the shared service design of a commissioning partnership. Every change goes
through contracts.agreements; a refused workflow move comes back as a message
(portal.middleware), a refused input as the form's errors with what was typed."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from contracts.agreements import deadlines, permissions, rules, selectors, services
from contracts.agreements.forms import (
    PARTY_LABELS,
    AgreementFilterForm,
    AwardForm,
    ButtonForm,
    DesignForm,
    EndNoticeForm,
    ExpenseAnswerForm,
    ExpenseCheckForm,
    ExpenseForm,
    PaymentRequestForm,
    ReasonForm,
    RenewForm,
    SettlementForm,
    SignForm,
    VariationAgreeForm,
    VariationForm,
)
from contracts.agreements.models import Agreement, Expense, Tranche, Variation
from contracts.agreements.records import agreement_records, cso_records
from contracts.agreements.timeline import has_settlement, money_summary, next_deadlines, timeline
from contracts.instruments import rules_for
from contracts.proposals import selectors as proposal_selectors
from contracts.proposals.models import Proposal
from contracts.report_cards import agreement_card, cso_record
from csos.bank import selectors as bank_selectors
from csos.bank.rules import masked
from csos.bank.selectors import bank_account_of
from portal import page_cache
from portal.audit import audit_history
from portal.charts import bar_chart
from portal.confirm import Confirmation, baht, confirm_action
from portal.dates import format_be
from portal.exports import Column, export_list, wanted_format
from portal.lists import KeysFirstPaginator
from portal.pages import form_done, stored_file
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


AGREEMENT_COLUMNS = [
    Column(gettext_lazy("Agreement number"), lambda a: a.number),
    Column(gettext_lazy("Title"), lambda a: a.title),
    Column(gettext_lazy("Agency"), lambda a: a.agency.name),
    Column(gettext_lazy("Organisation"), lambda a: a.cso.name),
    Column(gettext_lazy("Kind"), lambda a: a.get_kind_display()),
    Column(gettext_lazy("Status"), lambda a: a.get_status_display()),
    Column(gettext_lazy("Amount (baht)"), lambda a: a.amount),
    Column(gettext_lazy("Start date"), lambda a: a.start_date),
    Column(gettext_lazy("End date"), lambda a: a.end_date),
]


@login_required
@page_cache.personal
def agreement_list(request):
    """The agreements the user may see (their agency's, their CSO's, those they evaluate, or
    all for staff), with the next deadline of each."""
    form = AgreementFilterForm(request.GET or None)
    agreements_qs = selectors.agreements_visible_to(request.user).filter(**form.filters())
    if kind := wanted_format(request):
        rows = agreements_qs.prefetch_related(None).order_by("-created_at", "-id")
        return export_list(
            rows.iterator(chunk_size=2000), AGREEMENT_COLUMNS, name="agreements", kind=kind
        )
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
    valid = request.method == "POST" and form.is_valid()
    # The organisation's other agreements, weighed against the dates typed (or proposed).
    typed = getattr(form, "cleaned_data", {})  # nothing yet on the first visit
    others = selectors.other_funding(
        proposal,
        typed.get("start") or proposal.start_date,
        typed.get("end") or proposal.end_date,
        timezone.localdate(),
    )
    if valid:
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
            # What the people served said of the organisation's earlier agreements.
            "cso_record": cso_record(proposal.cso_id),
            "is_performance_contract": rules_for(kind).shares_fixed,
            # Before a new award: the organisation's record across its agreements.
            "records": cso_records(proposal.cso),
            "is_commissioning": rules_for(kind).co_design,
            "other_funding": others,
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
                "requests": (officer or member)
                and tranche.condition == Tranche.Condition.ON_REQUEST,
                "waiting": rules.pending_request(tranche) is not None,
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
        # The citizens' charter, survey and report card, once the CSO signed; what they said
        # is shown where the officer decides to renew.
        "citizens": agreement.signed_at is not None,
        "report_card": agreement_card(agreement.pk) if "renew" in actions else None,
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
@page_cache.personal
def agreement_detail(request, pk):
    agreement = selectors.agreement_get_for_user(request.user, pk)
    user = request.user
    actions, blocked = offered_actions(agreement, user, today=timezone.localdate())
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "release":
        return _release(request, agreement)
    if action in CONFIRMED:  # the form of an older page: asked on its confirmation page
        return _confirm(request, agreement, action)
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
        {
            **_detail_context(request, agreement, actions, blocked, forms),
            "confirmed": CONFIRMED,
            # Beside the renewal: the citizens' record of this agreement and its CSO's.
            "records": (
                agreement_records(agreement) + cso_records(agreement.cso)
                if "renew" in forms
                else []
            ),
        },
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


# --- the actions asked on a page of their own (portal.confirm) ------------------------------

# The actions that end the agreement, close it or turn the offer down: each is asked on a
# confirmation page, with the permission function of PERMITTED, before it is done.
CONFIRMED = ("decline", "start_delivery", "complete", "end_notice", "settle", "terminate")


def _agreement_facts(agreement) -> list[tuple[str, str]]:
    money = money_summary(agreement)
    return [
        (_("Agreement"), f"{agreement.number} {agreement.title}"),
        (_("Agency"), agreement.agency.name),
        (_("Organisation"), agreement.cso.name),
        (_("Amount of the agreement"), baht(agreement.amount)),
        (_("Released for payment"), baht(money.released)),
        (_("Paid"), baht(money.paid)),
    ]


def _describe(agreement, action, back_url) -> Confirmation:
    number = agreement.number
    facts = _agreement_facts(agreement)
    final = _("This cannot be undone.")
    if action == "decline":
        return Confirmation(
            question=_("Decline the offer %(number)s?") % {"number": number},
            facts=facts[:4],
            effects=[
                _("Your organisation turns down this agreement and the money it offers."),
                _("The agency %(agency)s reads your reason on the agreement's page.")
                % {"agency": agreement.agency.name},
                final,
            ],
            button=_("Yes, decline the offer"),
            back_url=back_url,
        )
    if action == "start_delivery":
        return Confirmation(
            question=_("Start the delivery of %(number)s?") % {"number": number},
            facts=facts[:4],
            effects=[
                _(
                    "The service model and who does each task, as agreed with %(cso)s, are "
                    "fixed: neither side can change them after this."
                )
                % {"cso": agreement.cso.name},
                final,
            ],
            button=_("Yes, start delivery"),
            back_url=back_url,
            danger=False,
        )
    if action == "complete":
        return Confirmation(
            question=_("Record the delivery of %(number)s as complete?") % {"number": number},
            facts=facts,
            effects=[
                _("Delivery by %(cso)s is recorded as complete on %(today)s.")
                % {"cso": agreement.cso.name, "today": format_be(timezone.localdate())},
                _(
                    "The settlement and the post-completion evaluation fall due; the last "
                    "tranche of a performance contract can then be released."
                ),
                final,
            ],
            button=_("Yes, delivery is complete"),
            back_url=back_url,
            danger=False,
        )
    if action == "end_notice":
        earliest = format_be(deadlines.earliest_end_after_notice(timezone.localdate()))
        return Confirmation(
            question=_("Give notice that %(number)s ends?") % {"number": number},
            facts=[
                *facts[:4],
                (_("End date now"), format_be(agreement.end_date)),
                (_("Earliest end date for notice given today"), earliest),
            ],
            effects=[
                _(
                    "The partnership with %(cso)s ends on the date you give, no earlier than "
                    "%(earliest)s."
                )
                % {"cso": agreement.cso.name, "earliest": earliest},
                _(
                    "Tranches, progress reports and evaluations scheduled after it are moved "
                    "to the new end or cancelled, each with your reason."
                ),
                _("The organisation's members are told at once, with your reason."),
            ],
            button=_("Yes, give the end notice"),
            back_url=back_url,
            fields_template="contracts/agreements/_end_notice_fields.html",
        )
    if action == "settle":
        return Confirmation(
            question=_("Settle and close %(number)s?") % {"number": number},
            facts=facts,
            effects=[
                _(
                    "The agreement with %(cso)s is closed as settled: nothing more is "
                    "reported, released or paid under it."
                )
                % {"cso": agreement.cso.name},
                final,
            ],
            button=_("Yes, settle and close the agreement"),
            back_url=back_url,
            danger=False,
        )
    unreleased = sum(
        (t.amount for t in agreement.tranches.all() if t.status == Tranche.Status.SCHEDULED),
        start=agreement.amount * 0,
    )
    return Confirmation(
        question=_("Terminate %(number)s?") % {"number": number},
        facts=[*facts, (_("Not released yet"), baht(unreleased))],
        effects=[
            _("The agreement with %(cso)s ends now.") % {"cso": agreement.cso.name},
            _("The tranches not released yet (%(amount)s) will never be released.")
            % {"amount": baht(unreleased)},
            _("The organisation's members are told at once, with your reason."),
            final,
        ],
        button=_("Yes, terminate the agreement"),
        back_url=back_url,
    )


def _confirm(request, agreement, action):
    today = timezone.localdate()
    back_url = reverse("agreement-detail", args=[agreement.pk])
    return confirm_action(
        request,
        allowed=PERMITTED[action](request.user, agreement, today=today),
        form_class=ACTIONS[action].form,
        form_kwargs={"prefix": action},
        perform=lambda data: ACTIONS[action].run(agreement, request.user, data),
        done=ACTIONS[action].done,
        done_url=back_url,
        describe=lambda: _describe(agreement, action, back_url),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_action(request, pk, action):
    """Decline, start delivery, complete, give the end notice, settle or terminate, asked on
    a page of its own: GET shows what will happen, the POST from it does it."""
    agreement = selectors.agreement_get_for_user(request.user, pk)
    if action not in CONFIRMED:
        raise Http404
    return _confirm(request, agreement, action)


@login_required
@require_http_methods(["GET", "POST"])
def tranche_release(request, pk, seq):
    """Release a tranche, asked on a page of its own: the amount, the organisation and the
    account it is paid into, who is told; the POST from it releases it once."""
    agreement = selectors.agreement_get_for_user(request.user, pk)
    tranche = next((t for t in agreement.tranches.all() if t.seq == seq), None)
    if tranche is None:
        raise Http404
    back_url = reverse("agreement-detail", args=[agreement.pk])
    waiting = rules.pending_request(tranche)

    def describe():
        account = bank_account_of(agreement.cso)
        into = "—"
        if account is not None:  # as the tranches table shows a payee: the bank, last 4 digits
            into = f"{account.bank.name} {masked(account.account_number)}"
        return Confirmation(
            question=_("Release tranche %(seq)s of %(number)s?")
            % {"seq": tranche.seq, "number": agreement.number},
            facts=[
                (_("Agreement"), f"{agreement.number} {agreement.title}"),
                (_("Organisation"), agreement.cso.name),
                (_("Tranche"), f"{tranche.seq} / {len(agreement.tranches.all())}"),
                (_("Amount"), baht(tranche.amount)),
                (_("Released when"), tranche.get_condition_display()),
                *(
                    [
                        (
                            _("Requested by the organisation"),
                            _("Request %(n)s, citing progress report %(seq)s: %(note)s")
                            % {
                                "n": waiting.number,
                                "seq": waiting.report.seq,
                                "note": waiting.note,
                            },
                        )
                    ]
                    if waiting is not None
                    else []
                ),
                (_("Paid into"), into),
            ],
            effects=[
                _("%(amount)s is released for payment to %(cso)s into the account above.")
                % {"amount": baht(tranche.amount), "cso": agreement.cso.name},
                _(
                    "The payment order is issued for the finance system to pay; the "
                    "organisation's members are told at once."
                ),
                _("A release cannot be undone."),
            ],
            button=_("Yes, release %(amount)s") % {"amount": baht(tranche.amount)},
            back_url=back_url,
            danger=False,
        )

    return confirm_action(
        request,
        allowed=permissions.can_release_tranche(request.user, tranche, today=timezone.localdate()),
        perform=lambda _data: services.tranche_release(tranche=tranche, officer=request.user),
        done=lambda released: (
            _("Tranche %(seq)s (%(amount)s baht) was released for payment.")
            % {"seq": released.seq, "amount": f"{released.amount:,.2f}"}
        ),
        done_url=back_url,
        describe=describe,
    )


# --- tranches paid on request -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tranche_request(request, pk, seq):
    """A tranche paid on request: its milestone and every request for it. The organisation's
    members ask here (citing an accepted report); the agency's officers approve a waiting
    request by releasing the tranche (its own confirmation page) or return it with a reason."""
    agreement = selectors.agreement_get_for_user(request.user, pk)
    tranche = next((t for t in agreement.tranches.all() if t.seq == seq), None)
    if tranche is None or tranche.condition != Tranche.Condition.ON_REQUEST:
        raise Http404
    tranche.agreement = agreement
    user = request.user
    member = permissions.can_act_for_cso(user, agreement)[0]
    officer = permissions.can_manage_agreement(user, agreement)[0]
    waiting = rules.pending_request(tranche)
    action = request.POST.get("action") if request.method == "POST" else None
    ask = None
    if member:
        ask = PaymentRequestForm(
            request.POST if action == "ask" else None,
            prefix="ask",
            reports=rules.evidence_reports(agreement),
        )
    give_back = ReasonForm(request.POST if action == "return" else None, prefix="return")
    form = {"ask": ask, "return": give_back if officer and waiting else None}.get(action)
    if action is not None and form is None:
        messages.error(request, _("Choose one of the buttons on the page."))
        return redirect("tranche-request", pk=agreement.pk, seq=tranche.seq)
    steps = {
        "ask": (
            lambda data: services.payment_request_submit(
                tranche=tranche, user=user, note=data["note"], report=data["report"]
            ),
            _("Your request was sent; the agency's officers were told."),
        ),
        "return": (
            lambda data: services.payment_request_return(
                payment_request=waiting, officer=user, reason=data["reason"]
            ),
            _("The request was returned; the organisation was told why."),
        ),
    }
    if form is not None and form_done(form, steps[action][0]):
        messages.success(request, steps[action][1])
        return redirect("tranche-request", pk=agreement.pk, seq=tranche.seq)
    allowed, why = permissions.can_request_payment(user, tranche) if member else (False, "")
    return render(
        request,
        "contracts/agreements/tranche_request.html",
        {
            "agreement": agreement,
            "tranche": tranche,
            "requests": list(reversed(tranche.payment_requests.all())),
            "waiting": waiting,
            "ask_form": ask if allowed or action == "ask" else None,
            "cannot_ask": getattr(why, "problems", []) if member and not allowed else [],
            "return_form": give_back if officer and waiting else None,
            "can_release": officer
            and waiting is not None
            and permissions.can_release_tranche(user, tranche)[0],
            "release_problems": (
                rules.release_problems(tranche, agreement) if officer and waiting else []
            ),
        },
        status=400 if form is not None and form.errors else 200,
    )


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


# --- variations ----------------------------------------------------------------------------

AS_ACTIVE = Agreement.Status.ACTIVE

VARIATION_LABELS = {
    "amount": gettext_lazy("Amount (baht)"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
    "scope": gettext_lazy("Scope of work"),
    "targets": gettext_lazy("Targets and indicators"),
    "tranches": gettext_lazy("Tranche dates"),
    "budget_lines": gettext_lazy("Budget lines"),
}


def _shown(name, value) -> str:
    """A changed field's value as a reader sees it: baht, Buddhist Era dates, text."""
    if value in (None, "", []):
        return "—"
    if name == "amount":
        return baht(value)
    if name in {"start_date", "end_date"}:
        return format_be(datetime.date.fromisoformat(value))
    if name == "targets":
        return "; ".join(f"{row['indicator']}: {row['target']}" for row in value)
    if name == "budget_lines":
        return "; ".join(f"{row['description']}: {baht(row['amount'])}" for row in value)
    if name == "tranches":
        return "; ".join(
            _("tranche %(seq)s on %(date)s")
            % {"seq": row["seq"], "date": format_be(datetime.date.fromisoformat(row["planned_on"]))}
            for row in value
        )
    return str(value)


def _variation_rows(variation) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field the variation changes; before is what it was
    when agreed, or what the agreement says now while proposed."""
    agreement = variation.agreement
    rows = []
    for name, after in variation.changes.items():
        if variation.status == Variation.Status.AGREED:
            before = variation.previous.get(name)
        elif name == "tranches":
            before = [
                {"seq": t.seq, "planned_on": t.planned_on.isoformat()}
                for t in agreement.tranches.all()
                if t.planned_on and t.seq in {row["seq"] for row in after}
            ]
        elif name == "budget_lines":
            lines = {line.pk: line for line in agreement.proposal.budget_lines.all()}
            before = [
                {**row, "amount": f"{selectors.line_budget(agreement, lines[row['line']]):.2f}"}
                for row in after
                if row["line"] in lines
            ]
        else:
            current = getattr(agreement, name)
            before = current.isoformat() if isinstance(current, datetime.date) else current
            before = f"{current:.2f}" if name == "amount" else before
        rows.append((VARIATION_LABELS[name], _shown(name, before), _shown(name, after)))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def agreement_variations(request, pk):
    """The agreement's variations: each with what it changes (before and after), who
    proposed it and why, and its answer; the form to propose one, and the other side's
    agree and decline. The services decide; a refusal keeps what was typed."""
    agreement = selectors.agreement_get_for_user(request.user, pk)
    user = request.user
    may_vary = permissions.can_vary(user, agreement)[0]
    side = None
    if may_vary:
        side = "agency" if permissions.can_manage_agreement(user, agreement)[0] else "cso"
    variations = list(agreement.variations.all())
    waiting = next((v for v in variations if v.status == Variation.Status.PROPOSED), None)
    action = request.POST.get("action") if request.method == "POST" else None
    propose = VariationForm(
        request.POST if action == "propose" else None,
        prefix="propose",
        lines=[(row.line, row.budget) for row in selectors.budget_of(agreement)],
        tranches=[t for t in agreement.tranches.all() if t.status == Tranche.Status.SCHEDULED],
        targets=agreement.targets,
    )
    agree = VariationAgreeForm(
        request.POST if action == "agree" else None,
        prefix="agree",
        signs=waiting is not None and waiting.proposed_side == "agency",
    )
    decline = ReasonForm(request.POST if action == "decline" else None, prefix="decline")
    forms_by_action = {"propose": propose, "agree": agree, "decline": decline}
    if action is not None:
        form = forms_by_action.get(action)
        if form is None or (action != "propose" and waiting is None):
            messages.error(request, _("Choose one of the buttons on the page."))
            return redirect("agreement-variations", pk=agreement.pk)
        steps = {
            "propose": (
                lambda data: services.variation_propose(
                    agreement=agreement, user=user, **propose.service_data()
                ),
                _("The variation was proposed; the other side was told."),
            ),
            "agree": (
                lambda data: services.variation_agree(
                    variation=waiting,
                    user=user,
                    signed_name=data.get("signed_name", ""),
                    confirm=data["confirm"],
                ),
                _("The variation was agreed; the agreement now includes it."),
            ),
            "decline": (
                lambda data: services.variation_decline(
                    variation=waiting, user=user, reason=data["reason"]
                ),
                _("The variation was declined; the other side was told why."),
            ),
        }
        if form_done(form, steps[action][0]):
            messages.success(request, steps[action][1])
            return redirect("agreement-variations", pk=agreement.pk)
    return render(
        request,
        "contracts/agreements/agreement_variations.html",
        {
            "agreement": agreement,
            "rows": [(v, _variation_rows(v)) for v in reversed(variations)],
            "waiting": waiting,
            "side": side,
            "can_propose": may_vary
            and waiting is None
            and agreement.status == Agreement.Status.ACTIVE,
            "answers": waiting is not None and side is not None and side != waiting.proposed_side,
            "propose_form": propose,
            "agree_form": agree,
            "decline_form": decline,
        },
        status=400 if action and any(f.errors for f in forms_by_action.values()) else 200,
    )


# --- expenses against the budget ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@page_cache.personal
def agreement_expenses(request, pk):
    """The budget by line (budget, spent, remaining, with a bar) and the expenses recorded
    against it; the organisation's members record one here, with its receipt."""
    agreement = selectors.agreement_get_for_user(request.user, pk)
    records = permissions.can_act_for_cso(request.user, agreement)[0]
    lines = list(agreement.proposal.budget_lines.all())
    answering = request.POST.get("answer_to") if request.method == "POST" else None
    page = Paginator(
        agreement.expenses.select_related("budget_line").order_by("-spent_on", "-id"), 25
    ).get_page(request.GET.get("page"))
    expenses = list(page)
    answer_forms = {}
    if records:  # a form for each queried expense on the page
        for expense in expenses:
            if expense.check_status != Expense.Check.QUERIED:
                continue
            mine = answering == str(expense.pk)
            answer_forms[expense.pk] = ExpenseAnswerForm(
                request.POST if mine else None, prefix=f"answer-{expense.pk}"
            )
            if mine and form_done(
                answer_forms[expense.pk],
                lambda data, expense=expense: services.expense_answer(
                    expense=expense, user=request.user, answer=data["answer"]
                ),
            ):
                messages.success(request, _("Your answer was sent; the agency was told."))
                return redirect("agreement-expenses", pk=agreement.pk)
    form = None
    if records:
        recording = request.method == "POST" and answering is None
        form = ExpenseForm(
            request.POST if recording else None,
            request.FILES if recording else None,
            lines=lines,
            prefix="expense",
        )
        if recording and form_done(
            form,
            lambda data: services.expense_record(
                agreement=agreement, user=request.user, **form.service_data()
            ),
        ):
            messages.success(request, _("The expense was recorded."))
            return redirect("agreement-expenses", pk=agreement.pk)
    checks = permissions.can_manage_agreement(request.user, agreement)[0]
    check_forms = {}
    if checks:
        posted = request.POST.get("expense") if request.method == "POST" else None
        for expense in expenses:
            mine = posted == str(expense.pk)
            check_forms[expense.pk] = ExpenseCheckForm(
                request.POST if mine else None,
                prefix=f"check-{expense.pk}",
                initial={"check": expense.check_status, "note": expense.check_note},
            )
            check_forms[expense.pk].fields["check"].label = _(
                "Check of %(payee)s, %(amount)s baht on %(date)s"
            ) % {
                "payee": expense.payee,
                "amount": f"{expense.amount:,.2f}",
                "date": format_be(expense.spent_on),
            }
            if mine and form_done(
                check_forms[expense.pk],
                lambda data, expense=expense: services.expense_check(
                    expense=expense, officer=request.user, check=data["check"], note=data["note"]
                ),
            ):
                messages.success(request, _("The check was recorded."))
                return redirect("agreement-expenses", pk=agreement.pk)
    if request.method == "POST" and not records and not checks:
        raise PermissionDenied(_("Only the organisation's members record its expenses."))
    rows = selectors.budget_of(agreement)
    zero = Decimal("0.00")
    chart = bar_chart(
        "budget-chart",
        _("Budget and spending by line"),
        _("For each line of the budget, its amount and what was spent on it, in baht."),
        _("Budget line"),
        [row.line.description for row in rows],
        [(_("Budget"), [row.budget for row in rows]), (_("Spent"), [row.spent for row in rows])],
    )
    return render(
        request,
        "contracts/agreements/agreement_expenses.html",
        {
            "agreement": agreement,
            "rows": rows,
            "chart": chart,
            "total_budget": sum((r.budget for r in rows), zero),
            "total_spent": sum((r.spent for r in rows), zero),
            "total_remaining": sum((r.remaining for r in rows), zero),
            "expenses": [(e, check_forms.get(e.pk), answer_forms.get(e.pk)) for e in expenses],
            "page": page,
            "form": form,
            "tolerance": settings.BUDGET_LINE_TOLERANCE_PERCENT,
        },
        status=400
        if (form is not None and form.errors)
        or any(f.errors for f in (*check_forms.values(), *answer_forms.values()))
        else 200,
    )


@login_required
@require_safe
def expense_receipt(request, pk, expense_id):
    """An expense's receipt, to whoever may see the agreement (the officer checks it)."""
    agreement = selectors.agreement_get_for_user(request.user, pk)
    expense = agreement.expenses.filter(pk=expense_id).first()
    if expense is None:
        raise Http404
    return stored_file(
        expense.file, filename=expense.original_name, content_type=expense.content_type
    )
