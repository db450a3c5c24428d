"""Grievances' writes, one function per use case: a citizen files one; a verifier routes,
rejects or merges it; the agency answers; the citizen replies (reopening it) or says whether
it was resolved; the sweep closes the quiet ones and erases personal data once kept long
enough. Each on the locked row, audited (never with the citizen's name, contact or words),
each due date stored."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.selectors import agency_officers
from assessments.grievances import rules
from assessments.grievances.delivery import send_citizen_email
from assessments.grievances.models import Grievance, GrievanceAttachment, GrievanceMessage
from assessments.grievances.notices import cso_members_of, grievance_context
from assessments.grievances.permissions import (
    can_merge,
    can_reject,
    can_reply,
    can_respond,
    can_route,
    can_say_resolved,
)
from portal.audit import audit_record
from portal.models import Province
from portal.notices.services import notify, url_for
from portal.uploads import stored_upload
from portal.validation import hidden_character_problems, too_long
from portal.workflow import require, run_transition

GS = Grievance.Status
MAX_ATTACHMENTS = 5
TEXT_LIMIT = 5000
# A funded project a citizen can name: an agreement under way or done.
FUNDED = {"active", "completed", "settled"}


def _email_citizen(grievance, event):
    pk = grievance.pk
    transaction.on_commit(lambda: send_citizen_email.delay(pk, event), robust=True)


def _agreement_model():
    from contracts.agreements.models import Agreement

    return Agreement


def _agency_model():
    from agencies.models import Agency

    return Agency


def _text(errors, field, value, *, limit, required_message=None):
    value = str(value or "").strip()
    if not value and required_message:
        errors[field] = [required_message]
    elif len(value) > limit:
        errors[field] = [too_long(value, limit)]
    return value


def _target(errors, *, agency, agreement):
    """The agency concerned and the funded project, if one: a project names its agency."""
    Agreement, Agency = _agreement_model(), _agency_model()
    project = None
    if agreement not in (None, ""):
        project = Agreement.objects.select_related("agency").filter(pk=_pk(agreement)).first()
        if project is None or project.status not in FUNDED:
            errors["agreement"] = [_("Choose a funded project from the list.")]
            project = None
    office = None
    if agency not in (None, ""):
        office = Agency.objects.filter(pk=_pk(agency)).first()
        if office is None:
            errors["agency"] = [_("Choose an agency from the list.")]
    if project is not None:
        if office is not None and office.pk != project.agency_id:
            errors["agency"] = [
                _("The project %(number)s is run by %(agency)s; choose that agency or no project.")
                % {"number": project.number, "agency": project.agency.name}
            ]
        office = project.agency
    if office is None and "agency" not in errors and "agreement" not in errors:
        errors["agency"] = [_("Choose the agency or the funded project concerned.")]
    return office, project


def _pk(value):
    value = getattr(value, "pk", value)
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def grievance_file(
    *,
    kind,
    title,
    body,
    occurred_on,
    province,
    agency=None,
    agreement=None,
    anonymous=False,
    confidential=False,
    name="",
    contact="",
    attachments=(),
    citizen=None,
    now=None,
) -> tuple[Grievance, str]:
    """Anyone files a complaint, a suggestion or a request for information. Returns the
    grievance and the citizen's reply code (shown once; only its hash is kept)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = {}
    if kind not in Grievance.Kind.values:
        errors["kind"] = [_("Choose a complaint, a suggestion or a request for information.")]
    title = _text(errors, "title", title, limit=200, required_message=_("Give a short title."))
    if "title" not in errors and (problems := hidden_character_problems(title)):
        errors["title"] = problems
    body = _text(
        errors, "body", body, limit=TEXT_LIMIT, required_message=_("Tell us what happened.")
    )
    if not isinstance(occurred_on, datetime.date):
        errors["occurred_on"] = [_("Give the date it happened.")]
    elif occurred_on > today:
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    place = Province.objects.filter(pk=getattr(province, "pk", province) or "").first()
    if place is None:
        errors["province"] = [_("Choose the province.")]
    office, project = _target(errors, agency=agency, agreement=agreement)
    anonymous, confidential = bool(anonymous), bool(confidential)
    name = "" if anonymous else _text(errors, "name", name, limit=200)
    if name and (problems := hidden_character_problems(name)):
        errors["name"] = problems
    contact = _text(errors, "contact", contact, limit=254)
    if "contact" not in errors and (problems := rules.contact_problems(contact)):
        errors["contact"] = problems
    attachments = list(attachments or ())
    stored = []
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}]
    else:
        for upload in attachments:
            try:
                stored.append(stored_upload(upload))
            except ValidationError as exc:
                errors.setdefault("attachments", []).extend(exc.message_dict["file"])
    if errors:
        raise ValidationError(errors)
    citizen = citizen if (citizen is not None and citizen.is_authenticated) else None
    token = rules.new_citizen_token()
    due = rules.route_by(today)
    for attempt in range(5):
        try:
            with transaction.atomic():
                grievance = Grievance.objects.create(
                    tracking_id=rules.tracking_id(today),
                    kind=kind,
                    title=title,
                    body=body,
                    occurred_on=occurred_on,
                    province=place,
                    agency=office,
                    agreement=project,
                    anonymous=anonymous,
                    confidential=confidential and not anonymous,
                    name=name,
                    contact=contact,
                    citizen=None if anonymous else citizen,
                    citizen_token_hash=rules.token_hash(token),
                    received_at=now,
                    route_by=due,
                    escalate_on=rules.escalate_on(due),
                )
                break
        except IntegrityError:  # the tracking id was drawn before (1 in 10¹²): draw again
            if attempt == 4:
                raise
    with transaction.atomic():
        for fields in stored:
            fields["original_name"] = fields["original_name"][-255:]
            GrievanceAttachment.objects.create(grievance=grievance, **fields)
        audit_record(
            obj=grievance,
            actor=citizen if not anonymous else None,
            action="file_grievance",
            to_status=GS.RECEIVED,
            data={
                "kind": kind,
                "agency": office.pk,
                "agreement": project.pk if project else None,
                "route_by": due.isoformat(),
                "attachments": len(stored),
            },
        )
        _email_citizen(grievance, "received")
    return grievance, token


