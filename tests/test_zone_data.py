"""The facts about the tz database that the expansions' fast paths rely on (see ``_tz``).

They are checked on the data this machine's ``zoneinfo`` reads: the explicit transitions of
every zone's TZif file, and a few years of the rule that continues them.
"""

from __future__ import annotations

import itertools
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from shiftcalc._tz import (
    MIN_CHANGE_SPACING,
    NEAR,
    STEADY_SPAN,
    explicit_transitions,
    tzif_data,
)
from shiftcalc.oncall.occurrences import _SAMPLE_STEP

_DAY = timedelta(days=1)


def _offset_changes(key: str, data: bytes) -> list[tuple[datetime, timedelta]]:
    """Instants at which ``key``'s offset changes, with the size of each change, from the
    first to three years after its last explicit transition (the rule after it repeats every
    year)."""
    zone = zoneinfo.ZoneInfo(key)
    changes: list[tuple[datetime, timedelta]] = []
    previous: int | None = None
    last = datetime(1970, 1, 1, tzinfo=UTC)  # or the last explicit change, if later
    for seconds, offset in explicit_transitions(data):
        instant = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
        if previous is not None and offset != previous:
            changes.append((instant, timedelta(seconds=offset - previous)))
        previous = offset
        last = max(last, instant)

    def offset_at(instant: datetime) -> timedelta:
        value = instant.astimezone(zone).utcoffset()
        assert value is not None
        return value

    # the rule: a change within a day is found day by day, then to the minute by bisection
    day = last + _DAY
    while day < last + 3 * 365 * _DAY:
        before, after = offset_at(day), offset_at(day + _DAY)
        if before != after:
            low, high = day, day + _DAY
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset_at(middle) == before else (low, middle)
            changes.append((high, after - before))
        day += _DAY
    return changes


def _all_changes() -> dict[str, list[tuple[datetime, timedelta]]]:
    found = {}
    for key in sorted(zoneinfo.available_timezones()):
        data = tzif_data(key)
        if data is not None and data[:4] == b"TZif":
            found[key] = _offset_changes(key, data)
    return found


@pytest.fixture(scope="module")
def changes() -> dict[str, list[tuple[datetime, timedelta]]]:
    found = _all_changes()
    assert len(found) > 300, "the tz database was not found"
    return found


def test_offset_changes_are_far_apart(
    changes: dict[str, list[tuple[datetime, timedelta]]],
) -> None:
    closest = min(
        (later[0] - earlier[0], key, earlier[0])
        for key, zone_changes in changes.items()
        for earlier, later in itertools.pairwise(zone_changes)
    )
    assert closest[0] >= MIN_CHANGE_SPACING, closest


def test_no_offset_change_exceeds_a_day(
    changes: dict[str, list[tuple[datetime, timedelta]]],
) -> None:
    largest = max(
        (abs(size), key, instant)
        for key, zone_changes in changes.items()
        for instant, size in zone_changes
    )
    assert largest[0] <= _DAY, largest


def test_fast_path_bounds_follow_from_the_spacing() -> None:
    # a start in a gap and an end past the next change fit within STEADY_SPAN plus a day
    assert STEADY_SPAN + _DAY < MIN_CHANGE_SPACING
    # the oncall steady runs read offsets every day: two readings and a change fit between
    assert 2 * _SAMPLE_STEP + _DAY < MIN_CHANGE_SPACING
    # NEAR on both sides of a wall time reaches past any skipped or repeated stretch (at most
    # a day), and never spans two changes
    assert NEAR >= _DAY
    assert 2 * NEAR + _DAY < MIN_CHANGE_SPACING


def test_the_data_has_the_known_close_changes(
    changes: dict[str, list[tuple[datetime, timedelta]]],
) -> None:
    # America/Boa_Vista began summer time on 2000-10-08 and left it a week later, Freetown
    # kept summer time four days in 1939: the checks above do see such pairs
    freetown = [
        instant
        for instant, _ in changes["Africa/Freetown"]
        if (instant.year, instant.month) == (1939, 9)
    ]
    assert freetown == [
        datetime(1939, 9, 1, 1, tzinfo=UTC),
        datetime(1939, 9, 5, 0, 40, tzinfo=UTC),
    ]
    october = [
        instant
        for instant, _ in changes["America/Boa_Vista"]
        if (instant.year, instant.month) == (2000, 10)
    ]
    assert october == [datetime(2000, 10, 8, 4, tzinfo=UTC), datetime(2000, 10, 15, 3, tzinfo=UTC)]
