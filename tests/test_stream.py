"""Streaming (issue #16): iter_final_shifts, iter_gaps and iter_handoffs give what one resolve
gives, through stops and resumes from JSON cursors, in memory bounded by the schedule."""

from __future__ import annotations

import io
import itertools
import json
import os
import sys
import tracemalloc
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shiftcalc
import shiftcalc._stream as stream_module
from conftest import hang_guard
from scenario_builders import EVERY_SECOND
from shiftcalc import Schedule, Shift, ValidationError, Window
from shiftcalc.__main__ import main
from shiftcalc.strategies import scenarios

T = TypeVar("T")
MAX_UTC = datetime.max.replace(tzinfo=UTC)
JAN = datetime(2024, 1, 1, tzinfo=UTC)


def _hourly(users: tuple[str, ...] = ("a", "b", "c"), **fields: Any) -> Shift:
    return Shift(
        type="rolling_users",
        start=datetime(2000, 1, 1),
        duration=timedelta(hours=1),
        frequency="hourly",
        rolling_users=tuple((user,) for user in users),
        start_rotation_from_user_index=0,
        **fields,
    )


def _resumed(
    open_stream: Callable[[dict[str, Any] | None], shiftcalc.Stream[T]], stops: list[int]
) -> list[T]:
    """Everything a stream yields when the caller stops after each count of ``stops`` (then
    reads to the end), keeps only the cursor as JSON text, and resumes from it."""
    found: list[T] = []
    stream = open_stream(None)
    for count in stops:
        found += [item for _, item in zip(range(count), stream, strict=False)]
        token = json.dumps(stream.cursor())
        stream = open_stream(json.loads(token))
    found += list(stream)
    return found


@st.composite
def _chunking(draw: st.DrawFn) -> tuple[timedelta, int]:
    """Small random chunk sizes: many chunk boundaries inside short windows."""
    return timedelta(minutes=draw(st.integers(60, 3 * 1440))), draw(st.integers(1, 6))


def _chunks(chunking: tuple[timedelta, int]) -> ExitStack:
    """The stream module with the first chunk and the rows a chunk aims at set to these."""
    stack = ExitStack()
    stack.enter_context(patch.object(stream_module, "FIRST_CHUNK", chunking[0]))
    stack.enter_context(patch.object(stream_module, "TARGET_ITEMS", chunking[1]))
    return stack


STOPS = st.lists(st.integers(0, 7), max_size=6)


# --------------------------------------------------------------------------- properties


@settings(deadline=None)
@given(scenarios(max_days=60), _chunking(), STOPS, st.sampled_from(["wall", "elapsed"]))
def test_streamed_rows_equal_one_resolve_through_stops_and_resumes(
    scenario: shiftcalc.Scenario, chunking: tuple[timedelta, int], stops: list[int], durations: str
) -> None:
    schedule, window = scenario.schedule, scenario.window
    whole = shiftcalc.resolve(schedule, window, durations=durations)  # type: ignore[arg-type]
    with _chunks(chunking), hang_guard(60):
        streamed = _resumed(
            lambda cursor: shiftcalc.iter_final_shifts(
                schedule,
                window.start,
                end=window.end,
                durations=durations,  # type: ignore[arg-type]
                cursor=cursor,
            ),
            stops,
        )
    assert streamed == list(whole.shifts)


@settings(deadline=None)
@given(scenarios(max_days=60), _chunking(), STOPS)
def test_streamed_gaps_equal_one_resolve(
    scenario: shiftcalc.Scenario, chunking: tuple[timedelta, int], stops: list[int]
) -> None:
    schedule, window = scenario.schedule, scenario.window
    with _chunks(chunking), hang_guard(60):
        streamed = _resumed(
            lambda cursor: shiftcalc.iter_gaps(
                schedule, window.start, end=window.end, cursor=cursor
            ),
            stops,
        )
    assert streamed == list(shiftcalc.resolve(schedule, window).gaps)


