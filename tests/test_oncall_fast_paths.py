"""The oncall profile's fast paths, each against the careful path it stands in for.

* ``_Sweep.unblocked``: a band that nothing resolved blocks, kept at once, else ``cut``;
* ``_utc_spans``: a UTC (or floating) VEVENT's spans straight from its starts, else the
  careful expansion (``_oncall_timed``) and OnCall's filter (``_kept``).

Small integer hours make equal starts, touching events and equal shift ids common.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import Window
from shiftcalc._tz import shifted
from shiftcalc.ical._oncall import _kept, _oncall_timed, _utc_spans, oncall_occurrences
from shiftcalc.ical._parse import parse_calendar
from shiftcalc.ical._read import Event, Report, read_events
from shiftcalc.ical._zones import Zones
from shiftcalc.oncall.occurrences import LOOKUP_PADDING
from shiftcalc.oncall.resolution import (
    OncallEvent,
    _band,
    _records,
    _Sweep,
    events_of,
    oncall_event,
    vevent_records,
)

BASE = datetime(2025, 3, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


@st.composite
def records(draw: st.DrawFn) -> OncallEvent:
    start = draw(st.integers(-2, 12))
    length = draw(st.integers(1, 8))
    kind = draw(st.sampled_from(["primary", "override", "empty", "gap"]))
    users = () if kind in ("empty", "gap") else draw(st.sampled_from([("a",), ("b",), ("a", "c")]))
    return oncall_event(
        BASE + start * HOUR,
        BASE + (start + length) * HOUR,
        users,
        0 if kind == "gap" else draw(st.integers(0, 2)),
        None if kind == "gap" else 1 if kind == "override" else 0,
        None if kind == "gap" else draw(st.sampled_from([None, "s1", "s2"])),
        missing_users=draw(st.sampled_from([(), ("x",), ("x", "y")])),
        is_gap=kind == "gap",
    )


def windows() -> st.SearchStrategy[Window]:
    return st.builds(
        lambda start, length: Window(
            start=BASE + start * HOUR, end=BASE + (start + length) * HOUR
        ),
        st.integers(-1, 6),
        st.integers(0, 12),
    )


@settings(max_examples=500)
@given(st.lists(records(), max_size=14), windows())
def test_each_band_resolves_as_its_careful_cut(found: list[OncallEvent], window: Window) -> None:
    """Events as OnCall makes them (records merged, gaps detected), band by band as
    ``resolve_events`` takes them: ``band`` (taking the unblocked path where it can, the
    first band always) against ``cut`` on the sorted band."""
    bands: dict[tuple[int, int], list[OncallEvent]] = {}
    for event in events_of([r for r in found if not r[8]], window):
        bands.setdefault(_band(event[4], event[3]), []).append(event)
    fast, careful = _Sweep(window), _Sweep(window)
    with hang_guard():
        for band in sorted(bands):
            fast.band(list(bands[band]))
            careful.cut(sorted(bands[band], key=lambda r: r[0]))
            assert fast.resolved == careful.resolved


def test_an_unblocked_band_by_hand() -> None:
    """Nothing resolved: each event not skipped is kept whole, in start order; an empty
    event and one outside the window are skipped; two kinds in the band take the cut."""
    window = Window(start=BASE, end=BASE + 10 * HOUR)

    def event(start: int, end: int, users: tuple[str, ...], kind: int = 0) -> OncallEvent:
        return oncall_event(BASE + start * HOUR, BASE + end * HOUR, users, 0, kind, "s")

    queue = [event(2, 12, ("b",)), event(0, 4, ("a",)), event(1, 3, ()), event(10, 11, ("c",))]
    sweep = _Sweep(window)
    assert sweep.unblocked(sorted(queue, key=lambda r: r[0]))
    assert sweep.resolved == [queue[1], queue[0]]
    assert not _Sweep(window).unblocked([event(0, 4, ("a",)), event(5, 6, ("b",), 1)])


def test_records_keep_the_order_of_records_and_vevents() -> None:
    from shiftcalc import Schedule, Shift
    from shiftcalc.oncall.generation import shift_vevents

    window = Window(start=BASE, end=BASE + 48 * HOUR)
    shift = Shift(
        type="rolling_users",
        start=datetime(2025, 3, 1, 8),
        duration=timedelta(hours=8),
        frequency="daily",
        rolling_users=(("a",), ("b",)),
    )
    vevents, _ = shift_vevents(Schedule(shifts=(shift,)), origins=False)
    first = [oncall_event(BASE + n * HOUR, BASE + HOUR, ("x",), 0, 0, "r1") for n in range(3)]
    last = [oncall_event(BASE + n * HOUR, BASE + 2 * HOUR, ("y",), 0, 0, "r2") for n in range(2)]
    items: list[Any] = [*first, *vevents, *last]
    found = _records(items, window, {}, [1000, 1000])
    assert found == [*first, *vevent_records(vevents, window), *last]


# -- UTC VEVENTs ----------------------------------------------------------------------------

_STAMP = "DTSTAMP:20240101T000000Z"


def _when(value: datetime, form: str) -> str:
    text = f"{value:%Y%m%dT%H%M%S}"
    return {"utc": f":{text}Z", "floating": f":{text}", "zoned": f";TZID=UTC:{text}"}[form]


@st.composite
def utc_vevents(draw: st.DrawFn) -> tuple[str, datetime]:
    """A VEVENT of UTC, floating or TZID=UTC times (what ``_utc_spans`` takes), and a time
    near which windows look at it (its start, or its UNTIL)."""
    start = datetime(2025, 1, 1) + timedelta(minutes=15 * draw(st.integers(-3000, 3000)))
    form = draw(st.sampled_from(["utc", "floating", "zoned"]))
    lines = ["BEGIN:VEVENT", "UID:e@x", _STAMP, "DTSTART" + _when(start, form)]
    end_form = draw(st.sampled_from(["dtend", "duration", "none", "date"]))
    length = timedelta(minutes=15 * draw(st.integers(0, 700)))
    if end_form == "dtend":
        lines.append("DTEND" + _when(start + length, draw(st.sampled_from(["utc", "floating"]))))
    elif end_form == "duration":
        lines.append(f"DURATION:PT{length.days * 24 + length.seconds // 3600}H")
    elif end_form == "date":
        lines.append(f"DTEND;VALUE=DATE:{start.date() + timedelta(days=1):%Y%m%d}")
    parts = [f"FREQ={draw(st.sampled_from(['HOURLY', 'DAILY', 'WEEKLY']))}"]
    parts.append(f"INTERVAL={draw(st.sampled_from([1, 1, 2, 3, 7, 30]))}")
    if draw(st.booleans()):
        parts.append(f"BYDAY={draw(st.sampled_from(['MO', 'TU,TH', 'SA,SU']))}")
    limit = draw(st.sampled_from(["none", "count", "until", "until-date", "until-floating"]))
    until = start + timedelta(days=draw(st.integers(-2, 500)), minutes=draw(st.integers(0, 90)))
    if limit == "count":
        parts.append(f"COUNT={draw(st.integers(1, 60))}")
    elif limit == "until":
        parts.append(f"UNTIL={until:%Y%m%dT%H%M%S}Z")
    elif limit == "until-floating":
        parts.append(f"UNTIL={until:%Y%m%dT%H%M%S}")
    elif limit == "until-date":
        parts.append(f"UNTIL={until:%Y%m%d}")
    if draw(st.booleans()):
        lines.append("RRULE:" + ";".join(parts))
    for _ in range(draw(st.integers(0, 3))):
        steps = draw(st.integers(0, 40))
        excluded = start + timedelta(days=steps, hours=draw(st.sampled_from([0, 0, 1])))
        lines.append("EXDATE" + _when(excluded, draw(st.sampled_from(["utc", "floating"]))))
    near = until if limit.startswith("until") and draw(st.booleans()) else start
    return "\r\n".join([*lines, "END:VEVENT"]), near.replace(tzinfo=UTC)


def _calendar(vevent: str) -> str:
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{vevent}\r\nEND:VCALENDAR\r\n"


def _event(vevent: str) -> Event:
    """The one VEVENT of ``vevent``'s text, read as the oncall profile reads it."""
    root = parse_calendar(_calendar(vevent))
    (event,) = read_events(root, Zones(root, "oncall"), Report("raise", []))
    return event


def _vevent(*props: str) -> str:
    return "\r\n".join(["BEGIN:VEVENT", "UID:e@x", _STAMP, *props, "END:VEVENT"])


def _outcome(compute: Any) -> Any:
    try:
        return compute()
    except Exception as exc:  # the same error, or the same answer
        return type(exc), str(exc)


@settings(max_examples=400)
@given(
    utc_vevents(),
    st.integers(-24 * 40, 24 * 40),
    st.sampled_from([0, 1, 24, 24 * 90, 24 * 366]),
    st.sampled_from([10**6, 5]),
)
def test_utc_spans_are_the_careful_expansion_filtered(
    vevent: tuple[str, datetime], hours_before: int, hours: int, limit: int
) -> None:
    text, near = vevent
    event = _event(text)
    start = near + timedelta(hours=hours_before)
    window = Window(start=start, end=start + timedelta(hours=hours))
    low, high = shifted(window.start, -LOOKUP_PADDING), shifted(window.end, LOOKUP_PADDING)
    fast = _outcome(lambda: _utc_spans(event, window, low, high, limit))
    careful = _outcome(lambda: _kept(list(_oncall_timed(event, low, high, limit)), window))
    assert fast is not None
    assert fast == careful


def test_utc_spans_by_hand() -> None:
    """Weekly from Monday 2025-01-06 09:00Z for two hours, the second week excluded, over
    January: three occurrences; at 09:00 in Paris it takes the careful path (None), and the
    EXDATE (09:00Z, 10:00 in Paris) excludes none of its four."""
    vevent = _vevent(
        "DTSTART:20250106T090000Z",
        "DTEND:20250106T110000Z",
        "RRULE:FREQ=WEEKLY",
        "EXDATE:20250113T090000Z",
    )
    event = _event(vevent)
    window = Window(start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2025, 2, 1, tzinfo=UTC))
    low, high = window.start - LOOKUP_PADDING, window.end + LOOKUP_PADDING
    day = [datetime(2025, 1, d, 9, tzinfo=UTC) for d in (6, 20, 27)]
    assert _utc_spans(event, window, low, high, 1000) == [(d, d + 2 * HOUR) for d in day]
    zoned = vevent.replace("DTSTART:20250106T090000Z", "DTSTART;TZID=Europe/Paris:20250106T090000")
    event = _event(zoned)
    assert _utc_spans(event, window, low, high, 1000) is None
    runs = oncall_occurrences([event], window, Report("raise", []), 1000)
    assert [len(spans) for _, spans, _ in runs] == [4]


def test_utc_spans_drop_starts_after_until_by_hand() -> None:
    """Hourly from 00:00Z until 05:30Z: recurring-ical-events looks up to 06:30 (an hour
    past UNTIL) and drops 06:00, after UNTIL: six occurrences, 00:00 to 05:00."""
    event = _event(
        _vevent(
            "DTSTART:20250101T000000Z",
            "DTEND:20250101T003000Z",
            "RRULE:FREQ=HOURLY;UNTIL=20250101T053000Z",
        )
    )
    window = Window(start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2025, 1, 2, tzinfo=UTC))
    low, high = window.start - LOOKUP_PADDING, window.end + LOOKUP_PADDING
    spans = _utc_spans(event, window, low, high, 1000)
    assert spans == [(window.start + n * HOUR, window.start + (n + 0.5) * HOUR) for n in range(6)]
