"""Web pages for scoring and selection: the evaluator's work, scoring one proposal, the ranking
of a call, and the officer's decisions. Every change goes through a service; a refused
workflow move comes back as a message (portal.middleware)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_http_methods

from assessments.evaluations import selectors as evaluation_selectors
from assessments.evaluations.views import EVALUATION_TAGS
from assessments.grievances import selectors as grievance_selectors
from assessments.reviews import permissions, scoring, selectors, services
from assessments.reviews.forms import (
    CancelInformationForm,
    InformationRequestForm,
    MarkPresentedForm,
    RecuseForm,
    RejectForm,
    ReviewForm,
    ScheduleForm,
    SelectForm,
    ShortlistForm,
)
from assessments.reviews.models import Review
from contracts.agreements import rules as agreement_rules
from contracts.agreements import selectors as agreement_selectors
from contracts.calls import permissions as call_permissions
from contracts.calls import selectors as call_selectors
from contracts.calls.models import CRITERIA, Call
from contracts.instruments import rules_for
from contracts.proposals import permissions as proposal_permissions
from contracts.proposals import selectors as proposal_selectors
from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from contracts.proposals.rules import PART_LABELS
from contracts.report_cards import cso_record
from portal import page_cache
from portal.audit import audit_history
from portal.confirm import Confirmation, baht, confirm_action
from portal.dates import BE_OFFSET
from portal.reference import SelectionCriterion
from portal.roles import Role, has_role
from portal.workflow import InvalidTransition, NotNow, require

PS = Proposal.Status

# The evaluator's own review of a proposal, as the work page shows it.
REVIEW_STATES = {
    "not_started": gettext_lazy("Not started"),
    "draft": gettext_lazy("In progress"),
    "submitted": pgettext_lazy("review status", "Submitted"),
    "recused": gettext_lazy("Recused"),
    "conflict": gettext_lazy("Conflict of interest"),
}
# The tag style of each state; the text label carries the meaning, the colour only helps.
STATE_TAGS = {
    "not_started": "not_started",
    "draft": "in_progress",
    "submitted": "completed",
    "recused": "not_started",
    "conflict": "not_started",
}


def _review_state(user, proposal, review) -> str:
    if review is not None and review.status != Review.Status.DRAFT:
        return review.status
    if permissions.conflict_of_interest(user, proposal.cso):
        return "conflict"
    return "draft" if review is not None else "not_started"


# --- the evaluator's work -----------------------------------------------------------------


@login_required
def evaluator_home(request):
    if not has_role(request.user, Role.EVALUATOR):
        raise PermissionDenied(_("Only an evaluator has proposals to score."))
    calls = list(selectors.evaluator_assignments(request.user))
    by_call = {call.pk: [] for call in calls}
    for proposal in selectors.evaluator_proposals(request.user, calls):
        review = proposal.own_reviews[0] if proposal.own_reviews else None
        state = _review_state(request.user, proposal, review)
        by_call[proposal.call_id].append(
            {
                "proposal": proposal,
                "state": state,
                "state_label": REVIEW_STATES[state],
                "tag": STATE_TAGS[state],
                "open": proposal.status in Proposal.IN_REVIEW,
            }
        )
    today = timezone.localdate()
    return render(
        request,
        "assessments/reviews/evaluator_home.html",
        {
            "calls": [(call, by_call[call.pk]) for call in calls],
            "evaluations": [
                {
                    "evaluation": evaluation,
                    "overdue": agreement_rules.evaluation_overdue(evaluation, today),
                    "tag": EVALUATION_TAGS[evaluation.status],
                }
                for evaluation in evaluation_selectors.evaluator_agreement_evaluations(request.user)
            ],
        },
    )


# --- scoring one proposal -----------------------------------------------------------------


def _registry_facts(proposal) -> dict[str, list[tuple[str, str]]]:
    """What the registry says about the CSO, next to the criterion it informs."""
    cso, call = proposal.cso, proposal.call
    none = "—"
    if cso.founded_year:
        years = _("%(years)s years (since B.E. %(year)s)") % {
            "years": cso.years_active,
            "year": cso.founded_year + BE_OFFSET,
        }
    else:
        years = none
    fields = ", ".join(a.name for a in cso.activity_fields.all()) or none
    certified = ", ".join(a.name for a in cso.certified_fields.all()) or none
    staff = (
        _("%(certified)s of %(staff)s staff")
        % {"certified": cso.certified_staff_count, "staff": cso.staff_count}
        if cso.certified_staff_count is not None and cso.staff_count is not None
        else none
    )
    wanted = list(call.eligible_provinces.all())
    served = list(cso.service_provinces.all())
    if wanted:
        eligible = ", ".join(p.name for p in wanted)
        in_area = [p for p in served if p in wanted]
        overlap = ", ".join(p.name for p in in_area) or _("None: it serves no eligible province.")
    else:
        eligible = _("Every province")
        overlap = _("All of them")
    network_names = ", ".join(c.name for c in [*cso.network_csos.all(), *cso.networked_by.all()])
    return {
        "expertise": [
            (_("Years active"), years),
            (_("Activity fields"), fields),
        ],
        "standards": [
            (_("Professionally certified staff"), staff),
            (_("Fields certified by the National Committee"), certified),
        ],
        "service_area": [
            (_("Call's eligible provinces"), eligible),
            (_("Organisation's service provinces"), ", ".join(p.name for p in served) or none),
            (_("Service provinces within the call's area"), overlap),
        ],
        "track_record": [
            (_("Track record"), cso.track_record or none),
            # Citizens' grievances about its funded projects (assessments.grievances).
            (
                _("Citizens' grievances upheld"),
                grievance_selectors.cso_track_record_text(
                    grievance_selectors.cso_grievance_record(cso)
                ),
            ),
            (_("What the people it served said"), _citizens_record(cso)),
        ],
        "networking": [
            (_("Networks"), cso.networks or none),
            (_("Network organisations in the registry"), network_names or none),
        ],
    }


def _citizens_record(cso) -> str:
    """The organisation's citizen report card across its agreements, in one sentence."""
    record = cso_record(cso.pk)
    if not record.responses or record.mean is None:
        return _("No citizen has rated its services yet.")
    return ngettext(
        "Overall rating %(mean)s of 5 from %(n)s answer, across %(agreements)s agreement(s).",
        "Overall rating %(mean)s of 5 from %(n)s answers, across %(agreements)s agreement(s).",
        record.responses,
    ) % {"mean": record.mean, "n": record.responses, "agreements": record.agreements}


