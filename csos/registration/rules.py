"""The rules of a registration: the juristic person ID a registered organisation gives, and
when a registration is complete enough to submit (its parts and their states)."""

from django.utils.translation import gettext as _
from stdnum.th import moa

from .models import CSO, CSODocument

# The registration is filled in parts, in any order; each part is complete when its
# required answers are in, with nothing more to click.
PARTS = ["organisation", "activities", "capacity", "documents"]


def required_documents(cso: CSO) -> list[str]:
    """The document kinds the registration needs: a registered juristic person its
    registration certificate; an informal group, which has none, any one document (its
    rules, an activity report...) stands for it. An empty list means "any one"."""
    return [CSODocument.Kind.REGISTRATION] if cso.registered else []


def missing_documents(cso: CSO) -> list[str]:
    """The required kinds not uploaded yet (["any"] for a group with nothing uploaded).
    Expects ``documents`` prefetched or cheap."""
    kinds = {d.kind for d in cso.documents.all()}
    required = required_documents(cso)
    if not required:
        return [] if kinds else ["any"]
    return [kind for kind in required if kind not in kinds]


def part_states(cso: CSO) -> dict[str, str]:
    """not_started / in_progress / completed for each part, derived from the answers.
    Expects ``activity_fields``, ``service_provinces`` and ``documents`` prefetched or cheap."""
    org_answers = [
        cso.name_th,
        cso.org_form,
        cso.founded_year,
        cso.contact_email or cso.contact_phone,
    ]
    org_done = all(org_answers) and (not cso.registered or bool(cso.juristic_id))
    fields = len(cso.activity_fields.all())
    provinces = len(cso.service_provinces.all())
    cap_answers = [cso.staff_count, cso.certified_staff_count, cso.track_record]
    docs = len(cso.documents.all())
    docs_done = not missing_documents(cso)

    def state(done, started):
        return "completed" if done else ("in_progress" if started else "not_started")

    return {
        "organisation": state(org_done, any(org_answers)),
        "activities": state(fields and provinces, fields or provinces),
        "capacity": state(
            all(a is not None and a != "" for a in cap_answers),
            any(a not in (None, "") for a in cap_answers) or bool(cso.networks),
        ),
        "documents": state(docs_done, docs > 0),
    }


def missing_parts(cso: CSO) -> list[str]:
    return [part for part, state in part_states(cso).items() if state != "completed"]


def juristic_id_problems(value, *, registered: bool, cso: CSO | None = None):
    """The juristic person ID as stored (dashes and spaces gone; empty for an informal
    group) and what is wrong with it: 13 digits, starting with 0, with a valid check digit,
    and not already registered by another organisation."""
    if not registered:
        return "", []
    jid = moa.compact(value or "")
    if not jid:
        return jid, [_("A registered organisation must give its 13-digit juristic person ID.")]
    if not moa.is_valid(jid):
        return jid, [
            _(
                "“%(value)s” is not a valid juristic person ID: it has 13 digits, "
                "starts with 0 and ends with a check digit."
            )
            % {"value": value}
        ]
    taken = CSO.objects.filter(juristic_id=jid)
    if cso is not None:
        taken = taken.exclude(pk=cso.pk)
    if taken.exists():
        return jid, [_("This juristic person ID is already registered.")]
    return jid, []
