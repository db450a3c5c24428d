"""Proposals: one function per use case (start, answer, attach, submit, withdraw, and the
officer's decisions). Views, API views and tasks call these; none of them changes a status
itself. Time is read once per use case, so a deadline is judged at one instant."""

import datetime
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.selectors import agency_officers as officers
from contracts.calls.models import Call
from contracts.calls.rules import _close_if_due, _system
from contracts.instruments import rules_for
from contracts.proposals import permissions
from contracts.proposals.models import (
    BudgetLine,
    InformationRequest,
    Proposal,
    ProposalVersion,
    VersionKind,
)
from contracts.proposals.models import ProposalDocument as Document
from contracts.proposals.rules import (
    FIELD_PARTS,
    PART_LABELS,
    PROPOSAL_TEXT_FIELDS,
    _ceiling_error,
    clean_information_request,
    eligibility_problems,
    missing_parts,
    out_of_order_problems,
    out_of_order_refusal,
    proposal_content,
    standing_of,
    validate_proposal,
)
from csos.models import CSO
from csos.registration.selectors import cso_members as members
from portal.audit import audit_record
from portal.dates import format_be, reference_number
from portal.notices.services import notify, url_for
from portal.uploads import check_room, stored_upload
from portal.validation import check_name, fields_of, too_long
from portal.workflow import Conflict, InvalidTransition, reason_required, require, run_transition

CS = Call.Status
PS = Proposal.Status
ANSWER_FIELDS = ["targets", "start_date", "end_date", "requested_amount"]


# ---------------------------------------------------------------------------------------
# Calls


# ---------------------------------------------------------------------------------------
# Proposals


class ProposalFields(TypedDict, total=False):
    """A CSO's answers in a proposal's parts."""

    title: str
    summary: str
    outcomes: str
    project_document: str
    targets: list[dict]  # [{"indicator": str, "target": str}, ...]
    budget_lines: list[dict]  # [{"description", "unit_cost", "quantity", ...}, ...]
    start_date: datetime.date | None
    end_date: datetime.date | None
    requested_amount: Decimal | str  # a concept note's budget estimate only


def proposal_create(*, user, call: Call, **fields: Unpack[ProposalFields]) -> Proposal:
    """A member of an approved CSO starts a proposal for an open call; the draft is kept
    with whatever parts it is given at once (the title defaults to the call's). Nothing is
    kept if any part is refused."""
    fields = fields_of(ProposalFields, fields)
    title = fields.pop("title", "")
    require(permissions.can_start_proposal(user, call))
    now = timezone.now()
    if call.status != CS.OPEN or now >= call.closes_at:
        raise InvalidTransition(_("This call is not taking proposals."))
    problems = eligibility_problems(call, user.cso)
    if problems:
        raise PermissionDenied(" ".join(problems))
    title = (title or "").strip() or call.title
    if len(title) > 255:
        raise ValidationError({"title": [too_long(title, 255)]})
    check_name(title, field="title")
    with transaction.atomic():  # a part refused undoes the draft too
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    call=call,
                    cso=user.cso,
                    title=title,
                    created_by=user,
                    stage=Proposal.Stage.CONCEPT if call.is_two_stage else Proposal.Stage.FULL,
                )
        except IntegrityError as exc:
            raise Conflict(_("Your organisation already has a proposal for this call.")) from exc
        audit_record(obj=proposal, actor=user, action="create", to_status=proposal.status)
        if fields:
            proposal = proposal_update(proposal=proposal, user=user, **fields)
    return proposal


def _require_member_draft(user, proposal: Proposal, parts=(), now=None) -> None:
    """The member may change ``parts`` of the (locked) proposal now: any part of a draft;
    while answering the agency's questions, the parts asked about, until the reply-by
    time."""
    require(permissions.can_edit_proposal(user, proposal))
    request = proposal.open_information_request()
    if request is not None:
        _check_reply_by(request, now or timezone.now())
        closed = [part for part in parts if part not in request.parts]
        if closed:
            raise InvalidTransition(
                _(
                    "The agency asked about %(asked)s only; %(closed)s cannot change while "
                    "your organisation answers."
                )
                % {
                    "asked": ", ".join(str(PART_LABELS[p]) for p in request.parts),
                    "closed": ", ".join(str(PART_LABELS[p]) for p in closed),
                }
            )
        return
    if not proposal.is_editable:
        raise InvalidTransition(
            _("A proposal that has been submitted can no longer be changed (it is “%(status)s”).")
            % {"status": proposal.get_status_display()}
        )


