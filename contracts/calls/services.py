"""Calls for proposals: one function per use case (draft, change, publish, close, cancel,
choose the evaluators). Views, API views and tasks call these; none of them changes a
status itself."""

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypedDict, Unpack

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.calls import permissions, selectors
from contracts.calls.models import (
    Call,
    CallAddendum,
    CallEvaluator,
    CallQuestion,
    Instrument,
    SavedSearch,
)
from contracts.calls.rules import _close_if_due, _system, validate_call
from contracts.proposals.models import Proposal
from contracts.proposals.services import _decide, _email_members, decided
from csos.registration.selectors import cso_members as members
from portal.audit import audit_record
from portal.models import ActivityField, Province
from portal.notices.services import notify, url_for
from portal.roles import Role, has_role
from portal.uploads import check_upload
from portal.validation import fields_of, known_codes, text_field
from portal.workflow import InvalidTransition, reason_required, require, run_transition

CS = Call.Status
MAX_SAVED_SEARCHES = 20
PS = Proposal.Status


class CallFields(TypedDict, total=False):
    """An officer's terms for a call; codes refer to the reference tables."""

    instrument: str  # Instrument
    title: str
    description: str
    budget_ceiling: Decimal | str  # baht per proposal
    budget_total: Decimal | str | None  # baht for the whole call (default: the ceiling)
    opens_at: datetime.datetime  # aware
    closes_at: datetime.datetime  # aware
    costing_method: str  # CostingMethod
    criteria_weights: Mapping[str, int]  # the five criteria, summing to 100
    required_documents: Sequence[str]
    eligible_provinces: Sequence[str]  # Province codes (default: the mission's)
    eligible_activity_fields: Sequence[str]  # ActivityField codes (default: the mission's)
    stages: int  # 1, or 2: concept notes first


def _apply_call(call: Call, cleaned: dict) -> list[str]:
    changed = []
    for name in [
        "instrument",
        "title",
        "description",
        "budget_ceiling",
        "budget_total",
        "opens_at",
        "closes_at",
        "costing_method",
        "required_documents",
        "stages",
    ]:
        if name in cleaned:
            setattr(call, name, cleaned[name])
            changed.append(name)
    if "criteria_weights" in cleaned:
        for c, w in cleaned["criteria_weights"].items():
            setattr(call, f"weight_{c}", w)
            changed.append(f"weight_{c}")
    return changed


def call_create(*, user, mission, **fields: Unpack[CallFields]) -> Call:
    """An officer drafts a call for one of the agency's missions. Eligibility defaults to
    the mission's provinces and activity field."""
    require(permissions.can_create_call(user, mission))
    cleaned = validate_call(call=None, answers=fields_of(CallFields, fields))
    with transaction.atomic():
        call = Call(agency_id=mission.agency_id, mission=mission, created_by=user)
        _apply_call(call, cleaned)
        call.save()
        provinces = cleaned.get("eligible_provinces")
        if provinces is None:
            provinces = list(mission.provinces.values_list("code", flat=True))
        call.eligible_provinces.set(provinces)
        fields = cleaned.get("eligible_activity_fields")
        if fields is None:
            fields = [mission.activity_field_id]
        call.eligible_activity_fields.set(fields)
        audit_record(obj=call, actor=user, action="create", to_status=call.status)
    return call


def call_update(*, call: Call, user, **fields: Unpack[CallFields]) -> Call:
    """Change a draft or forecast call (the fields given; those left out keep their values).
    A published call changes only by an addendum (``call_amend``)."""
    require(permissions.can_manage_call(user, call))
    cleaned = validate_call(call=call, answers=fields_of(CallFields, fields))
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.status not in (CS.DRAFT, CS.FORECAST):
            raise InvalidTransition(
                _(
                    "A published call changes only by an addendum: every organisation answers "
                    "the same call."
                )
            )
        fields = _apply_call(locked, cleaned)
        locked.save(update_fields=[*fields, "updated_at"])
        if "eligible_provinces" in cleaned:
            locked.eligible_provinces.set(cleaned["eligible_provinces"])
        if "eligible_activity_fields" in cleaned:
            locked.eligible_activity_fields.set(cleaned["eligible_activity_fields"])
    return locked


def call_forecast(*, call: Call, user) -> Call:
    """Publish a draft as a forecast: its title, mission, expected dates and budget are
    public so organisations can prepare; it takes no proposals until it is published."""
    now = timezone.now()

    def apply(obj):
        if obj.closes_at <= now:
            raise ValidationError(
                {"closes_at": [_("The expected closing time has passed; choose a later one.")]}
            )
        obj.forecast_at = now
        return ["forecast_at"]

    return run_transition(
        instance=call,
        target=CS.FORECAST,
        actor=user,
        action="forecast",
        permission=permissions.can_manage_call,
        apply=apply,
    )


def call_publish(*, call: Call, user) -> Call:
    now = timezone.now()

    def apply(obj):
        if obj.closes_at <= now:
            raise ValidationError(
                {"closes_at": [_("The closing time has passed; choose a later one first.")]}
            )
        obj.published_at = now
        return ["published_at"]

    with transaction.atomic():
        published = run_transition(
            instance=call,
            target=CS.OPEN,
            actor=user,
            action="publish",
            permission=permissions.can_publish_call,
            apply=apply,
        )
        pk = published.pk
        transaction.on_commit(lambda: _queue_alerts(pk), robust=True)
    return published


def _queue_alerts(call_id: int) -> None:
    """Queue ``contracts.tasks.send_call_alerts`` (tasks.py) by its name: the tasks sit above
    the services."""
    from portal.celery import app

    app.send_task("contracts.tasks.send_call_alerts", args=[call_id])


def call_close(*, call: Call, user, reason: str = "") -> Call:
    """An officer closes an open call, at its closing time or early."""

    def apply(obj):
        obj.closed_at = timezone.now()
        return ["closed_at"]

    return run_transition(
        instance=call,
        target=CS.CLOSED,
        actor=user,
        action="close",
        permission=permissions.can_manage_call,
        reason=reason,
        apply=apply,
    )


def call_close_due(*, now=None) -> int:
    """Close every open call whose closing time has passed (Celery beat). Returns how many."""
    now = now or timezone.now()
    closed = 0
    for call in Call.objects.filter(status=CS.OPEN, closes_at__lte=now).only("pk", "status"):
        try:
            _close_if_due(call.pk, now)
            closed += 1
        except InvalidTransition:  # someone closed or cancelled it meanwhile
            continue
    return closed


def call_cancel(*, call: Call, user, reason: str) -> Call:
    """Cancel a call; proposals still waiting for a decision are told it will not go ahead.
    The call row is locked first (run_transition), as submitting locks it: a proposal sent at
    the same moment is either refused or, if it came first, decided here."""
    reason = reason_required(reason)
    with transaction.atomic():
        call = run_transition(
            instance=call,
            target=CS.CANCELLED,
            actor=user,
            action="cancel",
            permission=permissions.can_manage_call,
            reason=reason,
            apply=lambda obj: setattr(obj, "cancel_reason", reason) or ["cancel_reason"],
        )
        waiting = list(
            call.proposals.filter(status__in=[*Proposal.IN_REVIEW, PS.CONCEPT_SENT]).order_by("pk")
        )
        why = _("The call was cancelled: %(reason)s") % {"reason": reason}
        apply = decided(timezone.now(), why)
        for proposal in waiting:
            _decide(proposal, user, PS.NOT_SELECTED, "reject", why, permission=_system, apply=apply)
            _email_members(Proposal.objects.get(pk=proposal.pk), "proposal_decided")
    return call


def call_assign_evaluators(*, call: Call, user, usernames) -> list:
    """Set the call's evaluation panel. Each must hold the evaluator role; an evaluator who
    has already scored stays."""
    require(permissions.can_manage_call(user, call))
    if not isinstance(usernames, list | tuple) or not all(isinstance(u, str) for u in usernames):
        raise ValidationError({"usernames": [_("Give a list of user names.")]})
    wanted = list(dict.fromkeys(u.strip() for u in usernames if u.strip()))
    users = {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=wanted, is_active=True)
        .prefetch_related("role_rows")
    }
    not_evaluators = [u for u in wanted if u not in users or not has_role(users[u], Role.EVALUATOR)]
    if not_evaluators:
        raise ValidationError(
            {
                "usernames": [
                    _("These accounts do not hold the evaluator role: %(names)s.")
                    % {"names": ", ".join(not_evaluators[:10])}
                ]
            }
        )
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.status in {CS.AWARDED, CS.CANCELLED}:
            raise InvalidTransition(
                _("The panel cannot change while the call is “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        current = {a.evaluator.username: a for a in locked.assignments.select_related("evaluator")}
        removed = [name for name in current if name not in users]
        scored = set(
            get_user_model()
            .objects.filter(reviews__proposal__call=locked, username__in=removed)
            .values_list("username", flat=True)
        )
        if scored:
            raise ValidationError(
                {
                    "usernames": [
                        _("These evaluators have started scoring and stay on the panel: %(names)s.")
                        % {"names": ", ".join(sorted(scored))}
                    ]
                }
            )
        added = [name for name in wanted if name not in current]
        CallEvaluator.objects.filter(call=locked, evaluator__username__in=removed).delete()
        CallEvaluator.objects.bulk_create(
            [CallEvaluator(call=locked, evaluator=users[n], assigned_by=user) for n in added],
            ignore_conflicts=True,
        )
        if added or removed:
            audit_record(
                obj=locked,
                actor=user,
                action="assign_evaluators",
                from_status=locked.status,
                to_status=locked.status,
                data={"added": added, "removed": removed},
            )
    return [users[n] for n in wanted]


# ---------------------------------------------------------------------------------------
# Addenda and questions


def _changed(before, after) -> dict:
    return {"from": before, "to": after}


def call_amend(
    *, call: Call, user, summary: str, closes_at=None, description=None, criteria_weights=None,
    document=None, document_title: str = "",
) -> CallAddendum:  # fmt: skip
    """Change an open call by a numbered addendum: extend the deadline, clarify the text or
    the criteria, add a document. A deadline is never shortened, and the weights do not
    change once a proposal has been submitted. Every organisation with a draft is told."""
    errors = {}
    summary = text_field(
        errors, {"summary": summary}, "summary", limit=5000,
        missing=_("Say what changes and why."),
    )  # fmt: skip
    document_title = text_field(
        errors, {"document_title": document_title}, "document_title", limit=255, required=False
    )
    if document is not None:
        try:
            if check_upload(document) != "application/pdf":
                errors["document"] = [_("The document must be a PDF.")]
        except ValidationError as exc:
            errors["document"] = exc.messages
        if not document_title and "document_title" not in errors:
            errors["document_title"] = [_("Give the document a title.")]
    answers = {}
    if closes_at is not None:
        answers["closes_at"] = closes_at
    if description is not None:
        answers["description"] = description
    if criteria_weights is not None:
        answers["criteria_weights"] = criteria_weights
    try:
        cleaned = validate_call(call=call, answers=answers)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = {}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        require(permissions.can_amend_call(user, locked))
        changes = {}
        if "closes_at" in cleaned and cleaned["closes_at"] != locked.closes_at:
            if cleaned["closes_at"] < locked.closes_at:
                raise ValidationError(
                    {"closes_at": [_("A published call's deadline is extended, never shortened.")]}
                )
            changes["closes_at"] = _changed(
                locked.closes_at.isoformat(), cleaned["closes_at"].isoformat()
            )
            locked.closes_at = cleaned["closes_at"]
        if "description" in cleaned and cleaned["description"] != locked.description:
            changes["description"] = _changed(locked.description, cleaned["description"])
            locked.description = cleaned["description"]
        if "criteria_weights" in cleaned:
            new = dict(cleaned["criteria_weights"])
            if new != locked.criteria_weights:
                if locked.proposals.filter(status__in=list(Proposal.SENT)).exists():
                    raise ValidationError(
                        {"criteria_weights": [_(
                            "The weights cannot change once a proposal has been submitted."
                        )]}
                    )  # fmt: skip
                changes["criteria_weights"] = _changed(locked.criteria_weights, new)
                for criterion, weight in new.items():
                    setattr(locked, f"weight_{criterion}", weight)
        if not changes and document is None:
            raise ValidationError(
                _("Nothing changes: extend the deadline, change the text or weights, or add a "
                  "document.")
            )  # fmt: skip
        locked.save()
        number = (locked.addenda.aggregate(n=Max("number"))["n"] or 0) + 1
        addendum = CallAddendum(
            call=locked, number=number, summary=summary, changes=changes, published_by=user,
            document_title=document_title,
        )  # fmt: skip
        if document is not None:
            addendum.document.save(f"call-{locked.pk}-addendum-{number}.pdf", document, save=False)
        addendum.save()
        changed = sorted(changes) + (["document"] if document is not None else [])
        audit_record(
            obj=locked, actor=user, action="amend", from_status=locked.status,
            to_status=locked.status, reason=summary,
            data={"addendum": number, "changed": changed},
        )  # fmt: skip
        drafts = locked.proposals.filter(status=PS.DRAFT).values_list("cso_id", flat=True)
        people = [person for cso_id in sorted(set(drafts)) for person in members(cso_id)]
        notify(
            "call_addendum", people, addendum,
            context={"call": locked.title, "number": number, "summary": summary,
                     "due": timezone.localdate()},
            url=url_for("call-detail", locked.pk),
        )  # fmt: skip
    return addendum


def question_ask(*, user, call: Call, question: str) -> CallQuestion:
    errors = {}
    question = text_field(errors, {"question": question}, "question", limit=2000)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        require(permissions.can_ask_question(user, locked))
        asked = CallQuestion.objects.create(
            call=locked, cso_id=user.cso_id, asked_by=user, question=question
        )
        audit_record(obj=locked, actor=user, action="question_ask", data={"question": asked.pk})
    return asked


def question_answer(*, user, question: CallQuestion, answer: str) -> CallQuestion:
    """The officer answers (or corrects an answer); it is published to every organisation
    without the asker's name, and the asking organisation is told."""
    errors = {}
    answer = text_field(errors, {"answer": answer}, "answer", limit=5000)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=question.call_id)
        question = CallQuestion.objects.select_for_update().get(pk=question.pk)
        question.call = locked
        require(permissions.can_answer_question(user, question))
        first = question.answered_at is None
        question.answer, question.answered_by = answer, user
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(
            obj=locked, actor=user, action="question_answer",
            data={"question": question.pk, "first": first},
        )  # fmt: skip
        if first:
            notify(
                "call_question_answered", members(question.cso_id), question,
                context={"call": locked.title}, url=url_for("call-detail", locked.pk),
            )  # fmt: skip
    return question


# ---------------------------------------------------------------------------------------
# Alerts and saved searches


def call_alerts_send(*, call: Call) -> dict:
    """Tell every approved organisation the newly opened call suits (its members, once per
    call, each as their notice settings say), then every saved search it matches (once per
    person and call, not again for someone already told)."""
    call = Call.objects.select_related("agency", "mission").get(pk=call.pk)
    if call.status != CS.OPEN:
        return {"organisations": 0, "searches": 0}
    context = {"call": call.title, "agency": call.agency.name, "due": call.closes_at.date()}
    url = url_for("call-detail", call.pk)
    cso_ids = selectors.matching_cso_ids(call)
    told = set()
    members_of = get_user_model().objects.filter(is_active=True, role_rows__role=Role.CSO_MEMBER)
    for start in range(0, len(cso_ids), 500):
        people = list(members_of.filter(cso_id__in=cso_ids[start : start + 500]).distinct())
        notify("call_matching", people, call, context=context, url=url)
        told.update(p.pk for p in people)
    searches = [s for s in selectors.saved_searches_matching(call) if s.user_id not in told]
    notify("call_saved_search", [s.user for s in searches], call, context=context, url=url)
    return {"organisations": len(cso_ids), "searches": len(searches)}


def _instruments(codes) -> list[str]:
    if set(codes) - set(Instrument.values):
        raise ValidationError(_("Choose among the instruments."))
    return list(codes)


def _codes(errors, data, name, check) -> list:
    """``data[name]``, a list of codes, as ``check`` (``known_codes`` of a reference table)
    accepts it, sorted; what is wrong with it goes into ``errors[name]``."""
    value = data.get(name) or []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors[name] = [_("Give a list of codes.")]
        return []
    try:
        return sorted(set(check(value)))
    except ValidationError as exc:
        errors[name] = exc.messages
        return []


def saved_search_create(*, user, data: dict) -> SavedSearch:
    """Save a search for calls; each part left empty matches any. Up to 20 per person."""
    require(permissions.can_save_search(user))
    errors = {}
    fields = _codes(errors, data, "fields", lambda codes: known_codes(ActivityField, codes))
    provinces = _codes(errors, data, "provinces", lambda codes: known_codes(Province, codes))
    instruments = _codes(errors, data, "instruments", _instruments)
    words = text_field(errors, data, "words", limit=200, required=False)
    if not errors and not (fields or provinces or instruments or words):
        errors["words"] = [_("Give at least one field, province, instrument or word.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)  # one at a time
        if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
            raise ValidationError(
                _("You have %(n)s saved searches; delete one first.") % {"n": MAX_SAVED_SEARCHES}
            )
        return SavedSearch.objects.create(
            user=user, fields=fields, provinces=provinces, instruments=instruments, words=words
        )


def saved_search_delete(*, user, search: SavedSearch) -> None:
    if search.user_id != user.pk:
        raise PermissionDenied(_("This is someone else's saved search."))
    search.delete()
