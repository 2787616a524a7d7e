"""iCalendar schedules: calendar text in, occurrence records out; final shifts out as ICS.

:func:`calendar_records` reads an ``ical`` schedule's calendar (Google Calendar, Outlook and
Grafana OnCall exports alike) and returns one :class:`~shiftcalc.Interval` per occurrence and
matched user, for the resolution of either profile:

``oncall``
    exactly what Grafana OnCall computes (icalendar 5.0.10 + recurring-ical-events 2.1.0 +
    pytz): DTSTART always an occurrence, floating times in UTC, X-WR-TIMEZONE ignored, starts
    localised with pytz's ``is_dst=False``, ends keeping the master's elapsed length as wall
    clock, modified instances matched by date, one occurrence per UID and day when SEQUENCE is
    set, all-day events as ``00:00:00Z``..``23:59:59Z``, export-style UIDs reduced to their
    first word (``grafana-oncall-semantics.md`` §2.10, §3.1, §8.2).
``strict``
    RFC 5545: floating and all-day values in the calendar's zone (X-WR-TIMEZONE, else the
    schedule's), half-open whole days, DTSTART only when it matches the rule, RECURRENCE-ID
    matched by instant, several ATTENDEEs with ``mailto:`` stripped.

:func:`final_shifts_to_ics` writes final-shift rows as a deterministic calendar.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, Literal, NamedTuple, TypeVar

import pytz

from ._errors import CalendarError, EngineError, RecurrenceError
from ._model import (
    FinalShift,
    Interval,
    Profile,
    Schedule,
    SkippedComponent,
    Source,
    UnresolvedName,
    Window,
)
from ._oncall import _localize, _offset_at, _overlaps, _until_wall
from ._recurrence import RecurrenceRule, occurrences
from ._tz import get_zone, localize, naive_utc

__all__ = [
    "MAX_OCCURRENCES",
    "WINDOWS_ZONES",
    "SkippedComponent",
    "UnresolvedName",
    "calendar_records",
    "final_shifts_to_ics",
    "first_day",
]


_SECOND = timedelta(seconds=1)
_PADDING = timedelta(days=16)  # OnCall expands the window ± 16 days (§2.10)
MAX_OCCURRENCES = 100_000
"""The default cap on the instances one VEVENT's RRULE may generate for one query.

