"""Notices: one ``notify(kind, recipients, obj, ...)`` call records a notice per person and
hands it to the channels (the in-app inbox, and email through a Celery task queued on
commit). The database decides "once": each notice has a unique key per (kind, object, due
date, recipient). ``sweep()`` runs each app's deadline rules (Celery beat) and notifies
what is due; running it twice, or two at once, records nothing twice."""

import datetime
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .dates import format_be

# Apps whose ``notices`` module holds deadline rules (functions decorated with @rule).
RULE_MODULES = ["csos.notices", "contracts.notices"]


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    lead_days: int  # the default; NoticeKind rows hold the admin's setting
    subject: str
    body: str
    legal: bool = False  # a legal deadline: its in-app notice cannot be turned off
    audience: str = ""


def _k(code, label, lead, subject, body, *, legal=False, audience=""):
    return Kind(code, label, lead, subject, body, legal, audience)


KINDS = {
    k.code: k
    for k in [
        _k(
            "call_closing_soon",
            _("A call closes soon"),
            3,
            _("The call “%(call)s” closes on %(due)s"),
            _(
                "Your organisation's proposal “%(title)s” for the call “%(call)s” is still a "
                "draft. Submit it before %(due)s; the call takes no proposals after that."
            ),
            audience=_("CSO members with a draft proposal"),
        ),
        _k(
            "call_closed",
            _("A call has closed"),
            0,
            _("The call “%(call)s” has closed"),
            _(
                "The call “%(call)s” closed on %(due)s with %(count)s proposals. The "
                "evaluators can finish their scores and you can decide."
            ),
            audience=_("the agency's officers"),
        ),
        _k(
            "registration_waiting",
            _("A registration waits for review"),
            14,
            _("“%(cso)s” has waited %(days)s days for review"),
            _("The registration of “%(cso)s” was submitted on %(since)s and has no decision yet."),
            audience=_("committee reviewers"),
        ),
        _k(
            "proposals_waiting",
            _("Proposals wait for review"),
            14,
            _("Proposals for “%(call)s” are waiting for a decision"),
            _(
                "The call “%(call)s” closed on %(since)s and %(count)s proposals still wait "
                "for scores or a decision."
            ),
            audience=_("the agency's officers and the call's evaluators"),
        ),
        _k(
            "report_due",
            _("A progress report falls due"),
            7,
            _("Progress report %(seq)s of %(number)s is due on %(due)s"),
            _("Send progress report %(seq)s of the agreement %(number)s “%(title)s” by %(due)s."),
            audience=_("CSO members"),
        ),
        _k(
            "report_overdue",
            _("A progress report is overdue"),
            1,
            _("Progress report %(seq)s of %(number)s is overdue"),
            _(
                "Progress report %(seq)s of the agreement %(number)s “%(title)s” was due on "
                "%(due)s and has not been accepted."
            ),
            audience=_("CSO members and the agency's officers"),
        ),
        _k(
            "report_returned",
            _("A progress report was returned"),
            0,
            _("Progress report %(seq)s of %(number)s was returned"),
            _("The agency returned progress report %(seq)s with comments: %(comment)s"),
            audience=_("CSO members"),
        ),
        _k(
            "evaluation_due",
            _("An evaluation falls due"),
            14,
            _("%(evaluation)s of %(number)s is due on %(due)s"),
            _("%(evaluation)s of the agreement %(number)s “%(title)s” is due on %(due)s."),
            legal=True,
            audience=_("the agency's officers and the evaluators"),
        ),
        _k(
            "evaluation_overdue",
            _("An evaluation is overdue"),
            1,
            _("%(evaluation)s of %(number)s is overdue"),
            _(
                "%(evaluation)s of the agreement %(number)s “%(title)s” was due on %(due)s and "
                "has not been recorded."
            ),
            legal=True,
            audience=_("the agency's officers and the evaluators"),
        ),
        _k(
            "settlement_due",
            _("The settlement falls due"),
            14,
            _("The settlement of %(number)s is due on %(due)s"),
            _(
                "State what was spent under the agreement %(number)s “%(title)s” by %(due)s, "
                "2 months after it ended."
            ),
            legal=True,
            audience=_("CSO members"),
        ),
        _k(
            "settlement_overdue",
            _("The settlement is overdue"),
            1,
            _("The settlement of %(number)s is overdue"),
            _("The settlement of the agreement %(number)s “%(title)s” was due on %(due)s."),
            legal=True,
            audience=_("CSO members and the agency's officers"),
        ),
        _k(
            "partnership_ending",
            _("A partnership is going to end"),
            14,
            _("The partnership %(number)s ends on %(end)s"),
            _(
                "The agreement %(number)s “%(title)s” with %(agency)s ends on %(end)s. This "
                "is the notice of at least 3 months that the partnership is ending."
            ),
            legal=True,
            audience=_("CSO members"),
        ),
        _k(
            "end_warning_late",
            _("The 3-month end warning is late"),
            0,
            _("No 3-month warning went out for %(number)s"),
            _(
                "The agreement %(number)s “%(title)s” ends on %(end)s, less than 3 months "
                "away, and the organisation was not warned by %(due)s. Contact it now."
            ),
            legal=True,
            audience=_("the agency's officers"),
        ),
        _k(
            "end_notice",
            _("Notice to end a partnership"),
            0,
            _("Notice: the partnership %(number)s ends on %(end)s"),
            _(
                "%(agency)s gives notice that the agreement %(number)s “%(title)s” ends on "
                "%(end)s. Reason: %(reason)s"
            ),
            legal=True,
            audience=_("CSO members"),
        ),
        _k(
            "agreement_offered",
            _("An agreement is offered"),
            0,
            _("%(agency)s offers you the agreement %(number)s"),
            _("Read the terms of %(number)s “%(title)s” in the portal, then sign or decline."),
            audience=_("CSO members"),
        ),
        _k(
            "agreement_terminated",
            _("An agreement was terminated"),
            0,
            _("The agreement %(number)s was terminated"),
            _("The agreement %(number)s “%(title)s” was terminated. Reason: %(reason)s"),
            legal=True,
            audience=_("CSO members"),
        ),
        _k(
            "registration_decided",
            _("The committee decided on a registration"),
            0,
            _("Decision on the registration of %(cso)s: %(status)s"),
            _(
                "The National Committee has recorded a decision on %(cso)s. Its status is "
                "now: %(status)s. %(reason)s %(next)s"
            ),
            audience=_("CSO members"),
        ),
        _k(
            "proposal_received",
            _("A proposal was received"),
            0,
            _("Proposal received: %(reference)s"),
            _(
                "The agency has received your proposal “%(title)s” for the call “%(call)s”. "
                "Its reference number is %(reference)s; requested amount %(amount)s baht; "
                "submitted %(when)s. You can download the receipt from the portal. The "
                "proposal can no longer be changed; you can still withdraw it until the "
                "agency decides."
            ),
            audience=_("CSO members"),
        ),
        _k(
            "presentation_scheduled",
            _("A vision presentation was scheduled"),
            0,
            _("Vision presentation scheduled: %(reference)s"),
            _(
                "Your proposal “%(title)s” is shortlisted. The agency invites you to present "
                "your vision and framework on %(when)s at %(where)s."
            ),
            audience=_("CSO members"),
        ),
        _k(
            "proposal_decided",
            _("The agency decided on a proposal"),
            0,
            _("Decision on your proposal %(reference)s: %(status)s"),
            _(
                "The agency has decided on your proposal “%(title)s”: %(status)s. %(reason)s "
                "The evaluators' scores and comments are on the proposal's page."
            ),
            audience=_("CSO members"),
        ),
        _k(
            "tranche_released",
            _("A tranche was released"),
            0,
            _("Tranche %(seq)s of %(number)s was released"),
            _("Tranche %(seq)s of the agreement %(number)s, %(amount)s baht, was released."),
            audience=_("CSO members"),
        ),
        _k(
            "tranche_paid",
            _("A tranche was paid"),
            0,
            _("Tranche %(seq)s of %(number)s was paid"),
            _(
                "Tranche %(seq)s of the agreement %(number)s, %(amount)s baht, was paid "
                "(reference %(reference)s)."
            ),
            audience=_("CSO members"),
        ),
    ]
}


