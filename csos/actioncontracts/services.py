"""Writes for public action contracts: draw one up from an issue whose goals are agreed, add
or remove parties while no one has signed, each party signs (or the manager records a paper
signature), parties report progress until every commitment is met, and the manager records
the plan year and project code under which it went into the provincial development plan.
The contract's row is locked before its parties; every step is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.validation import text_field
from portal.workflow import require

from ..localissues.models import LocalIssue
from ..networks.models import NetworkMember
from . import permissions
from .models import ActionContract, ContractParty, ProgressUpdate

ST = ActionContract.Status


def _locked(contract) -> ActionContract:
    return (
        ActionContract.objects.select_for_update()
        .select_related("issue__network")
        .get(pk=contract.pk)
    )


def contract_draw_up(*, manager, issue, title: str) -> ActionContract:
    errors = {}
    title = text_field(errors, {"title": title}, "title", limit=255)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        issue = LocalIssue.objects.select_for_update().select_related("network").get(pk=issue.pk)
        require(permissions.can_draw_up(manager, issue.network))
        if issue.status != LocalIssue.Status.PLANNED:
            raise ValidationError(_("Agree the issue's goals and approach first."))
        contract = ActionContract.objects.create(issue=issue, title=title)
        issue.status = LocalIssue.Status.CONTRACTED
        issue.save(update_fields=["status"])
        audit_record(
            obj=issue, actor=manager, action="issue_contract",
            from_status=LocalIssue.Status.PLANNED, to_status=issue.status,
        )  # fmt: skip
        audit_record(obj=contract, actor=manager, action="create", to_status=ST.DRAFT)
    return contract


def party_add(*, manager, contract, data: dict) -> ContractParty:
    """A party: a certified member of the network (its name comes with it) or one named
    here, with its commitments and the date they are due."""
    errors = {}
    commitments = text_field(errors, data, "commitments", limit=5000)
    name = text_field(errors, data, "name", limit=255, required=False)
    member = data.get("member")
    due = data.get("due_date")
    if not due:
        errors["due_date"] = [_("Give the date the commitments are due.")]
    elif due < timezone.localdate():
        errors["due_date"] = [_("The due date cannot be in the past.")]
    if member is None and not name and "name" not in errors:
        errors["name"] = [_("Choose a member of the network or give the party's name.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(contract)
        require(permissions.can_change_parties(manager, locked))
        if member is not None:
            member = NetworkMember.objects.filter(
                pk=member.pk, network=locked.issue.network, status=NetworkMember.Status.CERTIFIED
            ).first()
            if member is None:
                raise ValidationError({"member": [_("Choose a certified member of this network.")]})
            if locked.parties.filter(member=member).exists():
                raise ValidationError({"member": [_("This member is a party already.")]})
        party = ContractParty.objects.create(
            contract=locked, member=member, name=name or member.name, commitments=commitments,
            due_date=due,
        )  # fmt: skip
        audit_record(
            obj=locked, actor=manager, action="contract_party_add", data={"party": party.name}
        )
    return party


def party_remove(*, manager, party) -> None:
    with transaction.atomic():
        locked = _locked(party.contract)
        require(permissions.can_change_parties(manager, locked))
        name = party.name
        ContractParty.objects.filter(pk=party.pk, contract=locked).delete()
        audit_record(
            obj=locked, actor=manager, action="contract_party_remove", data={"party": name}
        )


def party_sign(*, actor, party, signed_name: str, confirm: bool, on_paper=False) -> ContractParty:
    """The party signs (its representative types their name and confirms); once every party
    has signed, the contract is signed."""
    errors = {}
    signed_name = text_field(
        errors, {"signed_name": signed_name}, "signed_name", limit=255,
        missing=_("Type the name of the person signing."),
    )  # fmt: skip
    if not confirm:
        errors["confirm"] = [_("Confirm that the party agrees to its commitments.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(party.contract)
        party = ContractParty.objects.select_for_update().get(pk=party.pk, contract=locked)
        party.contract = locked
        require(permissions.can_sign(actor, party, on_paper=on_paper))
        if locked.parties.count() < 2:
            raise ValidationError(_("A contract needs at least two parties before anyone signs."))
        now = timezone.now()
        party.signed_at, party.signed_name, party.signed_by = now, signed_name, actor
        party.on_paper = on_paper
        party.save(update_fields=["signed_at", "signed_name", "signed_by", "on_paper"])
        audit_record(
            obj=locked, actor=actor, action="contract_sign",
            data={"party": party.name, "on_paper": on_paper},
        )  # fmt: skip
        if not locked.parties.filter(signed_at__isnull=True).exists():
            locked.status, locked.signed_at = ST.SIGNED, now
            locked.save(update_fields=["status", "signed_at"])
            audit_record(
                obj=locked, actor=actor, action="contract_signed", from_status=ST.DRAFT,
                to_status=ST.SIGNED,
            )  # fmt: skip
    return party


def progress_report(*, actor, party, text: str, completes=False) -> ProgressUpdate:
    """A party's progress on its commitments; ``completes`` says they are met. When every
    party's are met, the contract is done."""
    errors = {}
    text = text_field(errors, {"text": text}, "text", limit=5000)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(party.contract)
        party = ContractParty.objects.select_for_update().get(pk=party.pk, contract=locked)
        party.contract = locked
        require(permissions.can_report(actor, party))
        update = ProgressUpdate.objects.create(
            contract=locked, party=party, text=text, completes=bool(completes)
        )
        now = timezone.now()
        if completes:
            party.done_at = now
            party.save(update_fields=["done_at"])
        before = locked.status
        if not locked.parties.filter(done_at__isnull=True).exists():
            locked.status, locked.done_at = ST.DONE, now
            locked.save(update_fields=["status", "done_at"])
            _close_issue(locked.issue, actor)
        elif locked.status == ST.SIGNED:
            locked.status = ST.IN_PROGRESS
            locked.save(update_fields=["status"])
        audit_record(
            obj=locked, actor=actor, action="contract_progress", from_status=before,
            to_status=locked.status, data={"party": party.name, "completes": bool(completes)},
        )  # fmt: skip
    return update


def _close_issue(issue, actor) -> None:
    """The issue is closed when its contract is done."""
    before, issue.status = issue.status, LocalIssue.Status.CLOSED
    issue.save(update_fields=["status"])
    audit_record(
        obj=issue, actor=actor, action="issue_close", from_status=before, to_status=issue.status,
        reason=_("Every party's commitments are met."),
    )  # fmt: skip


def plan_record(*, manager, contract, plan_year, project_code: str) -> ActionContract:
    """Mark the contract as fed into the provincial development plan: the plan's year
    (Buddhist Era) and the project's code in it."""
    errors = {}
    code = text_field(errors, {"project_code": project_code}, "project_code", limit=50)
    try:
        year = int(plan_year)
    except (TypeError, ValueError):
        year = None
    if year is None or not 2500 <= year <= 2700:
        errors["plan_year"] = [_("Give the plan's year in the Buddhist Era, such as 2570.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(contract)
        require(permissions.can_record_plan(manager, locked))
        locked.plan_year, locked.plan_project_code = year, code
        locked.plan_recorded_at = timezone.now()
        locked.save(update_fields=["plan_year", "plan_project_code", "plan_recorded_at"])
        audit_record(
            obj=locked, actor=manager, action="contract_plan",
            data={"plan_year": year, "project_code": code},
        )  # fmt: skip
    return locked