def grievance_route(*, grievance, verifier, agency=None, agreement=None, now=None):
    """The verifier sends it to the agency responsible (and a funded project's CSO): the
    agency answers within 5 working days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    require(can_route(verifier, grievance))
    errors = {}
    if agency in (None, "") and agreement in (None, ""):
        agency = grievance.agency_id
        agreement = grievance.agreement_id
    office, project = _target(errors, agency=agency, agreement=agreement)
    if errors:
        raise ValidationError(errors)
    due = rules.respond_by(today)

    def apply(obj):
        obj.agency, obj.agreement = office, project
        obj.routed_at, obj.respond_by = now, due
        obj.escalate_on = rules.escalate_on(due)
        return ["agency", "agreement", "routed_at", "respond_by", "escalate_on"]

    routed = run_transition(
        instance=grievance,
        target=GS.ROUTED,
        actor=verifier,
        action="route",
        permission=can_route,
        apply=apply,
        data={
            "agency": office.pk,
            "agreement": project.pk if project else None,
            "respond_by": due.isoformat(),
            "late": today > grievance.route_by,
        },
    )
    with transaction.atomic():
        notify(
            "grievance_routed",
            agency_officers(office.pk) + cso_members_of(routed),
            routed,
            due_on=due,
            context=grievance_context(routed, due=due),
            url=url_for("grievance-handle", routed.pk),
        )
        _email_citizen(routed, "routed")
    return routed


def grievance_reject(*, grievance, verifier, reason, now=None):
    """Out of scope: the verifier says why; the citizen reads the reason on the status page."""
    now = now or timezone.now()
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason; the citizen will read it.")]})
    if len(reason) > TEXT_LIMIT:
        raise ValidationError({"reason": [too_long(reason, TEXT_LIMIT)]})

    def apply(obj):
        obj.reject_reason, obj.rejected_at, obj.closed_at = reason, now, now
        obj.escalate_on = None
        return ["reject_reason", "rejected_at", "closed_at", "escalate_on"]

    rejected = run_transition(
        instance=grievance,
        target=GS.REJECTED,
        actor=verifier,
        action="reject",
        permission=can_reject,
        reason=reason,
        apply=apply,
    )
    with transaction.atomic():
        _email_citizen(rejected, "rejected")
    return rejected


def grievance_respond(*, grievance, officer, response, upheld=None, now=None):
    """The agency's answer, which the citizen reads on the status page. For a complaint
    the officer may say whether it was upheld (founded), which the CSO's record counts.
    It closes 10 working days later unless the citizen replies."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = {}
    response = _text(
        errors, "response", response, limit=TEXT_LIMIT, required_message=_("Write the answer.")
    )
    if upheld not in (None, True, False):
        errors["upheld"] = [_("Say yes or no.")]
    if errors:
        raise ValidationError(errors)
    due = rules.close_by(today)

    def apply(obj):
        obj.response, obj.responded_at, obj.close_by = response, now, due
        obj.upheld = upheld if obj.kind == Grievance.Kind.COMPLAINT else None
        obj.escalate_on = None
        GrievanceMessage.objects.create(
            grievance=obj, author=GrievanceMessage.Author.AGENCY, text=response, by=officer, at=now
        )
        return ["response", "responded_at", "close_by", "upheld", "escalate_on"]

    answered = run_transition(
        instance=grievance,
        target=GS.RESPONDED,
        actor=officer,
        action="respond",
        permission=can_respond,
        apply=apply,
        data={
            "close_by": due.isoformat(),
            "upheld": upheld,
            "late": bool(grievance.respond_by and today > grievance.respond_by),
        },
    )
    with transaction.atomic():
        _email_citizen(answered, "responded")
    return answered


