"""Fuzzing the command line: any argument list ends with exit 0 or 2, never 70 or a traceback.

Exit 70 is the CLI's "internal error" (an exception that is not a ShiftcalcError escaped the
library), so each example here would have been a bare traceback before the CLI caught it.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc.__main__ import main

INSTANTS = [
    "2024-01-01",
    "2024-03-31T01:30:00",
    "2024-01-01T09:00:00Z",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "20240101T090000",
    "2024-01-01T09:00:00+14:00",
]
RULES = [
    "FREQ=DAILY;COUNT=3",
    "FREQ=HOURLY;INTERVAL=168;BYDAY=TU",
    "FREQ=YEARLY;BYDAY=53TU;BYMONTH=4,1",
    "FREQ=MONTHLY;BYDAY=-1FR;BYSETPOS=1",
    "FREQ=WEEKLY;UNTIL=99991231T000000Z",
    "FREQ=DAILY;COUNT=" + "9" * 40,
    "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=23;COUNT=2",
    "FREQ=YEARLY",
    "FREQ=SECONDLY;COUNT=5",
    "FREQ=DAILY;INTERVAL=0",
]
ZONES = ["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Mars/Olympus"]


@st.composite
def occurrence_argv(draw: st.DrawFn) -> list[str]:
    argv = ["occurrences", "--dtstart", draw(st.sampled_from(INSTANTS))]
    argv += ["--rrule", draw(st.sampled_from(RULES))]
    if draw(st.booleans()):
        argv += ["--tz", draw(st.sampled_from(ZONES))]
    if draw(st.booleans()):
        argv += ["--count", str(draw(st.integers(-1, 50)))]
    if draw(st.booleans()):
        argv += ["--between", *draw(st.lists(st.sampled_from(INSTANTS), min_size=2, max_size=2))]
    for option in ("--exdate", "--rdate"):
        if draw(st.booleans()):
            argv += [option, ",".join(draw(st.lists(st.sampled_from(INSTANTS), max_size=3)))]
    return argv


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(argv=occurrence_argv())
def test_occurrences_command_never_fails_unexpectedly(argv: list[str]) -> None:
    out = io.StringIO()
    with hang_guard(30), _captured(out):
        status = main(argv)
    assert status in (0, 2), argv


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(max_size=200),
    window=st.none() | st.lists(st.sampled_from(INSTANTS), min_size=2, max_size=2),
    fmt=st.sampled_from(["json", "csv", "ics", "table", "hours", "quality"]),
)
def test_final_shifts_command_never_fails_unexpectedly(
    tmp_path_factory: pytest.TempPathFactory, text: str, window: list[str] | None, fmt: str
) -> None:
    path: Path = tmp_path_factory.mktemp("fuzz") / "scenario.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    argv = ["final-shifts", str(path), "--format", fmt, *(["--window", *window] if window else [])]
    with hang_guard(30), _captured(io.StringIO()):
        status = main(argv)
    assert status in (0, 2), argv


class _captured:
    """Send standard output and error to ``out`` while the CLI runs (no capsys in @given)."""

    def __init__(self, out: io.StringIO) -> None:
        self.out = out

    def __enter__(self) -> None:
        self.saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.out

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self.saved
