"""What anyone sees: the list of consultations, one consultation, its discussion."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render

from agencies.models import Agency
from portal import caching
from portal.ids import id_or_none
from portal.models import Province
from portal.pages import stored_file
from portal.reference import ServiceCategory

from .. import permissions, selectors
from ..forms import ContributionForm
from ..models import CACHE_AREA as AREA
from ..models import Contribution

PER_PAGE = 20
THREADS_PER_PAGE = 20


def consultation_list(request):
    state = request.GET.get("state")
    state = state if state in ("open", "upcoming", "past") else "open"
    filters = {
        "agency": id_or_none(request.GET.get("agency")),
        "mission": id_or_none(request.GET.get("mission")),
        "province": province if (province := request.GET.get("province", "")).isdigit() else "",
        "topic": request.GET.get("topic", "")
        if request.GET.get("topic") in ServiceCategory.values
        else "",
        "q": request.GET.get("q", "")[:200].replace("\x00", "").strip(),
    }
    # The list is the same for every reader: its page and the agencies that consulted come
    # from the cache until a consultation changes (or a minute passes: "open" moves with time).
    page = caching.cached_page(
        AREA, ("list", state, sorted(filters.items())),
        selectors.public_consultations(state=state, filters=filters), PER_PAGE,
        request.GET.get("page"),
    )  # fmt: skip
    agencies = caching.memo(
        AREA, ("agencies",),
        lambda: list(
            Agency.objects.filter(consultations__isnull=False).distinct().order_by("name_th")
        ),
    )  # fmt: skip
    return render(
        request,
        "agencies/consultations/list.html",
        {
            "page": page,
            "state": state,
            "filters": filters,
            "agencies": agencies,
            "provinces": Province.objects.order_by("name_th"),
            "topics": ServiceCategory.choices,
            "is_officer": permissions.can_manage(request.user, request.user.agency_id)[0]
            if request.user.is_authenticated
            else False,
        },
    )


def consultation_detail(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    manages = permissions.can_manage(request.user, consultation.agency_id)[0]
    per_question = dict(
        consultation.contributions.filter(status=Contribution.Status.VISIBLE, parent__isnull=True)
        .values_list("question")
        .annotate(n=Count("pk"))
    )
    questions = [(q, per_question.get(q.pk, 0)) for q in consultation.questions.all()]
    response = selectors.my_response(request.user, consultation)
    context = {
        "consultation": consultation,
        "questions": questions,
        "general_count": per_question.get(None, 0),
        "manages": manages,
        "moderates": permissions.can_moderate(request.user, consultation)[0],
        "response": response,
        "may_answer": permissions.can_answer(request.user, consultation, response=response)[0],
        "why_not": _why_not(request.user, consultation),
        "summary_public": permissions.can_see_summary(request.user, consultation),
    }
    return render(request, "agencies/consultations/detail.html", context)


def _why_not(user, consultation):
    """Why this reader cannot take part now (shown instead of the forms), or ''."""
    allowed, reason = permissions.can_take_part(user, consultation)
    return "" if allowed else str(reason)


def consultation_discussion(request, pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    moderator = permissions.can_moderate(request.user, consultation)[0]
    questions = list(consultation.questions.all())
    chosen = None
    asked = id_or_none(request.GET.get("question"))
    if asked is not None:
        chosen = next((q for q in questions if q.pk == asked), None)
        if chosen is None:
            raise Http404
    roots = selectors.threads(request.user, consultation, moderator=moderator, question=chosen)
    only_mine = request.GET.get("mine") == "1" and request.user.is_authenticated
    if only_mine:  # a participant reviews what they wrote (to delete or anonymise it)
        roots = roots.filter(Q(author=request.user) | Q(replies__author=request.user)).distinct()
    if request.user.is_authenticated:  # a reader sees their own held contributions
        page = Paginator(roots, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    else:  # every visitor sees the same threads: from the cache until one changes
        page = caching.cached_page(
            AREA, ("threads", consultation.pk, chosen.pk if chosen else None), roots,
            THREADS_PER_PAGE, request.GET.get("page"), timeout=600,
        )  # fmt: skip
    mine = selectors.my_reactions(request.user, consultation)
    for root in page:
        for c in (root, *root.reply_list):
            c.mine = mine.get(c.pk)
    may_take_part = permissions.can_take_part(request.user, consultation)[0]
    draft = request.session.pop(f"consultation-draft-{consultation.pk}", None) or {}
    form = ContributionForm(
        initial={"question": chosen.pk if chosen else None, "kind": "idea", **draft}
    )
    return render(
        request,
        "agencies/consultations/discussion.html",
        {
            "consultation": consultation,
            "questions": questions,
            "chosen": chosen,
            "page": page,
            "moderator": moderator,
            "hide_reasons": Contribution.HiddenReason.choices,
            "may_take_part": may_take_part,
            "why_not": _why_not(request.user, consultation),
            "form": form,
            "reply_kinds": [
                (k, label) for k, label in Contribution.Kind.choices if k != Contribution.Kind.IDEA
            ],
            "user_id": request.user.pk if request.user.is_authenticated else None,
            "only_mine": only_mine,
        },
    )


def consultation_document(request, pk, document_pk):
    consultation = selectors.consultation_get_for_user(request.user, pk)
    document = consultation.documents.filter(pk=id_or_none(document_pk) or 0).first()
    if document is None:
        raise Http404
    return stored_file(
        document.file, filename=f"{document.title[:80]}.pdf", content_type="application/pdf"
    )
