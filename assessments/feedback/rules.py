"""The feedback's rules as data and pure functions: which agreements take ratings, what a
charter needs before it is agreed, the survey's short code, the 95 % interval of a mean, and
the personal data a comment must not carry."""

import math
import re
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from assessments.feedback.models import DEFAULT_DIMENSIONS, Charter, Dimension
from contracts.agreements.models import Agreement

AS = Agreement.Status

# People rate the service while it runs and just after delivery is complete.
RATED = {AS.ACTIVE, AS.COMPLETED}
# The charter is written and agreed while the service runs.
CHARTERED = {AS.ACTIVE}
# A report card exists for every agreement the CSO signed (as in the open data).
PUBLIC = {AS.ACTIVE, AS.COMPLETED, AS.SETTLED, AS.TERMINATED}

COMMENT_MAX = 1000
SCALE = range(1, 6)

# The grievance form (assessments/grievances, built beside this) is reached from the charter's
# poster by this URL name, with ``?agreement=<id>``; until it exists, by its planned path.
GRIEVANCE_FORM_URL_NAME = "grievance-file"
GRIEVANCE_FORM_PATH = "/grievances/new/"


def grievance_form_path(agreement_id: int) -> str:
    try:
        path = reverse(GRIEVANCE_FORM_URL_NAME)
    except NoReverseMatch:
        path = GRIEVANCE_FORM_PATH
    return f"{path}?agreement={agreement_id}"


# --- the survey ------------------------------------------------------------------------------

# No 0/O, 1/I/L: read aloud or typed from a poster without confusion. 31 letters and digits,
# 8 of them: about 8.5 × 10^11 codes, so nobody finds a survey by guessing.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_survey_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def dimensions_asked(codes) -> list[str]:
    """A survey's dimensions in the reference list's order, ``overall`` always first; none
    chosen: the defaults."""
    chosen = set(codes or DEFAULT_DIMENSIONS) | {Dimension.OVERALL}
    return [d for d in Dimension.values if d in chosen]


def dimension_names(code: str) -> tuple[str, str]:
    """The dimension's name in Thai and in English."""
    from django.utils import translation

    label = Dimension(code).label
    with translation.override("th"):
        th = str(label)
    with translation.override("en"):
        en = str(label)
    return th, en


def accepts_ratings(agreement) -> bool:
    return agreement.status in RATED


def has_public_card(agreement) -> bool:
    return agreement.signed_at is not None and agreement.status in PUBLIC


# --- the charter -----------------------------------------------------------------------------


def charter_problems(charter) -> dict[str, list[str]]:
    """What is still to write before a side may agree: each required part, named."""
    return {
        name: [_("Write this part of the charter before agreeing to it.")]
        for name in Charter.REQUIRED_FIELDS
        if not (getattr(charter, name) or "").strip()
    }


# --- the interval of a mean ------------------------------------------------------------------

# Two-sided 95 % critical values of Student's t by degrees of freedom; between two rows the
# smaller degrees of freedom (the wider interval) is used, and 1.96 beyond 120.
T_975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
    17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
    25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
    120: 1.980,
}  # fmt: skip
Z_975 = 1.960

TWO_PLACES = Decimal("0.01")


def t_critical(df: int) -> float:
    if df > 120:
        return Z_975
    return T_975[max(d for d in T_975 if d <= df)]


def _two_places(value: float) -> Decimal:
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean_interval(n: int, mean, sd) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(mean, low, high) of ``n`` ratings with sample standard deviation ``sd``: the 95 %
    interval of the mean by Student's t with n − 1 degrees of freedom, kept within the 1–5
    scale. No mean without ratings; no interval under 2 of them."""
    if not n or mean is None:
        return None, None, None
    mean = float(mean)
    if n < 2 or sd is None:
        return _two_places(mean), None, None
    half = t_critical(n - 1) * float(sd) / math.sqrt(n)
    return (
        _two_places(mean),
        _two_places(max(1.0, mean - half)),
        _two_places(min(5.0, mean + half)),
    )


# --- personal data in comments ---------------------------------------------------------------

# Nobody is asked who they are; a comment that names a phone number, an e-mail address or a
# 13-digit national id anyway has it removed before it is stored.
PERSONAL = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?<!\d)\d(?:[ -]?\d){12}(?!\d)"),  # national id, 13 digits
    re.compile(r"(?<!\d)(?:\+66|0)[ -]?\d(?:[ -]?\d){7,8}(?!\d)"),  # Thai phone numbers
]
REMOVED = "[…]"


def scrub_personal_data(text: str) -> str:
    for pattern in PERSONAL:
        text = pattern.sub(REMOVED, text)
    return text
