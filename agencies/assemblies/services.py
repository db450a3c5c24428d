"""Writes for citizens' assemblies: set one up with its quotas, volunteer, draw the members
(sortition.py, from a published seed), replace a member who withdraws with the best reserve,
record sessions and recommendations and the agency's answers. The assembly's row is locked
before its volunteers; the set-up, the draw, each replacement and answer are audited."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.validation import text_field
from portal.workflow import AlreadyDone, Conflict, NotNow, require

from ..advisory.services import answer_recommendation
from . import notices, permissions, sortition
from .models import Assembly, AssemblyRecommendation, Characteristic, Session, Volunteer

AS = Assembly.Status
VS = Volunteer.Status
MAX_VALUES = 30


def clean_quotas(raw, seats) -> tuple[dict, list[str]]:
    """{characteristic: {value: seats}} with each characteristic's seats adding up to
    ``seats``; the problems, in the organiser's words, if not."""
    problems, quotas = [], {}
    if not isinstance(raw, dict) or not raw:
        return {}, [_("Give at least one characteristic with its seats per value.")]
    for characteristic, values in raw.items():
        label = (
            Characteristic(characteristic).label
            if characteristic in Characteristic.values
            else characteristic
        )
        if characteristic not in Characteristic.values:
            problems.append(_("“%(c)s” is not a characteristic the portal knows.") % {"c": label})
            continue
        if not isinstance(values, dict) or not 2 <= len(values) <= MAX_VALUES:
            problems.append(_("%(c)s: give between 2 and 30 values.") % {"c": label})
            continue
        clean = {}
        for value, n in values.items():
            value = str(value).strip()
            if not value or len(value) > 100:
                problems.append(
                    _("%(c)s: each value needs a name of at most 100 characters.") % {"c": label}
                )
                break
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                problems.append(_("%(c)s: seats are whole numbers, 0 or more.") % {"c": label})
                break
            clean[value] = n
        else:
            if seats and sum(clean.values()) != seats:
                problems.append(
                    _("%(c)s: the seats add up to %(sum)s, not the assembly's %(seats)s.")
                    % {"c": label, "sum": sum(clean.values()), "seats": seats}
                )
            quotas[characteristic] = clean
    return quotas, problems


@transaction.atomic
def assembly_create(*, officer, data: dict) -> Assembly:
    require(permissions.can_manage(officer, officer.agency_id))
    errors = {}
    title = text_field(errors, data, "title", limit=255)
    purpose = text_field(errors, data, "purpose", limit=10000)
    seats, reserves = data.get("seats"), data.get("reserves") or 0
    if isinstance(seats, bool) or not isinstance(seats, int) or not 2 <= seats <= 1000:
        errors["seats"] = [_("Give between 2 and 1,000 seats.")]
        seats = None
    if isinstance(reserves, bool) or not isinstance(reserves, int) or not 0 <= reserves <= 1000:
        errors["reserves"] = [_("Give between 0 and 1,000 reserves.")]
    quotas, problems = clean_quotas(data.get("quotas"), seats)
    if problems:
        errors["quotas"] = problems
    budget_round, consultation = data.get("budget_round"), data.get("consultation")
    if budget_round is not None and budget_round.owner_agency_id != officer.agency_id:
        errors["budget_round"] = [_("Choose one of your agency's budget rounds.")]
    if consultation is not None and consultation.agency_id != officer.agency_id:
        errors["consultation"] = [_("Choose one of your agency's consultations.")]
    if errors:
        raise ValidationError(errors)
    assembly = Assembly.objects.create(
        owner_agency_id=officer.agency_id, created_by=officer, title=title, purpose=purpose,
        seats=seats, reserves=reserves, quotas=quotas, budget_round=budget_round,
        consultation=consultation,
    )  # fmt: skip
    audit_record(obj=assembly, actor=officer, action="create", to_status=assembly.status)
    return assembly


def _locked(pk) -> Assembly:
    return Assembly.objects.select_for_update().get(pk=pk)


