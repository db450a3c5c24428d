"""An agreement's documents as PDFs, in Thai: the offer letter, contract or partnership
agreement, a released tranche's payment order and the settlement statement. Whoever may see
the agreement reads them; anyone else, signed in or not, gets 404, so an agreement's
existence stays private."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from contracts.agreements import permissions, selectors
from contracts.agreements.models import Agreement, Tranche
from contracts.agreements.pdf import agreement_pdf, payment_order_pdf, settlement_pdf
from contracts.agreements.timeline import has_settlement
from contracts.instruments import rules_for
from portal import caching


def _viewable(request, pk) -> Agreement:
    agreement = selectors.agreement_get_for_user(request.user, pk)
    if not permissions.can_view_agreement(request.user, agreement)[0]:
        raise Http404
    return agreement


def _kept(what: str, agreement, render, *parts) -> bytes:
    """``render(agreement)``, kept until a table it reads is written (``caching.shared``):
    WeasyPrint takes 0.2–0.5 s a document, and the same one is opened again and again by
    the agency, the organisation and the auditors. The agreement is read again inside, so
    every row the document shows is among the tables it depends on; ``parts``: what else
    the document depends on (who may read the full bank account)."""

    def build():
        return render(selectors.agreement_base_queryset().get(pk=agreement.pk))

    today = timezone.localdate().isoformat()
    return caching.shared(f"pdf:{what}", (agreement.pk, today, *parts), build)


def _inline_pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
def agreement_document(request, pk):
    """The grant offer letter, performance contract or commissioning partnership agreement."""
    agreement = _viewable(request, pk)
    name = rules_for(agreement.kind).slug
    return _inline_pdf(
        _kept("agreement", agreement, agreement_pdf), f"{name}-{agreement.number}.pdf"
    )


@require_safe
def tranche_payment_order(request, pk, seq):
    """The payment order of a released or paid tranche; a scheduled one has none yet."""
    agreement = _viewable(request, pk)
    tranche = next((t for t in agreement.tranches.all() if t.seq == seq), None)
    if tranche is None or tranche.status == Tranche.Status.SCHEDULED:
        raise Http404
    full_account = permissions.can_view_payee_account(request.user, agreement)[0]

    def render(fresh):
        order = next(t for t in fresh.tranches.all() if t.seq == seq)
        return payment_order_pdf(order, full_account=full_account)

    return _inline_pdf(
        _kept("payment-order", agreement, render, seq, full_account),
        f"payment-order-{agreement.number}-{tranche.seq}.pdf",
    )


@require_safe
def settlement_statement(request, pk):
    """The settlement statement, once the organisation has stated its settlement."""
    agreement = _viewable(request, pk)
    if not has_settlement(agreement):
        raise Http404
    return _inline_pdf(
        _kept("settlement", agreement, settlement_pdf), f"settlement-{agreement.number}.pdf"
    )
