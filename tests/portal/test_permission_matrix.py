"""The permission matrix (issue 13, item 15): every URL of the web UI and of the API, asked by
every kind of user, answers what one table says it must.

The URLs are not listed by hand: the test walks the URL resolver, and a URL name without a row
in ``TABLE`` fails, naming the pattern, as does a row for a name that no longer exists. So a
new page or endpoint cannot be added without deciding who may use it.

Who asks (``USERS``): nobody, a member of an approved organisation (A) and a member of another
approved one (B), a member whose organisation is still registering, an officer of the agency
that owns the calls and agreements and an officer of another agency, a committee reviewer, an
evaluator on the calls' panels, a staff administrator, and another government system (an API
client with the read and payments scopes). On the web each person has a session; the API
client has none (the portal never gives one a web session, portal/auth_backends.py), so
every web page must answer it as it answers nobody. On the API each sends its token.

What they may get (``OK`` ...): the answer's kind, not its body. For a GET the table gives the
answer each user gets. An unsafe method (``(name, "POST")`` rows) is sent with an empty body:
a user the table refuses must get that refusal and leave no audit row (nothing happened);
a user the table allows (``MAY``) must not be refused (the empty body may well be invalid:
any answer but 401/403/404/405 and 5xx). Every request runs in a savepoint rolled back after
it, so one user's write never changes what the next one sees.
"""

import inspect
import os
from urllib.parse import urlparse

import pytest
import weasyprint
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from portal.models import AuditLog
from tests import factories as f
from tests.helpers import force_login_verified
from tests.samples import SAMPLE_KWARGS, build_data

# --- what may come back ----------------------------------------------------------------

OK = "ok"  # 2xx
LOGIN = "login"  # the web's redirect to the sign-in page; the API's 401
FORBIDDEN = "forbidden"  # 403
HIDDEN = "hidden"  # 404: the object is not there for this user
METHOD = "method"  # 405: the URL does not take this method
REDIRECT = "redirect"  # 3xx anywhere but the sign-in page
MAY = "may"  # an unsafe method the user is allowed: anything but a refusal (or a 5xx)
REFUSALS = {LOGIN, FORBIDDEN, HIDDEN, METHOD}

USERS = (
    "anon",
    "member",  # of organisation A (approved): owns the sample proposals and agreements
    "other_member",  # of organisation B (approved)
    "registering",  # a member whose organisation is still registering (changes requested)
    "citizen",  # a citizen's account, email verified: takes part, owns nothing of an agency's
    "officer",  # of the agency that owns the sample missions, calls and agreements
    "other_officer",  # of another agency
    "reviewer",  # committee reviewer
    "evaluator",  # on the sample calls' panels and the sample evaluations
    "staff",  # staff administrator
    "api",  # another government system: token with the read and payments scopes
)

# --- which URLs ------------------------------------------------------------------------

# Left out of the matrix, with why:
# - admin/: Django's own admin, staff only by Django's check (tests/portal/admin covers ours);
# - i18n/: the language switch, the same for everyone and touching no data;
# - api/schema/ and api/docs/: the OpenAPI description, public by the API contract, and
#   generating it takes seconds a request (tests/portal/api tests it);
# - health/: the operators' probe, the same for everyone; its checks ping Celery and Redis
#   from threads outside the test's transaction (tests/portal/health tests it).
# Static and media files are not in the URLconf. A format-suffix route (``.json``) is the
# same view as the route without it, under the same name.
SKIPPED_PREFIXES = ("admin/", "i18n/", "api/schema/", "api/docs/", "health/")
UNSAFE = ("post", "put", "patch", "delete")


def url_names():
    """{name: (is_api, the unsafe methods its view takes, its route)}."""
    found = {}

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"URL {route!r} has no name, so the matrix cannot hold it"
                is_api = route.startswith("api/")
                if is_api:
                    methods = _declared_unsafe_methods(entry.callback)
                else:
                    methods = {"POST"} if _takes_post(entry.callback) else set()
                _, known, first = found.get(entry.name, (is_api, set(), route))
                found[entry.name] = (is_api, known | methods, first)

    walk(get_resolver().url_patterns, "")
    return found


def _declared_unsafe_methods(callback):
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a viewset's route: the methods it maps
        return {m.upper() for m in actions if m in UNSAFE}
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return {m.upper() for m in UNSAFE if view is not None and hasattr(view, m)}


def _takes_post(callback):
    """Whether a web view handles POST: a class-based view with ``post``, or a function
    whose source reads or requires POST (a form or an action)."""
    view = getattr(callback, "view_class", None)
    if view is not None:
        return hasattr(view, "post")
    source = inspect.getsource(inspect.unwrap(callback))
    return "POST" in source or "require_http_methods" in source


URLS = url_names()


def row(default, **answers):
    """Every user gets ``default`` but those named."""
    unknown = set(answers) - set(USERS)
    assert not unknown, f"no such users: {unknown}"
    return {user: answers.get(user, default) for user in USERS}


def web(default, **answers):
    """A web page's row: the API client (no web session) is answered as nobody is."""
    answers.setdefault("api", answers.get("anon", default))
    return row(default, **answers)


