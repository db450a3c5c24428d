"""The rules of proposals: who is eligible, what each part's answers must be, the budget and
its ceiling, and which parts are complete."""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from contracts.calls.models import Call
from contracts.proposals.models import BudgetLine, Proposal
from csos.models import CSO
from portal.dates import format_be
from portal.validation import CENT, MAX_AMOUNT, money, name_errors, too_long

MAX_BUDGET_LINES = 100


MAX_TARGETS = 50


# The proposal is filled in parts, each not started, in progress or completed; a concept
# note has two: what the project is and what it would cost, roughly.
PARTS = ["summary", "targets", "budget", "dates", "document", "attachments"]
CONCEPT_PARTS = ["summary", "estimate"]
ALL_PARTS = [*PARTS, "estimate"]


def parts_of(proposal: Proposal) -> list[str]:
    return CONCEPT_PARTS if proposal.is_concept else PARTS


# The part each answer belongs to: what a request for more information opens for change.
FIELD_PARTS = {
    "title": "summary",
    "summary": "summary",
    "outcomes": "summary",
    "targets": "targets",
    "budget_lines": "budget",
    "start_date": "dates",
    "end_date": "dates",
    "project_document": "document",
    "requested_amount": "estimate",
}


def editable_parts(proposal: Proposal, now=None) -> list[str]:
    """The parts the organisation may change now: all of a draft's; of a proposal it is
    answering questions about, those the agency asked about, until the reply-by time;
    none otherwise."""
    if proposal.status == Proposal.Status.DRAFT:
        return parts_of(proposal)
    request = proposal.open_information_request()
    if request is None or (now or timezone.now()) >= request.reply_by:
        return []
    return [part for part in PARTS if part in request.parts]


MIN_REPLY_DAYS, MAX_REPLY_DAYS = 1, 90


def clean_information_request(*, questions, reply_by, parts, now) -> tuple[str, object, list]:
    """The agency's questions (required), the reply-by time (at least a day ahead, within
    90 days) and the parts the organisation may change (all, when none are named)."""
    errors = {}
    questions = (questions or "").strip() if isinstance(questions, str) else ""
    if not questions:
        errors["questions"] = [_("Write the questions the organisation should answer.")]
    elif len(questions) > 5000:
        errors["questions"] = [too_long(questions, 5000)]
    if not isinstance(reply_by, datetime.datetime) or timezone.is_naive(reply_by):
        errors["reply_by"] = [_("Give the date and time.")]
    elif reply_by < now + datetime.timedelta(days=MIN_REPLY_DAYS):
        errors["reply_by"] = [_("Give the organisation at least a day to answer.")]
    elif reply_by > now + datetime.timedelta(days=MAX_REPLY_DAYS):
        errors["reply_by"] = [_("Ask for the answer within %(n)s days.") % {"n": MAX_REPLY_DAYS}]
    if parts is None or parts == []:
        parts = list(PARTS)
    elif not isinstance(parts, list | tuple) or any(p not in PARTS for p in parts):
        errors["parts"] = [_("Name the parts among: %(parts)s.") % {"parts": ", ".join(PARTS)}]
    else:
        parts = [p for p in PARTS if p in parts]
    if errors:
        raise ValidationError(errors)
    return questions, reply_by, parts


def eligibility_problems(call: Call, cso: CSO) -> list[str]:
    """Why ``cso`` may not answer ``call``; empty when it may: approved, serving one of the
    call's provinces and certified by the National Committee in one of its fields."""
    return eligibility_problems_for(
        cso,
        provinces={p.code for p in call.eligible_provinces.all()},
        fields={f.code for f in call.eligible_activity_fields.all()},
    )


def eligibility_problems_for(cso: CSO, *, provinces: set, fields: set) -> list[str]:
    """``eligibility_problems`` for a call open to the province codes ``provinces`` and the
    field codes ``fields`` (none: any), for a reader that has the codes without the call."""
    problems = []
    if cso.status != CSO.Status.APPROVED:
        problems.append(
            _(
                "The organisation is “%(status)s”; only an approved organisation can send "
                "a proposal."
            )
            % {"status": cso.get_status_display()}
        )
    if provinces and not provinces & {p.code for p in cso.service_provinces.all()}:
        problems.append(
            _("The organisation does not serve any of the provinces this call is open to.")
        )
    # The fields the National Committee certified count, not merely those declared.
    if fields and not fields & {f.code for f in cso.certified_fields.all()}:
        if fields & {f.code for f in cso.activity_fields.all()}:
            problems.append(
                _(
                    "The organisation works in a field this call asks for, but the National "
                    "Committee has not certified it in any of them."
                )
            )
        else:
            problems.append(
                _("The organisation does not work in any of the fields this call asks for.")
            )
    return problems