A year of a rule every 6 minutes is 87,600: any real rota fits, while ``FREQ=SECONDLY`` over
a month (2.6 million) is refused before it costs minutes and gigabytes.
"""
_T = TypeVar("_T")
_D = TypeVar("_D", date, datetime)
_FAR_FUTURE = datetime(2200, 1, 1)  # VTIMEZONE rules are expanded up to here
_MAX_TRANSITIONS = 2000

# Windows zone names (Outlook/Exchange TZIDs) → IANA, from CLDR's windowsZones.xml
# (territory "001"; a few links replaced by their current IANA names).
WINDOWS_ZONES: dict[str, str] = {
    "Dateline Standard Time": "Etc/GMT+12",
    "UTC-11": "Etc/GMT+11",
    "Aleutian Standard Time": "America/Adak",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Marquesas Standard Time": "Pacific/Marquesas",
    "Alaskan Standard Time": "America/Anchorage",
    "UTC-09": "Etc/GMT+9",
    "Pacific Standard Time (Mexico)": "America/Tijuana",
    "UTC-08": "Etc/GMT+8",
    "Pacific Standard Time": "America/Los_Angeles",
    "US Mountain Standard Time": "America/Phoenix",
    "Mountain Standard Time (Mexico)": "America/Mazatlan",
    "Mountain Standard Time": "America/Denver",
    "Yukon Standard Time": "America/Whitehorse",
    "Central America Standard Time": "America/Guatemala",
    "Central Standard Time": "America/Chicago",
    "Easter Island Standard Time": "Pacific/Easter",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "Canada Central Standard Time": "America/Regina",
    "SA Pacific Standard Time": "America/Bogota",
    "Eastern Standard Time (Mexico)": "America/Cancun",
    "Eastern Standard Time": "America/New_York",
    "Haiti Standard Time": "America/Port-au-Prince",
    "Cuba Standard Time": "America/Havana",
    "US Eastern Standard Time": "America/Indiana/Indianapolis",
    "Turks And Caicos Standard Time": "America/Grand_Turk",
    "Paraguay Standard Time": "America/Asuncion",
    "Atlantic Standard Time": "America/Halifax",
    "Venezuela Standard Time": "America/Caracas",
    "Central Brazilian Standard Time": "America/Cuiaba",
    "SA Western Standard Time": "America/La_Paz",
    "Pacific SA Standard Time": "America/Santiago",
    "Newfoundland Standard Time": "America/St_Johns",
    "Tocantins Standard Time": "America/Araguaina",
    "E. South America Standard Time": "America/Sao_Paulo",
    "SA Eastern Standard Time": "America/Cayenne",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "Greenland Standard Time": "America/Nuuk",
    "Montevideo Standard Time": "America/Montevideo",
    "Magallanes Standard Time": "America/Punta_Arenas",
    "Saint Pierre Standard Time": "America/Miquelon",
    "Bahia Standard Time": "America/Bahia",
    "UTC-02": "Etc/GMT+2",
    "Mid-Atlantic Standard Time": "Etc/GMT+2",
    "Azores Standard Time": "Atlantic/Azores",
    "Cape Verde Standard Time": "Atlantic/Cape_Verde",
    "UTC": "Etc/UTC",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "Sao Tome Standard Time": "Africa/Sao_Tome",
    "Morocco Standard Time": "Africa/Casablanca",
    "W. Europe Standard Time": "Europe/Berlin",
    "Central Europe Standard Time": "Europe/Budapest",
    "Romance Standard Time": "Europe/Paris",
    "Central European Standard Time": "Europe/Warsaw",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "Jordan Standard Time": "Asia/Amman",
    "GTB Standard Time": "Europe/Bucharest",
    "Middle East Standard Time": "Asia/Beirut",
    "Egypt Standard Time": "Africa/Cairo",
    "E. Europe Standard Time": "Europe/Chisinau",
    "Syria Standard Time": "Asia/Damascus",
    "West Bank Standard Time": "Asia/Hebron",
    "South Africa Standard Time": "Africa/Johannesburg",
    "FLE Standard Time": "Europe/Kyiv",
    "Israel Standard Time": "Asia/Jerusalem",
    "South Sudan Standard Time": "Africa/Juba",
    "Kaliningrad Standard Time": "Europe/Kaliningrad",
    "Sudan Standard Time": "Africa/Khartoum",
    "Libya Standard Time": "Africa/Tripoli",
    "Namibia Standard Time": "Africa/Windhoek",
    "Arabic Standard Time": "Asia/Baghdad",
    "Turkey Standard Time": "Europe/Istanbul",
    "Arab Standard Time": "Asia/Riyadh",
    "Belarus Standard Time": "Europe/Minsk",
    "Russian Standard Time": "Europe/Moscow",
    "E. Africa Standard Time": "Africa/Nairobi",
    "Volgograd Standard Time": "Europe/Volgograd",
    "Iran Standard Time": "Asia/Tehran",
    "Arabian Standard Time": "Asia/Dubai",
    "Astrakhan Standard Time": "Europe/Astrakhan",
    "Azerbaijan Standard Time": "Asia/Baku",
    "Russia Time Zone 3": "Europe/Samara",
    "Mauritius Standard Time": "Indian/Mauritius",
    "Saratov Standard Time": "Europe/Saratov",
    "Georgian Standard Time": "Asia/Tbilisi",
    "Caucasus Standard Time": "Asia/Yerevan",
    "Afghanistan Standard Time": "Asia/Kabul",
    "West Asia Standard Time": "Asia/Tashkent",
    "Ekaterinburg Standard Time": "Asia/Yekaterinburg",
    "Pakistan Standard Time": "Asia/Karachi",
    "Qyzylorda Standard Time": "Asia/Qyzylorda",
    "India Standard Time": "Asia/Kolkata",
    "Sri Lanka Standard Time": "Asia/Colombo",
    "Nepal Standard Time": "Asia/Kathmandu",
    "Central Asia Standard Time": "Asia/Bishkek",
    "Bangladesh Standard Time": "Asia/Dhaka",
    "Omsk Standard Time": "Asia/Omsk",
    "Myanmar Standard Time": "Asia/Yangon",
    "SE Asia Standard Time": "Asia/Bangkok",
    "Altai Standard Time": "Asia/Barnaul",
    "W. Mongolia Standard Time": "Asia/Hovd",
    "North Asia Standard Time": "Asia/Krasnoyarsk",
    "N. Central Asia Standard Time": "Asia/Novosibirsk",
    "Tomsk Standard Time": "Asia/Tomsk",
    "China Standard Time": "Asia/Shanghai",
    "North Asia East Standard Time": "Asia/Irkutsk",
    "Singapore Standard Time": "Asia/Singapore",
    "W. Australia Standard Time": "Australia/Perth",
    "Taipei Standard Time": "Asia/Taipei",
    "Ulaanbaatar Standard Time": "Asia/Ulaanbaatar",
    "Aus Central W. Standard Time": "Australia/Eucla",
    "Transbaikal Standard Time": "Asia/Chita",
    "Tokyo Standard Time": "Asia/Tokyo",
    "North Korea Standard Time": "Asia/Pyongyang",
    "Korea Standard Time": "Asia/Seoul",
    "Yakutsk Standard Time": "Asia/Yakutsk",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "AUS Central Standard Time": "Australia/Darwin",
    "E. Australia Standard Time": "Australia/Brisbane",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "West Pacific Standard Time": "Pacific/Port_Moresby",
    "Tasmania Standard Time": "Australia/Hobart",
    "Vladivostok Standard Time": "Asia/Vladivostok",
    "Lord Howe Standard Time": "Australia/Lord_Howe",
    "Bougainville Standard Time": "Pacific/Bougainville",
    "Russia Time Zone 10": "Asia/Srednekolymsk",
    "Magadan Standard Time": "Asia/Magadan",
    "Norfolk Standard Time": "Pacific/Norfolk",
    "Sakhalin Standard Time": "Asia/Sakhalin",
    "Central Pacific Standard Time": "Pacific/Guadalcanal",
    "Russia Time Zone 11": "Asia/Kamchatka",
    "New Zealand Standard Time": "Pacific/Auckland",
    "UTC+12": "Etc/GMT-12",
    "Fiji Standard Time": "Pacific/Fiji",
    "Chatham Islands Standard Time": "Pacific/Chatham",
    "UTC+13": "Etc/GMT-13",
    "Tonga Standard Time": "Pacific/Tongatapu",
    "Samoa Standard Time": "Pacific/Apia",
    "Line Islands Standard Time": "Pacific/Kiritimati",
}


# --------------------------------------------------------------------------- content lines


@dataclass(frozen=True, slots=True)
class _Line:
    name: str  # upper case
    params: dict[str, str]  # upper-case names; values unquoted, several values joined by ","
    value: str
    line: int


@dataclass(slots=True)
class _Component:
    name: str
    line: int
    props: list[_Line] = field(default_factory=list)
    subs: list[_Component] = field(default_factory=list)

    def first(self, name: str) -> _Line | None:
        return next((p for p in self.props if p.name == name), None)

    def all(self, name: str) -> list[_Line]:
        return [p for p in self.props if p.name == name]

    def text(self, name: str) -> str | None:
        prop = self.first(name)
        return None if prop is None else _unescape(prop.value)


class _PropertyError(Exception):
    """A bad property inside one component (wrapped into CalendarError or a skip)."""

    def __init__(self, prop: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.prop = prop
        self.value = value
        self.reason = reason


def _unfold(text: str) -> Iterator[tuple[int, str]]:
    """Logical content lines with the physical line number they start on."""
    current: str | None = None
    start = 0
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if raw[:1] in (" ", "\t") and current is not None:
            current += raw[1:]
            continue
        if current is not None and current.strip():
            yield start, current
        current, start = raw, number
    if current is not None and current.strip():
        yield start, current


_NAME_RE = re.compile(r"[A-Za-z0-9-]+")


def _content_line(number: int, raw: str) -> _Line:
    match = _NAME_RE.match(raw)
    if match is None:
        raise CalendarError(f"line {number}", raw, "not an iCalendar content line")
    name = match.group().upper()
    pos = match.end()
    params: dict[str, str] = {}
    while pos < len(raw) and raw[pos] == ";":
        eq = raw.find("=", pos + 1)
        if eq < 0:
            raise CalendarError(f"line {number}.{name}", raw, "a parameter without '='")
        pname = raw[pos + 1 : eq].strip().upper()
        pos = eq + 1
        values: list[str] = []
        while True:
            if raw[pos : pos + 1] == '"':
                close = raw.find('"', pos + 1)
                if close < 0:
                    raise CalendarError(f"line {number}.{name}", raw, "an unterminated quote")
                values.append(raw[pos + 1 : close])
                pos = close + 1
            else:
                stop = pos
                while stop < len(raw) and raw[stop] not in ",;:":
                    stop += 1
                values.append(raw[pos:stop])
                pos = stop
            if raw[pos : pos + 1] == ",":
                pos += 1
                continue
            break
        params[pname] = ",".join(values)
    if raw[pos : pos + 1] != ":":
        raise CalendarError(f"line {number}.{name}", raw, "expected ':' before the value")
    return _Line(name, params, raw[pos + 1 :], number)


def _parse_calendar(text: str) -> _Component:
    if not isinstance(text, str):
        raise CalendarError("calendar", text, "must be iCalendar text")
    stack: list[_Component] = []
    root: _Component | None = None
    for number, raw in _unfold(text.lstrip("\ufeff")):
        line = _content_line(number, raw)
        if line.name == "BEGIN":
            component = _Component(line.value.strip().upper(), number)
            if stack:
                stack[-1].subs.append(component)
            elif root is not None:
                raise CalendarError(f"line {number}", raw, "content after END:VCALENDAR")
            else:
                root = component
            stack.append(component)
        elif line.name == "END":
            name = line.value.strip().upper()
            if not stack or stack[-1].name != name:
                expected = stack[-1].name if stack else "nothing"
                raise CalendarError(f"line {number}.END", raw, f"expected END:{expected}")
            stack.pop()
        elif not stack:
            raise CalendarError(
                f"line {number}.{line.name}", raw, "a property outside BEGIN:VCALENDAR"
            )
        else:
            stack[-1].props.append(line)
    if root is None or root.name != "VCALENDAR":
        raise CalendarError("calendar", text[:60], "no BEGIN:VCALENDAR")
    if stack:
        raise CalendarError(
            f"{stack[-1].name}[line {stack[-1].line}]", stack[-1].name, "no END line"
        )
    scale = root.text("CALSCALE")
    if scale is not None and scale.strip().upper() != "GREGORIAN":
        raise CalendarError("VCALENDAR.CALSCALE", scale, "only GREGORIAN calendars are supported")
    return root


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _escape(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")  # a bare CR ends a line too
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


_BREAKS = re.compile(r"[\r\n]")


# --------------------------------------------------------------------------- VTIMEZONE


class _VTimezone(tzinfo):
    """A zone defined only by a VTIMEZONE block: fold-aware (zoneinfo style) and pytz-like."""

    def __init__(self, name: str, transitions: list[tuple[datetime, timedelta, timedelta, bool]]):
        super().__init__()
        self.name = name
        self.transitions = transitions  # (naive UTC instant, offset before, after, DST after)
        self.instants = [t[0] for t in transitions]
        self.wall_switch = [t[0] + t[1] for t in transitions]  # wall time read before it

    def __repr__(self) -> str:
        return f"_VTimezone({self.name!r})"

    def _at_utc(self, utc: datetime) -> timedelta:
        i = bisect_right(self.instants, utc) - 1
        if i < 0:
            return self.transitions[0][1] if self.transitions else timedelta(0)
        return self.transitions[i][2]

    def wall_offset(self, wall: datetime, fold: int) -> timedelta:
        if not self.transitions:
            return timedelta(0)
        i = bisect_right(self.wall_switch, wall) - 1
        if i < 0:
            current = self.transitions[0][1]
        else:
            at, before, after, _ = self.transitions[i]
            if after > before and wall < at + after:  # skipped by a spring-forward change
                return before if fold == 0 else after
            current = after
        if i + 1 < len(self.transitions):
            at, before, after, _ = self.transitions[i + 1]
            if after < before and wall >= at + after:  # repeated by a fall-back change
                return before if fold == 0 else after
        return current

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        if dt is None:
            return None
        return self.wall_offset(dt.replace(tzinfo=None), dt.fold)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str | None:
        return self.name

    def fromutc(self, dt: datetime) -> datetime:
        utc = dt.replace(tzinfo=None)
        wall = utc + self._at_utc(utc)
        fold = 0 if wall - self.wall_offset(wall, 0) == utc else 1
        return wall.replace(tzinfo=self, fold=fold)

    def pytz_offset(self, wall: datetime) -> timedelta:
        """The offset pytz's ``localize(wall, is_dst=False)`` would give."""
        first, second = self.wall_offset(wall, 0), self.wall_offset(wall, 1)
        if first == second or second > first:  # unique, or skipped: the offset before the gap
            return first
        i = bisect_right(self.wall_switch, wall)  # repeated: the standard-time reading
        is_dst_after = self.transitions[i][3] if i < len(self.transitions) else False
        return first if is_dst_after else second

    def offset_at(self, instant: datetime) -> timedelta:
        return self._at_utc(instant.astimezone(UTC).replace(tzinfo=None))


