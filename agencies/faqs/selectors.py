from django.db.models import Q
from django.http import Http404

from .models import Faq
from .permissions import can_see


def public_faqs(*, agency=None, mission=None, words=""):
    """Published FAQs, the most read first."""
    qs = Faq.objects.filter(status=Faq.Status.PUBLISHED).select_related("agency", "mission")
    if agency:
        qs = qs.filter(agency_id=agency)
    if mission:
        qs = qs.filter(mission_id=mission)
    for word in words.split()[:5]:
        qs = qs.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    return qs.order_by("-views", "-published_at", "-pk")


def suggestions(agency_id):
    return (
        Faq.objects.filter(agency_id=agency_id, status=Faq.Status.SUGGESTED)
        .select_related("mission")
        .order_by("created_at", "pk")
    )


def faq_get_for_user(user, pk) -> Faq:
    faq = Faq.objects.select_related("agency", "mission").filter(pk=pk).first()
    if faq is None or not can_see(user, faq):
        raise Http404
    return faq