def _handoffs(schedule: Schedule, window: Window) -> list[shiftcalc.Handoff]:
    events = shiftcalc.resolve(schedule, window).events
    return [
        shiftcalc.Handoff(at=now.start, before=before.users, after=now.users)
        for before, now in itertools.pairwise(events)
        if before.users != now.users
    ]


@settings(deadline=None)
@given(scenarios(max_days=60), _chunking(), STOPS)
def test_streamed_handoffs_equal_the_timeline_of_one_resolve(
    scenario: shiftcalc.Scenario, chunking: tuple[timedelta, int], stops: list[int]
) -> None:
    schedule, window = scenario.schedule, scenario.window
    with _chunks(chunking), hang_guard(60):
        streamed = _resumed(
            lambda cursor: shiftcalc.iter_handoffs(
                schedule, window.start, end=window.end, cursor=cursor
            ),
            stops,
        )
    assert streamed == _handoffs(schedule, window)


@settings(deadline=None)
@given(scenarios(max_days=365, profile="oncall"), STOPS)
def test_oncall_stream_over_a_window_oncall_accepts_is_one_resolve(
    scenario: shiftcalc.Scenario, stops: list[int]
) -> None:
    schedule, window = scenario.schedule, scenario.window
    try:
        whole = shiftcalc.resolve(schedule, window, profile="oncall")
    except shiftcalc.ShiftcalcError:
        return  # OnCall's engine crashes on this one: covered by the oncall tests
    with hang_guard(60):
        rows = _resumed(
            lambda cursor: shiftcalc.iter_final_shifts(
                schedule, window.start, end=window.end, profile="oncall", cursor=cursor
            ),
            stops,
        )
        gaps = _resumed(
            lambda cursor: shiftcalc.iter_gaps(
                schedule, window.start, end=window.end, profile="oncall", cursor=cursor
            ),
            stops,
        )
    assert (rows, gaps) == (list(whole.shifts), list(whole.gaps))


@settings(deadline=None)
@given(scenarios(max_days=30, profile="oncall"), st.integers(1, 10), STOPS)
def test_oncall_stream_is_oncalls_answers_for_consecutive_aligned_windows(
    scenario: shiftcalc.Scenario, days: int, stops: list[int]
) -> None:
    """What a streamed oncall row is (DESIGN.md, "Streaming"): a row of OnCall's answer for
    the window [start + k·C, start + (k+1)·C) it falls in, C = ONCALL_CHUNK (here shortened
    to a few days so that windows of a month hold several)."""
    schedule, window = scenario.schedule, scenario.window
    chunk = timedelta(days=days)
    expected: list[shiftcalc.FinalShift] = []
    try:
        at = window.start
        while True:
            piece = Window(start=at, end=min(at + chunk, window.end))
            expected += shiftcalc.resolve(schedule, piece, profile="oncall").shifts
            if piece.end >= window.end:
                break
            at = piece.end
    except shiftcalc.ShiftcalcError:
        return
    with patch.object(stream_module, "ONCALL_CHUNK", chunk), hang_guard(60):
        rows = _resumed(
            lambda cursor: shiftcalc.iter_final_shifts(
                schedule, window.start, end=window.end, profile="oncall", cursor=cursor
            ),
            stops,
        )
    assert rows == expected


@settings(deadline=None)
@given(scenarios(max_days=30, types=["single_event", "override"]), STOPS)
def test_endless_stream_of_a_finite_schedule_ends_as_a_resolve_to_the_end_of_time(
    scenario: shiftcalc.Scenario, stops: list[int]
) -> None:
    schedule, start = scenario.schedule, scenario.window.start
    whole = shiftcalc.resolve(schedule, Window(start=start, end=MAX_UTC))
    with hang_guard(60):
        rows = _resumed(
            lambda cursor: shiftcalc.iter_final_shifts(schedule, start, cursor=cursor), stops
        )
        gaps = _resumed(lambda cursor: shiftcalc.iter_gaps(schedule, start, cursor=cursor), stops)
    assert (rows, gaps) == (list(whole.shifts), list(whole.gaps))


