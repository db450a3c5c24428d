"""The citizens' feedback, written: the charter (either side edits, each side agrees; an
edit after agreement clears both), the survey's short code and dimensions, a citizen's
answer (checked, flood-limited, stored only after every check) and the moderation of
comments. Each change audited in its transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.feedback import limits, permissions, rules
from assessments.feedback.models import Charter, Dimension, FeedbackResponse, Rating, Survey
from portal.audit import audit_record
from portal.workflow import InvalidTransition, reason_required, require

# --- the survey ------------------------------------------------------------------------------


def survey_ensure(*, agreement) -> Survey:
    """The agreement's survey, made with a fresh short code the first time it is needed."""
    survey = Survey.objects.filter(agreement=agreement).first()
    if survey is not None:
        return survey
    for _attempt in range(5):
        try:
            with transaction.atomic():
                survey, _created = Survey.objects.get_or_create(
                    agreement=agreement,
                    defaults={
                        "code": rules.new_survey_code(),
                        "dimensions": rules.dimensions_asked(None),
                    },
                )
                return survey
        except IntegrityError:  # the code was taken: draw another
            continue
    raise IntegrityError("no free survey code")  # pragma: no cover - 31^8 codes


def survey_set_dimensions(*, agreement, officer, dimensions) -> Survey:
    """The agency chooses what its service is rated on, from the reference list; overall is
    always asked."""
    require(permissions.can_choose_dimensions(officer, agreement))
    unknown = [d for d in dimensions or [] if d not in Dimension.values]
    if unknown:
        raise ValidationError({"dimensions": [_("Choose from the list.")]})
    chosen = rules.dimensions_asked(dimensions)
    survey = survey_ensure(agreement=agreement)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        before = list(locked.dimensions)
        if before != chosen:
            locked.dimensions = chosen
            locked.save(update_fields=["dimensions"])
            audit_record(
                obj=locked,
                actor=officer,
                action="survey_dimensions",
                data={"from": before, "to": chosen},
            )
    return locked


# --- the charter -----------------------------------------------------------------------------