# --- selecting in rank order ---------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where a proposal stands in its call's ranking, as its selection is judged."""

    rank: int | None  # 1 is best; equal scores share a rank; None while unscored
    ranked_above: tuple[int, ...] = ()  # the ranks of the undecided proposals above it
    missing_reviews: int = 0  # panel members who still owe a review
    expected_reviews: int = 0  # the reviews submitted and those still owed

    def audit_data(self) -> dict:
        return {
            "rank": self.rank,
            "ranked_above": list(self.ranked_above),
            "missing_reviews": self.missing_reviews,
            "expected_reviews": self.expected_reviews,
        }


# The ranking is the reviews' (assessments, a layer above contracts): assessments registers
# how to read a proposal's standing when it starts (AssessmentsConfig.ready).
_standing_reader: Callable[[Proposal], Standing] | None = None


def register_standing_reader(reader: Callable[[Proposal], Standing]) -> None:
    global _standing_reader
    _standing_reader = reader


def standing_of(proposal: Proposal) -> Standing:
    if _standing_reader is None:
        raise ImproperlyConfigured("No ranking is registered: is assessments installed?")
    return _standing_reader(proposal)


def _ordinal(n: int) -> str:
    if n % 100 in {11, 12, 13} or n % 10 not in {1, 2, 3}:
        pattern = pgettext("ordinal", "%(n)sth")
    else:
        pattern = {
            1: pgettext("ordinal", "%(n)sst"),
            2: pgettext("ordinal", "%(n)snd"),
            3: pgettext("ordinal", "%(n)srd"),
        }[n % 10]
    return pattern % {"n": n}


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def out_of_order_problems(standing: Standing) -> list[str]:
    """Why selecting a proposal that stands at ``standing`` needs a written reason: a
    proposal ranked above it is not decided yet, or reviews are missing. Empty when the
    selection follows the ranking."""
    problems = []
    if standing.ranked_above:
        n = len(standing.ranked_above)
        above = _and([_ordinal(r) for r in sorted(set(standing.ranked_above))])
        if standing.rank is None:
            problems.append(
                ngettext(
                    "it has no score yet while the proposal ranked %(above)s is not decided",
                    "it has no score yet while the proposals ranked %(above)s are not decided",
                    n,
                )
                % {"above": above}
            )
        else:
            problems.append(
                ngettext(
                    "it is ranked %(rank)s while the proposal ranked %(above)s is not decided",
                    "it is ranked %(rank)s while the proposals ranked %(above)s are not decided",
                    n,
                )
                % {"rank": _ordinal(standing.rank), "above": above}
            )
    if standing.missing_reviews:
        problems.append(
            ngettext(
                "%(missing)s of %(expected)s reviews is missing",
                "%(missing)s of %(expected)s reviews are missing",
                standing.missing_reviews,
            )
            % {"missing": standing.missing_reviews, "expected": standing.expected_reviews}
        )
    return problems


def out_of_order_refusal(problems: list[str]) -> ValidationError:
    return ValidationError(
        {
            "reason": [
                _("Selecting this proposal needs a written reason: %(why)s.")
                % {"why": "; ".join(problems)}
            ]
        }
    )


PROPOSAL_TEXT_FIELDS = {
    "title": 255,
    "summary": 5000,
    "outcomes": 5000,
    "project_document": 50000,
}


def _clean_targets(targets) -> list[dict]:
    if not isinstance(targets, list):
        raise ValidationError(_("Give the targets as a list."))
    if len(targets) > MAX_TARGETS:
        raise ValidationError(_("List at most %(n)s targets.") % {"n": MAX_TARGETS})
    cleaned = []
    for row in targets:
        if not isinstance(row, dict):
            raise ValidationError(_("Give each target an indicator and a target value."))
        indicator = str(row.get("indicator") or "").strip()
        target = str(row.get("target") or "").strip()
        if not indicator and not target:
            continue
        if not indicator or not target:
            raise ValidationError(_("Give each target an indicator and a target value."))
        if len(indicator) > 255 or len(target) > 255:
            raise ValidationError(_("Keep each indicator and target within 255 characters."))
        cleaned.append({"indicator": indicator, "target": target})
    return cleaned


