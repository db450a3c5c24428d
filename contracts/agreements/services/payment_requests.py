"""Tranches paid on request: the organisation asks for one, citing the accepted progress
report that evidences it and saying what was reached; the officer approves it by releasing
the tranche (services.tranches.tranche_release, which approves the waiting request) or
returns it with a reason.

Lock order, as for a release: the agreement, its CSO, the tranche, then the request. So two
requests for the same tranche, or a request and a return, follow one another."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import permissions as agreement_permissions
from contracts.agreements.models import Agreement, PaymentRequest, Tranche
from contracts.agreements.notices import agreement_context, officers
from contracts.agreements.rules import evidence_reports
from contracts.agreements.services.tranches import _lock
from csos.registration.selectors import cso_members as members
from portal.audit import audit_record
from portal.notices.services import notify, url_for
from portal.validation import too_long
from portal.workflow import reason_required, require, run_transition

PRS = PaymentRequest.Status
NOTE_MAX = 5000


def _relock(tranche: Tranche) -> tuple[Agreement, Tranche]:
    """The agreement, its CSO and the tranche locked (in that order), then read again with
    the reports and requests the rules need, as they stand under the locks."""
    agreement, locked = _lock(tranche)
    fresh = Agreement.objects.prefetch_related(
        "tranches", "tranches__payment_requests", "reports"
    ).get(pk=agreement.pk)
    fresh.cso = agreement.cso
    locked = next(t for t in fresh.tranches.all() if t.pk == locked.pk)
    locked.agreement = fresh
    return fresh, locked


def payment_request_submit(*, tranche: Tranche, user, note: str, report) -> PaymentRequest:
    """The organisation asks for a tranche paid on request. ``report`` is the number (seq)
    of an accepted progress report that evidences no other request; ``note`` says what was
    reached, the tranche's milestone first where it names one. The agency's officers are
    told."""
    require(agreement_permissions.can_act_for_cso(user, tranche.agreement))
    note = str(note or "").strip()
    errors = {}
    if not note:
        errors["note"] = [
            _("Say what was reached, and the tranche's milestone where it names one.")
        ]
    elif len(note) > NOTE_MAX:
        errors["note"] = [too_long(note, NOTE_MAX)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agreement, locked = _relock(tranche)
        require(agreement_permissions.can_request_payment(user, locked))
        evidence = next((r for r in evidence_reports(agreement) if str(r.seq) == str(report)), None)
        if evidence is None:
            raise ValidationError(
                {
                    "report": [
                        _(
                            "Choose an accepted progress report of this agreement that "
                            "evidences no other request."
                        )
                    ]
                }
            )
        now = timezone.now()
        request = PaymentRequest.objects.create(
            tranche=locked,
            number=len(locked.payment_requests.all()) + 1,
            report=evidence,
            note=note,
            requested_by=user,
            requested_at=now,
        )
        audit_record(
            obj=request,
            actor=user,
            action="request_payment",
            to_status=PRS.PENDING,
            data={
                "agreement": agreement.pk,
                "seq": locked.seq,
                "amount": str(locked.amount),
                "report": evidence.seq,
            },
        )
        notify(
            "payment_requested",
            officers(agreement.agency_id),
            request,
            context=agreement_context(
                agreement,
                cso=agreement.cso.name_th,
                seq=locked.seq,
                amount=f"{locked.amount:,.2f}",
                report=evidence.seq,
            ),
            url=url_for("tranche-request", agreement.pk, locked.seq),
        )
    return request


def payment_request_return(*, payment_request: PaymentRequest, officer, reason: str):
    """The officer returns a waiting request, saying why; the organisation may ask again
    (the report it cited may evidence the next request)."""
    tranche = payment_request.tranche
    require(agreement_permissions.can_manage_agreement(officer, tranche.agreement))
    reason = reason_required(reason)
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": [too_long(reason, NOTE_MAX)]})
    with transaction.atomic():
        agreement, locked = _relock(tranche)

        def apply(obj):
            obj.answered_by, obj.answered_at, obj.return_reason = officer, timezone.now(), reason
            return ["answered_by", "answered_at", "return_reason"]

        returned = run_transition(
            instance=payment_request,
            target=PRS.RETURNED,
            actor=officer,
            action="return_payment_request",
            permission=agreement_permissions.can_return_payment_request,
            reason=reason,
            apply=apply,
            data={"agreement": agreement.pk, "seq": locked.seq},
        )
        notify(
            "payment_request_returned",
            members(agreement.cso_id),
            returned,
            context=agreement_context(agreement, seq=locked.seq, reason=reason),
            url=url_for("tranche-request", agreement.pk, locked.seq),
        )
    return returned
