"""The notice kinds and deadline rules of grievances. The deadline sweep (portal.notices,
Celery beat) runs the rules: a step past its stored due date is told once (the notice's key
holds the due date) to whoever must take it, and after a second deadline (``escalate_on``)
to the agency's head of complaints (its agency admins). Notices name the grievance by its
tracking id and title, never the citizen."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.selectors import agency_officers
from assessments.grievances.models import Grievance
from portal.notices.kinds import Kind, register
from portal.notices.services import url_for
from portal.notices.sweep import Due, rule
from portal.roles import Role

GS = Grievance.Status

register(
    Kind(
        "grievance_routed",
        _("A grievance was routed to you"),
        0,
        _("Grievance %(tracking_id)s: answer by %(due)s"),
        _(
            "The citizen's grievance %(tracking_id)s “%(title)s” was routed to your agency. "
            "Answer it by %(due)s."
        ),
        legal=True,
        audience=_("the agency's officers and, for a funded project, the CSO's members"),
        position=230,
    ),
    Kind(
        "grievance_citizen_replied",
        _("A citizen replied to an answer"),
        0,
        _("Grievance %(tracking_id)s reopened: answer by %(due)s"),
        _(
            "The citizen replied to your answer to %(tracking_id)s “%(title)s”; it is open "
            "again. Answer by %(due)s."
        ),
        legal=True,
        audience=_("the agency's officers"),
        position=231,
    ),
    Kind(
        "grievance_route_late",
        _("A grievance waits to be routed past its deadline"),
        0,
        _("Grievance %(tracking_id)s was due to be routed on %(due)s"),
        _(
            "The grievance %(tracking_id)s “%(title)s” should have been routed or rejected "
            "by %(due)s."
        ),
        legal=True,
        audience=_("staff administrators and the agency's complaints officers"),
        position=232,
    ),
    Kind(
        "grievance_answer_late",
        _("The answer to a grievance is late"),
        0,
        _("Grievance %(tracking_id)s was due to be answered on %(due)s"),
        _("The grievance %(tracking_id)s “%(title)s” should have been answered by %(due)s."),
        legal=True,
        audience=_("the agency's officers"),
        position=233,
    ),
    Kind(
        "grievance_escalated",
        _("A late grievance is escalated to you"),
        0,
        _("Escalated: grievance %(tracking_id)s is late"),
        _(
            "The grievance %(tracking_id)s “%(title)s” is still %(status)s, past its deadline "
            "of %(due)s and the second one of %(escalated)s. As the agency's head of "
            "complaints, see that it is dealt with."
        ),
        legal=True,
        audience=_("the agency's admins (head of complaints)"),
        position=234,
    ),
)


def grievance_context(grievance, **extra) -> dict:
    return {"tracking_id": grievance.tracking_id, "title": grievance.title, **extra}


def verifiers_for(agency_id) -> list:
    """Staff administrators and the complaints officers of the agency."""
    users = get_user_model().objects.filter(is_active=True)
    return list(
        users.filter(
            Q(role_rows__role=Role.STAFF_ADMIN)
            | Q(role_rows__role=Role.AGENCY_OFFICER, agency_id=agency_id, complaints_officer=True)
        ).distinct()
    )


def heads_of_complaints(agency_id) -> list:
    return list(
        get_user_model().objects.filter(
            is_active=True,
            agency_id=agency_id,
            agency_admin=True,
            role_rows__role=Role.AGENCY_OFFICER,
        )
    )


def cso_members_of(grievance) -> list:
    if grievance.agreement_id is None:
        return []
    return list(
        get_user_model().objects.filter(
            is_active=True, cso_id=grievance.agreement.cso_id, role_rows__role=Role.CSO_MEMBER
        )
    )


def _late(today, lead) -> datetime.date:
    """Steps due before this day are late (the staff may give ``lead`` days of grace)."""
    return today - datetime.timedelta(days=lead)


@rule("grievance_route_late")
def grievance_route_late(today, now, lead):
    cutoff = _late(today, lead)
    for grievance in Grievance.objects.filter(status=GS.RECEIVED, route_by__lt=cutoff):
        yield Due(
            "grievance_route_late",
            verifiers_for(grievance.agency_id),
            grievance,
            due_on=grievance.route_by,
            context=grievance_context(grievance, due=grievance.route_by),
            url=url_for("grievance-handle", grievance.pk),
        )


@rule("grievance_answer_late")
def grievance_answer_late(today, now, lead):
    cutoff = _late(today, lead)
    for grievance in Grievance.objects.filter(status=GS.ROUTED, respond_by__lt=cutoff):
        yield Due(
            "grievance_answer_late",
            agency_officers(grievance.agency_id),
            grievance,
            due_on=grievance.respond_by,
            context=grievance_context(grievance, due=grievance.respond_by),
            url=url_for("grievance-handle", grievance.pk),
        )


@rule("grievance_escalated")
def grievance_escalated(today, now, lead):
    cutoff = _late(today, lead)
    late = Grievance.objects.filter(status__in=[GS.RECEIVED, GS.ROUTED], escalate_on__lt=cutoff)
    for grievance in late:
        due = grievance.route_by if grievance.status == GS.RECEIVED else grievance.respond_by
        yield Due(
            "grievance_escalated",
            heads_of_complaints(grievance.agency_id),
            grievance,
            due_on=grievance.escalate_on,
            context=grievance_context(
                grievance,
                due=due,
                escalated=grievance.escalate_on,
                status=grievance.get_status_display(),
            ),
            url=url_for("grievance-handle", grievance.pk),
        )
