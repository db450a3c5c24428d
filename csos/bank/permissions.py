"""Who may see and change an organisation's bank account. Each function returns
``(allowed, reason)``; the pages, the API and the services all ask these.

Its own members record and change it; the committee, staff and the officers of any agency
that has an agreement with the organisation read it (the agency pays into it)."""

from django.utils.translation import gettext as _

from portal.roles import Role, has_role


def is_own_member(user, cso) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.cso_id is not None
        and user.cso_id == cso.pk
        and has_role(user, Role.CSO_MEMBER)
    )


def is_partner_officer(user, cso) -> bool:
    """An officer of an agency that has (or had) an agreement with ``cso``. A list may
    annotate ``partner_of_agency`` (selectors.with_partner_flag) to save a query per row."""
    if not (has_role(user, Role.AGENCY_OFFICER) and user.agency_id):
        return False
    known = getattr(cso, "partner_of_agency", None)
    if known is not None:
        return bool(known)
    return cso.agreements.filter(agency_id=user.agency_id).exists()


def can_view_bank_account(user, cso):
    if is_own_member(user, cso):
        return True, ""
    if has_role(user, Role.COMMITTEE_REVIEWER) or has_role(user, Role.STAFF_ADMIN):
        return True, ""
    if is_partner_officer(user, cso):
        return True, ""
    return False, _(
        "Only the organisation's members, the committee and the agencies that have an "
        "agreement with it see its bank account."
    )


def can_edit_bank_account(user, cso):
    if not is_own_member(user, cso):
        return False, _("Only the organisation's own members record its bank account.")
    return True, ""
