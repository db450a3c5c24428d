"""The grievances' rules as pure functions: the deadlines counted in working days
(portal.working_days), the tracking id and the citizen's reply code, and the checks of what
a citizen types."""

import datetime
import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from assessments.grievances.models import Grievance, new_code
from portal.dates import BE_OFFSET
from portal.working_days import add_working_days

ROUTE_WITHIN = 3  # working days from receipt to routing (or rejection)
RESPOND_WITHIN = 5  # working days from routing to the agency's answer
CLOSE_AFTER = 10  # working days without the citizen's reply after an answer
# A late step goes to the agency's head of complaints this many working days after its
# own deadline.
ESCALATE_AFTER = 2


def route_by(received_on: datetime.date) -> datetime.date:
    return add_working_days(received_on, ROUTE_WITHIN)


def respond_by(routed_on: datetime.date) -> datetime.date:
    return add_working_days(routed_on, RESPOND_WITHIN)


def close_by(responded_on: datetime.date) -> datetime.date:
    return add_working_days(responded_on, CLOSE_AFTER)


def escalate_on(due: datetime.date) -> datetime.date:
    return add_working_days(due, ESCALATE_AFTER)


def tracking_id(today: datetime.date) -> str:
    """``GR-2569-7K4Q-M2XD``: the B.E. year and 8 characters drawn with ``secrets`` from an
    alphabet without 0/O and 1/I (32⁸ ≈ 10¹² a year: not guessed, and read aloud)."""
    code = new_code(8)
    return f"GR-{today.year + BE_OFFSET}-{code[:4]}-{code[4:]}"


TRACKING_ID = re.compile(r"^GR-\d{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


def normal_tracking_id(text: str) -> str:
    """What a citizen typed, as a tracking id: capitals, spaces gone, O read as 0 is not
    in the alphabet so left to fail."""
    text = re.sub(r"\s+", "", str(text or "")).upper()
    return text if TRACKING_ID.match(text) else ""


def new_citizen_token() -> str:
    """The reply code a citizen gets once, at filing: 12 characters in groups of four."""
    code = new_code(12)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def token_hash(token: str) -> str:
    cleaned = re.sub(r"[\s-]+", "", str(token or "")).upper()
    if not cleaned:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{cleaned}".encode()).hexdigest()


PHONE = re.compile(r"^(?:\+66|0)\d{8,9}$")


def contact_problems(contact: str) -> list[str]:
    """An email address or a Thai phone number (0 and 9–10 digits, or +66), or nothing."""
    if not contact:
        return []
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            return [_("Give an email address such as name@example.com, or a phone number.")]
        return []
    if not PHONE.match(re.sub(r"[\s-]", "", contact)):
        return [_("Give a phone number such as 081 234 5678, or an email address.")]
    return []


def contact_email(grievance: Grievance) -> str:
    """The address the citizen's notices go to, if their contact is one."""
    return grievance.contact if "@" in (grievance.contact or "") else ""
