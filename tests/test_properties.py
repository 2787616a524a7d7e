"""Properties of ``resolve``/``expand`` in the strict profile (and a few in ``oncall``)."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

import oracle
from shiftcalc import (
    FinalShift,
    Scenario,
    Schedule,
    Shift,
    ShiftcalcError,
    User,
    Window,
)
from shiftcalc._resolve import expand, on_call_at, resolve
from shiftcalc.strategies import scenarios

SMALL = scenarios(max_shifts=4, max_days=4)

# Found by this suite (tests/test_regressions.py, bug 1): weekly + by_monthday used to load
# and then fail to resolve.
WEEKLY_BY_MONTHDAY = Scenario(
    schedule=Schedule(
        users=(User(id="alice", username="alice"),),
        shifts=(
            Shift(
                type="recurrent_event",
                start=datetime(2019, 1, 1),
                duration=timedelta(minutes=15),
                frequency="weekly",
                interval=1,
                week_start="MO",
                by_monthday=(1,),
                users=("alice",),
            ),
        ),
    ),
    window=Window(start=datetime(2019, 1, 1, tzinfo=UTC), end=datetime(2019, 1, 15, tzinfo=UTC)),
)


# A weekly Monday rotation started on a Wednesday: the first Monday is the first turn, the
# named group's (it went to the next group while turns counted from start's own week).
WEDNESDAY_START = Scenario(
    schedule=Schedule(
        shifts=(
            Shift(
                type="rolling_users",
                start=datetime(2024, 1, 3, 9),
                duration=timedelta(hours=8),
                frequency="weekly",
                interval=2,
                week_start="MO",
                by_day=("MO",),
                rolling_users=(("alice",), ("bob",), ("carol",)),
                start_rotation_from_user_index=1,
            ),
        ),
    ),
    window=Window(start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 2, 1, tzinfo=UTC)),
)


def rows_key(rows: tuple[FinalShift, ...]) -> list[tuple[str, datetime, datetime, int, bool]]:
    return [(r.user, r.start, r.end, r.level, r.is_override) for r in rows]


def joined(rows: list[FinalShift]) -> list[tuple[str, datetime, datetime, int, bool]]:
    """Rows with touching rows of the same user merged back into one."""
    out: list[FinalShift] = []
    for row in sorted(rows, key=lambda r: (r.user, r.start)):
        if out and out[-1].user == row.user and out[-1].end == row.start:
            out[-1] = replace(out[-1], end=row.end)
        else:
            out.append(row)
    out.sort(key=lambda r: (r.start, r.end, r.user))
    return rows_key(tuple(out))


def split_point(window: Window, fraction: int) -> datetime:
    minutes = int((window.end - window.start) / timedelta(minutes=1))
    return window.start + timedelta(minutes=minutes * fraction // 100)


@settings(deadline=None)
@given(SMALL)
@example(WEEKLY_BY_MONTHDAY)
def test_rows_are_sorted_disjoint_and_maximal(scenario: Scenario) -> None:
    """Rows are sorted, inside the window, non-empty; per user disjoint and never touching."""
    window = scenario.window
    rows = resolve(scenario.schedule, window).shifts
    assert list(rows) == sorted(rows, key=lambda r: (r.start, r.end, r.user))
    for row in rows:
        assert window.start <= row.start < row.end <= window.end
    by_user: dict[str, list[FinalShift]] = {}
    for row in rows:
        by_user.setdefault(row.user, []).append(row)
    for own in by_user.values():
        for before, after in itertools.pairwise(own):
            assert before.end < after.start


@settings(deadline=None)
@given(SMALL)
def test_rows_and_gaps_tile_the_window(scenario: Scenario) -> None:
    """Gaps and rows never overlap, and together they cover exactly the window."""
    window = scenario.window
    result = resolve(scenario.schedule, window)
    covered = sorted(
        [(r.start, r.end) for r in result.shifts] + [(g.start, g.end) for g in result.gaps]
    )
    for gap in result.gaps:
        assert window.start <= gap.start < gap.end <= window.end
        assert not any(r.start < gap.end and gap.start < r.end for r in result.shifts)
    reach = window.start
    for start, end in covered:
        assert start <= reach, f"hole at {reach}"
        reach = max(reach, end)
    assert reach == window.end or window.start == window.end


@settings(deadline=None)
@given(SMALL)
@example(WEDNESDAY_START)
def test_owners_match_the_oracle(scenario: Scenario) -> None:
    """At every boundary and between boundaries, resolve's owners are the oracle's."""
    schedule, window = scenario.schedule, scenario.window
    rows = resolve(schedule, window).shifts
    found = oracle.occurrences(schedule, window)
    edges = {window.start, window.end}
    edges |= {t for r in rows for t in (r.start, r.end)}
    edges |= {t for o in found for t in (o.start, o.end) if window.start <= t <= window.end}
    edges |= {
        t
        for s in schedule.swaps
        for t in (s.swap_start, s.swap_end)
        if window.start <= t <= window.end
    }
    ordered = sorted(edges)
    points = ordered + [a + (b - a) / 2 for a, b in itertools.pairwise(ordered)]
    for at in points:
        if not window.start <= at < window.end:
            continue
        actual = tuple(sorted(r.user for r in rows if r.start <= at < r.end))
        assert actual == oracle.owners(schedule, found, at), f"at {at.isoformat()}"
    for at in ordered[:3]:
        if window.start <= at < window.end:
            assert on_call_at(schedule, at) == oracle.owners(schedule, found, at)


@settings(deadline=None)
@given(SMALL, st.randoms(use_true_random=False))
def test_shift_order_does_not_matter(scenario: Scenario, rnd: object) -> None:
    """Permuting the shifts (and swaps keep their order) changes no row and no gap."""
    schedule = scenario.schedule
    shuffled = list(schedule.shifts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    first = resolve(schedule, scenario.window)
    second = resolve(replace(schedule, shifts=tuple(shuffled)), scenario.window)
    assert rows_key(second.shifts) == rows_key(first.shifts)
    assert second.gaps == first.gaps


@settings(deadline=None)
@given(SMALL, st.integers(0, 100))
def test_splitting_the_window_changes_nothing(scenario: Scenario, fraction: int) -> None:
    """resolve [a, c) == resolve [a, b) + resolve [b, c), touching rows rejoined."""
    window = scenario.window
    middle = split_point(window, fraction)
    whole = resolve(scenario.schedule, window).shifts
    left = resolve(scenario.schedule, Window(start=window.start, end=middle)).shifts
    right = resolve(scenario.schedule, Window(start=middle, end=window.end)).shifts
    assert joined([*left, *right]) == rows_key(whole)


@settings(deadline=None)
@given(SMALL, st.integers(0, 100))
def test_expansion_over_a_split_window(scenario: Scenario, fraction: int) -> None:
    """expand over [a, c) is the union of expand over [a, b) and over [b, c)."""
    window = scenario.window
    middle = split_point(window, fraction)
    whole = expand(scenario.schedule, window)
    left = expand(scenario.schedule, Window(start=window.start, end=middle))
    right = expand(scenario.schedule, Window(start=middle, end=window.end))
    assert set(whole) == set(left) | set(right)
    assert len(whole) == len(set(whole))


@settings(deadline=None)
@given(scenarios(max_shifts=4, max_days=4, profile="oncall"), st.randoms(use_true_random=False))
def test_oncall_profile_rows(scenario: Scenario, rnd: object) -> None:
    """oncall: only ShiftcalcError escapes; rows lie in the window; shift order is irrelevant."""
    schedule, window = scenario.schedule, scenario.window
    try:
        rows = resolve(schedule, window, profile="oncall").shifts
    except ShiftcalcError:
        return
    for row in rows:
        assert window.start <= row.start <= row.end <= window.end
    shuffled = list(schedule.shifts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    again = resolve(replace(schedule, shifts=tuple(shuffled)), window, profile="oncall").shifts
    assert Counter((r.user, r.start, r.end) for r in again) == Counter(
        (r.user, r.start, r.end) for r in rows
    )