@login_required
@require_http_methods(["GET", "POST"])
def proposal_review(request, pk):
    """Score a proposal on the five criteria: save a draft, submit, or declare a conflict."""
    proposal = proposal_selectors.proposal_get_for_user(request.user, pk)
    call = proposal.call
    if not has_role(request.user, Role.EVALUATOR) or not call_permissions.is_assigned_evaluator(
        request.user, call
    ):
        raise PermissionDenied(_("You are not on this call's evaluation panel."))
    allowed, why = permissions.can_review(request.user, proposal)
    if not allowed:
        if request.method == "POST":
            raise PermissionDenied(why)
        return render(
            request,
            "assessments/reviews/review.html",
            {"proposal": proposal, "call": call, "conflict": why},
        )

    review = selectors.review_for(proposal, request.user)
    editable = proposal.status in Proposal.IN_REVIEW and (
        review is None or review.status == Review.Status.DRAFT
    )
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if action in {"save", "submit"} else None
    form = ReviewForm(data, initial=ReviewForm.initial_from(review))
    recuse_form = RecuseForm(request.POST if action == "recuse" else None, prefix="recuse")
    if action in {"save", "submit"} and form.is_valid():
        try:
            services.review_save(
                proposal=proposal,
                evaluator=request.user,
                submit=action == "submit",
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except InvalidTransition as exc:  # e.g. the organisation is answering questions:
            form.add_error(None, exc.message)  # the scores typed stay on the page
        else:
            messages.success(
                request,
                _("Your scores were submitted. Thank you.")
                if action == "submit"
                else _("Your scores were saved. You can finish later."),
            )
            return redirect("proposal-review", pk=proposal.pk)
    elif action == "recuse" and recuse_form.is_valid():
        try:
            services.review_recuse(
                proposal=proposal,
                evaluator=request.user,
                reason=recuse_form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            recuse_form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("You have stepped aside from this proposal; the officers have been told why."),
            )
            return redirect("proposal-review", pk=proposal.pk)
    elif action is not None and action not in {"save", "submit", "recuse"}:
        messages.error(request, _("Choose one of the buttons on the page."))
        return redirect("proposal-review", pk=proposal.pk)

    weights = call.criteria_weights
    facts = _registry_facts(proposal)
    submitted_rows = []
    if review is not None and review.status == Review.Status.SUBMITTED:
        submitted_rows = [
            {
                "label": SelectionCriterion(c).label,
                "weight": weights[c],
                "score": review.scores[c],
                "comment": review.comments.get(c, ""),
            }
            for c in CRITERIA
        ]
    return render(
        request,
        "assessments/reviews/review.html",
        {
            "proposal": proposal,
            "call": call,
            "review": review,
            "editable": editable,
            "form": form,
            "criteria": form.criteria(weights, facts),
            "recuse_form": recuse_form,
            "submitted_rows": submitted_rows,
            "budget_lines": list(proposal.budget_lines.all()),
        },
    )


# --- ranking and decisions ----------------------------------------------------------------


def _ranking_rows(call, ranking) -> list[dict]:
    """Each ranked proposal with its criteria laid out for a table: every evaluator's
    score, the mean and the spread, disputed ones marked."""
    weights = call.criteria_weights
    rows = []
    for row in ranking:
        disputed = row.disputed
        rows.append(
            {
                "row": row,
                "proposal": row.proposal,
                "disputed_labels": [SelectionCriterion(c).label for c in disputed],
                "criteria": [
                    {
                        "label": SelectionCriterion(c).label,
                        "weight": weights[c],
                        "scores": [r.scores[c] for r in row.reviews],
                        "mean": row.criterion_means[c],
                        "spread": row.spreads[c],
                        "disputed": c in disputed,
                    }
                    for c in CRITERIA
                ],
            }
        )
    return rows


def _decisions_wait(call) -> bool:
    """Decisions wait until the call has closed (the services refuse them before)."""
    return call.effective_status() in {Call.Status.DRAFT, Call.Status.OPEN}


@login_required
@page_cache.personal
def call_ranking(request, pk):
    call = call_selectors.call_get_for_user(request.user, pk)
    require(call_permissions.can_view_ranking(request.user, call))
    ranking = selectors.call_ranking(call)
    can_decide = call_permissions.can_manage_call(request.user, call)[0]
    rows = _ranking_rows(call, ranking)
    # The officer selects from here too (on the confirmation page, which asks for the
    # reason): each selection that needs a reason says why.
    selectable = [
        item
        for item in rows
        if can_decide and "select" in offered_decisions(item["proposal"], call)
    ]
    return render(
        request,
        "assessments/reviews/ranking.html",
        {
            "call": call,
            "rows": rows,
            "selectable": selectable,
            "weights": [(SelectionCriterion(c).label, w) for c, w in call.criteria_weights.items()],
            "can_decide": can_decide,
            "decisions_wait": _decisions_wait(call),
            "spread_alert": scoring.SPREAD_ALERT,
            "panel": [a.evaluator for a in call.assignments.select_related("evaluator")],
            "budget": agreement_selectors.call_budget(call),
        },
    )


def _shortlist(proposal, officer, data):
    proposal_services.proposal_shortlist(proposal=proposal, officer=officer)


def _schedule(proposal, officer, data):
    proposal_services.proposal_schedule_presentation(
        proposal=proposal, officer=officer, at=data["at"], location=data["location"]
    )


def _mark_presented(proposal, officer, data):
    proposal_services.proposal_mark_presented(proposal=proposal, officer=officer)


def _select(proposal, officer, data):
    proposal_services.proposal_select(proposal=proposal, officer=officer, reason=data["reason"])


def _reject(proposal, officer, data):
    proposal_services.proposal_reject(proposal=proposal, officer=officer, reason=data["reason"])


def _request_information(proposal, officer, data):
    proposal_services.proposal_request_information(
        proposal=proposal,
        officer=officer,
        questions=data["questions"],
        reply_by=data["reply_by"],
        parts=data["parts"],
    )


def _cancel_information(proposal, officer, data):
    proposal_services.information_request_cancel(
        proposal=proposal, officer=officer, reason=data["reason"]
    )


# action -> (form, service call, message once done), in the order the page offers them
DECISIONS = {
    "shortlist": (
        ShortlistForm,
        _shortlist,
        gettext_lazy("The proposal was shortlisted for a presentation."),
    ),
    "schedule": (
        ScheduleForm,
        _schedule,
        gettext_lazy("The presentation was scheduled and the organisation told."),
    ),
    "mark_presented": (
        MarkPresentedForm,
        _mark_presented,
        gettext_lazy("The presentation was recorded."),
    ),
    "select": (
        SelectForm,
        _select,
        gettext_lazy("The proposal was selected and the organisation told."),
    ),
    "request_information": (
        InformationRequestForm,
        _request_information,
        gettext_lazy(
            "The questions were sent; the organisation may now change the parts asked about."
        ),
    ),
    "cancel_information": (
        CancelInformationForm,
        _cancel_information,
        gettext_lazy(
            "The questions were withdrawn; the proposal is back in review as it was sent."
        ),
    ),
    "reject": (
        RejectForm,
        _reject,
        gettext_lazy("The proposal was not selected and the organisation told why."),
    ),
}


def offered_decisions(proposal, call) -> list[str]:
    """The decisions the page offers for the proposal's status and the call's instrument.
    The services decide in the end; this only keeps pointless buttons off the page."""
    status = proposal.status
    if status not in Proposal.IN_REVIEW or call.effective_status() != Call.Status.CLOSED:
        return []
    actions = []
    if rules_for(call.instrument).has_presentations:
        if status == PS.SUBMITTED:
            actions.append("shortlist")
        elif status == PS.SHORTLISTED:
            actions.append("schedule")
            if proposal.presentation_at:
                actions.append("mark_presented")
        elif status == PS.PRESENTED:
            actions.append("select")
    elif status == PS.SUBMITTED:
        actions.append("select")
    if status == PS.SUBMITTED:
        actions.append("request_information")
    elif status == PS.INFO_REQUESTED:
        actions = ["cancel_information"]
    actions.append("reject")
    return actions


def _decision_kwargs(action, ranked) -> dict:
    """Selecting out of rank order or with reviews missing asks for a reason, saying why."""
    if action == "select" and ranked is not None:
        return {"needs_reason": ranked.select_needs_reason}
    return {}


def _decision_initial(action, proposal):
    if action == "schedule" and proposal.presentation_at:
        return {"at": proposal.presentation_at, "location": proposal.presentation_location}
    return None


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decide(request, pk):
    proposal = proposal_selectors.proposal_get_for_user(request.user, pk)
    require(proposal_permissions.can_decide_proposal(request.user, proposal))
    call = proposal.call
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in DECISIONS:
        messages.error(request, _("Choose one of the decisions on the page."))
        return redirect("proposal-decide", pk=proposal.pk)
    actions = offered_decisions(proposal, call)
    if action in CONFIRMED and action in actions:  # an older page's form: asked as on its
        return _confirm_decision(request, proposal, action)  # confirmation page
    if action is not None and action not in actions:
        actions.append(action)  # the service says why it is refused
    ranked = _ranked(proposal)
    forms = {
        a: DECISIONS[a][0](
            request.POST if a == action else None,
            prefix=a,
            initial=_decision_initial(a, proposal),
            **_decision_kwargs(a, ranked),
        )
        for a in actions
    }
    if action is not None:
        form = forms[action]
        if form.is_valid():
            _form, decide, done = DECISIONS[action]
            try:
                decide(proposal, request.user, form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except InvalidTransition as exc:
                if action in CONFIRMED:  # no form on this page: the message says why
                    raise
                form.add_error(None, exc.message)  # what was typed stays on the page
            else:
                messages.success(request, done)
                return redirect("proposal-decide", pk=proposal.pk)
    return render(
        request,
        "assessments/reviews/decide.html",
        {
            "proposal": proposal,
            "call": call,
            "has_presentations": rules_for(call.instrument).has_presentations,
            "forms": forms,
            "confirmed": CONFIRMED,
            "ranked": ranked,
            "decisions_wait": _decisions_wait(call),
            "history": audit_history(proposal),
            "information_requests": list(proposal.information_requests.all()),
            "part_labels": PART_LABELS,
        },
    )


# --- selecting and not selecting, asked on a page of their own (portal.confirm) -------------

CONFIRMED = ("select", "reject")


def _ranked(proposal):
    return next(
        (row for row in selectors.call_ranking(proposal.call) if row.proposal.pk == proposal.pk),
        None,
    )


def _may_decide(user, proposal, action):
    """can_decide_proposal, then whether the decision is open now (the call closed, the
    proposal's status): what the services refuse, asked before the button is offered."""
    allowed, why = proposal_permissions.can_decide_proposal(user, proposal)
    if not allowed:
        return allowed, why
    call = proposal.call
    if action in offered_decisions(proposal, call):
        return True, ""
    if _decisions_wait(call):
        return False, NotNow(
            _("The agency decides once the call has closed (it is “%(status)s”).")
            % {"status": call.get_effective_status_display()}
        )
    if action == "select" and proposal.status in {PS.SUBMITTED, PS.SHORTLISTED}:
        return False, NotNow(
            _("For a performance contract, only a CSO that has presented can be selected.")
        )
    return False, NotNow(
        _("This cannot be done while the status is “%(status)s”.")
        % {"status": proposal.get_status_display()}
    )


def _decision_facts(proposal, ranked) -> list[tuple[str, str]]:
    if ranked is not None and ranked.score is not None:
        score = _("%(score)s, rank %(rank)s") % {
            "score": f"{ranked.score:.2f}",
            "rank": ranked.rank,
        }
    else:
        score = _("Not scored yet")
    facts = [
        (_("Proposal"), f"{proposal.reference} {proposal.title}".strip()),
        (_("Organisation"), proposal.cso.name),
        (_("Call"), proposal.call.title),
        (_("Requested amount"), baht(proposal.requested_amount)),
        (_("Weighted score (0–100)"), score),
    ]
    if ranked is not None and ranked.missing:
        facts.append(
            (_("Missing reviews"), ", ".join(e.display_name() for e in ranked.missing)),
        )
    return facts


def _confirm_decision(request, proposal, action):
    ranked = _ranked(proposal)
    form_class, decide, done = DECISIONS[action]
    back_url = reverse("proposal-decide", args=[proposal.pk])
    cso = proposal.cso.name
    if action == "select":
        question = _("Select “%(title)s”?") % {"title": proposal.title}
        effects = [
            _("The proposal of %(cso)s is selected; the organisation is told at once.")
            % {"cso": cso},
            _("The agency can then award it the agreement."),
            _("This decision cannot be undone."),
        ]
        button, danger = _("Yes, select this proposal"), False
    else:
        question = _("Not select “%(title)s”?") % {"title": proposal.title}
        effects = [
            _("The proposal of %(cso)s is not selected; the organisation is told with your reason.")
            % {"cso": cso},
            _("This decision cannot be undone."),
        ]
        button, danger = _("Yes, do not select this proposal"), True
    return confirm_action(
        request,
        allowed=_may_decide(request.user, proposal, action),
        form_class=form_class,
        form_kwargs={"prefix": action, **_decision_kwargs(action, ranked)},
        perform=lambda data: decide(proposal, request.user, data),
        done=done,
        done_url=back_url,
        describe=lambda: Confirmation(
            question=question,
            facts=_decision_facts(proposal, ranked),
            effects=effects,
            button=button,
            back_url=back_url,
            danger=danger,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decision(request, pk, action):
    """Select or not select a proposal on a page of its own: what is decided, about whom,
    and who is told; the POST from it decides."""
    proposal = proposal_selectors.proposal_get_for_user(request.user, pk)
    if action not in CONFIRMED:
        raise Http404
    return _confirm_decision(request, proposal, action)


CHOICES = ("leave", "select", "reject")


def _batch_rows(call, data):
    """The undecided proposals in rank order, each with what the officer chose and wrote
    (``data``: the posted form, or nothing)."""
    rows = []
    for row in selectors.call_ranking(call):
        proposal = row.proposal
        if proposal.status not in Proposal.IN_REVIEW:
            continue
        choice = data.get(f"decision-{proposal.pk}", "leave")
        rows.append(
            {
                "row": row,
                "proposal": proposal,
                "choice": choice if choice in CHOICES else "leave",
                "reason": (data.get(f"reason-{proposal.pk}") or "").strip(),
            }
        )
    return rows


def _batch_lists(rows, shared_reason):
    selected = [(r["proposal"].pk, r["reason"]) for r in rows if r["choice"] == "select"]
    rejected = [
        (r["proposal"].pk, r["reason"] or shared_reason) for r in rows if r["choice"] == "reject"
    ]
    return selected, rejected


@login_required
@require_http_methods(["GET", "POST"])
def call_decide_many(request, pk):
    """Select several proposals and reject others in one confirmed step: a choice and an
    optional reason per proposal, a shared reason for the rejections; then a page that lists
    every decision to confirm; then all are made, or none."""
    call = call_selectors.call_get_for_user(request.user, pk)
    allowed, why = call_permissions.can_manage_call(request.user, call)
    if not allowed:
        raise PermissionDenied(why)
    data = request.POST if request.method == "POST" else {}
    shared = (data.get("shared_reason") or "").strip()
    rows = _batch_rows(call, data)
    selected, rejected = _batch_lists(rows, shared)
    errors = []
    confirming = False
    if request.method == "POST" and "edit" not in data:
        if not selected and not rejected:
            errors.append(_("Choose at least one proposal to select or reject."))
        elif any(not reason for _pk, reason in rejected):
            errors.append(_("Give the reason for each rejection, or one shared reason."))
        elif data.get("confirmed") == "1":
            try:
                done = proposal_services.proposals_decide(
                    call=call, officer=request.user, selected=selected, rejected=rejected
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            except InvalidTransition as exc:
                errors.append(exc.message)
            else:
                messages.success(
                    request,
                    _("%(selected)s selected and %(rejected)s not selected, in one step.") % done,
                )
                return redirect("call-ranking", pk=call.pk)
        else:
            confirming = True
    return render(
        request,
        "assessments/reviews/decide_many.html",
        {
            "call": call, "rows": rows, "shared_reason": shared, "errors": errors,
            "confirming": confirming, "n_selected": len(selected), "n_rejected": len(rejected),
            "decisions_wait": _decisions_wait(call),
        },
        status=400 if errors else 200,
    )  # fmt: skip
