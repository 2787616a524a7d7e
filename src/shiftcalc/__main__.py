"""The ``shiftcalc`` command (also ``python -m shiftcalc``).

::

    shiftcalc final-shifts [SCENARIO.json|CALENDAR.ics|-] [--profile strict|oncall]
                           [--format json|csv|json-lines|ics|table|hours|quality]
                           [--window START END] [--holidays FILE]
    shiftcalc diff BEFORE.json AFTER.json [--window START END] [--format table|json|csv]
                   [--profile strict|oncall]
    shiftcalc conflicts A.json B.json ... [--window START END] [--time-off FILE]
                        [--format table|json] [--profile strict|oncall]
    shiftcalc explain SCENARIO --at INSTANT [--user NAME] [--profile strict|oncall]
                      [--format text|json]
    shiftcalc show [SCENARIO.json|CALENDAR.ics|-] [--profile strict|oncall] [--window START END]
                   [--format text|svg] [--output FILE]
    shiftcalc coverage SCENARIO.json [--since T] [--min-users K] [--until T]
                       [--horizon DAYS] [--profile strict|oncall]
    shiftcalc demo
    shiftcalc occurrences --dtstart 1997-09-02T09:00:00 [--tz America/New_York]
                          --rrule 'FREQ=DAILY;COUNT=10' [--exdate VALUE ...] [--rdate VALUE ...]
                          [--count N] [--between START END]
    shiftcalc --version

Bad input exits with status 2 and one line on standard error; nothing here prints a traceback
for it (an unexpected failure is one line too, exit 70, with the traceback only when
SHIFTCALC_DEBUG is set). All work happens in :func:`main`, so importing this module has no
side effects.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from importlib import resources
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeAlias, cast

from ._conflicts import conflicts, conflicts_document, conflicts_table, read_time_off
from ._coverage import DEFAULT_HORIZON, coverage, coverage_text
from ._diff import diff, diff_csv, diff_document, diff_table
from ._errors import ShiftcalcError, ValidationError
from ._expand import later
from ._explain import explain, explanation_document, explanation_text
from ._fairness import holiday_weights
from ._model import PROFILES, Profile, Window
from ._output import (
    final_shifts_json,
    hours_report_csv,
    printable,
    quality_document,
    shifts_csv,
    shifts_csv_lines,
    shifts_json_lines,
    table,
    to_json,
    unresolved_text,
)
from ._quality import quality_report
from ._recurrence import RecurrenceRule, format_instance, occurrences, parse_instance
from ._resolve import Resolution, resolve
from ._scenario import Scenario, load_scenario, parse_schedule, parse_window
from ._stream import iter_final_shifts
from ._timeline import timeline_text
from ._timeline_svg import timeline_svg
from ._tz import get_zone

if TYPE_CHECKING:
    from ._fairness import Weights
    from ._model import Schedule, SkippedComponent, UnresolvedName

__all__ = ["main"]

EXIT_OK = 0
EXIT_DIFFERENT = 1  # diff: the schedules differ (as diff(1) says it)
EXIT_BAD_INPUT = 2
EXIT_UNPROVEN = 3  # coverage: no gap within the horizon, but no proof for all time either
MAX_HORIZON_DAYS = 3_652_059  # the days from year 1 to 9999: a longer horizon means "all"
EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE: a bug of shiftcalc's, not of the input
FORMATS = ("json", "csv", "json-lines", "ics", "table", "hours", "quality")
# Written row by row as the stream computes them: memory stays flat over any window.
STREAMED_FORMATS = ("csv", "json-lines")
DIFF_FORMATS = ("table", "json", "csv")
EXPLAIN_FORMATS = ("text", "json")
EXAMPLE = "oncall-team.json"
# An RRULE with neither COUNT nor UNTIL, asked for without --count or --between, prints this
# many instances and says so on standard error, instead of running to the year 9999.
DEFAULT_LIMIT = 1000
PROFILE_HELP = (
    "strict (default): the documented behaviour, Grafana OnCall's defects fixed; "
    "oncall: exactly what Grafana OnCall's engine computes, quirks included"
)
CALENDAR_WINDOW = timedelta(days=28)  # a calendar file's default window, from its first event
NO_INPUT = (
    "no scenario given: name a file, use '-' or pipe one into standard input "
    "('shiftcalc demo' shows the bundled example)"
)


def _package_version() -> str:
    from . import __version__  # read from the package metadata on first use

    return __version__


def _example_text() -> str:
    return resources.files("shiftcalc").joinpath("examples", EXAMPLE).read_text(encoding="utf-8")


def _read_text(path: str | None, stdin: TextIO) -> str:
    """The text in ``path`` ('-': standard input; None: the bundled example)."""
    if path is None:
        return _example_text()
    if path == "-":
        text = stdin.read()
    else:
        try:
            with open(path, encoding="utf-8-sig") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise ValidationError("scenario", path, "no such file") from None
        except UnicodeDecodeError as exc:
            raise ValidationError("scenario", path, f"not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            reason = f"cannot read the file ({exc.strerror or exc})"
            raise ValidationError("scenario", path, reason) from None
    if not text.strip():
        raise ValidationError("scenario", path, "the input is empty")
    return text


def _read_scenario(text: str, profile: str, window: Window | None) -> Scenario:
    """A scenario from JSON text, or from iCalendar text: an ``ical`` schedule of it."""
    if text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        return _calendar_scenario(text, profile, window)
    if not text.lstrip().startswith(("{", "[")):
        # load_scenario reads any other string as a path; this is JSON text that is not valid.
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            reason = f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            raise ValidationError("scenario", text.strip()[:40], reason) from None
        raise ValidationError("scenario", text.strip()[:40], "expected an object")
    return load_scenario(text, profile=cast("Profile", profile), window=window)


def _calendar_scenario(text: str, profile: str, window: Window | None) -> Scenario:
    """A calendar file as an ``ical`` schedule (UTC, its names as the users). Without
    ``--window`` it covers four weeks from the day its first event starts, said on stderr."""
    from .ical import first_day  # the iCal module only when it is asked for

    if window is None:
        day = first_day(text)
        if day is None:
            raise ValidationError("scenario", "BEGIN:VCALENDAR", "the calendar has no VEVENT")
        start = datetime.combine(day, time(), tzinfo=UTC)
        end = later(start, CALENDAR_WINDOW)  # a calendar may start in the last weeks of 9999
        window = Window(start=start, end=end)
        _say(
            "note",
            f"window {start:%Y-%m-%d} to {end:%Y-%m-%d}, four weeks from the calendar's first "
            "event (set it with --window START END)",
        )
    data = {"schedule": {"type": "ical", "ical_primary": text}, "shifts": []}
    schedule = parse_schedule(data, profile=cast("Profile", profile))
    return Scenario(schedule=schedule, window=window)


def _render(
    fmt: str, resolution: Resolution, schedule: Schedule, weights: Weights | None = None
) -> str:
    """The resolution in the output format ``fmt`` (``weights``: the quality report's)."""
    rows = resolution.shifts
    if fmt == "json":
        return final_shifts_json(rows, schedule)
    if fmt == "csv":
        return shifts_csv(rows, schedule)
    if fmt == "hours":
        return hours_report_csv(rows, schedule)
    if fmt == "table":
        return table(rows, schedule, unresolved=resolution.unresolved)
    if fmt == "quality":
        report = quality_report(
            resolution.events, resolution.window, zone=schedule.time_zone, weights=weights
        )
        return to_json(quality_document(report, schedule))
    from .ical import final_shifts_to_ics  # the iCal module only when it is asked for

    return final_shifts_to_ics(rows, schedule)


def _scenario_source(args: argparse.Namespace, stdin: TextIO) -> str | None:
    """Where ``final-shifts`` reads its scenario: a path, '-' or None for the example.

    Without a file, piped standard input is the scenario (``shiftcalc final-shifts < s.json``);
    at a terminal there is nothing to read, so it is an error that points to ``demo``.
    """
    if args.scenario is not None or args.demo:
        return None if args.demo else str(args.scenario)
    if stdin.isatty():
        raise ValidationError("scenario", None, NO_INPUT)
    return "-"


def _window_option(bounds: Sequence[str] | None, profile: str) -> Window | None:
    """``--window START END`` as a Window, with the scenario's own rules for instants."""
    if bounds is None:
        return None
    try:
        return parse_window(
            {"start": bounds[0], "end": bounds[1]}, profile=cast("Profile", profile)
        )
    except ValidationError as exc:
        raise ValidationError(
            f"--window {exc.field.removeprefix('window.')}", exc.value, exc.reason
        ) from None


def _final_shifts(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    source = _scenario_source(args, stdin)
    fmt = args.format or ("table" if source is None else "json")
    holidays = getattr(args, "holidays", None)
    if holidays is not None and fmt != "quality":
        raise ValidationError("--holidays", holidays, "only --format quality weighs holidays")
    window = _window_option(args.window, args.profile)
    scenario = _read_scenario(_read_text(source, stdin), args.profile, window)
    if fmt in STREAMED_FORMATS:
        return _stream_final_shifts(fmt, scenario, args, out)
    resolution = _resolved(scenario, args)
    weights = None
    if holidays is not None:
        text = _option_text("--holidays", holidays, stdin)
        weights = holiday_weights(text, holidays, scenario)
    out.write(_render(fmt, resolution, scenario.schedule, weights))
    if args.demo:
        out.write("\n" + timeline_text(resolution, scenario.schedule, color=_color(out)))
    return EXIT_OK


def _resolved(scenario: Scenario, args: argparse.Namespace) -> Resolution:
    """The scenario resolved with the command's options, its warnings written."""
    resolution = resolve(
        scenario.schedule,
        scenario.window,
        profile=args.profile,
        durations=args.durations,
        calendar_errors=args.calendar_errors,
        now=scenario.now,
    )
    _warn(resolution.skipped, resolution.unresolved)
    return resolution


def _color(out: TextIO) -> bool:
    """ANSI colour only for a terminal, and never when NO_COLOR is set (no-color.org)."""
    return out.isatty() and not os.environ.get("NO_COLOR")


def _show(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """``show``: the timeline of a scenario, as text or an SVG document."""
    args.demo = False
    source = _scenario_source(args, stdin)
    window = _window_option(args.window, args.profile)
    scenario = _read_scenario(_read_text(source, stdin), args.profile, window)
    resolution = _resolved(scenario, args)
    if args.output is None:
        if args.format == "svg":
            out.write(timeline_svg(resolution, scenario.schedule))
        else:
            out.write(timeline_text(resolution, scenario.schedule, color=_color(out)))
        return EXIT_OK
    if args.format == "svg":
        text = timeline_svg(resolution, scenario.schedule)
    else:
        text = timeline_text(resolution, scenario.schedule)
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        reason = f"cannot write the file ({exc.strerror or exc})"
        raise ValidationError("--output", args.output, reason) from None
    return EXIT_OK


def _stream_final_shifts(
    fmt: str, scenario: Scenario, args: argparse.Namespace, out: TextIO
) -> int:
    """CSV or JSON lines written row by row as the stream computes them (the same rows and
    bytes as the batch writers; warnings follow on standard error once the stream ends)."""
    rows = iter_final_shifts(
        scenario.schedule,
        scenario.window.start,
        end=scenario.window.end,
        profile=args.profile,
        durations=args.durations,
        calendar_errors=args.calendar_errors,
        now=scenario.now,
    )
    lines = shifts_csv_lines if fmt == "csv" else shifts_json_lines
    out.writelines(lines(rows, scenario.schedule))
    _warn(rows.skipped, rows.unresolved)
    return EXIT_OK


def _warn(
    skipped: Sequence[SkippedComponent], unresolved: Sequence[UnresolvedName], side: str = ""
) -> None:
    """One warning line per skipped component and per unresolved name: never silently dropped
    (``side`` names the scenario, as ``BEFORE `` in diff)."""
    for item in skipped:
        _say(
            "warning",
            f"{side}skipped VEVENT[UID={item.uid}, line {item.line}].{item.property}: "
            f"{item.reason}",
        )
    for text in dict.fromkeys(map(unresolved_text, unresolved)):
        _say("warning", f"{side}{text}")


def _diff(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """``diff BEFORE AFTER``: exit 0 when identical over the window, 1 when they differ."""
    if args.before == "-" and args.after == "-":
        raise ValidationError("AFTER.json", "-", "only one of BEFORE and AFTER can be '-'")
    window = _window_option(args.window, args.profile)
    before = _diff_side("BEFORE", args.before, stdin, args.profile, window)
    after = _diff_side("AFTER", args.after, stdin, args.profile, window)
    result = diff(
        before,
        after,
        after.window,
        profile=args.profile,
        durations=args.durations,
        calendar_errors=args.calendar_errors,
    )
    for k, side in enumerate(("BEFORE ", "AFTER ")):
        _warn(result.skipped[k], result.unresolved[k], side)
    writer = {"table": diff_table, "json": None, "csv": diff_csv}[args.format]
    if writer is None:
        out.write(to_json(diff_document(result, before.schedule, after.schedule)))
    else:
        out.write(writer(result, before.schedule, after.schedule))
    return EXIT_OK if result.identical else EXIT_DIFFERENT


def _diff_side(
    label: str, path: str, stdin: TextIO, profile: str, window: Window | None
) -> Scenario:
    """One side of ``diff``, its errors named by the side (``AFTER shifts[0].duration``)."""
    try:
        return _read_scenario(_read_text(path, stdin), profile, window)
    except ValidationError as exc:
        raise type(exc)(f"{label} {exc.field}", exc.value, exc.reason) from None


def _conflicts(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """``conflicts A B ...``: exit 0 when nobody is double-booked or on call while away, 1
    when someone is; over ``--window`` or the first file's window."""
    if [path for path in args.scenarios if path == "-"][1:]:
        raise ValidationError("SCENARIO.json", "-", "only one scenario can be '-'")
    window = _window_option(args.window, args.profile)
    scenarios = [_diff_side(path, path, stdin, args.profile, window) for path in args.scenarios]
    time_off = None if args.time_off is None else _time_off(args.time_off, stdin)
    found = conflicts(
        scenarios, None, time_off=time_off, profile=args.profile, durations=args.durations
    )
    if args.format == "json":
        result = conflicts_document(found, scenarios[0].window, args.scenarios)
        out.write(to_json(result))
    else:
        out.write(conflicts_table(found, args.scenarios))
    return EXIT_DIFFERENT if found else EXIT_OK


def _option_text(option: str, path: str, stdin: TextIO) -> str:
    """The text of an option's file, its errors named by the option."""
    try:
        return _read_text(path, stdin)
    except ValidationError as exc:
        raise ValidationError(option, exc.value, exc.reason) from None


def _time_off(path: str, stdin: TextIO) -> Any:
    """``--time-off FILE``: an iCalendar of absences, or a JSON object of intervals."""
    text = _option_text("--time-off", path, stdin)
    if text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        return text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise ValidationError("--time-off", path, reason) from None
    return read_time_off(data)


def _explain(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """``explain SCENARIO --at INSTANT``: who is on call then, and why."""
    at = _instant_option("--at", args.at, args.profile)
    assert at is not None  # --at is required
    point = Window(start=at, end=at)  # a zero-length window: no calendar note
    scenario = _read_scenario(_read_text(args.scenario, stdin), args.profile, point)
    try:
        result = explain(
            scenario.schedule,
            point.start,
            user=args.user,
            profile=args.profile,
            now=scenario.now,
            durations=args.durations,
            calendar_errors=args.calendar_errors,
        )
    except ValidationError as exc:
        if exc.field != "user":
            raise
        raise ValidationError("--user", exc.value, exc.reason) from None
    _warn(result.skipped, ())
    if args.format == "json":
        out.write(to_json(explanation_document(result, scenario.schedule)))
    else:
        out.write(explanation_text(result, scenario.schedule))
    return EXIT_OK


def _coverage(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    """``coverage SCENARIO``: exit 0 when always covered, 1 with the first gap, 3 when no gap
    was found but only the horizon could be checked (no proof for all time)."""
    since = _instant_option("--since", args.since, args.profile)
    # with --since the scenario's window is not read (oncall refuses one over 365 days)
    point = None if since is None else Window(start=since, end=since)
    scenario = _read_scenario(_read_text(args.scenario, stdin), args.profile, point)
    since = since or scenario.window.start
    until = _instant_option("--until", args.until, args.profile)
    if until is not None and until <= since:
        raise ValidationError(
            "--until", args.until, "must be after --since (or the window's start)"
        )
    if args.min_users < 1:
        raise ValidationError("--min-users", args.min_users, "must be at least 1")
    if args.horizon < 1:
        raise ValidationError("--horizon", args.horizon, "must be at least 1 day")
    result = coverage(
        scenario.schedule,
        since,
        min_users=args.min_users,
        until=until,
        profile=args.profile,
        horizon=timedelta(days=min(args.horizon, MAX_HORIZON_DAYS)),
        durations=args.durations,
        calendar_errors=args.calendar_errors,
    )
    _warn(result.skipped, result.unresolved)
    out.write(coverage_text(result, scenario.schedule))
    if result.always_covered:
        return EXIT_OK
    return EXIT_DIFFERENT if result.first_gap is not None else EXIT_UNPROVEN


def _instant_option(name: str, value: str | None, profile: str) -> datetime | None:
    """An instant option (``--since``), read as a scenario's window bound."""
    if value is None:
        return None
    try:
        return parse_window({"start": value, "end": value}, profile=cast("Profile", profile)).start
    except ValidationError as exc:
        raise ValidationError(name, exc.value, exc.reason) from None


def _split_values(values: Sequence[str] | None) -> list[str]:
    """``--exdate A,B --exdate C`` → ``[A, B, C]``."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def _zone_option(name: str | None, dtstart: str) -> tzinfo | None:
    """``--tz``, refused where it would be ignored: DTSTART in UTC or a date has no zone."""
    if name is None:
        return None
    try:
        zone = get_zone(name)
    except KeyError:
        raise ValidationError("--tz", name, "unknown time zone") from None
    start = _rule_instant("--dtstart", dtstart, None)
    if not isinstance(start, datetime) or start.tzinfo is UTC:
        kind = "UTC time" if isinstance(start, datetime) else "date"
        reason = f"--dtstart {dtstart} is a {kind}, which no zone changes: drop --tz"
        raise ValidationError("--tz", name, reason)
    return zone


def _unbounded(rrule: str, args: argparse.Namespace) -> bool:
    """Whether the rule would run to the end of time as asked (no COUNT, UNTIL, --count or end)."""
    if args.count is not None or args.between is not None:
        return False
    rule = RecurrenceRule.parse(rrule)
    return rule.count is None and rule.until is None


def _rule_instant(option: str, text: str, zone: tzinfo | None) -> datetime | date:
    """:func:`parse_instance` of an option's value, its error naming the option."""
    try:
        return parse_instance(text, zone)
    except ValidationError as exc:
        raise type(exc)(option, exc.value, exc.reason) from None


def _occurrences(args: argparse.Namespace, out: TextIO) -> int:
    zone = _zone_option(args.tz, args.dtstart)
    dtstart = _rule_instant("--dtstart", args.dtstart, zone)
    exdates = [_rule_instant("--exdate", value, zone) for value in _split_values(args.exdate)]
    rdates = [_rule_instant("--rdate", value, zone) for value in _split_values(args.rdate)]
    start: datetime | date | None = None
    end: datetime | date | None = None
    if args.between is not None:
        start, end = (_rule_instant("--between", value, zone) for value in args.between)
    if args.count is not None and args.count < 0:
        raise ValidationError("--count", args.count, "expected a number >= 0")
    limit = DEFAULT_LIMIT if _unbounded(args.rrule, args) else args.count
    try:
        instances: Iterator[Any] = occurrences(
            args.rrule,
            dtstart,
            start=start,
            end=end,
            end_inclusive=args.between is not None,
            exdates=exdates,
            rdates=rdates,
        )
    except ValidationError as exc:
        if exc.field != "end":  # the engine refuses an end before its start: --between's
            raise
        reason = f"END is before START {args.between[0]}"
        raise ValidationError("--between", args.between[1], reason) from None
    written = 0
    for instance in itertools.islice(instances, limit):
        out.write(format_instance(instance) + "\n")
        written += 1
    if limit == DEFAULT_LIMIT and args.count is None and written == limit:
        _say(
            "note",
            f"the rule has no end; stopped after {DEFAULT_LIMIT} instances "
            "(use --count N or --between START END)",
        )
    return EXIT_OK


# one function per subcommand adds its parser to these
Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors are one line on stderr, as every bad input's
    (the contract): argparse printed the whole usage block first. ``-h`` still shows it."""

    def error(self, message: str) -> NoReturn:
        _say("error", f"{self.prog}: {message} (see {self.prog} -h)")
        raise SystemExit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="shiftcalc",
        description="On-call schedule computation: shift definitions in, who is on call out.",
    )
    parser.add_argument("--version", action="version", version=f"shiftcalc {_package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        _final_shifts_command,
        _diff_command,
        _conflicts_command,
        _explain_command,
        _show_command,
        _coverage_command,
        _demo_command,
        _occurrences_command,
    ):
        add(commands)
    return parser


def _window_argument(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--window", nargs=2, metavar=("START", "END"), help=text)


def _optional_scenario_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO.json",
        help="a scenario (JSON) or a calendar (.ics) file, or - for standard input",
    )


def _final_shifts_command(commands: Commands) -> None:
    final = commands.add_parser(
        "final-shifts",
        help="compute a scenario's final shifts",
        description="Compute the final shifts of a scenario file ('-', or no file with "
        "input piped in, reads standard input; 'shiftcalc demo' runs the bundled example).",
    )
    _optional_scenario_argument(final)
    final.add_argument("--profile", choices=PROFILES, default="strict", help=PROFILE_HELP)
    final.add_argument("--format", choices=FORMATS, default=None, help="default: json")
    _window_argument(
        final, "compute over this window instead of the scenario's (instants or dates)"
    )
    _durations_argument(final)
    final.add_argument(
        "--holidays",
        metavar="FILE",
        help="quality: public holidays, an .ics of all-day events or a JSON list of dates",
    )
    _calendar_errors_argument(final)


def _durations_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--durations",
        choices=("wall", "elapsed"),
        default="wall",
        help="strict: wall-clock (default) or elapsed shift lengths across DST",
    )


def _calendar_errors_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calendar-errors",
        choices=("raise", "skip"),
        default="raise",
        help="iCal components that cannot be used: fail (default) or skip with a warning",
    )


def _diff_command(commands: Commands) -> None:
    compare = commands.add_parser(
        "diff",
        help="what a change does: who is on call differently",
        description="Compare the final shifts of two scenarios over a window (default: "
        "AFTER's). Exit status 0 when identical, 1 when they differ, 2 on bad input.",
    )
    compare.add_argument("before", metavar="BEFORE.json", help="scenario file or -")
    compare.add_argument("after", metavar="AFTER.json", help="scenario file or -")
    compare.add_argument("--profile", choices=PROFILES, default="strict", help=PROFILE_HELP)
    compare.add_argument("--format", choices=DIFF_FORMATS, default="table", help="default: table")
    _window_argument(compare, "compare over this window instead of AFTER's (instants or dates)")
    _durations_argument(compare)
    _calendar_errors_argument(compare)


def _conflicts_command(commands: Commands) -> None:
    clash = commands.add_parser(
        "conflicts",
        help="users on call in two schedules at once, or during their time off",
        description="Resolve several scenarios over one window (default: the first's) and "
        "list who is on call in two of them at once, or during their time off. Exit status "
        "0 when there is no conflict, 1 when there are, 2 on bad input.",
    )
    clash.add_argument("scenarios", nargs="+", metavar="SCENARIO.json", help="scenario files")
    clash.add_argument("--profile", choices=PROFILES, default="strict", help=PROFILE_HELP)
    clash.add_argument("--format", choices=("table", "json"), default="table")
    _window_argument(
        clash, "look over this window instead of the first file's (instants or dates)"
    )
    clash.add_argument(
        "--time-off",
        metavar="FILE",
        help='an iCalendar of absences, or JSON {"alice": [{"start": ..., "end": ...}]}',
    )
    _durations_argument(clash)


def _explain_command(commands: Commands) -> None:
    why = commands.add_parser(
        "explain",
        help="who is on call at an instant, and why",
        description="Explain who is on call at --at: the layer, shift, occurrence, turn and "
        "swaps that put each user there, and why every other layer active then lost.",
    )
    why.add_argument(
        "scenario", metavar="SCENARIO", help="a scenario (JSON) or a calendar (.ics), or -"
    )
    why.add_argument("--at", required=True, metavar="INSTANT", help="an instant or a date")
    why.add_argument("--user", metavar="NAME", help="also: is NAME on call, and if not, when")
    why.add_argument("--profile", choices=PROFILES, default="strict", help=PROFILE_HELP)
    why.add_argument("--format", choices=EXPLAIN_FORMATS, default="text", help="default: text")
    _durations_argument(why)
    _calendar_errors_argument(why)


def _show_command(commands: Commands) -> None:
    show = commands.add_parser(
        "show",
        help="a picture of a scenario's schedule: text timeline or SVG",
        description="Draw a scenario's layers and final shifts over its window: a text "
        "timeline (at most 100 columns; ANSI colour at a terminal unless NO_COLOR is set) or a "
        "standalone SVG document.",
    )
    _optional_scenario_argument(show)
    show.add_argument("--profile", choices=PROFILES, default="strict", help=PROFILE_HELP)
    _window_argument(show, "draw this window instead of the scenario's (instants or dates)")
    show.add_argument("--format", choices=("text", "svg"), default="text", help="default: text")
    show.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    _durations_argument(show)
    _calendar_errors_argument(show)


def _coverage_command(commands: Commands) -> None:
    cover = commands.add_parser(
        "coverage",
        help="will we ever be uncovered? (for all time, or the first gap)",
        description="Check that at least --min-users are on call at every instant from "
        "--since (default: the scenario's window start) for all time, or until --until. "
        "Exit status 0 when always covered, 1 with the first gap, 2 on bad input, 3 when no "
        "gap was found but only --horizon could be checked (no proof for all time).",
    )
    cover.add_argument("scenario", metavar="SCENARIO.json", help="scenario file or -")
    cover.add_argument("--since", metavar="T", help="an instant or a date (default: window start)")
    cover.add_argument("--until", metavar="T", help="an instant or a date (default: no end)")
    cover.add_argument("--min-users", type=int, default=1, metavar="K", help="default: 1")
    cover.add_argument("--profile", choices=PROFILES, default="strict", help=PROFILE_HELP)
    cover.add_argument(
        "--horizon",
        type=int,
        default=DEFAULT_HORIZON.days,
        metavar="DAYS",
        help=f"without a proof for all time, check this long (default: {DEFAULT_HORIZON.days})",
    )
    _durations_argument(cover)
    _calendar_errors_argument(cover)


def _demo_command(commands: Commands) -> None:
    commands.add_parser(
        "demo", help="final shifts of the bundled example, as a table and a timeline"
    )


def _occurrences_command(commands: Commands) -> None:
    occ = commands.add_parser(
        "occurrences",
        help="expand an RRULE",
        description="Print the instances of an RRULE, one per line (ISO 8601). A rule with "
        f"neither COUNT nor UNTIL stops after {DEFAULT_LIMIT} instances unless --count or "
        "--between says how many.",
    )
    occ.add_argument("--dtstart", required=True, help="YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS[Z]")
    occ.add_argument(
        "--tz",
        help="IANA zone of a local-time DTSTART, and of EXDATE, RDATE and --between "
        "(refused for a UTC or date DTSTART)",
    )
    occ.add_argument("--rrule", required=True, help="e.g. 'FREQ=DAILY;COUNT=10'")
    occ.add_argument("--exdate", action="append", metavar="VALUE", help="comma-separated list")
    occ.add_argument("--rdate", action="append", metavar="VALUE", help="comma-separated list")
    occ.add_argument("--count", type=int, metavar="N", help="stop after N instances")
    occ.add_argument("--between", nargs=2, metavar=("START", "END"), help="keep START <= t <= END")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    out, stdin = sys.stdout, sys.stdin
    if (
        getattr(args, "durations", "wall") == "elapsed"
        and getattr(args, "profile", "") == "oncall"
    ):
        # OnCall's lengths are its own (the first occurrence's, normalised): nothing to change
        _say(
            "warning",
            "--durations elapsed changes strict shifts only; --profile oncall gives OnCall's "
            "own lengths",
        )
    try:
        if args.command == "occurrences":
            return _occurrences(args, out)
        if args.command == "diff":
            return _diff(args, out, stdin)
        if args.command == "conflicts":
            return _conflicts(args, out, stdin)
        if args.command == "explain":
            return _explain(args, out, stdin)
        if args.command == "show":
            return _show(args, out, stdin)
        if args.command == "coverage":
            return _coverage(args, out, stdin)
        if args.command == "demo":
            args = argparse.Namespace(
                scenario=None,
                demo=True,
                window=None,
                profile="strict",
                format="table",
                durations="wall",
                calendar_errors="raise",
            )
        else:
            args.demo = False
        return _final_shifts(args, out, stdin)
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep the interpreter's final
        # flush of stdout from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (ShiftcalcError, ValueError, OSError) as exc:
        _say("error", " ".join(str(exc).split()) or type(exc).__name__)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: one line, never a bare traceback (README)
        if os.environ.get("SHIFTCALC_DEBUG"):
            raise
        _say(
            "internal error",
            f"{type(exc).__name__}: {' '.join(str(exc).split())} "
            "(a bug; SHIFTCALC_DEBUG=1 shows the traceback)",
        )
        return EXIT_INTERNAL


def _say(kind: str, text: str) -> None:
    """One line on stderr, ``shiftcalc: kind: text``, printable: a message quotes the input (a
    calendar's UID, a name, a value), which must not drive the terminal (an escape sequence
    in a subscribed calendar's UID set the window title and cleared the screen)."""
    sys.stderr.write(printable(f"shiftcalc: {kind}: {text}") + "\n")


if __name__ == "__main__":
    sys.exit(main())
