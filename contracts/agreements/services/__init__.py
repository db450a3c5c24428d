"""What happens to an agreement, one function per use case: the award and the offer
(``award``), the tranches (``tranches``) and the requests for them (``payment_requests``),
progress reports (``reports``), expenses (``expenses``), variations (``variations``), and
completion, settlement and the end (``ending``). Callers import them from here."""

from contracts.agreements.services.award import (
    agreement_accept,
    agreement_award,
    agreement_decline,
    agreement_start_delivery,
    agreement_update_design,
)
from contracts.agreements.services.ending import (
    agreement_complete,
    agreement_end_notice,
    agreement_renew,
    agreement_settle,
    agreement_terminate,
    settlement_submit,
)
from contracts.agreements.services.expenses import (
    expense_answer,
    expense_check,
    expense_delete,
    expense_record,
)
from contracts.agreements.services.payment_requests import (
    payment_request_return,
    payment_request_submit,
)
from contracts.agreements.services.reports import (
    report_accept,
    report_evidence_add,
    report_evidence_remove,
    report_return,
    report_submit,
)
from contracts.agreements.services.tranches import tranche_pay, tranche_release
from contracts.agreements.services.variations import (
    variation_agree,
    variation_decline,
    variation_propose,
    variation_withdraw,
)

__all__ = [
    "agreement_accept",
    "agreement_award",
    "agreement_complete",
    "agreement_decline",
    "agreement_end_notice",
    "agreement_renew",
    "agreement_settle",
    "agreement_start_delivery",
    "agreement_terminate",
    "agreement_update_design",
    "expense_answer",
    "expense_check",
    "expense_delete",
    "expense_record",
    "payment_request_return",
    "payment_request_submit",
    "report_accept",
    "report_evidence_add",
    "report_evidence_remove",
    "report_return",
    "report_submit",
    "settlement_submit",
    "tranche_pay",
    "tranche_release",
    "variation_agree",
    "variation_decline",
    "variation_propose",
    "variation_withdraw",
]
