"""The receipt of a submitted proposal, rendered to PDF in Thai with dates in B.E."""

from portal.pdf import render_pdf
from portal.thai_words import baht_figures, baht_text


def receipt_pdf(proposal) -> bytes:
    """The receipt of a submitted proposal: its reference, who sent it to which call, when,
    and the amount asked in figures and in Thai words, with the budget lines."""
    return render_pdf(
        "contracts/proposals/receipt.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "cso": proposal.cso,
            "lines": list(proposal.budget_lines.all()),
            "amount_figures": baht_figures(proposal.requested_amount),
            "amount_words": baht_text(proposal.requested_amount),
        },
    )
