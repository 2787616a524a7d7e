"""The cost-per-row work holds its shortcuts to the careful path: the merger's one-pass sweep
(``_merge.pieces``) equals a literal recomputation of every elementary piece from scratch, and
leaving out the ranks hidden under a covering shift (``strict_spans(leave_hidden=True)``, as
resolve does) gives the merger's answer on every span; the fused sweep (``rows_and_gaps``, rows
and gaps without pieces) and the timeline built from the spans on demand equal the merger's; a
one-off shift placed directly (``one_off_spans``) gives the rule path's spans; resolve without
origins (strict spans, oncall VEVENTs) answers as it would with them; rows built by their slots
are those of construction (the strict rows, filled column by column by
``_model.final_shift_rows``, through the fused sweep's property)."""

from __future__ import annotations

from dataclasses import astuple, replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shiftcalc import FinalShift, Schedule, Shift, ShiftcalcError, Window, resolve
from shiftcalc._expand import rule_spans, strict_spans
from shiftcalc._expand import spans as shift_spans
from shiftcalc._merge import (
    Piece,
    Span,
    _layers,
    merge_spans,
    pieces,
    rows_and_gaps,
    timeline_of_spans,
)
from shiftcalc._model import final_shift_row, utc_window
from shiftcalc._tz import get_zone
from shiftcalc.oncall.generation import shift_vevents
from shiftcalc.oncall.resolution import final_events, gaps_of, resolve_calendars, rows_of
from shiftcalc.strategies import schedules, shifts, time_zones, windows

BASE = datetime(2024, 1, 1, tzinfo=UTC)


def literal_pieces(spans: list[Span], window: Window) -> list[Piece]:
    """The timeline by definition: cut at every boundary, each piece's owners recomputed from
    the spans covering it (highest rank with users; equal ranks stack), equal neighbours
    joined."""
    cuts = sorted(
        {window.start, window.end}
        | {t for span in spans for t in span[:2] if window.start < t < window.end}
    )
    result: list[Piece] = []
    for start, end in pairwise(cuts):
        here = [span for span in spans if span[0] <= start and end <= span[1]]
        named = [span for span in here if span[2]]
        users: tuple[str, ...] = ()
        best = None
        names = None
        if named:
            best = max(span[3] for span in named)
            users = tuple(sorted({u for span in named if span[3] == best for u in span[2]}))
        elif here:
            names = tuple(sorted({u for span in here for u in span[4]}))
        if result and result[-1][2:] == (users, best, names):
            result[-1] = (result[-1][0], end, users, best, names)
        else:
            result.append((start, end, users, best, names))
    return result


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start = BASE + timedelta(hours=draw(st.integers(-3, 30)))
    end = start + timedelta(hours=draw(st.integers(-2, 12)))
    users = tuple(sorted(draw(st.sets(st.sampled_from("abc"), max_size=2))))
    missing = () if users else tuple(sorted(draw(st.sets(st.sampled_from("xy"), max_size=2))))
    rank = (draw(st.integers(0, 1)), draw(st.integers(0, 2)))
    return (start, end, users, rank, missing, None)


@settings(deadline=None)
@given(st.lists(spans(), max_size=12), st.integers(0, 24), st.integers(0, 30))
def test_cost_per_row_sweep_equals_the_literal_timeline(
    found: list[Span], low: int, length: int
) -> None:
    """The one-pass sweep gives the literal timeline: same pieces, owners, ranks and names,
    with spans outside the window, touching, stacked, empty and reversed."""
    start = BASE + timedelta(hours=low)
    window = Window(start=start, end=start + timedelta(hours=length))
    if window.end > window.start:
        assert pieces(found, window) == literal_pieces(found, window)


@settings(deadline=None)
@given(st.lists(spans(), max_size=12), st.integers(0, 24), st.integers(0, 30))
def test_cost_per_row_fused_sweep_equals_the_merger(
    found: list[Span], low: int, length: int
) -> None:
    """The fused sweep (rows and gaps without pieces, as resolve makes them) gives the merger's
    rows and gaps, and the timeline built from the spans on demand is the merger's; with
    spans outside the window, touching, stacked, empty, reversed, and empty windows (a
    reversed window cannot be made)."""
    start = BASE + timedelta(hours=low)
    window = Window(start=start, end=start + timedelta(hours=length))
    merged = merge_spans(found, window)
    assert rows_and_gaps(found, window) == (merged.shifts, merged.gaps)
    assert timeline_of_spans(found, window) == merged.timeline()