# --------------------------------------------------------------------------- examples


def test_row_open_across_many_chunks_comes_out_once_whole() -> None:
    """A user on call for weeks beside an hourly rotation at the same level: the long row
    straddles every chunk boundary and sorts before the rotation's rows, which wait for it."""
    stay = Shift(
        type="single_event", start=datetime(2024, 1, 1), duration=timedelta(days=40), users=("z",)
    )
    schedule = Schedule(shifts=(stay, _hourly()))
    window = Window(start=JAN, end=JAN + timedelta(days=45))
    streamed = list(shiftcalc.iter_final_shifts(schedule, window.start, end=window.end))
    assert streamed == list(shiftcalc.resolve(schedule, window).shifts)
    assert [row.duration for row in streamed if row.user == "z"] == [timedelta(days=40)]


def test_resume_inside_a_row_that_began_before_the_cursor_yields_it_once() -> None:
    stay = Shift(
        type="single_event", start=datetime(2024, 1, 1), duration=timedelta(days=3), users=("z",)
    )
    schedule = Schedule(shifts=(stay, _hourly()))
    window = Window(start=JAN, end=JAN + timedelta(days=5))
    whole = list(shiftcalc.resolve(schedule, window).shifts)
    for stop in (1, 2, 30, 73, 74, 75):
        streamed = _resumed(
            lambda cursor: shiftcalc.iter_final_shifts(
                schedule, window.start, end=window.end, cursor=cursor
            ),
            [stop],
        )
        assert streamed == whole


def test_stream_is_not_refused_by_max_occurrences_which_counts_per_chunk() -> None:
    schedule = Schedule(shifts=(_hourly(),))
    window = Window(start=JAN, end=JAN + timedelta(days=30))
    with pytest.raises(ValidationError, match="max_occurrences"):
        shiftcalc.resolve(schedule, window, max_occurrences=100)
    streamed = shiftcalc.iter_final_shifts(
        schedule, window.start, end=window.end, max_occurrences=100
    )
    assert list(streamed) == list(shiftcalc.resolve(schedule, window).shifts)


def test_stream_keeps_a_component_that_one_resolve_skips_for_its_size() -> None:
    """calendar_errors="skip": one resolve of 52 hours skips the component for its size
    alone (``SkippedComponent.limit``); the stream retries such a chunk smaller, as it does
    the component's CalendarLimitError without "skip", and keeps it whole: alice on call
    the 52 hours, nothing skipped. It kept the component in its first chunk (a day, 86,400
    occurrences) and skipped it in the second (the 28 hours left): rows with holes, found by
    trying the CLI's csv form."""
    schedule = Schedule(type="ical", ical_primary=EVERY_SECOND)
    window = Window(start=JAN, end=JAN + timedelta(hours=52))
    whole = shiftcalc.resolve(schedule, window, calendar_errors="skip")
    assert whole.shifts == ()
    assert [(s.uid, s.property, s.limit) for s in whole.skipped] == [("s", "RRULE", True)]
    stream = shiftcalc.iter_final_shifts(
        schedule, window.start, end=window.end, calendar_errors="skip"
    )
    rows = [(row.user, row.start, row.end) for row in stream]
    assert rows == [("alice", window.start, window.end)]
    assert stream.skipped == ()


def test_an_hour_past_max_occurrences_is_still_refused() -> None:
    many = tuple(
        Shift(type="override", start=datetime(2024, 1, 1, 0, i), duration=timedelta(minutes=1),
              users=("a",))
        for i in range(5)
    )  # fmt: skip
    with pytest.raises(ValidationError, match="max_occurrences"):
        list(shiftcalc.iter_final_shifts(Schedule(shifts=many), JAN, max_occurrences=3))