def proposal_update(*, proposal: Proposal, user, **fields: Unpack[ProposalFields]) -> Proposal:
    """Save answers to any part of a draft (the fields given; those left out keep their
    values); the requested amount is the sum of the lines."""
    require(permissions.can_edit_proposal(user, proposal))
    cleaned = validate_proposal(proposal=proposal, answers=fields_of(ProposalFields, fields))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        _require_member_draft(user, locked, {FIELD_PARTS[name] for name in cleaned})
        fields = []
        if "requested_amount" in cleaned and not locked.is_concept:
            raise InvalidTransition(  # invited while these answers were being sent
                _("The requested amount is the sum of the budget lines; change the lines instead.")
            )
        for name in [*PROPOSAL_TEXT_FIELDS, *ANSWER_FIELDS]:
            if name in cleaned:
                setattr(locked, name, cleaned[name])
                fields.append(name)
        if "budget_lines" in cleaned:
            locked.budget_lines.all().delete()
            for line in cleaned["budget_lines"]:
                line.proposal = locked
            BudgetLine.objects.bulk_create(cleaned["budget_lines"])
            locked.requested_amount = sum(
                (line.amount for line in cleaned["budget_lines"]), Decimal("0.00")
            )
            fields.append("requested_amount")
        locked.save(update_fields=[*fields, "updated_at"])
    return locked


def proposal_document_add(*, proposal: Proposal, user, title: str, upload) -> Document:
    """Attach a document; its type is checked by content, its size capped."""
    require(permissions.can_edit_proposal(user, proposal))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Say which document this is.")]})
    if len(title) > 255:
        raise ValidationError({"title": [too_long(title, 255)]})
    check_name(title, field="title")
    stored = stored_upload(upload)
    with transaction.atomic():
        # The proposal, then the organisation (its total counted once): the order sending
        # the proposal keeps (call, proposal, organisation), so the two never wait on each
        # other.
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        CSO.objects.select_for_update().only("pk").get(pk=proposal.cso_id)
        _require_member_draft(user, locked, {"attachments"})
        check_room(documents=locked.documents.count(), cso_id=locked.cso_id, size=stored["size"])
        return Document.objects.create(proposal=locked, title=title, uploaded_by=user, **stored)


def proposal_document_delete(*, document: Document, user) -> None:
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=document.proposal_id)
        _require_member_draft(user, locked, {"attachments"})
        request = locked.open_information_request()
        if request is not None and document.uploaded_at < request.requested_at:
            raise InvalidTransition(
                _(
                    "A document sent with the proposal stays with it; attach the corrected "
                    "one beside it."
                )
            )
        document.file.delete(save=False)
        document.delete()


