"""When a registration is complete enough to submit: its parts and their states."""

from .models import CSO

# The registration is filled in parts; each part is complete when its required answers are in.
PARTS = ["organisation", "activities", "capacity", "documents"]


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

    def state(done, started):
        return "completed" if done else ("in_progress" if started else "not_started")

    return {
        "organisation": state(org_done, any(org_answers)),
        "activities": state(fields and provinces, fields or provinces),
        "capacity": state(
            all(a is not None and a != "" for a in cap_answers),
            any(a not in (None, "") for a in cap_answers) or bool(cso.networks),
        ),
        "documents": state(docs > 0, False),
    }


def missing_parts(cso: CSO) -> list[str]:
    return [part for part, state in part_states(cso).items() if state != "completed"]
