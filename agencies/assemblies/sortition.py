"""The draw of a citizens' assembly, as pure functions anyone can re-run from what the
portal publishes: the volunteers' snapshot (numbers and characteristics, no names), the seed
and the quotas.

1. The snapshot is hashed: SHA-256 of its canonical JSON (keys sorted, no spaces, UTF-8).
2. Each volunteer's lottery key is SHA-256 of ``"<seed>|<snapshot hash>|<number>"`` (hex);
   volunteers are taken in the order of their keys.
3. In that order, a volunteer becomes a member if, for every characteristic, the seats of
   their value are not yet filled; this goes on until every seat is taken.
4. If seats remain (no volunteer left fits the quotas), the next volunteers in key order fill
   them, and the quotas left unmet are published with the draw.
5. The next volunteers in key order, up to the number of reserves, are the reserves, in
   that order.

No random-number generator is involved: the same snapshot and seed give the same members on
any machine, in any language with SHA-256."""

import hashlib
import json
from dataclasses import dataclass, field

CHARACTERISTICS = ("district", "age_band", "gender", "occupation")


def canonical(snapshot: list[dict]) -> bytes:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def snapshot_hash(snapshot: list[dict]) -> str:
    return hashlib.sha256(canonical(snapshot)).hexdigest()


def lottery_key(seed: str, digest: str, number: int) -> str:
    return hashlib.sha256(f"{seed}|{digest}|{number}".encode()).hexdigest()


@dataclass
class Draw:
    snapshot_hash: str
    order: list[int]
    members: list[int]
    reserves: list[int]
    unmet: dict = field(default_factory=dict)  # {characteristic: {value: seats not filled}}


def draw(snapshot: list[dict], *, seed: str, seats: int, reserves: int, quotas: dict) -> Draw:
    digest = snapshot_hash(snapshot)
    traits = {row["number"]: row["traits"] for row in snapshot}
    order = sorted(traits, key=lambda n: lottery_key(seed, digest, n))
    filled = {c: dict.fromkeys(values, 0) for c, values in quotas.items()}
    members: list[int] = []
    for number in order:
        if len(members) == seats:
            break
        mine = traits[number]
        if all(filled[c].get(mine.get(c), 0) < quotas[c].get(mine.get(c), 0) for c in quotas):
            members.append(number)
            for c in quotas:
                filled[c][mine[c]] += 1
    unmet = {
        c: {v: quotas[c][v] - n for v, n in counts.items() if n < quotas[c][v]}
        for c, counts in filled.items()
    }
    unmet = {c: values for c, values in unmet.items() if values}
    for number in order:  # seats the quotas could not fill
        if len(members) == seats:
            break
        if number not in members:
            members.append(number)
    left = [n for n in order if n not in set(members)]
    return Draw(digest, order, members, left[:reserves], unmet)


def best_reserve(departed_traits: dict, reserves: list[tuple[int, dict]]) -> int | None:
    """The reserve who takes a departed member's seat: the first (in reserve order) who shares
    the most characteristics with them, so the quotas stay as met as they can."""
    if not reserves:
        return None

    def shared(item):
        position, (_number, their) = item
        same = sum(1 for c, v in departed_traits.items() if their.get(c) == v)
        return (-same, position)

    return min(enumerate(reserves), key=shared)[1][0]
