"""Writing results: Grafana OnCall's final_shifts document, CSV reports and a text table.

Every function is a pure function of the rows (``FinalShift`` values, in output order) and the
schedule they came from (for user names, e-mails and the display zone).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal
from functools import wraps
from json.encoder import encode_basestring_ascii
from typing import Any, ParamSpec

from ._fairness import fairness_document
from ._model import FinalShift, Schedule, UnresolvedName, User, check_rows, check_schedule
from ._quality import QualityReport
from ._tz import get_zone, is_utc

__all__ = [
    "SHIFTS_CSV_COLUMNS",
    "final_shifts_document",
    "final_shifts_json",
    "hours_report_csv",
    "quality_document",
    "shift_lines",
    "shifts_csv",
    "shifts_csv_lines",
    "shifts_json_lines",
    "table",
    "to_json",
    "unresolved_text",
    "utc_text",
]

PAGE_SIZE = 50
"""The page size OnCall reports (its final_shifts endpoint is not actually paginated)."""


def utc_text(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``, the form of OnCall's final_shifts document and of every
    instant shiftcalc writes in UTC; fractions of a second are cut.

    Written with ``%`` from the fields: a 4-digit year always (``strftime("%Y")`` writes
    ``500`` for the year 500 on glibc), at a third of ``isoformat()[:19]``'s cost, which was
    most of the cost of writing a document (tests/test_output.py holds the two equal).
    """
    utc = value if value.tzinfo is UTC else value.astimezone(UTC)
    return _UTC_FORM % (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


_UTC_FORM = "%04d-%02d-%02dT%02d:%02d:%02dZ"


def _minutes_text(value: datetime) -> str:
    """``YYYY-MM-DD HH:MM`` with a 4-digit year, whatever the platform's strftime does."""
    return value.isoformat(" ", "minutes")[:16]


def _zone_text(value: datetime, zone: tzinfo) -> str:
    """``YYYY-MM-DD HH:MM ZZZ`` in ``zone``; in UTC when ``zone``'s time is before year 1 or
    after year 9999 (``datetime`` cannot hold it)."""
    try:
        local = value.astimezone(zone)
    except OverflowError:
        local = value.astimezone(UTC)
    return f"{_minutes_text(local)} {local.tzname() or ''}".rstrip()


def printable(text: str) -> str:
    """``text`` with what a terminal would act on (controls, newlines, escapes, surrogates,
    unassigned code points) shown as ``?``, so that a name cannot break a line."""
    return "".join(
        c if c.isprintable() and unicodedata.category(c) not in ("Cs", "Co", "Cn") else "?"
        for c in text
    )


_P = ParamSpec("_P")


def for_people(render: Callable[_P, str]) -> Callable[_P, str]:
    """``render``'s text, line by line :func:`printable`: a text for a terminal shows a user's
    name with control characters or escapes in it, and is not driven by it. A newline in a
    name would already have made two lines: ``render`` makes names printable itself."""

    @wraps(render)
    def shown(*args: _P.args, **kwargs: _P.kwargs) -> str:
        return "\n".join(map(printable, render(*args, **kwargs).split("\n")))

    return shown


def final_shifts_document(rows: Sequence[FinalShift], schedule: Schedule) -> dict[str, Any]:
    """Grafana OnCall's ``final_shifts`` document for ``rows`` (kept in the order given).

    >>> from datetime import datetime, UTC
    >>> row = FinalShift(user="alice", start=datetime(2024, 1, 1, 9, tzinfo=UTC),
    ...                  end=datetime(2024, 1, 1, 17, tzinfo=UTC))
    >>> final_shifts_document([row], Schedule())["results"][0]["shift_end"]
    '2024-01-01T17:00:00Z'
    """
    # the keys are SHIFTS_CSV_COLUMNS, written out: a dict display is a quarter cheaper than
    # dict(zip(...)), and this is the writer's hot loop (tests/test_output.py holds them equal)
    results = [
        {
            "user_pk": pk,
            "user_email": email,
            "user_username": name,
            "shift_start": start,
            "shift_end": end,
        }
        for pk, email, name, start, end in shift_lines(rows, schedule, email_default=None)
    ]
    return {
        "count": len(results),
        "next": None,
        "previous": None,
        "results": results,
        "current_page_number": 1,
        "page_size": PAGE_SIZE,
        "total_pages": 1,
    }


def to_json(document: Any) -> str:
    """``document`` as JSON text: indented by 2, keys in their given order, newline at the end.

    The text of ``json.dumps(document, indent=2)``; a final_shifts document is written from a
    template (``json``'s indenting encoder is pure Python, and cost more than the resolution).
    """
    fast = _final_shifts_json(document)
    return fast if fast is not None else json.dumps(document, indent=2) + "\n"


def final_shifts_json(rows: Sequence[FinalShift], schedule: Schedule) -> str:
    """``to_json(final_shifts_document(rows, schedule))``, written straight from the rows.

    What ``shiftcalc final-shifts`` writes. Each user's cells and each instant are encoded
    once, and a row is two look-ups and a join: no dict per row to build and then read back
    (half the cost of the two steps; tests/test_output.py holds the texts equal).
    """
    check_rows(rows)
    check_schedule(schedule)
    users: dict[str, str] = {}  # user id -> the row's text up to the start's value
    instants: dict[datetime, str] = {}  # -> its JSON string
    encode = encode_basestring_ascii
    text: list[str] = []
    add = text.append
    for row in rows:
        head = users.get(row.user)
        if head is None:
            user = schedule.user(row.user)
            email = "null" if user.email is None else encode(user.email)
            head = users[row.user] = _ROW_HEAD % (encode(user.id), email, encode(user.username))
        start = instants.get(row.start)
        if start is None:
            start = instants[row.start] = encode(utc_text(row.start))
        end = instants.get(row.end)
        if end is None:
            end = instants[row.end] = encode(utc_text(row.end))
        add(_row_text(head, start, end))
    return _document_text((str(len(text)), "null", "null", "1", str(PAGE_SIZE), "1"), text)


_ROW_HEAD = (
    '    {\n      "user_pk": %s,\n      "user_email": %s,\n      "user_username": %s,\n'
    '      "shift_start": '
)


def _row_text(head: str, start: str, end: str) -> str:
    """A row's text from its head (:data:`_ROW_HEAD` filled) and its instants' JSON strings."""
    return f'{head}{start},\n      "shift_end": {end}\n    }}'


def _document_text(head: Sequence[str], rows: list[str]) -> str:
    """A final_shifts document's text: its other values' JSON texts (count, next, previous,
    current_page_number, page_size, total_pages) around its rows' texts."""
    count, after, before, page, size, pages = head
    results = "[\n" + ",\n".join(rows) + "\n  ]" if rows else "[]"
    return (
        f'{{\n  "count": {count},\n  "next": {after},\n  "previous": {before},\n'
        f'  "results": {results},\n  "current_page_number": {page},\n'
        f'  "page_size": {size},\n  "total_pages": {pages}\n}}\n'
    )


_DOCUMENT_KEYS = (
    "count",
    "next",
    "previous",
    "results",
    "current_page_number",
    "page_size",
    "total_pages",
)
_ROW_KEYS = ("user_pk", "user_email", "user_username", "shift_start", "shift_end")


def _final_shifts_json(document: Any) -> str | None:
    """``json.dumps(document, indent=2)`` for the exact shape final_shifts_document makes.

    None for any other value (a changed document keeps the general encoder's text).
    """
    if type(document) is not dict or tuple(document) != _DOCUMENT_KEYS:
        return None
    head = [document[key] for key in _DOCUMENT_KEYS if key != "results"]
    if any(value is not None and type(value) is not int for value in head):
        return None
    rows = document["results"]
    if type(rows) is not list:
        return None
    text: list[str] = []
    add, encode = text.append, encode_basestring_ascii
    try:  # encode refuses anything but a string (TypeError): the general encoder takes those
        for row in rows:
            if type(row) is not dict or tuple(row) != _ROW_KEYS:
                return None
            pk, email, username, start, end = row.values()
            email = "null" if email is None else encode(email)
            row_head = _ROW_HEAD % (encode(pk), email, encode(username))
            add(_row_text(row_head, encode(start), encode(end)))
    except TypeError:
        return None
    return _document_text(["null" if value is None else str(value) for value in head], text)


def _csv(header: Sequence[str], lines: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue()


def _hours(total: timedelta) -> str:
    """Hours as a plain decimal: ``48``, ``7.5``, ``0.3333`` (at most 4 places, no trailing 0)."""
    micro = (total.days * 86_400 + total.seconds) * 1_000_000 + total.microseconds
    hours = (Decimal(micro) / Decimal(3_600_000_000)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_EVEN
    )
    text = format(hours, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def hours_report_csv(rows: Sequence[FinalShift], schedule: Schedule) -> str:
    """Hours on call per user: ``user_pk,user_email,hours_on_call``, sorted by ``user_pk``.

    Hours are the sum of the row durations divided by 3600, written as a decimal number with
    at most four places and no trailing zeros (``48``, ``7.5``, ``0.3333``). Only users that
    have rows are listed; overlapping rows of one user are counted twice, as OnCall does.

    >>> from datetime import datetime, UTC
    >>> row = FinalShift(user="alice", start=datetime(2024, 1, 1, 9, tzinfo=UTC),
    ...                  end=datetime(2024, 1, 1, 16, 30, tzinfo=UTC))
    >>> print(hours_report_csv([row], Schedule()), end="")
    user_pk,user_email,hours_on_call
    alice,,7.5
    """
    check_rows(rows)
    check_schedule(schedule)
    totals: dict[str, timedelta] = {}
    for row in rows:
        totals[row.user] = totals.get(row.user, timedelta(0)) + row.duration
    lines = []
    for user_id in sorted(totals):
        user = schedule.user(user_id)
        lines.append((user.id, user.email or "", _hours(totals[user_id])))
    return _csv(("user_pk", "user_email", "hours_on_call"), lines)


SHIFTS_CSV_COLUMNS = ("user_pk", "user_email", "user_username", "shift_start", "shift_end")
"""The fields of a final-shift row in CSV and JSON lines (the final_shifts document's), and the
columns of the Dask helper's dataframe."""


def shifts_csv(rows: Sequence[FinalShift], schedule: Schedule) -> str:
    """One CSV line per row: ``user_pk,user_email,user_username,shift_start,shift_end`` (UTC)."""
    return "".join(shifts_csv_lines(rows, schedule))


def shifts_csv_lines(rows: Iterable[FinalShift], schedule: Schedule) -> Iterator[str]:
    """:func:`shifts_csv` line by line (the header first), as ``rows`` come: the CLI streams it.

    >>> from datetime import datetime, UTC
    >>> row = FinalShift(user="alice", start=datetime(2024, 1, 1, 9, tzinfo=UTC),
    ...                  end=datetime(2024, 1, 1, 17, tzinfo=UTC))
    >>> list(shifts_csv_lines([row], Schedule()))[1]
    'alice,,alice,2024-01-01T09:00:00Z,2024-01-01T17:00:00Z\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for fields in itertools.chain([SHIFTS_CSV_COLUMNS], shift_lines(rows, schedule)):
        writer.writerow(fields)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def shifts_json_lines(rows: Iterable[FinalShift], schedule: Schedule) -> Iterator[str]:
    """One JSON object per row and line, with the CSV's fields (``user_email`` null when the
    user has none, as in the final_shifts document).

    >>> from datetime import datetime, UTC
    >>> row = FinalShift(user="alice", start=datetime(2024, 1, 1, 9, tzinfo=UTC),
    ...                  end=datetime(2024, 1, 1, 17, tzinfo=UTC))
    >>> line = next(shifts_json_lines([row], Schedule()))
    >>> line[:56]
    '{"user_pk":"alice","user_email":null,"user_username":"al'
    >>> json.loads(line)["shift_end"], line.count("\\n")
    ('2024-01-01T17:00:00Z', 1)
    """
    for values in shift_lines(rows, schedule, email_default=None):
        fields = dict(zip(SHIFTS_CSV_COLUMNS, values, strict=True))
        yield json.dumps(fields, separators=(",", ":")) + "\n"


def shift_lines(
    rows: Iterable[FinalShift], schedule: Schedule, *, email_default: str | None = ""
) -> Iterator[tuple[str | None, ...]]:
    """Each row's cells in :data:`SHIFTS_CSV_COLUMNS` order (the CSV writer's, the JSON lines'
    and the Dask helper's), users looked up once."""
    check_rows(rows)
    check_schedule(schedule)
    users: dict[str, User] = {}
    # one row's end is usually a next row's start: recent instants are written once (a few
    # thousand at most are kept, so a stream's memory stays flat)
    texts: dict[datetime, str] = {}
    for row in rows:
        user = users.get(row.user)
        if user is None:
            user = users[row.user] = schedule.user(row.user)
        email = user.email if user.email is not None else email_default
        if len(texts) > _RECENT:
            texts.clear()
        start = texts.get(row.start)
        if start is None:
            start = texts[row.start] = utc_text(row.start)
        end = texts.get(row.end)
        if end is None:
            end = texts[row.end] = utc_text(row.end)
        yield user.id, email, user.username, start, end


_RECENT = 4096


def _duration_text(value: timedelta) -> str:
    """``8h``, ``1d 2h30m``, ``45m``, ``0m``; negative values get a leading ``-``."""
    sign = "-" if value < timedelta(0) else ""
    minutes = int(abs(value).total_seconds()) // 60
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days}d"] if days else []
    clock = (f"{hours}h" if hours else "") + (f"{minutes:02d}m" if hours and minutes else "")
    if not hours and minutes:
        clock = f"{minutes}m"
    if clock:
        parts.append(clock)
    return sign + (" ".join(parts) or "0m")


@for_people
def table(
    rows: Sequence[FinalShift],
    schedule: Schedule,
    *,
    unresolved: Sequence[UnresolvedName] = (),
) -> str:
    """A text table for people: user, start and end in the schedule's zone and in UTC (once for
    a schedule in UTC), duration.

    Names of ``unresolved`` (a resolution's iCal names that match no user) are listed under
    the table, each once, with where they are written: a person reading it sees whose time is
    missing.

    >>> from datetime import datetime, UTC
    >>> row = FinalShift(user="alice", start=datetime(2024, 7, 1, 8, tzinfo=UTC),
    ...                  end=datetime(2024, 7, 1, 16, 30, tzinfo=UTC))
    >>> print(table([row], Schedule(time_zone="Asia/Tokyo")), end="")
    user   start (Asia/Tokyo)    end (Asia/Tokyo)      start (UTC)       end (UTC)         duration
    -----  --------------------  --------------------  ----------------  ----------------  --------
    alice  2024-07-01 17:00 JST  2024-07-02 01:30 JST  2024-07-01 08:00  2024-07-01 16:30  8h30m
    """
    try:
        zone = get_zone(schedule.time_zone)
    except KeyError:
        zone = UTC
    utc_too = not is_utc(zone)  # a schedule in UTC would show the same times twice
    header = (
        "user",
        f"start ({schedule.time_zone})",
        f"end ({schedule.time_zone})",
        *(("start (UTC)", "end (UTC)") if utc_too else ()),
        "duration",
    )
    lines: list[tuple[str, ...]] = [header]
    for row in rows:
        user = schedule.user(row.user)
        utc = (
            (_minutes_text(row.start.astimezone(UTC)), _minutes_text(row.end.astimezone(UTC)))
            if utc_too
            else ()
        )
        lines.append(
            (
                printable(user.username),  # before the lines are made: see for_people
                _zone_text(row.start, zone),
                _zone_text(row.end, zone),
                *utc,
                _duration_text(row.duration),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    lines.insert(1, tuple("-" * width for width in widths))
    text = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    ]
    text += [f"unresolved: {where}" for where in dict.fromkeys(map(unresolved_text, unresolved))]
    return "\n".join(text) + "\n"


def unresolved_text(name: UnresolvedName) -> str:
    """``'ghost' (SUMMARY of VEVENT[UID=r1, line 3], primary calendar) matches no user``."""
    return (
        f"{name.name!r} ({name.property} of VEVENT[UID={name.uid or '?'}, line {name.line}], "
        f"{name.calendar} calendar) matches no user"
    )


def quality_document(report: QualityReport, schedule: Schedule) -> dict[str, Any]:
    """The quality report as a JSON-ready document, users shown by username."""
    return {
        "total_score": report.total,
        "coverage": report.coverage,
        "balance": report.balance,
        "comments": list(report.comments),
        "overloaded_users": [
            {"user_pk": user, "username": schedule.user(user).username, "score": score}
            for user, score in report.overloaded
        ],
        "hours_on_call": {
            schedule.user(user).username: round(hours, 4) for user, hours in report.hours.items()
        },
        "fairness": fairness_document(report.fairness, schedule),
    }
