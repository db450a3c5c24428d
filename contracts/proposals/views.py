"""Proposals on the web, the CSO's side: start one from a call, fill its parts in any order,
check the answers, submit, read the outcome, withdraw. Every rule is the services'; a
refusal comes back as a message on the page the user was on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from contracts.calls import permissions as call_permissions
from contracts.calls import selectors as call_selectors
from contracts.instruments import rules_for
from contracts.proposals import diff, permissions, rules, selectors, services
from contracts.proposals.forms import (
    AnswerForm,
    AttachmentForm,
    BudgetForm,
    ConceptAnswersForm,
    DatesForm,
    EstimateForm,
    ProjectDocumentForm,
    ProposalFilterForm,
    SummaryForm,
    TargetsForm,
    WithdrawForm,
)
from contracts.proposals.models import Proposal
from contracts.proposals.pdf import receipt_pdf
from portal.audit import audit_history
from portal.confirm import Confirmation, baht, confirm_action
from portal.exports import Column, export_list, wanted_format
from portal.roles import Role, has_role
from portal.workflow import Conflict, InvalidTransition, NotNow

PS = Proposal.Status

SIMPLE_PARTS = {
    "summary": SummaryForm,
    "estimate": EstimateForm,
    "dates": DatesForm,
    "document": ProjectDocumentForm,
}
ROW_PARTS = {"targets": TargetsForm, "budget": BudgetForm}


def _refusal(exc) -> str:
    """The message of a service's refusal, whatever its kind."""
    if isinstance(exc, InvalidTransition | Conflict):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You cannot do this.")


def _viewable(request, pk) -> Proposal:
    """The proposal if the user may see it; 404 otherwise (its existence stays private)."""
    proposal = selectors.proposal_get_for_user(request.user, pk)
    if not permissions.can_view_proposal(request.user, proposal)[0]:
        raise Http404
    return proposal


def _own(request, pk) -> Proposal:
    """A proposal of the user's own CSO; others may read it but not change it."""
    proposal = _viewable(request, pk)
    allowed, why = permissions.can_edit_proposal(request.user, proposal)
    if not allowed:
        raise PermissionDenied(why)
    return proposal


def _frozen(request, proposal):
    if proposal.is_answering and rules.editable_parts(proposal):
        message = _("The agency asked about other parts; this one cannot change now.")
    else:
        message = _("This proposal is “%(status)s”; it can no longer be changed.") % {
            "status": proposal.get_status_display()
        }
    messages.warning(request, message)
    return redirect("proposal-detail", pk=proposal.pk)


@login_required
@require_POST
def proposal_start(request, pk):
    """Start (or go back to) the CSO's proposal for a call."""
    call = call_selectors.call_get_for_user(request.user, pk)
    cso_id = request.user.cso_id
    existing = selectors.live_proposal_for(cso_id, call.pk) if cso_id else None
    if existing is not None:
        messages.info(request, _("Your organisation already has a proposal for this call."))
        return redirect("proposal-detail", pk=existing.pk)
    try:
        proposal = services.proposal_create(
            user=request.user, call=call, title=request.POST.get("title", "")
        )
    except Conflict as exc:  # started by a colleague a moment ago
        existing = selectors.live_proposal_for(request.user.cso_id, call.pk)
        if existing is not None:
            messages.info(request, exc.message)
            return redirect("proposal-detail", pk=existing.pk)
        messages.error(request, exc.message)
        return redirect("call-detail", pk=call.pk)
    except (PermissionDenied, InvalidTransition, ValidationError) as exc:
        messages.error(request, _refusal(exc))
        return redirect("call-detail", pk=call.pk)
    messages.success(
        request,
        _("Your proposal was started. Fill in the parts in any order; each is saved as you go."),
    )
    return redirect("proposal-detail", pk=proposal.pk)