def proposal_submit(*, proposal: Proposal, user, answer: str = "") -> Proposal:
    """Send the proposal to the agency. Only an approved, eligible CSO, only while the call
    takes proposals (judged against ``closes_at``, whatever the call's stored status), with
    every part complete and the amount within the ceiling. Then it is frozen.

    A proposal the agency asked more about is sent again with the ``answer`` to its
    questions, before the reply-by time; the evaluators and officers are told."""
    now = timezone.now()
    call = None

    concept = proposal.is_concept
    answering = proposal.is_answering
    answer = (answer or "").strip()
    if answering and not answer:
        raise ValidationError({"answer": [_("Answer the agency's questions.")]})
    if len(answer) > 5000:
        raise ValidationError({"answer": [too_long(answer, 5000)]})
    answered = None

    def apply(obj):
        nonlocal answered
        obj.call = call
        # run_transition has checked the status it leaves (a proposal answering questions
        # goes back to "submitted" only from there) and set the one it reaches.
        if obj.is_concept != concept:
            raise Conflict(_("The proposal changed stage meanwhile; open it again."))
        if answering:
            answered = _latest_request(obj)
            _check_reply_by(answered, now)
        elif obj.is_invited:
            _check_full_due(obj, now)
        elif not call.is_accepting(now):
            if call.status == CS.OPEN and now < call.opens_at:
                raise InvalidTransition(_("This call opens for proposals later."))
            raise InvalidTransition(
                _("This call closed for proposals at %(time)s; it no longer accepts them.")
                % {"time": timezone.localtime(call.closes_at).strftime("%H:%M")}
                if call.status in {CS.OPEN, CS.CLOSED}
                else _("This call is not taking proposals.")
            )
        cso = CSO.objects.select_for_update().get(pk=obj.cso_id)
        problems = eligibility_problems(call, cso)
        if problems:
            raise PermissionDenied(" ".join(problems))
        missing = missing_parts(obj)
        if missing:
            raise ValidationError(
                _("Complete these parts first: %(parts)s.")
                % {"parts": ", ".join(str(PART_LABELS[m]) for m in missing)}
            )
        if obj.is_concept:
            total = obj.requested_amount  # an estimate, checked as a part
        else:
            total = sum((line.amount for line in obj.budget_lines.all()), Decimal("0.00"))
            obj.requested_amount = total  # the lines are the truth
        if total > call.budget_ceiling:
            raise _ceiling_error(call, total)
        if answered is not None:  # sent before: the first time it was sent stays
            answered.answer = answer
            answered.answered_by = user
            answered.answered_at = now
            answered.save(update_fields=["answer", "answered_by", "answered_at"])
            return ["requested_amount"]
        obj.submitted_at = now
        if not obj.reference:
            obj.reference = reference_number("P", obj.pk, now)
        return ["submitted_at", "reference", "requested_amount"]

    with transaction.atomic():
        # The call first (parent before child, as cancelling does): a call cancelled while
        # this proposal is being sent either refuses it or, if it came first, decides it.
        call = Call.objects.select_for_update().get(pk=proposal.call_id)
        proposal = run_transition(
            instance=proposal,
            target=PS.CONCEPT_SENT if concept else PS.SUBMITTED,
            actor=user,
            action="submit_concept" if concept else ("resubmit" if answering else "submit"),
            permission=permissions.can_edit_proposal,
            apply=apply,
            data={"requested_amount": str(proposal.requested_amount)},
        )
        if answered is not None:
            _notify_information(answered, "information_received")
        else:
            _email_members(proposal, "concept_received" if concept else "proposal_received")
    return proposal


def _check_reply_by(request: InformationRequest, now) -> None:
    if now >= request.reply_by:
        raise InvalidTransition(
            _(
                "The answer to the agency's questions was due by %(time)s; the proposal can "
                "no longer be changed or sent again."
            )
            % {"time": format_be(request.reply_by, "datetime")}
        )


def _check_full_due(proposal: Proposal, now) -> None:
    """An invited full proposal is sent while its call is closed (not cancelled or awarded)
    and before the invitation's deadline."""
    if proposal.call.status != CS.CLOSED:
        raise InvalidTransition(_("This call is not taking proposals."))
    if now >= proposal.full_due_at:
        raise InvalidTransition(
            _("The full proposal was due by %(time)s; it can no longer be sent.")
            % {"time": format_be(proposal.full_due_at, "datetime")}
        )


def proposal_withdraw(*, proposal: Proposal, user, reason: str = "") -> Proposal:
    """The CSO withdraws its proposal at any time before the agency decides."""
    return run_transition(
        instance=proposal,
        target=PS.WITHDRAWN,
        actor=user,
        action="withdraw",
        permission=permissions.can_edit_proposal,
        reason=reason,
    )


