"""The National Committee's decisions on a registration: approve, request changes,
reject, suspend, reinstate. Views and API views call these; none changes a status itself."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csos.registration.models import CSO
from portal.dates import reference_number
from portal.models import ActivityField
from portal.notices.services import notify, url_for
from portal.validation import known_codes
from portal.workflow import reason_required, require, run_transition

from . import permissions
from .rules import DECISION_SOURCES

S = CSO.Status


NEXT_STEP = {
    "approve": gettext_lazy("You can now download the registration certificate."),
    "reinstate": gettext_lazy("You can now download the registration certificate."),
    "request_changes": gettext_lazy("Please make the changes and submit the registration again."),
}


def _tell_members(cso: CSO, action: str) -> None:
    """Notify the CSO's members (in-app and email, each in their language) inside the
    decision's transaction: the notice exists if and only if the decision was committed."""

    reason = cso.decision_reason or cso.scope_note if action == "approve" else cso.decision_reason
    notify(
        "registration_decided",
        cso.members.filter(is_active=True),
        cso,
        extra=f"{action}:{timezone.now().isoformat()}",
        context={
            "cso": cso.name_th,
            "status": CSO.Status(cso.status).label,
            "reason": reason or "",
            "next": NEXT_STEP.get(action, ""),
        },
        url=url_for("registration"),
    )


def cso_approve(*, cso: CSO, reviewer, certified_fields, scope_note: str = "") -> CSO:
    require(permissions.can_review(reviewer, cso))  # before the answers: see _decide
    try:
        codes = known_codes(ActivityField, certified_fields)
    except ValidationError as exc:
        raise ValidationError({"certified_fields": exc.messages}) from exc
    if not codes:
        raise ValidationError(
            {"certified_fields": [_("Certify at least one field of competence.")]}
        )

    def apply(obj):
        now = timezone.now()
        obj.approved_at = now
        obj.scope_note = scope_note or ""
        obj.decision_reason = ""
        # The certificate's signature block: the approving reviewer's full name and
        # position as they are today (never a username).
        obj.approved_by_name = reviewer.get_full_name()[:255]
        obj.approved_by_position = reviewer.position
        if not obj.certificate_number:
            obj.certificate_number = reference_number("NCCS-", obj.pk, now)
        obj.certified_fields.set(codes)
        _tell_members(obj, "approve")
        return [
            "approved_at",
            "scope_note",
            "decision_reason",
            "certificate_number",
            "approved_by_name",
            "approved_by_position",
        ]

    return run_transition(
        instance=cso,
        target=S.APPROVED,
        actor=reviewer,
        action="approve",
        permission=permissions.can_review,
        sources=DECISION_SOURCES["approve"],
        apply=apply,
        reason=scope_note,
        data={"certified_fields": codes},
    )


def _decide(*, cso, reviewer, reason, target, action):
    # Someone who may not decide is told so, not that the reason is missing; the locked
    # row is checked again in run_transition.
    require(permissions.can_review(reviewer, cso))
    reason = reason_required(reason)

    def apply(obj):
        obj.decision_reason = reason
        _tell_members(obj, action)
        return ["decision_reason"]

    return run_transition(
        instance=cso,
        target=target,
        actor=reviewer,
        action=action,
        permission=permissions.can_review,
        sources=DECISION_SOURCES[action],
        apply=apply,
        reason=reason,
    )


def cso_request_changes(*, cso: CSO, reviewer, reason: str) -> CSO:
    return _decide(
        cso=cso,
        reviewer=reviewer,
        reason=reason,
        target=S.CHANGES_REQUESTED,
        action="request_changes",
    )


def cso_reject(*, cso: CSO, reviewer, reason: str) -> CSO:
    return _decide(cso=cso, reviewer=reviewer, reason=reason, target=S.REJECTED, action="reject")


def cso_suspend(*, cso: CSO, reviewer, reason: str) -> CSO:
    return _decide(cso=cso, reviewer=reviewer, reason=reason, target=S.SUSPENDED, action="suspend")


def cso_reinstate(*, cso: CSO, reviewer, reason: str = "") -> CSO:
    def apply(obj):
        obj.decision_reason = ""
        _tell_members(obj, "reinstate")
        return ["decision_reason"]

    return run_transition(
        instance=cso,
        target=S.APPROVED,
        actor=reviewer,
        action="reinstate",
        permission=permissions.can_review,
        sources=DECISION_SOURCES["reinstate"],
        apply=apply,
        reason=reason,
    )
