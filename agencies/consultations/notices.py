"""The consultations' notices: the agency's response report is out; a moderator hid what
you wrote."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.notices.kinds import Kind, register
from portal.notices.services import notify

register(
    Kind(
        "consultation_reported",
        _("The agency answered a consultation you took part in"),
        0,
        _("What we heard and what we will do: “%(consultation)s”"),
        _(
            "The agency has published its response to the consultation “%(consultation)s”: "
            "what it heard, and what it will do or why not. Read it on the consultation's page."
        ),
        audience=_("people who answered or contributed to a consultation"),
        position=410,
    ),
    Kind(
        "contribution_hidden",
        _("A moderator hid your contribution"),
        0,
        _("Your contribution to “%(consultation)s” was hidden"),
        _(
            "A moderator hid your contribution to “%(consultation)s”. Reason: %(reason)s. "
            "If you think this is a mistake, contact the agency."
        ),
        audience=_("people who contribute to consultations"),
        position=411,
    ),
)


def tell_reported(consultation):
    from django.contrib.auth import get_user_model

    from .models import Response

    people = get_user_model().objects.filter(
        pk__in=set(
            consultation.responses.filter(status=Response.Status.SENT).values_list(
                "respondent_id", flat=True
            )
        )
        | set(consultation.contributions.values_list("author_id", flat=True))
    )
    notify(
        "consultation_reported",
        people,
        consultation,
        context={"consultation": consultation.title},
        url=reverse("consultation-report", args=[consultation.pk]),
    )


def tell_hidden(contribution):
    notify(
        "contribution_hidden",
        [contribution.author],
        contribution,
        context={
            "consultation": contribution.consultation.title,
            "reason": contribution.HiddenReason(contribution.hidden_reason).label,
        },
        url=reverse("consultation-detail", args=[contribution.consultation_id]),
    )
