"""What waits on an evaluator: proposals of their calls still to score."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.reviews.models import Review
from contracts.proposals.models import Proposal
from portal.home.registry import Item, Queue, first_rows, register_queue
from portal.roles import Role


@register_queue("reviews_to_finish", Role.EVALUATOR, order=10)
def reviews_to_finish(user, today):
    """Proposals in review in the calls the evaluator sits on, without their submitted (or
    recused) review, the oldest sent first."""
    done = Review.objects.filter(
        proposal=OuterRef("pk"),
        evaluator=user,
        status__in=[Review.Status.SUBMITTED, Review.Status.RECUSED],
    )
    qs = (
        Proposal.objects.filter(
            status__in=Proposal.IN_REVIEW,
            call__assignments__evaluator=user,
        )
        .exclude(Exists(done))
        .select_related("call", "cso")
        .order_by("submitted_at", "pk")
    )
    rows, count = first_rows(qs)
    return Queue(
        key="reviews_to_finish",
        title=_("Proposals to score"),
        date_label=_("Sent on"),
        items=[
            Item(
                text=p.title,
                url=reverse("proposal-review", args=[p.pk]),
                date=p.submitted_at,
                note=p.call.title,
            )
            for p in rows
        ],
        count=count,
        see_all=reverse("evaluator-home"),
    )
