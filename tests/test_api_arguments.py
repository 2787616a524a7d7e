"""Arguments of the wrong type given to the public API: a ValidationError naming the argument
and showing the value, never an AttributeError or TypeError from deep inside (found by
trying the API as a new user would)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytz

import shiftcalc
from scenario_builders import LONDON_DAILY

SCENARIO = shiftcalc.load_scenario(LONDON_DAILY)
SCHEDULE, WINDOW = SCENARIO.schedule, SCENARIO.window
RESOLUTION = shiftcalc.resolve(SCHEDULE, WINDOW)
ROWS = RESOLUTION.shifts
AT = datetime(2024, 3, 30, 12, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")

CASES: list[tuple[str, Callable[[], Any], str, Any]] = [
    ("resolve", lambda: shiftcalc.resolve(SCHEDULE, None), "window", None),  # type: ignore[arg-type]
    ("final_shifts", lambda: shiftcalc.final_shifts(SCHEDULE, "x"), "window", "x"),  # type: ignore[arg-type]
    ("gaps", lambda: shiftcalc.gaps(SCHEDULE, (AT, AT)), "window", (AT, AT)),  # type: ignore[arg-type]
    ("expand", lambda: shiftcalc.expand(SCHEDULE, 3), "window", 3),  # type: ignore[arg-type]
    ("next_handoffs str", lambda: shiftcalc.next_handoffs(SCHEDULE, AT, "2"), "count", "2"),  # type: ignore[arg-type]
    ("next_handoffs float", lambda: shiftcalc.next_handoffs(SCHEDULE, AT, 2.5), "count", 2.5),  # type: ignore[arg-type]
    ("next_handoffs bool", lambda: shiftcalc.next_handoffs(SCHEDULE, AT, True), "count", True),
    ("final_shifts_json rows", lambda: shiftcalc.final_shifts_json(None, SCHEDULE), "rows", None),  # type: ignore[arg-type]
    (
        "final_shifts_json schedule",
        lambda: shiftcalc.final_shifts_json(ROWS, None),
        "schedule",
        None,
    ),  # type: ignore[arg-type]
    ("final_shifts_document", lambda: shiftcalc.final_shifts_document(ROWS, "s"), "schedule", "s"),  # type: ignore[arg-type]
    ("shifts_csv", lambda: shiftcalc.shifts_csv(7, SCHEDULE), "rows", 7),  # type: ignore[arg-type]
    ("hours_report_csv", lambda: shiftcalc.hours_report_csv(ROWS, {}), "schedule", {}),  # type: ignore[arg-type]
    ("hours_on_call", lambda: shiftcalc.hours_on_call(None), "rows", None),  # type: ignore[arg-type]
    ("timeline_text", lambda: shiftcalc.timeline_text(None, SCHEDULE), "resolution", None),  # type: ignore[arg-type]
    ("timeline_svg", lambda: shiftcalc.timeline_svg(RESOLUTION, None), "schedule", None),  # type: ignore[arg-type]
    (
        "quality_report zoneinfo",
        lambda: shiftcalc.quality_report(RESOLUTION.events, WINDOW, zone=NEW_YORK),  # type: ignore[arg-type]
        "zone",
        NEW_YORK,
    ),
    (
        "quality_report int",
        lambda: shiftcalc.quality_report(RESOLUTION.events, WINDOW, zone=5),  # type: ignore[arg-type]
        "zone",
        5,
    ),
]


@pytest.mark.parametrize(("name", "call", "field", "value"), CASES, ids=[c[0] for c in CASES])
def test_a_wrong_type_is_a_validation_error_naming_the_argument(
    name: str, call: Callable[[], Any], field: str, value: Any
) -> None:
    with pytest.raises(shiftcalc.ValidationError) as raised:
        call()
    assert raised.value.field == field
    assert raised.value.value == value or raised.value.value == repr(value)[:80]


@pytest.mark.parametrize("zone", [NEW_YORK, pytz.timezone("America/New_York")])
def test_a_zone_object_as_time_zone_asks_for_its_name(zone: Any) -> None:
    """A Schedule's ``time_zone`` is a name (as in OnCall's API); a tzinfo, zoneinfo's or
    pytz's, is refused with a reason that says so (it said "Invalid timezone")."""
    with pytest.raises(shiftcalc.ValidationError, match="zone's name") as raised:
        shiftcalc.Schedule(time_zone=zone)
    assert raised.value.field == "time_zone"


def test_the_writers_still_take_any_iterable_of_rows() -> None:
    """The row check takes a stream (an iterator) as it comes, without reading it ahead."""
    assert shiftcalc.shifts_csv(iter(ROWS), SCHEDULE) == shiftcalc.shifts_csv(ROWS, SCHEDULE)
    assert shiftcalc.hours_on_call(iter(ROWS)) == shiftcalc.hours_on_call(list(ROWS))