def proposal_delete_draft(*, proposal: Proposal, user) -> None:
    """A draft is the organisation's working copy: its member deletes it, with its budget
    lines and attachments (a submitted proposal is withdrawn instead, and stays). The audit
    row of the deletion stays."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        require(permissions.can_delete_draft(user, locked))
        audit_record(
            obj=locked,
            actor=user,
            action="delete_draft",
            from_status=PS.DRAFT,
            to_status="",
            data={"title": locked.title, "call": locked.call_id},
        )
        files = [document.file for document in locked.documents.all()]
        locked.delete()
        # The files go once the rows are gone for good.
        transaction.on_commit(lambda: [file.delete(save=False) for file in files])


def _lock_closed_call(proposal: Proposal, now) -> Call:
    """Decisions wait until the call has closed, so no one is judged while others may still
    apply. Closes an open call whose time has passed."""
    call = _close_if_due(proposal.call_id, now)
    if call.status not in {CS.CLOSED, CS.AWARDED}:
        raise InvalidTransition(
            _("The agency decides once the call has closed (it is “%(status)s”).")
            % {"status": call.get_status_display()}
        )
    return call


def _maybe_award(call: Call, actor) -> None:
    """The call is awarded once every proposal sent has an outcome and one was selected."""
    call.refresh_from_db(fields=["status"])
    if call.status != CS.CLOSED:
        return
    outcomes = set(
        call.proposals.exclude(status__in=[PS.DRAFT, PS.WITHDRAWN]).values_list("status", flat=True)
    )
    pending = Proposal.IN_REVIEW | {PS.CONCEPT_SENT}
    open_invitations = _open_invitations(call, timezone.now()).exists()
    if PS.SELECTED in outcomes and not outcomes & pending and not open_invitations:
        run_transition(
            instance=call,
            target=CS.AWARDED,
            actor=actor,
            action="award",
            permission=_system,
            reason=_("Every proposal has an outcome."),
        )


def decided(now, reason: str):
    """The ``apply`` of a decision (``run_transition``): when it was made and the reason
    the organisation reads."""

    def apply(obj):
        obj.decided_at = now
        obj.decision_reason = reason
        return ["decided_at", "decision_reason"]

    return apply


def _open_invitations(call: Call, now):
    """The invited full proposals still being written: drafts whose deadline is ahead."""
    return call.proposals.filter(status=PS.DRAFT, invited_at__isnull=False, full_due_at__gt=now)


def _check_full_stage_ready(call: Call, now) -> None:
    """In a two-stage call, full proposals are judged together: once every concept note has
    an answer and every invited organisation has sent its full proposal or let its deadline
    pass, so no one is judged while another may still apply."""
    if not call.is_two_stage:
        return
    if call.proposals.filter(status=PS.CONCEPT_SENT).exists():
        raise InvalidTransition(
            _(
                "Answer every concept note first (invite or decline): decisions on full "
                "proposals wait until then."
            )  # fmt: skip
        )
    waiting = (
        _open_invitations(call, now)
        .order_by("-full_due_at")
        .values_list("full_due_at", flat=True)
        .first()
    )
    if waiting is not None:
        raise InvalidTransition(
            _(
                "Invited organisations may send their full proposals until %(time)s; decisions "
                "wait until then."
            )
            % {"time": format_be(waiting, "datetime")}  # fmt: skip
        )


def _decide(
    proposal, user, target, action, reason, *, permission, sources=None, apply=None, data=None
):
    return run_transition(
        instance=proposal,
        target=target,
        actor=user,
        action=action,
        permission=permission,
        reason=reason,
        sources=sources,
        apply=apply,
        data=data,
    )


def proposal_shortlist(*, proposal: Proposal, officer) -> Proposal:
    """Performance contracts: the officer shortlists proposals to hear their vision."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    with transaction.atomic():
        call = _lock_closed_call(proposal, now)
        _check_full_stage_ready(call, now)
        if not rules_for(call.instrument).has_presentations:
            raise InvalidTransition(
                _("Only performance contracts shortlist proposals for a presentation.")
            )
        if Proposal.objects.filter(pk=proposal.pk, status=PS.INFO_REQUESTED).exists():
            _refuse_while_answering(proposal)
        return _decide(
            proposal,
            officer,
            PS.SHORTLISTED,
            "shortlist",
            "",
            permission=permissions.can_decide_proposal,
        )


