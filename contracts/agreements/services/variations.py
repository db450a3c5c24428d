"""Variations of a running agreement: one side proposes a change (amount, period, scope,
targets, tranche dates) with a reason; the other side agrees (for the organisation, its
signatory signs) or declines; the proposer may withdraw it first. An agreed variation is the
agreement's next version: the fields change, the tranches still to be released are re-planned
so the tranches sum to the new amount exactly, and a new end date moves what is scheduled
after it (``services.schedule``). Each step writes audit rows and tells the other side."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.selectors import agency_officers as officers
from contracts.agreements import money
from contracts.agreements import permissions as agreement_permissions
from contracts.agreements import selectors as agreement_selectors
from contracts.agreements.models import Agreement, Tranche, Variation
from contracts.agreements.notices import agreement_context
from contracts.agreements.rules import _today, clean_variation, signature_errors
from contracts.agreements.services.base import _lock
from contracts.agreements.services.schedule import schedule_follow_end
from contracts.calls.models import Call
from csos.registration.selectors import cso_members as members
from portal.audit import audit_record
from portal.notices.services import notify, url_for
from portal.validation import too_long
from portal.workflow import Conflict, InvalidTransition, reason_required, require, run_transition

AS = Agreement.Status
VS = Variation.Status
SIDE = Variation.Side


def _side_of(user, agreement) -> str:
    """The side ``user`` acts for: the agency's officer, or the organisation's signatory
    (only a signatory proposes or agrees for the organisation)."""
    if agreement_permissions.can_manage_agreement(user, agreement)[0]:
        return SIDE.AGENCY
    require(agreement_permissions.can_sign_for_cso(user, agreement))
    return SIDE.CSO


def _running(agreement: Agreement) -> None:
    if agreement.status != AS.ACTIVE:
        raise InvalidTransition(
            _("Only a running agreement can be varied (it is “%(status)s”).")
            % {"status": agreement.get_status_display()}
        )


def variation_propose(*, agreement: Agreement, user, reason: str, **changes) -> Variation:
    """Propose a variation of a running agreement: the fields to change and why. One may
    be waiting for an answer at a time."""
    side = _side_of(user, agreement)
    reason = reason_required(reason)
    if len(reason) > 5000:
        raise ValidationError({"reason": [too_long(reason, 5000)]})
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(agreement)
        _running(locked)
        cleaned = clean_variation(
            locked, changes, today=_today(), budget=_budget_for(locked, changes)
        )
        if "amount" in cleaned:
            _check_budget(locked, Decimal(cleaned["amount"]))
        number = (locked.variations.aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                variation = Variation.objects.create(
                    agreement=locked,
                    number=number,
                    proposed_side=side,
                    proposed_by=user,
                    proposed_at=now,
                    reason=reason,
                    changes=cleaned,
                )
        except IntegrityError as exc:
            raise Conflict(_("A variation of this agreement is already proposed.")) from exc
        audit_record(
            obj=variation,
            actor=user,
            action="propose_variation",
            to_status=VS.PROPOSED,
            reason=reason,
            data={"changes": cleaned},
        )
        _tell(variation, "variation_proposed", _other_side(variation))
    return variation


def _check_budget(agreement: Agreement, amount: Decimal) -> None:
    """More money comes from the call's budget: what is left of it, with the agreement's
    current amount counted once."""
    if amount <= agreement.amount:
        return
    budget = agreement_selectors.call_budget(agreement.proposal.call)
    room = budget.left
    if amount - agreement.amount > room:
        raise ValidationError(
            {
                "amount": [
                    _(
                        "The call's budget has %(left)s baht left: the amount can rise by at "
                        "most that much (to %(most)s baht)."
                    )
                    % {
                        "left": f"{max(room, 0):,.2f}",
                        "most": f"{agreement.amount + max(room, 0):,.2f}",
                    }
                ]
            }
        )


def _other_side(variation: Variation) -> str:
    return SIDE.CSO if variation.proposed_side == SIDE.AGENCY else SIDE.AGENCY


def _answering(user, variation: Variation) -> None:
    """Only the other side answers: the organisation's signatory an agency's proposal, the
    agency's officer the organisation's."""
    agreement = variation.agreement
    if variation.proposed_side == SIDE.AGENCY:
        require(agreement_permissions.can_sign_for_cso(user, agreement))
    elif not agreement_permissions.can_manage_agreement(user, agreement)[0]:
        raise PermissionDenied(_("Only the agency's officers answer the organisation's variation."))


def variation_agree(
    *, variation: Variation, user, signed_name: str = "", confirm: bool = False
) -> Variation:
    """The other side agrees: the variation becomes the agreement's next version. For the
    organisation its signatory types their full name and confirms (a signature)."""
    _answering(user, variation)
    name, errors = signature_errors(signed_name)
    if variation.proposed_side != SIDE.AGENCY:  # the agency's officer confirms; no signature
        name, errors = "", {}
    if confirm is not True:
        errors["confirm"] = [_("Confirm that you agree to the variation.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        # The call first when money moves (its budget is shared), then the agreement, then
        # the variation and the tranches: the order every award and release keeps.
        Call.objects.select_for_update().filter(pk=variation.agreement.proposal.call_id).first()
        locked = _lock(variation.agreement)
        _running(locked)
        held = Variation.objects.select_for_update().get(pk=variation.pk)
        if held.status != VS.PROPOSED:
            raise InvalidTransition(
                _("This variation is no longer waiting for an answer (it is “%(status)s”).")
                % {"status": held.get_status_display()}
            )
        # Checked again against the agreement as it is now (a tranche released meanwhile).
        changes = _as_values(held.changes)
        clean_variation(locked, changes, today=_today(), budget=_budget_for(locked, changes))
        if "amount" in held.changes:
            _check_budget(locked, Decimal(held.changes["amount"]))
        previous = _apply(locked, held, user)

        def apply(obj):
            obj.answered_by, obj.answered_at = user, now
            obj.signed_name = name if held.proposed_side == SIDE.AGENCY else ""
            obj.previous = previous
            return ["answered_by", "answered_at", "signed_name", "previous"]

        agreed = run_transition(
            instance=held,
            target=VS.AGREED,
            actor=user,
            action="agree_variation",
            permission=lambda _user, _obj: (True, ""),  # the side was checked above
            apply=apply,
            data={"changes": held.changes, "previous": previous},
        )
        _tell(agreed, "variation_agreed", held.proposed_side)
    return agreed


def _budget_for(agreement: Agreement, changes: dict):
    """The budget by line (with what was spent on each, read under the agreement's lock)
    when the variation moves money between lines; nothing to read otherwise."""
    return agreement_selectors.budget_of(agreement) if changes.get("budget_lines") else ()


def _as_values(changes: dict) -> dict:
    """The stored changes back as the values ``clean_variation`` reads (dates as dates)."""
    values = dict(changes)
    for name in ("start_date", "end_date"):
        if name in values:
            values[name] = datetime.date.fromisoformat(values[name])
    if "tranches" in values:
        values["tranches"] = [
            {"seq": row["seq"], "planned_on": datetime.date.fromisoformat(row["planned_on"])}
            for row in values["tranches"]
        ]
    return values


def _apply(agreement: Agreement, variation: Variation, actor) -> dict:
    """Change the locked agreement as the variation says; returns what each field was."""
    changes, previous, fields = variation.changes, {}, []
    for name in ("scope", "targets"):
        if name in changes:
            previous[name] = getattr(agreement, name)
            setattr(agreement, name, changes[name])
            fields.append(name)
    if "start_date" in changes:
        previous["start_date"] = agreement.start_date.isoformat()
        agreement.start_date = datetime.date.fromisoformat(changes["start_date"])
        fields.append("start_date")
    old_end = agreement.end_date
    if "end_date" in changes:
        previous["end_date"] = old_end.isoformat()
        agreement.end_date = datetime.date.fromisoformat(changes["end_date"])
        fields.append("end_date")
    if "amount" in changes:
        previous["amount"] = f"{agreement.amount:.2f}"
        agreement.amount = Decimal(changes["amount"])
        fields.append("amount")
    if "budget_lines" in changes:
        was = {row.line.pk: row.budget for row in agreement_selectors.budget_of(agreement)}
        previous["budget_lines"] = [
            {**row, "amount": f"{was[row['line']]:.2f}"} for row in changes["budget_lines"]
        ]
        agreement.line_budgets = {
            **(agreement.line_budgets or {}),
            **{str(row["line"]): row["amount"] for row in changes["budget_lines"]},
        }
        fields.append("line_budgets")
    agreement.save(update_fields=[*fields, "updated_at"])
    audit_record(
        obj=agreement,
        actor=actor,
        action="vary",
        from_status=agreement.status,
        to_status=agreement.status,
        reason=variation.reason,
        data={"variation": variation.number, "changes": changes, "previous": previous},
    )
    tranches = _replan(agreement, variation, actor, previous)
    if tranches:
        previous["tranches"] = tranches
    if "end_date" in changes:
        previous["schedule"] = schedule_follow_end(
            agreement, previous=old_end, actor=actor, reason=variation.reason, cause="variation"
        )
    return previous


def _replan(agreement: Agreement, variation: Variation, actor, previous) -> list[dict]:
    """The tranches still to be released take the new amount less what was released, in
    proportion to what they carried; moved dates as the variation says; every tranche's
    share is worked out again from the amounts, so they sum to 100 % and to the amount."""
    tranches = list(Tranche.objects.select_for_update().filter(agreement=agreement).order_by("seq"))
    waiting = [t for t in tranches if t.status == Tranche.Status.SCHEDULED]
    before = [
        {"seq": t.seq, "amount": f"{t.amount:.2f}", "planned_on": t.planned_on.isoformat()
         if t.planned_on else None}
        for t in tranches
    ]  # fmt: skip
    changes = variation.changes
    if "amount" in changes:
        released = sum((t.amount for t in tranches if t not in waiting), Decimal("0.00"))
        left = agreement.amount - released
        if not waiting and left:
            raise InvalidTransition(
                _("Every tranche has been released: the amount can no longer change.")
            )
        if waiting:
            weights = [t.amount for t in waiting]
            if sum(weights) <= 0:
                weights = [Decimal(1)] * len(waiting)
            for tranche, amount in zip(waiting, money.spread(left, weights), strict=True):
                tranche.amount = amount
        for tranche, share in zip(
            tranches, money.shares_of([t.amount for t in tranches], agreement.amount), strict=True
        ):
            tranche.share_percent = share
        if any(t.share_percent <= 0 or t.amount < 0 for t in tranches):
            raise ValidationError(  # a rounding edge clean_variation let through
                {"amount": [_("This amount leaves a tranche with no share; choose another.")]}
            )
    dates = {
        row["seq"]: datetime.date.fromisoformat(row["planned_on"])
        for row in changes.get("tranches", [])
    }
    for tranche in waiting:
        if tranche.seq in dates:
            tranche.planned_on = dates[tranche.seq]
    if "amount" not in changes and not dates:
        return []
    for tranche in tranches:
        tranche.save(update_fields=["amount", "share_percent", "planned_on"])
        old = next(b for b in before if b["seq"] == tranche.seq)
        if old["amount"] != f"{tranche.amount:.2f}" or old["planned_on"] != (
            tranche.planned_on.isoformat() if tranche.planned_on else None
        ):
            audit_record(
                obj=tranche,
                actor=actor,
                action="replan",
                from_status=tranche.status,
                to_status=tranche.status,
                reason=variation.reason,
                data={
                    "variation": variation.number,
                    "amount": [old["amount"], f"{tranche.amount:.2f}"],
                    "planned_on": [old["planned_on"], tranche.planned_on.isoformat()
                                   if tranche.planned_on else None],
                },
            )  # fmt: skip
    return before


def variation_decline(*, variation: Variation, user, reason: str) -> Variation:
    """The other side declines, with the reason the proposer reads; nothing changes."""
    _answering(user, variation)
    reason = reason_required(reason)
    now = timezone.now()

    def apply(obj):
        obj.answered_by, obj.answered_at, obj.decline_reason = user, now, reason
        return ["answered_by", "answered_at", "decline_reason"]

    with transaction.atomic():
        _lock(variation.agreement)
        declined = run_transition(
            instance=variation,
            target=VS.DECLINED,
            actor=user,
            action="decline_variation",
            permission=lambda _user, _obj: (True, ""),
            reason=reason,
            apply=apply,
        )
        _tell(declined, "variation_declined", declined.proposed_side)
    return declined


def variation_withdraw(*, variation: Variation, user, reason: str = "") -> Variation:
    """The side that proposed it takes it back before the answer."""
    side = _side_of(user, variation.agreement)
    if side != variation.proposed_side:
        raise PermissionDenied(_("Only the side that proposed the variation withdraws it."))
    with transaction.atomic():
        _lock(variation.agreement)
        return run_transition(
            instance=variation,
            target=VS.WITHDRAWN,
            actor=user,
            action="withdraw_variation",
            permission=lambda _user, _obj: (True, ""),
            reason=str(reason or "").strip(),
        )


def _tell(variation: Variation, kind: str, side: str) -> None:
    """Notify ``side`` (the organisation's members, or the agency's officers) inside the
    change's transaction."""
    agreement = variation.agreement
    recipients = members(agreement.cso_id) if side == SIDE.CSO else officers(agreement.agency_id)
    notify(
        kind,
        recipients,
        variation,
        context=agreement_context(
            agreement,
            seq=variation.number,
            reason=variation.decline_reason if kind == "variation_declined" else variation.reason,
        ),
        url=url_for("agreement-variations", agreement.pk),
    )
