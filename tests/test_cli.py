"""The command line: the contract forms, output formats, and one-line errors with exit status 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scenario_builders import LONDON_DAILY
from shiftcalc.__main__ import main

# Reference §4 S27 (the docs example of final_shifts): weekday rotation, per-occurrence turns.
S27: dict[str, Any] = {
    "schedule": {"type": "web", "time_zone": "UTC"},
    "shifts": [
        {
            "type": "rolling_users",
            "level": 1,
            "start": "2023-01-01T09:00:00",
            "rotation_start": "2023-01-01T09:00:00",
            "until": "2023-01-29T09:00:00",
            "duration": 28800,
            "frequency": "daily",
            "interval": 1,
            "by_day": ["MO", "WE", "FR"],
            "rolling_users": [["alice"], ["bob"]],
            "start_rotation_from_user_index": 0,
        }
    ],
    "window": {"start": "2023-01-01T18:00:00Z", "end": "2023-02-01"},
}
S27_DAYS = {"alice": [2, 6, 11, 16, 20, 25], "bob": [4, 9, 13, 18, 23, 27]}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run main(argv); return the status, stdout and stderr."""
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path: Path, data: Any, name: str = "scenario.json") -> str:
    """Write a scenario file and return its path."""
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("profile", ["oncall", "strict"])
def test_s27_final_shifts_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: str
) -> None:
    """The docs example: 12 rows of 09:00-17:00Z, alice and bob alternating on MO/WE/FR."""
    status, out, err = run(["final-shifts", write(tmp_path, S27), "--profile", profile], capsys)
    doc = json.loads(out)
    expected = sorted(
        (user, f"2023-01-{day:02d}T09:00:00Z", f"2023-01-{day:02d}T17:00:00Z")
        for user, days in S27_DAYS.items()
        for day in days
    )
    actual = sorted((r["user_pk"], r["shift_start"], r["shift_end"]) for r in doc["results"])
    assert (status, err) == (0, "")
    assert actual == expected
    envelope = (doc["count"], doc["next"], doc["previous"], doc["current_page_number"])
    assert envelope == (12, None, None, 1)
    assert (doc["page_size"], doc["total_pages"]) == (50, 1)


def test_s27_hours(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """48 hours each for alice and bob."""
    status, out, _ = run(["final-shifts", write(tmp_path, S27), "--format", "hours"], capsys)
    assert (status, out) == (0, "user_pk,user_email,hours_on_call\nalice,,48\nbob,,48\n")


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """'-' reads the scenario from standard input."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(S27)))
    status, out, _ = run(["final-shifts", "-", "--format", "csv"], capsys)
    assert status == 0
    assert len(out.splitlines()) == 13


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_demo_prints_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    """'demo' prints the bundled example as a table."""
    status, demo, _ = run(["demo"], capsys)
    assert status == 0
    assert demo.splitlines()[0].startswith("user   start (Europe/London)")


def test_no_file_reads_piped_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """'final-shifts --format csv < mine.json' computes mine.json, not the bundled example."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(S27)))
    piped = run(["final-shifts", "--format", "csv"], capsys)
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(S27)))
    assert piped == run(["final-shifts", "-", "--format", "csv"], capsys)
    assert len(piped[1].splitlines()) == 13


def test_no_file_at_a_terminal_points_to_demo(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal())
    status, out, err = run(["final-shifts"], capsys)
    assert (status, out) == (2, "")
    assert "no scenario given" in err
    assert "shiftcalc demo" in err


