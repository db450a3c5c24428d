"""Writes for consultations: set-up by the agency, answers and contributions by participants,
moderation, and the response report. Every status change is audited in its transaction."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.ids import id_or_none
from portal.rates import spend
from portal.reference import ServiceCategory
from portal.roles import Role, has_role
from portal.uploads import check_upload
from portal.validation import (
    CONTROL_CHARACTERS,
    hidden_character_problems,
    text_field,
    too_long,
)
from portal.workflow import Conflict, InvalidTransition, require, transition_refusal

from . import notices, permissions
from .models import (
    Consultation,
    Contribution,
    Decision,
    Document,
    Flag,
    Question,
    Reaction,
    Response,
    ResponseReport,
    Theme,
)

CS = Consultation.Status
TRANSITIONS = {
    CS.DRAFT: {CS.PUBLISHED},
    CS.PUBLISHED: {CS.CLOSED},
    CS.CLOSED: {CS.REPORTED},
}
MAX_QUESTIONS = 30
MAX_OPTIONS = 15


# --- the consultation ---------------------------------------------------------------------


def _clean_consultation(data: dict, agency) -> dict:
    errors = {}
    cleaned = {
        "title": text_field(errors, data, "title", limit=255),
        "summary": text_field(errors, data, "summary", limit=2000),
        "background": text_field(errors, data, "background", limit=20000, required=False),
    }
    if "title" not in errors and (problems := hidden_character_problems(cleaned["title"])):
        errors["title"] = problems
    opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
    if not opens_at:
        errors["opens_at"] = [_("Give when the consultation opens.")]
    if not closes_at:
        errors["closes_at"] = [_("Give when the consultation closes.")]
    elif opens_at and closes_at <= opens_at:
        errors["closes_at"] = [_("The consultation must close after it opens.")]
    for field, moment in (("opens_at", opens_at), ("closes_at", closes_at)):
        if moment and field not in errors and not 2000 <= moment.year <= 2200:
            errors[field] = [_("Give a date between the years 2000 and 2200.")]
    for field, choices in (
        ("audience", Consultation.Audience),
        ("moderation", Consultation.Moderation),
    ):
        value = data.get(field) or Consultation._meta.get_field(field).default
        if value not in choices.values:
            errors[field] = [_("Choose one of the listed options.")]
        cleaned[field] = value
    topic = data.get("topic") or ""
    if topic and topic not in ServiceCategory.values:
        errors["topic"] = [_("Choose one of the listed options.")]
    mission = data.get("mission")
    if mission is not None and mission.agency_id != agency.pk:
        errors["mission"] = [_("Choose one of your agency's missions.")]
    if not topic and mission is not None:
        topic = mission.service_category
    if errors:
        raise ValidationError(errors)
    cleaned.update(
        opens_at=opens_at,
        closes_at=closes_at,
        topic=topic,
        mission=mission,
        province=data.get("province"),
    )
    return cleaned


@transaction.atomic
def consultation_create(*, actor, agency, data: dict) -> Consultation:
    require(permissions.can_manage(actor, agency.pk if agency else None))
    cleaned = _clean_consultation(data, agency)
    consultation = Consultation.objects.create(agency=agency, created_by=actor, **cleaned)
    audit_record(obj=consultation, actor=actor, action="create", to_status=consultation.status)
    return consultation


def _locked(consultation_id) -> Consultation:
    return Consultation.objects.select_for_update().select_related("agency").get(pk=consultation_id)


@transaction.atomic
def consultation_update(*, actor, consultation, data: dict) -> Consultation:
    locked = _locked(consultation.pk)
    require(permissions.can_edit(actor, locked))
    cleaned = _clean_consultation(data, locked.agency)
    for field, value in cleaned.items():
        setattr(locked, field, value)
    locked.save(update_fields=list(cleaned))
    audit_record(obj=locked, actor=actor, action="update", data={"fields": sorted(cleaned)})
    return locked


def _clean_question(data: dict) -> dict:
    errors = {}
    kind = data.get("kind")
    if kind not in Question.Kind.values:
        errors["kind"] = [_("Choose the kind of question.")]
    text = text_field(errors, data, "text", limit=1000, missing=_("Give the question."))
    help_text = text_field(errors, data, "help_text", limit=1000, required=False)
    raw = data.get("options") or []
    if isinstance(raw, str):
        raw = raw.splitlines()
    options = [str(o).strip() for o in raw if str(o).strip()]
    if kind in Question.CHOICE_KINDS:
        if not 2 <= len(options) <= MAX_OPTIONS:
            errors["options"] = [_("Give between 2 and 15 options.")]
        elif any(len(o) > 200 for o in options):
            errors["options"] = [_("Give each option in at most 200 characters.")]
        elif len(set(options)) != len(options):
            errors["options"] = [_("Give each option only once.")]
        elif any(CONTROL_CHARACTERS.search(o) for o in options):
            errors["options"] = [_("Remove the control characters from this text.")]
    else:
        options = []
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "text": text,
        "help_text": help_text,
        "options": options,
        "required": bool(data.get("required")),
    }


@transaction.atomic
def question_add(*, actor, consultation, data: dict) -> Question:
    locked = _locked(consultation.pk)
    require(permissions.can_edit(actor, locked))
    cleaned = _clean_question(data)
    count = locked.questions.count()
    if count >= MAX_QUESTIONS:
        raise ValidationError(_("A consultation has at most 30 questions."))
    last = locked.questions.order_by("-position").values_list("position", flat=True).first()
    return Question.objects.create(consultation=locked, position=(last or 0) + 1, **cleaned)


@transaction.atomic
def question_update(*, actor, question, data: dict) -> Question:
    locked = _locked(question.consultation_id)
    require(permissions.can_edit(actor, locked))
    cleaned = _clean_question(data)
    Question.objects.filter(pk=question.pk).update(**cleaned)
    question.refresh_from_db()
    return question


@transaction.atomic
def question_remove(*, actor, question) -> None:
    locked = _locked(question.consultation_id)
    require(permissions.can_edit(actor, locked))
    question.delete()


@transaction.atomic
def document_add(*, actor, consultation, title: str, summary: str, upload) -> Document:
    locked = _locked(consultation.pk)
    require(permissions.can_edit(actor, locked))
    errors = {}
    data = {"title": title, "summary": summary}
    title = text_field(errors, data, "title", limit=255)
    summary = text_field(errors, data, "summary", limit=2000)
    try:
        if check_upload(upload) != "application/pdf":
            errors["file"] = [_("The document must be a PDF.")]
    except ValidationError as exc:
        errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    document = Document.objects.create(
        consultation=locked, title=title, summary=summary, file=upload, size=upload.size
    )
    audit_record(obj=locked, actor=actor, action="document_add", data={"document": document.pk})
    return document


@transaction.atomic
def panel_add(*, actor, consultation, person) -> None:
    locked = _locked(consultation.pk)
    require(permissions.can_manage(actor, locked.agency_id))
    if locked.status in (CS.CLOSED, CS.REPORTED):
        raise ValidationError(_("The panel cannot change after the consultation closes."))
    if person is None or not person.is_active:
        raise ValidationError({"person": [_("No active account has that username or email.")]})
    locked.panel.add(person)
    audit_record(obj=locked, actor=actor, action="panel_add", data={"person": person.pk})


def _move(consultation_id, *, actor, target, action, reason="", now=None) -> Consultation:
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(consultation_id)
        if actor is not None:
            require(permissions.can_manage(actor, locked.agency_id))
        refusal = transition_refusal(
            TRANSITIONS, locked.status, target, label=locked.get_status_display()
        )
        require((refusal is None, refusal))
        if target == CS.PUBLISHED:
            if not locked.questions.exists():
                raise ValidationError(_("Add at least one question before publishing."))
            if locked.closes_at <= now:
                raise ValidationError(
                    {"closes_at": [_("The closing date has passed: set a later one first.")]}
                )
            locked.published_at = now
        if target == CS.CLOSED:
            locked.closed_at = now
        if target == CS.REPORTED:
            report = ResponseReport.objects.filter(consultation=locked).first()
            if report is None or not report.decisions.exists():
                raise ValidationError(
                    _("Write the response report, with at least one decision, before publishing.")
                )
            locked.reported_at = now
        before = locked.status
        locked.status = target
        locked.save(update_fields=["status", "published_at", "closed_at", "reported_at"])
        audit_record(
            obj=locked,
            actor=actor,
            action=action,
            from_status=before,
            to_status=target,
            reason=reason,
        )
        if target == CS.REPORTED:
            notices.tell_reported(locked)
    return locked


def consultation_publish(*, actor, consultation) -> Consultation:
    return _move(consultation.pk, actor=actor, target=CS.PUBLISHED, action="publish")


def consultation_close(*, actor, consultation, reason="") -> Consultation:
    return _move(consultation.pk, actor=actor, target=CS.CLOSED, action="close", reason=reason)


def consultation_report(*, actor, consultation) -> Consultation:
    return _move(consultation.pk, actor=actor, target=CS.REPORTED, action="report")


def close_ended_consultations(now=None) -> int:
    """The beat's job: close every published consultation whose closing time has passed."""
    now = now or timezone.now()
    closed = 0
    for pk in Consultation.objects.filter(status=CS.PUBLISHED, closes_at__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            _move(pk, actor=None, target=CS.CLOSED, action="close", reason="period ended", now=now)
        except InvalidTransition:  # closed by an officer meanwhile: nothing to do
            continue
        closed += 1
    return closed


# --- answers ------------------------------------------------------------------------------


def clean_answers(questions, answers, *, complete: bool) -> dict:
    """The answers keyed by question id as strings, each checked against its question; a
    ``complete`` set (being sent) must answer every required question."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": [_("Give the answers as question → answer.")]})
    by_id = {str(q.pk): q for q in questions}
    unknown = [key for key in answers if str(key) not in by_id]
    if unknown:
        raise ValidationError({"answers": [_("Answer only this consultation's questions.")]})
    errors, cleaned = {}, {}
    for key, question in by_id.items():
        value = answers.get(key, answers.get(question.pk))
        empty = value in (None, "", [])
        if empty:
            if complete and question.required:
                errors[key] = [_("This question needs an answer.")]
            continue
        K = Question.Kind
        if question.kind == K.TEXT:
            if not isinstance(value, str):
                errors[key] = [_("Give the answer as text.")]
            elif len(value.strip()) > 5000:
                errors[key] = [too_long(value.strip(), 5000)]
            elif CONTROL_CHARACTERS.search(value):
                errors[key] = [_("Remove the control characters from this text.")]
            elif value.strip():
                cleaned[key] = value.strip()
        elif question.kind == K.SINGLE:
            if value not in question.options:
                errors[key] = [_("Choose one of the question's options.")]
            else:
                cleaned[key] = value
        elif question.kind == K.MULTIPLE:
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str) and v in question.options for v in values):
                errors[key] = [_("Choose among the question's options.")]
            else:
                cleaned[key] = [o for o in question.options if o in values]
        elif question.kind == K.SCALE:
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = 0
            if isinstance(value, bool) or not 1 <= number <= 5 or str(number) != str(value).strip():
                errors[key] = [_("Give a whole number from 1 to 5.")]
            else:
                cleaned[key] = number
        elif question.kind == K.RANKING:
            if (
                not isinstance(value, list)
                or sorted(map(str, value)) != sorted(question.options)
                or len(value) != len(question.options)
            ):
                errors[key] = [_("Put every option in order, each once.")]
            else:
                cleaned[key] = list(value)
    if errors:
        raise ValidationError({f"answers.{key}": messages for key, messages in errors.items()})
    return cleaned


def _respondent_type(user) -> str:
    if has_role(user, Role.AGENCY_OFFICER):
        return Contribution.AuthorType.AGENCY
    if has_role(user, Role.CSO_MEMBER) and user.cso_id:
        return Contribution.AuthorType.CSO
    return Contribution.AuthorType.CITIZEN


def response_save(*, consultation, respondent, answers: dict, send: bool) -> Response:
    """Save the respondent's answers as a draft, or send them (once: a sent response is
    final). The consultation row is locked; the unique (consultation, respondent) is the last
    word if two requests race."""
    try:
        with transaction.atomic():
            locked = _locked(consultation.pk)
            response = (
                Response.objects.select_for_update()
                .filter(consultation=locked, respondent=respondent)
                .first()
            )
            require(permissions.can_answer(respondent, locked, response=response))
            questions = list(locked.questions.all())
            cleaned = clean_answers(questions, answers, complete=send)
            now = timezone.now()
            if response is None:
                response = Response(consultation=locked, respondent=respondent)
            response.answers = cleaned
            response.respondent_type = _respondent_type(respondent)
            if send:
                response.status = Response.Status.SENT
                response.sent_at = now
            response.save()
            if send:
                Consultation.objects.filter(pk=locked.pk).update(
                    response_count=F("response_count") + 1
                )
                audit_record(obj=locked, actor=respondent, action="response_sent")
            return response
    except IntegrityError as exc:
        raise Conflict(_("You have already sent your answers to this consultation.")) from exc


# --- contributions ------------------------------------------------------------------------


def _author_fields(user, show_name: bool) -> dict:
    kind = _respondent_type(user)
    name = (user.get_full_name() or user.username) if show_name else ""
    organisation = ""
    if kind == Contribution.AuthorType.CSO:
        organisation = user.cso.name
    elif kind == Contribution.AuthorType.AGENCY and user.agency_id:
        organisation = user.agency.name_th
    return {"author_type": kind, "author_name": name[:300], "organisation": organisation[:300]}


def _clean_contribution(consultation, data: dict) -> dict:
    errors = {}
    kind = data.get("kind")
    if kind not in Contribution.Kind.values:
        errors["kind"] = [_("Say what your contribution is: an idea, an argument or a question.")]
    text = text_field(errors, data, "text", limit=5000, missing=_("Write your contribution."))
    question = data.get("question")
    if question is not None and question.consultation_id != consultation.pk:
        errors["question"] = [_("Choose one of this consultation's questions.")]
    parent = data.get("parent")
    if parent is not None:
        if parent.consultation_id != consultation.pk:
            errors["parent"] = [_("Reply to a contribution in this consultation.")]
        elif parent.parent_id is not None:
            errors["parent"] = [_("Reply to the idea itself, not to a reply.")]
        elif parent.status != Contribution.Status.VISIBLE:
            errors["parent"] = [_("That contribution cannot be replied to.")]
        else:
            question = parent.question
    elif kind in (Contribution.Kind.PRO, Contribution.Kind.CON):
        errors["kind"] = [_("An argument for or against answers an idea: reply to one.")]
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "text": text, "question": question, "parent": parent}


def contribution_add(*, consultation, author, data: dict) -> Contribution:
    """A participant's post: held for the moderator when the consultation pre-moderates."""
    with transaction.atomic():
        locked = _locked(consultation.pk)
        require(permissions.can_take_part(author, locked))
        cleaned = _clean_contribution(locked, data)
        spend(what="contribute", who=author, rate=settings.PARTICIPATION_CONTRIBUTION_RATE)
        held = (
            locked.moderation == Consultation.Moderation.PRE
            and not permissions.can_moderate(author, locked)[0]
        )
        contribution = Contribution.objects.create(
            consultation=locked,
            author=author,
            status=Contribution.Status.HELD if held else Contribution.Status.VISIBLE,
            **cleaned,
            **_author_fields(author, bool(data.get("show_name"))),
        )
        if not held:
            _count(locked.pk, +1)
        audit_record(
            obj=contribution, actor=author, action="contribute", to_status=contribution.status
        )
    return contribution