def test_dense_rotation_after_centuries_of_nothing_is_reached_in_small_chunks() -> None:
    """Empty chunks grow fourfold; the chunk that reaches a dense rotation is cut smaller
    until its expansion fits CHUNK_OCCURRENCES (memory), not refused."""
    late = _hourly(("x", "y"))
    late = Shift(**{**_fields(late), "start": datetime(2600, 1, 1)})
    early = Shift(type="single_event", start=datetime(2024, 1, 1), duration=timedelta(hours=2),
                  users=("a",))  # fmt: skip
    schedule = Schedule(shifts=(early, late))
    with hang_guard(60):
        stream = shiftcalc.iter_final_shifts(schedule, JAN)
        first = [next(stream) for _ in range(4)]
    assert [row.user for row in first] == ["a", "x", "y", "x"]
    assert first[1].start == datetime(2600, 1, 1, tzinfo=UTC)


def _fields(shift: Shift) -> dict[str, Any]:
    return {name: getattr(shift, name) for name in shift.__dataclass_fields__}


def test_endless_stream_of_an_empty_schedule_ends_at_once() -> None:
    with hang_guard(30):
        assert list(shiftcalc.iter_final_shifts(Schedule(), JAN)) == []
        assert list(shiftcalc.iter_handoffs(Schedule(), JAN)) == []
        assert list(shiftcalc.iter_gaps(Schedule(), JAN)) == [
            shiftcalc.Gap(start=JAN, end=MAX_UTC)
        ]


def test_unbounded_rotation_streams_up_to_the_end_of_representable_time() -> None:
    schedule = Schedule(shifts=(_hourly(),))
    start = datetime(9999, 12, 31, 20, tzinfo=UTC)
    with hang_guard(30):
        rows = list(shiftcalc.iter_final_shifts(schedule, start))
    assert rows == list(shiftcalc.resolve(schedule, Window(start=start, end=MAX_UTC)).shifts)
    assert rows[-1].end == MAX_UTC


def test_oncall_endless_stream_of_a_finite_schedule_ends() -> None:
    stay = Shift(type="single_event", start=datetime(2024, 3, 1), duration=timedelta(hours=5),
                 users=("z",))  # fmt: skip
    with hang_guard(30):
        rows = list(shiftcalc.iter_final_shifts(Schedule(shifts=(stay,)), JAN, profile="oncall"))
    assert [(row.user, row.duration) for row in rows] == [("z", timedelta(hours=5))]


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_endless_shift_naming_nobody_does_not_keep_a_stream_of_rows_going(profile: str) -> None:
    """A shift that names nobody puts nobody on call: the rows and hand-offs end with the last
    shift that names someone, instead of walking an hourly rule to the year 9999 finding none
    (nine minutes, a tester found). It still makes gaps."""
    empty = replace(_hourly(), type="recurrent_event", rolling_users=(), users=())
    stay = Shift(type="single_event", start=datetime(2024, 3, 1), duration=timedelta(hours=5),
                 users=("z",), level=1)  # fmt: skip
    schedule = Schedule(shifts=(empty, stay))
    options: dict[str, Any] = {"profile": profile}
    with hang_guard(30):
        rows = list(shiftcalc.iter_final_shifts(schedule, JAN, **options))
        handoffs = list(shiftcalc.iter_handoffs(schedule, JAN))  # strict only
        first_gap = next(shiftcalc.iter_gaps(schedule, JAN, **options))
    assert [(row.user, row.start, row.duration) for row in rows] == [
        ("z", datetime(2024, 3, 1, tzinfo=UTC), timedelta(hours=5))
    ]
    assert [(h.at, h.before, h.after) for h in handoffs] == [
        (datetime(2024, 3, 1, tzinfo=UTC), (), ("z",)),
        (datetime(2024, 3, 1, 5, tzinfo=UTC), ("z",), ()),
    ]
    # the hours before z's are the empty shift's (unresolved in strict): it still makes gaps
    assert (first_gap.start, first_gap.end) == (JAN, datetime(2024, 3, 1, tzinfo=UTC))


