"""Deadline rules for the registry."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.notices import Due, rule, url_for
from portal.roles import Role

from .models import CSO


@rule("registration_waiting")
def registration_waiting(today, now, lead):
    """A registration submitted ``lead`` days ago or more still has no decision: the
    committee's reviewers are told (once per registration and submission)."""
    waiting = CSO.objects.filter(
        status=CSO.Status.SUBMITTED, submitted_at__lte=now - datetime.timedelta(days=lead)
    )
    reviewers = None
    for cso in waiting:
        if reviewers is None:
            reviewers = list(
                get_user_model().objects.filter(
                    is_active=True, role_rows__role=Role.COMMITTEE_REVIEWER
                )
            )
        since = timezone.localdate(cso.submitted_at)
        yield Due(
            "registration_waiting",
            reviewers,
            cso,
            due_on=since + datetime.timedelta(days=lead),
            context={"cso": cso.name_th, "since": since, "days": (today - since).days},
            url=url_for("review-detail", cso.pk),
        )