def test_empty_standard_input_is_an_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert run(["final-shifts"], capsys) == (
        2,
        "",
        "shiftcalc: error: scenario: the input is empty (got '-')\n",
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import shiftcalc

    status, out, _ = run(["--version"], capsys)
    assert (status, out) == (0, f"shiftcalc {shiftcalc.__version__}\n")


def test_profile_help_says_what_each_profile_is(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["final-shifts", "--help"], capsys)
    assert status == 0
    text = " ".join(out.split())
    assert "strict (default): the documented behaviour" in text
    assert "oncall: exactly what Grafana OnCall's engine computes" in text


def test_window_option_replaces_the_scenarios_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--window START END computes the same rows as a scenario with that window."""
    narrowed = {**S27, "window": {"start": "2023-01-09", "end": "2023-01-16"}}
    expected = run(
        ["final-shifts", write(tmp_path, narrowed, "n.json"), "--format", "csv"], capsys
    )
    path = write(tmp_path, S27)
    actual = run(
        ["final-shifts", path, "--format", "csv", "--window", "2023-01-09", "2023-01-16"], capsys
    )
    assert actual == expected
    assert len(actual[1].splitlines()) == 4  # header, Mon 9 alice, Wed 11 bob, Fri 13 alice


@pytest.mark.parametrize(
    "argv",
    [
        ["final-shifts", "{path}", "--window", "2024-03-30T09:00:00Z", "2024-03-31T12:00:00Z"],
        ["show", "{path}", "--window", "2024-03-30T09:00:00Z", "2024-03-31T12:00:00Z"],
        ["diff", "{path}", "{path}", "--window", "2024-03-30T09:00:00Z", "2024-03-31T12:00:00Z"],
        ["conflicts", "{path}", "--window", "2024-03-30T09:00:00Z", "2024-03-31T12:00:00Z"],
        ["explain", "{path}", "--at", "2024-03-30T12:00:00Z"],
        ["coverage", "{path}", "--since", "2024-03-30T09:00:00Z", "--until", "2024-04-02"],
    ],
)
def test_oncall_reads_no_window_that_the_command_replaces(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--profile oncall refuses a window over 365 days, but a scenario's own window that
    --window (or --at, or --since) replaces is not read: every command answers as for the
    same scenario with a short window (each refused the long one before)."""
    long = {**LONDON_DAILY, "window": {"start": "2024-01-01", "end": "2026-01-01"}}
    short = write(tmp_path, LONDON_DAILY, "short.json")
    path = write(tmp_path, long, "long.json")
    expected = run([a.format(path=short) for a in argv] + ["--profile", "oncall"], capsys)
    actual = run([a.format(path=path) for a in argv] + ["--profile", "oncall"], capsys)
    assert actual == expected
    assert actual[0] in (0, 1) and actual[1]  # an answer (diff of equal sides: 0)
    # without a replacement the long window is the scenario's, and oncall refuses it
    status, _, err = run(["final-shifts", path, "--profile", "oncall"], capsys)
    assert status == 2 and "window.end" in err and "365 days" in err


def test_window_option_backwards_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        ["final-shifts", write(tmp_path, S27), "--window", "2023-01-16", "2023-01-09"], capsys
    )
    assert (status, out) == (2, "")
    assert err.startswith("shiftcalc: error: --window end: ")


def test_ics_has_one_event_per_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format ics prints a calendar with one VEVENT per final-shift row, CRLF lines."""
    path = write(tmp_path, S27)
    status, out, err = run(["final-shifts", path, "--format", "ics"], capsys)
    assert (status, err) == (0, "")
    rows = json.loads(run(["final-shifts", path], capsys)[1])["results"]
    assert out.startswith("BEGIN:VCALENDAR\r\n")
    assert out.count("BEGIN:VEVENT") == len(rows) == 12


def _calendar_with_a_bad_vevent(tmp_path: Path) -> str:
    """A scenario file: an iCal schedule of alice's good VEVENT and bob's with a bad RRULE."""
    calendar = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            "BEGIN:VEVENT",
            "UID:good@test",
            "DTSTART:20240101T090000Z",
            "DTEND:20240101T170000Z",
            "SUMMARY:alice",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:bad@test",
            "DTSTART:20240101T090000Z",
            "DTEND:20240101T170000Z",
            "RRULE:FREQ=SOMETIMES",
            "SUMMARY:bob",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    scenario = {
        "schedule": {"type": "ical", "ical_primary": calendar},
        "users": ["alice", "bob"],
        "shifts": [],
        "window": {"start": "2024-01-01", "end": "2024-01-02"},
    }
    return write(tmp_path, scenario)


def test_calendar_errors_skip_reports_each_component(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--calendar-errors skip leaves a bad VEVENT out and says so on stderr; raise fails."""
    path = _calendar_with_a_bad_vevent(tmp_path)
    status, out, err = run(["final-shifts", path, "--calendar-errors", "skip"], capsys)
    assert status == 0
    assert [row["user_pk"] for row in json.loads(out)["results"]] == ["alice"]
    assert len(err.splitlines()) == 1
    assert "bad@test" in err and "RRULE" in err
    status, out, err = run(["final-shifts", path], capsys)
    assert (status, out, len(err.splitlines())) == (2, "", 1)
    assert "bad@test" in err