@pytest.mark.parametrize("field", ["start", "rotation_start", "until"])
@pytest.mark.parametrize(
    "wall",
    [datetime(2024, 11, 3, 1, 30, fold=1), datetime(2024, 3, 10, 2, 30, fold=1)],
    ids=["repeated", "skipped"],
)
def test_a_shift_time_whose_fold_1_moves_it_is_refused_naming_the_field(
    field: str, wall: datetime
) -> None:
    """A shift's times are wall-clock values, and nothing keeps a fold (the scenario format,
    iCalendar's DTSTART, OnCall): strict read 01:30 fold=1 in New York as 06:30Z for the
    start but placed the end 20 minutes later on the first pass, before the start, and dropped
    the shift without a word (a tester found). Where fold=1 would move the time it is refused,
    naming the shift and the field."""
    times = {"start": datetime(2024, 3, 1), "until": datetime(2024, 12, 1), field: wall}
    shift = shiftcalc.Shift(
        type="recurrent_event", frequency="daily", duration=timedelta(minutes=20),
        users=("a",), **times,
    )  # fmt: skip
    with pytest.raises(shiftcalc.ValidationError, match="fold=1") as raised:
        shiftcalc.Schedule(time_zone="America/New_York", shifts=(shift,))
    assert raised.value.field == f"shifts[0].{field}"
    assert raised.value.value == wall
    with pytest.raises(shiftcalc.ValidationError, match="fold=1"):
        shiftcalc.Schedule(shifts=(replace(shift, time_zone="America/New_York"),))
    # in UTC the same values are plain times: fold=1 changes nothing there
    assert shiftcalc.Schedule(time_zone="UTC", shifts=(shift,)).shifts == (shift,)


def test_fold_1_on_a_time_that_is_neither_repeated_nor_skipped_is_let_through() -> None:
    """As Hypothesis draws naive datetimes: fold=1 there means what fold=0 does."""
    shift = shiftcalc.Shift(
        type="single_event", start=datetime(2024, 7, 1, 9, fold=1), duration=timedelta(hours=1),
        users=("a",),
    )  # fmt: skip
    schedule = shiftcalc.Schedule(time_zone="America/New_York", shifts=(shift,))
    window = shiftcalc.Window(
        start=datetime(2024, 7, 1, tzinfo=UTC), end=datetime(2024, 7, 2, tzinfo=UTC)
    )
    assert [row.start for row in shiftcalc.resolve(schedule, window).shifts] == [
        datetime(2024, 7, 1, 13, tzinfo=UTC)
    ]


def test_the_first_pass_of_a_repeated_wall_time_is_on_call_from_its_first_instance() -> None:
    """fold=0, RFC 5545's reading: the first 01:30 of New York's fall-back night (EDT)."""
    shift = shiftcalc.Shift(
        type="single_event", start=datetime(2024, 11, 3, 1, 30), duration=timedelta(minutes=20),
        users=("a",),
    )  # fmt: skip
    schedule = shiftcalc.Schedule(time_zone="America/New_York", shifts=(shift,))
    window = shiftcalc.Window(
        start=datetime(2024, 11, 3, tzinfo=UTC), end=datetime(2024, 11, 4, tzinfo=UTC)
    )
    rows = shiftcalc.resolve(schedule, window).shifts
    assert [(row.start, row.end) for row in rows] == [
        (datetime(2024, 11, 3, 5, 30, tzinfo=UTC), datetime(2024, 11, 3, 5, 50, tzinfo=UTC))
    ]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda r: shiftcalc.quality_report(r.shifts, r.window), "events[0]"),
        (lambda r: shiftcalc.hours_on_call(r.events), "rows[0]"),
        (lambda r: shiftcalc.final_shifts_json([*r.shifts, 1], shiftcalc.Schedule()), "rows"),
        (lambda r: shiftcalc.resolve_many(5), "items"),
        (lambda r: shiftcalc.resolve_many(json.dumps(LONDON_DAILY)), "items"),
        (lambda r: shiftcalc.next_handoffs(shiftcalc.Schedule(), r.window.start, horizon=5),
         "horizon"),
        (lambda r: shiftcalc.next_handoffs(
            shiftcalc.Schedule(), r.window.start, horizon=timedelta(days=-5)), "horizon"),
    ],
)  # fmt: skip
def test_values_of_the_wrong_type_are_refused_naming_the_argument(
    call: Callable[[shiftcalc.Resolution], object], field: str
) -> None:
    """A TypeError or an AttributeError from deep inside (a tester found five) is a
    ValidationError naming the argument, and the first value of the wrong type in it."""
    with pytest.raises(shiftcalc.ValidationError) as raised:
        call(RESOLUTION)
    expected = f"rows[{len(ROWS)}]" if field == "rows" else field
    assert raised.value.field == expected


def test_a_pytz_zone_given_as_tzinfo_is_refused_naming_the_argument() -> None:
    """``datetime(..., tzinfo=pytz.timezone(...))`` has the zone's local mean time of 1883
    (-04:56 in New York), the classic pytz trap: it was taken silently (a tester found).
    Refused where an instant enters; a localized value, or one in the LMT years, passes."""
    new_york = pytz.timezone("America/New_York")
    with pytest.raises(shiftcalc.ValidationError, match=r"\(-04:56, local mean time\)") as raised:
        shiftcalc.on_call_at(SCHEDULE, datetime(2024, 3, 30, 12, tzinfo=new_york))
    assert raised.value.field == "at"
    localized = new_york.localize(datetime(2024, 3, 30, 12))
    assert shiftcalc.on_call_at(SCHEDULE, localized) == shiftcalc.on_call_at(
        SCHEDULE, localized.astimezone(UTC)
    )
    assert shiftcalc.on_call_at(SCHEDULE, datetime(1850, 1, 1, tzinfo=new_york)) == ()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"schedule": None, "window": WINDOW}, "schedule"),
        ({"schedule": SCHEDULE, "window": (AT, AT)}, "window"),
        ({"schedule": SCHEDULE, "window": WINDOW, "now": datetime(2024, 3, 30)}, "now"),
    ],
)
def test_a_scenario_checks_its_fields_on_construction(fields: dict[str, Any], field: str) -> None:
    """As Shift and Schedule do: a Scenario of None was taken (a tester found), and failed
    later, wherever it was used."""
    with pytest.raises(shiftcalc.ValidationError) as raised:
        shiftcalc.Scenario(**fields)
    assert raised.value.field == field
