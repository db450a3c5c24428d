"""Reads of grievances: those a person may see, one by its tracking id for the public (never
its personal data), and the record of an agreement, a CSO and an agency by status."""

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from assessments.grievances.models import Grievance
from assessments.grievances.permissions import HANDED_OVER, can_view_grievance
from assessments.grievances.rules import normal_tracking_id
from portal.roles import Role, has_role, is_grievance_verifier

GS = Grievance.Status


def grievances_visible_to(user):
    """Every grievance for a verifier; those routed to an officer's agency; those of a CSO
    member's agreements once routed; none for anyone else."""
    qs = Grievance.objects.select_related("agency", "agreement", "province")
    if is_grievance_verifier(user):
        return qs
    routed = Q(status__in=HANDED_OVER, routed_at__isnull=False)
    if has_role(user, Role.AGENCY_OFFICER) and user.agency_id:
        return qs.filter(routed, agency_id=user.agency_id)
    if has_role(user, Role.CSO_MEMBER) and user.cso_id:
        return qs.filter(routed, agreement__cso_id=user.cso_id)
    return qs.none()


def late_filter(today) -> Q:
    """Grievances whose current step is past its due date."""
    return Q(status=GS.RECEIVED, route_by__lt=today) | Q(status=GS.ROUTED, respond_by__lt=today)


def grievance_list(user, *, status=None, agency=None, late=False, today=None):
    qs = grievances_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if agency:
        qs = qs.filter(agency_id=agency)
    if late:
        qs = qs.filter(late_filter(today or timezone.localdate()))
    return qs.order_by("-received_at", "-id")


def grievance_get_for_user(user, pk):
    """A grievance for whoever may see it; 404 otherwise (its existence stays private)."""
    try:
        grievance = Grievance.objects.select_related(
            "agency", "agreement", "agreement__cso", "province", "merged_into"
        ).get(pk=pk)
    except (Grievance.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not can_view_grievance(user, grievance)[0]:
        raise Http404
    return grievance


def grievance_by_tracking_id(tracking_id) -> tuple[Grievance, Grievance]:
    """The grievance a tracking id names and the one it now stands for: itself, or the one
    it was merged into (followed to the end). 404 for an unknown id."""
    code = normal_tracking_id(tracking_id)
    if not code:
        raise Http404
    try:  # a unique id: no ORDER BY to compile
        named = Grievance.objects.select_related("agency", "agreement", "merged_into").get(
            tracking_id=code
        )
    except Grievance.DoesNotExist:
        raise Http404 from None
    shown, seen = named, {named.pk}
    while shown.merged_into_id is not None and shown.merged_into_id not in seen:
        shown = Grievance.objects.select_related("agency", "agreement", "merged_into").get(
            pk=shown.merged_into_id
        )
        seen.add(shown.pk)
    return named, shown


def counts_by_status(qs) -> dict[str, int]:
    """``{status: n}`` for every status (0 where none), merged grievances left out (they are
    counted in the one they joined)."""
    rows = qs.filter(merged_into__isnull=True).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(GS.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def agreement_grievance_record(agreement) -> dict:
    """An agreement's grievances by status (public figures: no text, no person)."""
    return {"by_status": counts_by_status(Grievance.objects.filter(agreement=agreement))}


def cso_grievance_record(cso) -> dict:
    """A CSO's record across its agreements: grievances by status, complaints answered and
    how many of them the agency upheld, and the citizens' verdicts."""
    qs = Grievance.objects.filter(agreement__cso=cso, merged_into__isnull=True)
    figures = qs.aggregate(
        complaints=Count("pk", filter=Q(kind=Grievance.Kind.COMPLAINT)),
        answered=Count("pk", filter=Q(kind=Grievance.Kind.COMPLAINT, responded_at__isnull=False)),
        upheld=Count("pk", filter=Q(kind=Grievance.Kind.COMPLAINT, upheld=True)),
        resolved_yes=Count("pk", filter=Q(resolved=Grievance.Resolved.YES)),
        resolved_partly=Count("pk", filter=Q(resolved=Grievance.Resolved.PARTLY)),
        resolved_no=Count("pk", filter=Q(resolved=Grievance.Resolved.NO)),
        agreements=Count("agreement", distinct=True),
    )
    return {**figures, "by_status": counts_by_status(qs)}


def status_labels() -> list[tuple[str, str]]:
    return list(GS.choices)


# --- the record shown beside decisions (evaluations, renewal, award, track_record) ------------


def _by_status_text(by_status) -> str:
    from django.utils.translation import gettext as _

    total = sum(by_status.values())
    if not total:
        return _("None")
    parts = [f"{label} {by_status[code]}" for code, label in GS.choices if by_status[code]]
    return _("%(total)s in all: %(parts)s") % {"total": total, "parts": ", ".join(parts)}


def agreement_record_panel(agreement):
    from django.utils.translation import gettext as _

    from contracts.agreements.records import Record

    record = agreement_grievance_record(agreement)
    return Record(
        key="grievances-agreement",
        title=_("Citizens' grievances about this project"),
        rows=[(_("By status"), _by_status_text(record["by_status"]))],
    )


def cso_track_record_text(record) -> str:
    from django.utils.translation import gettext as _

    return _(
        "%(complaints)s complaints about its funded projects, %(answered)s answered, "
        "%(upheld)s upheld by the agency; citizens said resolved: %(yes)s yes, "
        "%(partly)s partly, %(no)s no"
    ) % {
        "complaints": record["complaints"],
        "answered": record["answered"],
        "upheld": record["upheld"],
        "yes": record["resolved_yes"],
        "partly": record["resolved_partly"],
        "no": record["resolved_no"],
    }


def cso_record_panel(cso):
    from django.utils.translation import gettext as _

    from contracts.agreements.records import Record

    record = cso_grievance_record(cso)
    return Record(
        key="grievances-cso",
        title=_("Citizens' grievances across the organisation's projects"),
        rows=[
            (_("By status"), _by_status_text(record["by_status"])),
            (_("Complaints upheld"), cso_track_record_text(record)),
        ],
    )