def proposal_schedule_presentation(*, proposal: Proposal, officer, at, location: str) -> Proposal:
    """Set (or move) the shortlisted CSO's vision presentation: a time and a place or link."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    errors = {}
    location = (location or "").strip()
    if not isinstance(at, datetime.datetime) or timezone.is_naive(at):
        errors["at"] = [_("Give the date and time.")]
    elif at <= now:
        errors["at"] = [_("Choose a time in the future.")]
    if not location:
        errors["location"] = [_("Give the place or the online meeting link.")]
    elif len(location) > 500:
        errors["location"] = [too_long(location, 500)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        require(permissions.can_decide_proposal(officer, locked))
        if locked.status != PS.SHORTLISTED:
            raise InvalidTransition(
                _("Only a shortlisted proposal gets a presentation (it is “%(status)s”).")
                % {"status": locked.get_status_display()}
            )
        previous = locked.presentation_at
        locked.presentation_at = at
        locked.presentation_location = location
        locked.save(update_fields=["presentation_at", "presentation_location", "updated_at"])
        audit_record(
            obj=locked,
            actor=officer,
            action="schedule_presentation",
            from_status=locked.status,
            to_status=locked.status,
            data={
                "at": at.isoformat(),
                "location": location,
                "previous": previous.isoformat() if previous else None,
            },
        )
        _email_members(locked, "presentation_scheduled")
    return locked


def proposal_mark_presented(*, proposal: Proposal, officer) -> Proposal:
    now = timezone.now()

    def apply(obj):
        if obj.presentation_at is None:
            raise InvalidTransition(_("Schedule the presentation first."))
        obj.presented_at = now
        return ["presented_at"]

    return _decide(
        proposal,
        officer,
        PS.PRESENTED,
        "mark_presented",
        "",
        permission=permissions.can_decide_proposal,
        apply=apply,
    )


def proposal_select(*, proposal: Proposal, officer, reason: str = "") -> Proposal:
    """Select a proposal. Performance contracts select only a CSO that has presented.
    Out of rank order (a proposal ranked above it is not decided yet) or with reviews
    missing, only with a written reason: the CSO reads it and the audit row keeps it."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    reason = (reason or "").strip()
    with transaction.atomic():
        call = _lock_closed_call(proposal, now)
        _check_full_stage_ready(call, now)
        presentations = rules_for(call.instrument).has_presentations
        sources = {PS.PRESENTED} if presentations else {PS.SUBMITTED}
        status = Proposal.objects.filter(pk=proposal.pk).values_list("status", flat=True).first()
        if status == PS.INFO_REQUESTED:
            _refuse_while_answering(proposal)
        if presentations and status in {PS.SUBMITTED, PS.SHORTLISTED}:
            raise InvalidTransition(
                _("For a performance contract, only a CSO that has presented can be selected.")
            )
        data = None
        if status in sources:  # otherwise the move is refused for its status (409)
            # Every decision on the call locks the call first, so the ranking holds still.
            standing = standing_of(proposal)
            problems = out_of_order_problems(standing)
            if problems and not reason:
                raise out_of_order_refusal(problems)
            if problems:
                data = {"out_of_rank_order": standing.audit_data()}

        proposal = _decide(
            proposal,
            officer,
            PS.SELECTED,
            "select",
            reason,
            permission=permissions.can_decide_proposal,
            sources=sources,
            apply=decided(now, reason),
            data=data,
        )
        _maybe_award(call, officer)
        _email_members(proposal, "proposal_decided")
    return proposal