@st.composite
def named_spans(draw: st.DrawFn) -> list[Span]:
    """Spans that all name users, some touching, overlapping and stacked within a rank, some
    reversed: the case the fused sweep paints rank by rank (``_merge._layers``)."""
    found: list[Span] = []
    for rank in draw(st.sets(st.tuples(st.integers(0, 1), st.integers(0, 2)), max_size=4)):
        at = BASE + timedelta(hours=draw(st.integers(-3, 12)))
        for _ in range(draw(st.integers(1, 5))):
            at += timedelta(hours=draw(st.integers(-3, 4)))  # back: overlapping the last
            end = at + timedelta(hours=draw(st.integers(-1, 8)))
            users = tuple(sorted(draw(st.sets(st.sampled_from("abc"), min_size=1, max_size=2))))
            found.append((at, end, users, rank, (), None))
            at = max(at, end)
    return draw(st.permutations(found))


@settings(deadline=None)
@given(named_spans(), st.integers(0, 24), st.integers(1, 30))
def test_cost_per_row_painting_ranks_equals_the_sweep(
    found: list[Span], low: int, length: int
) -> None:
    """Where every span names users, the fused sweep paints the ranks from the highest down;
    its rows and gaps are the merger's (the sweep's), with ranks under, over and beside each
    other, users stacked in a rank, touching, overlapping and reversed spans, and spans
    outside the window."""
    start = BASE + timedelta(hours=low)
    window = Window(start=start, end=start + timedelta(hours=length))
    assert _layers(found, window) is not None  # the painting path answers
    merged = merge_spans(found, window)
    assert rows_and_gaps(found, window) == (merged.shifts, merged.gaps)


def test_cost_per_row_painting_by_hand() -> None:
    """An override over a rotation's turn, then a second override overlapping the first (both
    users on call in the overlap) and a third for the first's user, overlapping it (one row),
    hand-checked; a span naming nobody is the sweep's (its names make an unresolved gap)."""
    hour = timedelta(hours=1)
    window = Window(start=BASE, end=BASE + 10 * hour)
    rota: Span = (BASE, BASE + 8 * hour, ("a",), (0, 0), (), None)
    first: Span = (BASE + 2 * hour, BASE + 5 * hour, ("b",), (1, 0), (), None)
    rows, gaps = rows_and_gaps([rota, first], window)
    assert [(r.user, r.start, r.end, r.is_override) for r in rows] == [
        ("a", BASE, BASE + 2 * hour, False),
        ("b", BASE + 2 * hour, BASE + 5 * hour, True),
        ("a", BASE + 5 * hour, BASE + 8 * hour, False),
    ]
    assert [(gap.start, gap.end, gap.kind) for gap in gaps] == [
        (BASE + 8 * hour, BASE + 10 * hour, "uncovered")
    ]
    second: Span = (BASE + 4 * hour, BASE + 6 * hour, ("c",), (1, 0), (), None)
    third: Span = (BASE + 3 * hour, BASE + 7 * hour, ("b",), (1, 0), (), None)
    rows, _ = rows_and_gaps([rota, first, second, third], window)
    assert [(r.user, r.start, r.end) for r in rows] == [
        ("a", BASE, BASE + 2 * hour),
        ("b", BASE + 2 * hour, BASE + 7 * hour),
        ("c", BASE + 4 * hour, BASE + 6 * hour),
        ("a", BASE + 7 * hour, BASE + 8 * hour),
    ]
    nobody: Span = (BASE + 8 * hour, BASE + 9 * hour, (), (0, 1), ("x",), None)
    assert _layers([rota, first, nobody], window) is None
    _, gaps = rows_and_gaps([rota, first, nobody], window)
    assert [(gap.kind, gap.missing_users) for gap in gaps] == [
        ("unresolved", ("x",)),
        ("uncovered", ()),
    ]