# --------------------------------------------------------------------------- cursors


def _stream_of(schedule: Schedule, **kwargs: Any) -> shiftcalc.Stream[shiftcalc.FinalShift]:
    return shiftcalc.iter_final_shifts(schedule, JAN, end=JAN + timedelta(days=3), **kwargs)


def test_cursor_is_json_and_small() -> None:
    stream = _stream_of(Schedule(shifts=(_hourly(),)))
    next(stream)
    token = stream.cursor()
    assert json.loads(json.dumps(token)) == token
    assert len(json.dumps(token)) < 400


def test_cursor_of_another_schedule_is_refused_naming_the_cursor() -> None:
    stream = _stream_of(Schedule(shifts=(_hourly(),)))
    next(stream)
    other = Schedule(shifts=(_hourly(("a", "b")),))
    with pytest.raises(ValidationError) as caught:
        _stream_of(other, cursor=stream.cursor())
    assert caught.value.field == "cursor.schedule"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"profile": "oncall"}, "cursor.profile"),
        ({"durations": "elapsed"}, "cursor.durations"),
        ({"end": None}, "cursor.end"),
    ],
)
def test_cursor_of_other_arguments_is_refused(change: dict[str, Any], field: str) -> None:
    schedule = Schedule(shifts=(_hourly(),))
    stream = _stream_of(schedule)
    next(stream)
    arguments = {"end": JAN + timedelta(days=3), **change}
    with pytest.raises(ValidationError) as caught:
        shiftcalc.iter_final_shifts(schedule, JAN, cursor=stream.cursor(), **arguments)
    assert caught.value.field == field


def test_cursor_of_another_kind_is_refused() -> None:
    schedule = Schedule(shifts=(_hourly(),))
    gaps = shiftcalc.iter_gaps(schedule, JAN, end=JAN + timedelta(days=3))
    with pytest.raises(ValidationError) as caught:
        _stream_of(schedule, cursor=gaps.cursor())
    assert caught.value.field == "cursor.kind"


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda c: "nonsense", "cursor"),
        (lambda c: {**c, "v": 2}, "cursor.v"),
        (lambda c: {**c, "from": "yesterday"}, "cursor.from"),
        (lambda c: {**c, "from": "2023-01-01T00:00:00+00:00"}, "cursor.from"),
        (lambda c: {**c, "from": "2024-01-01T00:00:00"}, "cursor.from"),
        (lambda c: {**c, "after": ["x"]}, "cursor.after"),
        (lambda c: {**c, "after": ["x", "a"]}, "cursor.after"),
        # a tester found these taken: 1.0 and True equal 1, and a part no cursor has
        (lambda c: {**c, "v": 1.0}, "cursor.v"),
        (lambda c: {**c, "v": True}, "cursor.v"),
        (lambda c: {**c, "chunk": "2024-01-01T00:00:00+00:00"}, "cursor.chunk"),
    ],
)
def test_damaged_cursor_is_refused_naming_its_part(
    edit: Callable[[dict[str, Any]], Any], field: str
) -> None:
    schedule = Schedule(shifts=(_hourly(),))
    stream = _stream_of(schedule)
    next(stream)
    with pytest.raises(ValidationError) as caught:
        _stream_of(schedule, cursor=edit(stream.cursor()))
    assert caught.value.field == field


def test_oncall_cursor_off_the_chunk_grid_is_refused() -> None:
    schedule = Schedule(shifts=(_hourly(),))
    stream = _stream_of(schedule, profile="oncall")
    next(stream)
    token = {**stream.cursor(), "chunk": "2024-01-02T00:00:00+00:00"}
    with pytest.raises(ValidationError) as caught:
        _stream_of(schedule, profile="oncall", cursor=token)
    assert caught.value.field == "cursor.chunk"