def proposal_reject(*, proposal: Proposal, officer, reason: str) -> Proposal:
    """Not selected, with the reason the CSO will read."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    reason = reason_required(reason)
    with transaction.atomic():
        call = _lock_closed_call(proposal, now)
        _check_full_stage_ready(call, now)

        proposal = _decide(
            proposal,
            officer,
            PS.NOT_SELECTED,
            "reject",
            reason,
            permission=permissions.can_decide_proposal,
            sources=Proposal.IN_REVIEW,
            apply=decided(now, reason),
        )
        _maybe_award(call, officer)
        _email_members(proposal, "proposal_decided")
    return proposal


def _email_members(proposal: Proposal, kind: str) -> None:
    """Notify the CSO's members (in-app and email) inside the change's transaction:
    ``proposal_received``, ``presentation_scheduled`` (again for each new time),
    ``proposal_decided``, and for concept notes ``concept_received``, ``concept_invited``
    and ``concept_declined``."""

    call = proposal.call
    notify(
        kind,
        members(proposal.cso_id),
        proposal,
        extra=proposal.presentation_at.isoformat() if kind == "presentation_scheduled" else "",
        context={
            "title": proposal.title,
            "call": call.title,
            "reference": proposal.reference,
            "amount": f"{proposal.requested_amount:,.2f}",
            "when": proposal.presentation_at
            if kind == "presentation_scheduled"
            else proposal.submitted_at,
            "where": proposal.presentation_location,
            "status": Proposal.Status(proposal.status).label,
            "reason": proposal.decision_reason,
            "due": proposal.full_due_at,
            "note": proposal.invitation_note,
        },
        url=url_for("proposal-detail", proposal.pk),
    )


def proposals_decide(*, call: Call, officer, selected, rejected) -> dict:
    """Decide several proposals of a closed call in one step: ``selected`` and ``rejected``
    are ``[(proposal id, reason), ...]`` (a rejection needs its reason; a selection out of
    rank order too). The call is locked first and everything happens in one transaction:
    if any decision is refused (a proposal decided meanwhile by someone else, a missing
    reason), none is made and the error names the proposal."""
    selected, rejected = list(selected or []), list(rejected or [])
    ids = [pk for pk, _reason in selected + rejected]
    if not ids:
        raise ValidationError(_("Choose at least one proposal to decide."))
    if len(set(ids)) != len(ids):
        raise ValidationError(_("A proposal is either selected or rejected, once."))
    now = timezone.now()
    with transaction.atomic():
        locked = _close_if_due(call.pk, now)
        require(permissions.can_manage_call(officer, locked))
        proposals = _batch_of(locked, ids, _("These are not proposals of this call: %(ids)s."))
        # The rejections first, then the selections in rank order: a proposal ranked above
        # one selected here and rejected in the same step does not make the selection
        # out of order.
        for pk, reason in rejected:
            _in_batch(proposals[pk], lambda p=proposals[pk], r=reason: proposal_reject(
                proposal=p, officer=officer, reason=r))  # fmt: skip
        unranked = 10**9
        ranked = sorted(
            selected,
            key=lambda item: (standing_of(proposals[item[0]]).rank or unranked, item[0]),
        )
        for pk, reason in ranked:
            _in_batch(proposals[pk], lambda p=proposals[pk], r=reason: proposal_select(
                proposal=p, officer=officer, reason=r))  # fmt: skip
        audit_record(
            obj=locked, actor=officer, action="decide_batch", from_status=locked.status,
            to_status=Call.objects.filter(pk=locked.pk).values_list("status", flat=True).get(),
            data={"selected": [pk for pk, _r in ranked], "rejected": [pk for pk, _r in rejected]},
        )  # fmt: skip
    return {"selected": len(selected), "rejected": len(rejected)}


def _batch_of(call: Call, ids: list[int], not_ours: str) -> dict[int, Proposal]:
    """The proposals of ``call`` a batch names, by id; ``not_ours`` (with ``%(ids)s``)
    refuses ids that are not the call's."""
    proposals = {
        p.pk: p for p in Proposal.objects.filter(call=call, pk__in=ids).select_related("call")
    }
    missing = [pk for pk in ids if pk not in proposals]
    if missing:
        raise ValidationError(not_ours % {"ids": ", ".join(str(pk) for pk in missing)})
    return proposals


def _in_batch(proposal: Proposal, decide) -> None:
    """One decision of a batch; a refusal names the proposal it is about."""
    label = _("“%(title)s”: ") % {"title": proposal.title}
    try:
        decide()
    except ValidationError as exc:
        raise ValidationError([label + message for message in exc.messages]) from exc
    except InvalidTransition as exc:
        raise InvalidTransition(label + exc.message) from exc


# ---------------------------------------------------------------------------------------
# Two-stage calls: concept notes


MAX_FULL_PROPOSAL_DAYS = 366


def _check_full_due_at(due_at, now) -> None:
    if not isinstance(due_at, datetime.datetime) or timezone.is_naive(due_at):
        raise ValidationError({"due_at": [_("Give the date and time.")]})
    if due_at < now + datetime.timedelta(days=1):
        raise ValidationError(
            {"due_at": [_("Give the organisation at least a day to write its full proposal.")]}
        )
    if due_at > now + datetime.timedelta(days=MAX_FULL_PROPOSAL_DAYS):
        raise ValidationError({"due_at": [_("Set the deadline within a year.")]})


