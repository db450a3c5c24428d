"""The kinds of notice: a registry each app fills from its own ``notices.py`` with
``register(Kind(...), ...)``. It imports no model, so anything may import it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    lead_days: int  # the default; NoticeKind rows hold the admin's setting
    subject: str
    body: str
    legal: bool = False  # a legal deadline: its in-app notice cannot be turned off
    audience: str = ""
    # Where the kind stands in lists (the settings page, the filter, the API's description);
    # kinds of several apps interleave by it.
    position: int = 0


# code → Kind, in ``position`` order.
KINDS: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    """Add ``kinds`` to the registry. Registering a code twice with another definition is a
    mistake in the code and fails at start-up."""
    for kind in kinds:
        known = KINDS.get(kind.code)
        if known is not None and known != kind:
            raise ValueError(f"The notice kind {kind.code!r} is registered twice.")
        KINDS[kind.code] = kind
    ordered = sorted(KINDS.values(), key=lambda k: k.position)
    KINDS.clear()
    KINDS.update((k.code, k) for k in ordered)


def get_kind(code: str) -> Kind:
    return KINDS[code]
