"""The committee's decisions as data."""

from csos.registration.models import CSO

S = CSO.Status


# The statuses each committee decision starts from: approve and reinstate both lead to
# ``approved``, each from one status only. The review page offers exactly these.
DECISION_SOURCES = {
    "approve": {S.SUBMITTED},
    "request_changes": {S.SUBMITTED},
    "reject": {S.SUBMITTED},
    "suspend": {S.APPROVED},
    "reinstate": {S.SUSPENDED},
}
