"""Final shifts as a calendar, written by icalendar (escaping, parameter quoting, folding at
75 octets between characters, CRLF); ours are the UIDs, DTSTAMP and what text may hold."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vDuration, vText
from icalendar.parser import Parameters

from .._errors import CalendarError, ValidationError
from .._model import FinalShift, Schedule

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BREAKS = re.compile(r"[\r\n]")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _QuotedCN(Parameters):
    """ATTENDEE parameters with CN always quoted (``CN="alice"``), as the export always wrote
    them: icalendar quotes a CN only when it holds a space or a quote."""

    always_quoted = (*Parameters.always_quoted, "CN")  # type: ignore[assignment]


def _stamp(value: datetime) -> str:
    # by hand: strftime's %Y does not pad years before 1000 to four digits on every platform
    v = value.astimezone(UTC)
    return f"{v.year:04d}{v.month:02d}{v.day:02d}T{v.hour:02d}{v.minute:02d}{v.second:02d}Z"


def _text(value: str, field: str) -> str:
    """``value`` checked for what a calendar cannot carry (RFC 5545 §3.3.11, §3.1.4), with its
    line breaks as LF (icalendar escapes LF as ``\\n``; a bare CR ends a line too)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(value)
    if bad is not None:
        raise CalendarError(field, value, f"a control character {bad.group()!r} in calendar text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        reason = f"not writable as UTF-8 ({exc.reason}: {value[exc.start : exc.end]!r})"
        raise CalendarError(field, value, reason) from None
    return value


def _uid(row: FinalShift, seen: dict[str, int]) -> str:
    """A hash of the row, numbered when rows repeat: stable, and never shared."""
    key = "\x1f".join(
        (
            row.user,
            _stamp(row.start),
            _stamp(row.end),
            row.shift_id or "",
            str(row.level),
            str(row.is_override),
        )
    )
    # surrogatepass: the key only has to be hashed, and ids are checked where written
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    count = seen.get(digest, 0)
    seen[digest] = count + 1
    return f"{digest}{'' if count == 0 else f'-{count}'}@shiftcalc"


# Stand-ins for what differs between rows of one user: control characters, which no written
# text may hold (``_text``), so they cannot clash with a name
_UID, _START, _END = "\x01", "\x02", "\x03"


def _template(row: FinalShift, index: int, schedule: Schedule, stamp: datetime) -> str:
    """The VEVENT of ``row``'s user, written by icalendar once per user (a calendar of a
    century has 73,000 rows and a handful of users), with stand-ins for UID and times."""
    user = schedule.user(row.user)
    where = f"rows[{index}].user ({row.user!r})"
    username = _text(user.username, f"{where}.username")
    event = Event()
    for key, stand_in in (("UID", _UID), ("DTSTAMP", None), ("DTSTART", _START), ("DTEND", _END)):
        event.add(key, stamp if stand_in is None else vText(stand_in), encode=stand_in is None)
    event.add("SUMMARY", username)
    if user.email:
        email = _text(user.email, f"{where}.email")
        if "\n" in email:
            raise CalendarError(f"{where}.email", email, "a line break in an e-mail address")
        attendee = vCalAddress(f"mailto:{email}")
        # a quoted parameter value holds no '"' and no line break (RFC 5545 §3.1)
        attendee.params = _QuotedCN(CN=_BREAKS.sub(" ", username.replace('"', "'")))
        event.add("ATTENDEE", attendee, encode=False)
    if row.is_override:
        event.add("PRIORITY", 1)
    text: bytes = event.to_ical(sorted=False)
    return text.decode("utf-8")


def _header(title: str) -> Calendar:
    calendar = Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", "-//shiftcalc//final shifts//EN")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", vText(title))
    calendar.add("X-WR-TIMEZONE", vText("UTC"))
    refresh = vDuration(timedelta(hours=1))  # icalendar 6 knows no type for REFRESH-INTERVAL
    refresh.params["VALUE"] = "DURATION"
    calendar.add("REFRESH-INTERVAL", refresh, encode=False)
    return calendar


def final_shifts_to_ics(
    rows: Sequence[FinalShift], schedule: Schedule, *, name: str | None = None
) -> str:
    """Final-shift rows as an iCalendar document (one VEVENT per row), byte-for-byte stable.

    DTSTART/DTEND are UTC; SUMMARY is the user's username and ATTENDEE their e-mail when
    known; UIDs hash the row (user, start, end, shift) and never collide; DTSTAMP is the
    earliest row start (no clock is read). Lines end with CRLF and are folded at 75 octets.

    Raises:
        ValidationError: a row that ends before it starts (``rows[i].end``), as oncall gives
            for an all-day event without an end.
    """
    title = _text(name or schedule.name or "shiftcalc final shifts", "name")
    stamp = min((row.start for row in rows), default=_EPOCH).astimezone(UTC)
    head: bytes = _header(title).to_ical(sorted=False)
    text = head.decode("utf-8")
    assert text.endswith("END:VCALENDAR\r\n")
    parts = [text[: -len("END:VCALENDAR\r\n")]]
    templates: dict[tuple[str, bool], str] = {}
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        if row.end < row.start:
            # an oncall row of an all-day event without an end (OnCall's own): RFC 5545 has no
            # VEVENT that ends before it starts, and leaving the row out would drop it
            reason = "the row ends before it starts: no VEVENT can hold it"
            raise ValidationError(f"rows[{index}].end", row.end.isoformat(), reason)
        key = (row.user, row.is_override)
        template = templates.get(key)
        if template is None:
            template = templates[key] = _template(row, index, schedule, stamp)
        # the stand-ins' lines are short and ASCII: the values never need folding
        uid = _uid(row, seen)
        start, end = _stamp(row.start), _stamp(row.end)
        parts.append(template.replace(_UID, uid).replace(_START, start).replace(_END, end))
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts)
