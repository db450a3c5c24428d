"""Deadline rules: each app's ``notices.py`` (or a sub-package's, found by
``portal.discovery`` at start-up) registers functions with ``@rule(kind)``; ``sweep()`` runs
them (Celery beat) and notifies what is due. Running it twice, or two at once, records
nothing twice."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..iterables import batched
from .audiences import people_of
from .delivery import send_notice_email
from .models import Notice
from .selectors import lead_days
from .services import notify, notify_many


@dataclass
class Due:
    """One notice a rule finds due: ``kind`` to ``recipients`` about ``obj``."""

    kind: str
    recipients: list  # users, or ``audiences.People`` read with the rest of the batch
    obj: object
    due_on: datetime.date | None
    context: dict = field(default_factory=dict)
    url: str = ""


RULES: dict[str, object] = {}


def rule(kind: str):
    """Register ``function(today, now, lead_days) -> Iterator[Due]`` as the rule for ``kind``."""

    def register(function):
        RULES[kind] = function
        return function

    return register


def due_notices(now=None) -> Iterator[Due]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    for kind, function in RULES.items():
        lead = lead_days(kind)
        if lead < 0:  # switched off by the staff admin
            continue
        yield from function(today, now, lead)


BATCH = 500  # notices found due, written together


def sweep(now=None) -> int:
    """Notify everything due now; return how many notices were recorded. A batch of notices
    is written in one transaction (the people they go to read together, those who already
    have theirs left out); should another sweep record one of them meanwhile, that batch is
    written notice by notice instead, so a re-run, or two at once, records nothing twice."""
    count = 0
    for batch in batched(due_notices(now), BATCH):
        for due, people in zip(batch, people_of(due.recipients for due in batch), strict=True):
            due.recipients = people
        try:
            count += len(notify_many(batch))
        except IntegrityError:
            for due in batch:
                with transaction.atomic():
                    count += len(
                        notify(
                            due.kind,
                            due.recipients,
                            due.obj,
                            due_on=due.due_on,
                            context=due.context,
                            url=due.url,
                        )
                    )
    requeue_stalled_email(now)
    return count


STALLED_AFTER = datetime.timedelta(minutes=15)
MAX_EMAIL_ATTEMPTS = 8


def requeue_stalled_email(now=None) -> int:
    """Emails whose task was lost (a worker died mid-send, the broker was down) go back to
    the queue; the notice row decides whether it is still to be sent."""
    now = now or timezone.now()
    before = now - STALLED_AFTER
    stalled = list(
        Notice.objects.filter(
            email_status__in=[Notice.Email.PENDING, Notice.Email.SENDING],
            created_at__lt=before,
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
        )
        .filter(Q(emailed_at__isnull=True) | Q(emailed_at__lt=before))
        .values_list("pk", flat=True)[:500]
    )
    Notice.objects.filter(pk__in=stalled, email_status=Notice.Email.SENDING).update(
        email_status=Notice.Email.PENDING
    )
    for pk in stalled:
        transaction.on_commit(lambda pk=pk: send_notice_email.delay(pk), robust=True)
    return len(stalled)
