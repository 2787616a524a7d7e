"""Time zones: names to zones, pytz and zoneinfo alike, and wall clock to instant.

Every zone is handled internally as a :class:`zoneinfo.ZoneInfo` (or ``timezone.utc``); a pytz
zone passed in by a caller is converted by name, so both libraries give the same answers.
"""

from __future__ import annotations

import operator
import os
import struct
import zoneinfo
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from importlib import resources
from itertools import repeat
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "NEAR",
    "STEADY_SPAN",
    "as_utc",
    "as_zone",
    "attach",
    "attach_offset",
    "detach",
    "explicit_transitions",
    "get_zone",
    "is_utc",
    "localize",
    "naive_utc",
    "shifted",
    "tzif_data",
    "wall_clock",
]

# What the fast paths assume of the tz database (tests/test_zone_data.py checks the installed
# data, all of its history): a zone's offset changes are more than 3 days 23 hours apart
# (Freetown's 1939 summer time lasted four days; since 1970 the closest are a week apart:
# Brazil's 2000 summer time that some regions dropped after a week, Gaza's predicted Ramadan
# breaks), and no change is larger than a day (Samoa skipped 2011-12-30).
#
# So equal offsets a day before and after a wall time mean it is neither skipped nor repeated
# (a skipped or repeated stretch is at most a day long, so the readings fall outside it, and
# two changes do not fit in two days); and equal offsets at both ends of a wall span no longer
# than STEADY_SPAN mean no change in between, since with a day for the largest jump it still
# fits between two changes.
MIN_CHANGE_SPACING = timedelta(days=3, hours=23)
NEAR = timedelta(days=1)
STEADY_SPAN = timedelta(days=2)

_UTC_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Z", "Etc/Universal", "Universal", "Zulu"}
)


@lru_cache(maxsize=512)
def get_zone(name: str) -> tzinfo:
    """Return the zone called ``name`` (an IANA name); raise ``KeyError`` when there is none."""
    if name in _UTC_NAMES:
        return UTC
    if not name or name.startswith(("/", ".")) or ".." in name:
        raise KeyError(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise KeyError(name) from exc


def as_zone(tz: tzinfo) -> tzinfo:
    """Return ``tz`` as a zoneinfo zone: pytz zones are converted by their name."""
    name = getattr(tz, "zone", None)  # pytz zones carry their IANA name here
    if isinstance(name, str):
        return get_zone(name)
    key = getattr(tz, "key", None)
    if isinstance(key, str) and key in _UTC_NAMES:
        return UTC
    return tz


def is_utc(tz: tzinfo) -> bool:
    """True for UTC under any of its names."""
    zone = as_zone(tz)
    return zone is UTC or getattr(zone, "key", None) in _UTC_NAMES


def localize(wall: datetime, tz: tzinfo) -> datetime:
    """Attach ``tz`` to the naive wall-clock ``wall`` by RFC 5545 §3.3.5.

    A time that a DST change skips takes the offset in force before the gap (02:30 on a
    spring-forward night in New York is 07:30Z, i.e. 03:30 EDT); a repeated time takes its
    first instance. Both are what PEP 495's ``fold=0`` means, so zoneinfo does it directly.
    """
    return attach(wall, as_zone(tz))


def wall_clock(instant: datetime, tz: tzinfo) -> datetime:
    """The naive wall-clock reading of the aware ``instant`` in ``tz`` (fold 0)."""
    return detach(instant.astimezone(as_zone(tz)))


# Moving a datetime between naive and aware by arithmetic from the epoch gives what
# ``replace(tzinfo=...)`` gives at a fraction of the cost (CPython parses replace's keywords on
# every call), and the hot loops convert every occurrence.
_NAIVE_EPOCH = datetime(1970, 1, 1)
_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=256)
def _epoch(tz: tzinfo) -> datetime:
    return datetime(1970, 1, 1, tzinfo=tz)


def attach(wall: datetime, tz: tzinfo) -> datetime:
    """``wall.replace(tzinfo=tz, fold=0)`` for a naive ``wall``."""
    return _epoch(tz) + (wall - _NAIVE_EPOCH)


@lru_cache(maxsize=128)
def _offset_epoch(offset: timedelta) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC if not offset else timezone(offset))


def attach_offset(wall: datetime, offset: timedelta) -> datetime:
    """The naive ``wall`` at the fixed UTC ``offset`` (``UTC`` itself for no offset)."""
    return _offset_epoch(offset) + (wall - _NAIVE_EPOCH)


def detach(aware: datetime) -> datetime:
    """``aware.replace(tzinfo=None)`` (fold 0): the wall-clock digits of ``aware``."""
    return _NAIVE_EPOCH + (aware - _epoch(aware.tzinfo))


def as_utc(naive: datetime) -> datetime:
    """The naive UTC reading ``naive`` as an aware UTC datetime."""
    return _UTC_EPOCH + (naive - _NAIVE_EPOCH)


def as_utc_each(naives: Iterable[datetime]) -> Iterator[datetime]:
    """:func:`as_utc` of each naive UTC reading, lazily and in C: no Python frame per value
    (a calendar of distinct times converts one start per occurrence)."""
    return map(_UTC_EPOCH.__add__, map(operator.sub, naives, repeat(_NAIVE_EPOCH)))


def naive_utc(instant: datetime) -> datetime:
    """The aware ``instant`` as a naive UTC reading."""
    return _NAIVE_EPOCH + (instant - _UTC_EPOCH)


# --------------------------------------------------------------------------- zone files


def tzif_data(name: str) -> bytes | None:
    """The TZif file zoneinfo reads for ``name``: the first on TZPATH, else tzdata's (None
    when there is none)."""
    for directory in zoneinfo.TZPATH:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            with open(path, "rb") as file:
                return file.read()
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def explicit_transitions(data: bytes) -> list[tuple[int, int]]:
    """``(UTC seconds, new offset in seconds)`` of each explicit transition of a TZif file,
    in order (version 2 or later: the 64-bit block; version 1: the 32-bit one); after the
    last one zoneinfo follows the file's footer rule. Empty for what is not a TZif file."""
    if data[:4] != b"TZif":
        return []
    changes, end = _tzif_block(data, 0, 4)
    if data[4:5] != b"\x00":
        changes, end = _tzif_block(data, end, 8)
    return changes


def _tzif_block(data: bytes, at: int, time_size: int) -> tuple[list[tuple[int, int]], int]:
    """One data block's transitions, and where the block ends (RFC 8536 §3)."""
    isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = struct.unpack(
        ">6l", data[at + 20 : at + 44]
    )
    at += 44
    times = struct.unpack(
        f">{timecnt}{'q' if time_size == 8 else 'l'}", data[at:][: timecnt * time_size]
    )
    at += timecnt * time_size
    indices = data[at : at + timecnt]
    at += timecnt
    offsets = [struct.unpack(">l", data[at + 6 * i : at + 6 * i + 4])[0] for i in range(typecnt)]
    at += 6 * typecnt + charcnt + leapcnt * (time_size + 4) + isstdcnt + isutcnt
    return [(t, offsets[i]) for t, i in zip(times, indices, strict=True)], at


_D = TypeVar("_D", date, datetime)


def shifted(value: _D, by: timedelta) -> _D:
    """``value + by`` (a date or a datetime), held at the first or last representable value
    (years 1 and 9999): a search bound past the range searches the whole range on that side."""
    try:
        return value + by
    except OverflowError:
        far = datetime.min if by < timedelta(0) else datetime.max
        if isinstance(value, datetime):
            return far.replace(tzinfo=value.tzinfo)
        return far.date()
