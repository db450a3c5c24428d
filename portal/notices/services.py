"""Writes of notices: ``notify(kind, recipients, obj, ...)`` records a notice per person and
hands it to the channels (the in-app inbox, and email through a Celery task queued on
commit). The database decides "once": each notice has a unique key per (kind, object, due
date, recipient). Also a person's own writes: marking notices read, saving preferences."""

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..dates import format_be
from .delivery import send_notice_email
from .kinds import KINDS, Kind
from .models import Notice, NoticePreference


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


def _new_notice(spec: Kind, person, pref, ct, obj, due_on, subject, body, url, key) -> Notice:
    emailed = bool(person.email) and (pref is None or pref.email)
    return Notice(
        recipient=person,
        kind=spec.code,
        key=key,
        content_type=ct,
        object_id=str(obj.pk) if obj is not None else "",
        due_on=due_on,
        subject=subject,
        body=body,
        url=url,
        in_app=spec.legal or pref is None or pref.in_app,
        email_status=Notice.Email.PENDING if emailed else Notice.Email.OFF,
    )


def _email_on_commit(notices) -> None:
    for notice in notices:
        if notice.email_status == Notice.Email.PENDING:
            transaction.on_commit(lambda pk=notice.pk: send_notice_email.delay(pk), robust=True)


def _active(recipients) -> dict:
    return {u.pk: u for u in recipients if u is not None and u.is_active}


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
    spec = KINDS[kind]
    people = _active(recipients)
    if not people:
        return []
    prefs = {p.user_id: p for p in NoticePreference.objects.filter(user_id__in=people, kind=kind)}
    ct = ContentType.objects.get_for_model(obj) if obj is not None else None
    created = []
    for person in people.values():
        subject, body = _render(spec, person, context or {})
        key = notice_key(kind, obj, due_on, person, extra)
        notice = _new_notice(
            spec, person, prefs.get(person.pk), ct, obj, due_on, subject, body, url, key
        )
        try:
            with transaction.atomic():
                notice.save()
        except IntegrityError:  # this person already has this notice
            continue
        created.append(notice)
    _email_on_commit(created)
    return created


def notify_many(dues: list) -> list:
    """``notify`` for many notices at once, as the sweep finds them (each ``due`` has
    ``kind``, ``recipients`` as users, ``obj``, ``due_on``, ``context`` and ``url``): the
    notices people already have are found with one query and left alone, the rest are
    written with one insert, each text rendered once per language. Raises IntegrityError
    (and writes nothing) when another sweep recorded one of them in the meantime; the caller
    then notifies one by one."""
    wanted = []  # (due, person, key)
    for due in dues:
        for person in _active(due.recipients).values():
            wanted.append((due, person, notice_key(due.kind, due.obj, due.due_on, person)))
    if not wanted:
        return []
    taken = set(
        Notice.objects.filter(key__in=[key for _d, _p, key in wanted]).values_list("key", flat=True)
    )
    new_rows = []
    for due, person, key in wanted:
        if key not in taken:  # not had before, nor twice in this batch
            taken.add(key)
            new_rows.append((due, person, key))
    wanted = new_rows
    prefs = {
        (p.user_id, p.kind): p
        for p in NoticePreference.objects.filter(
            user_id__in={person.pk for _d, person, _k in wanted},
            kind__in={due.kind for due, _p, _k in wanted},
        )
    }
    texts: dict[tuple, tuple[str, str]] = {}  # (id of the due, language) → subject, body
    new = []
    for due, person, key in wanted:
        spec = KINDS[due.kind]
        text_key = (id(due), person.language or "th")
        if text_key not in texts:
            texts[text_key] = _render(spec, person, due.context or {})
        ct = ContentType.objects.get_for_model(due.obj) if due.obj is not None else None
        pref = prefs.get((person.pk, due.kind))
        new.append(
            _new_notice(spec, person, pref, ct, due.obj, due.due_on, *texts[text_key], due.url, key)
        )
    with transaction.atomic():
        created = Notice.objects.bulk_create(new)
    _email_on_commit(created)
    return created


def url_for(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def notice_mark_read(*, user, notice_ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s unread notices read: those in ``notice_ids``, or all of them. Another
    person's notice is never touched; a notice already read keeps the moment it was first
    read. Returns how many changed."""
    unread = Notice.objects.filter(recipient=user, in_app=True, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=list(notice_ids))
    return unread.update(read_at=timezone.now())


def notice_preferences_save(*, user, choices: dict[str, dict[str, bool]]) -> list:
    """Save ``user``'s channels per kind of notice: ``{kind: {"email": bool, "in_app":
    bool}}``. Kinds left out keep their setting. The in-app notice of a legal deadline
    cannot be turned off: it is saved on whatever was asked."""
    unknown = sorted(code for code in choices if code not in KINDS)
    if unknown:
        raise ValidationError(
            {"kind": [_("Unknown kind of notice: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    rows = [
        NoticePreference(
            user=user,
            kind=code,
            email=bool(choice.get("email", True)),
            in_app=KINDS[code].legal or bool(choice.get("in_app", True)),
        )
        for code, choice in choices.items()
    ]
    if rows:
        NoticePreference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["email", "in_app"],
        )
    return rows