def test_bad_arguments_are_refused_when_the_stream_is_made() -> None:
    schedule = Schedule(shifts=(_hourly(),))
    with pytest.raises(ValidationError, match="end"):
        shiftcalc.iter_final_shifts(schedule, JAN, end=JAN - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="start"):
        shiftcalc.iter_final_shifts(schedule, datetime(2024, 1, 1))
    with pytest.raises(ValidationError, match="max_occurrences"):
        shiftcalc.iter_final_shifts(schedule, JAN, max_occurrences=0)


# --------------------------------------------------------------------------- the CLI


class _Counter(io.TextIOBase):
    """A sink that counts what it is given and keeps nothing (but the last line)."""

    def __init__(self) -> None:
        self.chars = 0
        self.lines = 0
        self.last = ""

    def write(self, text: str) -> int:
        self.chars += len(text)
        self.lines += text.count("\n")
        self.last = text
        return len(text)


def _scenario_file(tmp_path: Any, years: int) -> str:
    path = tmp_path / "hourly.json"
    path.write_text(
        json.dumps(
            {
                "shifts": [
                    {
                        "type": "rolling_users",
                        "start": "2000-01-01T00:00:00",
                        "duration": 3600,
                        "frequency": "hourly",
                        "rolling_users": [["a"], ["b"], ["c"]],
                        "start_rotation_from_user_index": 0,
                    }
                ],
                "window": {"start": "2000-01-01", "end": f"{2000 + years}-01-01"},
            }
        ),
        encoding="utf-8",
    )
    return str(path)


def _run(argv: list[str], sink: io.TextIOBase) -> int:
    previous = sys.stdout
    sys.stdout = sink  # type: ignore[assignment]
    try:
        return main(argv)
    finally:
        sys.stdout = previous


def _peak_streaming(path: str, fmt: str) -> tuple[int, _Counter]:
    sink = _Counter()
    tracemalloc.start()
    try:
        assert _run(["final-shifts", path, "--format", fmt], sink) == 0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, sink


def test_cli_streams_csv_in_flat_memory(tmp_path: Any) -> None:
    """Three years of an hourly rotation (26,304 rows) in a few megabytes, imports included:
    memory does not follow the rows (the JSON document of the same rows takes 30 MB)."""
    peak, sink = _peak_streaming(_scenario_file(tmp_path, 3), "csv")
    assert sink.lines == 26_304 + 1
    assert peak < 8_000_000


@pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE") != "fuzz",
    reason="the long run (HYPOTHESIS_PROFILE=fuzz): minutes under tracemalloc",
)
def test_cli_streams_two_centuries_of_an_hourly_rotation_past_max_occurrences(
    tmp_path: Any,
) -> None:
    """1,753,176 rows: past the default max_occurrences (a million) of one resolution."""
    peak, sink = _peak_streaming(_scenario_file(tmp_path, 200), "json-lines")
    assert sink.lines == 1_753_176
    assert json.loads(sink.last)["shift_end"] == "2200-01-01T00:00:00Z"
    assert peak < 8_000_000


def _cli(argv: list[str]) -> str:
    sink = io.StringIO()
    assert _run(argv, sink) == 0
    return sink.getvalue()


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_cli_streamed_csv_is_the_batch_csv(tmp_path: Any, profile: str) -> None:
    path = _scenario_file(tmp_path, 0)
    window = ["--window", "2000-01-01", "2000-02-01", "--profile", profile]
    scenario = shiftcalc.load_scenario(path)
    resolution = shiftcalc.resolve(
        scenario.schedule,
        Window(start=datetime(2000, 1, 1, tzinfo=UTC), end=datetime(2000, 2, 1, tzinfo=UTC)),
        profile=profile,  # type: ignore[arg-type]
    )
    expected = shiftcalc.shifts_csv(resolution.shifts, scenario.schedule)
    assert _cli(["final-shifts", path, "--format", "csv", *window]) == expected


