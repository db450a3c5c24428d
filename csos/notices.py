"""The registry's notice kinds and its deadline rule."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.notices.kinds import Kind, register
from portal.notices.selectors import not_yet_notified
from portal.notices.services import url_for
from portal.notices.sweep import Due, rule
from portal.roles import Role

from .models import CSO

# The kinds of notice this app sends (positions interleave them with other apps' kinds in
# lists).
register(
    Kind(
        "registration_waiting",
        _("A registration waits for review"),
        14,
        _("“%(cso)s” has waited %(days)s days for review"),
        _("The registration of “%(cso)s” was submitted on %(since)s and has no decision yet."),
        audience=_("committee reviewers"),
        position=30,
    ),
    Kind(
        "registration_decided",
        _("The committee decided on a registration"),
        0,
        _("Decision on the registration of %(cso)s: %(status)s"),
        _(
            "The National Committee has recorded a decision on %(cso)s. Its status is "
            "now: %(status)s. %(reason)s %(next)s"
        ),
        audience=_("CSO members"),
        position=170,
    ),
)


@rule("registration_waiting")
def registration_waiting(today, now, lead):
    """A registration submitted ``lead`` days ago or more still has no decision: the
    committee's reviewers are told (once per registration and submission)."""
    waiting = CSO.objects.filter(
        status=CSO.Status.SUBMITTED, submitted_at__lte=now - datetime.timedelta(days=lead)
    )
    # Told already: a notice since this submission (a resubmission waits afresh).
    waiting = not_yet_notified(
        waiting, "registration_waiting", created_at__gte=OuterRef("submitted_at")
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
