"""Writes for provincial networks: set one up (staff), apply or be proposed, certify with a
term, name connectors, end a membership, record the governor's appointment order (PDF).
The network's row is locked before its members; every change is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.roles import Role, has_role
from portal.uploads import check_upload
from portal.validation import text_field
from portal.workflow import AlreadyDone, require

from . import permissions
from .models import (
    GroupDecision,
    GroupKind,
    GroupMeeting,
    GroupSeat,
    Network,
    NetworkGroup,
    NetworkMember,
    Resource,
    Sector,
)

MS = NetworkMember.Status


def _count(network) -> None:
    network.member_count = network.members.filter(status=MS.CERTIFIED).count()
    network.save(update_fields=["member_count"])


@transaction.atomic
def network_create(*, actor, province, manager) -> Network:
    require(permissions.can_create(actor))
    if Network.objects.filter(province=province).exists():
        raise ValidationError({"province": [_("This province has its network already.")]})
    if manager is None or not manager.is_active:
        raise ValidationError({"manager": [_("Choose the network manager's account.")]})
    network = Network.objects.create(province=province, manager=manager)
    NetworkMember.objects.create(
        network=network, kind=NetworkMember.Kind.PERSON, name=manager.display_name(),
        sector=Sector.GOVERNMENT if manager.agency_id else Sector.CIVIL_SOCIETY,
        role=NetworkMember.Role.MANAGER, account=manager, status=MS.CERTIFIED,
        certified_at=timezone.now(),
    )  # fmt: skip
    _count(network)
    audit_record(obj=network, actor=actor, action="create", to_status=network.status)
    return network


def _clean(data: dict) -> dict:
    errors = {}
    fields = {
        "name": text_field(errors, data, "name", limit=255),
        "kind": data.get("kind"),
        "sector": data.get("sector"),
        "resources": sorted(set(data.get("resources") or [])),
    }
    if fields["kind"] not in NetworkMember.Kind.values:
        errors["kind"] = [_("Say whether it is an organisation or an individual.")]
    if fields["sector"] not in Sector.values:
        errors["sector"] = [_("Choose the sector.")]
    if any(r not in Resource.values for r in fields["resources"]):
        errors["resources"] = [_("Choose among the listed resources.")]
    if errors:
        raise ValidationError(errors)
    return fields


def member_apply(*, person, network, data: dict, on_behalf_of_cso=False) -> NetworkMember:
    """Apply to join: as an individual, or for one's organisation (a CSO member for their
    CSO). The manager certifies it."""
    fields = _clean(data)
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=network.pk)
        require(permissions.can_apply(person, locked))
        cso = None
        if on_behalf_of_cso:
            if not (has_role(person, Role.CSO_MEMBER) and person.cso_id):
                raise ValidationError({"kind": [_("Only a CSO's member applies for it.")]})
            cso = person.cso
            fields.update(kind=NetworkMember.Kind.ORGANISATION, name=cso.name_th)
        open_one = locked.members.exclude(status=MS.ENDED)
        already = open_one.filter(cso=cso) if cso else open_one.filter(account=person, cso=None)
        if already.exists():
            require((False, AlreadyDone(_("This application or membership exists already."))))
        member = NetworkMember.objects.create(network=locked, account=person, cso=cso, **fields)
        audit_record(obj=member, actor=person, action="network_apply", to_status=MS.APPLIED)
    return member


def member_propose(*, manager, network, data: dict, agency_id=None) -> NetworkMember:
    """The manager records a member the network invites (an agency, an organisation
    recorded just for the network, a person), to be certified like any application."""
    fields = _clean(data)
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=network.pk)
        require(permissions.can_manage(manager, locked))
        member = NetworkMember.objects.create(network=locked, agency_id=agency_id, **fields)
        audit_record(obj=member, actor=manager, action="network_propose", to_status=MS.APPLIED)
    return member


def member_certify(*, manager, member, term_ends=None) -> NetworkMember:
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=member.network_id)
        member = NetworkMember.objects.select_for_update().get(pk=member.pk)
        require(permissions.can_certify(manager, member))
        if term_ends is not None and term_ends <= timezone.localdate():
            raise ValidationError({"term_ends": [_("A term ends on a day still to come.")]})
        member.status, member.term_ends = MS.CERTIFIED, term_ends
        member.certified_at = timezone.now()
        member.save(update_fields=["status", "term_ends", "certified_at"])
        _count(locked)
        audit_record(
            obj=member, actor=manager, action="network_certify", from_status=MS.APPLIED,
            to_status=MS.CERTIFIED,
        )  # fmt: skip
    return member


def member_end(*, manager, member, reason: str) -> NetworkMember:
    errors = {}
    reason = text_field(errors, {"reason": reason}, "reason", limit=1000)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=member.network_id)
        member = NetworkMember.objects.select_for_update().get(pk=member.pk)
        require(permissions.can_end(manager, member))
        if member.role == NetworkMember.Role.MANAGER:
            raise ValidationError(_("The manager's own membership ends with a new manager."))
        before, member.status = member.status, MS.ENDED
        member.save(update_fields=["status"])
        member.seats.filter(ended_at__isnull=True).update(ended_at=timezone.now())
        _count(locked)
        audit_record(
            obj=member, actor=manager, action="network_end", from_status=before,
            to_status=MS.ENDED, reason=reason,
        )  # fmt: skip
    return member


def member_set_role(*, manager, member, role: str) -> NetworkMember:
    """Name a certified member their sector's connector (แกนกลุ่ม), or make them a member again."""
    if role not in (NetworkMember.Role.MEMBER, NetworkMember.Role.CONNECTOR):
        raise ValidationError({"role": [_("Choose member or connector.")]})
    with transaction.atomic():
        Network.objects.select_for_update().get(pk=member.network_id)
        member = NetworkMember.objects.select_for_update().get(pk=member.pk)
        require(permissions.can_manage(manager, member.network))
        if member.status != MS.CERTIFIED or member.role == NetworkMember.Role.MANAGER:
            raise ValidationError({"role": [_("Only a certified member is named a connector.")]})
        before, member.role = member.role, role
        member.save(update_fields=["role"])
        audit_record(
            obj=member, actor=manager, action="network_role", from_status=before, to_status=role
        )
    return member


