"""Writes for participatory budgeting. The round's row is locked before its projects and
ballots; each stage change, feasibility decision and the result are audited. Ballots are
not audited one by one (who voted for what is nobody's business): the ballots themselves
are the record, and the count is re-computed from them in the database."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.audit import audit_record
from portal.rates import spend
from portal.validation import money, text_field
from portal.workflow import Conflict, require, transition_refusal

from . import notices, permissions, rules
from .models import Ballot, BudgetProject, BudgetRound

RS = BudgetRound.Status
PS = BudgetProject.Status
TRANSITIONS = {RS.PROPOSING: {RS.REVIEWING}, RS.REVIEWING: {RS.VOTING}, RS.VOTING: {RS.CLOSED}}
LARGEST_ENVELOPE = Decimal("999999999999.99")


def _money(errors, data, field, *, largest=LARGEST_ENVELOPE) -> Decimal | None:
    """``data[field]`` read by portal.validation.money (baht, above zero, to the satang), and
    no more than ``largest`` (the envelope); what is wrong goes into ``errors[field]``."""
    try:
        value = money(data.get(field), field=field)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return None
    if value > largest:
        errors[field] = [_("Give an amount above zero and within the envelope.")]
        return None
    return value


def _locked(round_id) -> BudgetRound:
    return BudgetRound.objects.select_for_update().get(pk=round_id)


@transaction.atomic
def round_create(*, officer, data: dict) -> BudgetRound:
    require(permissions.can_manage(officer, officer.agency_id))
    errors = {}
    fields = {
        "title": text_field(errors, data, "title", limit=255),
        "description": text_field(errors, data, "description", limit=10000),
        "envelope": _money(errors, data, "envelope"),
    }
    tie_break = data.get("tie_break") or BudgetRound.TieBreak.LOWER_COST
    if tie_break not in BudgetRound.TieBreak.values:
        errors["tie_break"] = [_("Choose how ties are broken.")]
    provinces = list(data.get("provinces") or [])
    if not provinces:
        errors["provinces"] = [_("Choose the province or provinces whose residents take part.")]
    network = data.get("network")
    if network is not None and network.province_id not in {p.pk for p in provinces}:
        errors["network"] = [_("Choose the network of one of the round's provinces.")]
    if errors:
        raise ValidationError(errors)
    budget_round = BudgetRound.objects.create(
        owner_agency_id=officer.agency_id, created_by=officer, tie_break=tie_break,
        network=network, **fields,
    )  # fmt: skip
    budget_round.provinces.set(provinces)
    audit_record(obj=budget_round, actor=officer, action="create", to_status=budget_round.status)
    return budget_round


def _move(budget_round, *, officer, target, action, permission, check=None) -> BudgetRound:
    with transaction.atomic():
        locked = _locked(budget_round.pk)
        require(permission(officer, locked))
        refusal = transition_refusal(
            TRANSITIONS, locked.status, target, label=locked.get_status_display()
        )
        require((refusal is None, refusal))
        if check:
            check(locked)
        before, locked.status = locked.status, target
        locked.save(update_fields=["status"])
        audit_record(obj=locked, actor=officer, action=action, from_status=before, to_status=target)
    return locked


def round_start_review(*, officer, budget_round) -> BudgetRound:
    def some_ideas(locked):
        if not locked.projects.exists():
            raise ValidationError(_("No project has been proposed yet."))

    return _move(
        budget_round, officer=officer, target=RS.REVIEWING, action="budget_start_review",
        permission=permissions.can_start_review, check=some_ideas,
    )  # fmt: skip


def round_start_voting(*, officer, budget_round) -> BudgetRound:
    def all_checked(locked):
        waiting = locked.projects.filter(status=PS.PROPOSED).count()
        if waiting:
            raise ValidationError(
                ngettext(
                    "%(n)s project still waits for a feasibility decision.",
                    "%(n)s projects still wait for a feasibility decision.",
                    waiting,
                )
                % {"n": waiting}
            )
        if not locked.projects.filter(status=PS.FEASIBLE).exists():
            raise ValidationError(_("No project is feasible: there is nothing to vote on."))

    return _move(
        budget_round, officer=officer, target=RS.VOTING, action="budget_start_voting",
        permission=permissions.can_start_voting, check=all_checked,
    )  # fmt: skip


def project_propose(*, person, budget_round, data: dict) -> BudgetProject:
    errors = {}
    fields = {
        "title": text_field(errors, data, "title", limit=255),
        "description": text_field(errors, data, "description", limit=5000),
        "place": text_field(errors, data, "place", limit=255, required=False),
    }
    with transaction.atomic():
        locked = _locked(budget_round.pk)
        require(permissions.can_propose(person, locked))
        fields["cost"] = _money(errors, data, "cost", largest=locked.envelope)
        if errors:
            raise ValidationError(errors)
        spend(what="budget-project", who=person, rate=settings.PARTICIPATION_CONTRIBUTION_RATE)
        project = BudgetProject.objects.create(round=locked, proposer=person, **fields)
        audit_record(obj=project, actor=person, action="create", to_status=project.status)
    return project


def project_review(*, officer, project, feasible: bool, reason: str = "") -> BudgetProject:
    """Feasible (on the ballot) or not, with the reason residents will read."""
    with transaction.atomic():
        locked = _locked(project.round_id)
        require(permissions.can_review(officer, locked))
        project = BudgetProject.objects.select_for_update().get(pk=project.pk, round=locked)
        errors = {}
        reason = text_field(
            errors, {"reason": reason}, "reason", limit=2000, required=not feasible,
            missing=_("Say why it is not feasible: the resident who proposed it will read it."),
        )  # fmt: skip
        if errors:
            raise ValidationError(errors)
        before = project.status
        project.status = PS.FEASIBLE if feasible else PS.INFEASIBLE
        project.reason = "" if feasible else reason
        project.save(update_fields=["status", "reason"])
        audit_record(
            obj=project, actor=officer, action="budget_feasibility", from_status=before,
            to_status=project.status, reason=project.reason,
        )  # fmt: skip
        notices.tell_proposer(project)
    return project


def ballot_cast(*, voter, budget_round, project_ids) -> Ballot:
    """Approve any feasible projects of the round whose total cost fits the envelope; a
    second ballot replaces the first until the round closes."""
    try:
        ids = {int(i) for i in project_ids or []}
    except (TypeError, ValueError):
        raise ValidationError({"projects": [_("Choose among the round's projects.")]}) from None
    try:
        with transaction.atomic():
            locked = _locked(budget_round.pk)
            require(permissions.can_vote(voter, locked))
            chosen = list(locked.projects.filter(pk__in=ids, status=PS.FEASIBLE))
            if not ids:
                raise ValidationError({"projects": [_("Choose at least one project.")]})
            if len(chosen) != len(ids):
                raise ValidationError({"projects": [_("Choose among the projects on the ballot.")]})
            total = sum((p.cost for p in chosen), Decimal("0"))
            if total > locked.envelope:
                raise ValidationError(
                    {
                        "projects": [
                            _(
                                "Your choice costs %(total)s baht, more than the envelope of "
                                "%(envelope)s baht. Leave out a project and vote again."
                            )
                            % {"total": f"{total:,.2f}", "envelope": f"{locked.envelope:,.2f}"}
                        ]
                    }
                )
            ballot, created = Ballot.objects.get_or_create(round=locked, voter=voter)
            ballot.projects.set(chosen)
            if created:
                locked.ballot_count = locked.ballots.count()
                locked.save(update_fields=["ballot_count"])
            else:
                ballot.save(update_fields=["changed_at"])
            return ballot
    except IntegrityError as exc:  # two first ballots raced past the lock: one stands
        raise Conflict(_("Your ballot was being saved twice; check it and vote again.")) from exc


def counted(budget_round) -> list[rules.Counted]:
    """Each feasible project's approvals, counted in the database from the ballots."""
    rows = (
        budget_round.projects.filter(status__in=[PS.FEASIBLE, PS.SELECTED, PS.NOT_SELECTED])
        .annotate(n=Count("ballots"))
        .order_by("created_at", "pk")
        .values_list("pk", "cost", "n")
    )
    return [rules.Counted(pk, cost, n, i) for i, (pk, cost, n) in enumerate(rows)]