def _keep_version(proposal: Proposal, kind: str) -> ProposalVersion:
    number = (proposal.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ProposalVersion.objects.create(
        proposal=proposal,
        number=number,
        stage=proposal.stage,
        kind=kind,
        content=proposal_content(proposal),
    )


def _lock_two_stage_call(proposal: Proposal, now) -> Call:
    call = _lock_closed_call(proposal, now)
    if not call.is_two_stage:
        raise InvalidTransition(_("Only a call in two stages takes concept notes."))
    return call


def concept_invite(*, proposal: Proposal, officer, due_at, note: str = "") -> Proposal:
    """Invite the organisation to turn its concept note into a full proposal by ``due_at``.
    The concept note is kept as version 1 and the full proposal starts from it: a draft
    again, with the parts a full proposal asks for."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    note = (note or "").strip()
    if len(note) > 5000:
        raise ValidationError({"note": [too_long(note, 5000)]})
    _check_full_due_at(due_at, now)
    with transaction.atomic():
        call = _lock_two_stage_call(proposal, now)

        def apply(obj):
            _keep_version(obj, VersionKind.CONCEPT)
            obj.stage = Proposal.Stage.FULL
            obj.invited_at = now
            obj.full_due_at = due_at
            obj.invitation_note = note
            return ["stage", "invited_at", "full_due_at", "invitation_note"]

        proposal = _decide(
            proposal,
            officer,
            PS.DRAFT,
            "invite_full",
            note,
            permission=permissions.can_decide_proposal,
            sources={PS.CONCEPT_SENT},
            apply=apply,
            data={"due_at": due_at.isoformat()},
        )
        proposal.call = call
        _email_members(proposal, "concept_invited")
    return proposal


def concept_decline(*, proposal: Proposal, officer, reason: str) -> Proposal:
    """Take a concept note no further, with the reason the organisation reads."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    reason = reason_required(reason)
    with transaction.atomic():
        call = _lock_two_stage_call(proposal, now)

        proposal = _decide(
            proposal,
            officer,
            PS.NOT_SELECTED,
            "decline_concept",
            reason,
            permission=permissions.can_decide_proposal,
            sources={PS.CONCEPT_SENT},
            apply=decided(now, reason),
        )
        _maybe_award(call, officer)
        _email_members(proposal, "concept_declined")
    return proposal


def concepts_decide(*, call: Call, officer, invited, declined, due_at=None) -> dict:
    """Answer several concept notes of a closed two-stage call at once: ``invited`` are
    ``[(proposal id, note), ...]``, all due by ``due_at``; ``declined`` ``[(proposal id,
    reason), ...]``. The call is locked first; all are answered, or none."""
    invited, declined = list(invited or []), list(declined or [])
    ids = [pk for pk, _text in invited + declined]
    if not ids:
        raise ValidationError(_("Choose at least one concept note to answer."))
    if len(set(ids)) != len(ids):
        raise ValidationError(_("A concept note is either invited or declined, once."))
    now = timezone.now()
    if invited:
        _check_full_due_at(due_at, now)
    with transaction.atomic():
        locked = _close_if_due(call.pk, now)
        require(permissions.can_manage_call(officer, locked))
        proposals = _batch_of(locked, ids, _("These are not concept notes of this call: %(ids)s."))
        for pk, reason in declined:
            _in_batch(proposals[pk], lambda p=proposals[pk], r=reason: concept_decline(
                proposal=p, officer=officer, reason=r))  # fmt: skip
        for pk, note in invited:
            _in_batch(proposals[pk], lambda p=proposals[pk], n=note: concept_invite(
                proposal=p, officer=officer, due_at=due_at, note=n))  # fmt: skip
        audit_record(
            obj=locked, actor=officer, action="answer_concepts", from_status=locked.status,
            to_status=locked.status,
            data={"invited": [pk for pk, _n in invited], "declined": [pk for pk, _r in declined],
                  "due_at": due_at.isoformat() if invited else None},
        )  # fmt: skip
    return {"invited": len(invited), "declined": len(declined)}


# ---------------------------------------------------------------------------------------
# Asking for more information before deciding


def _latest_request(proposal: Proposal) -> InformationRequest:
    return proposal.information_requests.order_by("-number").first()


def _refuse_while_answering(proposal: Proposal):
    request = _latest_request(proposal)
    raise InvalidTransition(
        _(
            "The organisation is answering the agency's questions until %(time)s: decide once "
            "it has answered, or cancel the questions to decide on the proposal as it was sent."
        )
        % {"time": format_be(request.reply_by, "datetime")}
    )


def proposal_request_information(
    *, proposal: Proposal, officer, questions: str, reply_by, parts=None
) -> InformationRequest:
    """Before deciding, return a submitted proposal to its organisation with ``questions``
    and a ``reply_by`` time: it may change the ``parts`` asked about (all, when none are
    named) and sends it again with its answer. What the proposal says now is kept as a
    version, so everyone sees what the answer changed."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    questions, reply_by, parts = clean_information_request(
        questions=questions, reply_by=reply_by, parts=parts, now=now
    )
    asked = {}
    with transaction.atomic():
        call = _lock_closed_call(proposal, now)

        def apply(obj):
            number = (obj.information_requests.aggregate(n=Max("number"))["n"] or 0) + 1
            asked["request"] = InformationRequest.objects.create(
                proposal=obj,
                number=number,
                questions=questions,
                parts=parts,
                reply_by=reply_by,
                requested_by=officer,
                requested_at=now,
                version=_keep_version(obj, VersionKind.BEFORE_INFORMATION),
            )
            return []

        proposal = _decide(
            proposal,
            officer,
            PS.INFO_REQUESTED,
            "request_information",
            questions,
            permission=permissions.can_decide_proposal,
            sources={PS.SUBMITTED},
            apply=apply,
            data={"reply_by": reply_by.isoformat(), "parts": parts},
        )
        proposal.call = call
        request = asked["request"]
        request.proposal = proposal
        _notify_information(request, "information_requested")
    return request


def information_request_cancel(*, proposal: Proposal, officer, reason: str) -> Proposal:
    """Take the questions back (asked by mistake, or no answer came): the proposal returns
    to review as it was sent. The parts changed meanwhile are put back from the version kept
    when the agency asked, and documents attached since are removed; the organisation is
    told why."""
    now = timezone.now()
    require(permissions.can_decide_proposal(officer, proposal))
    reason = reason_required(reason)
    removed = []
    with transaction.atomic():
        call = _lock_closed_call(proposal, now)
        cancelled = {}

        def apply(obj):
            request = _latest_request(obj)  # the open one: the proposal was answering
            request.cancelled_at = now
            request.cancel_reason = reason
            request.save(update_fields=["cancelled_at", "cancel_reason"])
            cancelled["request"] = request
            obj.call = call
            return _restore(obj, request, removed)

        proposal = _decide(
            proposal,
            officer,
            PS.SUBMITTED,
            "cancel_information_request",
            reason,
            permission=permissions.can_decide_proposal,
            sources={PS.INFO_REQUESTED},
            apply=apply,
        )
        proposal.call = call
        _notify_information(cancelled["request"], "information_request_cancelled")
        transaction.on_commit(lambda: [file.delete(save=False) for file in removed])
    return proposal


def _restore(proposal: Proposal, request: InformationRequest, removed: list) -> list[str]:
    """Put the proposal back as the request's version says (the parts it opened), and
    remove the documents attached since the request (their files go in ``removed``)."""
    content = request.version.content
    fields = []
    if "summary" in request.parts:
        for name in ("title", "summary", "outcomes"):
            setattr(proposal, name, content[name])
            fields.append(name)
    if "targets" in request.parts:
        proposal.targets = content["targets"]
        fields.append("targets")
    if "dates" in request.parts:
        for name in ("start_date", "end_date"):
            value = content[name]
            setattr(proposal, name, datetime.date.fromisoformat(value) if value else None)
            fields.append(name)
    if "document" in request.parts:
        proposal.project_document = content["project_document"]
        fields.append("project_document")
    if "budget" in request.parts:
        proposal.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(
                proposal=proposal,
                position=i,
                description=line["description"],
                costing_method=proposal.call.costing_method,
                unit_cost=Decimal(line["unit_cost"]),
                quantity=Decimal(line["quantity"]),
                amount=Decimal(line["amount"]),
            )
            for i, line in enumerate(content["budget_lines"], start=1)
        )
        proposal.requested_amount = Decimal(content["requested_amount"])
        fields.append("requested_amount")
    if "attachments" in request.parts:
        added = proposal.documents.filter(uploaded_at__gte=request.requested_at)
        removed.extend(document.file for document in added)
        added.delete()
    return fields


def _notify_information(request: InformationRequest, kind: str) -> None:
    """``information_requested`` and ``information_request_cancelled`` go to the
    organisation's members; ``information_received`` to the call's officers and
    evaluators, with a link to what changed."""
    proposal = request.proposal
    call = proposal.call
    if kind == "information_received":
        recipients = officers(call.agency_id) + list(call.evaluators.all())
        url = url_for("proposal-version", proposal.pk, request.version.number)
    else:
        recipients = members(proposal.cso_id)
        url = url_for("proposal-detail", proposal.pk)
    notify(
        kind,
        recipients,
        request,
        context={
            "title": proposal.title,
            "call": call.title,
            "reference": proposal.reference,
            "cso": proposal.cso.name,
            "questions": request.questions,
            "parts": ", ".join(str(PART_LABELS[p]) for p in request.parts),
            "due": request.reply_by,
            "answer": request.answer,
            "reason": request.cancel_reason,
        },
        url=url,
    )
