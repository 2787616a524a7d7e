"""The fast paths of a big calendar give the careful paths' answers: VEVENTs of equal timing
expanded once and shared, a lone VEVENT's occurrences kept as one block (oncall), rules of
fixed step stepped by arithmetic, strict spans of equal (start, end, rank) combined before
the sweep, and records without provenance for resolve.

The careful path is the same code with every shortcut switched off: each VEVENT expanded on
its own (a timing key that matches nothing), every occurrence through the library's
replacement rules (no VEVENT alone), and no fixed step.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftcalc import Schedule, ShiftcalcError, User, Window, resolve
from shiftcalc._merge import merge_spans, span_row
from shiftcalc._model import SkippedComponent, UnresolvedName
from shiftcalc.ical import calendar_records, calendar_rows, calendar_spans
from shiftcalc.oncall.resolution import calendar_record

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150)

# A few timings, so that VEVENTs often share one: all-day and timed (UTC, floating, zoned
# across Berlin's spring change), rules of fixed step and others, EXDATE and RDATE.
DAY_TIMINGS = [
    ["DTSTART;VALUE=DATE:20250101", "DTEND;VALUE=DATE:20250102", "RRULE:FREQ=WEEKLY"],
    ["DTSTART;VALUE=DATE:20250101", "DURATION:P1D", "RRULE:FREQ=WEEKLY"],
    ["DTSTART;VALUE=DATE:20250102", "DTEND;VALUE=DATE:20250104", "RRULE:FREQ=DAILY;INTERVAL=3"],
    ["DTSTART;VALUE=DATE:20250103", "RRULE:FREQ=WEEKLY", "EXDATE;VALUE=DATE:20250110"],
    ["DTSTART;VALUE=DATE:20250101", "DTEND;VALUE=DATE:20250102", "RRULE:FREQ=WEEKLY;COUNT=3"],
    ["DTSTART;VALUE=DATE:20250105", "DTEND;VALUE=DATE:20250105"],
    ["DTSTART;VALUE=DATE:20250101", "RDATE;VALUE=DATE:20250115,20250116"],
]
TIMED_TIMINGS = [
    ["DTSTART:20250101T090000Z", "DTEND:20250101T100000Z", "RRULE:FREQ=WEEKLY"],
    ["DTSTART:20250101T090000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY"],
    ["DTSTART:20250101T093000Z", "DTEND:20250101T103000Z", "RRULE:FREQ=HOURLY;INTERVAL=30"],
    ["DTSTART:20250101T220000Z", "DTEND:20250102T020000Z", "RRULE:FREQ=DAILY;INTERVAL=2"],
    ["DTSTART:20250101T090000", "DTEND:20250101T170000", "RRULE:FREQ=DAILY"],
    ["DTSTART:20250101T090000Z", "DTEND:20250101T100000Z", "RRULE:FREQ=WEEKLY;BYDAY=WE,FR"],
    [
        "DTSTART;TZID=Europe/Berlin:20250301T020000",
        "DTEND;TZID=Europe/Berlin:20250301T050000",
        "RRULE:FREQ=WEEKLY",
    ],
    [
        "DTSTART:20250101T090000Z",
        "DTEND:20250101T100000Z",
        "RRULE:FREQ=DAILY;UNTIL=20250120T090000Z",
        "EXDATE:20250103T090000Z",
    ],
    ["DTSTART:20250101T090000Z", "DTEND:20250101T100000Z", "RDATE:20250107T120000Z"],
    ["DTSTART:20250101T100000Z", "DTEND:20250101T090000Z", "RRULE:FREQ=WEEKLY"],
]
TIMINGS = DAY_TIMINGS + TIMED_TIMINGS
NAMES = ["alice", "bob", "[L1] carol", "[L2] alice", "nobody", ""]
ATTENDEES = ["mailto:bob", "carol", "mailto:zed"]
WINDOWS = [
    Window(start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2025, 2, 1, tzinfo=UTC)),
    Window(start=datetime(2025, 1, 8, 9, 30, tzinfo=UTC), end=datetime(2025, 3, 31, tzinfo=UTC)),
]


@st.composite
def calendars(draw: st.DrawFn) -> str:
    """VEVENTs of few timings and UIDs: shared and lone UIDs, overrides by RECURRENCE-ID,
    SEQUENCE, cancelled ones, stacked users (ATTENDEEs) and names that match nobody."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for index in range(draw(st.integers(1, 9))):
        lines.append("BEGIN:VEVENT")
        uid = draw(st.sampled_from(["shared", "other", f"lone-{index}", f"lone-{index}"]))
        lines.append(f"UID:{uid}")
        timing = draw(st.sampled_from(TIMINGS))
        if draw(st.integers(0, 5)) == 0:
            # an override of one instance: its own time, or the series' start again
            when = draw(st.sampled_from(["20250108T090000Z", "20250108"]))
            value = f";VALUE=DATE:{when}" if len(when) == 8 else f":{when}"
            lines.append(f"RECURRENCE-ID{value}")
            timing = [line for line in timing if not line.startswith(("RRULE", "EXDATE", "RDATE"))]
        lines += timing
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"SEQUENCE:{draw(st.integers(0, 2))}")
        if draw(st.integers(0, 7)) == 0:
            lines.append("STATUS:CANCELLED")
        lines.append(f"SUMMARY:{draw(st.sampled_from(NAMES))}")
        for attendee in draw(st.lists(st.sampled_from(ATTENDEES), max_size=2)):
            lines.append(f"ATTENDEE:{attendee}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


@contextlib.contextmanager
def careful() -> Iterator[None]:
    """Every shortcut off: each VEVENT expanded alone, no block, no fixed step."""
    with (
        patch("shiftcalc.ical._strict.timing", lambda event: (object(),)),
        patch("shiftcalc.ical._oncall.timing", lambda event: (object(),)),
        patch("shiftcalc.ical._oncall._alone", lambda event, uids: False),
        patch("shiftcalc.ical._expansion.fixed_step", lambda rule, first: None),
    ):
        yield


def _answer(compute: Any) -> Any:
    """What ``compute`` returns with the skipped components and unresolved names it reported,
    or the error it raised."""
    skipped: list[SkippedComponent] = []
    unresolved: list[UnresolvedName] = []
    try:
        return compute(skipped, unresolved), skipped, unresolved
    except ShiftcalcError as error:
        return type(error), str(error)


def _schedule(directory: bool) -> Schedule:
    users = (User(id="a", username="alice"), User(id="b", username="bob")) if directory else ()
    return Schedule(type="ical", time_zone="Europe/Berlin", users=users)


@FAST
@given(
    calendars(),
    st.sampled_from(WINDOWS),
    st.sampled_from(["strict", "oncall"]),
    st.sampled_from(["raise", "skip"]),
    st.booleans(),
    st.booleans(),
)
def test_records_of_shared_expansions_are_each_vevents_records(
    text: str,
    window: Window,
    profile: Any,
    on_error: Any,
    directory: bool,
    provenance: bool,
) -> None:
    """Equal timings expanded once, lone VEVENTs kept as blocks and fixed steps stepped give
    every record (its origin too), skip and unresolved name, in order, as each VEVENT expanded
    alone through the careful paths."""
    schedule = _schedule(directory)

    def records(skipped: list[SkippedComponent], unresolved: list[UnresolvedName]) -> Any:
        options: Any = {"profile": profile, "overrides": False, "on_error": on_error}
        options |= {"skipped": skipped, "unresolved": unresolved}
        if provenance:
            return calendar_records(text, schedule, window, **options)
        return calendar_rows(text, schedule, window, calendar_record, provenance=False, **options)

    fast = _answer(records)
    with careful():
        assert _answer(records) == fast


@FAST
@given(calendars(), st.sampled_from(WINDOWS), st.booleans(), st.booleans())
def test_combined_spans_merge_as_the_records(
    text: str, window: Window, directory: bool, overrides: bool
) -> None:
    """The strict spans of equal (start, end, rank) combined, without provenance, merge to
    the same shifts, gaps and pieces as one span per record through the careful paths."""
    schedule = _schedule(directory)
    options: Any = {"overrides": overrides, "on_error": "skip"}

    def spans(skipped: list[SkippedComponent], unresolved: list[UnresolvedName]) -> Any:
        found = calendar_spans(
            text, schedule, window, skipped=skipped, unresolved=unresolved, **options
        )
        return merge_spans(found, window)

    def records(skipped: list[SkippedComponent], unresolved: list[UnresolvedName]) -> Any:
        found = calendar_rows(
            text,
            schedule,
            window,
            span_row,
            profile="strict",
            skipped=skipped,
            unresolved=unresolved,
            **options,
        )
        return merge_spans(found, window)

    fast = _answer(spans)
    with careful():
        assert _answer(records) == fast


@st.composite
def stacked_spans(draw: st.DrawFn) -> list[Any]:
    """Spans on a small grid, many of equal (start, end, rank), users stacked and repeated,
    empty ones with and without missing names."""
    base = datetime(2025, 1, 1, tzinfo=UTC)
    hours = st.integers(0, 12).map(lambda h: base + timedelta(hours=h))
    spans = []
    for _ in range(draw(st.integers(0, 14))):
        start, end = sorted((draw(hours), draw(hours)))
        users = tuple(draw(st.lists(st.sampled_from("abc"), max_size=2)))
        missing = tuple(draw(st.lists(st.sampled_from("xy"), max_size=2)))
        rank = (draw(st.integers(0, 1)), draw(st.integers(0, 2)))
        spans.append((start, end, users, rank, missing, None))
    return spans


@FAST
@given(stacked_spans(), st.integers(0, 12), st.integers(0, 12))
def test_spans_of_equal_start_end_and_rank_combine(spans: list[Any], a: int, b: int) -> None:
    """The combination calendar_spans makes (per (start, end, rank): one span naming the union
    of the users, or, for spans naming nobody, the union of the missing names) merges as the
    raw spans, whatever the users and names repeated or stacked."""
    base = datetime(2025, 1, 1, tzinfo=UTC)
    window = Window(start=base + timedelta(hours=min(a, b)), end=base + timedelta(hours=max(a, b)))
    combined: dict[Any, dict[str, None]] = {}
    for start, end, users, rank, missing, _ in spans:
        names = combined.setdefault((start, end, rank, not users), {})
        names.update(dict.fromkeys(users or missing))
    joined = [
        (start, end, () if empty else (*names,), rank, (*names,) if empty else (), None)
        for (start, end, rank, empty), names in combined.items()
    ]
    assert merge_spans(joined, window) == merge_spans(spans, window)


@FAST
@given(calendars(), st.sampled_from(WINDOWS), st.sampled_from(["strict", "oncall"]))
def test_resolve_of_a_calendar_is_the_careful_resolution(
    text: str, window: Window, profile: Any
) -> None:
    """resolve (records without provenance, combined spans, shared expansions) gives the
    careful paths' answer."""
    schedule = Schedule(type="ical", time_zone="Europe/Berlin", ical_primary=text)

    def answer() -> Any:
        try:
            return resolve(schedule, window, profile=profile, calendar_errors="skip")
        except ShiftcalcError as error:
            return type(error), str(error)

    fast = answer()
    with careful():
        assert answer() == fast