def test_cli_json_lines_are_the_documents_rows(tmp_path: Any) -> None:
    path = _scenario_file(tmp_path, 0)
    window = ["--window", "2000-01-01", "2000-01-03"]
    lines = _cli(["final-shifts", path, "--format", "json-lines", *window]).splitlines()
    document = json.loads(_cli(["final-shifts", path, "--format", "json", *window]))
    assert [json.loads(line) for line in lines] == document["results"]
    assert len(lines) == 48


CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//shiftcalc tests//EN
BEGIN:VEVENT
UID:primary@example.com
DTSTART;TZID=Europe/Berlin:20240325T090000
DTEND;TZID=Europe/Berlin:20240325T170000
RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=40
SUMMARY:alice
END:VEVENT
BEGIN:VEVENT
UID:backup@example.com
DTSTART;VALUE=DATE:20240327
DTEND;VALUE=DATE:20240329
SUMMARY:[L1] ghost
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_calendar_schedule_streams_as_it_resolves_with_its_reports(profile: str) -> None:
    """Calendar rows, unresolved-name gaps and the reports (each name once) across chunks;
    an endless stream of a calendar whose rule has COUNT ends."""
    scenario = shiftcalc.load_scenario(
        {
            "schedule": {"type": "ical", "time_zone": "Europe/Berlin", "ical_primary": CALENDAR},
            "users": ["alice"],
            "shifts": [],
            "window": {"start": "2024-03-20", "end": "2024-06-29"},
        }
    )
    schedule, window = scenario.schedule, scenario.window
    whole = shiftcalc.resolve(schedule, window, profile=profile)  # type: ignore[arg-type]
    with _chunks((timedelta(hours=5), 2)), hang_guard(60):
        rows = shiftcalc.iter_final_shifts(
            schedule,
            window.start,
            end=window.end,
            profile=profile,  # type: ignore[arg-type]
        )
        assert list(rows) == list(whole.shifts)
        assert rows.unresolved == whole.unresolved
        gaps = shiftcalc.iter_gaps(
            schedule,
            window.start,
            end=window.end,
            profile=profile,  # type: ignore[arg-type]
        )
        assert list(gaps) == list(whole.gaps)
        endless = shiftcalc.iter_final_shifts(schedule, window.start, profile=profile)  # type: ignore[arg-type]
        assert len(list(endless)) == 40


def test_oncall_stream_jumps_empty_years_without_changing_the_answer() -> None:
    """Empty chunks are skipped by probing ahead for occurrences; rows touching a skipped
    stretch's edges (an event ending exactly on a chunk boundary, one starting on one) are
    kept: the stream still equals OnCall's answers chunk by chunk."""
    chunk = timedelta(days=10)
    wall = datetime(2024, 1, 1)
    events = [
        (wall, timedelta(hours=5)),
        (wall + timedelta(days=400, hours=-1), timedelta(hours=1)),
        (wall + timedelta(days=600), timedelta(hours=2)),
    ]
    schedule = Schedule(
        shifts=tuple(
            Shift(type="single_event", start=start, duration=length, users=(f"u{i}",))
            for i, (start, length) in enumerate(events)
        )
    )
    expected = []
    for k in range(70):
        window = Window(start=JAN + k * chunk, end=JAN + (k + 1) * chunk)
        expected += shiftcalc.resolve(schedule, window, profile="oncall").shifts
    with patch.object(stream_module, "ONCALL_CHUNK", chunk), hang_guard(60):
        rows = list(shiftcalc.iter_final_shifts(schedule, JAN, profile="oncall"))
    assert rows == expected
    assert [row.user for row in rows] == ["u0", "u1", "u2"]