def test_show_takes_the_resolution_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """show resolves as final-shifts does: --calendar-errors skip draws the rest and warns
    (raise fails), and --durations elapsed draws elapsed lengths (the London daily rotation of
    test_durations_elapsed_against_wall_clock: bob's Saturday shift ends 08:00Z or 09:00Z)."""
    path = _calendar_with_a_bad_vevent(tmp_path)
    status, out, err = run(["show", path, "--format", "svg", "--calendar-errors", "skip"], capsys)
    assert status == 0
    assert 'data-user="alice"' in out and 'data-user="bob"' not in out
    assert len(err.splitlines()) == 1 and "bad@test" in err
    status, out, err = run(["show", path], capsys)
    assert (status, out, len(err.splitlines())) == (2, "", 1)
    assert "bad@test" in err
    path = write(tmp_path, LONDON_DAILY, "london.json")
    for durations, end in (("wall", "08:00"), ("elapsed", "09:00")):
        status, out, _ = run(["show", path, "--format", "svg", "--durations", durations], capsys)
        assert status == 0
        for lane in ("L0", "final"):  # the layer lane is expanded with the same options
            block = f'data-lane="{lane}" data-start="2024-03-30T09:00:00Z"'
            assert f'{block} data-end="2024-03-31T{end}:00Z" data-user="bob"' in out


def test_coverage_takes_durations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """coverage --durations elapsed: the London daily rotation's 24-hour shifts leave an hour
    uncovered at the October change (09:00 BST + 24 h = 08:00 GMT, the next starts 09:00 GMT);
    wall-clock shifts (the default) end at 09:00 local and cover all time."""
    path = write(tmp_path, LONDON_DAILY)
    status, out, _ = run(["coverage", path], capsys)
    assert status == 0 and out.startswith("covered:")
    status, out, _ = run(["coverage", path, "--durations", "elapsed"], capsys)
    assert status == 1
    assert out.splitlines()[0].startswith(
        "uncovered: nobody on call from 2024-10-27 08:00:00Z to 2024-10-27 09:00:00Z"
    )


def test_occurrences_rfc5545_daily_count(capsys: pytest.CaptureFixture[str]) -> None:
    """RFC 5545: FREQ=DAILY;COUNT=3 from 1997-09-02T09:00 New York."""
    argv = ["occurrences", "--dtstart", "1997-09-02T09:00:00", "--tz", "America/New_York"]
    status, out, _ = run([*argv, "--rrule", "FREQ=DAILY;COUNT=3"], capsys)
    expected = [
        "1997-09-02T09:00:00-04:00",
        "1997-09-03T09:00:00-04:00",
        "1997-09-04T09:00:00-04:00",
    ]
    assert (status, out.splitlines()) == (0, expected)


def test_occurrences_count_between_exdate_rdate(capsys: pytest.CaptureFixture[str]) -> None:
    """--exdate/--rdate take comma lists; --between is inclusive; --count stops early."""
    argv = ["occurrences", "--dtstart", "2024-01-01T09:00:00", "--rrule", "FREQ=DAILY"]
    argv += [
        "--exdate",
        "2024-01-02T09:00:00,2024-01-03T09:00:00",
        "--rdate",
        "2024-01-02T12:00:00",
    ]
    status, out, _ = run(
        [*argv, "--between", "2024-01-02T00:00:00", "2024-01-05T09:00:00"], capsys
    )
    expected = ["2024-01-02T12:00:00", "2024-01-04T09:00:00", "2024-01-05T09:00:00"]
    assert (status, out.splitlines()) == (0, expected)
    status, out, _ = run([*argv, "--count", "2"], capsys)
    assert (status, out.splitlines()) == (0, ["2024-01-01T09:00:00", "2024-01-02T12:00:00"])


BAD_INPUTS = [
    ("malformed JSON", '{"shifts": [', "invalid JSON"),
    ("a list at the top", "[1, 2]", "expected an object"),
    ("a scalar at the top", "42", "expected an object"),
    ("empty file", "", "scenario: the input is empty"),
    (
        "unknown user",
        {
            "users": ["alice"],
            "shifts": [
                {
                    "type": "rolling_users",
                    "start": "2024-01-01T09:00:00",
                    "duration": 3600,
                    "frequency": "daily",
                    "rolling_users": [["alice"], ["fuzz"]],
                    "start_rotation_from_user_index": 0,
                }
            ],
            "window": {"start": "2024-01-01", "end": "2024-01-02"},
        },
        "shifts[0].rolling_users[1]: User does not exist {'fuzz'}",
    ),
    ("a list for shifts", {"shifts": {}, "window": {}}, "shifts: expected a list"),
]