def round_close(*, officer, budget_round) -> BudgetRound:
    """Close the vote, count it and publish the result (each project's votes, rank and
    whether it is selected), audited with the totals."""
    with transaction.atomic():
        locked = _move(
            budget_round, officer=officer, target=RS.CLOSED, action="close",
            permission=permissions.can_close,
        )  # fmt: skip
        tally = counted(locked)
        outcomes = rules.select_within_envelope(tally, locked.envelope, locked.tie_break)
        votes = {c.pk: c.votes for c in tally}
        projects = {p.pk: p for p in locked.projects.filter(pk__in=votes)}
        for outcome in outcomes:
            project = projects[outcome.pk]
            project.votes, project.rank = votes[outcome.pk], outcome.rank
            project.status = PS.SELECTED if outcome.selected else PS.NOT_SELECTED
            if outcome.selected:
                project.delivery = BudgetProject.Delivery.PLANNED
        BudgetProject.objects.bulk_update(
            projects.values(), ["votes", "rank", "status", "delivery"]
        )
        locked.closed_at = timezone.now()
        locked.ballot_count = locked.ballots.count()
        locked.save(update_fields=["closed_at", "ballot_count"])
        selected = [o for o in outcomes if o.selected]
        audit_record(
            obj=locked, actor=officer, action="budget_results",
            data={
                "ballots": locked.ballot_count,
                "selected": [o.pk for o in selected],
                "total": str(selected[-1].running_total if selected else Decimal("0")),
            },
        )  # fmt: skip
        notices.tell_voters(locked)
    return locked


def project_follow_up(*, officer, project, mission=None, delivery: str, note: str):
    """A selected project's delivery, told publicly: the mission that delivers it (one of
    the agency's) and how far it has got."""
    with transaction.atomic():
        locked = _locked(project.round_id)
        require(permissions.can_follow_up(officer, locked))
        project = BudgetProject.objects.select_for_update().get(pk=project.pk, round=locked)
        errors = {}
        if project.status != PS.SELECTED:
            errors["delivery"] = [_("Only a selected project is delivered.")]
        if delivery not in BudgetProject.Delivery.values:
            errors["delivery"] = [_("Choose how far the project has got.")]
        if mission is not None and mission.agency_id != locked.owner_agency_id:
            errors["mission"] = [_("Choose one of your agency's missions.")]
        note = text_field(errors, {"note": note}, "note", limit=5000, required=False)
        if errors:
            raise ValidationError(errors)
        before = project.delivery
        project.mission, project.delivery, project.delivery_note = mission, delivery, note
        project.save(update_fields=["mission", "delivery", "delivery_note"])
        audit_record(
            obj=project, actor=officer, action="budget_delivery", from_status=before,
            to_status=delivery, reason=note,
        )  # fmt: skip
    return project


def total_of(projects) -> Decimal:
    return projects.aggregate(total=Sum("cost"))["total"] or Decimal("0")