@login_required
def proposal_detail(request, pk):
    """Members of the CSO fill a draft from here (the task list); afterwards, and for the
    agency and its evaluators, it shows the answers and where the proposal stands."""
    proposal = _viewable(request, pk)
    user = request.user
    is_member = permissions.can_edit_proposal(user, proposal)[0]
    is_officer = call_permissions.is_call_officer(user, proposal.call) or has_role(
        user, Role.STAFF_ADMIN
    )
    editable = rules.editable_parts(proposal) if is_member else []
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "is_member": is_member,
        "task_list": bool(editable),  # a draft, or the parts the agency asked about
        "asked": proposal.open_information_request(),
        "information_requests": list(proposal.information_requests.all()),
        "can_withdraw": is_member
        and (proposal.status != PS.DRAFT or proposal.is_invited)
        and PS.WITHDRAWN in Proposal.TRANSITIONS[proposal.status],
        "can_delete": is_member and proposal.status == PS.DRAFT and not proposal.is_invited,
        "runs_call": is_officer,
        "versions": list(proposal.versions.all()),
        "history": audit_history(proposal) if is_member or is_officer else None,
        # The scores and comments come from assessments ({% feedback_for %}).
        "show_feedback": permissions.can_view_feedback(user, proposal)[0],
        "part_labels": rules.PART_LABELS,
    }
    if context["task_list"]:
        states = rules.part_states(proposal)
        context["parts"] = [
            (part, rules.PART_LABELS[part], states[part], part in editable)
            for part in rules.parts_of(proposal)
        ]
        context["accepting"] = proposal.is_answering or proposal.is_taking_submission()
    else:
        context["lines"] = list(proposal.budget_lines.all())
        context["documents"] = list(proposal.documents.all())
    return render(request, "contracts/proposals/proposal_detail.html", context)


@login_required
def proposal_version(request, pk, number):
    """An earlier version of the proposal and what changed from it to the next one (or to
    the proposal as it is now), word by word."""
    proposal = _viewable(request, pk)
    versions = list(proposal.versions.all())
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    later = next((v for v in versions if v.number > number), None)
    after = later.content if later else rules.proposal_content(proposal)
    return render(
        request,
        "contracts/proposals/proposal_version.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "version": version,
            "later": later,
            "changes": diff.changes(version.content, after),
            "content": version.content,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_part(request, pk, part):
    if part not in rules.ALL_PARTS:
        raise Http404
    proposal = _own(request, pk)
    if part not in rules.parts_of(proposal):
        raise Http404
    if part not in rules.editable_parts(proposal) and request.method == "GET":
        return _frozen(request, proposal)
    # A POST always goes to the service, which refuses a proposal that is no longer a draft.
    if part == "attachments":
        return _attachments(request, proposal)
    if part in ROW_PARTS:
        return _rows_part(request, proposal, part)
    form_class = SIMPLE_PARTS[part]
    form = form_class(request.POST or None, initial=form_class.initial_from(proposal))
    if request.method == "POST" and form.is_valid():
        response = _save(request, proposal, form)
        if response is not None:
            return response
    return _render_part(request, proposal, part, form)


def _save(request, proposal, form, *, stay=False):
    """Hand the part to the service. Returns a redirect when saved (or refused because
    the proposal moved on), None when the form now carries the service's errors."""
    try:
        services.proposal_update(proposal=proposal, user=request.user, **form.service_data())
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return redirect("proposal-detail", pk=proposal.pk)
    if stay:
        messages.success(request, _("Saved. The amounts and the total are worked out below."))
        return redirect(request.path)
    messages.success(request, _("Saved. You can come back and change it before you submit."))
    return redirect("proposal-detail", pk=proposal.pk)


def _rows_part(request, proposal, part):
    form_class = ROW_PARTS[part]
    if part == "budget":
        saved = [
            {
                "description": line.description,
                "unit_cost": line.unit_cost,
                "quantity": line.quantity,
            }
            for line in proposal.budget_lines.all()
        ]
    else:
        saved = list(proposal.targets)
    if request.method != "POST":
        form = form_class(initial_rows=saved)
        return _render_part(request, proposal, part, form, saved_shown=True)
    form = form_class(request.POST)
    if "add_rows" in request.POST:
        form = form.with_more_rows()
    elif form.is_valid():
        response = _save(request, proposal, form, stay=request.POST.get("action") == "total")
        if response is not None:
            return response
        refusals = form.non_field_errors()
        form = form.compacted()  # so "line 2" in the service's message is row 2 on the page
        form.is_valid()
        for message in refusals:
            form.add_error(None, message)
    return _render_part(request, proposal, part, form)


def _render_part(request, proposal, part, form, *, saved_shown=False):
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "part": part,
        "part_label": rules.PART_LABELS[part],
        "form": form,
    }
    if part == "budget":
        lines = list(proposal.budget_lines.all())
        context["lines"] = lines
        context["saved_shown"] = saved_shown
        context["rows"] = [
            {**row, "amount": lines[i].amount if saved_shown and i < len(lines) else None}
            for i, row in enumerate(form.table())
        ]
    elif part == "targets":
        context["rows"] = form.table()
    return render(request, f"contracts/proposals/proposal_part_{part}.html", context)