@pytest.mark.parametrize(
    ("content", "message"), [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS]
)
def test_bad_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Any, message: str
) -> None:
    """Bad scenarios exit 2 with one 'shiftcalc: error:' line naming the problem."""
    status, out, err = run(["final-shifts", write(tmp_path, content)], capsys)
    assert (status, out, len(err.splitlines())) == (2, "", 1)
    assert err.startswith("shiftcalc: error: ")
    assert message in err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file is one error line, exit 2."""
    status, _, err = run(["final-shifts", "/nonexistent/s.json"], capsys)
    assert (status, err) == (
        2,
        "shiftcalc: error: scenario: no such file (got '/nonexistent/s.json')\n",
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["occurrences", "--dtstart", "2024-01-01T09:00:00", "--rrule", "FREQ=SOMETIMES"],
        ["occurrences", "--dtstart", "2024-01-01T09:00:00", "--rrule", "FREQ=DAILY;COUNT=x"],
        ["occurrences", "--dtstart", "yesterday", "--rrule", "FREQ=DAILY;COUNT=2"],
        [
            "occurrences",
            "--dtstart",
            "2024-01-01T09:00:00",
            "--tz",
            "Mars/X",
            "--rrule",
            "FREQ=DAILY",
        ],
    ],
)
def test_bad_occurrences_input(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A bad rrule, start or zone: exit 2, one error line."""
    status, out, err = run(argv, capsys)
    assert (status, out, len(err.splitlines())) == (2, "", 1)
    assert err.startswith("shiftcalc: error: ")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse usage errors exit 2."""
    assert run(["final-shifts", "--format", "pdf"], capsys)[0] == 2
    assert run([], capsys)[0] == 2
    assert run(["occurrences", "--rrule", "FREQ=DAILY"], capsys)[0] == 2


@pytest.mark.parametrize(
    "content", ['{"shifts": [', "[]", '{"shifts": [{"type": "single_event"}], "window": 1}']
)
def test_no_traceback_in_a_real_process(tmp_path: Path, content: str) -> None:
    """python -m shiftcalc: one stderr line, exit 2, no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "shiftcalc", "final-shifts", write(tmp_path, content)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, len(result.stderr.splitlines())) == (2, 1)
    assert "Traceback" not in result.stderr