def test_cursor_of_a_schedule_differing_in_microseconds_is_refused() -> None:
    """The scenario form writes whole seconds; the fingerprint also holds the exact times."""
    one = Shift(type="single_event", start=datetime(2024, 1, 1, 9, 0, 0, 500),
                duration=timedelta(seconds=90), users=("a",))  # fmt: skip
    other = Shift(**{**_fields(one), "start": datetime(2024, 1, 1, 9, 0, 0, 600)})
    stream = shiftcalc.iter_final_shifts(Schedule(shifts=(one,)), JAN)
    with pytest.raises(ValidationError) as caught:
        shiftcalc.iter_final_shifts(Schedule(shifts=(other,)), JAN, cursor=stream.cursor())
    assert caught.value.field == "cursor.schedule"


def _new_york(shift: dict[str, Any]) -> Schedule:
    return shiftcalc.load_scenario(
        {
            "schedule": {"type": "calendar", "time_zone": "America/New_York"},
            "shifts": [shift],
            "window": {"start": "2024-01-01", "end": "2024-01-02"},
        }
    ).schedule


DAILY_24_7 = {
    "type": "rolling_users",
    "start": "2024-01-10T09:00:00",
    "duration": 86400,
    "frequency": "daily",
    "rolling_users": [["a"], ["b"]],
    "start_rotation_from_user_index": 0,
}


def _counting_resolutions() -> tuple[list[Window], Any]:
    """A patch of the stream's resolve that records each window it resolves."""
    windows: list[Window] = []
    real = stream_module.resolve

    def counted(schedule: Schedule, window: Window, **options: Any) -> Any:
        windows.append(window)
        return real(schedule, window, **options)

    return windows, patch.object(stream_module, "resolve", counted)


def test_the_gaps_of_an_endless_gapless_rotation_end_with_coverage_s_proof() -> None:
    """An endless 24×7 rotation has one gap, before it starts; the stream walked chunks to
    the year 9999 to find no other (minutes). Past ten gapless years it asks coverage, which
    proves someone on call for all time from there: the stream ends, a few dozen chunks on."""
    schedule = _new_york(DAILY_24_7)
    windows, patched = _counting_resolutions()
    with patched, hang_guard(120):
        gaps = list(shiftcalc.iter_gaps(schedule, JAN))
    first = shiftcalc.Gap(start=JAN, end=datetime(2024, 1, 10, 14, tzinfo=UTC))
    assert gaps == [first]
    assert len(windows) < 40 and windows[-1].end.year < 2100
    century = Window(start=JAN, end=datetime(2124, 1, 1, tzinfo=UTC))
    assert shiftcalc.resolve(schedule, century).gaps == (first,)


def test_without_a_proof_the_gap_stream_walks_on() -> None:
    """A rotation until 2300 has a last gap, from ``until`` to the end of time, and coverage
    cannot prove the centuries before it gapless (a gap follows): the stream walks to it. A
    rotation with a gap every fifteen years is asked for a proof after ten, gets none, and
    walks on to each gap."""
    schedule = _new_york({**DAILY_24_7, "until": "2300-01-01T00:00:00"})
    with hang_guard(120):
        gaps = list(shiftcalc.iter_gaps(schedule, JAN))
    assert gaps == [
        shiftcalc.Gap(start=JAN, end=datetime(2024, 1, 10, 14, tzinfo=UTC)),
        shiftcalc.Gap(start=datetime(2300, 1, 1, 5, tzinfo=UTC), end=MAX_UTC),
    ]
    every_15_years = {"frequency": "monthly", "interval": 180, "duration": 5475 * 86400}
    gappy = _new_york({**DAILY_24_7, **every_15_years})  # 13 days short of its next turn
    with hang_guard(120):
        found = list(itertools.islice(shiftcalc.iter_gaps(gappy, JAN), 4))
    expected = shiftcalc.resolve(gappy, Window(start=JAN, end=datetime(2070, 1, 1, tzinfo=UTC)))
    assert len(expected.gaps) == 4 and found == list(expected.gaps)
