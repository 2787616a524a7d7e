"""The twins written once: the swap split both profiles use, the padding and window -> UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shiftcalc import Interval, Profile, Schedule, ShiftSwap, ValidationError, Window
from shiftcalc._merge import split_for_swaps
from shiftcalc.ical import calendar_records

T0 = datetime(2024, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)


def _swap(start: int, end: int, benefactor: str | None = "bob") -> ShiftSwap:
    return ShiftSwap(
        beneficiary="alice",
        benefactor=benefactor,
        swap_start=T0 + start * H,
        swap_end=T0 + end * H,
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 10, ((0, 2), (2, 5), (5, 10))),  # before, during, after
        (3, 4, (None, (3, 4), None)),  # inside the swap
        (0, 3, ((0, 2), (2, 3), None)),
        (4, 10, (None, (4, 5), (5, 10))),
        (2, 5, (None, (2, 5), None)),  # exactly the swap
    ],
)
def test_swap_split_cuts_before_during_after(
    start: int, end: int, expected: tuple[object, ...]
) -> None:
    def at(span: tuple[int, int] | None) -> tuple[datetime, datetime] | None:
        return None if span is None else (T0 + span[0] * H, T0 + span[1] * H)

    split = _swap(2, 5).split(T0 + start * H, T0 + end * H)
    assert split == tuple(at(span) for span in expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(("start", "end"), [(0, 2), (5, 9)])
def test_swap_split_of_a_span_touching_the_swap_is_none(start: int, end: int) -> None:
    assert _swap(2, 5).split(T0 + start * H, T0 + end * H) is None


def _interval(users: tuple[str, ...]) -> Interval:
    return Interval(start=T0, end=T0 + 10 * H, users=users, level=0, is_override=False)


def test_strict_swap_split_hands_the_middle_over_and_names_a_benefactor_once() -> None:
    pieces = split_for_swaps([_interval(("alice", "bob"))], [_swap(2, 5)])
    assert [(p.start, p.end, p.users) for p in pieces] == [
        (T0, T0 + 2 * H, ("alice", "bob")),
        (T0 + 2 * H, T0 + 5 * H, ("bob",)),
        (T0 + 5 * H, T0 + 10 * H, ("alice", "bob")),
    ]


def test_strict_open_swap_request_splits_nothing() -> None:
    interval = _interval(("alice",))
    assert split_for_swaps([interval], [_swap(2, 5, benefactor=None)]) == [interval]


# --------------------------------------------------------------------------- window -> UTC

_CALENDAR = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//shiftcalc//twins//EN",
        "BEGIN:VEVENT",
        "UID:twins-1",
        "DTSTAMP:20240101T000000Z",
        "DTSTART:20240301T090000Z",
        "DURATION:PT1H",
        "RRULE:FREQ=DAILY",
        "SUMMARY:alice",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_calendar_records_reads_a_zoned_window_as_its_utc_instants(profile: Profile) -> None:
    schedule = Schedule(type="ical", ical_primary=_CALENDAR)
    start = datetime(2024, 3, 2, 12, tzinfo=UTC)
    utc = Window(start=start, end=start + 3 * 24 * H)
    zone = ZoneInfo("America/New_York")
    zoned = Window(start=utc.start.astimezone(zone), end=utc.end.astimezone(zone))
    records = calendar_records(_CALENDAR, schedule, zoned, profile=profile, overrides=False)
    assert records == calendar_records(_CALENDAR, schedule, utc, profile=profile, overrides=False)
    assert len(records) == 3


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (datetime(2024, 3, 2), datetime(2024, 3, 3), "window.start"),  # naive
        (datetime(2024, 3, 3, tzinfo=UTC), datetime(2024, 3, 2, tzinfo=UTC), "window.end"),
        (
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
            datetime(2024, 3, 2, tzinfo=UTC),
            "window.start",
        ),
    ],
    ids=["naive", "reversed", "before-year-1-in-utc"],
)
def test_the_windows_resolve_refuses_are_refused_when_made(
    start: datetime, end: datetime, field: str
) -> None:
    """A window that resolve and calendar_records would refuse is refused on construction,
    naming its field, so no query meets one."""
    with pytest.raises(ValidationError, match="window") as raised:
        Window(start=start, end=end)
    assert raised.value.field == field