def test_durations_elapsed_against_wall_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--durations: a daily 09:00 London hand-off across the March change.

    Wall clock (default): every shift ends at 09:00 local, so the one starting Saturday
    09:00 GMT ends Sunday 09:00 BST = 08:00Z (23 h). Elapsed: it lasts 24 h, to 09:00Z.
    """
    path = write(tmp_path, LONDON_DAILY)
    _, wall, _ = run(["final-shifts", path, "--format", "csv"], capsys)
    _, elapsed, _ = run(
        ["final-shifts", path, "--format", "csv", "--durations", "elapsed"], capsys
    )
    assert wall.splitlines()[1].split(",")[3:] == ["2024-03-30T09:00:00Z", "2024-03-31T08:00:00Z"]
    assert elapsed.splitlines()[1].split(",")[3:] == [
        "2024-03-30T09:00:00Z",
        "2024-03-31T09:00:00Z",
    ]


def test_untaken_swap_past_due_is_ignored_with_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """oncall: an untaken swap splits the beneficiary's shift (§3.4) unless ``now`` is after
    its start (past due), in which case OnCall ignores it; strict never changes anything."""
    scenario: dict[str, Any] = {
        "shifts": [
            {
                "type": "single_event",
                "start": "2024-01-10T09:00:00",
                "duration": 8 * 3600,
                "users": ["alice"],
            }
        ],
        "swaps": [
            {
                "beneficiary": "alice",
                "benefactor": None,
                "swap_start": "2024-01-10T12:00:00Z",
                "swap_end": "2024-01-10T13:00:00Z",
            }
        ],
        "window": {"start": "2024-01-10", "end": "2024-01-11"},
    }

    def rows(document: dict[str, Any], profile: str) -> list[tuple[str, str]]:
        path = write(tmp_path, document)
        status, out, err = run(["final-shifts", path, "--profile", profile], capsys)
        assert (status, err) == (0, "")
        return [
            (r["shift_start"][11:16], r["shift_end"][11:16]) for r in json.loads(out)["results"]
        ]

    split = [("09:00", "12:00"), ("12:00", "13:00"), ("13:00", "17:00")]
    assert rows(scenario, "oncall") == split
    assert rows({**scenario, "now": "2024-01-09T00:00:00Z"}, "oncall") == split
    assert rows({**scenario, "now": "2024-01-10T12:30:00Z"}, "oncall") == [("09:00", "17:00")]
    assert rows(scenario, "strict") == [("09:00", "17:00")]


def test_occurrences_between_backwards_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["occurrences", "--dtstart", "2024-01-01T09:00:00", "--rrule", "FREQ=DAILY"]
    status, out, err = run([*argv, "--between", "2024-02-01", "2024-01-01"], capsys)
    assert (status, out) == (2, "")
    assert err == (
        "shiftcalc: error: --between: END is before START 2024-02-01 (got '2024-01-01')\n"
    )


@pytest.mark.parametrize("dtstart", ["2024-01-01T09:00:00Z", "2024-01-01", "20240101T090000Z"])
def test_occurrences_tz_that_would_be_ignored_is_refused(
    dtstart: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--tz changes nothing for a UTC or date DTSTART: an error says so instead of ignoring it."""
    argv = ["occurrences", "--dtstart", dtstart, "--tz", "Europe/London"]
    status, out, err = run([*argv, "--rrule", "FREQ=DAILY;COUNT=2"], capsys)
    assert (status, out) == (2, "")
    assert err.startswith("shiftcalc: error: --tz: --dtstart")
    assert "drop --tz" in err


def test_occurrences_tz_with_an_offset_dtstart_converts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["occurrences", "--dtstart", "2024-01-01T09:00:00+01:00", "--tz", "Europe/London"]
    assert run([*argv, "--rrule", "FREQ=DAILY;COUNT=1"], capsys) == (
        0,
        "2024-01-01T08:00:00+00:00\n",
        "",
    )


def test_occurrences_of_an_endless_rule_stop_at_the_default_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """FREQ=DAILY with no COUNT, UNTIL, --count or --between: 1000 lines and a note."""
    argv = ["occurrences", "--dtstart", "2024-01-01T09:00:00", "--rrule", "FREQ=DAILY"]
    status, out, err = run(argv, capsys)
    lines = out.splitlines()
    assert (status, len(lines), lines[0], lines[-1]) == (
        0,
        1000,
        "2024-01-01T09:00:00",
        "2026-09-26T09:00:00",
    )
    assert err == (
        "shiftcalc: note: the rule has no end; stopped after 1000 instances "
        "(use --count N or --between START END)\n"
    )


