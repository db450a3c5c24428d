"""Writes for the Open Government Action Plan: plans, commitments and milestones (staff),
publishing, and the responsible agencies' progress reports. Audited."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.validation import text_field
from portal.workflow import require

from . import permissions
from .models import Commitment, Milestone, OgpValue, Plan, ProgressReport


@transaction.atomic
def plan_create(*, actor, data: dict) -> Plan:
    require(permissions.can_record(actor))
    errors = {}
    title = text_field(errors, data, "title", limit=255)
    summary = text_field(errors, data, "summary", limit=10000, required=False)
    number, first, last = data.get("number"), data.get("starts_year"), data.get("ends_year")
    if not isinstance(number, int) or number < 1:
        errors["number"] = [_("Give the plan's number.")]
    elif Plan.objects.filter(number=number).exists():
        errors["number"] = [_("A plan has this number already.")]
    if not isinstance(first, int) or not 2000 <= first <= 2100:
        errors["starts_year"] = [_("Give the first year in the Common Era, e.g. 2027.")]
    if not isinstance(last, int) or not isinstance(first, int) or not first <= last <= first + 5:
        errors["ends_year"] = [_("Give the last year: from the first year to five years on.")]
    consultation = data.get("consultation")
    if errors:
        raise ValidationError(errors)
    plan = Plan.objects.create(
        number=number, title=title, summary=summary, starts_year=first, ends_year=last,
        consultation=consultation, created_by=actor,
    )  # fmt: skip
    audit_record(obj=plan, actor=actor, action="create", to_status=plan.status)
    return plan


def plan_publish(*, actor, plan) -> Plan:
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        require(permissions.can_publish(actor, locked))
        if not Milestone.objects.filter(commitment__plan=locked).exists():
            raise ValidationError(_("Add the commitments and their milestones first."))
        locked.status = Plan.Status.PUBLISHED
        locked.save(update_fields=["status"])
        audit_record(
            obj=locked, actor=actor, action="publish", from_status=Plan.Status.DRAFT,
            to_status=Plan.Status.PUBLISHED,
        )  # fmt: skip
    return locked


def commitment_add(*, actor, plan, data: dict) -> Commitment:
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        require(permissions.can_record(actor))
        errors = {}
        title = text_field(errors, data, "title", limit=255)
        description = text_field(errors, data, "description", limit=10000)
        values = list(data.get("values") or [])
        if not values or any(v not in OgpValue.values for v in values):
            errors["values"] = [_("Choose the OGP values it serves.")]
        if data.get("agency") is None:
            errors["agency"] = [_("Choose the responsible agency.")]
        milestones = []
        for i, row in enumerate(data.get("milestones") or []):
            name = (row.get("title") or "").strip()
            if not name or len(name) > 255 or not row.get("due_on"):
                errors[f"milestones.{i}"] = [_("Give each milestone a title and a date.")]
            milestones.append((name, row.get("due_on")))
        if not milestones:
            errors["milestones"] = [_("Give at least one milestone with its date.")]
        if errors:
            raise ValidationError(errors)
        number = (locked.commitments.aggregate(n=Max("number"))["n"] or 0) + 1
        commitment = Commitment.objects.create(
            plan=locked, number=number, title=title, description=description,
            agency=data["agency"], values=sorted(set(values)),
        )  # fmt: skip
        Milestone.objects.bulk_create(
            Milestone(commitment=commitment, title=name, due_on=due) for name, due in milestones
        )
        audit_record(
            obj=locked, actor=actor, action="ogp_commitment_add",
            data={"commitment": commitment.pk, "number": number},
        )  # fmt: skip
    return commitment


def milestone_report(*, actor, milestone, status: str, note: str, evidence_url: str = ""):
    """The responsible agency says how far a milestone has got, with its evidence; the
    milestone takes the reported status (done on the day it is reported done)."""
    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update()
            .select_related("commitment", "commitment__plan")
            .get(pk=milestone.pk)
        )
        require(permissions.can_report(actor, milestone))
        errors = {}
        note = text_field(errors, {"note": note}, "note", limit=5000)
        if status not in (Milestone.Status.IN_PROGRESS, Milestone.Status.DONE):
            errors["status"] = [_("Say whether it is in progress or done.")]
        evidence_url = (evidence_url or "").strip()
        if evidence_url:
            try:
                URLValidator(schemes=["https", "http"])(evidence_url)
            except ValidationError:
                errors["evidence_url"] = [_("Give a web address starting with https://.")]
        if status == Milestone.Status.DONE and not evidence_url:
            errors["evidence_url"] = [_("A milestone reported done needs a link to its evidence.")]
        if errors:
            raise ValidationError(errors)
        report = ProgressReport.objects.create(
            milestone=milestone, status=status, note=note, evidence_url=evidence_url,
            reported_by=actor,
        )  # fmt: skip
        before = milestone.status
        milestone.status = status
        milestone.done_on = timezone.localdate() if status == Milestone.Status.DONE else None
        milestone.save(update_fields=["status", "done_on"])
        audit_record(
            obj=milestone, actor=actor, action="ogp_progress", from_status=before,
            to_status=status, reason=note,
        )  # fmt: skip
    return report
