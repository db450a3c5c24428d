"""The assemblies' notices: the draw's outcome to every volunteer, and a reserve told they
have taken a member's seat."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.notices.kinds import Kind, register
from portal.notices.services import notify

from .models import Volunteer

register(
    Kind(
        "assembly_drawn",
        _("You were drawn for a citizens' assembly"),
        0,
        _("You are a member of “%(assembly)s”"),
        _(
            "The lot has drawn you, volunteer number %(number)s, as a member of “%(assembly)s”. "
            "The agency will tell you when and where it meets. If you cannot take part, "
            "withdraw on the assembly's page so a reserve gets your seat."
        ),
        audience=_("volunteers of a citizens' assembly"),
        position=440,
    ),
    Kind(
        "assembly_reserve",
        _("You are a reserve of a citizens' assembly"),
        0,
        _("You are reserve number %(rank)s of “%(assembly)s”"),
        _(
            "The lot has made you, volunteer number %(number)s, reserve number %(rank)s of "
            "“%(assembly)s”. If a member withdraws, a reserve takes the seat and is told."
        ),
        audience=_("volunteers of a citizens' assembly"),
        position=441,
    ),
    Kind(
        "assembly_reserve_in",
        _("A reserve takes a seat in a citizens' assembly"),
        0,
        _("You now have a seat in “%(assembly)s”"),
        _(
            "A member of “%(assembly)s” withdrew and you, volunteer number %(number)s, take "
            "their seat. The agency will tell you when and where it meets."
        ),
        audience=_("reserves of a citizens' assembly"),
        position=442,
    ),
)


def _url(assembly):
    return reverse("assembly-detail", args=[assembly.pk])


def tell_drawn(assembly, volunteers):
    for v in volunteers:
        if v.status == Volunteer.Status.MEMBER:
            kind, context = "assembly_drawn", {}
        elif v.status == Volunteer.Status.RESERVE:
            kind, context = "assembly_reserve", {"rank": v.reserve_rank}
        else:
            continue
        notify(
            kind, [v.person], assembly, url=_url(assembly),
            context={"assembly": assembly.title, "number": v.number, **context},
        )  # fmt: skip


def tell_reserve_in(assembly, volunteer):
    notify(
        "assembly_reserve_in", [volunteer.person], assembly, url=_url(assembly),
        context={"assembly": assembly.title, "number": volunteer.number},
    )  # fmt: skip