def grievance_reply(*, grievance, text, token=None, user=None, now=None):
    """The citizen answers back: not resolved, or more to say. It goes back to the agency
    (responded → routed), to answer within 5 working days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = {}
    text = _text(errors, "text", text, limit=TEXT_LIMIT, required_message=_("Write your reply."))
    if errors:
        raise ValidationError(errors)
    due = rules.respond_by(today)

    def allowed(actor, obj):
        return can_reply(obj, user=user, token=token)

    def apply(obj):
        GrievanceMessage.objects.create(
            grievance=obj, author=GrievanceMessage.Author.CITIZEN, text=text, at=now
        )
        obj.respond_by, obj.escalate_on, obj.close_by = due, rules.escalate_on(due), None
        return ["respond_by", "escalate_on", "close_by"]

    reopened = run_transition(
        instance=grievance,
        target=GS.ROUTED,
        actor=user,
        action="citizen_reply",
        permission=allowed,
        apply=apply,
        sources={GS.RESPONDED},
        data={"respond_by": due.isoformat()},
    )
    with transaction.atomic():
        notify(
            "grievance_citizen_replied",
            agency_officers(reopened.agency_id),
            reopened,
            due_on=due,
            context=grievance_context(reopened, due=due),
            url=url_for("grievance-handle", reopened.pk),
        )
    return reopened


def grievance_resolved(*, grievance, resolved, token=None, user=None, now=None):
    """The citizen says whether the answer resolved it (yes / no / partly), for the
    statistics; "yes" closes an answered grievance at once."""
    now = now or timezone.now()
    if resolved not in Grievance.Resolved.values:
        raise ValidationError({"resolved": [_("Choose yes, no or partly.")]})
    with transaction.atomic():
        obj = Grievance.objects.select_for_update().get(pk=grievance.pk)
        require(can_say_resolved(obj, user=user, token=token))
        source = obj.status
        obj.resolved = resolved
        fields = ["resolved"]
        if resolved == Grievance.Resolved.YES and source == GS.RESPONDED:
            obj.status, obj.closed_at, obj.closing = GS.CLOSED, now, Grievance.Closing.RESOLVED
            fields += ["status", "closed_at", "closing"]
        obj.save(update_fields=fields)
        audit_record(
            obj=obj,
            actor=user,
            action="citizen_resolved",
            from_status=source,
            to_status=obj.status,
            data={"resolved": resolved},
        )
        if obj.status != source:
            _email_citizen(obj, "closed")
    return obj


def grievance_merge(*, grievance, verifier, into, now=None):
    """A duplicate joins the grievance it repeats: it closes, and its tracking id shows the
    other's status from then on (its reply code works there too)."""
    now = now or timezone.now()
    target = into if isinstance(into, Grievance) else None
    if target is None:
        code = rules.normal_tracking_id(str(into or ""))
        target = Grievance.objects.filter(tracking_id=code).first() if code else None
    if target is None:
        raise ValidationError({"into": [_("Give the tracking id of an existing grievance.")]})
    if target.pk == grievance.pk:
        raise ValidationError({"into": [_("A grievance cannot be merged into itself.")]})
    if target.merged_into_id is not None or target.status == GS.REJECTED:
        raise ValidationError(
            {"into": [_("Merge into a grievance that is neither merged nor rejected.")]}
        )

    def apply(obj):
        obj.merged_into, obj.closed_at = target, now
        obj.closing, obj.escalate_on = Grievance.Closing.MERGED, None
        # Those merged into this one follow it, so a chain is never longer than one step.
        Grievance.objects.filter(merged_into=obj).update(merged_into=target)
        return ["merged_into", "closed_at", "closing", "escalate_on"]

    return run_transition(
        instance=grievance,
        target=GS.CLOSED,
        actor=verifier,
        action="merge",
        permission=can_merge,
        apply=apply,
        sources={GS.RECEIVED, GS.ROUTED},
        data={"into": target.tracking_id},
    )


