"""CSO registration use cases. Views, API views and commands call these; none of them
changes a status itself."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.th import moa

from portal.audit import audit_record
from portal.models import ActivityField, Province
from portal.roles import Role, has_role
from portal.uploads import stored_upload
from portal.workflow import InvalidTransition, reason_required, require, run_transition

from . import permissions
from .models import CSO, CSODocument

S = CSO.Status

SCALAR_FIELDS = [
    "name_th",
    "name_en",
    "org_form",
    "registered",
    "juristic_id",
    "founded_year",
    "address",
    "contact_email",
    "contact_phone",
    "staff_count",
    "certified_staff_count",
    "networks",
    "track_record",
]
M2M_FIELDS = {"activity_fields": ActivityField, "service_provinces": Province}

# The registration is filled in parts; each part is complete when its required answers are in.
PARTS = ["organisation", "activities", "capacity", "documents"]


def _require_editable(user, cso: CSO) -> None:
    """A stranger is refused (PermissionDenied); the organisation's own member is told the
    registration cannot change in its current status (InvalidTransition, API 409)."""
    allowed, reason = permissions.can_edit(user, cso)
    if allowed:
        return
    own = permissions.is_member(user, cso) and has_role(user, Role.CSO_MEMBER)
    if own and not cso.is_editable:
        raise InvalidTransition(reason)
    raise PermissionDenied(reason)


# The statuses each committee decision starts from: approve and reinstate both lead to
# ``approved``, each from one status only. The review page offers exactly these.
DECISION_SOURCES = {
    "approve": {S.SUBMITTED},
    "request_changes": {S.SUBMITTED},
    "reject": {S.SUBMITTED},
    "suspend": {S.APPROVED},
    "reinstate": {S.SUSPENDED},
}


def normalise_juristic_id(value: str) -> str:
    return moa.compact(value or "")


def known_codes(model, codes) -> list[str]:
    """The codes, de-duplicated, if every one is a row of the reference ``model``."""
    codes = list(dict.fromkeys(str(c) for c in codes or []))
    found = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(_("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown[:10])})
    return codes


def validate_registration(*, cso: CSO | None, data: dict) -> dict:
    """Check the answers; return them cleaned. Raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    for name in SCALAR_FIELDS:
        if name == "juristic_id":  # checked below, once the dashes and spaces are gone
            continue
        limit = CSO._meta.get_field(name).max_length
        value = cleaned.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            errors[name] = [
                _("Keep this within %(limit)s characters (now %(length)s).")
                % {"limit": f"{limit:,}", "length": f"{len(value):,}"}
            ]
    registered = cleaned.get("registered", cso.registered if cso else False)
    if "juristic_id" in cleaned or "registered" in cleaned:
        jid = normalise_juristic_id(cleaned.get("juristic_id", cso.juristic_id if cso else ""))
        if registered:
            if not jid:
                errors["juristic_id"] = [
                    _("A registered organisation must give its 13-digit juristic person ID.")
                ]
            elif not moa.is_valid(jid):
                errors["juristic_id"] = [
                    _(
                        "“%(value)s” is not a valid juristic person ID: it has 13 digits, "
                        "starts with 0 and ends with a check digit."
                    )
                    % {"value": cleaned.get("juristic_id")}
                ]
            else:
                taken = CSO.objects.filter(juristic_id=jid)
                if cso is not None:
                    taken = taken.exclude(pk=cso.pk)
                if taken.exists():
                    errors["juristic_id"] = [_("This juristic person ID is already registered.")]
        else:
            jid = ""
        cleaned["juristic_id"] = jid
    year = cleaned.get("founded_year")
    if year is not None and year != "":
        this_year = timezone.localdate().year
        if not (1800 <= int(year) <= this_year):
            errors["founded_year"] = [
                _("Give the year in the Common Era, between 1800 and %(year)s.")
                % {"year": this_year}
            ]
    staff = cleaned.get("staff_count", cso.staff_count if cso else None)
    certified = cleaned.get("certified_staff_count", cso.certified_staff_count if cso else None)
    if staff is not None and certified is not None and certified > staff:
        errors["certified_staff_count"] = [
            _("Certified staff cannot be more than all staff (%(staff)s).") % {"staff": staff}
        ]
    for name, model in M2M_FIELDS.items():
        if name in cleaned:
            try:
                cleaned[name] = known_codes(model, cleaned[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _apply(cso: CSO, cleaned: dict) -> list[str]:
    changed = []
    for name in SCALAR_FIELDS:
        if name in cleaned:
            value = cleaned[name]
            if value is None and name not in {
                "founded_year",
                "staff_count",
                "certified_staff_count",
            }:
                value = ""
            setattr(cso, name, value)
            changed.append(name)
    return changed


def _save_m2m(cso: CSO, cleaned: dict) -> None:
    for name in M2M_FIELDS:
        if name in cleaned:
            getattr(cso, name).set(cleaned[name])


def _save(cso: CSO, fields=None):
    try:
        with transaction.atomic():
            cso.save(update_fields=fields)
    except IntegrityError as exc:
        # The partial unique index is the last word when two people race for one ID.
        if "juristic" in str(exc):
            raise ValidationError(
                {"juristic_id": [_("This juristic person ID is already registered.")]}
            ) from exc
        raise


def cso_create(*, user, data: dict) -> CSO:
    """A CSO member starts a registration; the draft is theirs to fill in parts."""
    require(permissions.can_create(user))
    cleaned = validate_registration(cso=None, data=data)
    if not cleaned.get("name_th"):
        raise ValidationError({"name_th": [_("Give the organisation's name in Thai.")]})
    if not cleaned.get("org_form"):
        raise ValidationError({"org_form": [_("Choose the organisation form.")]})
    with transaction.atomic():
        user_locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user_locked.cso_id:
            raise PermissionDenied(_("Your account already belongs to an organisation."))
        cso = CSO(created_by=user)
        _apply(cso, cleaned)
        _save(cso)
        _save_m2m(cso, cleaned)
        user_locked.cso = cso
        user_locked.save(update_fields=["cso"])
        user.cso = cso
        audit_record(obj=cso, actor=user, action="create", to_status=cso.status)
    return cso


def cso_update(*, cso: CSO, user, data: dict) -> CSO:
    """Save answers to one part of the registration (draft or changes requested)."""
    with transaction.atomic():
        locked = CSO.objects.select_for_update().get(pk=cso.pk)
        _require_editable(user, locked)
        cleaned = validate_registration(cso=locked, data=data)
        fields = _apply(locked, cleaned)
        if fields:
            _save(locked, fields + ["updated_at"])
        _save_m2m(locked, cleaned)
    return locked


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


def cso_submit(*, cso: CSO, user) -> CSO:
    def check(actor, obj):
        allowed, why = permissions.can_submit(actor, obj)
        if allowed and obj.is_editable:
            missing = missing_parts(obj)
            if missing:
                raise ValidationError(
                    {part: [_("Complete this part before you submit.")] for part in missing}
                )
        return allowed, why

    def stamp(obj):
        obj.submitted_at = timezone.now()
        return ["submitted_at"]

    return run_transition(
        instance=cso, target=S.SUBMITTED, actor=user, action="submit", permission=check, apply=stamp
    )


NEXT_STEP = {
    "approve": gettext_lazy("You can now download the registration certificate."),
    "reinstate": gettext_lazy("You can now download the registration certificate."),
    "request_changes": gettext_lazy("Please make the changes and submit the registration again."),
}


def _tell_members(cso: CSO, action: str) -> None:
    """Notify the CSO's members (in-app and email, each in their language) inside the
    decision's transaction: the notice exists if and only if the decision was committed."""
    from portal.notices.services import notify, url_for

    reason = cso.decision_reason or cso.scope_note if action == "approve" else cso.decision_reason
    notify(
        "registration_decided",
        cso.members.filter(is_active=True),
        cso,
        extra=f"{action}:{timezone.now().isoformat()}",
        context={
            "cso": cso.name_th,
            "status": CSO.Status(cso.status).label,
            "reason": reason or "",
            "next": NEXT_STEP.get(action, ""),
        },
        url=url_for("registration"),
    )


def cso_approve(*, cso: CSO, reviewer, certified_fields, scope_note: str = "") -> CSO:
    require(permissions.can_review(reviewer, cso))  # before the answers: see _decide
    try:
        codes = known_codes(ActivityField, certified_fields)
    except ValidationError as exc:
        raise ValidationError({"certified_fields": exc.messages}) from exc
    if not codes:
        raise ValidationError(
            {"certified_fields": [_("Certify at least one field of competence.")]}
        )

    def apply(obj):
        now = timezone.now()
        obj.approved_at = now
        obj.scope_note = scope_note or ""
        obj.decision_reason = ""
        if not obj.certificate_number:
            obj.certificate_number = f"NCCS-{now.year + 543}-{obj.pk:06d}"
        obj.certified_fields.set(codes)
        _tell_members(obj, "approve")
        return ["approved_at", "scope_note", "decision_reason", "certificate_number"]

    return run_transition(
        instance=cso,
        target=S.APPROVED,
        actor=reviewer,
        action="approve",
        permission=permissions.can_review,
        sources=DECISION_SOURCES["approve"],
        apply=apply,
        reason=scope_note,
        data={"certified_fields": codes},
    )


def _decide(*, cso, reviewer, reason, target, action):
    # Someone who may not decide is told so, not that the reason is missing; the locked
    # row is checked again in run_transition.
    require(permissions.can_review(reviewer, cso))
    reason = reason_required(reason)

    def apply(obj):
        obj.decision_reason = reason
        _tell_members(obj, action)
        return ["decision_reason"]

    return run_transition(
        instance=cso,
        target=target,
        actor=reviewer,
        action=action,
        permission=permissions.can_review,
        sources=DECISION_SOURCES[action],
        apply=apply,
        reason=reason,
    )


def cso_request_changes(*, cso: CSO, reviewer, reason: str) -> CSO:
    return _decide(
        cso=cso,
        reviewer=reviewer,
        reason=reason,
        target=S.CHANGES_REQUESTED,
        action="request_changes",
    )


def cso_reject(*, cso: CSO, reviewer, reason: str) -> CSO:
    return _decide(cso=cso, reviewer=reviewer, reason=reason, target=S.REJECTED, action="reject")


def cso_suspend(*, cso: CSO, reviewer, reason: str) -> CSO:
    return _decide(cso=cso, reviewer=reviewer, reason=reason, target=S.SUSPENDED, action="suspend")


def cso_reinstate(*, cso: CSO, reviewer, reason: str = "") -> CSO:
    def apply(obj):
        obj.decision_reason = ""
        _tell_members(obj, "reinstate")
        return ["decision_reason"]

    return run_transition(
        instance=cso,
        target=S.APPROVED,
        actor=reviewer,
        action="reinstate",
        permission=permissions.can_review,
        sources=DECISION_SOURCES["reinstate"],
        apply=apply,
        reason=reason,
    )


def cso_document_add(*, cso: CSO, user, kind: str, upload, title: str = "") -> CSODocument:
    errors = {}
    if kind not in CSODocument.Kind.values:
        errors["kind"] = [_("Choose the document type.")]
    try:
        stored = stored_upload(upload)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = CSO.objects.select_for_update().get(pk=cso.pk)
        _require_editable(user, locked)
        document = CSODocument.objects.create(
            cso=locked, kind=kind, title=(title or "")[:255], uploaded_by=user, **stored
        )
    return document


def cso_document_delete(*, document: CSODocument, user) -> None:
    with transaction.atomic():
        locked = CSO.objects.select_for_update().get(pk=document.cso_id)
        _require_editable(user, locked)
        document.file.delete(save=False)
        document.delete()
