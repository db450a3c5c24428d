"""What every agreement use case shares: today's date, the locked row and telling the CSO."""

from contracts.agreements.models import Agreement, ProgressReport, Tranche
from contracts.agreements.notices import agreement_context
from csos.registration.selectors import cso_members as members
from portal.notices.services import notify, url_for

AS = Agreement.Status


TS = Tranche.Status


RS = ProgressReport.Status


def _lock(agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _tell_cso(agreement, kind: str, obj=None, *, due_on=None, extra="", **context) -> None:
    """Notify the CSO's members (in-app and email), inside the caller's transaction: the
    notice exists if and only if the change it reports was committed."""

    notify(
        kind,
        members(agreement.cso_id),
        obj if obj is not None else agreement,
        due_on=due_on,
        context=agreement_context(agreement, **context),
        url=url_for("agreement-detail", agreement.pk),
        extra=extra,
    )