# --- the sweep (Celery beat: assessments.grievances.tasks) ----------------------------------


def grievances_close_quiet(*, now=None) -> int:
    """Answered grievances whose 10 quiet working days have passed close (the day after
    ``close_by``), each in its own transaction."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Grievance.objects.filter(status=GS.RESPONDED, close_by__lt=today).values_list(
        "pk", flat=True
    )
    closed = 0
    for pk in list(due):
        with transaction.atomic():
            obj = Grievance.objects.select_for_update().get(pk=pk)
            if obj.status != GS.RESPONDED or not obj.close_by or obj.close_by >= today:
                continue  # the citizen replied meanwhile
            obj.status, obj.closed_at, obj.closing = GS.CLOSED, now, Grievance.Closing.QUIET
            obj.save(update_fields=["status", "closed_at", "closing"])
            audit_record(
                obj=obj,
                actor=None,
                action="auto_close",
                from_status=GS.RESPONDED,
                to_status=GS.CLOSED,
                data={"close_by": obj.close_by.isoformat()},
            )
            _email_citizen(obj, "closed")
            closed += 1
    return closed


def grievances_erase_personal_data(*, now=None) -> int:
    """The citizen's name, contact, account link, reply code, account of events, replies
    and attachments' files of grievances closed (or rejected) more than
    GRIEVANCE_PERSONAL_DATA_DAYS ago are erased; what the statistics count stays (kind,
    place, agency, project, dates, status, the answer, the citizen's verdict)."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.GRIEVANCE_PERSONAL_DATA_DAYS)
    due = Grievance.objects.filter(
        status__in=[GS.CLOSED, GS.REJECTED],
        closed_at__lt=before,
        personal_data_erased_at__isnull=True,
    ).values_list("pk", flat=True)
    erased = 0
    for pk in list(due):
        with transaction.atomic():
            obj = Grievance.objects.select_for_update().get(pk=pk)
            if obj.personal_data_erased_at is not None:
                continue
            files = []
            for attachment in obj.attachments.all():
                if attachment.file:
                    files.append((attachment.file.storage, attachment.file.name))
                attachment.file = ""
                attachment.original_name = ""
                attachment.save(update_fields=["file", "original_name"])
            obj.messages.filter(author=GrievanceMessage.Author.CITIZEN).update(text="")
            obj.name = obj.contact = obj.body = ""
            obj.citizen_token_hash = ""  # nosec B105 # the reply code's hash, erased, not a password
            obj.citizen = None
            obj.personal_data_erased_at = now
            obj.save(
                update_fields=[
                    "name",
                    "contact",
                    "body",
                    "citizen_token_hash",
                    "citizen",
                    "personal_data_erased_at",
                ]
            )
            audit_record(
                obj=obj,
                actor=None,
                action="erase_personal_data",
                data={"attachments": len(files)},
            )
            for storage, name in files:
                transaction.on_commit(lambda s=storage, n=name: s.delete(n), robust=True)
            erased += 1
    return erased
