"""The speed paths of issue #12 (the benchmarks not slower than before provenance and the one
expansion), each held to the careful path it shortcuts.

``oncall.occurrences.occurrence_spans``: a wall inside the steady run of the last wall
localised takes that run's offset by a comparison instead of ``_RunOffsets.localize``; the
rule's walls of a fixed step are not passed through ``start_walls`` when there is no UNTIL
(the loop stops past ``highest`` first); ends are plain sums away from the years 1 and 9999.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import ShiftcalcError, Window
from shiftcalc._errors import EngineError
from shiftcalc.oncall import occurrences
from shiftcalc.oncall.occurrences import VEvent, occurrence_spans, steady_runs
from test_one_expander import vevents

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NEVER = datetime.max.replace(tzinfo=UTC)


@st.composite
def events(draw: st.DrawFn) -> VEvent:
    """test_one_expander's VEVENTs by unusual changes of offset (those OnCall could write)."""
    try:
        return draw(vevents())
    except EngineError:  # the strategy's retry a day later fell in a gap too (Apia)
        assume(False)
        raise


def _outcome(compute: Any) -> Any:
    try:
        return compute()
    except ShiftcalcError as error:
        return type(error), str(error)


def _careful(event: VEvent, window: Window, runs: Any) -> Any:
    """occurrence_spans with every shortcut off: every wall localised by _RunOffsets, every
    wall through start_walls, every end by later()."""
    with (
        patch.object(occurrences, "_SAFE_LOW", _NEVER),
        patch.object(occurrences, "_plain_arithmetic", return_value=False),
    ):
        return _outcome(lambda: occurrence_spans(event, window, runs))


def _window(event: VEvent, offset_hours: int, days: int) -> Window:
    start = event.dtstart.astimezone(UTC) + timedelta(hours=offset_hours)
    return Window(start=start, end=start + timedelta(days=days))


@FAST
@given(events(), st.integers(-48, 120), st.integers(0, 40), st.booleans())
def test_occurrence_spans_fast_paths_are_the_careful_path(
    event: VEvent, offset_hours: int, days: int, with_runs: bool
) -> None:
    window = _window(event, offset_hours, days)
    runs = steady_runs(event.zone, window) if with_runs else ()
    with hang_guard(60):
        fast = _outcome(lambda: occurrence_spans(event, window, runs))
        assert fast == _careful(event, window, runs)


@FAST
@given(
    events(),
    st.sampled_from([datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 26, tzinfo=UTC)]),
    st.integers(0, 48),
    st.integers(0, 3),
)
def test_occurrence_spans_fast_paths_near_the_ends_of_time(
    event: VEvent, edge: datetime, hours: int, days: int
) -> None:
    """Windows by the years 1 and 9999: plain sums are off there, and results agree. (A
    VEVENT ending before it starts is left out: its crash test overflows there, on both paths,
    a defect outside these paths.)"""
    assume(event.dtend >= event.dtstart)
    start = edge + timedelta(hours=hours)
    window = Window(start=start, end=start + timedelta(days=days))
    runs = steady_runs(event.zone, window)
    with hang_guard(60):
        fast = _outcome(lambda: occurrence_spans(event, window, runs))
        assert fast == _careful(event, window, runs)
