"""Who may do what with agreements, and when. Each function returns ``(allowed, reason)``;
the services (through ``portal.workflow.require``, on the locked row), the API, the pages and
the tests all ask these. A ``can_<action>`` asks the role first, then the status and dates
read from contracts.agreements.rules and contracts.instruments; a refusal for the status or
the date is a ``NotNow`` reason, raised as ``InvalidTransition``."""

from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import deadlines, rules
from contracts.agreements.models import Agreement, Tranche
from contracts.calls.permissions import is_call_officer
from contracts.instruments import rules_for
from portal.dates import format_be
from portal.roles import Role, has_role, has_scope, is_cso_signatory
from portal.workflow import AlreadyDone, NotNow, transition_refusal

AS = Agreement.Status


class Missing(NotNow):
    """A ``NotNow`` refusal for what is still missing, each item named: ``require`` raises it
    as ``InvalidTransition`` (409) saying them all; a page lists ``problems`` one by one."""

    def __new__(cls, problems):
        reason = super().__new__(cls, " ".join(str(p) for p in problems))
        reason.problems = [str(p) for p in problems]
        return reason


def is_agreement_officer(user, agreement) -> bool:
    return has_role(user, Role.AGENCY_OFFICER) and user.agency_id == agreement.agency_id


def is_agreement_member(user, agreement) -> bool:
    return (
        has_role(user, Role.CSO_MEMBER)
        and user.cso_id is not None
        and user.cso_id == agreement.cso_id
    )


def can_award(user, proposal):
    if not is_call_officer(user, proposal.call):
        return False, _("Only an officer of the agency that ran the call can award it.")
    return True, ""


def can_manage_agreement(user, agreement):
    """Release tranches, accept reports, complete, terminate, give notice, settle."""
    if not is_agreement_officer(user, agreement):
        return False, _("Only an officer of the agency can do this.")
    return True, ""


def can_act_for_cso(user, agreement):
    """Sign or decline the offer, send reports, state the settlement."""
    if not is_agreement_member(user, agreement):
        return False, _("Only the organisation's members can do this.")
    return True, ""


def can_edit_service_design(user, agreement):
    """Commissioning: agency and CSO co-design the service model before delivery starts."""
    if not (is_agreement_officer(user, agreement) or is_agreement_member(user, agreement)):
        return False, _("Only the agency's officers and the organisation's members co-design it.")
    return True, ""


def can_record_payment(user, agreement=None):

    if not has_scope(user, "payments"):
        return False, _(
            "Only the finance system (an API client with the payments scope) records payments."
        )
    return True, ""


def can_view_payee_account(user, agreement):
    """Read in full the account a released tranche is paid into: the agency's officers, the
    organisation's members, staff and the finance system (the ``payments`` scope). Others
    who see the agreement (its evaluators, a client that only reads) see the last 4 digits."""
    if is_agreement_officer(user, agreement) or is_agreement_member(user, agreement):
        return True, ""
    if has_role(user, Role.STAFF_ADMIN) or has_scope(user, "payments"):
        return True, ""
    return False, _("Only the parties, staff and the finance system read the account in full.")


def can_view_agreement(user, agreement):
    if is_agreement_officer(user, agreement) or is_agreement_member(user, agreement):
        return True, ""
    if has_role(user, Role.STAFF_ADMIN) or has_role(user, Role.API_CLIENT):
        return True, ""
    if has_role(user, Role.EVALUATOR) and agreement.evaluations.filter(evaluators=user).exists():
        return True, ""
    return False, _("You cannot see this agreement.")


# --- one function per action: who, and when ----------------------------------------------------


def _moves_to(agreement, target):
    return transition_refusal(
        Agreement.TRANSITIONS, agreement.status, target, label=agreement.get_status_display()
    )


def _refused(*checks):
    """The first refusal among ``(allowed, reason)`` pairs or reasons (``None`` passes)."""
    for check in checks:
        if isinstance(check, tuple):
            if not check[0]:
                return False, check[1]
        elif check is not None:
            return False, check
    return True, ""


def can_sign_for_cso(user, agreement):
    """Only the organisation's signatory (not any member) signs its agreements."""
    allowed, why = can_act_for_cso(user, agreement)
    if not allowed:
        return False, why
    if not is_cso_signatory(user, agreement.cso_id):
        return False, _("Only the organisation's signatory signs agreements.")
    return True, ""


def can_vary(user, agreement):
    """Either side of the agreement proposes and answers variations: the agency's officers,
    and for the organisation only its signatory."""
    if can_manage_agreement(user, agreement)[0]:
        return True, ""
    return can_sign_for_cso(user, agreement)


def can_sign(user, agreement, *, today=None):
    """The organisation's signatory signs the offer while it is offered."""
    return _refused(can_sign_for_cso(user, agreement), _moves_to(agreement, AS.ACTIVE))


def can_decline(user, agreement, *, today=None):
    return _refused(can_act_for_cso(user, agreement), _moves_to(agreement, AS.DECLINED))


def can_state_settlement(user, agreement, *, today=None):
    """The organisation states what it spent, once, after the end date of a running or
    completed agreement."""
    allowed, why = can_act_for_cso(user, agreement)
    if not allowed:
        return False, why
    today = today or timezone.localdate()
    if agreement.status not in {AS.ACTIVE, AS.COMPLETED}:
        return False, NotNow(
            _("A settlement is stated for a running or completed agreement (it is “%(s)s”).")
            % {"s": agreement.get_status_display()}
        )
    if today <= agreement.end_date:
        return False, NotNow(
            _("The settlement is stated after the end date (%(date)s).")
            % {"date": format_be(agreement.end_date)}
        )
    if rules.has_settlement(agreement):
        return False, AlreadyDone(_("The settlement has already been stated."))
    return True, ""


