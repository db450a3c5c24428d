from django.contrib.auth import get_user_model

from portal.roles import Role

from .models import Agency


def agency_list():
    return Agency.objects.select_related("parent", "province").order_by("name_th")


def agency_officers(agency_id) -> list:
    """The active officers of an agency: whom its notices go to."""
    return list(
        get_user_model().objects.filter(
            agency_id=agency_id, is_active=True, role_rows__role=Role.AGENCY_OFFICER
        )
    )
