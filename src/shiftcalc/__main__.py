"""The ``shiftcalc`` command (also ``python -m shiftcalc``).

::

    shiftcalc final-shifts [SCENARIO.json|-] [--profile strict|oncall]
                           [--format json|csv|ics|table|hours]
    shiftcalc demo
    shiftcalc occurrences --dtstart 1997-09-02T09:00:00 [--tz America/New_York]
                          --rrule 'FREQ=DAILY;COUNT=10' [--exdate VALUE ...] [--rdate VALUE ...]
                          [--count N] [--between START END]

Bad input exits with status 2 and one line on standard error; nothing here prints a traceback
for it. All work happens in :func:`main`, so importing this module has no side effects.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime, tzinfo
from importlib import resources
from typing import TYPE_CHECKING, Any, TextIO, cast

from ._errors import ShiftcalcError, ValidationError
from ._model import PROFILES, Profile
from ._output import (
    final_shifts_document,
    hours_report_csv,
    quality_document,
    shifts_csv,
    table,
    to_json,
)
from ._quality import quality_report
from ._recurrence import format_instance, occurrences, parse_instance
from ._resolve import Resolution, resolve
from ._scenario import Scenario, load_scenario
from ._tz import get_zone

if TYPE_CHECKING:
    from ._model import Schedule

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
FORMATS = ("json", "csv", "ics", "table", "hours", "quality")
EXAMPLE = "oncall-team.json"


def _example_text() -> str:
    return resources.files("shiftcalc").joinpath("examples", EXAMPLE).read_text(encoding="utf-8")


def _read_scenario(path: str | None, stdin: TextIO, profile: str) -> Scenario:
    if path is None:
        text = _example_text()
    elif path == "-":
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
    if not text.lstrip().startswith(("{", "[")):
        # load_scenario reads any other string as a path; this is JSON text that is not valid.
        text = text if text.strip() else " "
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            reason = f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            raise ValidationError("scenario", text.strip()[:40], reason) from None
        raise ValidationError("scenario", text.strip()[:40], "expected an object")
    return load_scenario(text, profile=cast("Profile", profile))


def _render(fmt: str, resolution: Resolution, schedule: Schedule) -> str:
    """The resolution in the output format ``fmt``."""
    rows = resolution.shifts
    if fmt == "json":
        return to_json(final_shifts_document(rows, schedule))
    if fmt == "csv":
        return shifts_csv(rows, schedule)
    if fmt == "hours":
        return hours_report_csv(rows, schedule)
    if fmt == "table":
        return table(rows, schedule)
    if fmt == "quality":
        report = quality_report(resolution.events, resolution.window)
        return to_json(quality_document(report, schedule))
    from .ical import final_shifts_to_ics  # the iCal module only when it is asked for

    return final_shifts_to_ics(rows, schedule)


def _final_shifts(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    fmt = args.format or ("table" if args.scenario is None else "json")
    scenario = _read_scenario(args.scenario, stdin, args.profile)
    resolution = resolve(
        scenario.schedule,
        scenario.window,
        profile=args.profile,
        durations=args.durations,
        calendar_errors=args.calendar_errors,
        now=scenario.now,
    )
    for skipped in resolution.skipped:
        # reported, never silently dropped
        sys.stderr.write(
            f"shiftcalc: warning: skipped VEVENT[UID={skipped.uid}, line {skipped.line}]"
            f".{skipped.property}: {skipped.reason}\n"
        )
    out.write(_render(fmt, resolution, scenario.schedule))
    return EXIT_OK


def _split_values(values: Sequence[str] | None) -> list[str]:
    """``--exdate A,B --exdate C`` → ``[A, B, C]``."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def _occurrences(args: argparse.Namespace, out: TextIO) -> int:
    zone: tzinfo | None = None
    if args.tz is not None:
        try:
            zone = get_zone(args.tz)
        except KeyError:
            raise ValidationError("--tz", args.tz, "unknown time zone") from None
    dtstart = parse_instance(args.dtstart, zone)
    exdates = [parse_instance(value, zone) for value in _split_values(args.exdate)]
    rdates = [parse_instance(value, zone) for value in _split_values(args.rdate)]
    start: datetime | date | None = None
    end: datetime | date | None = None
    if args.between is not None:
        start, end = (parse_instance(value, zone) for value in args.between)
    if args.count is not None and args.count < 0:
        raise ValidationError("--count", args.count, "expected a number >= 0")
    instances: Iterator[Any] = occurrences(
        args.rrule,
        dtstart,
        start=start,
        end=end,
        end_inclusive=args.between is not None,
        exdates=exdates,
        rdates=rdates,
    )
    if args.count is not None:
        instances = itertools.islice(instances, args.count)
    for instance in instances:
        out.write(format_instance(instance) + "\n")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shiftcalc",
        description="On-call schedule computation: shift definitions in, who is on call out.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    final = commands.add_parser(
        "final-shifts",
        help="compute a scenario's final shifts",
        description="Compute the final shifts of a scenario file ('-' reads standard input; "
        "no file runs the bundled example and prints a table).",
    )
    final.add_argument("scenario", nargs="?", metavar="SCENARIO.json", help="scenario file or -")
    final.add_argument("--profile", choices=PROFILES, default="strict")
    final.add_argument("--format", choices=FORMATS, default=None, help="default: json")
    final.add_argument(
        "--durations",
        choices=("wall", "elapsed"),
        default="wall",
        help="strict: wall-clock (default) or elapsed shift lengths across DST",
    )
    final.add_argument(
        "--calendar-errors",
        choices=("raise", "skip"),
        default="raise",
        help="iCal components that cannot be used: fail (default) or skip with a warning",
    )

    commands.add_parser("demo", help="final shifts of the bundled example, as a table")

    occ = commands.add_parser(
        "occurrences",
        help="expand an RRULE",
        description="Print the instances of an RRULE, one per line (ISO 8601).",
    )
    occ.add_argument("--dtstart", required=True, help="YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS[Z]")
    occ.add_argument("--tz", help="IANA zone of DTSTART, EXDATE, RDATE and --between")
    occ.add_argument("--rrule", required=True, help="e.g. 'FREQ=DAILY;COUNT=10'")
    occ.add_argument("--exdate", action="append", metavar="VALUE", help="comma-separated list")
    occ.add_argument("--rdate", action="append", metavar="VALUE", help="comma-separated list")
    occ.add_argument("--count", type=int, metavar="N", help="stop after N instances")
    occ.add_argument("--between", nargs=2, metavar=("START", "END"), help="keep START <= t <= END")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    out, stdin = sys.stdout, sys.stdin
    try:
        if args.command == "occurrences":
            return _occurrences(args, out)
        if args.command == "demo":
            args = argparse.Namespace(
                scenario=None,
                profile="strict",
                format="table",
                durations="wall",
                calendar_errors="raise",
            )
        return _final_shifts(args, out, stdin)
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep the interpreter's final
        # flush of stdout from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (ShiftcalcError, ValueError, OSError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"shiftcalc: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
