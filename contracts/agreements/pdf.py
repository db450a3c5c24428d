"""An agreement's documents, rendered to PDF in Thai with dates in B.E.: the offer letter,
contract or partnership agreement, a tranche's payment order and the settlement statement."""

from typing import NamedTuple

from contracts.agreements import deadlines
from contracts.agreements.models import EvaluationStatus, MoneyMovement, ReportStatus, Tranche
from contracts.instruments import rules_for
from csos.bank.rules import masked, spaced
from portal.pdf import render_pdf
from portal.thai_words import baht_figures, baht_text

# The agreement's documents are Thai legal documents: their wording is Thai and lives in
# templates/contracts/agreements/pdf/, whatever the reader's language. Dates print in B.E.;
# amounts in figures and in Thai words.


class Amount(NamedTuple):
    figures: str
    words: str


def amount_of(value) -> Amount:
    return Amount(baht_figures(value), baht_text(value))


def _agreement_context(agreement) -> dict:
    """What every agreement document prints: the parties, the money and its schedule."""
    end = agreement.end_date
    return {
        "agreement": agreement,
        "agency": agreement.agency,
        "cso": agreement.cso,
        "proposal": agreement.proposal,
        "amount": amount_of(agreement.amount),
        "tranches": [(t, amount_of(t.amount)) for t in agreement.tranches.all()],
        # The schedule in force: what an end notice cancelled is no longer part of it.
        "reports": [r for r in agreement.reports.all() if r.status != ReportStatus.CANCELLED],
        "evaluations": [
            e for e in agreement.evaluations.all() if e.status != EvaluationStatus.CANCELLED
        ],
        "midterm_due": deadlines.midterm_due(agreement.start_date, end),
        "final_evaluation_due": deadlines.final_evaluation_due(end),
        "settlement_due": deadlines.settlement_due(end),
        "end_notice_months": deadlines.END_NOTICE_MONTHS,
        "final_evaluation_months": deadlines.FINAL_EVALUATION_MONTHS,
        "settlement_months": deadlines.SETTLEMENT_MONTHS,
        # Agreed variations: the document is their latest version and lists them.
        "variations": [v for v in agreement.variations.all() if v.status == "agreed"],
    }


def agreement_pdf(agreement) -> bytes:
    """The grant offer letter, the performance contract (with the project document annexed)
    or the commissioning partnership agreement, whichever the agreement's kind is; once
    signed it carries the signature record. ``agreement`` as from
    ``selectors.agreement_base_queryset``."""
    return render_pdf(rules_for(agreement.kind).template, _agreement_context(agreement))


def payment_order_pdf(tranche, *, full_account: bool = True) -> bytes:
    """The order to pay one released (or paid) tranche: whose agreement, which tranche, how
    much in figures and words, the account it is paid into as it stood at release, when it
    was released and, once paid, the payment's reference and date. ``full_account`` False
    prints only the account number's last 4 digits (for a reader who may not read it)."""
    if tranche.status == Tranche.Status.SCHEDULED:
        raise ValueError("a scheduled tranche has no payment order yet")
    agreement = tranche.agreement
    release = (
        tranche.movements.filter(kind=MoneyMovement.Kind.RELEASE).select_related("actor").first()
    )
    return render_pdf(
        "contracts/agreements/pdf/payment_order.html",
        {
            "agreement": agreement,
            "agency": agreement.agency,
            "cso": agreement.cso,
            "tranche": tranche,
            "tranche_count": len(agreement.tranches.all()),
            "amount": amount_of(tranche.amount),
            "total": amount_of(agreement.amount),
            "released_by": release.actor if release else None,
            "account_number": (spaced if full_account else masked)(tranche.payee_account_number),
        },
    )


def settlement_pdf(agreement) -> bytes:
    """The settlement statement: what was disbursed, what the CSO spent, what it must refund
    and what it spent beyond what it was paid (figures and words), with the tranches paid and
    the dates that matter."""
    settlement = agreement.settlement  # Settlement.DoesNotExist when none is stated yet
    paid = [
        (t, amount_of(t.amount))
        for t in agreement.tranches.all()
        if t.status == Tranche.Status.PAID
    ]
    return render_pdf(
        "contracts/agreements/pdf/settlement_statement.html",
        {
            "agreement": agreement,
            "agency": agreement.agency,
            "cso": agreement.cso,
            "settlement": settlement,
            "amount": amount_of(agreement.amount),
            "disbursed": amount_of(settlement.disbursed_total),
            "spent": amount_of(settlement.spent_total),
            "refund": amount_of(settlement.refund_due),
            "uncovered": amount_of(settlement.uncovered),
            "paid_tranches": paid,
            "settlement_due": deadlines.settlement_due(agreement.end_date),
        },
    )