def _attachments(request, proposal):
    required = list(proposal.call.required_documents or [])
    form = AttachmentForm(request.POST or None, request.FILES or None, required_documents=required)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_document_add(
                proposal=proposal,
                user=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except InvalidTransition as exc:
            messages.error(request, exc.message)
            return redirect("proposal-detail", pk=proposal.pk)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect("proposal-part", pk=proposal.pk, part="attachments")
    documents = list(proposal.documents.all())
    attached = {d.title for d in documents}
    return render(
        request,
        "contracts/proposals/proposal_part_attachments.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "part": "attachments",
            "part_label": rules.PART_LABELS["attachments"],
            "form": form,
            "documents": documents,
            "required": [(title, title in attached) for title in required],
        },
    )


def _draft_of_own(user, proposal):
    """May the member change the proposal's attachments now: their CSO's, and a draft (or
    the agency asked about them)."""
    allowed, why = permissions.can_edit_proposal(user, proposal)
    if allowed and "attachments" not in rules.editable_parts(proposal):
        return False, NotNow(
            _("A proposal that has been submitted can no longer be changed (it is “%(status)s”).")
            % {"status": proposal.get_status_display()}
        )
    return allowed, why


@login_required
@require_http_methods(["GET", "POST"])
def proposal_attachment_delete(request, pk, document_id):
    """Remove an attached document, asked on a page of its own (portal.confirm)."""
    proposal = _viewable(request, pk)
    document = proposal.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    back_url = reverse("proposal-part", args=[proposal.pk, "attachments"])
    return confirm_action(
        request,
        allowed=_draft_of_own(request.user, proposal),
        perform=lambda _data: services.proposal_document_delete(
            document=document, user=request.user
        ),
        done=_("The document was removed."),
        done_url=back_url,
        describe=lambda: Confirmation(
            question=_("Remove “%(title)s” from the proposal?") % {"title": document.title},
            facts=[
                (_("Proposal"), proposal.title),
                (_("Document"), document.title),
                (_("File"), f"{document.original_name} ({filesizeformat(document.size)})"),
            ],
            effects=[
                _("The file is deleted from the proposal and cannot be recovered."),
                _("While the proposal is a draft, your organisation can attach it again."),
            ],
            button=_("Yes, remove the document"),
            back_url=back_url,
        ),
    )


@login_required
def proposal_attachment(request, pk, document_id):
    proposal = _viewable(request, pk)
    document = next((d for d in proposal.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=document.original_name,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_check(request, pk):
    """Check your answers, then submit. A refusal (late, not eligible, over the ceiling,
    parts missing) is shown here, above the answers."""
    proposal = _own(request, pk)
    editable = rules.editable_parts(proposal)
    if not editable:
        if request.method == "POST" and proposal.status in {PS.SUBMITTED, PS.CONCEPT_SENT}:
            return redirect("proposal-submitted", pk=proposal.pk)  # a second click on Submit
        return _frozen(request, proposal)
    asked = proposal.open_information_request()
    # Sent again with the answer to the agency's questions: the service checks it, the
    # form keeps what was typed.
    form = AnswerForm(request.POST if request.method == "POST" else None) if asked else None
    errors = []
    if request.method == "POST":
        try:
            services.proposal_submit(
                proposal=proposal, user=request.user, answer=request.POST.get("answer", "")
            )
        except (ValidationError, PermissionDenied, InvalidTransition, Conflict) as exc:
            proposal.refresh_from_db()
            if proposal.status in {PS.SUBMITTED, PS.CONCEPT_SENT}:  # a colleague sent it first
                return redirect("proposal-detail" if asked else "proposal-submitted", pk=pk)
            errors = [_refusal(exc)]
            if form is not None:
                form.is_valid()  # an empty answer is shown at its field too
        else:
            if asked:
                messages.success(
                    request,
                    _("Your answer was sent with the proposal; the agency has been told."),
                )
                return redirect("proposal-detail", pk=proposal.pk)
            return redirect("proposal-submitted", pk=proposal.pk)
    missing = rules.missing_parts(proposal)
    return render(
        request,
        "contracts/proposals/proposal_check.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "errors": errors,
            "missing": [(part, rules.PART_LABELS[part]) for part in missing],
            "lines": list(proposal.budget_lines.all()),
            "documents": list(proposal.documents.all()),
            "accepting": bool(asked) or proposal.is_taking_submission(),
            "part_labels": rules.PART_LABELS,
            "change": editable,
            "asked": asked,
            "form": form,
        },
    )


@login_required
def proposal_submitted(request, pk):
    proposal = _own(request, pk)
    if not proposal.reference:
        return redirect("proposal-detail", pk=proposal.pk)
    return render(
        request,
        "contracts/proposals/proposal_submitted.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "has_presentations": rules_for(proposal.call.instrument).has_presentations,
        },
    )


