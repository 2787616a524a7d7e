"""Components to event records: DATE/DATE-TIME/PERIOD/DURATION values read by icalendar, the
TZID looked up per calendar (``_zones``), and the errors that name the component."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from icalendar import vDDDLists, vDDDTypes, vDuration, vInt

from .._errors import CalendarError, CalendarLimitError, RecurrenceError
from .._model import SkippedComponent
from .._recurrence import RecurrenceRule
from ._names import level_of
from ._parse import Node, Prop, PropertyError
from ._zones import Zone, Zones

# Years 1 to 9999 hold about 3.2e11 seconds: a longer duration cannot end anywhere
_MAX_SECONDS = int((datetime.max - datetime.min).total_seconds())
# what icalendar refuses besides ValueError (InvalidCalendar is one)
_VALUE_ERRORS = (ValueError, TypeError, OverflowError)
# icalendar's value parsers (untyped there)
_date_time: Callable[[str], object] = vDDDTypes.from_ical
_date_times: Callable[[str], list[object]] = vDDDLists.from_ical
_duration: Callable[[str], object] = vDuration.from_ical
# dur-value = ["+" / "-"] "P" (dur-date / dur-time / dur-week) (RFC 5545 §3.3.6)
_NOMINAL = re.compile(r"([+-]?)P(?:(\d+)W|(\d+)D)")


@dataclass(frozen=True, slots=True)
class When:
    """A DATE or DATE-TIME value as written: ``zone`` None means UTC (``Z``) or floating."""

    value: datetime | date  # naive wall clock, or a date
    kind: Literal["date", "utc", "floating", "zoned"]
    zone: Zone | None = None


def _instant(value: object, tzid: str | None, zones: Zones, prop: str) -> When:
    """An icalendar DATE or DATE-TIME value (parsed without its TZID) as a :class:`When`."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # icalendar gives "Z" values in UTC
            return When(value.replace(tzinfo=None), "utc")
        if tzid:
            try:
                return When(value, "zoned", zones.get(tzid))
            except PropertyError as exc:
                raise PropertyError(f"{prop}.TZID", tzid, exc.reason) from None
        return When(value, "floating")
    if isinstance(value, date):
        return When(value, "date")
    raise ValueError(value)


def read_when(prop: Prop, zones: Zones) -> When:
    """A DATE or DATE-TIME property (DTSTART, DTEND, RECURRENCE-ID); a value read before in
    this calendar is not read again (a team's rota repeats a few days thousands of times)."""
    key = (prop.value, prop.params.get("TZID"))
    found = zones.whens.get(key)
    if found is None:
        found = zones.whens[key] = _read_when(prop, zones)
    return found


def _read_when(prop: Prop, zones: Zones) -> When:
    try:
        value = _date_time(prop.value.strip())
        return _instant(value, prop.params.get("TZID"), zones, prop.name)
    except _VALUE_ERRORS:
        raise PropertyError(prop.name, prop.value, "expected a DATE or DATE-TIME value") from None


def _items(text: str) -> list[str]:
    """The values of an EXDATE or RDATE property, as written."""
    return [item.strip() for item in text.split(",") if item.strip()]


def _period_days(item: str) -> int:
    """:func:`nominal_days` of an RDATE value's PERIOD duration (0 for no duration)."""
    _, slash, tail = item.partition("/")
    return nominal_days(tail) if slash else 0


def read_whens(prop: Prop, zones: Zones) -> list[tuple[When, When | timedelta | None]]:
    """EXDATE/RDATE values (with the PERIOD end or duration when there is one)."""
    items = _items(prop.value)
    if not items:
        return []
    try:
        values = _date_times(",".join(items))
    except _VALUE_ERRORS:
        values = None
    if values is None or any(isinstance(v, timedelta) for v in values):
        raise PropertyError(prop.name, prop.value, "expected a DATE or DATE-TIME value")
    try:
        return [_item(value, prop, zones) for value in values]
    except _VALUE_ERRORS:
        raise PropertyError(prop.name, prop.value, "expected a DATE or DATE-TIME value") from None


