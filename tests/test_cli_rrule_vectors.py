"""The RFC 5545 vectors through ``shiftcalc occurrences``, compared as printed text.

External checks drive the recurrence engine through this command, so the printed form is the
contract: local time with offset for a zoned start, ``Z`` for UTC, none for floating, and
``YYYY-MM-DD`` for a date.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import VECTORS, read_jsonl
from shiftcalc.__main__ import main

CASES = read_jsonl(VECTORS / "rfc5545-rrule.jsonl")


def _argv(case: dict[str, Any]) -> list[str]:
    argv = ["occurrences", "--dtstart", case["dtstart"], "--rrule", case["rrule"]]
    if case["tzid"]:
        argv += ["--tz", case["tzid"]]
    for value in case.get("exdate") or ():
        argv += ["--exdate", value]
    for value in case.get("rdate") or ():
        argv += ["--rdate", value]
    if case.get("count_limit"):
        argv += ["--count", str(case["count_limit"])]
    if case.get("window"):
        argv += ["--between", case["window"]["start"], case["window"]["end"]]
    return argv


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_occurrences_command_prints_the_vector(
    case: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """One instance per line, exactly the vector's text (strict reading of the disputed case)."""
    status = main(_argv(case))
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert out.splitlines() == (case.get("strict_expected") or case["expected"])
