from django.http import Http404

from portal.ids import id_or_404

from .models import Assembly, Volunteer


def public_assemblies():
    return Assembly.objects.select_related("owner_agency").order_by("-created_at", "-pk")


def assembly_get(pk) -> Assembly:
    found = (
        Assembly.objects.select_related("owner_agency", "budget_round", "consultation")
        .filter(pk=id_or_404(pk))
        .first()
    )
    if found is None:
        raise Http404
    return found


def my_volunteering(user, assembly):
    if not (user and user.is_authenticated):
        return None
    return (
        assembly.volunteers.filter(person=user).exclude(status=Volunteer.Status.WITHDRAWN).first()
    )


def draw_record(assembly) -> dict:
    """What anyone needs to re-run the draw: no names, no accounts."""
    V = Volunteer.Status
    rows = list(assembly.volunteers.values_list("number", "status", "reserve_rank"))
    return {
        "seed": assembly.seed,
        "snapshot_hash": assembly.snapshot_hash,
        "snapshot": assembly.snapshot,
        "seats": assembly.seats,
        "reserves": assembly.reserves,
        "quotas": assembly.quotas,
        "unmet": assembly.unmet,
        "members": sorted(n for n, s, _r in rows if s == V.MEMBER),
        "reserve_order": [
            n for n, _s, r in sorted((x for x in rows if x[1] == V.RESERVE), key=lambda x: x[2])
        ],
        "withdrawn": sorted(n for n, s, _r in rows if s == V.WITHDRAWN),
        "drawn_at": assembly.drawn_at,
    }


def member_counts(assembly) -> dict:
    """Seats filled per characteristic's value, against the quotas (public)."""
    counts = {c: dict.fromkeys(values, 0) for c, values in assembly.quotas.items()}
    for traits in assembly.volunteers.filter(status=Volunteer.Status.MEMBER).values_list(
        "traits", flat=True
    ):
        for c, v in traits.items():
            if c in counts and v in counts[c]:
                counts[c][v] += 1
    return counts