def lead_days(code: str) -> int:
    """The lead time the staff admin set for ``code`` (admin: kinds of notice), or the
    default."""
    from .models import NoticeKind

    row = NoticeKind.objects.filter(code=code).values_list("lead_days", "active").first()
    if row is None:
        return KINDS[code].lead_days
    return row[0] if row[1] else -1


class _Values(dict):
    def __missing__(self, key):  # a rule that forgot a value still sends a readable notice
        return "—"


def _render(kind: Kind, recipient, context: dict) -> tuple[str, str]:
    language = recipient.language or "th"
    with translation.override(language):
        values = _Values()
        for name, value in context.items():
            if isinstance(value, datetime.datetime):
                value = format_be(value, "datetime", language=language)
            elif isinstance(value, datetime.date):
                value = format_be(value, language=language)
            values[name] = str(value)
        return str(kind.subject % values)[:255], str(kind.body % values)


def notice_key(kind: str, obj, due_on, recipient, extra: str = "") -> str:
    ct = ContentType.objects.get_for_model(obj).pk if obj is not None else 0
    pk = obj.pk if obj is not None else 0
    due = due_on.isoformat() if due_on else "-"
    return f"{kind}:{ct}:{pk}:{due}:{extra}:{recipient.pk}"[:255]


def notify(
    kind: str,
    recipients: Iterable,
    obj=None,
    *,
    due_on: datetime.date | None = None,
    context: dict | None = None,
    url: str = "",
    extra: str = "",
) -> list:
    """Record the notice for each recipient once and hand it to the channels. Returns the
    notices recorded now (none for those who already had it)."""
    from .models import Notice, NoticePreference
    from .tasks import send_notice_email

    spec = KINDS[kind]
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not people:
        return []
    prefs = {p.user_id: p for p in NoticePreference.objects.filter(user_id__in=people, kind=kind)}
    ct = ContentType.objects.get_for_model(obj) if obj is not None else None
    created = []
    for person in people.values():
        pref = prefs.get(person.pk)
        in_app = spec.legal or pref is None or pref.in_app
        emailed = bool(person.email) and (pref is None or pref.email)
        subject, body = _render(spec, person, context or {})
        notice = Notice(
            recipient=person,
            kind=kind,
            key=notice_key(kind, obj, due_on, person, extra),
            content_type=ct,
            object_id=str(obj.pk) if obj is not None else "",
            due_on=due_on,
            subject=subject,
            body=body,
            url=url,
            in_app=in_app,
            email_status=Notice.Email.PENDING if emailed else Notice.Email.OFF,
        )
        try:
            with transaction.atomic():
                notice.save()
        except IntegrityError:  # this person already has this notice
            continue
        created.append(notice)
    for notice in created:
        if notice.email_status == Notice.Email.PENDING:
            transaction.on_commit(lambda pk=notice.pk: send_notice_email.delay(pk), robust=True)
    return created


