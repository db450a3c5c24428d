from django.db.models import Count, Q
from django.http import Http404

from portal.models import Province
from portal.roles import Role, has_role

from .models import (
    COMMITTEES,
    SUB_NETWORKS,
    GroupKind,
    Network,
    NetworkGroup,
    NetworkMember,
    Sector,
)

MS = NetworkMember.Status


def network_for_province(code) -> Network:
    found = (
        Network.objects.select_related("province", "manager")
        .filter(province__code=str(code)[:5])
        .first()
    )
    if found is None:
        raise Http404
    return found


def members_by_sector(network) -> list[tuple[str, str, list]]:
    """Certified members, sector by sector (every sector listed, even an empty one)."""
    members = list(network.members.filter(status=MS.CERTIFIED).select_related("cso"))
    return [
        (value, label, [m for m in members if m.sector == value]) for value, label in Sector.choices
    ]


def stage(network) -> int:
    """How far along a province's network is, for the map: 1 forming, 2 with certified members
    from at least three sectors, 3 appointed by the governor."""
    if network is None:
        return 0
    if network.status == Network.Status.APPOINTED:
        return 3
    return 2 if getattr(network, "sectors", 0) >= 3 else 1


def all_networks() -> dict[str, Network]:
    rows = Network.objects.select_related("province").annotate(
        sectors=Count("members__sector", filter=Q(members__status=MS.CERTIFIED), distinct=True)
    )
    return {n.province.code: n for n in rows}


def provinces() -> list[Province]:
    return list(Province.objects.order_by("name_th"))


def certified_members(network):
    return network.members.filter(status=MS.CERTIFIED).order_by("name", "pk")


def groups_counted(groups):
    """Committees and sub-networks with their current seats (``n_seats``) and meetings
    (``n_meetings``) counted in the same query."""
    return groups.annotate(
        n_seats=Count("seats", filter=Q(seats__ended_at__isnull=True), distinct=True),
        n_meetings=Count("meetings", distinct=True),
    )


def groups_of(network) -> dict[str, list]:
    """The network's committees and its sub-networks, each kind listed (set up or not), with
    its current seats and meetings counted in one query."""
    rows = {g.kind: g for g in groups_counted(network.groups.all())}
    labels = dict(GroupKind.choices)
    return {
        "committees": [(k, labels[k], rows.get(k)) for k in COMMITTEES],
        "sub_networks": [(k, labels[k], rows.get(k)) for k in SUB_NETWORKS],
    }


def group_for(network, kind) -> NetworkGroup:
    found = network.groups.filter(kind=str(kind)[:24]).first()
    if found is None:
        raise Http404
    found.network = network
    return found


def seats_of(group) -> list:
    return list(group.seats.filter(ended_at__isnull=True).select_related("member"))


def meetings_of(group) -> list:
    return list(group.meetings.prefetch_related("decisions"))


def members_spoken_for(user, network) -> list[NetworkMember]:
    """The network's certified members ``user`` speaks for: their own membership, their CSO's,
    their agency's."""
    if not (user and user.is_authenticated):
        return []
    who = Q(account=user, cso__isnull=True)
    if user.cso_id and has_role(user, Role.CSO_MEMBER):
        who |= Q(cso_id=user.cso_id)
    if user.agency_id and has_role(user, Role.AGENCY_OFFICER):
        who |= Q(agency_id=user.agency_id)
    return list(network.members.filter(who, status=MS.CERTIFIED).order_by("name", "pk"))


def speaks_for(user, member) -> bool:
    if member is None or not (user and user.is_authenticated) or member.status != MS.CERTIFIED:
        return False
    if member.account_id == user.pk and member.cso_id is None:
        return True
    if member.cso_id and member.cso_id == user.cso_id and has_role(user, Role.CSO_MEMBER):
        return True
    return bool(
        member.agency_id
        and member.agency_id == user.agency_id
        and has_role(user, Role.AGENCY_OFFICER)
    )
