"""Reads of agreements, with everything their page, their timeline and the API read fetched up
front; evaluations are reached through the ``evaluations`` relation."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.http import Http404

from contracts.agreements.models import Agreement, PaymentRequest, Tranche
from contracts.proposals.models import ProposalStatus
from portal.roles import Role, has_role

AS = Agreement.Status
TS = Tranche.Status


def agreement_base_queryset():
    """An agreement with everything its page, its timeline and the API read."""

    evaluations = Agreement.evaluations.rel.related_model.objects  # assessments' Evaluation
    return Agreement.objects.select_related(
        "agency",
        "cso",
        "cso__bank_account__bank",
        "proposal",
        "proposal__call",
        "settlement",
        "signed_by",
    ).prefetch_related(
        "tranches",
        Prefetch(
            "tranches__payment_requests",
            queryset=PaymentRequest.objects.select_related("report"),
        ),
        "reports",
        "variations",
        Prefetch(
            "evaluations",
            queryset=evaluations.prefetch_related("evaluators").order_by("due_on", "id"),
        ),
    )


def agreement_visibility(user, path: str = "") -> Q:
    """Who sees which agreements, as a condition on the agreement reached through ``path``
    from the rows asked for ("" for agreements themselves): officers see their agency's,
    members their CSO's, evaluators those they evaluate, staff and API clients all (an empty
    condition). Asked on the rows' own join, not as a list of pks: PostgreSQL then starts
    from the agency's or the CSO's index instead of reading every agreement in the country
    to match the pks (each of the officer's home-page queues: 6 ms to under 1)."""
    prefix = f"{path}__" if path else ""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    if has_role(user, Role.STAFF_ADMIN) or has_role(user, Role.API_CLIENT):
        return Q()
    visible = Q(pk__in=[])
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id:
        visible |= Q(**{f"{prefix}agency_id": user.agency_id})
    if has_role(user, Role.CSO_MEMBER) and user.cso_id:
        visible |= Q(**{f"{prefix}cso_id": user.cso_id})
    if has_role(user, Role.EVALUATOR):
        evaluations = Agreement.evaluations.rel.related_model.objects
        evaluated = evaluations.filter(evaluators=user).values("agreement_id")
        visible |= Q(**{f"{prefix}pk__in": evaluated})  # a subquery: each row once
    return visible


def agreements_visible_to(user):
    """The agreements ``user`` may see (``agreement_visibility``)."""
    return agreement_base_queryset().filter(agreement_visibility(user))


def of_agency_agreements(user, path: str = "agreement") -> Q:
    """Rows on the agreements of the officer's own agency that the officer may see (``path``
    as for ``agreement_visibility``)."""
    prefix = f"{path}__" if path else ""
    return agreement_visibility(user, path) & Q(**{f"{prefix}agency_id": user.agency_id})


def agreement_get_for_user(user, pk):

    try:
        return agreements_visible_to(user).get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class CallBudget:
    """A call's total budget and what its agreements and selections take of it."""

    total: Decimal
    awarded: Decimal  # agreements offered or running; a terminated one counts what it was paid
    selected: Decimal  # proposals selected and not yet awarded, at the amount they ask

    @property
    def left(self) -> Decimal:
        """What another award may still take."""
        return self.total - self.awarded

    @property
    def left_after_selected(self) -> Decimal:
        """What is left once the proposals already selected are awarded as they ask."""
        return self.left - self.selected


def call_budget(call) -> CallBudget:
    """Three aggregate queries whatever the number of agreements. Declined offers take
    nothing; a terminated agreement takes what was released or paid before it ended."""
    agreements = Agreement.objects.filter(proposal__call_id=call.pk)
    running = agreements.exclude(status__in=[AS.DECLINED, AS.TERMINATED]).aggregate(
        total=Sum("amount")
    )["total"]
    spent_before_end = Tranche.objects.filter(
        agreement__in=agreements.filter(status=AS.TERMINATED),
        status__in=[TS.RELEASED, TS.PAID],
    ).aggregate(total=Sum("amount"))["total"]
    selected = call.proposals.filter(
        status=ProposalStatus.SELECTED, agreement__isnull=True
    ).aggregate(total=Sum("requested_amount"))["total"]
    zero = Decimal("0.00")
    return CallBudget(
        total=call.budget_total,
        awarded=(running or zero) + (spent_before_end or zero),
        selected=selected or zero,
    )


def reports_visible_to(user, *, status=""):
    """The progress reports of the agreements ``user`` may see, the earliest due first."""
    from contracts.agreements.models import ProgressReport

    qs = ProgressReport.objects.filter(agreement_visibility(user, "agreement")).select_related(
        "agreement", "agreement__agency", "agreement__cso"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "pk")


# --- other funding of the same organisation, asked before an award -------------------------

RECENT_DAYS = 365  # an agreement that ended within a year still counts as recent


@dataclass(frozen=True)
class OtherFunding:
    """One of the organisation's other agreements and what it shares with the award being
    made: days of the period, provinces (``nationwide`` when either covers the whole
    country), target groups and the field of work."""

    agreement: Agreement
    overlap_days: int
    provinces: tuple[str, ...]
    nationwide: bool
    target_groups: tuple[str, ...]
    same_field: bool

    @property
    def overlaps(self) -> bool:
        return self.overlap_days > 0 and bool(
            self.provinces or self.nationwide or self.target_groups or self.same_field
        )


def other_funding(proposal, start, end, today) -> list[OtherFunding]:
    """The organisation's other agreements, from every agency, still running or ended
    within the last year (declined offers aside), each with what it shares with an award
    of ``proposal`` for ``start``–``end``; those that overlap first, then by end date.
    Three queries, however many agreements."""
    mission = proposal.call.mission
    mine = {p.code: p for p in mission.provinces.all()}
    groups = {g.casefold(): g for g in mission.target_groups or []}
    rows = (
        Agreement.objects.filter(
            cso_id=proposal.cso_id, end_date__gte=today - datetime.timedelta(days=RECENT_DAYS)
        )
        .exclude(proposal_id=proposal.pk)
        .exclude(status=AS.DECLINED)
        .select_related("agency", "proposal__call__mission")
        .prefetch_related("proposal__call__mission__provinces")
        .order_by("-end_date", "-id")
    )
    found = []
    for agreement in rows:
        theirs = agreement.proposal.call.mission
        their_provinces = {p.code: p for p in theirs.provinces.all()}
        days = 0
        if start and end:
            days = max(
                (min(end, agreement.end_date) - max(start, agreement.start_date)).days + 1, 0
            )
        found.append(
            OtherFunding(
                agreement=agreement,
                overlap_days=days,
                provinces=tuple(str(mine[c]) for c in sorted(mine.keys() & their_provinces.keys())),
                nationwide=not mine or not their_provinces,
                target_groups=tuple(
                    groups[g]
                    for g in groups
                    if g in {t.casefold() for t in theirs.target_groups or []}
                ),
                same_field=theirs.activity_field_id == mission.activity_field_id,
            )
        )
    return sorted(found, key=lambda row: not row.overlaps)


# --- the budget and what was spent against it ----------------------------------------------


@dataclass(frozen=True)
class BudgetRow:
    line: object  # the proposal's BudgetLine
    budget: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def percent_spent(self) -> int:
        """For the bar: 0 to 100 (more shows full)."""
        if self.budget <= 0:
            return 100 if self.spent else 0
        return min(int(self.spent * 100 / self.budget), 100)


def budget_of(agreement) -> list[BudgetRow]:
    """Each line of the agreement's budget with what was spent on it (expenses not
    rejected): two queries however many expenses."""
    from contracts.agreements.models import Expense

    spent = dict(
        Expense.objects.filter(agreement=agreement)
        .exclude(check_status=Expense.Check.REJECTED)
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values_list("budget_line", "total")
    )
    zero = Decimal("0.00")
    return [
        BudgetRow(line=line, budget=line_budget(agreement, line), spent=spent.get(line.pk) or zero)
        for line in agreement.proposal.budget_lines.all()
    ]


def line_budget(agreement, line) -> Decimal:
    """A budget line's amount under the agreement: as an agreed variation set it, else the
    proposal's."""
    varied = (agreement.line_budgets or {}).get(str(line.pk))
    return Decimal(varied) if varied is not None else line.amount


def expense_bytes(cso_id: int) -> int:
    """How many bytes of receipts organisation ``cso_id`` keeps on its agreements."""
    from contracts.agreements.models import Expense

    return (
        Expense.objects.filter(agreement__cso_id=cso_id).aggregate(total=Sum("size"))["total"] or 0
    )


def evidence_bytes(cso_id: int) -> int:
    """How many bytes of progress reports' photos and documents organisation ``cso_id``
    keeps."""
    from contracts.agreements.models import ReportEvidence

    return (
        ReportEvidence.objects.filter(report__agreement__cso_id=cso_id).aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )
