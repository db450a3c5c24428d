"""Writes for polls: create, publish, close, vote. Every status change is audited."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.workflow import Conflict, require, transition_refusal

from . import permissions
from .models import Poll, PollOption, Vote

MIN_OPTIONS = 2
MAX_OPTIONS = 10

TRANSITIONS = {
    Poll.Status.DRAFT: {Poll.Status.OPEN},
    Poll.Status.OPEN: {Poll.Status.CLOSED},
}


def _clean(data: dict) -> dict:
    errors = {}
    question = (data.get("question") or "").strip()
    if not question:
        errors["question"] = [_("Give the poll's question.")]
    elif len(question) > 500:
        errors["question"] = [_("Give the question in at most 500 characters.")]
    options = [str(o).strip() for o in data.get("options") or [] if str(o).strip()]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        errors["options"] = [_("Give between 2 and 10 options.")]
    elif any(len(o) > 200 for o in options):
        errors["options"] = [_("Give each option in at most 200 characters.")]
    elif len(set(options)) != len(options):
        errors["options"] = [_("Give each option only once.")]
    opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
    if not opens_at:
        errors["opens_at"] = [_("Give when the poll opens.")]
    if not closes_at:
        errors["closes_at"] = [_("Give when the poll closes.")]
    elif opens_at and closes_at <= opens_at:
        errors["closes_at"] = [_("The poll must close after it opens.")]
    show = data.get("show_results") or Poll.ShowResults.AFTER_VOTE
    if show not in Poll.ShowResults.values:
        errors["show_results"] = [_("Choose when the results are shown.")]
    mission = data.get("mission")
    if mission is not None and mission.agency_id != data["agency"].pk:
        errors["mission"] = [_("Choose one of your agency's missions.")]
    if errors:
        raise ValidationError(errors)
    return {
        "question": question,
        "options": options,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "show_results": show,
        "mission": mission,
    }


@transaction.atomic
def create_poll(*, actor, agency, data: dict) -> Poll:
    require(permissions.can_manage_polls(actor, agency))
    cleaned = _clean({**data, "agency": agency})
    options = cleaned.pop("options")
    poll = Poll.objects.create(agency=agency, created_by=actor, **cleaned)
    PollOption.objects.bulk_create(
        PollOption(poll=poll, position=i, text=text) for i, text in enumerate(options, 1)
    )
    audit_record(obj=poll, actor=actor, action="create", to_status=poll.status)
    return poll


def _move(poll_id, *, actor, target: str, action: str) -> Poll:
    with transaction.atomic():
        poll = Poll.objects.select_for_update().select_related("agency").get(pk=poll_id)
        require(permissions.can_manage_polls(actor, poll.agency))
        refusal = transition_refusal(
            TRANSITIONS, poll.status, target, label=poll.get_status_display()
        )
        require((refusal is None, refusal))
        before = poll.status
        poll.status = target
        poll.save(update_fields=["status"])
        audit_record(obj=poll, actor=actor, action=action, from_status=before, to_status=target)
    return poll


def publish_poll(poll, *, actor) -> Poll:
    return _move(poll.pk, actor=actor, target=Poll.Status.OPEN, action="publish")


def close_poll(poll, *, actor) -> Poll:
    return _move(poll.pk, actor=actor, target=Poll.Status.CLOSED, action="close")


def cast_vote(poll, *, voter, option_id) -> Vote:
    """One vote per account: the poll row is locked, the existing vote looked up, and the
    unique constraint (poll, voter) is the last word if two requests still race."""
    try:
        with transaction.atomic():
            locked = Poll.objects.select_for_update().get(pk=poll.pk)
            already = Vote.objects.filter(poll=locked, voter=voter).exists()
            require(permissions.can_vote(voter, locked, already_voted=already, now=timezone.now()))
            option = PollOption.objects.filter(poll=locked, pk=option_id).first()
            if option is None:
                raise ValidationError({"option": [_("Choose one of the poll's options.")]})
            return Vote.objects.create(poll=locked, option=option, voter=voter)
    except IntegrityError as exc:
        raise Conflict(_("You have already voted in this poll.")) from exc