def volunteer(*, person, assembly, traits: dict) -> Volunteer:
    """Offer to sit, giving a value for each characteristic the organiser chose. Once per
    account; the volunteer gets the next number."""
    try:
        with transaction.atomic():
            locked = _locked(assembly.pk)
            require(permissions.can_volunteer(person, locked))
            if locked.volunteers.filter(person=person).exists():
                require((False, AlreadyDone(_("You have already volunteered for this assembly."))))
            errors, clean = {}, {}
            for characteristic, values in locked.quotas.items():
                value = (traits or {}).get(characteristic)
                if value not in values:
                    errors[characteristic] = [_("Choose one of the listed values.")]
                else:
                    clean[characteristic] = value
            if errors:
                raise ValidationError(errors)
            number = (locked.volunteers.aggregate(n=Max("number"))["n"] or 0) + 1
            made = Volunteer.objects.create(
                assembly=locked, person=person, number=number, traits=clean
            )
            locked.volunteer_count = locked.volunteers.count()
            locked.save(update_fields=["volunteer_count"])
            return made
    except IntegrityError as exc:
        raise Conflict(_("You have already volunteered for this assembly.")) from exc


def withdraw(*, person, assembly) -> Volunteer:
    """A volunteer withdraws; a member's seat goes to the reserve who best keeps the quotas,
    who is told."""
    with transaction.atomic():
        locked = _locked(assembly.pk)
        mine = (
            locked.volunteers.select_for_update()
            .filter(person=person)
            .exclude(status=VS.WITHDRAWN)
            .first()
        )
        if mine is None:
            require((False, AlreadyDone(_("You are not a volunteer of this assembly."))))
        if locked.status == AS.REPORTED:
            require((False, NotNow(_("This assembly has reported."))))
        was = mine.status
        mine.status = VS.WITHDRAWN
        mine.save(update_fields=["status"])
        audit_record(
            obj=locked, actor=person, action="assembly_withdraw", from_status=was,
            to_status=VS.WITHDRAWN, data={"number": mine.number},
        )  # fmt: skip
        if was == VS.MEMBER:
            _replace(locked, mine)
        else:
            locked.volunteer_count = locked.volunteers.exclude(status=VS.WITHDRAWN).count()
            locked.save(update_fields=["volunteer_count"])
    return mine


def _replace(assembly, departed):
    reserves = list(
        assembly.volunteers.select_for_update()
        .filter(status=VS.RESERVE)
        .order_by("reserve_rank", "number")
    )
    number = sortition.best_reserve(departed.traits, [(r.number, r.traits) for r in reserves])
    if number is None:
        audit_record(
            obj=assembly, actor=None, action="assembly_seat_empty",
            data={"number": departed.number},
        )  # fmt: skip
        return None
    chosen = next(r for r in reserves if r.number == number)
    chosen.status, chosen.replaces, chosen.reserve_rank = VS.MEMBER, departed, None
    chosen.save(update_fields=["status", "replaces", "reserve_rank"])
    audit_record(
        obj=assembly, actor=None, action="assembly_reserve_in", from_status=VS.RESERVE,
        to_status=VS.MEMBER, data={"number": chosen.number, "replaces": departed.number},
    )  # fmt: skip
    notices.tell_reserve_in(assembly, chosen)
    return chosen


