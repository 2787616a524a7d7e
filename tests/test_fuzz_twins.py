"""Properties of the swap split both profiles share, over the whole range of instants."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import Interval, ShiftSwap
from shiftcalc._merge import split_for_swaps

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
INSTANTS = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)
)


@SETTINGS
@given(st.lists(INSTANTS, min_size=4, max_size=4))
def test_swap_split_partitions_the_span(bounds: list[datetime]) -> None:
    start, end, swap_start, swap_end = bounds[0], bounds[1], *sorted(bounds[2:])
    if end <= start:
        start, end = end, start
    swap = ShiftSwap(beneficiary="a", benefactor="b", swap_start=swap_start, swap_end=swap_end)
    with hang_guard(10):
        split = swap.split(start, end)
    if split is None:
        assert not (start < swap_end and swap_start < end)
        return
    before, middle, after = split
    pieces = [piece for piece in (before, middle, after) if piece is not None]
    assert pieces[0][0] == start and pieces[-1][1] == end
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    assert middle == (max(start, swap_start), min(end, swap_end))


@SETTINGS
@given(
    st.lists(INSTANTS, min_size=2, max_size=2).map(sorted),
    st.lists(st.lists(INSTANTS, min_size=2, max_size=2).map(sorted), max_size=4),
    st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True),
)
def test_strict_swaps_keep_the_time_covered(
    span: list[datetime], swaps: list[list[datetime]], users: list[str]
) -> None:
    interval = Interval(start=span[0], end=span[1], users=tuple(users))
    taken = [
        ShiftSwap(beneficiary="a", benefactor="b", swap_start=s, swap_end=e) for s, e in swaps
    ]
    with hang_guard(10):
        pieces = split_for_swaps([interval], taken)
    assert sum((p.end - p.start for p in pieces), timedelta(0)) == span[1] - span[0]
    assert all(len(set(p.users)) == len(p.users) for p in pieces)
