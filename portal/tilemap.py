"""A schematic map of Thailand for the public totals: each province a tile, the tiles of a
region together and the regions placed roughly where they lie (north top left, northeast top
right, the west and the centre below, the east on the right, the south at the bottom). No
geometry is shipped offline, so the map is a diagram; the table beside it carries the
figures."""

from dataclasses import dataclass

from portal.reference import REGION_PROVINCES, Region

TILE_W, TILE_H, GAP = 44, 30, 4

# (first column, first row, columns) of each region's block of tiles.
BLOCKS = {
    Region.NORTH: (1, 0, 3),
    Region.NORTHEAST: (5, 0, 5),
    Region.WEST: (0, 4, 2),
    Region.CENTRAL: (2, 4, 4),
    Region.EAST: (6, 5, 2),
    Region.SOUTH: (1, 10, 2),
}
CLASSES = 5  # shades: 0 (nothing) to 4 (the most)


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    x: int
    y: int
    shade: int
    text: str  # what the tile shows (the number of projects)
    title: str  # its name and figure, read by screen readers and shown on hover


def tiles(names: dict[str, str], values: dict[str, float], labels: dict[str, str]) -> list[Tile]:
    """``values``: the figure that shades each province (money); ``labels``: what the tile
    says. Shades split the provinces that have some into four equal steps of the largest."""
    largest = max(values.values(), default=0) or 1
    out = []
    for region, codes in REGION_PROVINCES.items():
        col0, row0, width = BLOCKS[region]
        for i, code in enumerate(sorted(codes)):
            col, row = col0 + i % width, row0 + i // width
            value = values.get(code, 0)
            shade = 0 if not value else min(CLASSES - 1, 1 + int(3 * value / largest))
            name = names.get(code, code)
            out.append(
                Tile(
                    code,
                    name,
                    col * (TILE_W + GAP),
                    row * (TILE_H + GAP),
                    shade,
                    labels.get(code, "0"),
                    f"{name}: {labels.get(code, '0')}",
                )
            )
    return out


def size() -> tuple[int, int]:
    cols = max(c + w for c, _r, w in BLOCKS.values())
    rows = max(r + -(-len(REGION_PROVINCES[region]) // w) for region, (_c, r, w) in BLOCKS.items())
    return cols * (TILE_W + GAP), rows * (TILE_H + GAP)