def can_start_delivery(user, agreement, *, today=None):
    """An instrument that co-designs its service (commissioning) starts delivery once, after
    signing."""
    allowed, why = can_manage_agreement(user, agreement)
    if not allowed:
        return False, why
    if not rules_for(agreement.kind).co_design:
        return False, NotNow(_("Only a commissioning partnership starts delivery this way."))
    if agreement.status != AS.ACTIVE or agreement.delivery_started_at:
        return False, NotNow(_("Delivery starts once, after the agreement is signed."))
    return True, ""


def can_complete(user, agreement, *, today=None):
    """The officer records delivery as complete while the agreement runs, once it has started
    and no progress report due before today is missing (rules.complete_problems, each named)."""
    allowed, why = _refused(
        can_manage_agreement(user, agreement), _moves_to(agreement, AS.COMPLETED)
    )
    if not allowed:
        return False, why
    problems = rules.complete_problems(agreement, today=today)
    if problems:
        return False, Missing(problems)
    return True, ""


def can_give_end_notice(user, agreement, *, today=None):
    """Notice is given on a running agreement whose end date is at least 3 months away, so
    that an end date after the notice period exists."""
    allowed, why = can_manage_agreement(user, agreement)
    if not allowed:
        return False, why
    if agreement.status != AS.ACTIVE:
        return False, NotNow(
            _("Notice is given on a running agreement (it is “%(s)s”).")
            % {"s": agreement.get_status_display()}
        )
    today = today or timezone.localdate()
    if deadlines.earliest_end_after_notice(today) > agreement.end_date:
        return False, NotNow(
            _("The notice cannot end the agreement after its end date (%(date)s).")
            % {"date": format_be(agreement.end_date)}
        )
    return True, ""


def can_renew(user, agreement, *, today=None):
    """A renewable instrument (commissioning) is extended while it runs."""
    allowed, why = can_manage_agreement(user, agreement)
    if not allowed:
        return False, why
    if not rules_for(agreement.kind).renewable:
        return False, NotNow(_("Only a commissioning partnership is renewed."))
    if agreement.status != AS.ACTIVE:
        return False, NotNow(_("Only a running partnership is renewed."))
    return True, ""


def can_settle(user, agreement, *, today=None):
    """The officer settles a completed agreement once nothing is missing: the settlement
    stated, the reports due accepted, the evaluations the instrument needs recorded and every
    released tranche paid (rules.settle_problems, each named)."""
    allowed, why = _refused(can_manage_agreement(user, agreement), _moves_to(agreement, AS.SETTLED))
    if not allowed:
        return False, why
    problems = rules.settle_problems(agreement, today=today)
    if problems:
        return False, Missing(problems)
    return True, ""


def can_terminate(user, agreement, *, today=None):
    """An offered or running agreement is terminated by the agency's officer."""
    return _refused(can_manage_agreement(user, agreement), _moves_to(agreement, AS.TERMINATED))


def can_edit_design(user, agreement, *, today=None):
    """Agency and organisation co-design the service of an instrument that co-designs
    (commissioning) until delivery starts."""
    allowed, why = can_edit_service_design(user, agreement)
    if not allowed:
        return False, why
    if not rules_for(agreement.kind).co_design:
        return False, NotNow(_("Only a commissioning partnership has a shared service design."))
    if agreement.status not in {AS.OFFERED, AS.ACTIVE} or agreement.delivery_started_at:
        return False, NotNow(_("The service design is fixed once delivery has started."))
    return True, ""


def can_release_tranche(user, tranche, *, today=None):
    """An officer of the agreement's agency releases a scheduled tranche once its
    instrument's conditions hold (rules.release_problems: signed, earlier tranches first, on
    completion with the evaluation it needs, or on its planned date)."""
    agreement = tranche.agreement
    allowed, why = can_manage_agreement(user, agreement)
    if not allowed:
        return False, why
    refusal = transition_refusal(
        Tranche.TRANSITIONS,
        tranche.status,
        Tranche.Status.RELEASED,
        label=tranche.get_status_display(),
    )
    if refusal is not None:
        return False, refusal
    problems = rules.release_problems(tranche, agreement, today=today)
    if problems:
        return False, NotNow(" ".join(problems))
    return True, ""


def can_request_payment(user, tranche):
    """The organisation's members ask for a tranche paid on request once its conditions hold
    (rules.payment_request_problems: running, earlier tranches released, none waiting, an
    accepted report left to evidence it)."""
    agreement = tranche.agreement
    allowed, why = can_act_for_cso(user, agreement)
    if not allowed:
        return False, why
    problems = rules.payment_request_problems(tranche, agreement)
    if problems:
        return False, Missing(problems)
    return True, ""


def can_return_payment_request(user, payment_request):
    """The agency's officers return a waiting payment request with a reason."""
    allowed, why = can_manage_agreement(user, payment_request.tranche.agreement)
    if not allowed:
        return False, why
    refusal = transition_refusal(
        payment_request.TRANSITIONS,
        payment_request.status,
        payment_request.Status.RETURNED,
        label=payment_request.get_status_display(),
    )
    return (False, refusal) if refusal is not None else (True, "")


def can_view_report_evidence(user, report):
    """A report's photos and documents: the organisation's members while they choose them;
    everyone who may see the agreement once the report has been sent."""
    if report.submitted_at is not None or is_agreement_member(user, report.agreement):
        return True, ""
    return False, _("The organisation has not sent this report yet.")
