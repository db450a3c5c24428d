"""``batched``: Python 3.12's ``itertools.batched`` for 3.11, as lists."""

from itertools import islice


def batched(iterable, size: int):
    """Lists of ``size`` items from ``iterable`` in order, the last one shorter."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch
