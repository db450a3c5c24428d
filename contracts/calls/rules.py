"""The rules of calls: what a call's answers must be (text lengths, money, the criteria
weights), and closing a call once its closing time has passed."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.calls.models import CRITERIA, Call, Instrument
from portal.models import ActivityField, Province
from portal.reference import CostingMethod
from portal.validation import known_codes, money, name_errors, too_long
from portal.workflow import run_transition

CS = Call.Status


MAX_REQUIRED_DOCUMENTS = 20


CALL_TEXT_FIELDS = {"title": 255, "description": 10000}


def validate_call(*, call: Call | None, answers: Mapping) -> dict:
    """Check a call's answers; return them cleaned. Raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(answers)
    for name, limit in CALL_TEXT_FIELDS.items():
        value = cleaned.get(name)
        if isinstance(value, str):
            cleaned[name] = value = value.strip()
            if len(value) > limit:
                errors[name] = [too_long(value, limit)]
    errors.update(name_errors(cleaned, ["title"]))
    if call is None and not cleaned.get("title"):
        errors["title"] = [_("Give the call a title.")]
    if "title" in cleaned and call is not None and not cleaned["title"]:
        errors["title"] = [_("Give the call a title.")]
    if "instrument" in cleaned and cleaned["instrument"] not in Instrument.values:
        errors["instrument"] = [_("Choose grant, performance contract or commissioning.")]
    if call is None and not cleaned.get("instrument"):
        errors["instrument"] = [_("Choose grant, performance contract or commissioning.")]
    if "costing_method" in cleaned:
        if cleaned["costing_method"] not in CostingMethod.values:
            errors["costing_method"] = [_("Choose a costing method.")]
    elif call is None:
        errors["costing_method"] = [_("Choose a costing method.")]
    if "budget_ceiling" in cleaned or call is None:
        try:
            cleaned["budget_ceiling"] = money(cleaned.get("budget_ceiling"), field="budget_ceiling")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    _check_budget_total(call, cleaned, errors)
    opens = cleaned.get("opens_at", call.opens_at if call else None)
    closes = cleaned.get("closes_at", call.closes_at if call else None)
    for name, value in (("opens_at", opens), ("closes_at", closes)):
        if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
            errors[name] = [_("Give the date and time.")]
    if "opens_at" not in errors and "closes_at" not in errors and opens >= closes:
        errors["closes_at"] = [_("The call must close after it opens.")]
    if "stages" in cleaned:
        if cleaned["stages"] not in (1, 2, "1", "2"):
            errors["stages"] = [_("Choose one stage or two stages.")]
        else:
            cleaned["stages"] = int(cleaned["stages"])
    if "criteria_weights" in cleaned:
        try:
            cleaned["criteria_weights"] = clean_weights(cleaned["criteria_weights"])
        except ValidationError as exc:
            errors["criteria_weights"] = exc.messages
    if "required_documents" in cleaned:
        docs = [str(d).strip() for d in cleaned["required_documents"] or [] if str(d).strip()]
        docs = list(dict.fromkeys(docs))
        if len(docs) > MAX_REQUIRED_DOCUMENTS:
            errors["required_documents"] = [
                _("List at most %(n)s documents.") % {"n": MAX_REQUIRED_DOCUMENTS}
            ]
        elif any(len(d) > 255 for d in docs):
            errors["required_documents"] = [_("Keep each document's name within 255 characters.")]
        cleaned["required_documents"] = docs
    for name, model in (
        ("eligible_provinces", Province),
        ("eligible_activity_fields", ActivityField),
    ):
        if name in cleaned:
            try:
                cleaned[name] = known_codes(model, cleaned[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_budget_total(call: Call | None, cleaned: dict, errors: dict) -> None:
    """The total budget: what all the call's agreements may add up to, at least one
    proposal's ceiling. Left empty (or never set apart from the ceiling) it is the ceiling."""
    follows_ceiling = call is not None and call.budget_total == call.budget_ceiling
    if "budget_total" not in cleaned and "budget_ceiling" in cleaned and follows_ceiling:
        cleaned["budget_total"] = None  # it followed the ceiling; it still does
    if cleaned.get("budget_total") in (None, ""):
        if "budget_total" in cleaned or call is None:
            cleaned["budget_total"] = cleaned.get("budget_ceiling")
        return
    try:
        cleaned["budget_total"] = money(cleaned["budget_total"], field="budget_total")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return
    ceiling = cleaned.get("budget_ceiling", call.budget_ceiling if call else None)
    if "budget_ceiling" not in errors and ceiling is not None and cleaned["budget_total"] < ceiling:
        errors["budget_total"] = [
            _(
                "The total budget cannot be less than what one proposal may ask for "
                "(%(ceiling)s baht)."
            )
            % {"ceiling": f"{ceiling:,.2f}"}
        ]


def clean_weights(weights) -> dict[str, int]:
    """Five whole numbers from 0 to 100, one per criterion, that sum to 100."""
    if not isinstance(weights, dict):
        raise ValidationError(_("Give a weight for each of the five criteria."))
    unknown = sorted(set(map(str, weights)) - set(CRITERIA))
    if unknown:
        raise ValidationError(
            _("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown[:10])}
        )
    cleaned = {}
    for c in CRITERIA:
        value = weights.get(c)
        if isinstance(value, bool) or value is None:
            raise ValidationError(_("Give a weight for each of the five criteria."))
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Each weight is a whole number from 0 to 100.")) from exc
        if str(number) != str(value).strip() and number != value:
            raise ValidationError(_("Each weight is a whole number from 0 to 100."))
        if not 0 <= number <= 100:
            raise ValidationError(_("Each weight is a whole number from 0 to 100."))
        cleaned[c] = number
    total = sum(cleaned.values())
    if total != 100:
        raise ValidationError(
            _("The weights must add up to 100 (now %(total)s).") % {"total": total}
        )
    return cleaned


def _system(actor, obj):
    return True, ""


def _close_if_due(call_id: int, now) -> Call:
    """Lock the call; if it is open past its closing time, close it (audited, no actor)."""
    call = Call.objects.select_for_update().get(pk=call_id)
    if call.status == CS.OPEN and now >= call.closes_at:

        def apply(obj):
            obj.closed_at = obj.closes_at
            return ["closed_at"]

        call = run_transition(
            instance=call,
            target=CS.CLOSED,
            actor=None,
            action="close",
            permission=_system,
            reason=_("The closing time passed."),
            apply=apply,
        )
    return call