def _item(value: object, prop: Prop, zones: Zones) -> tuple[When, When | timedelta | None]:
    """One EXDATE/RDATE value: an instant, or a PERIOD (RFC 5545 §3.3.9)."""
    tzid = prop.params.get("TZID")
    if not isinstance(value, tuple):
        return _instant(value, tzid, zones, prop.name), None
    start, tail = value
    end = (
        _bounded(tail, prop.name, prop.value)
        if isinstance(tail, timedelta)
        else _instant(tail, tzid, zones, prop.name)
    )
    return _instant(start, tzid, zones, prop.name), end


def _bounded(value: timedelta, prop: str, text: str) -> timedelta:
    if abs(value.total_seconds()) > _MAX_SECONDS:
        raise PropertyError(prop, text, "a duration longer than the calendar's years")
    return value


def when_text(when: When) -> str:
    """A DATE or DATE-TIME value in the calendar's form (its TZID aside), for an error."""
    value = when.value
    text = f"{value.year:04d}{value.month:02d}{value.day:02d}"
    if isinstance(value, datetime):
        text += f"T{value.hour:02d}{value.minute:02d}{value.second:02d}"
        text += "Z" if when.kind == "utc" else ""
    return text


def duration_text(value: timedelta) -> str:
    """A DURATION value in the calendar's form (``-PT1H``), for an error."""
    written: Callable[[], bytes] = vDuration(value).to_ical
    return written().decode()


def read_duration(prop: Prop) -> timedelta:
    try:
        value = _duration(prop.value.strip().upper())
    except _VALUE_ERRORS:
        reason = "expected an RFC 5545 duration such as PT8H or P1D, of at most 9999 years"
        raise PropertyError(prop.name, prop.value, reason) from None
    if not isinstance(value, timedelta):
        raise PropertyError(prop.name, prop.value, "expected an RFC 5545 duration")
    return _bounded(value, prop.name, prop.value)


@dataclass(frozen=True, slots=True)
class Event:
    uid: str
    line: int
    index: int
    summary: str | None
    level: int
    description: str | None
    attendees: tuple[str, ...]
    cancelled: bool
    sequence: int | None
    start: When
    end: When | None
    duration: timedelta | None
    rule: RecurrenceRule | None
    exdates: tuple[When, ...]
    rdates: tuple[tuple[When, When | timedelta | None], ...]
    recurrence_id: When | None
    # the RECURRENCE-ID's RANGE parameter as written, upper case (RFC 5545 §3.2.13:
    # THISANDFUTURE); only strict reads it (oncall, as recurring-ical-events 2.1.0, does not)
    recurrence_range: str | None = None
    # the weeks and days of DURATION as written, which RFC 5545 §3.3.6 makes nominal (so many
    # days on the wall clock; ``duration`` counts them as 24 hours each): only strict reads it
    duration_days: int = 0
    # the same of each RDATE's PERIOD duration, in step with ``rdates`` (0: none, or an end)
    rdate_days: tuple[int, ...] = ()


def nominal_days(text: str) -> int:
    """The weeks and days of an RFC 5545 duration (``P2W``: 14, ``-P1DT2H``: -1), the part
    of it that is nominal (§3.3.6); its hours, minutes and seconds are exact. ``text`` is a
    duration :func:`read_duration` accepted."""
    found = _NOMINAL.match(text.strip().upper())
    if found is None:
        return 0
    sign, weeks, days = found.groups()
    count = int(weeks) * 7 if weeks else int(days or 0)
    return -count if sign == "-" else count


