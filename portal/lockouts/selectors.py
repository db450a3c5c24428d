"""The sign-in locks in force: usernames and addresses whose failures within the cool-off
have reached their limit."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


@dataclass(frozen=True)
class Lock:
    kind: str  # "username" or "address"
    value: str
    failures: int
    last_failure: datetime

    @property
    def ends_at(self) -> datetime:
        return self.last_failure + settings.AXES_COOLOFF_TIME


def _grouped(field: str, limit: int):
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    return (
        AccessAttempt.objects.filter(attempt_time__gte=threshold)
        .exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last")
    )


def current_locks() -> list[Lock]:
    """Locked usernames, then locked addresses, the most recent first: two queries whatever
    the number of attempts."""
    locks = [
        Lock("username", row["username"], row["failures"], row["last"])
        for row in _grouped("username", settings.SIGNIN_USER_FAILURE_LIMIT)
    ]
    locks += [
        Lock("address", row["ip_address"], row["failures"], row["last"])
        for row in _grouped("ip_address", settings.SIGNIN_ADDRESS_FAILURE_LIMIT)
    ]
    return locks


def lock_of(kind: str, value: str) -> Lock | None:
    wanted = (kind, value)
    return next((lock for lock in current_locks() if (lock.kind, lock.value) == wanted), None)
