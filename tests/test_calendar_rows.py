"""The resolution's own calendar rows (``ical.calendar_rows`` with a row factory) equal what
the careful path makes of each record's Interval: ``_merge.span_of`` in strict,
``oncall.resolution.records_of`` in oncall. Checked on every calendar of the engine's
vectors, both profiles, primary and overrides, raise and skip modes."""

from __future__ import annotations

from typing import Any

import pytest

from shiftcalc import CalendarError
from shiftcalc._merge import span_of, span_row
from shiftcalc._model import origin_of
from shiftcalc.ical import calendar_records, calendar_rows
from shiftcalc.oncall.resolution import calendar_record, records_of
from test_ical_vectors import CASES, RANDOM, _schedule, _window

CALENDARS = [
    (case["name"], kind)
    for case in CASES + RANDOM
    for kind in ("ical_primary", "ical_overrides")
    if case["schedule"].get(kind)
]
BY_NAME = {case["name"]: case for case in CASES + RANDOM}


def resolved(rows: list[Any]) -> list[Any]:
    """Rows with their provenance as the Origin it stands for (a row may carry a reference)."""
    return [(*row[:-1], None if row[-1] is None else origin_of(row[-1])) for row in rows]


@pytest.mark.parametrize("profile", ["strict", "oncall"])
@pytest.mark.parametrize(("name", "kind"), CALENDARS, ids=[f"{n}-{k}" for n, k in CALENDARS])
def test_calendar_rows_equal_the_records_made_careful_way(
    profile: Any, name: str, kind: str
) -> None:
    case = BY_NAME[name]
    schedule, window = _schedule(case), _window(case)
    text = case["schedule"][kind]
    options: dict[str, Any] = {
        "profile": profile,
        "overrides": kind == "ical_overrides",
        "on_error": "skip",
    }
    careful = calendar_records(text, schedule, window, **options)
    if profile == "strict":
        expected: list[Any] = [span_of(record) for record in careful]
        found = calendar_rows(text, schedule, window, span_row, **options)
    else:
        expected = records_of(careful)
        found = calendar_rows(text, schedule, window, calendar_record, **options)
    assert resolved(found) == resolved(expected)
    try:
        raised = calendar_records(text, schedule, window, **{**options, "on_error": "raise"})
    except CalendarError:
        with pytest.raises(CalendarError):
            row = span_row if profile == "strict" else calendar_record
            calendar_rows(text, schedule, window, row, **{**options, "on_error": "raise"})
    else:
        assert len(raised) == len(careful)