def _rule(node: Node, profile: str) -> RecurrenceRule | None:
    prop = node.first("RRULE")
    if prop is None:
        return None
    try:
        # the recurrence engine reads the rule (not icalendar's vRecur): it is what expands
        # it, and in oncall it reads the parts RFC 5545 forbids as filters (as dateutil does)
        return RecurrenceRule.parse(prop.value, lenient=profile == "oncall")
    except RecurrenceError as exc:
        raise PropertyError("RRULE", prop.value, f"{exc.field}: {exc.reason}") from None


def _sequence(node: Node) -> int | None:
    text = node.text("SEQUENCE")
    if text is None:
        return None
    try:
        return int(vInt.from_ical(text.strip()))
    except _VALUE_ERRORS:
        raise PropertyError("SEQUENCE", text, "must be an integer") from None


def _event(node: Node, index: int, zones: Zones) -> Event:
    start = node.first("DTSTART")
    if start is None:
        raise PropertyError("DTSTART", None, "a VEVENT needs a DTSTART")
    end, duration, rid = node.first("DTEND"), node.first("DURATION"), node.first("RECURRENCE-ID")
    summary = node.text("SUMMARY")
    return Event(
        uid=(node.text("UID") or "").strip(),
        line=node.line,
        index=index,
        summary=summary,
        level=level_of(summary),
        description=node.text("DESCRIPTION"),
        attendees=tuple(p.value for p in node.all("ATTENDEE")),
        cancelled=(node.text("STATUS") or "").strip().upper() == "CANCELLED",
        sequence=_sequence(node),
        start=read_when(start, zones),
        end=None if end is None else read_when(end, zones),
        duration=None if duration is None else read_duration(duration),
        duration_days=0 if duration is None else nominal_days(duration.value),
        rule=_rule(node, zones.profile),
        exdates=tuple(w for p in node.all("EXDATE") for w, _ in read_whens(p, zones)),
        rdates=tuple(item for p in node.all("RDATE") for item in read_whens(p, zones)),
        rdate_days=tuple(
            _period_days(item) for prop in node.all("RDATE") for item in _items(prop.value)
        ),
        recurrence_id=None if rid is None else read_when(rid, zones),
        recurrence_range=None if rid is None else _range(rid),
    )


def _range(prop: Prop) -> str | None:
    value = prop.params.get("RANGE")
    return None if value is None else value.strip().upper()


class Report:
    """``on_error``: raise a CalendarError naming the component, or record a skip."""

    def __init__(self, on_error: str, skipped: list[SkippedComponent] | None) -> None:
        self.on_error = on_error
        self.skipped = skipped

    def fail(self, uid: str | None, name: str, line: int, exc: PropertyError) -> None:
        if self.on_error != "skip":
            field = f"{name}[UID={uid or '?'}, line {line}].{exc.prop}"
            error = CalendarLimitError if exc.limit else CalendarError
            raise error(field, exc.value, exc.reason) from None
        if self.skipped is not None:
            self.skipped.append(
                SkippedComponent(
                    uid=uid or None,
                    line=line,
                    property=exc.prop,
                    reason=exc.reason,
                    limit=exc.limit,
                )
            )

    def expansion(self, event: Event, exc: Exception) -> None:
        """A VEVENT whose recurrence cannot be expanded (RRULE, EXDATE or RDATE values)."""
        if not isinstance(exc, PropertyError):
            value = getattr(exc, "value", None)
            if value is None and event.rule is not None:
                value = event.rule.to_ical()
            exc = PropertyError("RRULE", value, str(exc))
        self.fail(event.uid, "VEVENT", event.line, exc)


def read_events(root: Node, zones: Zones, report: Report) -> list[Event]:
    """The calendar's VEVENTs in order; a bad one is reported (raised, or skipped)."""
    events: list[Event] = []
    for node in root.subs:
        if node.name != "VEVENT":
            continue
        try:
            events.append(_event(node, len(events), zones))
        except PropertyError as exc:
            report.fail((node.text("UID") or "").strip(), "VEVENT", node.line, exc)
    return events
