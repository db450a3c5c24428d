from django.db.models import Count, Q
from django.http import Http404

from portal.models import Province

from .models import Network, NetworkMember, Sector

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
