"""An advisory group's members are told when the agency answers a recommendation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.notices.kinds import Kind, register
from portal.notices.services import notify

register(
    Kind(
        "recommendation_answered",
        _("The agency answered a recommendation of your group"),
        0,
        _("%(group)s: the agency's answer to a recommendation"),
        _("%(agency)s answered the recommendation “%(recommendation)s”: %(answer)s. %(why)s"),
        audience=_("members of advisory groups"),
        position=430,
    ),
)


def tell_members(recommendation):
    group = recommendation.group
    people = [m.account for m in group.members.select_related("account") if m.account_id]
    notify(
        "recommendation_answered",
        people,
        recommendation,
        context={
            "group": group.name,
            "agency": group.agency.name_th,
            "recommendation": recommendation.text[:200],
            "answer": recommendation.Answer(recommendation.answer).label,
            "why": recommendation.explanation,
        },
        url=reverse("advisory-detail", args=[group.pk]),
        extra=recommendation.answer,
    )