def meeting_input_add(*, actor, consultation, meeting, data: dict) -> Contribution:
    """What was said in the room, entered by the facilitator and attributed to the meeting."""
    with transaction.atomic():
        locked = _locked(consultation.pk)
        require(permissions.can_enter_meeting_input(actor, locked, meeting))
        cleaned = _clean_contribution(locked, data)
        contribution = Contribution.objects.create(
            consultation=locked,
            author=actor,
            meeting=meeting,
            author_type=Contribution.AuthorType.MEETING,
            author_name="",
            organisation=meeting.title[:300],
            **cleaned,
        )
        _count(locked.pk, +1)
        audit_record(
            obj=contribution, actor=actor, action="meeting_input", to_status=contribution.status
        )
    return contribution


def _count(consultation_id, delta: int) -> None:
    Consultation.objects.filter(pk=consultation_id).update(
        contribution_count=F("contribution_count") + delta
    )


def _locked_contribution(contribution_id) -> Contribution:
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=contribution_id)
    )


def contribution_react(*, contribution, person, value: str) -> Reaction:
    """Agree or disagree, once per account: the same answer twice is refused, the other one
    changes it."""
    if value not in Reaction.Value.values:
        raise ValidationError({"value": [_("Choose agree or disagree.")]})
    with transaction.atomic():
        locked = _locked_contribution(contribution.pk)
        require(permissions.can_react(person, locked))
        existing = Reaction.objects.filter(contribution=locked, person=person).first()
        if existing is not None and existing.value == value:
            raise Conflict(_("You have already given this answer to this contribution."))
        spend(what="react", who=person, rate=settings.PARTICIPATION_REACTION_RATE)
        counts = {"agree": "agree_count", "disagree": "disagree_count"}
        changes = {counts[value]: F(counts[value]) + 1}
        if existing is not None:
            changes[counts[existing.value]] = F(counts[existing.value]) - 1
            existing.value = value
            existing.save(update_fields=["value", "at"])
            reaction = existing
        else:
            try:
                with transaction.atomic():
                    reaction = Reaction.objects.create(
                        contribution=locked, person=person, value=value
                    )
            except IntegrityError as exc:
                raise Conflict(_("You have already reacted to this contribution.")) from exc
        Contribution.objects.filter(pk=locked.pk).update(**changes)
    return reaction