@login_required
def proposal_receipt(request, pk):
    """The PDF receipt of a submitted proposal, for whoever may see the proposal."""
    proposal = _viewable(request, pk)
    if not proposal.reference or proposal.submitted_at is None:
        raise Http404
    response = HttpResponse(receipt_pdf(proposal), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{proposal.reference}.pdf"'
    return response


def _withdrawable(user, proposal):
    allowed, why = permissions.can_edit_proposal(user, proposal)
    if allowed and PS.WITHDRAWN not in Proposal.TRANSITIONS[proposal.status]:
        return False, NotNow(
            _("A proposal that is “%(status)s” can no longer be withdrawn.")
            % {"status": proposal.get_status_display()}
        )
    return allowed, why


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, pk):
    """Are you sure? The CSO may withdraw until the agency decides (portal.confirm)."""
    proposal = _viewable(request, pk)
    back_url = reverse("proposal-detail", args=[proposal.pk])
    return confirm_action(
        request,
        allowed=_withdrawable(request.user, proposal),
        form_class=WithdrawForm,
        perform=lambda data: services.proposal_withdraw(
            proposal=proposal, user=request.user, reason=data["reason"]
        ),
        done=_("Your proposal was withdrawn."),
        done_url=back_url,
        describe=lambda: Confirmation(
            question=_("Withdraw “%(title)s”?") % {"title": proposal.title},
            facts=[
                (_("Proposal"), proposal.reference or proposal.title),
                (_("Call"), proposal.call.title),
                (_("Agency"), proposal.call.agency.name),
                (_("Requested amount"), baht(proposal.requested_amount)),
            ],
            effects=[
                _("The agency will no longer consider this proposal; it reads your reason."),
                _(
                    "This cannot be undone; while the call is open your organisation can start "
                    "a new proposal."
                ),
            ],
            button=_("Yes, withdraw the proposal"),
            back_url=back_url,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_delete(request, pk):
    """Are you sure? A draft is deleted, not withdrawn (portal.confirm)."""
    proposal = _viewable(request, pk)
    back_url = reverse("proposal-detail", args=[proposal.pk])
    return confirm_action(
        request,
        allowed=permissions.can_delete_draft(request.user, proposal),
        perform=lambda data: services.proposal_delete_draft(proposal=proposal, user=request.user),
        done=_("The draft was deleted."),
        done_url=reverse("my-proposals"),
        describe=lambda: Confirmation(
            question=_("Delete the draft “%(title)s”?") % {"title": proposal.title},
            facts=[
                (_("Call"), proposal.call.title),
                (_("Agency"), proposal.call.agency.name),
            ],
            effects=[
                _("The draft, its budget lines and its attachments are deleted."),
                _("The agency never saw it; while the call is open you can start again."),
            ],
            button=_("Yes, delete the draft"),
            back_url=back_url,
        ),
    )


@login_required
def my_proposals(request):
    """All the proposals of the member's CSO, newest first, by status."""
    if not has_role(request.user, Role.CSO_MEMBER):
        raise PermissionDenied(_("Only a member of an organisation has proposals."))
    form = ProposalFilterForm(request.GET or None)
    page = None
    if request.user.cso_id:
        page = Paginator(
            selectors.cso_proposals(request.user.cso_id, status=form.status_filter()), 20
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/proposals/proposals_mine.html",
        {"form": form, "page": page, "registration_url": reverse("registration")},
    )


PROPOSAL_COLUMNS = [
    Column(gettext_lazy("project title"), lambda p: p.title),
    Column(gettext_lazy("Call"), lambda p: p.call.title),
    Column(gettext_lazy("Agency"), lambda p: p.call.agency.name),
    Column(gettext_lazy("Organisation"), lambda p: p.cso.name),
    Column(gettext_lazy("Status"), lambda p: p.get_status_display()),
    Column(gettext_lazy("requested amount (baht)"), lambda p: p.requested_amount),
    Column(gettext_lazy("submitted at"), lambda p: p.submitted_at),
    Column(gettext_lazy("decided at"), lambda p: p.decided_at),
]


@login_required
def proposal_list(request):
    """The sent proposals an officer (their agency's) or staff (all) may see, by status, as
    a page or a CSV / Excel file."""
    if not (
        has_role(request.user, Role.AGENCY_OFFICER) or has_role(request.user, Role.STAFF_ADMIN)
    ):
        raise PermissionDenied(_("Only agency officers and staff can list the proposals."))
    form = ProposalFilterForm(request.GET or None)
    qs = selectors.sent_proposals_visible_to(request.user, status=form.status_filter())
    if kind := wanted_format(request):
        return export_list(
            qs.iterator(chunk_size=2000), PROPOSAL_COLUMNS, name="proposals", kind=kind
        )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "contracts/proposals/proposals_list.html", {"form": form, "page": page})


CONCEPT_CHOICES = ("leave", "invite", "decline")


@login_required
@require_http_methods(["GET", "POST"])
def call_concepts(request, pk):
    """The concept notes of a two-stage call: invite several to a full proposal (all due by
    one deadline) and decline others, each with a note or reason, in one confirmed step;
    all are answered, or none. The answered ones are listed below."""
    call = call_selectors.call_get_for_user(request.user, pk)
    allowed, why = call_permissions.can_manage_call(request.user, call)
    if not allowed:
        raise PermissionDenied(why)
    if not call.is_two_stage:
        raise Http404
    data = request.POST if request.method == "POST" else {}
    form = ConceptAnswersForm(data or None)
    rows = []
    for proposal in selectors.concept_notes(call, waiting=True):
        choice = data.get(f"answer-{proposal.pk}", "leave")
        rows.append(
            {
                "proposal": proposal,
                "choice": choice if choice in CONCEPT_CHOICES else "leave",
                "text": (data.get(f"text-{proposal.pk}") or "").strip(),
            }
        )
    errors, confirming = [], False
    if request.method == "POST" and "edit" not in data:
        valid = form.is_valid()
        shared = form.cleaned_data.get("shared_reason", "").strip() if valid else ""
        invited = [(r["proposal"].pk, r["text"]) for r in rows if r["choice"] == "invite"]
        declined = [
            (r["proposal"].pk, r["text"] or shared) for r in rows if r["choice"] == "decline"
        ]
        if not valid:
            errors.append(_("Check the deadline: give the day, month, year and time."))
        elif not invited and not declined:
            errors.append(_("Choose at least one concept note to invite or decline."))
        elif any(not reason for _pk, reason in declined):
            errors.append(_("Give the reason for each decline, or one shared reason."))
        elif invited and form.cleaned_data.get("due_at") is None:
            errors.append(_("Give the date and time the full proposals are due."))
        elif data.get("confirmed") == "1":
            try:
                done = services.concepts_decide(
                    call=call,
                    officer=request.user,
                    invited=invited,
                    declined=declined,
                    due_at=form.cleaned_data.get("due_at"),
                )
            except (ValidationError, InvalidTransition) as exc:
                errors.append(_refusal(exc))
            else:
                messages.success(
                    request,
                    _("%(invited)s invited to a full proposal and %(declined)s declined.") % done,
                )
                return redirect("call-concepts", pk=call.pk)
        else:
            confirming = True
    return render(
        request,
        "contracts/proposals/call_concepts.html",
        {
            "call": call,
            "form": form,
            "rows": rows,
            "answered": selectors.concept_notes(call, waiting=False),
            "errors": errors,
            "confirming": confirming,
            "n_invited": sum(r["choice"] == "invite" for r in rows),
            "n_declined": sum(r["choice"] == "decline" for r in rows),
            "carried": [(k, v) for k, v in data.items() if k.startswith("due_at")],
            "still_open": call.effective_status() == call.Status.OPEN,
        },
        status=400 if errors else 200,
    )