def _covering_rotation(window: Window, zone: str, level: int, users: tuple[str, ...]) -> Shift:
    """A daily 24-hour rotation that starts two days before ``window``: it covers it alone."""
    wall = (window.start - timedelta(days=2)).astimezone(get_zone(zone)).replace(tzinfo=None)
    return Shift(
        type="rolling_users",
        start=wall.replace(second=0, microsecond=0),
        duration=timedelta(days=1),
        frequency="daily",
        interval=1,
        level=level,
        rolling_users=tuple((user,) for user in users),
        start_rotation_from_user_index=0,
    )


def _careful(schedule: Schedule, window: Window, durations: str) -> Any:
    spans = strict_spans(schedule, utc_window(window), durations=durations)  # type: ignore[arg-type]
    return merge_spans(spans, utc_window(window))


@settings(deadline=None)
@given(
    schedules(max_shifts=4, max_swaps=0),
    windows(max_days=10),
    st.integers(-1, 3) | st.none(),
    st.sampled_from(["wall", "elapsed"]),
)
def test_cost_per_row_hidden_ranks_left_out_give_the_same_answer(
    schedule: Schedule, window: Window, level: int | None, durations: str
) -> None:
    """resolve leaves out the ranks under a shift that covers the window alone; its rows,
    gaps and timeline equal those of the merger on every span (a covering rotation is added
    at a drawn level, so ranks above, equal to and below it are all met)."""
    if level is not None:
        users = tuple(user.id for user in schedule.users) or ("cover",)
        cover = _covering_rotation(window, schedule.time_zone, level, users)
        schedule = replace(schedule, shifts=(*schedule.shifts, cover))
    try:
        resolution = resolve(schedule, window, durations=durations)  # type: ignore[arg-type]
    except ShiftcalcError:
        return  # refused alike: the careful path validates the same schedule first
    careful = _careful(schedule, window, durations)
    assert resolution.shifts == careful.shifts
    assert resolution.gaps == careful.gaps
    assert resolution.events == careful.timeline()


def test_cost_per_row_a_covering_rotation_hides_the_levels_below() -> None:
    """Under a 24×7 rotation at level 2, levels 0 and 1 are not expanded; level 3 and the
    overrides above it are, and the answer is the careful one."""
    window = Window(start=datetime(2024, 3, 1, tzinfo=UTC), end=datetime(2024, 4, 15, tzinfo=UTC))
    zone = "Europe/London"
    shifts = [
        replace(_covering_rotation(window, zone, level, ("a", "b", "c")), duration=duration)
        for level, duration in ((0, timedelta(days=1)), (1, timedelta(hours=20)))
    ]
    shifts.append(_covering_rotation(window, zone, 2, ("d", "e")))
    shifts.append(replace(shifts[-1], level=3, duration=timedelta(hours=8)))
    schedule = Schedule(time_zone=zone, shifts=tuple(shifts))
    utc = utc_window(window)
    every = strict_spans(schedule, utc)
    visible = strict_spans(schedule, utc, leave_hidden=True)
    assert {span[3][1] for span in every} == {0, 1, 2, 3}
    assert {span[3][1] for span in visible} == {2, 3}
    assert merge_spans(visible, utc).shifts == merge_spans(every, utc).shifts
    assert resolve(schedule, window).shifts == merge_spans(every, utc).shifts


@settings(deadline=None)
@given(
    time_zones(),
    shifts(types=("single_event", "override"), time_zones=("America/New_York", "Pacific/Apia")),
    windows(max_days=10),
    st.sampled_from(["wall", "elapsed"]),
    st.integers(-48, 48),
)
def test_cost_per_row_one_off_spans_are_the_rule_path(
    zone: str, shift: Shift, window: Window, durations: str, later_rotation: int
) -> None:
    """A one-off shift (override, single event) is placed directly, without the rule's setup:
    the same spans as the careful path through its walls, with DST changes, gaps, long
    durations, a rotation_start after start, and windows that miss it."""
    if later_rotation > 0:
        shift = replace(shift, rotation_start=shift.start + timedelta(hours=later_rotation))
    utc = utc_window(window)
    zone = shift.time_zone or zone
    options: Any = {"durations": durations}
    assert list(shift_spans(shift, zone, utc, **options)) == list(
        rule_spans(shift, zone, utc, **options)
    )


