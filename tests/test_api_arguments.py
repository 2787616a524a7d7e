"""Arguments of the wrong type given to the public API: a ValidationError naming the argument
and showing the value, never an AttributeError or TypeError from deep inside (found by
trying the API as a new user would)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
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
