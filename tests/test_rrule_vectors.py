"""The RFC 5545 recurrence vectors (``tests/vectors/rfc5545-rrule.jsonl``).

Each case is expanded with :func:`shiftcalc._recurrence.occurrences` and compared, instant and
offset alike, through :func:`format_instance` (which normalises a zoned value to its zone).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from conftest import VECTORS, read_jsonl
from shiftcalc._recurrence import format_instance, occurrences, parse_instance
from shiftcalc._tz import get_zone


def _cases() -> list[Any]:
    cases = read_jsonl(VECTORS / "rfc5545-rrule.jsonl")
    return [pytest.param(case, id=case["id"]) for case in cases]


@pytest.mark.parametrize("case", _cases())
def test_vector(case: dict[str, Any]) -> None:
    """The case's set (RRULE from DTSTART, + RDATE, - EXDATE), limited as the README says."""
    tz = get_zone(case["tzid"]) if case["tzid"] else None
    dtstart = parse_instance(case["dtstart"], tz)
    window = case.get("window")
    start = end = None
    if window:
        start, end = parse_instance(window["start"], tz), parse_instance(window["end"], tz)
    found = occurrences(
        case["rrule"],
        dtstart,
        start=start,
        end=end,
        end_inclusive=bool(window and window["inclusive"]),
        exdates=[parse_instance(v, tz) for v in case.get("exdate", ())],
        rdates=[parse_instance(v, tz) for v in case.get("rdate", ())],
    )
    if window and not window["inclusive"]:
        # between(inc=False) excludes its start too
        found = (v for v in found if v != start)
    limit = case.get("count_limit") or len(case["expected"]) + 10
    actual = [format_instance(v) for v in itertools.islice(found, limit)]
    expected = case["strict_expected"] if "disputed" in case["flags"] else case["expected"]
    assert actual == expected