def url_for(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- deadline rules -----------------------------------------------------------------------


@dataclass
class Due:
    """One notice a rule finds due: ``kind`` to ``recipients`` about ``obj``."""

    kind: str
    recipients: list
    obj: object
    due_on: datetime.date | None
    context: dict = field(default_factory=dict)
    url: str = ""


RULES: dict[str, object] = {}


def rule(kind: str):
    """Register ``function(today, now, lead_days) -> Iterator[Due]`` as the rule for ``kind``."""

    def register(function):
        RULES[kind] = function
        return function

    return register


def _load_rules() -> None:
    for module in RULE_MODULES:
        importlib.import_module(module)


def due_notices(now=None) -> Iterator[Due]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    _load_rules()
    for kind, function in RULES.items():
        lead = lead_days(kind)
        if lead < 0:  # switched off by the staff admin
            continue
        yield from function(today, now, lead)


def sweep(now=None) -> int:
    """Notify everything due now; return how many notices were recorded. Each notice in its
    own transaction, so one failure does not undo the others, and a re-run adds nothing."""
    count = 0
    for due in due_notices(now):
        with transaction.atomic():
            count += len(
                notify(
                    due.kind,
                    due.recipients,
                    due.obj,
                    due_on=due.due_on,
                    context=due.context,
                    url=due.url,
                )
            )
    requeue_stalled_email(now)
    return count


STALLED_AFTER = datetime.timedelta(minutes=15)
MAX_EMAIL_ATTEMPTS = 8


def requeue_stalled_email(now=None) -> int:
    """Emails whose task was lost (a worker died mid-send, the broker was down) go back to
    the queue; the notice row decides whether it is still to be sent."""
    from .models import Notice
    from .tasks import send_notice_email

    now = now or timezone.now()
    before = now - STALLED_AFTER
    stalled = list(
        Notice.objects.filter(
            email_status__in=[Notice.Email.PENDING, Notice.Email.SENDING],
            created_at__lt=before,
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
        )
        .filter(Q(emailed_at__isnull=True) | Q(emailed_at__lt=before))
        .values_list("pk", flat=True)[:500]
    )
    Notice.objects.filter(pk__in=stalled, email_status=Notice.Email.SENDING).update(
        email_status=Notice.Email.PENDING
    )
    for pk in stalled:
        transaction.on_commit(lambda pk=pk: send_notice_email.delay(pk), robust=True)
    return len(stalled)