def test_cost_per_row_one_off_spans_near_the_ends_of_time() -> None:
    """At the years 1 and 9999 the direct placement cuts instants off as the rule path does."""
    first = Window(start=datetime.min.replace(tzinfo=UTC), end=datetime(1, 1, 5, tzinfo=UTC))
    last = Window(start=datetime(9999, 12, 25, tzinfo=UTC), end=datetime.max.replace(tzinfo=UTC))
    for zone in ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York"):
        for wall in (datetime(1, 1, 1), datetime(1, 1, 1, 12), datetime(9999, 12, 31, 12)):
            for window in (first, last):
                for hours in (1, 30, 100):
                    shift = Shift(
                        type="override",
                        start=wall,
                        duration=timedelta(hours=hours),
                        rolling_users=(("a", "b"), ("b", "c")),
                    )
                    for durations in ("wall", "elapsed"):
                        options: Any = {"durations": durations}
                        assert list(shift_spans(shift, zone, window, **options)) == list(
                            rule_spans(shift, zone, window, **options)
                        )


def _answer(compute: Any) -> Any:
    try:
        return compute()
    except ShiftcalcError as error:
        return type(error), str(error)


@settings(deadline=None)
@given(
    st.sampled_from(["strict", "oncall"]).flatmap(
        lambda profile: st.tuples(schedules(max_shifts=4, profile=profile), st.just(profile))
    ),
    windows(max_days=10),
)
def test_cost_per_row_resolve_without_origins_is_resolve_with_them(
    drawn: tuple[Schedule, str], window: Window
) -> None:
    """resolve's spans (strict) and generated VEVENTs (oncall) carry no origin: its rows, gaps
    and events are those of the same resolution with every origin made (swaps included)."""
    schedule, profile = drawn
    utc = utc_window(window)

    def with_origins() -> Any:
        if profile == "strict":
            merged = merge_spans(strict_spans(schedule, utc), utc)
            return merged.shifts, merged.gaps, merged.timeline()
        events = resolve_calendars(
            [([], vevents) for vevents in shift_vevents(schedule)], utc, schedule.swaps, None
        )
        return rows_of(events, utc), gaps_of(events, utc), final_events(events)

    def without() -> Any:
        resolution = resolve(schedule, window, profile=profile)  # type: ignore[arg-type]
        return resolution.shifts, resolution.gaps, resolution.events

    if schedule.swaps and profile == "strict":
        return  # strict swaps split full Intervals, origins and all (split_for_swaps)
    assert _answer(without) == _answer(with_origins)


@st.composite
def oncall_events(draw: st.DrawFn) -> tuple[Any, ...]:
    start = BASE + timedelta(hours=draw(st.integers(-3, 30)))
    end = start + timedelta(hours=draw(st.integers(0, 12)))
    gap = draw(st.booleans())
    users = () if gap else tuple(draw(st.lists(st.sampled_from("abc"), max_size=3)))
    calendar_type = None if gap else draw(st.sampled_from([0, 1]))
    shift_id = draw(st.sampled_from([None, "s1", "s2"]))
    return (
        start,
        end,
        users,
        draw(st.integers(0, 3)),
        calendar_type,
        shift_id,
        False,
        (),
        gap,
        None,
    )


@settings(deadline=None)
@given(st.lists(oncall_events(), max_size=12), st.integers(0, 24), st.integers(0, 30))
def test_cost_per_row_oncall_rows_are_the_constructed_rows(
    events: list[Any], low: int, length: int
) -> None:
    """oncall's rows_of: the rows checked construction makes, one per event and user, clipped
    (rows built by slots, final_shift_row, are those of construction)."""
    start = BASE + timedelta(hours=low)
    window = Window(start=start, end=start + timedelta(hours=length))
    expected = tuple(
        FinalShift(
            user=user,
            start=max(event[0], window.start),
            end=min(event[1], window.end),
            level=event[3],
            is_override=event[4] == 1,
            shift_id=event[5],
        )
        for event in events
        if not event[8]
        for user in event[2]
    )
    rows = rows_of(events, window)
    assert rows == expected
    assert [type(row.is_override) for row in rows] == [bool] * len(rows)
    assert [final_shift_row(*astuple(row)) for row in rows] == list(expected)