def clean_budget_lines(call: Call, lines) -> list[BudgetLine]:
    """Budget lines priced by the call's costing method; each amount = unit cost × quantity,
    rounded half-up to the satang once."""
    if not isinstance(lines, list):
        raise ValidationError({"budget_lines": [_("Give the budget as a list of lines.")]})
    if len(lines) > MAX_BUDGET_LINES:
        raise ValidationError(
            {"budget_lines": [_("List at most %(n)s budget lines.") % {"n": MAX_BUDGET_LINES}]}
        )
    result, errors = [], []
    for i, row in enumerate(lines, start=1):
        if not isinstance(row, dict):
            errors.append(_("Line %(n)s is not a budget line.") % {"n": i})
            continue
        description = str(row.get("description") or "").strip()
        method = row.get("costing_method") or call.costing_method
        problems = []
        if not description:
            problems.append(_("say what it is for"))
        elif len(description) > 255:
            problems.append(
                _("keep the item within 255 characters (it has %(count)s)")
                % {"count": len(description)}
            )
        if method != call.costing_method:
            problems.append(
                _("use the call's costing method (%(method)s)")
                % {"method": call.get_costing_method_display()}
            )
        try:
            unit_cost = money(row.get("unit_cost"), field="unit_cost", allow_zero=True)
        except ValidationError:
            unit_cost = None
            problems.append(_("give the unit cost in baht"))
        try:
            quantity = Decimal(str(row.get("quantity")).strip())
            if not quantity.is_finite() or quantity <= 0 or quantity > Decimal("9999999999"):
                raise InvalidOperation
            if quantity != quantity.quantize(CENT):
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            quantity = None
            problems.append(_("give a quantity above zero, to at most 2 decimal places"))
        if problems:
            # Every bad line is named at once, not only the first.
            errors.append(
                _("Line %(n)s: %(problems)s.") % {"n": i, "problems": "; ".join(problems)}
            )
            continue
        amount = (unit_cost * quantity).quantize(CENT, rounding=ROUND_HALF_UP)
        if amount > MAX_AMOUNT:
            errors.append(_("Line %(n)s: the amount is too large.") % {"n": i})
            continue
        result.append(
            BudgetLine(
                position=i,
                description=description,
                costing_method=method,
                unit_cost=unit_cost,
                quantity=quantity.quantize(CENT),
                amount=amount,
            )
        )
    if errors:
        raise ValidationError({"budget_lines": errors})
    return result


def _ceiling_error(call: Call, total: Decimal):
    return ValidationError(
        {
            "budget_lines": [
                _(
                    "The lines add up to %(total)s baht, more than the call's ceiling of "
                    "%(ceiling)s baht."
                )
                % {"total": f"{total:,.2f}", "ceiling": f"{call.budget_ceiling:,.2f}"}
            ]
        }
    )


MAX_PERIOD_DAYS = 3660  # 10 years


def _check_window(proposal: Proposal, cleaned: dict, errors: dict) -> None:
    """The dates given lie in a plausible window: not before the call opened, not more than
    10 years from today (so no year 0001 or 9999 reaches the database)."""
    opened = timezone.localtime(proposal.call.opens_at).date()
    latest = timezone.localdate() + datetime.timedelta(days=MAX_PERIOD_DAYS)
    for name in ("start_date", "end_date"):
        value = cleaned.get(name)
        if name in errors or not isinstance(value, datetime.date):
            continue
        if value < opened:
            errors[name] = [
                _("Give a date on or after the day the call opened (%(date)s).")
                % {"date": format_be(opened)}
            ]
        elif value > latest:
            errors[name] = [
                _("Give a date within 10 years from today (by %(date)s).")
                % {"date": format_be(latest)}
            ]


def _check_estimate(proposal: Proposal, cleaned: dict, errors: dict) -> None:
    """A concept note's budget estimate: a sum in baht within the call's ceiling. A full
    proposal's amount is always the sum of its budget lines."""
    if not proposal.is_concept:
        errors["requested_amount"] = [
            _("The requested amount is the sum of the budget lines; change the lines instead.")
        ]
        return
    try:
        amount = money(cleaned["requested_amount"], field="requested_amount")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return
    if amount > proposal.call.budget_ceiling:
        errors["requested_amount"] = [
            _("The estimate is more than the call's ceiling of %(ceiling)s baht.")
            % {"ceiling": f"{proposal.call.budget_ceiling:,.2f}"}
        ]
        return
    cleaned["requested_amount"] = amount