def order_record(*, manager, network, number: str, date, upload) -> Network:
    """The provincial governor's order appointing the working group: its number, date and
    PDF. The network is then appointed."""
    errors = {}
    number = text_field(errors, {"number": number}, "number", limit=50)
    if not date:
        errors["date"] = [_("Give the order's date.")]
    elif date > timezone.localdate():
        errors["date"] = [_("An order is recorded once it is signed.")]
    try:
        if check_upload(upload) != "application/pdf":
            errors["file"] = [_("The order must be a PDF.")]
    except ValidationError as exc:
        errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=network.pk)
        require(permissions.can_manage(manager, locked))
        before = locked.status
        locked.order_number, locked.order_date = number, date
        locked.order_file.save(f"order-{locked.province_id}.pdf", upload, save=False)
        locked.status = Network.Status.APPOINTED
        locked.save(update_fields=["order_number", "order_date", "order_file", "status"])
        audit_record(
            obj=locked, actor=manager, action="network_order", from_status=before,
            to_status=locked.status, data={"number": number, "date": str(date)},
        )  # fmt: skip
    return locked


def group_set_up(*, manager, network, kind: str, purpose: str = "") -> NetworkGroup:
    """Set up one of the network's committees or sub-networks (or change what it does)."""
    errors = {}
    purpose = text_field(errors, {"purpose": purpose}, "purpose", limit=5000, required=False)
    if kind not in GroupKind.values:
        errors["kind"] = [_("Choose one of the network's committees or sub-networks.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=network.pk)
        require(permissions.can_manage(manager, locked))
        group, created = NetworkGroup.objects.update_or_create(
            network=locked, kind=kind, defaults={"purpose": purpose}
        )
        action = "network_group_set_up" if created else "network_group_change"
        audit_record(obj=locked, actor=manager, action=action, data={"kind": kind})
    return group


def seat_add(*, manager, group, member, role: str, term_ends=None) -> GroupSeat:
    """Seat a certified member of the network on one of its committees or sub-networks,
    with a role and a term. A committee has one chair."""
    errors = {}
    if role not in GroupSeat.Role.values:
        errors["role"] = [_("Choose chair, secretary or member.")]
    if term_ends is not None and term_ends <= timezone.localdate():
        errors["term_ends"] = [_("A term ends on a day still to come.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=group.network_id)
        require(permissions.can_manage(manager, locked))
        member = NetworkMember.objects.filter(pk=getattr(member, "pk", None)).first()
        if member is None or member.network_id != locked.pk or member.status != MS.CERTIFIED:
            raise ValidationError({"member": [_("Choose a certified member of this network.")]})
        seats = group.seats.filter(ended_at__isnull=True)
        if seats.filter(member=member).exists():
            raise ValidationError({"member": [_("This member has a seat here already.")]})
        if role == GroupSeat.Role.CHAIR and seats.filter(role=role).exists():
            raise ValidationError({"role": [_("It has a chair already; end that seat first.")]})
        seat = GroupSeat.objects.create(group=group, member=member, role=role, term_ends=term_ends)
        audit_record(
            obj=member, actor=manager, action="network_seat", to_status=role,
            data={"group": group.kind, "term_ends": str(term_ends or "")},
        )  # fmt: skip
    return seat


def seat_end(*, manager, seat, reason: str = "") -> GroupSeat:
    errors = {}
    reason = text_field(errors, {"reason": reason}, "reason", limit=1000, required=False)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Network.objects.select_for_update().get(pk=seat.group.network_id)
        require(permissions.can_manage(manager, locked))
        seat = GroupSeat.objects.select_for_update().get(pk=seat.pk)
        if seat.ended_at is not None:
            require((False, AlreadyDone(_("This seat has ended already."))))
        seat.ended_at = timezone.now()
        seat.save(update_fields=["ended_at"])
        audit_record(
            obj=seat.member, actor=manager, action="network_seat_end", from_status=seat.role,
            reason=reason, data={"group": seat.group.kind},
        )  # fmt: skip
    return seat


def meeting_record(*, actor, group, data: dict) -> GroupMeeting:
    """A meeting of a committee or sub-network: its date, place and minutes, and the
    decisions taken (one per line), numbered in order."""
    errors = {}
    minutes = text_field(errors, data, "minutes", limit=20000)
    place = text_field(errors, data, "place", limit=255, required=False)
    decisions = [line.strip() for line in (data.get("decisions") or "").splitlines()]
    decisions = [line for line in decisions if line]
    if any(len(line) > 2000 for line in decisions):
        errors["decisions"] = [_("A decision is at most 2,000 characters.")]
    held_on = data.get("held_on")
    if not held_on:
        errors["held_on"] = [_("Give the meeting's date.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("A meeting is recorded once it has taken place.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        NetworkGroup.objects.select_for_update().get(pk=group.pk)
        require(permissions.can_record_meeting(actor, group))
        last = group.meetings.order_by("-number").values_list("number", flat=True).first()
        meeting = GroupMeeting.objects.create(
            group=group, number=(last or 0) + 1, held_on=held_on, place=place, minutes=minutes
        )
        GroupDecision.objects.bulk_create(
            GroupDecision(meeting=meeting, number=n, text=text)
            for n, text in enumerate(decisions, start=1)
        )
        audit_record(
            obj=group.network, actor=actor, action="network_meeting",
            data={"group": group.kind, "meeting": meeting.number, "decisions": len(decisions)},
        )  # fmt: skip
    return meeting
