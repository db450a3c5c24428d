from portal.notices.audiences import People, active_with_role
from portal.roles import Role

from .models import Agency


def agency_list():
    return Agency.objects.select_related("parent", "province").order_by("name_th")


def agency_officers(agency_id) -> list:
    """The active officers of an agency: whom its notices go to."""
    return agency_officers_of({agency_id}).get(agency_id, [])


def agency_officers_of(agency_ids) -> dict:
    """The active officers of each of ``agency_ids``, by agency, read in one query."""
    return active_with_role(Role.AGENCY_OFFICER, "agency_id", agency_ids)


def agency_officers_later(agency_id) -> People:
    """The officers of ``agency_id`` as a deadline notice's recipients: read by the sweep
    with those of the other notices it writes at the same time."""
    return People(agency_officers_of, agency_id)