def contribution_flag(*, contribution, reporter, reason: str, note: str = "") -> Flag:
    if reason not in Contribution.HiddenReason.values:
        raise ValidationError({"reason": [_("Choose why you report this contribution.")]})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": [too_long(note, 500)]})
    with transaction.atomic():
        locked = _locked_contribution(contribution.pk)
        require(permissions.can_flag(reporter, locked))
        if Flag.objects.filter(contribution=locked, reporter=reporter).exists():
            raise Conflict(_("You have already reported this contribution."))
        spend(what="flag", who=reporter, rate=settings.PARTICIPATION_REPORT_RATE)
        flag = Flag.objects.create(contribution=locked, reporter=reporter, reason=reason, note=note)
        Contribution.objects.filter(pk=locked.pk).update(report_count=F("report_count") + 1)
        audit_record(obj=locked, actor=reporter, action="contribution_flag", reason=reason)
    return flag


def _moderate(
    contribution, *, moderator, target, reason="", action, only_from=None
) -> Contribution:
    with transaction.atomic():
        locked = _locked_contribution(contribution.pk)
        require(permissions.can_moderate(moderator, locked.consultation))
        if only_from is not None and locked.status != only_from:
            raise Conflict(_("Only a contribution waiting for moderation can be approved."))
        before = locked.status
        if before == target:
            raise Conflict(
                _("This contribution is already “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        if target == Contribution.Status.HIDDEN:
            if reason not in Contribution.HiddenReason.values:
                raise ValidationError({"reason": [_("Choose why the contribution is hidden.")]})
        elif before == Contribution.Status.HIDDEN and target == Contribution.Status.VISIBLE:
            reason = ""
        locked.status = target
        locked.hidden_reason = reason if target == Contribution.Status.HIDDEN else ""
        locked.save(update_fields=["status", "hidden_reason"])
        Flag.objects.filter(contribution=locked, handled=False).update(handled=True)
        if before == Contribution.Status.VISIBLE:
            _count(locked.consultation_id, -1)
        elif target == Contribution.Status.VISIBLE:
            _count(locked.consultation_id, +1)
        audit_record(
            obj=locked,
            actor=moderator,
            action=action,
            from_status=before,
            to_status=target,
            reason=reason,
        )
        if target == Contribution.Status.HIDDEN and locked.author_id:
            notices.tell_hidden(locked)
    return locked


def contribution_hide(*, contribution, moderator, reason: str) -> Contribution:
    return _moderate(
        contribution,
        moderator=moderator,
        target=Contribution.Status.HIDDEN,
        reason=reason,
        action="contribution_hide",
    )


def contribution_restore(*, contribution, moderator) -> Contribution:
    return _moderate(
        contribution,
        moderator=moderator,
        target=Contribution.Status.VISIBLE,
        action="contribution_restore",
    )


def contribution_approve(*, contribution, moderator) -> Contribution:
    """A held contribution (pre-moderation) goes up."""
    return _moderate(
        contribution,
        moderator=moderator,
        target=Contribution.Status.VISIBLE,
        action="contribution_approve",
        only_from=Contribution.Status.HELD,
    )


def contribution_dismiss_flags(*, contribution, moderator) -> int:
    """The moderator read the reports and keeps the contribution up."""
    with transaction.atomic():
        locked = _locked_contribution(contribution.pk)
        require(permissions.can_moderate(moderator, locked.consultation))
        count = Flag.objects.filter(contribution=locked, handled=False).update(handled=True)
        audit_record(obj=locked, actor=moderator, action="contribution_flags_dismissed")
    return count


def contribution_withdraw(*, contribution, author) -> None:
    """Authors delete their own contribution while the consultation is open (its replies go
    with it)."""
    with transaction.atomic():
        locked = _locked_contribution(contribution.pk)
        require(permissions.can_withdraw(author, locked))
        removed = (
            Contribution.objects.filter(pk=locked.pk, status=Contribution.Status.VISIBLE).count()
            + Contribution.objects.filter(parent=locked, status=Contribution.Status.VISIBLE).count()
        )
        audit_record(obj=locked.consultation, actor=author, action="contribution_withdraw")
        locked.delete()
        if removed:
            _count(locked.consultation_id, -removed)


def contribution_anonymise(*, contribution, author) -> Contribution:
    """After closing, the text stays in the record but no longer says who wrote it."""
    with transaction.atomic():
        locked = _locked_contribution(contribution.pk)
        require(permissions.can_anonymise(author, locked))
        locked.author = None
        locked.author_name = ""
        locked.organisation = (
            locked.organisation if locked.author_type == Contribution.AuthorType.AGENCY else ""
        )
        locked.anonymised_at = timezone.now()
        locked.save(update_fields=["author", "author_name", "organisation", "anonymised_at"])
        audit_record(obj=locked, actor=author, action="contribution_anonymise")
    return locked


# --- analysis and the response report ----------------------------------------------------


@transaction.atomic
def theme_add(*, actor, consultation, name: str) -> Theme:
    locked = _locked(consultation.pk)
    require(permissions.can_analyse(actor, locked))
    errors = {}
    name = text_field(errors, {"name": name}, "name", limit=200)
    if errors:
        raise ValidationError(errors)
    theme, created = Theme.objects.get_or_create(consultation=locked, name=name)
    if not created:
        raise ValidationError({"name": [_("There is already a theme with this name.")]})
    return theme


@transaction.atomic
def contribution_tag(*, actor, contribution, theme_ids) -> list[Theme]:
    locked = _locked(contribution.consultation_id)
    require(permissions.can_analyse(actor, locked))
    themes = list(Theme.objects.filter(consultation=locked, pk__in=list(theme_ids or [])))
    if len(themes) != len(set(theme_ids or [])):
        raise ValidationError({"themes": [_("Choose among this consultation's themes.")]})
    contribution.themes.set(themes)
    return themes


@transaction.atomic
def report_save(*, actor, consultation, introduction: str, decisions: list[dict]) -> ResponseReport:
    """Write (or rewrite) the response report: for each theme, what was heard, the decision
    and what the agency will do or why not, each linked to the contributions it answers."""
    locked = _locked(consultation.pk)
    require(permissions.can_analyse(actor, locked))
    errors = {}
    introduction = text_field(
        errors, {"introduction": introduction}, "introduction", limit=10000, required=False
    )
    themes = {t.pk: t for t in locked.themes.all()}
    ids = set(locked.contributions.values_list("pk", flat=True))
    rows = []
    for i, row in enumerate(decisions or []):
        problems = {}
        theme = themes.get(id_or_none(row.get("theme")))
        if theme is None:
            problems["theme"] = [_("Choose one of this consultation's themes.")]
        heard = text_field(problems, row, "heard", limit=5000)
        action = text_field(problems, row, "action", limit=5000)
        outcome = row.get("outcome")
        if outcome not in Decision.Outcome.values:
            problems["outcome"] = [_("Choose the decision.")]
        linked = [id_or_none(c) for c in row.get("contributions") or []]
        if any(c not in ids for c in linked):
            problems["contributions"] = [_("Link only this consultation's contributions.")]
        if problems:
            errors.update({f"decisions.{i}.{k}": v for k, v in problems.items()})
        rows.append((theme, heard, outcome, action, linked))
    themes_used = [r[0] for r in rows if r[0] is not None]
    if len(themes_used) != len(set(themes_used)):
        errors["decisions"] = [_("Write one decision per theme.")]
    if errors:
        raise ValidationError(errors)
    report, _created = ResponseReport.objects.update_or_create(
        consultation=locked, defaults={"introduction": introduction}
    )
    report.decisions.all().delete()
    for position, (theme, heard, outcome, action, linked) in enumerate(rows, 1):
        decision = Decision.objects.create(
            report=report,
            theme=theme,
            heard=heard,
            outcome=outcome,
            action=action,
            position=position,
        )
        decision.contributions.set(linked)
    audit_record(obj=locked, actor=actor, action="report_save", data={"decisions": len(rows)})
    return report


def panel_person(identifier: str):
    """The active account with this username or email (for adding to a panel)."""
    from django.contrib.auth import get_user_model

    identifier = (identifier or "").strip()
    if not identifier:
        return None
    User = get_user_model()
    return (
        User.objects.filter(is_active=True).filter(username=identifier).first()
        or User.objects.filter(is_active=True, email__iexact=identifier).first()
    )