def draw(*, officer, assembly, seed: str = "") -> Assembly:
    """Draw the members and reserves from the volunteers, by sortition.draw with ``seed``
    (the organiser's, e.g. a public lottery result, or a random one). The snapshot, its hash,
    the seed and the unmet quotas are kept and published; everyone drawn is told."""
    seed = (seed or "").strip() or secrets.token_hex(16)
    if len(seed) > 200:
        raise ValidationError({"seed": [_("Keep the seed within 200 characters.")]})
    with transaction.atomic():
        locked = _locked(assembly.pk)
        require(permissions.can_draw(officer, locked))
        pool = list(
            locked.volunteers.select_for_update().filter(status=VS.VOLUNTEERED).order_by("number")
        )
        if len(pool) < locked.seats:
            raise ValidationError(
                {
                    "seed": [
                        _("%(n)s people volunteered; the assembly has %(seats)s seats.")
                        % {"n": len(pool), "seats": locked.seats}
                    ]
                }
            )
        snapshot = [{"number": v.number, "traits": v.traits} for v in pool]
        result = sortition.draw(
            snapshot, seed=seed, seats=locked.seats, reserves=locked.reserves,
            quotas=locked.quotas,
        )  # fmt: skip
        members, reserves = set(result.members), {n: i for i, n in enumerate(result.reserves, 1)}
        for v in pool:
            if v.number in members:
                v.status = VS.MEMBER
            elif v.number in reserves:
                v.status, v.reserve_rank = VS.RESERVE, reserves[v.number]
            else:
                v.status = VS.NOT_DRAWN
        Volunteer.objects.bulk_update(pool, ["status", "reserve_rank"])
        locked.seed, locked.snapshot, locked.snapshot_hash = seed, snapshot, result.snapshot_hash
        locked.unmet, locked.drawn_at, locked.status = result.unmet, timezone.now(), AS.DRAWN
        locked.save(
            update_fields=["seed", "snapshot", "snapshot_hash", "unmet", "drawn_at", "status"]
        )
        audit_record(
            obj=locked, actor=officer, action="assembly_draw", from_status=AS.RECRUITING,
            to_status=AS.DRAWN,
            data={
                "seed": seed, "snapshot_hash": result.snapshot_hash,
                "members": result.members, "reserves": result.reserves, "unmet": result.unmet,
            },
        )  # fmt: skip
        notices.tell_drawn(locked, pool)
    return locked


def session_add(*, officer, assembly, data: dict) -> Session:
    with transaction.atomic():
        locked = _locked(assembly.pk)
        require(permissions.can_record(officer, locked))
        errors = {}
        summary = text_field(errors, data, "summary", limit=20000)
        if not data.get("held_on"):
            errors["held_on"] = [_("Give the session's date.")]
        if errors:
            raise ValidationError(errors)
        session = Session.objects.create(assembly=locked, held_on=data["held_on"], summary=summary)
        if locked.status == AS.DRAWN:
            locked.status = AS.MEETING
            locked.save(update_fields=["status"])
            audit_record(
                obj=locked, actor=officer, action="assembly_meeting", from_status=AS.DRAWN,
                to_status=AS.MEETING,
            )  # fmt: skip
    return session


def recommendation_add(*, officer, assembly, data: dict) -> AssemblyRecommendation:
    with transaction.atomic():
        locked = _locked(assembly.pk)
        require(permissions.can_record(officer, locked))
        errors = {}
        text = text_field(errors, data, "text", limit=5000)
        if errors:
            raise ValidationError(errors)
        rec = AssemblyRecommendation.objects.create(
            assembly=locked, text=text, made_on=data.get("made_on") or timezone.localdate()
        )
        audit_record(
            obj=locked, actor=officer, action="assembly_recommendation", data={"id": rec.pk}
        )
    return rec


def recommendation_answer(*, officer, recommendation, answer: str, explanation: str):
    with transaction.atomic():
        locked = _locked(recommendation.assembly_id)
        require(permissions.can_manage(officer, locked.owner_agency_id))
        return answer_recommendation(
            model=AssemblyRecommendation, pk=recommendation.pk, officer=officer, answer=answer,
            explanation=explanation,
        )  # fmt: skip


def report(*, officer, assembly) -> Assembly:
    """The assembly has reported: every recommendation it made has the agency's answer."""
    with transaction.atomic():
        locked = _locked(assembly.pk)
        require(permissions.can_report(officer, locked))
        recs = locked.recommendations.all()
        if not recs.exists():
            raise ValidationError(_("Record the assembly's recommendations first."))
        if recs.filter(answer=AssemblyRecommendation.Answer.PENDING).exists():
            raise ValidationError(_("Answer every recommendation before the report."))
        locked.status = AS.REPORTED
        locked.save(update_fields=["status"])
        audit_record(
            obj=locked, actor=officer, action="assembly_report", from_status=AS.MEETING,
            to_status=AS.REPORTED,
        )  # fmt: skip
    return locked