def _clean_charter(fields: dict) -> dict:
    unknown = set(fields) - set(Charter.TEXT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    cleaned, errors = {}, {}
    for name, value in fields.items():
        text = str(value or "").strip()
        if len(text) > 2000:
            errors[name] = [_("Keep this within 2,000 characters.")]
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def charter_save(*, agreement, user, **fields) -> Charter:
    """Either side writes the charter (any part; what is not sent stays). A change to a
    charter one side or both had agreed to clears both agreements: each agrees again to the
    new text."""
    require(permissions.can_edit_charter(user, agreement))
    cleaned = _clean_charter(fields)
    with transaction.atomic():
        Charter.objects.get_or_create(agreement=agreement)
        charter = Charter.objects.select_for_update().get(agreement=agreement)
        charter.agreement = agreement
        require(permissions.can_edit_charter(user, agreement))
        changed = [name for name, text in cleaned.items() if getattr(charter, name) != text]
        if not changed:
            return charter
        for name in changed:
            setattr(charter, name, cleaned[name])
        cleared = [
            side
            for side, at in (
                ("agency", charter.agreed_by_agency_at),
                ("cso", charter.agreed_by_cso_at),
            )
            if at is not None
        ]
        charter.agreed_by_agency_at = charter.agreed_by_agency = None
        charter.agreed_by_cso_at = charter.agreed_by_cso = None
        charter.save(
            update_fields=[
                *changed,
                "agreed_by_agency_at",
                "agreed_by_agency",
                "agreed_by_cso_at",
                "agreed_by_cso",
                "updated_at",
            ]
        )
        audit_record(
            obj=charter,
            actor=user,
            action="charter_edit",
            data={"changed": changed, "agreements_cleared": cleared},
        )
    return charter


def charter_agree(*, agreement, user) -> Charter:
    """The user's side (the agency's officer, or the organisation's signatory) agrees to the
    charter as it now reads. Once both have, it is public."""
    with transaction.atomic():
        charter = Charter.objects.select_for_update().filter(agreement=agreement).first()
        if charter is None:
            raise InvalidTransition(_("Write the charter before agreeing to it."))
        charter.agreement = agreement
        allowed, why = permissions.can_agree_charter(user, charter)
        if (
            not allowed
            and rules.charter_problems(charter)
            and permissions.charter_side(user, agreement)
        ):
            raise ValidationError(rules.charter_problems(charter))
        require((allowed, why))
        side = permissions.charter_side(user, agreement)
        now = timezone.now()
        if side == permissions.AGENCY:
            charter.agreed_by_agency_at, charter.agreed_by_agency = now, user
            fields = ["agreed_by_agency_at", "agreed_by_agency"]
        else:
            charter.agreed_by_cso_at, charter.agreed_by_cso = now, user
            fields = ["agreed_by_cso_at", "agreed_by_cso"]
        charter.save(update_fields=[*fields, "updated_at"])
        audit_record(
            obj=charter,
            actor=user,
            action="charter_agree",
            data={"side": side, "public": charter.agreed},
        )
    return charter


# --- a citizen's answer ----------------------------------------------------------------------


def _clean_ratings(ratings, asked: list[str]) -> dict[str, int]:
    if not isinstance(ratings, dict):
        raise ValidationError({"ratings": [_("Rate the service from 1 to 5.")]})
    cleaned, errors = {}, {}
    for code, value in ratings.items():
        if value in (None, ""):
            continue
        if code not in asked:
            errors["ratings"] = [_("This survey does not ask about “%(code)s”.") % {"code": code}]
            continue
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if isinstance(value, bool) or score not in rules.SCALE or str(value).strip() != str(score):
            errors[code] = [_("Choose a rating from 1 to 5.")]
            continue
        cleaned[code] = score
    if Dimension.OVERALL not in cleaned and Dimension.OVERALL not in errors:
        errors[Dimension.OVERALL] = [_("Rate the service overall, from 1 to 5.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def feedback_submit(
    *, agreement, ratings, comment="", address: str, honeypot: str = "", language: str = ""
) -> FeedbackResponse:
    """A person served rates the service, without an account: the survey's dimensions from
    1 to 5 (overall required) and a comment. Refused when the honeypot field is filled, when
    the service takes no ratings now, and on a flood from one address or for one agreement;
    stored only after every check. Nobody's address is stored."""
    if str(honeypot or "").strip():
        raise ValidationError({"website": [_("Leave this field empty.")]})
    if not rules.accepts_ratings(agreement):
        raise InvalidTransition(_("This service is not taking ratings now."))
    survey = Survey.objects.filter(agreement=agreement).first()
    asked = rules.dimensions_asked(survey.dimensions if survey else None)
    cleaned = _clean_ratings(ratings, asked)
    text = str(comment or "").strip()
    if len(text) > rules.COMMENT_MAX:
        raise ValidationError({"comment": [_("Keep the comment within 1,000 characters.")]})
    limits.check_flood(address=address, agreement_id=agreement.pk)
    with transaction.atomic():
        response = FeedbackResponse.objects.create(
            agreement=agreement,
            comment=rules.scrub_personal_data(text),
            language=(language or "")[:8],
        )
        Rating.objects.bulk_create(
            Rating(response=response, dimension=code, score=score)
            for code, score in cleaned.items()
        )
    limits.count_answer(address=address, agreement_id=agreement.pk)
    return response


# --- moderation ------------------------------------------------------------------------------


def feedback_hide(*, response, user, reason: str) -> FeedbackResponse:
    """An officer of the agency or a member of the organisation hides an abusive comment,
    with a reason; its ratings still count, and the report card shows how many are hidden."""
    require(permissions.can_hide(user, response))
    reason = reason_required(reason)
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("Keep the reason within 1,000 characters.")]})
    with transaction.atomic():
        locked = FeedbackResponse.objects.select_for_update().get(pk=response.pk)
        locked.agreement = response.agreement
        require(permissions.can_hide(user, locked))
        locked.hidden_at, locked.hidden_by, locked.hidden_reason = timezone.now(), user, reason
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit_record(
            obj=locked,
            actor=user,
            action="hide_comment",
            reason=reason,
        )
    return locked


def feedback_restore(*, response, user) -> FeedbackResponse:
    """A moderator shows a hidden comment again."""
    require(permissions.can_restore(user, response))
    with transaction.atomic():
        locked = FeedbackResponse.objects.select_for_update().get(pk=response.pk)
        locked.agreement = response.agreement
        require(permissions.can_restore(user, locked))
        reason = locked.hidden_reason
        locked.hidden_at, locked.hidden_by, locked.hidden_reason = None, None, ""
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit_record(
            obj=locked,
            actor=user,
            action="restore_comment",
            data={"hidden_reason": reason},
        )
    return locked