# The table: a URL name (its GET) or (name, method), and what each user gets. The sample object
# each URL is asked about is chosen in ``MATRIX_KWARGS`` (else the phone sweep's first sample):
# organisation A's proposals and agreements, under calls of the officer's agency.
TABLE: dict = {
    # --- the web UI ---
    "agency-calls": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    "agency-dashboard": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK, staff=OK),
    "agreement-action": web(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=OK, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    ("agreement-action", "POST"): web(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "agreement-award": web(HIDDEN, anon=LOGIN, officer=OK, staff=FORBIDDEN),
    ("agreement-award", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY, staff=FORBIDDEN),
    "agreement-design": web(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=FORBIDDEN),
    ("agreement-design", "POST"): web(HIDDEN, anon=LOGIN, member=MAY, officer=MAY, staff=FORBIDDEN),
    "agreement-detail": web(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    "agreement-expenses": web(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    # The organisation records expenses; the agency's officer checks them.
    ("agreement-expenses", "POST"): web(
        HIDDEN, anon=LOGIN, member=MAY, officer=MAY, staff=FORBIDDEN
    ),
    "agreement-variations": web(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    ("agreement-variations", "POST"): web(HIDDEN, anon=LOGIN, member=MAY, officer=MAY, staff=MAY),
    ("agreement-detail", "POST"): web(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN
    ),
    "agreement-document": web(HIDDEN, member=OK, officer=OK, staff=OK),
    "agreement-list": web(OK, anon=LOGIN),
    "call-cancel": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("call-cancel", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "call-close": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("call-close", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "call-create": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("call-create", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "call-detail": web(HIDDEN, officer=OK, staff=OK),
    "call-edit": web(HIDDEN, anon=LOGIN, officer=OK, staff=FORBIDDEN),
    ("call-edit", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY, staff=FORBIDDEN),
    "call-evaluators": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("call-evaluators", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "call-list": web(OK),
    "call-publish": web(HIDDEN, anon=LOGIN, officer=OK, staff=FORBIDDEN),
    ("call-publish", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY, staff=FORBIDDEN),
    "call-ranking": web(FORBIDDEN, anon=LOGIN, officer=OK, staff=OK),
    "call-decide-many": web(FORBIDDEN, anon=LOGIN, officer=OK),
    "call-concepts": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("call-concepts", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    ("call-decide-many", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    # A forecast is the agency's to publish (like a draft); an open call changes by an
    # addendum (the officer) and takes questions from registered organisations' members.
    "call-forecast": web(HIDDEN, anon=LOGIN, officer=OK, staff=FORBIDDEN),
    ("call-forecast", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY, staff=FORBIDDEN),
    "call-amend": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("call-amend", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "call-addendum-document": web(OK),
    # Saved searches: a CSO member's own.
    "saved-searches": web(FORBIDDEN, anon=LOGIN, member=OK, other_member=OK, registering=OK),
    ("saved-searches", "POST"): web(
        FORBIDDEN, anon=LOGIN, member=MAY, other_member=MAY, registering=MAY
    ),
    "saved-search-delete": web(METHOD, anon=LOGIN),
    ("saved-search-delete", "POST"): web(HIDDEN, anon=LOGIN, member=MAY),
    "call-question-ask": web(METHOD, anon=LOGIN),
    ("call-question-ask", "POST"): web(
        FORBIDDEN, anon=LOGIN, member=MAY, other_member=MAY, registering=MAY
    ),
    "call-question-answer": web(METHOD, anon=LOGIN),
    ("call-question-answer", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "certificate-verify": web(OK),
    "certificate-verify-number": web(OK),
    "colleagues": web(
        OK, citizen=FORBIDDEN, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    ("colleagues", "POST"): web(
        FORBIDDEN, anon=LOGIN, member=MAY, other_member=MAY, registering=MAY
    ),
    "cso-certificate": web(OK),
    "cso-detail": web(HIDDEN, registering=OK, reviewer=OK, staff=OK),
    "cso-document": web(HIDDEN, anon=LOGIN, member=OK, reviewer=OK, staff=OK),
    "directory": web(OK),
    "evaluation-add": web(HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=OK, staff=FORBIDDEN),
    ("evaluation-add", "POST"): web(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN
    ),
    "evaluation-detail": web(
        OK,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    ("evaluation-detail", "POST"): web(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, evaluator=MAY, staff=FORBIDDEN
    ),
    "evaluator-home": web(FORBIDDEN, anon=LOGIN, evaluator=OK),
    "help": web(OK),
    "home": web(OK),
    "invitation-accept": web(OK),
    ("invitation-accept", "POST"): web(MAY),
    "invitation-revoke": web(HIDDEN, anon=LOGIN, member=OK),
    ("invitation-revoke", "POST"): web(HIDDEN, anon=LOGIN, member=MAY),
    "login": web(OK),
    ("login", "POST"): web(MAY),
    "logout": web(METHOD),
    ("logout", "POST"): web(MAY),
    "mission-create": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    ("mission-create", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "mission-detail": web(OK),
    "mission-edit": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("mission-edit", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "mission-list": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    "my-proposals": web(FORBIDDEN, anon=LOGIN, member=OK, other_member=OK, registering=OK),
    "my-work": web(OK, anon=LOGIN),
    "notice-list": web(OK, anon=LOGIN),
    "notice-open": web(METHOD, anon=LOGIN),
    ("notice-open", "POST"): web(HIDDEN, anon=LOGIN, member=MAY),
    "notice-preferences": web(OK, anon=LOGIN),
    ("notice-preferences", "POST"): web(MAY, anon=LOGIN),
    "notice-read": web(METHOD, anon=LOGIN),
    ("notice-read", "POST"): web(HIDDEN, anon=LOGIN, member=MAY),
    "notice-read-all": web(METHOD, anon=LOGIN),
    ("notice-read-all", "POST"): web(MAY, anon=LOGIN),
    "password_change": web(OK, anon=LOGIN),
    ("password_change", "POST"): web(MAY, anon=LOGIN),
    "password_change_done": web(OK, anon=LOGIN),
    "password_reset": web(OK),
    ("password_reset", "POST"): web(MAY),
    "password_reset_complete": web(OK),
    "password_reset_confirm": web(REDIRECT),
    ("password_reset_confirm", "POST"): web(MAY),
    "password_reset_done": web(OK),
    "privacy": web(OK),
    "proposal-attachment": web(HIDDEN, anon=LOGIN, member=OK),
    "proposal-attachment-delete": web(HIDDEN, anon=LOGIN, member=OK),
    ("proposal-attachment-delete", "POST"): web(HIDDEN, anon=LOGIN, member=MAY),
    "proposal-check": web(HIDDEN, anon=LOGIN, member=OK),
    ("proposal-check", "POST"): web(HIDDEN, anon=LOGIN, member=MAY),
    "proposal-decide": web(HIDDEN, anon=LOGIN, officer=OK, evaluator=FORBIDDEN, staff=FORBIDDEN),
    ("proposal-decide", "POST"): web(
        HIDDEN, anon=LOGIN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "proposal-decision": web(HIDDEN, anon=LOGIN, officer=OK, evaluator=FORBIDDEN, staff=FORBIDDEN),
    ("proposal-decision", "POST"): web(
        HIDDEN, anon=LOGIN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "proposal-delete": web(HIDDEN, anon=LOGIN, member=OK),
    ("proposal-delete", "POST"): web(HIDDEN, anon=LOGIN, member=MAY),
    "proposal-detail": web(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    "proposal-version": web(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    "proposal-list": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK, staff=OK),
    "proposal-part": web(HIDDEN, anon=LOGIN, member=OK),
    ("proposal-part", "POST"): web(HIDDEN, anon=LOGIN, member=MAY),
    "proposal-receipt": web(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    "proposal-review": web(HIDDEN, anon=LOGIN, officer=FORBIDDEN, evaluator=OK, staff=FORBIDDEN),
    ("proposal-review", "POST"): web(
        HIDDEN, anon=LOGIN, officer=FORBIDDEN, evaluator=MAY, staff=FORBIDDEN
    ),
    "proposal-start": web(METHOD, anon=LOGIN),
    # Refused (an officer, an organisation still registering) on the call"s page, with why.
    ("proposal-start", "POST"): web(REDIRECT, anon=LOGIN, member=MAY, other_member=MAY),
    "proposal-submitted": web(HIDDEN, anon=LOGIN, member=OK, officer=FORBIDDEN, staff=FORBIDDEN),
    "proposal-withdraw": web(HIDDEN, anon=LOGIN, member=OK, officer=FORBIDDEN, staff=FORBIDDEN),
    ("proposal-withdraw", "POST"): web(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN
    ),
    "registration": web(FORBIDDEN, anon=LOGIN, member=OK, other_member=OK, registering=OK),
    "registration-bank-account": web(
        FORBIDDEN, anon=LOGIN, member=OK, other_member=OK, registering=OK
    ),
    ("registration-bank-account", "POST"): web(
        FORBIDDEN, anon=LOGIN, member=MAY, other_member=MAY, registering=MAY
    ),
    "registration-check": web(FORBIDDEN, anon=LOGIN, member=OK, other_member=OK, registering=OK),
    ("registration-check", "POST"): web(
        FORBIDDEN, anon=LOGIN, member=REDIRECT, other_member=REDIRECT, registering=MAY
    ),
    "registration-document-delete": web(
        FORBIDDEN, anon=LOGIN, member=OK, other_member=HIDDEN, registering=HIDDEN
    ),
    ("registration-document-delete", "POST"): web(
        FORBIDDEN, anon=LOGIN, member=MAY, other_member=HIDDEN, registering=HIDDEN
    ),
    "registration-documents": web(
        FORBIDDEN, anon=LOGIN, member=REDIRECT, other_member=REDIRECT, registering=OK
    ),
    # An approved organisation"s registration is not changed: back to it, with why.
    ("registration-documents", "POST"): web(
        FORBIDDEN, anon=LOGIN, member=REDIRECT, other_member=REDIRECT, registering=MAY
    ),
    "registration-part": web(
        FORBIDDEN, anon=LOGIN, member=REDIRECT, other_member=REDIRECT, registering=OK
    ),
    ("registration-part", "POST"): web(
        FORBIDDEN, anon=LOGIN, member=REDIRECT, other_member=REDIRECT, registering=MAY
    ),
    "report-detail": web(
        OK,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    ("report-detail", "POST"): web(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "report-list": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK, staff=OK),
    "review-decision": web(FORBIDDEN, anon=LOGIN, reviewer=OK),
    ("review-decision", "POST"): web(FORBIDDEN, anon=LOGIN, reviewer=MAY),
    "review-detail": web(FORBIDDEN, anon=LOGIN, reviewer=OK),
    ("review-detail", "POST"): web(FORBIDDEN, anon=LOGIN, reviewer=MAY),
    "review-queue": web(FORBIDDEN, anon=LOGIN, reviewer=OK),
    "settlement-statement": web(HIDDEN),
    # The contract's report 1 photo; the grant's expense receipt: whoever sees the agreement.
    "report-evidence": web(
        OK,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "expense-receipt": web(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    "signup": web(OK),
    ("signup", "POST"): web(MAY),
    "token-page": web(OK, anon=LOGIN),
    ("token-page", "POST"): web(MAY, anon=LOGIN),
    "token-revoke": web(OK, anon=LOGIN),
    ("token-revoke", "POST"): web(MAY, anon=LOGIN),
    "lock-list": web(FORBIDDEN, anon=LOGIN, staff=OK),
    "lock-lift": web(FORBIDDEN, anon=LOGIN, staff=OK),
    ("lock-lift", "POST"): web(FORBIDDEN, anon=LOGIN, staff=MAY),
    # Two-factor sign-in: set-up for anyone signed in; codes and turning it off only with an
    # app (the samples' staff and reviewer have one; turning it off is refused to them, whose
    # role requires it); the code step sends a session that needs no code on.
    # The citizens' side of an agreement: the charter and report cards are public once agreed
    # (the poster too); the agreement's officers and CSO members edit the charter, set the
    # survey and hide or restore a comment; anyone answers the survey.
    "charter": web(OK),
    ("charter", "POST"): web(REDIRECT),
    "charter-edit": web(HIDDEN, member=OK, officer=OK),
    ("charter-edit", "POST"): web(HIDDEN, member=MAY, officer=MAY),
    "charter-poster": web(OK),
    "survey-settings": web(HIDDEN, member=OK, officer=OK),
    ("survey-settings", "POST"): web(HIDDEN, member=MAY, officer=MAY),
    "survey": web(OK),
    ("survey", "POST"): web(MAY),
    "survey-thanks": web(OK),
    "agreement-report-card": web(OK),
    "cso-report-card": web(OK),
    "agency-report-card": web(OK),
    "feedback-hide": web(HIDDEN, member=OK, officer=OK, staff=FORBIDDEN),
    ("feedback-hide", "POST"): web(HIDDEN, member=MAY, officer=MAY, staff=FORBIDDEN),
    "feedback-restore": web(HIDDEN, member=OK, officer=OK, staff=FORBIDDEN),
    ("feedback-restore", "POST"): web(HIDDEN, member=MAY, officer=MAY, staff=FORBIDDEN),
    # Public meetings: public once published (a draft is its agency's); any officer organises
    # for their own agency; anyone signed in registers (a refusal comes back as a message).
    "network-home": web(OK),
    "network-detail": web(OK),
    "network-order-file": web(OK),
    "network-create": web(FORBIDDEN, anon=LOGIN, staff=OK),
    ("network-create", "POST"): web(FORBIDDEN, anon=LOGIN, staff=MAY),
    # Anyone with a verified account applies (not the accounts of an office).
    "network-apply": web(OK, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN),
    ("network-apply", "POST"): web(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    # The network's manager (the officer) and staff run it.
    **{
        key: value
        for name in ("network-propose", "network-order", "network-member-action")
        for key, value in (
            (name, web(METHOD, anon=LOGIN)),
            ((name, "POST"), web(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY)),
        )
    },
    # A network's committees and local issues are public; its manager (the officer) and staff
    # set up committees, record meetings, raise issues and run the action contract.
    "network-group": web(OK),
    "network-issues": web(OK),
    "network-issue": web(OK),
    "network-issue-evidence": web(OK),
    "network-issue-raise": web(FORBIDDEN, anon=LOGIN, officer=OK, staff=OK),
    ("network-issue-raise", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY),
    **{
        key: value
        for name in ("network-group-new", "network-group-record", "network-issue-action")
        for key, value in (
            (name, web(METHOD, anon=LOGIN)),
            ((name, "POST"), web(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY)),
        )
    },
    "committee": web(OK),
    "committee-record": web(METHOD, anon=LOGIN),
    ("committee-record", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "committee-answer": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("committee-answer", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "ogp-home": web(OK),
    "open-data": web(OK),
    "ogp-plan": web(OK),
    "ogp-commitment": web(OK),
    **{
        (name, method): web(FORBIDDEN, anon=LOGIN, staff=OK if method == "GET" else MAY)
        for name in ("ogp-plan-create", "ogp-plan-publish", "ogp-commitment-add")
        for method in ("GET", "POST")
    },
    # Progress is reported by the responsible agency's officers only.
    "ogp-milestone-report": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("ogp-milestone-report", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "assembly-list": web(OK),
    "assembly-detail": web(OK),
    "assembly-draw-record": web(OK),
    "assembly-create": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    ("assembly-create", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "assembly-volunteer": web(METHOD, anon=LOGIN),
    ("assembly-volunteer", "POST"): web(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    # Only a volunteer withdraws (the member volunteered for the sample assembly).
    "assembly-withdraw": web(FORBIDDEN, anon=LOGIN, member=OK),
    ("assembly-withdraw", "POST"): web(FORBIDDEN, anon=LOGIN, member=MAY),
    **{
        (name, method): web(FORBIDDEN, anon=LOGIN, officer=OK if method == "GET" else MAY)
        for name in ("assembly-draw", "assembly-report", "assembly-recommendation-answer")
        for method in ("GET", "POST")
    },
    **{
        key: value
        for name in ("assembly-session-add", "assembly-recommendation-add")
        for key, value in (
            (name, web(METHOD, anon=LOGIN)),
            ((name, "POST"), web(FORBIDDEN, anon=LOGIN, officer=MAY)),
        )
    },
    "budget-list": web(OK),
    "budget-detail": web(OK),
    "budget-results": web(OK),
    "budget-create": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    ("budget-create", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    # Taking part: any verified account (citizens, CSO members, officers); not staff,
    # committee reviewers or evaluators, whose accounts are for their office.
    "budget-propose": web(OK, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN),
    ("budget-propose", "POST"): web(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "budget-ballot": web(OK, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN),
    ("budget-ballot", "POST"): web(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    **{
        (name, method): web(FORBIDDEN, anon=LOGIN, officer=OK if method == "GET" else MAY)
        for name in (
            "budget-start-review",
            "budget-start-voting",
            "budget-close",
            "budget-project-review",
            "budget-project-delivery",
        )
        for method in ("GET", "POST")
    },
    "meeting-list": web(OK),
    "meeting-detail": web(OK),
    "meeting-create": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    ("meeting-create", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "meeting-publish": web(HIDDEN, anon=LOGIN, officer=OK),
    ("meeting-publish", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY),
    "meeting-cancel": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("meeting-cancel", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "meeting-record": web(METHOD, anon=LOGIN),
    ("meeting-record", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "meeting-register": web(METHOD, anon=LOGIN),
    ("meeting-register", "POST"): web(MAY, anon=LOGIN),
    "meeting-unregister": web(METHOD, anon=LOGIN),
    ("meeting-unregister", "POST"): web(MAY, anon=LOGIN),
    "meeting-calendar": web(OK),
    "meeting-material": web(OK),
    "meeting-material-add": web(METHOD, anon=LOGIN),
    ("meeting-material-add", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "meeting-material-remove": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("meeting-material-remove", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    # Community oversight: public to all.
    "project-list": web(OK),
    "project-totals": web(OK),
    "project-detail": web(OK),
    "grievance-home": web(OK),
    "grievance-file": web(OK),
    ("grievance-file", "POST"): web(MAY),
    "grievance-filed": web(OK),
    "grievance-track": web(OK),
    "grievance-status": web(OK),
    ("grievance-status", "POST"): web(MAY),
    # The handlers' pages: a grievance not routed yet is the verifiers' (staff) alone.
    "grievance-list": web(OK, anon=LOGIN),
    "grievance-handle": web(HIDDEN, anon=LOGIN, staff=OK),
    ("grievance-handle", "POST"): web(HIDDEN, anon=LOGIN, staff=MAY),
    "grievance-attachment": web(HIDDEN, anon=LOGIN, staff=OK),
    "two-factor": web(OK, anon=LOGIN),
    ("two-factor", "POST"): web(MAY, anon=LOGIN),
    "two-factor-codes": web(REDIRECT, anon=LOGIN, reviewer=OK, staff=OK),
    ("two-factor-codes", "POST"): web(REDIRECT, anon=LOGIN, reviewer=MAY, staff=MAY),
    "two-factor-disable": web(REDIRECT, anon=LOGIN, reviewer=FORBIDDEN, staff=FORBIDDEN),
    ("two-factor-disable", "POST"): web(REDIRECT, anon=LOGIN, reviewer=FORBIDDEN, staff=FORBIDDEN),
    "two-factor-verify": web(REDIRECT, anon=LOGIN),
    ("two-factor-verify", "POST"): web(REDIRECT, anon=LOGIN),
    "tranche-payment-order": web(HIDDEN, member=OK, officer=OK, evaluator=OK, staff=OK),
    "tranche-release": web(HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=OK, staff=FORBIDDEN),
    # The commissioning sample's tranche 2, paid on request: the organisation asks, the
    # agency's officer answers; staff read it.
    "tranche-request": web(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    ("tranche-request", "POST"): web(HIDDEN, anon=LOGIN, member=MAY, officer=MAY, staff=MAY),
    ("tranche-release", "POST"): web(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN
    ),
    # --- the API (/api/v1/) ---
    "api-agency-detail": row(OK),
    "api-agency-list": row(OK),
    "api-agreement-accept": row(METHOD, anon=LOGIN),
    ("api-agreement-accept", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-complete": row(METHOD, anon=LOGIN),
    ("api-agreement-complete", "POST"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        officer=MAY,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "api-agreement-decline": row(METHOD, anon=LOGIN),
    ("api-agreement-decline", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-design": row(METHOD, anon=LOGIN),
    ("api-agreement-design", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=MAY, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-detail": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK, api=OK),
    "api-agreement-document": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK, api=OK),
    "api-agreement-end-notice": row(METHOD, anon=LOGIN),
    ("api-agreement-end-notice", "POST"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        officer=MAY,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "api-agreement-evaluation-plan": row(METHOD, anon=LOGIN),
    ("api-agreement-evaluation-plan", "PATCH"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        officer=MAY,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "api-agreement-evaluation-submit": row(METHOD, anon=LOGIN),
    ("api-agreement-evaluation-submit", "POST"): row(
        HIDDEN,
        anon=LOGIN,
        member=FORBIDDEN,
        officer=MAY,
        evaluator=MAY,
        staff=FORBIDDEN,
        api=FORBIDDEN,
    ),
    "api-agreement-evaluations": row(
        OK,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
        api=FORBIDDEN,
    ),
    ("api-agreement-evaluations", "POST"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        officer=MAY,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "api-agreement-list": row(OK, anon=LOGIN),
    "api-agreement-renew": row(METHOD, anon=LOGIN),
    ("api-agreement-renew", "POST"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        officer=MAY,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "api-agreement-report-accept": row(METHOD, anon=LOGIN),
    ("api-agreement-report-accept", "POST"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        officer=MAY,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "api-agreement-report-return": row(METHOD, anon=LOGIN),
    ("api-agreement-report-return", "POST"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        officer=MAY,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "api-agreement-report-submit": row(METHOD, anon=LOGIN),
    ("api-agreement-report-submit", "POST"): row(
        HIDDEN,
        anon=LOGIN,
        member=MAY,
        officer=FORBIDDEN,
        evaluator=FORBIDDEN,
        staff=FORBIDDEN,
        api=FORBIDDEN,
    ),
    "api-agreement-reports": row(
        OK,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
        api=FORBIDDEN,
    ),
    "api-agreement-settle": row(METHOD, anon=LOGIN),
    ("api-agreement-settle", "POST"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        officer=MAY,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "api-agreement-settlement": row(HIDDEN, anon=LOGIN),
    ("api-agreement-settlement", "POST"): row(
        HIDDEN,
        anon=LOGIN,
        member=MAY,
        officer=FORBIDDEN,
        evaluator=FORBIDDEN,
        staff=FORBIDDEN,
        api=FORBIDDEN,
    ),
    "api-agreement-start-delivery": row(METHOD, anon=LOGIN),
    ("api-agreement-start-delivery", "POST"): row(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-terminate": row(METHOD, anon=LOGIN),
    ("api-agreement-terminate", "POST"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        officer=MAY,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "api-agreement-tranche-pay": row(METHOD, anon=LOGIN),
    ("api-agreement-tranche-pay", "POST"): row(
        FORBIDDEN,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
        api=MAY,
    ),
    "api-agreement-expenses": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK, api=OK),
    ("api-agreement-expenses", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-expense-check": row(METHOD, anon=LOGIN),
    # The sample grant's expense (recorded in its period): the agency's officer checks it.
    ("api-agreement-expense-check", "POST"): row(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-expense-answer": row(METHOD, anon=LOGIN),
    # The sample expense is not queried: its members are told so (409), no one else may.
    ("api-agreement-expense-answer", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-budget": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK, api=OK),
    "api-agreement-variations": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK, api=OK),
    ("api-agreement-variations", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=MAY, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-variation-agree": row(METHOD, anon=LOGIN),
    # variation 1 of the sample grant: the agency proposed it, the organisation answers
    ("api-agreement-variation-agree", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-variation-decline": row(METHOD, anon=LOGIN),
    ("api-agreement-variation-decline", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-variation-withdraw": row(METHOD, anon=LOGIN),
    ("api-agreement-variation-withdraw", "POST"): row(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-tranche-release": row(METHOD, anon=LOGIN),
    ("api-agreement-tranche-release", "POST"): row(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-tranches": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK, api=OK),
    "api-agreement-report-evidence": row(METHOD, anon=LOGIN),
    # The contract's report 1 is sent: nothing is attached any more (409 for its members).
    ("api-agreement-report-evidence", "POST"): row(
        HIDDEN,
        anon=LOGIN,
        member=MAY,
        officer=FORBIDDEN,
        evaluator=FORBIDDEN,
        staff=FORBIDDEN,
        api=FORBIDDEN,
    ),
    # A sent report's photo: as the report, a system needs the reports scope.
    "api-agreement-report-evidence-item": row(
        OK,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
        api=FORBIDDEN,
    ),
    ("api-agreement-report-evidence-item", "DELETE"): row(
        HIDDEN,
        anon=LOGIN,
        member=MAY,
        officer=FORBIDDEN,
        evaluator=FORBIDDEN,
        staff=FORBIDDEN,
        api=FORBIDDEN,
    ),
    "api-agreement-tranche-request": row(METHOD, anon=LOGIN),
    ("api-agreement-tranche-request", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-agreement-tranche-request-return": row(METHOD, anon=LOGIN),
    ("api-agreement-tranche-request-return", "POST"): row(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-call-assign-evaluators": row(METHOD),
    ("api-call-assign-evaluators", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-call-cancel": row(METHOD),
    ("api-call-cancel", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-call-close": row(METHOD),
    ("api-call-close", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-call-detail": row(HIDDEN, officer=OK, staff=OK),
    ("api-call-detail", "PATCH"): row(HIDDEN, anon=LOGIN, officer=MAY, staff=FORBIDDEN),
    ("api-call-detail", "PUT"): row(METHOD, anon=LOGIN),
    "api-call-evaluators": row(FORBIDDEN, anon=LOGIN, officer=OK),
    "api-call-list": row(OK),
    ("api-call-list", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "api-call-publish": row(METHOD),
    "api-call-forecast": row(METHOD),
    ("api-call-forecast", "POST"): row(HIDDEN, anon=LOGIN, officer=MAY, staff=FORBIDDEN),
    "api-call-question-list": row(OK),
    ("api-call-question-list", "POST"): row(
        FORBIDDEN, anon=LOGIN, member=MAY, other_member=MAY, registering=MAY
    ),
    ("api-call-question-detail", "PATCH"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    ("api-call-question-detail", "PUT"): row(METHOD, anon=LOGIN),
    "api-call-question-detail": row(METHOD),
    "api-call-addendum-list": row(OK),
    "api-call-decide": row(METHOD, anon=LOGIN),
    ("api-call-decide", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-saved-search-list": row(OK, anon=LOGIN),
    ("api-saved-search-list", "POST"): row(
        FORBIDDEN, anon=LOGIN, member=MAY, other_member=MAY, registering=MAY
    ),
    "api-saved-search-detail": row(METHOD, anon=LOGIN),
    ("api-saved-search-detail", "DELETE"): row(HIDDEN, anon=LOGIN, member=MAY),
    ("api-call-addendum-list", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    ("api-call-publish", "POST"): row(HIDDEN, anon=LOGIN, officer=MAY, staff=FORBIDDEN),
    "api-call-ranking": row(FORBIDDEN, anon=LOGIN, officer=OK, staff=OK),
    "api-cso-approve": row(METHOD),
    ("api-cso-approve", "POST"): row(HIDDEN, anon=LOGIN, reviewer=MAY, staff=FORBIDDEN),
    "api-cso-bank-account": row(
        FORBIDDEN, anon=LOGIN, member=OK, officer=OK, reviewer=OK, staff=OK
    ),
    ("api-cso-bank-account", "PUT"): row(FORBIDDEN, anon=LOGIN, member=MAY),
    "api-cso-bank-account-changes": row(
        FORBIDDEN, anon=LOGIN, member=OK, officer=OK, reviewer=OK, staff=OK
    ),
    "api-cso-certificate": row(OK),
    "api-cso-detail": row(HIDDEN, registering=OK, reviewer=OK, staff=OK),
    ("api-cso-detail", "PATCH"): row(
        HIDDEN, anon=LOGIN, registering=MAY, reviewer=FORBIDDEN, staff=FORBIDDEN
    ),
    ("api-cso-detail", "PUT"): row(
        HIDDEN, anon=LOGIN, registering=MAY, reviewer=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-cso-document-file": row(FORBIDDEN, anon=LOGIN, member=OK, reviewer=OK, staff=OK),
    "api-cso-documents": row(FORBIDDEN, anon=LOGIN, member=OK, reviewer=OK, staff=OK),
    ("api-cso-documents", "POST"): row(FORBIDDEN, anon=LOGIN, member=MAY),
    "api-cso-history": row(FORBIDDEN, anon=LOGIN, member=OK, reviewer=OK, staff=OK),
    "api-cso-list": row(OK),
    ("api-cso-list", "POST"): row(FORBIDDEN, anon=LOGIN),
    "api-cso-reinstate": row(METHOD),
    ("api-cso-reinstate", "POST"): row(FORBIDDEN, anon=LOGIN, reviewer=MAY),
    "api-cso-reject": row(METHOD),
    ("api-cso-reject", "POST"): row(HIDDEN, anon=LOGIN, reviewer=MAY, staff=FORBIDDEN),
    "api-cso-request-changes": row(METHOD),
    ("api-cso-request-changes", "POST"): row(HIDDEN, anon=LOGIN, reviewer=MAY, staff=FORBIDDEN),
    "api-cso-submit": row(METHOD),
    ("api-cso-submit", "POST"): row(
        HIDDEN, anon=LOGIN, registering=MAY, reviewer=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-cso-suspend": row(METHOD),
    ("api-cso-suspend", "POST"): row(FORBIDDEN, anon=LOGIN, reviewer=MAY),
    "api-me": row(OK, anon=LOGIN),
    "api-mission-detail": row(OK),
    ("api-mission-detail", "PATCH"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    ("api-mission-detail", "PUT"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-mission-list": row(OK),
    "api-network-list": row(OK),
    "api-network-detail": row(OK),
    "api-network-member-list": row(OK),
    # An application is seen by the manager (and staff) only.
    "api-network-member-detail": row(HIDDEN, officer=OK, staff=OK),
    **{
        key: value
        for name in ("api-network-member-certify", "api-network-member-end")
        for key, value in (
            (name, row(METHOD)),
            ((name, "POST"), row(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY)),
        )
    },
    "api-network-issue-list": row(OK),
    ("api-network-issue-list", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY),
    "api-network-issue-detail": row(OK),
    "api-action-contract-list": row(OK),
    "api-action-contract-detail": row(OK),
    # The officer speaks for one of the sample contract's parties (the manager's membership).
    ("api-action-contract-sign", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    ("api-action-contract-progress", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY),
    **{
        name: row(METHOD, anon=LOGIN)
        for name in ("api-action-contract-sign", "api-action-contract-progress")
    },
    "api-ogp-commitment-list": row(OK),
    "api-ogp-commitment-detail": row(OK),
    "api-assembly-list": row(OK),
    "api-assembly-detail": row(OK),
    "api-assembly-draw": row(OK),
    ("api-assembly-draw", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-assembly-volunteer": row(METHOD),
    ("api-assembly-volunteer", "POST"): row(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-budget-round-list": row(OK),
    ("api-budget-round-list", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "api-budget-round-detail": row(OK),
    "api-budget-round-results": row(OK),
    "api-budget-round-ballot": row(OK, anon=LOGIN),
    ("api-budget-round-ballot", "POST"): row(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-budget-project-list": row(OK),
    ("api-budget-project-list", "POST"): row(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-budget-project-detail": row(OK),
    **{
        key: value
        for name in (
            "api-budget-round-start-review",
            "api-budget-round-start-voting",
            "api-budget-round-close",
            "api-budget-project-feasible",
            "api-budget-project-infeasible",
        )
        for key, value in (
            (name, row(METHOD)),
            ((name, "POST"), row(FORBIDDEN, anon=LOGIN, officer=MAY)),
        )
    },
    "api-poll-list": row(OK),
    "api-poll-detail": row(OK),
    "api-poll-vote": row(METHOD),
    # Verified participants (CSO members, officers; citizens once verified, not in the
    # matrix's users yet) may vote; the sample body is empty, so theirs is a 400.
    ("api-poll-vote", "POST"): row(
        FORBIDDEN,
        citizen=MAY,
        anon=LOGIN,
        member=MAY,
        other_member=MAY,
        registering=MAY,
        officer=MAY,
        other_officer=MAY,
    ),
    ("api-mission-list", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "api-notice-detail": row(HIDDEN, anon=LOGIN, member=OK),
    "api-notice-list": row(OK, anon=LOGIN),
    "api-notice-read": row(METHOD, anon=LOGIN),
    ("api-notice-read", "POST"): row(HIDDEN, anon=LOGIN, member=MAY),
    "api-proposal-award": row(METHOD, anon=LOGIN),
    ("api-proposal-award", "POST"): row(HIDDEN, anon=LOGIN, officer=MAY, staff=FORBIDDEN),
    "api-proposal-other-funding": row(HIDDEN, anon=LOGIN, officer=OK, staff=FORBIDDEN),
    "api-proposal-detail": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    ("api-proposal-detail", "PATCH"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN
    ),
    ("api-proposal-detail", "PUT"): row(METHOD, anon=LOGIN),
    "api-proposal-document-delete": row(METHOD, anon=LOGIN),
    ("api-proposal-document-delete", "DELETE"): row(HIDDEN, anon=LOGIN, member=MAY),
    "api-proposal-document-file": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    "api-proposal-documents": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    ("api-proposal-documents", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-proposal-feedback": row(HIDDEN, anon=LOGIN, officer=OK, evaluator=FORBIDDEN, staff=OK),
    "api-proposal-list": row(OK, anon=LOGIN),
    ("api-proposal-list", "POST"): row(FORBIDDEN, anon=LOGIN, member=MAY, other_member=MAY),
    "api-proposal-mark-presented": row(METHOD, anon=LOGIN),
    ("api-proposal-mark-presented", "POST"): row(
        HIDDEN, anon=LOGIN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-proposal-receipt": row(HIDDEN, anon=LOGIN, member=OK, officer=OK, staff=OK),
    "api-proposal-decline-concept": row(METHOD, anon=LOGIN),
    ("api-proposal-decline-concept", "POST"): row(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN
    ),
    "api-proposal-invite-full": row(METHOD, anon=LOGIN),
    ("api-proposal-invite-full", "POST"): row(
        HIDDEN, anon=LOGIN, member=FORBIDDEN, officer=MAY, staff=FORBIDDEN
    ),
    "api-proposal-request-more-information": row(METHOD, anon=LOGIN),
    ("api-proposal-request-more-information", "POST"): row(
        HIDDEN, anon=LOGIN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-proposal-cancel-information-request": row(METHOD, anon=LOGIN),
    ("api-proposal-cancel-information-request", "POST"): row(
        HIDDEN, anon=LOGIN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-proposal-reject": row(METHOD, anon=LOGIN),
    ("api-proposal-reject", "POST"): row(
        HIDDEN, anon=LOGIN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-proposal-reviews": row(HIDDEN, anon=LOGIN, officer=OK, evaluator=OK, staff=OK),
    ("api-proposal-reviews", "POST"): row(
        HIDDEN, anon=LOGIN, officer=FORBIDDEN, evaluator=MAY, staff=FORBIDDEN
    ),
    "api-proposal-schedule-presentation": row(METHOD, anon=LOGIN),
    ("api-proposal-schedule-presentation", "POST"): row(
        HIDDEN, anon=LOGIN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-proposal-select": row(METHOD, anon=LOGIN),
    ("api-proposal-select", "POST"): row(
        HIDDEN, anon=LOGIN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-proposal-shortlist": row(METHOD, anon=LOGIN),
    ("api-proposal-shortlist", "POST"): row(
        HIDDEN, anon=LOGIN, officer=MAY, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-proposal-submit": row(METHOD, anon=LOGIN),
    ("api-proposal-submit", "POST"): row(HIDDEN, anon=LOGIN, member=MAY),
    "api-proposal-withdraw": row(METHOD, anon=LOGIN),
    ("api-proposal-withdraw", "POST"): row(
        HIDDEN, anon=LOGIN, member=MAY, officer=FORBIDDEN, staff=FORBIDDEN
    ),
    "api-reference": row(OK),
    "api-register": row(METHOD),
    ("api-register", "POST"): row(MAY),
    "api-root": row(OK),
    "api-token": row(METHOD),
    ("api-token", "POST"): row(MAY),
    # Grievances: anyone files and follows one by tracking id (no personal data); the list is
    # each person's own view (verifiers all, officers their agency's, members their
    # agreements'); verifiers route, reject and merge; the routed agency's officers answer;
    # the citizen (reply code or account) replies and says whether it was resolved.
    # Public meetings: anyone reads; a person registers, cancels and asks their own
    # registration (a second registration, or cancelling none, is a 409); a system may not.
    "api-meeting-list": row(OK),
    "api-meeting-detail": row(OK),
    "api-meeting-register": row(METHOD, anon=LOGIN),
    ("api-meeting-register", "POST"): row(MAY, anon=LOGIN, api=FORBIDDEN),
    "api-meeting-cancel-registration": row(METHOD, anon=LOGIN),
    ("api-meeting-cancel-registration", "POST"): row(MAY, anon=LOGIN),
    "api-meeting-my-registration": row(OK, anon=LOGIN),
    "api-agreement-charter": row(OK),
    ("api-agreement-charter", "PATCH"): row(FORBIDDEN, anon=LOGIN, member=MAY, officer=MAY),
    "api-agreement-charter-agree": row(METHOD, anon=LOGIN),
    ("api-agreement-charter-agree", "POST"): row(FORBIDDEN, anon=LOGIN, member=MAY, officer=MAY),
    "api-agreement-report-card": row(OK),
    "api-cso-report-card": row(OK),
    "api-agency-report-card": row(OK),
    "api-feedback-create": row(METHOD),
    ("api-feedback-create", "POST"): row(MAY),
    "api-feedback-hide": row(METHOD, anon=LOGIN),
    ("api-feedback-hide", "POST"): row(HIDDEN, anon=LOGIN, member=MAY, officer=MAY),
    "api-feedback-restore": row(METHOD, anon=LOGIN),
    ("api-feedback-restore", "POST"): row(HIDDEN, anon=LOGIN, member=MAY, officer=MAY),
    "api-grievance-list": row(OK, anon=LOGIN),
    ("api-grievance-list", "POST"): row(MAY),
    "api-grievance-detail": row(OK),
    "api-grievance-route": row(METHOD),
    ("api-grievance-route", "POST"): row(FORBIDDEN, anon=LOGIN, staff=MAY),
    "api-grievance-reject": row(METHOD),
    ("api-grievance-reject", "POST"): row(FORBIDDEN, anon=LOGIN, staff=MAY),
    "api-grievance-merge": row(METHOD),
    ("api-grievance-merge", "POST"): row(FORBIDDEN, anon=LOGIN, staff=MAY),
    "api-grievance-respond": row(METHOD),
    ("api-grievance-respond", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-grievance-reply": row(METHOD),
    ("api-grievance-reply", "POST"): row(MAY),
    "api-grievance-resolved": row(METHOD),
    ("api-grievance-resolved", "POST"): row(MAY),
    ("api-token", "DELETE"): row(MAY, anon=LOGIN),
    "api-tranche-payment-order": row(
        OK,
        citizen=HIDDEN,
        anon=LOGIN,
        other_member=HIDDEN,
        registering=HIDDEN,
        other_officer=HIDDEN,
        reviewer=HIDDEN,
    ),
    "open-data-360giving-csv": row(OK),
    "open-data-360giving-json": row(OK),
    "open-data-ocds-csv": row(OK),
    "open-data-ocds-json": row(OK),
    "open-data-ocds-extension": row(OK),
    "open-data-ocds-extension-schema": row(OK),
    # Advisory groups: public once active; the agency manages them.
    "advisory-activate": web(HIDDEN, anon=LOGIN, officer=OK),
    ("advisory-activate", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY),
    "advisory-create": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    ("advisory-create", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "advisory-detail": web(HIDDEN, officer=OK),
    "advisory-dissolve": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("advisory-dissolve", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "advisory-list": web(OK),
    "advisory-meeting-add": web(METHOD, anon=LOGIN),
    ("advisory-meeting-add", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "advisory-meeting-edit": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("advisory-meeting-edit", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "advisory-member-edit": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("advisory-member-edit", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "advisory-minutes-pdf": web(OK),
    "advisory-member-add": web(METHOD, anon=LOGIN),
    ("advisory-member-add", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "advisory-recommendation-add": web(METHOD, anon=LOGIN),
    ("advisory-recommendation-add", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "advisory-recommendation-answer": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("advisory-recommendation-answer", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-advisory-group-detail": row(OK),
    "api-advisory-group-list": row(OK),
    # FAQs: published ones public; suggestions are the agency's to answer or decline.
    "api-faq-detail": row(OK),
    "api-faq-list": row(OK),
    "api-faq-suggest": row(METHOD, anon=LOGIN),
    ("api-faq-suggest", "POST"): row(MAY, anon=LOGIN, api=FORBIDDEN),
    "faq-answer": web(HIDDEN, anon=LOGIN, officer=OK),
    ("faq-answer", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY),
    "faq-decline": web(HIDDEN, anon=LOGIN, officer=OK),
    ("faq-decline", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY),
    "faq-detail": web(HIDDEN, officer=OK),
    "faq-list": web(OK),
    "faq-queue": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    ("faq-queue", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "faq-suggest": web(OK, anon=LOGIN),
    ("faq-suggest", "POST"): web(MAY, anon=LOGIN),
    "faq-unpublish": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("faq-unpublish", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    # Polls' pages (drafts are the agency's) and verifying a citizen's email address.
    "api-verify-email": row(METHOD),
    ("api-verify-email", "POST"): row(MAY),
    "api-verify-email-resend": row(METHOD, anon=LOGIN),
    ("api-verify-email-resend", "POST"): row(FORBIDDEN, citizen=MAY, anon=LOGIN),
    "poll-close": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("poll-close", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "poll-create": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    ("poll-create", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "poll-detail": web(HIDDEN, officer=OK),
    "poll-list": web(OK),
    "poll-publish": web(HIDDEN, anon=LOGIN, officer=OK),
    ("poll-publish", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY),
    "poll-vote": web(METHOD, anon=LOGIN),
    ("poll-vote", "POST"): web(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "verify-email": web(OK),
    ("verify-email", "POST"): web(MAY),
    "verify-email-resend": web(METHOD, anon=LOGIN),
    ("verify-email-resend", "POST"): web(FORBIDDEN, citizen=MAY, anon=LOGIN),
    # Consultations (agencies/consultations): public once published; the agency runs and
    # moderates (staff moderate too); verified participants answer, post and react.
    "api-consultation-close": row(METHOD),
    ("api-consultation-close", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-consultation-contribution-approve": row(METHOD, anon=LOGIN),
    ("api-consultation-contribution-approve", "POST"): row(
        FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY
    ),
    "api-consultation-contribution-detail": row(OK),
    ("api-consultation-contribution-detail", "DELETE"): row(FORBIDDEN, anon=LOGIN, member=MAY),
    "api-consultation-contribution-hide": row(METHOD, anon=LOGIN),
    ("api-consultation-contribution-hide", "POST"): row(
        FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY
    ),
    "api-consultation-contribution-list": row(OK),
    ("api-consultation-contribution-list", "POST"): row(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-consultation-contribution-react": row(METHOD, anon=LOGIN),
    ("api-consultation-contribution-react", "POST"): row(
        FORBIDDEN,
        citizen=MAY,
        anon=LOGIN,
        other_member=MAY,
        registering=MAY,
        officer=MAY,
        other_officer=MAY,
    ),
    "api-consultation-contribution-report": row(METHOD, anon=LOGIN),
    ("api-consultation-contribution-report", "POST"): row(
        MAY, anon=LOGIN, member=FORBIDDEN, api=FORBIDDEN
    ),
    "api-consultation-contribution-restore": row(METHOD, anon=LOGIN),
    ("api-consultation-contribution-restore", "POST"): row(
        FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY
    ),
    "api-consultation-detail": row(OK),
    "api-consultation-list": row(OK),
    ("api-consultation-list", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "api-consultation-my-response": row(HIDDEN, anon=LOGIN),
    "api-consultation-publish": row(METHOD),
    ("api-consultation-publish", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-consultation-report": row(METHOD),
    ("api-consultation-report", "POST"): row(FORBIDDEN, anon=LOGIN, officer=MAY),
    "api-consultation-response-report": row(OK),
    "api-consultation-responses": row(METHOD, anon=LOGIN),
    ("api-consultation-responses", "POST"): row(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN, api=FORBIDDEN
    ),
    "api-consultation-summary": row(OK),
    "consultation-agency": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    "consultation-analysis": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("consultation-analysis", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "consultation-answer": web(OK, anon=LOGIN),
    ("consultation-answer", "POST"): web(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "consultation-close": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("consultation-close", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "consultation-contribute": web(METHOD, anon=LOGIN),
    ("consultation-contribute", "POST"): web(
        MAY, anon=LOGIN, reviewer=FORBIDDEN, evaluator=FORBIDDEN, staff=FORBIDDEN
    ),
    "consultation-create": web(FORBIDDEN, anon=LOGIN, officer=OK, other_officer=OK),
    ("consultation-create", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, other_officer=MAY),
    "consultation-detail": web(OK),
    "consultation-discussion": web(OK),
    "consultation-document": web(OK),
    "consultation-document-add": web(METHOD, anon=LOGIN),
    ("consultation-document-add", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY),
    "consultation-edit": web(HIDDEN, anon=LOGIN, officer=OK),
    ("consultation-edit", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY),
    "consultation-export": web(OK),
    "consultation-list": web(OK),
    "consultation-meeting-input": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("consultation-meeting-input", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "consultation-moderation": web(FORBIDDEN, anon=LOGIN, officer=OK, staff=OK),
    "consultation-panel-add": web(METHOD, anon=LOGIN),
    ("consultation-panel-add", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "consultation-publish": web(HIDDEN, anon=LOGIN, officer=OK),
    ("consultation-publish", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY),
    "consultation-question-remove": web(METHOD, anon=LOGIN),
    ("consultation-question-remove", "POST"): web(HIDDEN, anon=LOGIN, officer=MAY),
    "consultation-questions": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("consultation-questions", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "consultation-report": web(OK),
    "consultation-report-edit": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("consultation-report-edit", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "consultation-report-pdf": web(OK),
    "consultation-report-publish": web(FORBIDDEN, anon=LOGIN, officer=OK),
    ("consultation-report-publish", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "consultation-summary": web(OK),
    "contribution-anonymise": web(FORBIDDEN, anon=LOGIN, member=OK),
    ("contribution-anonymise", "POST"): web(FORBIDDEN, anon=LOGIN, member=MAY),
    "contribution-approve": web(METHOD, anon=LOGIN),
    ("contribution-approve", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY),
    "contribution-dismiss": web(METHOD, anon=LOGIN),
    ("contribution-dismiss", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY),
    "contribution-flag": web(OK, anon=LOGIN, member=FORBIDDEN),
    ("contribution-flag", "POST"): web(MAY, anon=LOGIN, member=FORBIDDEN),
    "contribution-hide": web(METHOD, anon=LOGIN),
    ("contribution-hide", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY),
    "contribution-react": web(METHOD, anon=LOGIN),
    ("contribution-react", "POST"): web(
        FORBIDDEN,
        citizen=MAY,
        anon=LOGIN,
        other_member=MAY,
        registering=MAY,
        officer=MAY,
        other_officer=MAY,
    ),
    "contribution-restore": web(METHOD, anon=LOGIN),
    ("contribution-restore", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY, staff=MAY),
    "contribution-tag": web(METHOD, anon=LOGIN),
    ("contribution-tag", "POST"): web(FORBIDDEN, anon=LOGIN, officer=MAY),
    "contribution-withdraw": web(FORBIDDEN, anon=LOGIN, member=OK),
    ("contribution-withdraw", "POST"): web(FORBIDDEN, anon=LOGIN, member=MAY),
}


# --- the sample each URL is asked about --------------------------------------------------


def _doc(obj):
    return obj.documents.order_by("pk").first().pk


# Where the phone sweep's first sample (tests/samples.py) is not the one that tells owners
# from others, or the URL is the API's: the keyword arguments to ask with (a list: each
# asked, with the same expected answers).
MATRIX_KWARGS = {
    **{
        name: (lambda d: {"pk": d["consultation"].pk})
        for name in (
            "api-consultation-detail",
            "api-consultation-publish",
            "api-consultation-close",
            "api-consultation-responses",
            "api-consultation-my-response",
        )
    },
    **{
        name: (lambda d: {"pk": d["reported_consultation"].pk})
        for name in (
            "api-consultation-summary",
            "api-consultation-response-report",
            "api-consultation-report",
        )
    },
    "api-consultation-contribution-list": lambda d: {"consultation_pk": d["consultation"].pk},
    **{
        name: (lambda d: {"consultation_pk": d["consultation"].pk, "pk": d["idea"].pk})
        for name in (
            "api-consultation-contribution-detail",
            "api-consultation-contribution-react",
            "api-consultation-contribution-report",
            "api-consultation-contribution-hide",
            "api-consultation-contribution-restore",
            "api-consultation-contribution-approve",
        )
    },
    "api-poll-detail": lambda d: {"pk": d["poll"].pk},
    "api-assembly-detail": lambda d: {"pk": d["assembly"].pk},
    "api-network-detail": lambda d: {"pk": d["network"].pk},
    "api-network-member-list": lambda d: {"network_pk": d["network"].pk},
    "api-network-issue-list": lambda d: {"network_pk": d["network"].pk},
    "api-network-issue-detail": lambda d: {
        "network_pk": d["network"].pk,
        "pk": d["local_issue"].pk,
    },
    **{
        name: (lambda d: {"pk": d["action_contract"].pk})
        for name in (
            "api-action-contract-detail",
            "api-action-contract-sign",
            "api-action-contract-progress",
        )
    },
    **{
        name: (
            lambda d: {
                "network_pk": d["network"].pk,
                "pk": d["network"].members.get(status="applied").pk,
            }
        )
        for name in (
            "api-network-member-detail",
            "api-network-member-certify",
            "api-network-member-end",
        )
    },
    "api-ogp-commitment-detail": lambda d: {"pk": d["ogp_plan"].commitments.get().pk},
    "api-assembly-volunteer": lambda d: {"pk": d["assembly"].pk},
    "api-assembly-draw": lambda d: {"pk": d["assembly"].pk},
    # Participatory budgets: the voting round, and the closed one for its count.
    **{
        name: (lambda d: {"pk": d["budget_round"].pk})
        for name in (
            "api-budget-round-detail",
            "api-budget-round-ballot",
            "api-budget-round-close",
            "api-budget-round-start-review",
            "api-budget-round-start-voting",
        )
    },
    "api-budget-round-results": lambda d: {"pk": d["closed_budget_round"].pk},
    "api-budget-project-list": lambda d: {"round_pk": d["budget_round"].pk},
    **{
        name: (
            lambda d: {
                "round_pk": d["budget_round"].pk,
                "pk": d["budget_round"].projects.order_by("pk").first().pk,
            }
        )
        for name in (
            "api-budget-project-detail",
            "api-budget-project-feasible",
            "api-budget-project-infeasible",
        )
    },
    # A draft advisory group is its agency's alone; an active one is public.
    "advisory-detail": lambda d: {"pk": d["draft_advisory_group"].pk},
    "api-advisory-group-detail": lambda d: {"pk": d["advisory_group"].pk},
    # A suggested question is its agency's alone; a published one is public.
    "faq-detail": lambda d: {"pk": d["suggested_faq"].pk},
    "api-faq-detail": lambda d: {"pk": d["faq"].pk},
    # A draft poll is its agency's alone; an open one is public.
    "poll-detail": lambda d: {"pk": d["draft_poll"].pk},
    "api-poll-vote": lambda d: {"pk": d["poll"].pk},
    # The mission's own route, where the other agency's officer is refused; calls/new/ (the
    # same view, the mission picked on the form) is open to every officer.
    "call-create": lambda d: {"mission_pk": d["open_call"].mission_id},
    # A draft call is its agency's alone; a published one is public.
    "call-detail": lambda d: {"pk": d["draft_call"].pk},
    # A submitted proposal: its organisation's and the call's agency's.
    "proposal-detail": lambda d: {"pk": d["submitted"].pk},
    # The organisation still registering: not public yet.
    "cso-detail": lambda d: {"pk": d["returned"].pk},
    "proposal-decision": lambda d: {"pk": d["ranked"][0].pk, "action": "select"},
    "review-decision": lambda d: {"pk": d["in_review"].pk, "action": "approve"},
    "agreement-action": lambda d: {"pk": d["contract"].pk, "action": "complete"},
    "certificate-verify-number": lambda d: {"number": d["cso"].certificate_number},
    # The API.
    "api-reference": lambda d: {"set": "provinces"},
    "api-agency-detail": lambda d: {"pk": d["roles"]["agency_officer"].agency_id},
    "api-mission-detail": lambda d: {"pk": d["open_call"].mission_id},
    "api-cso-certificate": lambda d: {"pk": d["cso"].pk},
    "api-cso-detail": lambda d: {"pk": d["returned"].pk},
    "api-cso-approve": lambda d: {"pk": d["in_review"].pk},
    "api-cso-reject": lambda d: {"pk": d["in_review"].pk},
    "api-cso-request-changes": lambda d: {"pk": d["in_review"].pk},
    "api-cso-submit": lambda d: {"pk": d["returned"].pk},
    "api-cso-suspend": lambda d: {"pk": d["cso"].pk},
    "api-cso-reinstate": lambda d: {"pk": d["cso"].pk},
    "api-cso-bank-account": lambda d: {"pk": d["cso"].pk},
    "api-cso-bank-account-changes": lambda d: {"pk": d["cso"].pk},
    "api-cso-documents": lambda d: {"pk": d["cso"].pk},
    "api-cso-document-file": lambda d: {"pk": d["cso"].pk, "document_id": _doc(d["cso"])},
    "api-cso-history": lambda d: {"pk": d["cso"].pk},
    "api-call-detail": lambda d: {"pk": d["draft_call"].pk},
    "api-call-publish": lambda d: {"pk": d["draft_call"].pk},
    "api-call-forecast": lambda d: {"pk": d["draft_call"].pk},
    "api-call-question-list": lambda d: {"call_pk": d["open_call"].pk},
    "api-call-question-detail": lambda d: {
        "call_pk": d["open_call"].pk,
        "pk": d["call_question"].pk,
    },
    "api-call-addendum-list": lambda d: {"call_pk": d["open_call"].pk},
    "api-call-decide": lambda d: {"pk": d["ranked_call"].pk},
    "api-saved-search-detail": lambda d: {"pk": d["saved_search"].pk},
    "api-call-assign-evaluators": lambda d: {"pk": d["open_call"].pk},
    "api-call-cancel": lambda d: {"pk": d["open_call"].pk},
    "api-call-close": lambda d: {"pk": d["open_call"].pk},
    "api-call-evaluators": lambda d: {"pk": d["open_call"].pk},
    "api-call-ranking": lambda d: {"pk": d["ranked_call"].pk},
    "api-proposal-detail": lambda d: {"pk": d["submitted"].pk},
    "api-proposal-receipt": lambda d: {"pk": d["submitted"].pk},
    "api-proposal-documents": lambda d: {"pk": d["submitted"].pk},
    "api-proposal-document-file": lambda d: {
        "pk": d["submitted"].pk,
        "document_id": _doc(d["submitted"]),
    },
    "api-proposal-document-delete": lambda d: {
        "pk": d["draft"].pk,
        "document_id": _doc(d["draft"]),
    },
    "api-proposal-submit": lambda d: {"pk": d["draft"].pk},
    "api-proposal-withdraw": lambda d: {"pk": d["submitted"].pk},
    "api-proposal-shortlist": lambda d: {"pk": d["ranked"][0].pk},
    "api-proposal-schedule-presentation": lambda d: {"pk": d["ranked"][0].pk},
    "api-proposal-mark-presented": lambda d: {"pk": d["ranked"][0].pk},
    "api-proposal-select": lambda d: {"pk": d["ranked"][0].pk},
    "api-proposal-reject": lambda d: {"pk": d["ranked"][0].pk},
    "api-proposal-request-more-information": lambda d: {"pk": d["ranked"][0].pk},
    "api-proposal-cancel-information-request": lambda d: {"pk": d["ranked"][0].pk},
    "api-proposal-invite-full": lambda d: {"pk": d["invited"].pk},
    "api-proposal-decline-concept": lambda d: {"pk": d["invited"].pk},
    "api-proposal-feedback": lambda d: {"pk": d["ranked"][0].pk},
    "api-proposal-reviews": lambda d: {"pk": d["ranked"][0].pk},
    "api-proposal-award": lambda d: {"pk": d["selected"].pk},
    "api-proposal-other-funding": lambda d: {"pk": d["selected"].pk},
    "api-agreement-detail": lambda d: {"pk": d["grant"].pk},
    "api-agreement-document": lambda d: {"pk": d["grant"].pk},
    "api-agreement-tranches": lambda d: {"pk": d["grant"].pk},
    "api-agreement-tranche-release": lambda d: {"pk": d["grant"].pk, "seq": 1},
    "api-agreement-tranche-request": lambda d: {"pk": d["commissioning"].pk, "seq": 2},
    "api-agreement-tranche-request-return": lambda d: {"pk": d["commissioning"].pk, "seq": 2},
    "api-agreement-variations": lambda d: {"pk": d["grant"].pk},
    "api-agreement-expenses": lambda d: {"pk": d["grant"].pk},
    "api-agreement-expense-check": lambda d: {"pk": d["grant"].pk, "expense_id": d["expense"].pk},
    "api-agreement-report-evidence": lambda d: {"pk": d["contract"].pk, "seq": 1},
    "api-agreement-expense-answer": lambda d: {"pk": d["grant"].pk, "expense_id": d["expense"].pk},
    "api-agreement-report-evidence-item": lambda d: {
        "pk": d["contract"].pk,
        "seq": 1,
        "evidence_id": d["evidence"].pk,
    },
    "api-agreement-budget": lambda d: {"pk": d["grant"].pk},
    "api-agreement-variation-agree": lambda d: {"pk": d["grant"].pk, "number": 1},
    "api-agreement-variation-decline": lambda d: {"pk": d["grant"].pk, "number": 1},
    "api-agreement-variation-withdraw": lambda d: {"pk": d["grant"].pk, "number": 1},
    "api-agreement-tranche-pay": lambda d: {"pk": d["contract"].pk, "seq": 1},
    "api-tranche-payment-order": lambda d: {"pk": d["contract"].pk, "seq": 1},
    "api-agreement-accept": lambda d: {"pk": d["grant"].pk},
    "api-agreement-decline": lambda d: {"pk": d["grant"].pk},
    "api-agreement-design": lambda d: {"pk": d["commissioning"].pk},
    "api-agreement-start-delivery": lambda d: {"pk": d["commissioning"].pk},
    "api-agreement-complete": lambda d: {"pk": d["contract"].pk},
    "api-agreement-end-notice": lambda d: {"pk": d["contract"].pk},
    "api-agreement-renew": lambda d: {"pk": d["contract"].pk},
    "api-agreement-settle": lambda d: {"pk": d["contract"].pk},
    "api-agreement-settlement": lambda d: {"pk": d["contract"].pk},
    # The published public meeting (full, someone waiting).
    "api-meeting-detail": lambda d: {"pk": d["meeting"].pk},
    "api-meeting-register": lambda d: {"pk": d["meeting"].pk},
    "api-meeting-cancel-registration": lambda d: {"pk": d["meeting"].pk},
    "api-meeting-my-registration": lambda d: {"pk": d["meeting"].pk},
    # The citizens' side of organisation A's grant: its charter (agreed), report cards, and
    # its two survey answers (the first shown, the second hidden).
    "charter-poster": lambda d: {"pk": d["grant"].pk},
    "api-agreement-charter": lambda d: {"pk": d["grant"].pk},
    "api-agreement-charter-agree": lambda d: {"pk": d["grant"].pk},
    "api-agreement-report-card": lambda d: {"pk": d["grant"].pk},
    "api-cso-report-card": lambda d: {"pk": d["cso"].pk},
    "api-agency-report-card": lambda d: {"pk": d["grant"].agency_id},
    "api-feedback-hide": lambda d: {"pk": d["feedback"][0].pk},
    "api-feedback-restore": lambda d: {"pk": d["feedback"][1].pk},
    # A grievance just filed (not routed: verifiers only) and one answered by the officer's
    # agency, by tracking id.
    "api-grievance-detail": lambda d: {"tracking_id": d["grievance"].tracking_id},
    "api-grievance-route": lambda d: {"tracking_id": d["grievance"].tracking_id},
    "api-grievance-reject": lambda d: {"tracking_id": d["grievance"].tracking_id},
    "api-grievance-merge": lambda d: {"tracking_id": d["grievance"].tracking_id},
    "api-grievance-respond": lambda d: {"tracking_id": d["answered_grievance"].tracking_id},
    "api-grievance-reply": lambda d: {"tracking_id": d["answered_grievance"].tracking_id},
    "api-grievance-resolved": lambda d: {"tracking_id": d["answered_grievance"].tracking_id},
    "api-agreement-terminate": lambda d: {"pk": d["contract"].pk},
    "api-agreement-reports": lambda d: {"pk": d["contract"].pk},
    "api-agreement-report-submit": lambda d: {"pk": d["contract"].pk, "seq": 1},
    "api-agreement-report-accept": lambda d: {"pk": d["contract"].pk, "seq": 1},
    "api-agreement-report-return": lambda d: {"pk": d["contract"].pk, "seq": 1},
    "api-agreement-evaluations": lambda d: {"pk": d["contract"].pk},
    "api-agreement-evaluation-plan": lambda d: {
        "pk": d["contract"].pk,
        "eid": d["evaluations"][0].pk,
    },
    "api-agreement-evaluation-submit": lambda d: {
        "pk": d["contract"].pk,
        "eid": d["evaluations"][0].pk,
    },
    "api-notice-detail": lambda d: {"pk": d["notice"].pk},
    "api-notice-read": lambda d: {"pk": d["notice"].pk},
}


# An unsafe method is sent with an empty body, except to pages whose POST names what to do
# (an empty one does nothing there, so it would not reach the permission): the smallest body
# that asks for the action.
POST_BODY = {
    "agreement-detail": {"action": "release", "tranche": "1"},
    "evaluation-detail": {"action": "record"},
    "report-detail": {"action": "submit"},
}


def paths(name, data):
    """The URLs asked for ``name``: its sample's arguments put in (none for a URL without)."""
    make = MATRIX_KWARGS.get(name) or SAMPLE_KWARGS.get(name)
    sample = make(data) if make else {}
    if isinstance(sample, list) and name not in MATRIX_KWARGS:
        sample = sample[0]
    return [
        reverse(name, kwargs=kwargs)
        for kwargs in (sample if isinstance(sample, list) else [sample])
    ]


# --- the world -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The sample objects and the users, made once for the module inside a transaction rolled
    back at its end; each test runs in a savepoint of it, each request in one of its own."""
    from django.conf import settings

    media = tmp_path_factory.mktemp("matrix-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        # Each request's rows are rolled back, the disk is not: a document one user deletes
        # keeps its file for the next.
        patch.setattr(FileSystemStorage, "delete", lambda storage, name: None)
        # Who gets a PDF is the question here, not what it says (the PDFs have tests of
        # their own): WeasyPrint's half second a document would be most of this module's time.
        patch.setattr(weasyprint.HTML, "write_pdf", lambda html, *args, **kwargs: b"%PDF-1.7")
        data = build_data()
        roles = data["roles"]
        users = {
            "anon": None,
            "member": roles["cso_member"],
            "other_member": f.CSOFactory(status="approved").members.get(),
            "registering": roles["cso_member_registering"],
            "citizen": f.citizen(),
            "officer": roles["agency_officer"],
            "other_officer": f.OfficerFactory(),
            "reviewer": roles["committee_reviewer"],
            "evaluator": roles["evaluator"],
            "staff": roles["staff_admin"],
            "api": f.ApiClientFactory(scopes=["read", "payments"]).user,
        }
        sessions, tokens = {}, {}
        for who, user in users.items():
            if user is None:
                continue
            client = Client()
            # Staff and reviewers with their authenticator app's code given (two-factor
            # sign-in is its own test's business; this fixture outlives the autouse patch).
            force_login_verified(client, user)
            sessions[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
            tokens[who] = Token.objects.get_or_create(user=user)[0].key
        yield {"data": data, "users": users, "sessions": sessions, "tokens": tokens}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root():
    """The module's files stay where ``world`` put them (conftest gives each test its own)."""


def outcome(response) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return OK
    if 300 <= code < 400:
        login = reverse("login")
        return LOGIN if urlparse(response["Location"]).path == login else REDIRECT
    return {401: LOGIN, 403: FORBIDDEN, 404: HIDDEN, 405: METHOD}.get(code, str(code))


def ask(world, who, method, path, *, api, body=None):
    """(answer, whether an audit row was written): one request in a savepoint rolled back."""
    from django.conf import settings

    with transaction.atomic():
        before = AuditLog.objects.count() if method != "GET" else 0
        if api:
            client = APIClient()
            if who in world["tokens"]:
                client.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens'][who]}")
            send = getattr(client, method.lower())
            response = send(path) if method == "GET" else send(path, body or {}, format="json")
        else:
            client = Client()
            if who in world["sessions"]:
                client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][who]
            send = getattr(client, method.lower())
            response = send(path) if method == "GET" else send(path, body or {})
        if response.streaming:  # a file: read it through the test client's own wrapper,
            b"".join(response.streaming_content)  # which closes it without the connection
        wrote = method != "GET" and AuditLog.objects.count() != before
        transaction.set_rollback(True)
    return outcome(response), wrote


def rows_of(name):
    """{method: row} of the URL name in the table."""
    found = {}
    for key, value in TABLE.items():
        key_name, method = key if isinstance(key, tuple) else (key, "GET")
        if key_name == name:
            found[method] = value
    return found


def table_names():
    return {key[0] if isinstance(key, tuple) else key for key in TABLE}


# MATRIX_RECORD=1 pytest -s ... prints what each URL answers every user instead of judging it:
# a start for a new URL's rows, to be read (is that answer right?) before it is copied.
RECORD = os.environ.get("MATRIX_RECORD")


def record(name, is_api, declared, urls, world):
    for method in ["GET", *sorted(declared)]:
        for path in urls:
            seen = {}
            for who in USERS:
                try:
                    body = POST_BODY.get(name)
                    seen[who] = ask(world, who, method, path, api=is_api, body=body)[0]
                except Exception as exc:  # noqa: BLE001 - recorded, not judged
                    seen[who] = f"500 {type(exc).__name__}: {exc}"[:120]
            print(f"\nRECORD {name} {method} {path} {seen}")  # noqa: T201


@pytest.mark.parametrize("name", sorted(set(URLS) | table_names()))
def test_every_url_answers_each_user_as_the_table_says(name, db, world):
    assert name in URLS, f"TABLE has a row for {name!r}, which is no longer a URL: remove it"
    is_api, declared, route = URLS[name]
    rows = rows_of(name)
    if not RECORD:
        assert "GET" in rows, (
            f"{name} (/{route}) has no row in TABLE: decide who may use it and add one"
        )
        missing = sorted(declared - set(rows))
        assert not missing, (
            f"{name} (/{route}) takes {missing} but TABLE has no row for it: "
            f"add ({name!r}, {missing[0]!r})"
        )
    try:
        urls = paths(name, world["data"])
    except NoReverseMatch:
        pytest.fail(
            f"{name} (/{route}) takes arguments the matrix cannot fill: add its sample to "
            "MATRIX_KWARGS here (or to SAMPLE_KWARGS in tests/samples.py)"
        )
    if RECORD:
        record(name, is_api, declared, urls, world)
        return
    problems = []
    for method, expected in rows.items():
        for path in urls:
            for who in USERS:
                want = expected[who]
                got, wrote = ask(world, who, method, path, api=is_api, body=POST_BODY.get(name))
                if want == MAY:
                    if got in REFUSALS or got.startswith("5"):
                        problems.append(f"{method} {path} as {who}: {got}, but may")
                elif got != want:
                    problems.append(f"{method} {path} as {who}: {got}, table says {want}")
                elif method != "GET" and wrote:
                    problems.append(f"{method} {path} as {who}: refused ({got}) but wrote audit")
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)