def _offset_value(text: str) -> timedelta:
    """A UTC offset (RFC 5545 §3.3.14): ``±hhmm[ss]``, hours 00-23, minutes/seconds 00-59."""
    match = re.fullmatch(r"([+-])(\d{2})(\d{2})(\d{2})?", text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a UTC offset such as +0100")
    hours, minutes, seconds = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(f"{text!r}: a UTC offset is less than 24 hours")
    sign = -1 if match.group(1) == "-" else 1
    return sign * timedelta(hours=hours, minutes=minutes, seconds=seconds)


@lru_cache(maxsize=64)
def _build_vtimezone(
    name: str, parts: tuple[tuple[str, str, str, str, str | None, tuple[str, ...]], ...]
) -> _VTimezone:
    transitions: list[tuple[datetime, timedelta, timedelta, bool]] = []
    for kind, dtstart, offset_from, offset_to, rrule, rdates in parts:
        start = _basic_datetime(dtstart)
        before, after = _offset_value(offset_from), _offset_value(offset_to)
        walls: list[datetime] = [start]
        if rrule is not None:
            for wall in occurrences(rrule, start, end=_FAR_FUTURE):
                assert isinstance(wall, datetime)
                walls.append(wall)
                if len(walls) > _MAX_TRANSITIONS:
                    break
        for value in rdates:
            walls.append(_basic_datetime(value))
        for wall in sorted(set(walls)):
            transitions.append((wall - before, before, after, kind == "DAYLIGHT"))
    transitions.sort(key=lambda t: t[0])
    return _VTimezone(name, transitions)


def _basic_datetime(text: str) -> datetime:
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?", text.strip())
    if match is None:
        raise ValueError(text)
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    return datetime(year, month, day, hour, minute, second)


def _vtimezone(component: _Component) -> _VTimezone:
    name = (component.text("TZID") or "").strip()
    parts = []
    for sub in component.subs:
        if sub.name not in ("STANDARD", "DAYLIGHT"):
            continue
        values = [sub.first(key) for key in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO")]
        if any(v is None for v in values):
            raise _PropertyError(
                sub.name, sub.name, "DTSTART, TZOFFSETFROM and TZOFFSETTO are required"
            )
        rrule = sub.first("RRULE")
        rdates = tuple(v for p in sub.all("RDATE") for v in p.value.split(","))
        parts.append(
            (
                sub.name,
                *(v.value for v in values if v is not None),
                None if rrule is None else rrule.value,
                rdates,
            )
        )
    try:
        return _build_vtimezone(name, tuple(parts))
    except (ValueError, RecurrenceError) as exc:
        raise _PropertyError("STANDARD", name, f"unreadable VTIMEZONE: {exc}") from None


# --------------------------------------------------------------------------- zones


@dataclass(frozen=True, slots=True)
class _Zone:
    """A resolved zone: an IANA name (pytz + zoneinfo) or a VTIMEZONE definition."""

    name: str | None = None
    custom: _VTimezone | None = None

    @property
    def tzinfo(self) -> tzinfo:
        if self.custom is not None:
            return self.custom
        assert self.name is not None
        return get_zone(self.name)

    def pytz_localize(self, wall: datetime) -> datetime:
        """``wall`` localised like pytz's ``localize(is_dst=False)``, as a fixed offset."""
        if self.custom is not None:
            return wall.replace(tzinfo=timezone(self.custom.pytz_offset(wall)))
        assert self.name is not None
        return _localize(wall, self.name, strict=False, field="")

    def offset_at(self, instant: datetime) -> timedelta:
        if self.custom is not None:
            return self.custom.offset_at(instant)
        assert self.name is not None
        return _offset_at(instant, self.name)


_UTC_ZONE = _Zone(name="UTC")


def _iana(name: str, profile: Profile) -> str | None:
    """The IANA name for a TZID (pytz's database in oncall, zoneinfo in strict), or None."""
    candidates = [name.strip(), name.strip().strip("/")]
    if name.strip() in WINDOWS_ZONES:
        candidates.append(WINDOWS_ZONES[name.strip()])
    for candidate in candidates:
        if not candidate:
            continue
        try:
            if profile == "oncall":
                pytz.timezone(candidate)
            get_zone(candidate)
        except (KeyError, pytz.UnknownTimeZoneError, ValueError):
            continue
        return candidate
    return None


class _Zones:
    """TZID lookup for one calendar."""

    def __init__(self, root: _Component, profile: Profile) -> None:
        self.profile = profile
        self.definitions = {
            (c.text("TZID") or "").strip(): c for c in root.subs if c.name == "VTIMEZONE"
        }
        self.cache: dict[str, _Zone] = {}

    def get(self, tzid: str) -> _Zone:
        tzid = tzid.strip()
        if tzid not in self.cache:
            name = _iana(tzid, self.profile)
            if name is not None:
                self.cache[tzid] = _Zone(name=name)
            elif tzid in self.definitions:
                self.cache[tzid] = _Zone(custom=_vtimezone(self.definitions[tzid]))
            else:
                raise _PropertyError("TZID", tzid, "unknown time zone and no VTIMEZONE defines it")
        return self.cache[tzid]


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class _When:
    """A DATE or DATE-TIME value as written: ``zone`` None means UTC (``Z``) or floating."""

    value: datetime | date  # naive wall clock, or a date
    kind: Literal["date", "utc", "floating", "zoned"]
    zone: _Zone | None = None


_DT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")


def _when(text: str, params: dict[str, str], zones: _Zones, prop: str) -> _When:
    match = _DT_RE.fullmatch(text.strip())
    if match is None:
        raise _PropertyError(prop, text, "expected a DATE or DATE-TIME value")
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match.group(4) is None:
            return _When(day, "date")
        wall = datetime.combine(
            day, time(int(match.group(4)), int(match.group(5)), int(match.group(6)))
        )
    except ValueError as exc:
        raise _PropertyError(prop, text, str(exc)) from None
    if match.group(7):
        return _When(wall, "utc")
    tzid = params.get("TZID")
    if tzid:
        try:
            return _When(wall, "zoned", zones.get(tzid))
        except _PropertyError as exc:
            raise _PropertyError(f"{prop}.TZID", tzid, exc.reason) from None
    return _When(wall, "floating")


def _whens(line: _Line, zones: _Zones) -> list[tuple[_When, _When | timedelta | None]]:
    """EXDATE/RDATE values (with the PERIOD end or duration when there is one)."""
    result: list[tuple[_When, _When | timedelta | None]] = []
    for item in line.value.split(","):
        if not item.strip():
            continue
        if "/" in item:
            head, tail = item.split("/", 1)
            start = _when(head, line.params, zones, line.name)
            end: _When | timedelta = (
                _duration(tail, line.name)
                if tail.strip()[:1] in "+-P"
                else _when(tail, line.params, zones, line.name)
            )
            result.append((start, end))
        else:
            result.append((_when(item, line.params, zones, line.name), None))
    return result


# Years 1 to 9999 hold about 3.2e11 seconds: a longer duration cannot end anywhere
_MAX_SECONDS = int((datetime.max - datetime.min).total_seconds())
_MAX_DURATION_DIGITS = 12
_DURATION_RE = re.compile(r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")


def _duration(text: str, prop: str) -> timedelta:
    match = _DURATION_RE.fullmatch(text.strip().upper())
    if (
        match is None
        or text.strip().upper() in ("P", "PT", "+P", "-P")
        or text.strip().endswith("T")
    ):
        raise _PropertyError(prop, text, "expected an RFC 5545 duration such as PT8H or P1D")
    sign, *parts = match.groups()
    total = 0
    for digits, unit in zip(parts, (604_800, 86_400, 3_600, 60, 1), strict=True):
        if digits is None:
            continue
        if len(digits.lstrip("0")) > _MAX_DURATION_DIGITS:
            raise _PropertyError(prop, text, "a duration longer than the calendar's years")
        total += int(digits) * unit
    if total > _MAX_SECONDS:
        raise _PropertyError(prop, text, "a duration longer than the calendar's years")
    value = timedelta(seconds=total)
    return -value if sign == "-" else value


# --------------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class _Event:
    uid: str
    line: int
    index: int
    summary: str | None
    level: int
    description: str | None
    attendees: tuple[str, ...]
    cancelled: bool
    sequence: int | None
    start: _When
    end: _When | None
    duration: timedelta | None
    rule: RecurrenceRule | None
    exdates: tuple[_When, ...]
    rdates: tuple[tuple[_When, _When | timedelta | None], ...]
    recurrence_id: _When | None


def _event(component: _Component, index: int, zones: _Zones) -> _Event:
    uid = (component.text("UID") or "").strip()
    start_line = component.first("DTSTART")
    if start_line is None:
        raise _PropertyError("DTSTART", None, "a VEVENT needs a DTSTART")
    start = _when(start_line.value, start_line.params, zones, "DTSTART")
    end_line = component.first("DTEND")
    end = None if end_line is None else _when(end_line.value, end_line.params, zones, "DTEND")
    duration_line = component.first("DURATION")
    duration = None if duration_line is None else _duration(duration_line.value, "DURATION")
    rule = None
    rrule_line = component.first("RRULE")
    if rrule_line is not None:
        try:
            # OnCall's engine (dateutil) reads the parts RFC 5545 forbids as filters
            rule = RecurrenceRule.parse(rrule_line.value, lenient=zones.profile == "oncall")
        except RecurrenceError as exc:
            raise _PropertyError("RRULE", rrule_line.value, f"{exc.field}: {exc.reason}") from None
    sequence_text = component.text("SEQUENCE")
    sequence = None
    if sequence_text is not None:
        try:
            sequence = int(sequence_text.strip())
        except ValueError:
            raise _PropertyError("SEQUENCE", sequence_text, "must be an integer") from None
    rid_line = component.first("RECURRENCE-ID")
    status = (component.text("STATUS") or "").strip().upper()
    summary = component.text("SUMMARY")
    return _Event(
        uid=uid,
        line=component.line,
        index=index,
        summary=summary,
        level=_level(summary),
        description=component.text("DESCRIPTION"),
        attendees=tuple(_unescape(p.value) for p in component.all("ATTENDEE")),
        cancelled=status == "CANCELLED",
        sequence=sequence,
        start=start,
        end=end,
        duration=duration,
        rule=rule,
        exdates=tuple(w for p in component.all("EXDATE") for w, _ in _whens(p, zones)),
        rdates=tuple(item for p in component.all("RDATE") for item in _whens(p, zones)),
        recurrence_id=None
        if rid_line is None
        else _when(rid_line.value, rid_line.params, zones, "RECURRENCE-ID"),
    )


def _capped(values: Iterable[_T], event: _Event, limit: int) -> Iterator[_T]:
    """``values`` (the instances of ``event``'s rule), refused past ``limit`` of them.

    Counted as they come, so that memory stays bounded by the limit however many there are.
    """
    for count, value in enumerate(values, 1):
        if count > limit:
            rule = "" if event.rule is None else event.rule.to_ical()
            raise _PropertyError(
                "RRULE",
                rule,
                f"more than {limit} occurrences in one query (max_occurrences={limit})",
            )
        yield value


def _instances(
    event: _Event,
    rule: RecurrenceRule,
    dtstart: _D,
    start: _D,
    end: _D,
    limit: int,
    **options: Any,
) -> Iterator[datetime | date]:
    """The instances of ``rule`` in ``[start, end)``, refused past ``limit`` of them.

    With COUNT the rule is walked from DTSTART (every earlier instance uses up the count), so
    the instances before ``start`` count against the limit too: the cost is the walk's.
    """
    if end < start:  # an UNTIL before the window: occurrences() refuses a window backwards
        return iter(())
    if rule.count is None:
        found = occurrences(rule, dtstart, start=start, end=end, **options)
        return _capped(found, event, limit)
    walked = _capped(occurrences(rule, dtstart, end=end, **options), event, limit)
    return (value for value in walked if not value < start)


class _Report:
    """``on_error``: raise a CalendarError naming the component, or record a skip."""

    def __init__(self, on_error: str, skipped: list[SkippedComponent] | None) -> None:
        self.on_error = on_error
        self.skipped = skipped

    def fail(self, uid: str | None, name: str, line: int, exc: _PropertyError) -> None:
        if self.on_error != "skip":
            field = f"{name}[UID={uid or '?'}, line {line}].{exc.prop}"
            raise CalendarError(field, exc.value, exc.reason) from None
        if self.skipped is not None:
            self.skipped.append(
                SkippedComponent(uid=uid or None, line=line, property=exc.prop, reason=exc.reason)
            )

    def expansion(self, event: _Event, exc: Exception) -> None:
        """A VEVENT whose recurrence cannot be expanded (RRULE, EXDATE or RDATE values)."""
        if not isinstance(exc, _PropertyError):
            value = getattr(exc, "value", None)
            if value is None and event.rule is not None:
                value = event.rule.to_ical()
            exc = _PropertyError("RRULE", value, str(exc))
        self.fail(event.uid, "VEVENT", event.line, exc)


def _events(root: _Component, zones: _Zones, report: _Report) -> list[_Event]:
    events: list[_Event] = []
    for component in root.subs:
        if component.name != "VEVENT":
            continue
        try:
            events.append(_event(component, len(events), zones))
        except _PropertyError as exc:
            report.fail((component.text("UID") or "").strip(), "VEVENT", component.line, exc)
    return events


# --------------------------------------------------------------------------- users, levels, ids

_LEVEL_RE = re.compile(r"^\[L(\d+)\]")
_MAX_LEVEL_DIGITS = 18  # "[Ln]": a level is a small number; more digits is not a level
_UID_V2 = re.compile(r"oncall-(.*)-PK(.*)-U(\d+)-E(\d+)-S(\d+)")
_UID_V1 = re.compile(r"amixr-(.*)-U(\d+)-E(\d+)-S(\d+)")
_UID_EXPORT = re.compile(r"([\w\d]+)-(\d+)-([\w\d]+)")
_SOURCES: dict[str, Source] = {"0": "web", "1": "api", "2": "slack", "3": "terraform"}


def _level(summary: str | None) -> int:
    match = _LEVEL_RE.match((summary or "").strip())
    if match is None:
        return 0
    digits = match.group(1)
    if len(digits.lstrip("0")) > _MAX_LEVEL_DIGITS:
        raise _PropertyError(
            "SUMMARY", summary, f"a [Ln] level has at most {_MAX_LEVEL_DIGITS} digits"
        )
    return int(digits)


def _name(text: str) -> str:
    return _LEVEL_RE.sub("", text.strip(), count=1).strip()


def _candidates(event: _Event, profile: Profile, *, directory: bool) -> list[tuple[str, str]]:
    """The (property, name) pairs an event names users by, each name once.

    Without a user directory the names *are* the users, so only the properties that name
    people count: SUMMARY and ATTENDEE (``mailto:`` stripped), not DESCRIPTION's free text.
    """
    names: list[tuple[str, str]] = []
    for prop, text in (("SUMMARY", event.summary), ("DESCRIPTION", event.description)):
        if text is not None and (directory or prop == "SUMMARY"):
            names.append((prop, _name(text)))
    attendees = event.attendees
    if profile == "oncall" and len(attendees) != 1:
        attendees = ()  # OnCall reads the ATTENDEE only when there is exactly one
    for attendee in attendees:
        value = attendee.strip()
        if (profile == "strict" or not directory) and value[:7].lower() == "mailto:":
            value = value[7:]  # OnCall compares the value verbatim (§8.2)
        names.append(("ATTENDEE", value.strip()))
    seen: set[str] = set()
    result = []
    for prop, name in names:
        if name and name not in seen:
            seen.add(name)
            result.append((prop, name))
    return result


class _Users:
    """Calendar names to user ids: by username or e-mail in any case (one user at most, as
    the directory guarantees), or every name when the schedule has no directory."""

    def __init__(self, schedule: Schedule) -> None:
        self.directory = schedule.has_directory
        self.schedule = schedule

    def find(self, name: str) -> tuple[str, ...]:
        if not self.directory:
            return (name,)
        found = self.schedule.find_user_by_name(name)
        return () if found is None else (found,)


def _rid_text(rid: _When, profile: Profile) -> str:
    value = rid.value
    if rid.kind == "date" or not isinstance(value, datetime):
        return value.isoformat()
    if rid.kind == "utc":
        return value.replace(tzinfo=UTC).isoformat()
    if rid.kind == "floating" or rid.zone is None:
        return value.isoformat()
    if profile == "strict":
        # the strict reading of the zone: it may be one pytz lacks (posix/..., right/...)
        return localize(value, rid.zone.tzinfo).isoformat()
    return rid.zone.pytz_localize(value).isoformat()


def _shift_id(event: _Event, profile: Profile) -> tuple[str | None, Source | None]:
    """Grafana OnCall's ``parse_event_uid`` (§3.1.3): the shift id and the source."""
    match = _UID_V2.match(event.uid)
    if match:
        return match.group(2), _SOURCES.get(match.group(5))
    match = _UID_V1.match(event.uid)
    if match:
        return None, _SOURCES.get(match.group(4))
    match = _UID_EXPORT.match(event.uid)
    if match:
        return match.group(1), None
    pk = event.uid
    if event.sequence:
        pk = f"{pk}_{event.sequence}"
    if event.recurrence_id is not None:
        pk = f"{pk}_{_rid_text(event.recurrence_id, profile)}"
    return pk, None


# --------------------------------------------------------------------------- oncall expansion


class _Occurrence(NamedTuple):
    # a tuple, not a dataclass: a calendar makes hundreds of thousands of them per query
    event: _Event
    start: datetime  # aware (oncall: fixed offset) or, for all-day, midnight UTC
    end: datetime
    all_day: bool
    day: date  # the calendar date recurring-ical-events compares modified instances by


def _oncall_instant(when: _When) -> datetime:
    """A DATE-TIME as icalendar 5 + pytz read it (floating = UTC, TZID localised is_dst=False)."""
    assert isinstance(when.value, datetime)
    if when.kind == "zoned" and when.zone is not None:
        return when.zone.pytz_localize(when.value)
    return when.value.replace(tzinfo=UTC)


def _oncall_zone(when: _When) -> _Zone:
    """The zone :func:`_oncall_instant` reads ``when`` in (UTC for UTC and floating values)."""
    return when.zone if when.kind == "zoned" and when.zone is not None else _UTC_ZONE


def _as_date(when: _When) -> date:
    return when.value.date() if isinstance(when.value, datetime) else when.value


@lru_cache(maxsize=4096)  # all-day events of a calendar share their days
def _shifted(value: _D, by: timedelta) -> _D:
    """``value + by``, held at the first or last representable value (years 1 and 9999): a
    search bound past the calendar's range searches the whole range on that side."""
    try:
        return value + by
    except OverflowError:
        far = datetime.min if by < timedelta(0) else datetime.max
        if isinstance(value, datetime):
            return far.replace(tzinfo=value.tzinfo)
        return far.date()


def _local_date(instant: datetime, zone: tzinfo) -> date:
    """The date of ``instant`` in ``zone`` (the UTC date at the ends of the range)."""
    try:
        return instant.astimezone(zone).date()
    except OverflowError:
        return instant.date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _oncall_until(rule: RecurrenceRule, dtstart: datetime) -> datetime | None:
    until = rule.until
    if until is None:
        return None
    if not isinstance(until, datetime):  # recurring-ical-events appends T000000Z
        return _midnight(until)
    if until.tzinfo is None:
        # dateutil refuses a floating UNTIL with a zoned DTSTART; recurring-ical-events then
        # appends the Z (and a floating DTSTART reads as UTC anyway)
        return until.replace(tzinfo=UTC)
    return until


def _oncall_timed(
    event: _Event, low: datetime, high: datetime, limit: int
) -> Iterator[_Occurrence]:
    dtstart = _oncall_instant(event.start)
    zone = _oncall_zone(event.start)
    if event.end is not None and event.end.kind != "date":
        length = _oncall_instant(event.end) - dtstart
    elif event.end is not None:
        length = _midnight(_as_date(event.end)) - dtstart
    else:
        length = event.duration if event.duration is not None else timedelta(0)
    search_low = _shifted(low, -max(length, timedelta(0)))
    # Each occurrence's start, by dateutil's value (a rule's wall time at DTSTART's offset),
    # which is what it sorts and de-duplicates: two wall times that localise to one instant
    # across a DST gap are two occurrences.
    starts: dict[datetime, datetime] = {dtstart: dtstart}
    rule = event.rule
    until = None if rule is None else _oncall_until(rule, dtstart)
    # recurring-ical-events re-localises starts, and drops those after UNTIL that are not
    # RDATEs, only when the event has a pytz zone: that of its first TZID or UTC value
    # (DTSTART, DTEND, EXDATE, RDATE) in icalendar 5; an all-floating event has none
    pytz_zoned = any(
        when is not None and when.kind in ("utc", "zoned")
        for when in (event.start, event.end, *event.exdates, *(w for w, _ in event.rdates))
    )
    if rule is not None:
        margin = timedelta(days=1)
        wall_low = _shifted(naive_utc(search_low), -margin)
        wall_high = _shifted(naive_utc(high), margin)
        if until is not None:
            # dateutil stops past UNTIL: given an hour more and compared at DTSTART's offset
            # in a pytz zone (as in _oncall), as written for a floating start
            last = _until_wall(until, dtstart) if pytz_zoned else naive_utc(until)
            wall_high = min(wall_high, last)
        wall_start = dtstart.replace(tzinfo=None)
        walls = _instances(
            event,
            replace(rule, until=None),
            wall_start,
            wall_low,
            wall_high,
            limit,
            end_inclusive=True,
            dtstart_always=True,
        )
        for wall in walls:
            assert isinstance(wall, datetime)
            if wall != wall_start:  # DTSTART is in already
                key = (wall - wall_start) + dtstart
                starts.setdefault(key, zone.pytz_localize(wall))
    # an RDATE PERIOD sets the end of every occurrence starting at its instant (the library
    # looks its ends up by start), a series' own one included
    period_ends: dict[datetime, timedelta | _When] = {}
    rdates: set[datetime] = set()
    for when, period in event.rdates:
        if when.kind == "date":
            continue
        start = _oncall_instant(when)
        starts[start] = start  # dateutil keeps one of equal values: the RDATE's, read as written
        rdates.add(start)
        if period is not None and not (isinstance(period, _When) and period.kind == "date"):
            period_ends[start] = period
    excluded = {_oncall_instant(w) for w in event.exdates if w.kind != "date"}
    for key, start in sorted(starts.items()):
        # dateutil drops an EXDATE equal to its value, the library one equal to the start
        if start in excluded or key in excluded or not search_low <= start <= high:
            continue
        if pytz_zoned and until is not None and start > until and start not in rdates:
            continue
        explicit = period_ends.get(start)
        # the library's end: the start plus the length (at the start's offset), or a PERIOD's
        # end as written (then read in its own zone)
        end_zone = zone
        if isinstance(explicit, _When):
            raw_end = _oncall_instant(explicit)
            end_zone = _oncall_zone(explicit)
        else:
            raw_end = start + (length if explicit is None else explicit)
        if raw_end < start:
            # recurring-ical-events asserts start <= end on every occurrence it looks at
            raise EngineError(
                f"VEVENT[UID={event.uid or '?'}, line {event.line}].DTEND",
                raw_end.isoformat(),
                "AssertionError: the event must start before it ends",
            )
        offset = raw_end.utcoffset()
        assert offset is not None
        # OnCall normalises that end: its wall clock at the offset in force then (so the
        # master's elapsed length is kept as wall-clock length, as in _oncall)
        end = raw_end - (end_zone.offset_at(raw_end) - offset)
        local_day = start.date()
        yield _Occurrence(event, start, end, False, local_day)


def _oncall_all_day(
    event: _Event, low: datetime, high: datetime, limit: int
) -> Iterator[_Occurrence]:
    first = _as_date(event.start)
    if event.end is not None:
        length = (_as_date(event.end) - first).days
    elif event.duration is not None:
        length = event.duration.days
    else:
        length = 0  # the engine's end = DTSTART (ENGINE QUIRK, see the module docs)
    days: set[date] = {first}  # DTSTART always counts, UNTIL or not: dates have no zone
    lo = _shifted(low.date(), -timedelta(days=max(length, 0) + 1))
    hi = _shifted(high.date(), timedelta(days=1))
    rule = event.rule
    if rule is not None:
        until = rule.until
        until_day = (
            None if until is None else (until.date() if isinstance(until, datetime) else until)
        )
        instances = _instances(
            event,
            replace(rule, until=None),
            first,
            lo,
            hi,
            limit,
            end_inclusive=True,
            dtstart_always=True,
        )
        for day in instances:
            assert isinstance(day, date)
            if until_day is None or day <= until_day:
                days.add(day)
    days.update(_as_date(w) for w, _ in event.rdates)
    excluded = {_as_date(w) for w in event.exdates}
    span = timedelta(days=length)
    for day in sorted(days):
        if day in excluded or not lo <= day <= hi:
            continue
        yield _Occurrence(event, _midnight(day), _midnight(day + span), True, day)


def _oncall_occurrences(
    events: list[_Event], window: Window, report: _Report, limit: int
) -> list[_Occurrence]:
    """recurring-ical-events 2.1.0's ``between`` over the padded window, then OnCall's filter."""
    low, high = _shifted(window.start, -_PADDING), _shifted(window.end, _PADDING)
    # the last one kept per UID and day, with its place in ``order`` (a dict, so that a
    # replaced occurrence leaves in constant time)
    latest: dict[tuple[str, date], tuple[int, _Occurrence]] = {}
    order: dict[int, _Occurrence] = {}
    places = itertools.count()

    def add(occ: _Occurrence) -> None:
        # recurring-ical-events compares each occurrence with the last one it kept for the
        # same UID and day only: a modified instance replaces that one, not every one that day
        event = occ.event
        rid = event.recurrence_id
        key = (event.uid, occ.day if rid is None else _as_date(rid))
        kept = latest.get(key)
        if kept is not None:
            place, other = kept
            modified = rid is not None
            other_modified = other.event.recurrence_id is not None
            if modified and not other_modified:
                del order[place]
            elif other_modified and not modified:
                return
            elif event.sequence is not None and other.event.sequence is not None:
                if event.sequence < other.event.sequence:
                    return
                del order[place]
        place = next(places)
        latest[key] = (place, occ)
        order[place] = occ

    for event in events:
        expand = _oncall_all_day if event.start.kind == "date" else _oncall_timed
        try:
            found = list(expand(event, low, high, limit))
        except (_PropertyError, RecurrenceError, ValueError, OverflowError) as exc:
            report.expansion(event, exc)
            continue
        for occ in found:
            add(occ)
    result = []
    for occ in order.values():
        if occ.event.cancelled:
            continue
        if occ.all_day:
            if _overlaps(window, occ.start, occ.end):
                # §3.1: all-day events end at 23:59:59Z of their last day.
                if occ.end == _midnight(date.min):
                    reason = "the all-day event ends a second before year 1"
                    report.expansion(occ.event, _PropertyError("DTEND", None, reason))
                    continue
                end = occ.end - _SECOND
                result.append(_Occurrence(occ.event, occ.start, end, True, occ.day))
            continue
        if _overlaps(window, occ.start, occ.end) and occ.start < occ.end:
            result.append(occ)
    return result


# --------------------------------------------------------------------------- strict expansion


class _StrictContext:
    """The calendar's zone for floating and all-day values: X-WR-TIMEZONE, else the schedule's."""

    def __init__(self, root: _Component, schedule: Schedule, zones: _Zones) -> None:
        self.midnights: dict[date, datetime] = {}
        name = root.text("X-WR-TIMEZONE")
        if name is not None and name.strip():
            try:
                self.zone: tzinfo = zones.get(name).tzinfo
            except (_PropertyError, KeyError):
                raise CalendarError("VCALENDAR.X-WR-TIMEZONE", name, "unknown time zone") from None
            return
        try:
            self.zone = get_zone(schedule.time_zone)
        except KeyError:
            raise CalendarError(
                "schedule.time_zone", schedule.time_zone, "unknown time zone"
            ) from None

    def local(self, when: _When) -> datetime:
        """The value in its own zone (RFC 5545 §3.3.5 for skipped and repeated times)."""
        value = when.value
        if not isinstance(value, datetime):
            return localize(datetime.combine(value, time()), self.zone)
        if when.kind == "utc":
            return value.replace(tzinfo=UTC)
        if when.kind == "zoned" and when.zone is not None:
            return localize(value, when.zone.tzinfo)
        return localize(value, self.zone)

    def instant(self, when: _When) -> datetime:
        """The value as a UTC instant (arithmetic on zoned datetimes is wall-clock arithmetic)."""
        return self.local(when).astimezone(UTC)

    def midnight(self, day: date) -> datetime:
        """The instant the day starts in the calendar's zone (all-day events share few days)."""
        found = self.midnights.get(day)
        if found is None:
            found = self.midnights[day] = self.instant(_When(day, "date"))
        return found


def _strict_expand(
    event: _Event, ctx: _StrictContext, window: Window, limit: int
) -> Iterator[tuple[datetime, datetime]]:
    """Instances of a master VEVENT as (start, end) instants, RFC 5545 (EXDATE/RDATE included)."""
    if event.start.kind == "date":
        first = _as_date(event.start)
        if event.end is not None:
            days = (_as_date(event.end) - first).days
        elif event.duration is not None:
            days = event.duration.days
        else:
            days = 1  # RFC 5545 §3.6.1: a DATE DTSTART alone lasts one day
        lo = _shifted(_local_date(window.start, ctx.zone), -timedelta(days=max(days, 0) + 1))
        hi = _shifted(_local_date(window.end, ctx.zone), timedelta(days=1))
        exdates = [_as_date(w) for w in event.exdates]
        rdates = [_as_date(w) for w, _ in event.rdates]
        if event.rule is None:
            instances: list[date] = sorted({first, *rdates} - set(exdates))
        else:
            found = _instances(
                event, event.rule, first, lo, hi, limit, exdates=exdates, rdates=rdates
            )
            instances = [d for d in found if isinstance(d, date)]
        length = timedelta(days=days)
        for day in instances:
            if lo <= day < hi:
                yield ctx.midnight(day), ctx.midnight(day + length)
        return
    dtstart = ctx.local(event.start)
    if event.end is not None:
        length = ctx.instant(event.end) - dtstart.astimezone(UTC)
    else:
        length = event.duration if event.duration is not None else timedelta(0)
    explicit: dict[datetime, datetime] = {}
    rdates_at: list[datetime] = []
    for when, period in event.rdates:
        start = ctx.instant(when)
        rdates_at.append(start)
        if isinstance(period, _When):
            explicit[start] = ctx.instant(period)
        elif isinstance(period, timedelta):
            explicit[start] = start + period
    exdates_at = [ctx.instant(w) if w.kind != "date" else _as_date(w) for w in event.exdates]
    low = _shifted(window.start, -max(length, *(e - s for s, e in explicit.items()), timedelta(0)))
    if event.rule is None:
        excluded = set(exdates_at)
        starts = sorted(
            s
            for s in {dtstart.astimezone(UTC), *rdates_at}
            if s not in excluded and s.date() not in excluded
        )
    else:
        found = _instances(
            event,
            event.rule,
            dtstart,
            low,
            window.end,
            limit,
            exdates=exdates_at,
            rdates=rdates_at,
        )
        starts = [s for s in found if isinstance(s, datetime)]
    for start in starts:
        utc = start.astimezone(UTC)
        yield utc, explicit.get(utc, utc + length)


def _strict_occurrences(
    events: list[_Event], ctx: _StrictContext, window: Window, report: _Report, limit: int
) -> list[_Occurrence]:
    # The latest SEQUENCE (then the last in the file) of each (UID, RECURRENCE-ID instant).
    modified: dict[tuple[str, datetime], _Event] = {}
    for event in events:
        if event.recurrence_id is None:
            continue
        key = (event.uid, ctx.instant(event.recurrence_id))
        other = modified.get(key)
        if other is None or (event.sequence or 0) >= (other.sequence or 0):
            modified[key] = event
    masters = {event.uid: event for event in events if event.recurrence_id is None}
    result: list[_Occurrence] = []
    for event in events:
        if event.cancelled:
            continue  # a cancelled series, or a cancelled instance (its RECURRENCE-ID counts)
        if event.recurrence_id is not None:
            if modified.get((event.uid, ctx.instant(event.recurrence_id))) is not event:
                continue  # superseded by a higher SEQUENCE
            master = masters.get(event.uid)
            if event.end is None and event.duration is None and master is not None:
                event = replace(event, duration=_strict_length(master, ctx))
            event = replace(event, rule=None, rdates=(), exdates=())
        try:
            spans = [
                (start, end)
                for start, end in _strict_expand(event, ctx, window, limit)
                if event.recurrence_id is not None or (event.uid, start) not in modified
            ]
        except (_PropertyError, RecurrenceError, ValueError, OverflowError) as exc:
            report.expansion(event, exc)
            continue
        all_day = event.start.kind == "date"
        for start, end in spans:
            if start < end and start < window.end and window.start < end:
                result.append(_Occurrence(event, start, end, all_day, start.date()))
    return result


def _strict_length(master: _Event, ctx: _StrictContext) -> timedelta:
    """The master's duration, for an instance that has no end of its own."""
    single = replace(master, rule=None, rdates=(), exdates=())
    spans = list(_strict_expand(single, ctx, _ALL, MAX_OCCURRENCES))
    return spans[0][1] - spans[0][0] if spans else timedelta(0)


_ALL = Window(start=datetime(1, 1, 2, tzinfo=UTC), end=datetime(9999, 12, 30, tzinfo=UTC))


# --------------------------------------------------------------------------- public API


def calendar_records(
    text: str,
    schedule: Schedule,
    window: Window,
    *,
    profile: Profile,
    overrides: bool,
    on_error: Literal["raise", "skip"] = "raise",
    skipped: list[SkippedComponent] | None = None,
    unresolved: list[UnresolvedName] | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
) -> list[Interval]:
    """The occurrence records of the calendar ``text`` overlapping ``window`` (UTC instants).

    One :class:`~shiftcalc.Interval` per (occurrence, matched user), in calendar order then
    occurrence order; an occurrence matching nobody gives one record with ``users=()`` and the
    unmatched names in ``missing_users``. ``overrides`` marks the records as overrides.

    Users: with a directory (``schedule.users`` not empty) a name matches users by username
    (exactly, else in any letter case) or e-mail (any letter case), and each name of an event
    with an occurrence in the window that matches nobody is appended to ``unresolved``.
    Without one, the names are the users (id = username = the name): the SUMMARY without its
    ``[Ln]`` prefix and the ATTENDEEs the profile reads, ``mailto:`` stripped.

    Raises:
        CalendarError: text that is not an iCalendar, or (unless ``on_error="skip"``, which
            appends a :class:`SkippedComponent` to ``skipped`` instead) a VEVENT with a bad
            property; ``field`` is ``VEVENT[UID=…, line N].PROPERTY``, ``value`` the text.
            A VEVENT whose RRULE generates more than ``max_occurrences`` instances for this
            query (the window, padded by 16 days in ``oncall``) is one such: its ``.RRULE``.
    """
    if profile not in ("strict", "oncall"):
        raise CalendarError("profile", profile, "expected 'strict' or 'oncall'")
    if on_error not in ("raise", "skip"):
        raise CalendarError("on_error", on_error, "expected 'raise' or 'skip'")
    if isinstance(max_occurrences, bool) or not isinstance(max_occurrences, int):
        raise CalendarError("max_occurrences", max_occurrences, "expected an integer")
    if max_occurrences < 1:
        raise CalendarError("max_occurrences", max_occurrences, "must be at least 1")
    window = Window(start=window.start.astimezone(UTC), end=window.end.astimezone(UTC))
    root = _parse_calendar(text)
    zones = _Zones(root, profile)
    report = _Report(on_error, skipped)
    events = _events(root, zones, report)
    if profile == "oncall":
        found = _oncall_occurrences(events, window, report, max_occurrences)
    else:
        context = _StrictContext(root, schedule, zones)
        found = _strict_occurrences(events, context, window, report, max_occurrences)
    users = _Users(schedule)
    calendar: Literal["primary", "overrides"] = "overrides" if overrides else "primary"
    heads: dict[int, _Head] = {}
    records: list[Interval] = []
    append = records.append
    for occ in found:
        event = occ.event
        head = heads.get(event.index)
        if head is None:
            head = heads[event.index] = _head(event, profile, users, calendar, unresolved)
        groups, missing, shift_id, source = head
        start, end = occ.start.astimezone(UTC), occ.end.astimezone(UTC)
        for group in groups:
            append(
                Interval(
                    start=start,
                    end=end,
                    users=group,
                    level=event.level,
                    is_override=overrides,
                    shift_id=shift_id,
                    all_day=occ.all_day,
                    missing_users=missing,
                    source=source,
                )
            )
    return records


_Head = tuple[tuple[tuple[str, ...], ...], tuple[str, ...], str | None, Source | None]


def _head(
    event: _Event,
    profile: Profile,
    users: _Users,
    calendar: Literal["primary", "overrides"],
    unresolved: list[UnresolvedName] | None,
) -> _Head:
    """What every record of ``event`` shares: one user group per record (``()`` for the one
    record of an event that matches nobody), the missing names, the shift id and the source.

    Reports each name that matches nobody to ``unresolved`` (once per event).
    """
    matched: list[str] = []
    missing: list[str] = []
    for prop, name in _candidates(event, profile, directory=users.directory):
        found = users.find(name)
        matched.extend(found)
        if not found:
            missing.append(name)
            if unresolved is not None:
                unresolved.append(
                    UnresolvedName(
                        name=name,
                        calendar=calendar,
                        uid=event.uid or None,
                        line=event.line,
                        property=prop,
                    )
                )
    shift_id, source = _shift_id(event, profile)
    groups = tuple((user,) for user in dict.fromkeys(matched)) or ((),)
    return groups, tuple(missing), shift_id, source


# --------------------------------------------------------------------------- export


def _stamp(value: datetime) -> str:
    # by hand: strftime's %Y does not pad years before 1000 to four digits on every platform
    v = value.astimezone(UTC)
    return f"{v.year:04d}{v.month:02d}{v.day:02d}T{v.hour:02d}{v.minute:02d}{v.second:02d}Z"


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence.

    Linear in the line: cuts are found in its UTF-8 bytes, stepping back over continuation
    bytes (``10xxxxxx``) to the start of the character.
    """
    if len(line) <= 75 and line.isascii():
        return line
    data = line.encode("utf-8")
    pieces: list[bytes] = []
    pos, limit = 0, 75
    while len(data) - pos > limit:
        cut = pos + limit
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        pieces.append(data[pos:cut])
        pos, limit = cut, 74  # a continuation line starts with a space
    pieces.append(data[pos:])
    return "\r\n ".join(piece.decode("utf-8") for piece in pieces)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text_value(value: str, field: str) -> str:
    """``value`` checked for what a calendar cannot carry (RFC 5545 §3.3.11, §3.1.4)."""
    bad = _CONTROL.search(value.replace("\r\n", "\n").replace("\r", "\n"))
    if bad is not None:
        raise CalendarError(field, value, f"a control character {bad.group()!r} in calendar text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        reason = f"not writable as UTF-8 ({exc.reason}: {value[exc.start : exc.end]!r})"
        raise CalendarError(field, value, reason) from None
    return value


def first_day(text: str) -> date | None:
    """The earliest day on which a VEVENT of the calendar starts (its DTSTART's date as
    written), or None for a calendar without one; components that cannot be read are passed
    over. The command line starts its default window for a calendar file there.

    Raises:
        CalendarError: text that is not a calendar at all.
    """
    root = _parse_calendar(text)
    events = _events(root, _Zones(root, "strict"), _Report("skip", []))
    days = [_day_of(event.start.value) for event in events]
    return min(days, default=None)


def _day_of(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def final_shifts_to_ics(
    rows: Sequence[FinalShift], schedule: Schedule, *, name: str | None = None
) -> str:
    """Final-shift rows as an iCalendar document (one VEVENT per row), byte-for-byte stable.

    DTSTART/DTEND are UTC; SUMMARY is the user's username and ATTENDEE their e-mail when
    known; UIDs hash the row (user, start, end, shift) and never collide; DTSTAMP is the
    earliest row start (no clock is read). Lines end with CRLF and are folded at 75 octets.
    """
    title = name or schedule.name or "shiftcalc final shifts"
    stamp = _stamp(min((row.start for row in rows), default=datetime(1970, 1, 1, tzinfo=UTC)))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//shiftcalc//final shifts//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(_text_value(title, 'name'))}",
        "X-WR-TIMEZONE:UTC",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    ]
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        user = schedule.user(row.user)
        username = _text_value(user.username, f"rows[{index}].user ({row.user!r}).username")
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
        uid = f"{digest}{'' if count == 0 else f'-{count}'}@shiftcalc"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_stamp(row.start)}",
            f"DTEND:{_stamp(row.end)}",
            f"SUMMARY:{_escape(username)}",
        ]
        if user.email:
            email = _text_value(user.email, f"rows[{index}].user ({row.user!r}).email")
            if _BREAKS.search(email):
                raise CalendarError(
                    f"rows[{index}].user ({row.user!r}).email",
                    email,
                    "a line break in an e-mail address",
                )
            # a quoted parameter value holds no '"' and no line break (RFC 5545 §3.1)
            cn = _BREAKS.sub(" ", username.replace('"', "'"))
            lines.append(f'ATTENDEE;CN="{cn}":mailto:{email}')
        if row.is_override:
            lines.append("PRIORITY:1")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