@pytest.mark.parametrize(
    ("extra", "lines"),
    [
        (["--count", "1500"], 1500),
        (["--between", "2024-01-01", "2030-01-01"], 2192),
    ],
)
def test_occurrences_count_or_between_lift_the_default_limit(
    extra: list[str], lines: int, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["occurrences", "--dtstart", "2024-01-01T09:00:00", "--rrule", "FREQ=DAILY", *extra]
    status, out, err = run(argv, capsys)
    assert (status, len(out.splitlines()), err) == (0, lines, "")


def test_occurrences_bounded_rule_prints_every_instance(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["occurrences", "--dtstart", "2024-01-01T09:00:00", "--rrule", "FREQ=DAILY;COUNT=1200"]
    status, out, err = run(argv, capsys)
    assert (status, len(out.splitlines()), err) == (0, 1200, "")


def test_an_unexpected_failure_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug of shiftcalc's (here: a forced one) exits 70 with one line naming it."""
    import shiftcalc.__main__ as cli

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("forced")

    monkeypatch.delenv("SHIFTCALC_DEBUG", raising=False)
    monkeypatch.setattr(cli, "resolve", broken)
    status, out, err = run(["demo"], capsys)
    assert (status, out) == (70, "")
    assert err == (
        "shiftcalc: internal error: ZeroDivisionError: forced "
        "(a bug; SHIFTCALC_DEBUG=1 shows the traceback)\n"
    )


CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a1\r\nDTSTART:20240304T090000Z\r\nDTEND:20240304T170000Z\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:alice\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:g1\r\nDTSTART:20240306T090000Z\r\nDTEND:20240306T100000Z\r\n"
    "SUMMARY:ghost\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_a_calendar_file_is_an_ical_schedule_with_a_default_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .ics file runs as an ical schedule whose names are its users; without --window it
    covers four weeks from its first event, and says so."""
    path = write(tmp_path, CALENDAR, "team.ics")
    status, out, err = run(["final-shifts", path, "--format", "csv"], capsys)
    assert status == 0
    assert out.splitlines()[1:] == [
        "alice,,alice,2024-03-04T09:00:00Z,2024-03-04T17:00:00Z",
        "ghost,,ghost,2024-03-06T09:00:00Z,2024-03-06T10:00:00Z",
        "alice,,alice,2024-03-11T09:00:00Z,2024-03-11T17:00:00Z",
        "alice,,alice,2024-03-18T09:00:00Z,2024-03-18T17:00:00Z",
    ]
    assert err == (
        "shiftcalc: note: window 2024-03-04 to 2024-04-01, four weeks from the calendar's "
        "first event (set it with --window START END)\n"
    )


def test_a_calendar_file_takes_the_window_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, CALENDAR, "team.ics")
    argv = ["final-shifts", path, "--format", "csv", "--window", "2024-03-10", "2024-03-12"]
    status, out, err = run(argv, capsys)
    assert (status, err) == (0, "")
    assert out.splitlines()[1:] == ["alice,,alice,2024-03-11T09:00:00Z,2024-03-11T17:00:00Z"]


def test_unresolved_calendar_names_are_warned_about_and_listed_in_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a directory, a calendar name that matches nobody is one warning line on stderr
    (whatever the format) and a line under the table."""
    scenario = {
        "schedule": {"type": "ical", "ical_primary": CALENDAR},
        "users": ["alice"],
        "shifts": [],
        "window": {"start": "2024-03-04", "end": "2024-03-08"},
    }
    path = write(tmp_path, scenario)
    warning = (
        "shiftcalc: warning: 'ghost' (SUMMARY of VEVENT[UID=g1, line 11], primary calendar) "
        "matches no user\n"
    )
    status, out, err = run(["final-shifts", path, "--format", "csv"], capsys)
    assert (status, err) == (0, warning)
    assert len(out.splitlines()) == 2  # the header and alice's Monday
    status, out, err = run(["final-shifts", path, "--format", "table"], capsys)
    assert (status, err) == (0, warning)
    assert out.splitlines()[-1] == (
        "unresolved: 'ghost' (SUMMARY of VEVENT[UID=g1, line 11], primary calendar) "
        "matches no user"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["final-shifts", "{path}", "--format", "table"],
        ["explain", "{path}", "--at", "2024-03-30T12:00:00Z", "--user", "UEVIL"],
        ["coverage", "{path}", "--until", "2024-04-01", "--min-users", "2"],
        ["diff", "{path}", "{other}"],
        ["conflicts", "{path}", "{path}"],
        ["show", "{path}"],
    ],
)
def test_texts_for_people_show_no_control_characters_of_a_name(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A username holding a control character, a terminal escape and a newline comes out as
    ``?``s in every text for people, on one line (the table printed them raw: a name could
    drive the terminal, or split a row); the other lines are as they were."""
    evil = "bad\x01name\x1b[31m\nx"  # a newline too: it made two lines of one (for_people)
    users = [{"id": "UEVIL", "username": evil}, {"id": "UBOB", "username": "bob"}]
    daily = json.loads(json.dumps(LONDON_DAILY))
    daily["shifts"][0]["rolling_users"] = [["UEVIL"], ["UBOB"]]
    path = write(tmp_path, {**daily, "users": users}, "evil.json")
    other = {**daily, "users": users, "shifts": []}
    other_path = write(tmp_path, other, "other.json")
    status, out, _ = run([a.format(path=path, other=other_path) for a in argv], capsys)
    assert status in (0, 1, 3) and out
    assert "bad?name?[31m?x" in out
    assert not any(c != "\n" and not c.isprintable() for c in out)


def test_durations_elapsed_with_oncall_warns_that_it_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """oncall gives OnCall's own lengths whatever ``durations`` is: the option changes
    nothing there, and the CLI says so (it was ignored silently)."""
    path = write(tmp_path, LONDON_DAILY)
    plain = run(["final-shifts", path, "--profile", "oncall"], capsys)
    status, out, err = run(
        ["final-shifts", path, "--profile", "oncall", "--durations", "elapsed"], capsys
    )
    assert (status, out) == plain[:2] and plain[2] == ""
    assert err == (
        "shiftcalc: warning: --durations elapsed changes strict shifts only; --profile oncall"
        " gives OnCall's own lengths\n"
    )
    assert run(["final-shifts", path, "--durations", "elapsed"], capsys)[2] == ""


@pytest.mark.parametrize("fmt", ["json", "csv", "table", "hours"])
def test_holidays_without_the_quality_format_is_refused(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the quality report weighs holidays: with another format the file was ignored
    (not even read), silently."""
    path = write(tmp_path, LONDON_DAILY)
    holidays = tmp_path / "h.json"
    holidays.write_text('["2024-03-31"]')
    status, out, err = run(
        ["final-shifts", path, "--format", fmt, "--holidays", str(holidays)], capsys
    )
    assert (status, out) == (2, "")
    assert "--holidays: only --format quality weighs holidays" in err
    assert (
        run(["final-shifts", path, "--format", "quality", "--holidays", str(holidays)], capsys)[0]
        == 0
    )


@pytest.mark.parametrize("errors", [[], ["--calendar-errors", "skip"]])
def test_a_uid_with_escape_sequences_does_not_drive_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], errors: list[str]
) -> None:
    """Every line on stderr is printable: a subscribed calendar's UID with an escape sequence
    set the window title and cleared the screen through the error and the skip warning (a
    tester found)."""
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:e1\x1b]0;pwned\x07\x1b[2J\r\n"
        "DTSTART:20240101T090000Z\r\nDTEND:20240101T100000Z\r\nRRULE:FREQ=BOGUS\r\n"
        "SUMMARY:alice\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    path = tmp_path / "evil.ics"
    path.write_text(calendar, newline="")
    status, _, err = run(
        ["final-shifts", str(path), "--window", "2024-01-01", "2024-01-02", *errors], capsys
    )
    assert status == (0 if errors else 2)
    assert "VEVENT[UID=e1?]0;pwned??[2J, line 3].RRULE" in err
    assert err.isascii() and all(line.isprintable() for line in err.splitlines())


@pytest.mark.parametrize(
    ("options", "field"),
    [
        (["--dtstart", "garbage"], "--dtstart"),
        (["--dtstart", "2024-01-01T09:00:00", "--exdate", "nope"], "--exdate"),
        (["--dtstart", "2024-01-01T09:00:00", "--rdate", "2024-01-05,nope"], "--rdate"),
        (["--dtstart", "2024-01-01T09:00:00", "--between", "2024-01-01", "x"], "--between"),
        (["--dtstart", "garbage", "--tz", "Europe/London"], "--dtstart"),
    ],
)
def test_occurrences_names_the_option_of_a_bad_instant(
    capsys: pytest.CaptureFixture[str], options: list[str], field: str
) -> None:
    """The error named ``instance``, the parser's word, not the option (a tester found)."""
    status, _, err = run(["occurrences", *options, "--rrule", "FREQ=DAILY;COUNT=2"], capsys)
    assert status == 2
    assert err.startswith(f"shiftcalc: error: {field}: must be YYYY-MM-DD")


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["final-shifts", "x.json", "--format", "bogus"], "argument --format: invalid choice"),
        (["bogus"], "argument COMMAND: invalid choice"),
        (["occurrences", "--count", "abc", "--dtstart", "2024-01-01", "--rrule", "FREQ=DAILY"],
         "argument --count: invalid int value: 'abc'"),
        (["final-shifts", "a.json", "b.json"], "unrecognized arguments: b.json"),
        ([], "the following arguments are required: COMMAND"),
    ],
)  # fmt: skip
def test_a_usage_error_is_one_line_naming_the_argument(
    capsys: pytest.CaptureFixture[str], argv: list[str], named: str
) -> None:
    """Bad input is one line on stderr and status 2 (the contract): argparse printed its
    usage block of up to seven lines first (a tester found)."""
    status, out, err = run(argv, capsys)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("shiftcalc: error: shiftcalc")
    assert named in err
