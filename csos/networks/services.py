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
from .models import Network, NetworkMember, Resource, Sector

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