def validate_proposal(*, proposal: Proposal, answers: Mapping) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = dict(answers)
    for name, limit in PROPOSAL_TEXT_FIELDS.items():
        value = cleaned.get(name)
        if isinstance(value, str):
            cleaned[name] = value = value.strip()
            if len(value) > limit:
                errors[name] = [too_long(value, limit)]
    errors.update(name_errors(cleaned, ["title"]))
    if "title" in cleaned and not cleaned["title"]:
        errors["title"] = [_("Give the project a title.")]
    if "targets" in cleaned:
        try:
            cleaned["targets"] = _clean_targets(cleaned["targets"])
        except ValidationError as exc:
            errors["targets"] = exc.messages
    if "requested_amount" in cleaned:
        _check_estimate(proposal, cleaned, errors)
    if "budget_lines" in cleaned and proposal.is_concept:
        errors["budget_lines"] = [
            _(
                "A concept note gives a budget estimate; the budget lines come with the full "
                "proposal."
            )
        ]
    elif "budget_lines" in cleaned:
        try:
            lines = clean_budget_lines(proposal.call, cleaned["budget_lines"])
            total = sum((line.amount for line in lines), Decimal("0.00"))
            if total > proposal.call.budget_ceiling:
                raise _ceiling_error(proposal.call, total)
            if total > MAX_AMOUNT:
                raise ValidationError({"budget_lines": [_("The amount is too large.")]})
            cleaned["budget_lines"] = lines
        except ValidationError as exc:
            errors.update(exc.message_dict)
    start = cleaned.get("start_date", proposal.start_date)
    end = cleaned.get("end_date", proposal.end_date)
    for name, value in (("start_date", start), ("end_date", end)):
        if value is not None and not isinstance(value, datetime.date):
            errors[name] = [_("Give a date.")]
    _check_window(proposal, cleaned, errors)
    if "start_date" not in errors and "end_date" not in errors and start and end:
        if end < start:
            errors["end_date"] = [_("The project must end on or after the day it starts.")]
        elif (end - start).days > MAX_PERIOD_DAYS:
            errors["end_date"] = [_("A project runs at most 10 years.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def part_states(proposal: Proposal) -> dict[str, str]:
    """Each part of the proposal (of a concept note, its two): ``not_started``,
    ``in_progress`` or ``completed``."""
    p = proposal

    def state(done: bool, started: bool) -> str:
        return "completed" if done else ("in_progress" if started else "not_started")

    summary = [p.summary, p.outcomes]
    summary_state = state(all(summary) and bool(p.title), any(summary))
    if p.is_concept:
        amount = p.requested_amount
        return {
            "summary": summary_state,
            "estimate": state(0 < amount <= p.call.budget_ceiling, bool(amount)),
        }
    lines = list(p.budget_lines.all())
    total = sum((line.amount for line in lines), Decimal("0.00"))
    required = set(p.call.required_documents or [])
    attached = {d.title for d in p.documents.all()}
    return {
        "summary": summary_state,
        "targets": state(bool(p.targets), False),
        "budget": state(bool(lines) and 0 < total <= p.call.budget_ceiling, bool(lines)),
        "dates": state(bool(p.start_date and p.end_date), bool(p.start_date or p.end_date)),
        "document": state(bool(p.project_document.strip()), False),
        "attachments": state(required <= attached, bool(attached)),
    }


def missing_parts(proposal: Proposal) -> list[str]:
    return [part for part, s in part_states(proposal).items() if s != "completed"]


PART_LABELS = {  # lazy: read in the language of each request, not of the import
    "summary": gettext_lazy("summary and outcomes"),
    "targets": gettext_lazy("targets and indicators"),
    "budget": gettext_lazy("budget"),
    "dates": gettext_lazy("dates"),
    "document": gettext_lazy("project document"),
    "attachments": gettext_lazy("attachments"),
    "estimate": gettext_lazy("budget estimate"),
}


def proposal_content(proposal: Proposal) -> dict:
    """What the proposal says, as plain data: kept as a version, compared with the next."""
    p = proposal
    return {
        "stage": p.stage,
        "title": p.title,
        "summary": p.summary,
        "outcomes": p.outcomes,
        "targets": list(p.targets or []),
        "requested_amount": f"{p.requested_amount:.2f}",
        "start_date": p.start_date.isoformat() if p.start_date else None,
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "project_document": p.project_document,
        "budget_lines": [
            {
                "description": line.description,
                "unit_cost": f"{line.unit_cost:.2f}",
                "quantity": f"{line.quantity:.2f}",
                "amount": f"{line.amount:.2f}",
            }
            for line in p.budget_lines.all()
        ],
        "documents": [d.title for d in p.documents.all()],
    }
