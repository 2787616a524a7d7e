"""Pictures of a schedule: a text timeline for terminals and a standalone SVG document.

Both are drawn from one :class:`Blocks` value built from a resolution (its final-shift rows
and gaps: the final lane) and the expanded occurrences (one lane per rank: each level's
shifts, each override level), so the picture and the rows cannot disagree. Every function is
a pure function of its arguments: no clock, no environment, the same input gives the same
bytes (colour in text is the caller's choice, see ``color``).

Cost: O((blocks + cells) log blocks) for the text (cells: rows × lanes × cells per lane, at
most about a hundred a row), O(blocks log blocks + ticks) for the SVG.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from xml.sax.saxutils import escape as _escape

from ._errors import ValidationError
from ._merge import split_for_swaps
from ._model import FinalShift, Interval, Schedule, utc_instant
from ._resolve import Resolution, expand
from ._tz import get_zone, localize

__all__ = ["Block", "Blocks", "Lane", "timeline_blocks", "timeline_svg", "timeline_text"]

_MIN_UTC = datetime.min.replace(tzinfo=UTC)
_MAX_UTC = datetime.max.replace(tzinfo=UTC)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)

# Twelve colours that differ in hue and lightness, so neighbours stay apart in grey too; black
# text reads on every one of them. ANSI: the nearest colour of the 256-colour cube.
PALETTE = (
    "#8dd3c7",
    "#ffffb3",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#d9d9d9",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
)
_ANSI = (116, 229, 146, 210, 110, 215, 149, 225, 252, 139, 194, 227)
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
OTHER = "*"  # users past the 62 letters
MIN_WIDTH = 40
MAX_LISTED = 24  # changes of offset listed under the text grid; past it, a count
MAX_WIDTH = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """One drawn block: ``user`` (an id; None for a gap or an unresolved occurrence) from
    ``start`` to ``end`` (UTC, clipped to the window) in its lane."""

    start: datetime
    end: datetime
    user: str | None
    shift: str = ""  # the shift's name (or id, or calendar UID); for a gap, its kind
    is_override: bool = False
    swapped: bool = False  # a taken swap put ``user`` here
    is_gap: bool = False
    missing: tuple[str, ...] = ()  # iCal names that matched no user


@dataclass(frozen=True, slots=True, kw_only=True)
class Lane:
    """A lane: a rank's occurrences (``L0``, ``overrides``…) or the final shifts (``final``)."""

    name: str
    blocks: tuple[Block, ...]  # sorted by (start, end, user)


@dataclass(frozen=True, slots=True, kw_only=True)
class Blocks:
    """What a picture shows: the lanes (layers from the lowest rank, then ``final``), the
    window, the display zone, the users' letters and colours, and the schedule's name."""

    title: str
    profile: str
    window_start: datetime
    window_end: datetime
    zone: tzinfo
    zone_name: str
    lanes: tuple[Lane, ...]
    usernames: dict[str, str]  # id -> username, in legend order
    letters: dict[str, str]
    colors: dict[str, int]  # id -> palette index


def timeline_blocks(
    resolution: Resolution, schedule: Schedule, *, layers: Sequence[Interval] | None = None
) -> Blocks:
    """The lanes of a picture of ``resolution`` (of ``schedule``).

    ``layers`` are the occurrences drawn in the layer lanes; by default the schedule's
    :func:`expand` over the resolution's window in its profile, with taken swaps applied as
    the strict profile applies them. The final lane is ``resolution.shifts`` and ``gaps``.
    """
    window = resolution.window
    if layers is None:
        layers = expand(schedule, window, profile=resolution.profile)
        swaps = [
            replace(
                swap,
                swap_start=utc_instant(swap.swap_start, "swap_start"),
                swap_end=utc_instant(swap.swap_end, "swap_end"),
            )
            for swap in schedule.swaps
        ]
        layers = split_for_swaps(list(layers), swaps) if swaps else layers
    ranks: dict[tuple[bool, int], list[Block]] = {}
    for interval in layers:
        start, end = max(interval.start, window.start), min(interval.end, window.end)
        if start >= end:
            continue
        found = ranks.setdefault((interval.is_override, interval.level), [])
        for user in interval.users or (None,):
            found.append(
                Block(
                    start=start,
                    end=end,
                    user=user,
                    shift=_shift_name(interval, schedule),
                    is_override=interval.is_override,
                    swapped=bool(interval.origin and interval.origin.swaps),
                    missing=interval.missing_users,
                )
            )
    override_levels = sum(1 for is_override, _ in ranks if is_override)
    lanes = [
        Lane(name=_lane_name(rank, override_levels), blocks=tuple(sorted(found, key=_order)))
        for rank, found in sorted(ranks.items())
    ]
    lanes.append(Lane(name="final", blocks=_final_blocks(resolution, ranks)))
    return _with_users(resolution, schedule, tuple(lanes))


def _order(block: Block) -> tuple[datetime, datetime, str, str]:
    return (block.start, block.end, block.user or "", block.shift)


def _lane_name(rank: tuple[bool, int], override_levels: int) -> str:
    is_override, level = rank
    if not is_override:
        return f"L{level}"
    return "overrides" if override_levels == 1 else f"overrides L{level}"


def _shift_name(interval: Interval, schedule: Schedule) -> str:
    if 0 <= interval.shift_index < len(schedule.shifts):
        shift = schedule.shifts[interval.shift_index]
        return shift.name or shift.id or f"shifts[{interval.shift_index}]"
    return interval.shift_id or ""


def _final_blocks(
    resolution: Resolution, ranks: dict[tuple[bool, int], list[Block]]
) -> tuple[Block, ...]:
    """Final rows (named by the occurrences of their rank that they overlap) and gaps."""
    index: dict[tuple[bool, int, str | None], list[Block]] = {}
    for (is_override, level), found in ranks.items():
        for block in found:
            index.setdefault((is_override, level, block.user), []).append(block)
    starts = {key: [block.start for block in found] for key, found in index.items()}
    blocks = []
    for row in resolution.shifts:
        if row.start >= row.end:
            continue  # oncall's zero-length rows have nothing to draw
        key = (row.is_override, row.level, row.user)
        sources = _overlapping(row, index.get(key, []), starts.get(key, []))
        names = dict.fromkeys(block.shift for block in sources if block.shift)
        blocks.append(
            Block(
                start=row.start,
                end=row.end,
                user=row.user,
                shift=", ".join(names) or (row.shift_id or ""),
                is_override=row.is_override,
                swapped=any(block.swapped for block in sources),
            )
        )
    for gap in resolution.gaps:
        if gap.start < gap.end:
            blocks.append(
                Block(
                    start=gap.start,
                    end=gap.end,
                    user=None,
                    shift=gap.kind,
                    is_gap=True,
                    missing=gap.missing_users,
                )
            )
    return tuple(sorted(blocks, key=_order))


def _overlapping(row: FinalShift, found: list[Block], starts: list[datetime]) -> list[Block]:
    """The blocks of ``found`` (sorted by start) that overlap ``row``; occurrences of one
    user at one rank rarely overlap each other, so one step back from the bisection is enough
    for every case but nested ones, which only name fewer shifts."""
    result = []
    for at in range(max(bisect.bisect_right(starts, row.start) - 1, 0), len(found)):
        block = found[at]
        if block.start >= row.end:
            break
        if block.end > row.start:
            result.append(block)
    return result


def _with_users(resolution: Resolution, schedule: Schedule, lanes: tuple[Lane, ...]) -> Blocks:
    users = sorted(
        {block.user for lane in lanes for block in lane.blocks if block.user is not None},
        key=lambda user: (schedule.user(user).username.casefold(), user),
    )
    usernames = {user: schedule.user(user).username for user in users}
    zone, zone_name = _display_zone(schedule, resolution.window.start, resolution.window.end)
    return Blocks(
        title=schedule.name or "schedule",
        profile=resolution.profile,
        window_start=resolution.window.start,
        window_end=resolution.window.end,
        zone=zone,
        zone_name=zone_name,
        lanes=lanes,
        usernames=usernames,
        letters=_letters(usernames),
        colors=_colors(users, lanes),
    )


def _display_zone(schedule: Schedule, start: datetime, end: datetime) -> tuple[tzinfo, str]:
    """The schedule's zone, or UTC where its wall clock leaves the years 1 to 9999 near the
    window (a picture at the ends of time is drawn in UTC; the header says so)."""
    try:
        zone = get_zone(schedule.time_zone)
        for instant in (start, end):
            wall = instant.astimezone(zone).replace(tzinfo=None)
            if not datetime(1, 2, 1) <= wall <= datetime(9999, 11, 30):
                return UTC, "UTC"
    except (KeyError, OverflowError):
        return UTC, "UTC"
    return zone, schedule.time_zone


def _letters(usernames: dict[str, str]) -> dict[str, str]:
    """A distinct letter per user: the username's first letter when free (alice: a), else
    another of its letters, else the first free one; ``*`` past 62 users."""
    taken: set[str] = set()
    letters = {}
    for user, name in usernames.items():
        alnum = [c for c in name if c.isascii() and c.isalnum()]
        # the first letter, then the others from the end: names that share a prefix
        # (user01, user02) usually differ at the end
        wishes = [c.lower() for c in alnum[:1]] + [c.upper() for c in alnum[:1]]
        wishes += [c.lower() for c in reversed(alnum[1:])]
        letter = next((c for c in [*wishes, *_LETTERS] if c not in taken), OTHER)
        if letter != OTHER:
            taken.add(letter)
        letters[user] = letter
    return letters


def _preferred(user: str) -> int:
    """A user's own palette index: from a hash of the id, so it does not depend on order."""
    digest = hashlib.sha256(user.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % len(PALETTE)


def _colors(users: Sequence[str], lanes: tuple[Lane, ...]) -> dict[str, int]:
    """A palette index per user: its hashed index unless a neighbour (the next block in a
    lane) already took it, then the next free one; users in order of (hashed index, id)."""
    neighbours: dict[str, set[str]] = {user: set() for user in users}
    for lane in lanes:
        people = [block.user for block in lane.blocks if block.user is not None]
        for a, b in itertools.pairwise(people):
            if a != b:
                neighbours[a].add(b)
                neighbours[b].add(a)
    colors: dict[str, int] = {}
    for user in sorted(users, key=lambda user: (_preferred(user), user)):
        used = {colors[other] for other in neighbours[user] if other in colors}
        first = _preferred(user)
        colors[user] = next(
            (c for c in (first + k for k in range(len(PALETTE))) if c % len(PALETTE) not in used),
            first,
        ) % len(PALETTE)
    return colors


# --- time grid --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    """A row's length: how to find a row's wall-clock start and the next, the cell steps to
    choose from (finest first) and how a row and a cell's tick are labelled."""

    name: str
    longest: timedelta  # the longest a row is on the wall clock
    steps: tuple[timedelta, ...]
    floor: Callable[[datetime], datetime]
    after: Callable[[datetime], datetime]
    label: Callable[[datetime], str]
    tick: Callable[[datetime], str]


def _next_month(wall: datetime) -> datetime:
    return wall.replace(year=wall.year + wall.month // 12, month=wall.month % 12 + 1, day=1)


def _next_year(wall: datetime) -> datetime:
    return wall.replace(year=wall.year + 1, month=1, day=1)


# English names, whatever the process's locale (strftime's %a and %b follow LC_TIME)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(wall: datetime) -> str:
    return _DAYS[wall.weekday()]


def _month(wall: datetime) -> str:
    return _MONTHS[wall.month - 1]


def _day_text(wall: datetime) -> str:
    return f"{_day(wall)} {wall.date().isoformat()}"


_UNITS = (
    _Unit(
        "hour",
        _HOUR,
        tuple(timedelta(minutes=m) for m in (5, 10, 15, 20, 30, 60)),
        lambda w: w.replace(minute=0, second=0, microsecond=0),
        lambda w: w + _HOUR,
        lambda w: f"{_day(w)} {w.day:02d} {w.hour:02d}:00",
        lambda w: f":{w:%M}",
    ),
    _Unit(
        "day",
        _DAY,
        tuple(timedelta(hours=h) for h in (1, 2, 3, 4, 6, 8, 12, 24)),
        lambda w: w.replace(hour=0, minute=0, second=0, microsecond=0),
        lambda w: w + _DAY,
        _day_text,
        lambda w: str(w.hour),
    ),
    _Unit(
        "week",
        7 * _DAY,
        tuple(timedelta(hours=h) for h in (6, 12, 24, 84, 168)),
        lambda w: w.replace(hour=0, minute=0, second=0, microsecond=0) - w.weekday() * _DAY,
        lambda w: w + 7 * _DAY,
        _day_text,
        lambda w: _day(w)[:2] if w.hour == 0 else "",
    ),
    _Unit(
        "month",
        31 * _DAY,
        tuple(timedelta(days=d) for d in (1, 2, 4, 8, 16, 31)),
        lambda w: w.replace(day=1, hour=0, minute=0, second=0, microsecond=0),
        _next_month,
        lambda w: w.date().isoformat()[:7],
        lambda w: str(w.day),
    ),
    _Unit(
        "year",
        366 * _DAY,
        tuple(timedelta(days=d) for d in (31, 92, 183, 366)),
        lambda w: w.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0),
        _next_year,
        lambda w: w.date().isoformat()[:4],
        _month,
    ),
)
# The longest window drawn with each unit (beyond the last: years): 2 days of hours, 4 months
# of days (a quarter is 92 lines), 2 years of weeks, 20 years of months.
_UNIT_LIMITS = (2 * _DAY, 124 * _DAY, 731 * _DAY, 7305 * _DAY)


def _unit_for(span: timedelta) -> _Unit:
    for unit, limit in zip(_UNITS, _UNIT_LIMITS, strict=False):
        if span <= limit:
            return unit
    return _UNITS[-1]


def _instant(wall: datetime | None, zone: tzinfo) -> datetime:
    """The instant of a wall time in ``zone`` (RFC 5545 §3.3.5); past the end of time (None,
    or a wall time whose instant is after 9999) the last instant, before year 1 the first."""
    if wall is None:
        return _MAX_UTC
    try:
        return localize(wall, zone).astimezone(UTC)
    except OverflowError:
        return _MAX_UTC if wall.year > 1 else _MIN_UTC


def _wall(instant: datetime, zone: tzinfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _step(unit: _Unit, wall: datetime) -> datetime | None:
    try:
        return unit.after(wall)
    except (OverflowError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class _Row:
    wall: datetime
    cells: tuple[tuple[datetime, datetime] | None, ...]  # None: outside the row or window
    walls: tuple[datetime | None, ...]  # each cell's wall-clock start


def _rows(blocks: Blocks, unit: _Unit, step: timedelta, count: int) -> Iterable[_Row]:
    """The grid: rows of ``count`` cells of ``step`` on the wall clock, clipped to the window.

    A cell's bounds are the instants of its wall-clock bounds, each taken no later than any
    later bound of its row: a wall time that a DST change skips maps to the instant of the
    change, so the skipped cells have no length (drawn ``~``) and no instant is drawn twice.
    """
    zone, start, end = blocks.zone, blocks.window_start, blocks.window_end
    wall: datetime | None = unit.floor(_wall(start, zone))
    while wall is not None and _instant(wall, zone) < end:
        following = _step(unit, wall)
        walls: list[datetime | None] = []
        for i in range(count):
            try:
                a: datetime | None = wall + i * step
            except OverflowError:
                a = None
            inside = a is not None and (following is None or a < following)
            walls.append(a if inside else None)
        bounds = [_instant(a, zone) for a in walls if a is not None]
        bounds.append(_instant(following, zone))
        for i in range(len(bounds) - 2, -1, -1):
            bounds[i] = min(bounds[i], bounds[i + 1])
        cells: list[tuple[datetime, datetime] | None] = []
        for lo, hi in itertools.pairwise(bounds):
            if lo == hi:
                cells.append((lo, hi) if start <= lo < end else None)
            elif hi <= start or lo >= end:
                cells.append(None)
            else:
                cells.append((max(lo, start), min(hi, end)))
        cells += [None] * (count - len(cells))
        yield _Row(wall, tuple(cells), tuple(walls))
        wall = following


# --- text -------------------------------------------------------------------------------------

GAP, PARTLY, NOTHING, SKIPPED, UNRESOLVED, OUTSIDE = ".", "!", "-", "~", "?", " "


def timeline_text(
    resolution: Resolution,
    schedule: Schedule,
    *,
    layers: Sequence[Interval] | None = None,
    width: int = 100,
    color: bool = False,
) -> str:
    """A text timeline of ``resolution`` at most ``width`` columns wide.

    One line per hour, day, week, month or year (from the window's length: up to 2 days,
    4 months, 2 years, 20 years, beyond) on the schedule's wall clock; in each line one lane
    per layer (see :func:`timeline_blocks`) and the final lane, one character per cell: the
    letter of the user on call for most of the cell, ``.`` nobody on call (a gap), ``!`` a gap
    in part of the cell, ``-`` nothing in that layer, ``~`` a wall time a DST change skips,
    ``?`` an iCal name that matches no user. A line in which the zone's offset changes is
    marked ``*`` and the change is listed under the grid. ``color`` adds ANSI colours (the
    letters stay).

    Raises:
        ValidationError: ``width`` outside 40 to 1000.
    """
    if (
        isinstance(width, bool)
        or not isinstance(width, int)
        or not MIN_WIDTH <= width <= MAX_WIDTH
    ):
        raise ValidationError(
            "width", width, f"must be an integer from {MIN_WIDTH} to {MAX_WIDTH}"
        )
    blocks = timeline_blocks(resolution, schedule, layers=layers)
    return _Text(blocks, width, color).render()


class _Text:
    """The text timeline of one :class:`Blocks` (a class only to share its layout)."""

    def __init__(self, blocks: Blocks, width: int, color: bool) -> None:
        self.blocks, self.width, self.color = blocks, width, color
        self.changed = 0
        self.unit = _unit_for(blocks.window_end - blocks.window_start)
        sample = datetime(2000, 12, 27, 23)  # a wall time with the longest label of each unit
        self.label_width = len(self.unit.label(sample)) + 1  # + the DST mark
        lanes = list(blocks.lanes)
        self.hidden = 0
        while len(lanes) > 1 and (width - self.label_width) // len(lanes) < 3:
            lanes.pop(-2)  # keep the final lane; drop the highest layers that do not fit
            self.hidden += 1
        self.lanes = lanes
        room = (width - self.label_width) // len(lanes) - 1
        self.step = next(
            (s for s in self.unit.steps if _cells(self.unit, s) <= room), self.unit.steps[-1]
        )
        self.count = min(_cells(self.unit, self.step), room)
        self._by_letter = {
            blocks.letters[user]: blocks.colors[user]
            for user in blocks.usernames
            if blocks.letters[user] != OTHER
        }

    def render(self) -> str:
        blocks = self.blocks
        changes: list[tuple[datetime, datetime]] = []
        self.changed = 0  # changes of offset in the grid
        lines = [*self._header()]
        grid = [_lane_cells(lane.blocks, blocks) for lane in self.lanes]
        for row in _rows(blocks, self.unit, self.step, self.count):
            found = _offset_changes(row, blocks.zone)
            changes += found[: max(MAX_LISTED + 1 - len(changes), 0)]
            self.changed += len(found)
            label = self.unit.label(row.wall).ljust(self.label_width - 1) + ("*" if found else " ")
            parts = [label]
            for cells in grid:
                parts.append(" " + "".join(self._paint(cells(cell)) for cell in row.cells))
            lines.append("".join(parts).rstrip())
        lines += self._footer(changes)
        return "\n".join(lines) + "\n"

    def _header(self) -> Iterable[str]:
        b = self.blocks
        window = f"{_zone_text(b.window_start, b.zone)} to {_zone_text(b.window_end, b.zone)}"
        yield _fit(f"{_printable(b.title)} - {b.zone_name} - {b.profile} - {window}", self.width)
        cell = _duration_text(self.step)
        shown = ", ".join(lane.name for lane in self.lanes)
        hidden = f" ({self.hidden} higher layers not shown)" if self.hidden else ""
        yield _fit(
            f"one line per {self.unit.name}, one cell per {cell}: {shown}{hidden}", self.width
        )
        names = " " * self.label_width
        ticks = " " * self.label_width
        for lane in self.lanes:
            names += " " + _fit(lane.name, self.count).ljust(self.count)
            ticks += " " + self._ticks()
        yield names.rstrip()
        yield ticks.rstrip()

    def _ticks(self) -> str:
        """Tick labels over one lane's cells, evenly spaced: every k-th cell, k the smallest
        divisor of the cell count that leaves room for the longest label (else just room)."""
        sample = self.unit.floor(datetime(2001, 1, 1))  # a Monday, the first of a month
        labels = [self.unit.tick(sample + i * self.step) for i in range(self.count)]
        room = max(len(label) for label in labels) + 1
        every = next((k for k in range(room, self.count + 1) if self.count % k == 0), room)
        text = [" "] * self.count
        for i in range(0, self.count, every):
            label = labels[i]
            if i + len(label) <= self.count:
                text[i : i + len(label)] = label
        return "".join(text)

    def _paint(self, symbol: str) -> str:
        if not self.color or symbol not in self._by_letter:
            return symbol
        return f"\x1b[1;38;5;{_ANSI[self._by_letter[symbol]]}m{symbol}\x1b[0m"

    def _footer(self, changes: list[tuple[datetime, datetime]]) -> list[str]:
        b = self.blocks
        if self.changed > MAX_LISTED:
            first = _change_text(_change_instant(changes[0][0], changes[0][1], b.zone), b.zone)
            texts = [
                f"the offset changes {self.changed} times in the marked lines; first: {first}"
            ]
        else:
            texts = [_change_text(_change_instant(lo, hi, b.zone), b.zone) for lo, hi in changes]
        lines = [
            line
            for text in texts
            for line in textwrap.wrap(
                text, self.width, initial_indent="* ", subsequent_indent="  "
            )
        ]
        users = [
            f"{self._paint(b.letters[u])} {_printable(name)}" for u, name in b.usernames.items()
        ]
        if users:
            lines += _wrap("users: ", users, self.width)
        keys = [
            f"{GAP} nobody on call",
            f"{PARTLY} nobody for part of the cell",
            f"{NOTHING} nothing in this layer",
            f"{SKIPPED} skipped by a DST change",
            f"{UNRESOLVED} unresolved name",
        ]
        if OTHER in b.letters.values():
            keys.append(f"{OTHER} other users")
        lines += _wrap("", keys, self.width)
        return lines


def _cells(unit: _Unit, step: timedelta) -> int:
    return -(-unit.longest // step)


Cell = tuple[datetime, datetime] | None
"""A cell's instants, clipped to the window (None: outside the row or the window)."""


def _lane_cells(lane: Sequence[Block], blocks: Blocks) -> Callable[[Cell], str]:
    """A function from a cell to its symbol in ``lane``; cells are asked for in time order,
    so the blocks are walked once (the active ones kept in a short list)."""
    active: list[Block] = []
    pending = list(lane)
    position = [0]
    letters = blocks.letters

    def symbol(cell: Cell) -> str:
        if cell is None:
            return OUTSIDE
        lo, hi = cell
        if lo >= hi:
            return SKIPPED
        while position[0] < len(pending) and pending[position[0]].start < hi:
            active.append(pending[position[0]])
            position[0] += 1
        active[:] = [block for block in active if block.end > lo]
        return _symbol(active, lo, hi, letters)

    return symbol


def _symbol(active: Sequence[Block], lo: datetime, hi: datetime, letters: dict[str, str]) -> str:
    gap = timedelta(0)
    time: dict[str, timedelta] = {}
    for block in active:
        if block.start >= hi:
            continue
        overlap = min(block.end, hi) - max(block.start, lo)
        if block.is_gap:
            gap += overlap
        else:
            key = UNRESOLVED if block.user is None else letters[block.user]
            time[key] = time.get(key, timedelta(0)) + overlap
    if gap >= hi - lo:
        return GAP
    if gap:
        return PARTLY
    if not time:
        return NOTHING
    return min(time.items(), key=lambda item: (-item[1], item[0]))[0]


def _offset_changes(row: _Row, zone: tzinfo) -> list[tuple[datetime, datetime]]:
    """Spans ``(a, b]`` of the row in each of which ``zone``'s offset changes once.

    The offset is read at the cells' bounds and, inside a cell, every 3 days (a zone's changes
    are more than 3 days 23 hours apart, see ``_tz``), or every 30 days in cells longer than
    a month (year lines: a change undone within a month is not marked at that scale).
    """
    bounds = [cell for cell in row.cells if cell is not None]
    if not bounds or zone is UTC:
        return []
    points = [bounds[0][0]]
    for lo, hi in bounds:
        probe = 3 * _DAY if hi - lo <= 31 * _DAY else 30 * _DAY
        at = lo + probe
        while at < hi:
            points.append(at)
            at += probe
        points.append(hi)
    found = []
    offsets = [point.astimezone(zone).utcoffset() for point in points]
    for i in range(len(points) - 1):
        if offsets[i] != offsets[i + 1]:
            found.append((points[i], points[i + 1]))
    return found


def _change_text(at: datetime, zone: tzinfo) -> str:
    """'2024-03-31 01:00 GMT becomes 02:00 BST (UTC+01:00)': the old wall clock at the change."""
    before = (at - timedelta(seconds=1)).astimezone(zone)
    old = before + timedelta(seconds=1)  # the wall clock at the old offset, without the jump
    after = at.astimezone(zone)
    return (
        f"{old.date().isoformat()} {old:%H:%M} {before.tzname()} becomes "
        f"{after:%H:%M} {after.tzname()} (UTC{_offset_text(after.utcoffset())})"
    )


def _change_instant(a: datetime, b: datetime, zone: tzinfo) -> datetime:
    """The first whole second in ``(a, b]`` at which ``zone``'s offset is no longer a's."""
    first = a.astimezone(zone).utcoffset()
    lo, hi = 0, int((b - a).total_seconds())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if (a + timedelta(seconds=mid)).astimezone(zone).utcoffset() == first:
            lo = mid
        else:
            hi = mid
    return a + timedelta(seconds=hi)


def _offset_text(offset: timedelta | None) -> str:
    seconds = int((offset or timedelta(0)).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"


def _zone_text(instant: datetime, zone: tzinfo) -> str:
    local = instant.astimezone(zone)
    return f"{local.isoformat(' ', 'minutes')[:16]} {local.tzname() or ''}".rstrip()


def _duration_text(step: timedelta) -> str:
    if step % _DAY == timedelta(0):
        return f"{step // _DAY}d"
    if step % _HOUR == timedelta(0):
        return f"{step // _HOUR}h"
    return f"{step // timedelta(minutes=1)}min"


def _cols(text: str) -> int:
    """The columns ``text`` takes at a terminal: wide East Asian characters two, combining
    marks none (what wcwidth says for the characters a name holds)."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def _printable(text: str) -> str:
    """``text`` with what a terminal would act on (controls, newlines, escapes, surrogates,
    unassigned code points) shown as ``?``, so that a name cannot break a line."""
    return "".join(
        c if c.isprintable() and unicodedata.category(c) not in ("Cs", "Co", "Cn") else "?"
        for c in text
    )


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns (``~`` marks the cut)."""
    if _cols(text) <= width:
        return text
    kept = ""
    for char in text:
        if _cols(kept + char) > width - 1:
            break
        kept += char
    return kept + "~" if width > 0 else ""


def _wrap(prefix: str, items: Sequence[str], width: int) -> list[str]:
    """``items`` after ``prefix``, two spaces apart, in lines of at most ``width`` visible
    columns (ANSI escapes take none)."""
    lines, line, shown = [], prefix, len(prefix)
    for item in items:
        visible = _cols(_strip_ansi(item))
        if shown > len(prefix) and shown + 2 + visible > width:
            lines.append(line)
            line, shown = " " * len(prefix), len(prefix)
        if shown > len(prefix):
            line, shown = line + "  ", shown + 2
        cut = item if shown + visible <= width else _fit(item, width - shown)
        line, shown = line + cut, shown + _cols(_strip_ansi(cut))
    lines.append(line)
    return lines


def _strip_ansi(text: str) -> str:
    while "\x1b[" in text:
        head, _, rest = text.partition("\x1b[")
        text = head + rest.partition("m")[2]
    return text


# --- SVG --------------------------------------------------------------------------------------

LEFT, PLOT, TOP, ROW, LANE_GAP = 150.0, 1000.0, 64.0, 20.0, 8.0
"""The SVG's layout in px: the lane labels' column, the plot's width, the axis' height, a
sub-row's height and the space between lanes. ``x = LEFT + PLOT * (t - start) / (end - start)``."""

_TICKS = (
    ("hour", _HOUR),
    ("3 hours", 3 * _HOUR),
    ("6 hours", 6 * _HOUR),
    ("12 hours", 12 * _HOUR),
    ("day", _DAY),
    ("week", 7 * _DAY),
    ("month", 31 * _DAY),
    ("quarter", 92 * _DAY),
    ("year", 366 * _DAY),
    ("10 years", 3653 * _DAY),
    ("100 years", 36525 * _DAY),
    ("1000 years", 365250 * _DAY),
)
MAX_TICKS = 40


def timeline_svg(
    resolution: Resolution, schedule: Schedule, *, layers: Sequence[Interval] | None = None
) -> str:
    """A standalone SVG document picturing ``resolution`` (same lanes as :func:`timeline_text`).

    A time axis on the schedule's wall clock (UTC in the ticks' titles), DST changes as dashed
    lines, one sub-row per overlapping block in a lane, one ``<rect>`` per block with a
    ``<title>`` (user, start, end, layer, shift), a colour per user from a hash of its id
    (the next free colour where a neighbouring block has it), gaps hatched, overrides outlined
    with dashes and swapped time with dots, labels inside the blocks that are wide enough, and
    a legend. No script, no external resource; the same input gives the same bytes.
    """
    return _svg(timeline_blocks(resolution, schedule, layers=layers))


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape(text: str) -> str:
    """``text`` for an XML text node or attribute: characters XML 1.0 cannot hold (controls,
    surrogates) as U+FFFD, then ``&``, ``<``, ``>`` and ``"`` escaped."""
    return _escape(_NOT_XML.sub("\ufffd", text), {'"': "&quot;"})


def _x(instant: datetime, blocks: Blocks) -> float:
    span = (blocks.window_end - blocks.window_start).total_seconds()
    offset = (instant - blocks.window_start).total_seconds()
    return LEFT + PLOT * (offset / span if span > 0 else 0.0)


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _sub_rows(lane: Lane) -> tuple[list[int], int]:
    """A sub-row per block so that overlapping blocks do not cover each other (the first
    free sub-row, in block order), and the number of sub-rows."""
    ends: list[datetime] = []
    rows = []
    for block in lane.blocks:
        row = next((i for i, end in enumerate(ends) if end <= block.start), len(ends))
        if row == len(ends):
            ends.append(block.end)
        else:
            ends[row] = block.end
        rows.append(row)
    return rows, max(len(ends), 1)


def _svg(blocks: Blocks) -> str:
    out: list[str] = []
    y = TOP
    body: list[str] = []
    stamps = _Stamps(blocks)
    for lane in blocks.lanes:
        rows, count = _sub_rows(lane)
        height = count * ROW
        body.append(
            f'<text x="{_num(LEFT - 8)}" y="{_num(y + min(height, 2 * ROW) / 2 + 4)}" '
            f'text-anchor="end" class="lane">{escape(lane.name)}</text>'
        )
        body.append(
            f'<rect x="{_num(LEFT)}" y="{_num(y)}" width="{_num(PLOT)}" height="{_num(height)}" '
            'class="track"/>'
        )
        for block, row in zip(lane.blocks, rows, strict=True):
            body.append(_block_svg(block, lane, blocks, y + row * ROW, stamps))
        y += height + LANE_GAP
    axis = _axis_svg(blocks, y)
    legend, height = _legend_svg(blocks, y + 16)
    total_width = LEFT + PLOT + 20
    out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(total_width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(total_width)} {_num(height)}" '
        'font-family="sans-serif" font-size="11">'
    )
    title = (
        f"{blocks.title} - {blocks.zone_name} - {blocks.profile} - "
        f"{_zone_text(blocks.window_start, blocks.zone)} to "
        f"{_zone_text(blocks.window_end, blocks.zone)}"
    )
    out.append(f"<title>{escape(title)}</title>")
    out.append(_DEFS)
    out.append('<rect width="100%" height="100%" fill="#ffffff"/>')
    out.append(f'<text x="10" y="18" font-size="14" font-weight="bold">{escape(title)}</text>')
    out += axis
    out += body
    out += legend
    out.append("</svg>")
    return "\n".join(out) + "\n"


_DEFS = """<defs>
<pattern id="gap" width="8" height="8" patternUnits="userSpaceOnUse" \
patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>\
<line x1="0" y1="0" x2="0" y2="8" stroke="#000000" stroke-width="3"/></pattern>
<style>
.track { fill: #f4f4f4; stroke: #cccccc; stroke-width: 0.5; }
.block { stroke: #333333; stroke-width: 0.5; }
.override { stroke: #000000; stroke-width: 2; stroke-dasharray: 6 3; }
.swap { stroke: #000000; stroke-width: 2; stroke-dasharray: 1.5 2.5; }
.gap { fill: url(#gap); stroke: #000000; stroke-width: 0.5; }
.tick { stroke: #999999; stroke-width: 0.5; }
.dst { stroke: #000000; stroke-width: 1; stroke-dasharray: 2 2; }
.lane { font-weight: bold; }
</style>
</defs>"""


class _Stamps:
    """An instant's x, local text and UTC text, each computed once per document: a block's
    end is usually the next one's start, and writing them is most of the document's cost."""

    def __init__(self, blocks: Blocks) -> None:
        self.blocks = blocks
        self.memo: dict[datetime, tuple[float, str, str]] = {}

    def of(self, instant: datetime) -> tuple[float, str, str]:
        found = self.memo.get(instant)
        if found is None:
            b = self.blocks
            found = (_x(instant, b), _zone_text(instant, b.zone), _utc_text(instant))
            self.memo[instant] = found
        return found


def _block_svg(block: Block, lane: Lane, blocks: Blocks, y: float, stamps: _Stamps) -> str:
    (x0, local0, utc0), (x1, local1, utc1) = stamps.of(block.start), stamps.of(block.end)
    kind = "gap" if block.is_gap else "block"
    if block.swapped:
        kind += " swap"
    elif block.is_override:
        kind += " override"
    fill = ""
    label = ""
    if block.user is not None:
        fill = f' fill="{PALETTE[blocks.colors[block.user]]}"'
        label = blocks.usernames[block.user]
    elif not block.is_gap:
        fill = ' fill="#ffffff"'
        label = "?" + ",".join(block.missing)
    who = (
        "nobody on call" + (f" ({block.shift})" if block.shift != "uncovered" else "")
        if block.is_gap
        else (f"{label} ({block.user})" if block.user is not None else f"unresolved {label}")
    )
    lines = [
        who,
        f"{local0} to {local1}",
        f"UTC {utc0} to {utc1}",
        f"layer: {lane.name}",
    ]
    if not block.is_gap:
        lines.append(f"shift: {block.shift or '-'}")
    if block.swapped:
        lines.append("swapped in")
    attrs = (
        f'x="{_num(x0)}" y="{_num(y + 1)}" width="{_num(x1 - x0)}" height="{_num(ROW - 2)}" '
        f'class="{kind}"{fill} data-lane="{escape(lane.name)}" '
        f'data-start="{utc0}" data-end="{utc1}"'
    )
    if block.user is not None:
        attrs += f' data-user="{escape(block.user)}"'
    text = f"<rect {attrs}><title>{escape(chr(10).join(lines))}</title></rect>"
    if label and x1 - x0 >= 7 * len(label) + 6:
        text += (
            f'\n<text x="{_num(x0 + 3)}" y="{_num(y + ROW - 6)}" pointer-events="none">'
            f"{escape(label)}</text>"
        )
    return text


def _utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()[:19] + "Z"


def _axis_svg(blocks: Blocks, bottom: float) -> list[str]:
    """Ticks at wall-clock boundaries (the coarsest step giving at most MAX_TICKS), each with
    its UTC instant in a title, and a dashed line at each change of the zone's offset (up to
    MAX_CHANGES; past that, the axis' caption gives their number)."""
    zone, start, end = blocks.zone, blocks.window_start, blocks.window_end
    span = end - start
    name, size = next(((n, s) for n, s in _TICKS if span / s <= MAX_TICKS), _TICKS[-1])
    changes = _window_changes(blocks)
    caption = f"{blocks.zone_name} (one tick per {name})"
    if len(changes) > MAX_CHANGES:
        caption += f"; the offset changes {len(changes)} times (not drawn)"
    out = [f'<text x="{_num(LEFT)}" y="34" class="axis">{escape(caption)}</text>']
    # a label every few ticks, so that labels (about 50 px) do not run into each other
    every = max(1, math.ceil(60 / (PLOT * (size / span)))) if span else 1
    for count, (instant, wall) in enumerate(_tick_instants(name, blocks)):
        x = _num(_x(instant, blocks))
        out.append(
            f'<line x1="{x}" y1="{_num(TOP - 12)}" x2="{x}" y2="{_num(bottom)}" class="tick">'
            f"<title>{escape(_zone_text(instant, zone))} = {_utc_text(instant)}</title></line>"
        )
        if count % every == 0:
            label = escape(_tick_label(name, wall))
            out.append(f'<text x="{x}" y="{_num(TOP - 16)}" font-size="9">{label}</text>')
    for lo, hi in changes if len(changes) <= MAX_CHANGES else ():
        at = _change_instant(lo, hi, zone)
        xd = _num(_x(at, blocks))
        out.append(
            f'<line x1="{xd}" y1="{_num(TOP - 12)}" x2="{xd}" y2="{_num(bottom)}" '
            f'class="dst"><title>{escape(_change_text(at, zone))} = {_utc_text(at)}'
            "</title></line>"
        )
    return out


MAX_CHANGES = 200


def _window_changes(blocks: Blocks) -> list[tuple[datetime, datetime]]:
    """Spans in each of which the zone's offset changes once: the offset read every 3 days
    (30 days in windows over 2 years; a change undone within a month is missed there)."""
    zone, start, end = blocks.zone, blocks.window_start, blocks.window_end
    if zone is UTC:
        return []
    probe = 3 * _DAY if end - start <= 731 * _DAY else 30 * _DAY
    points, at = [start], start
    while end - at > probe:
        at += probe
        points.append(at)
    points.append(end)
    offsets = [point.astimezone(zone).utcoffset() for point in points]
    return [
        (points[i], points[i + 1]) for i in range(len(points) - 1) if offsets[i] != offsets[i + 1]
    ]


def _tick_instants(name: str, blocks: Blocks) -> Iterable[tuple[datetime, datetime]]:
    """Instants (and wall times) of the ticks inside the window, both ends included."""
    zone, start, end = blocks.zone, blocks.window_start, blocks.window_end
    wall: datetime | None = _tick_floor(name, _wall(start, zone))
    while wall is not None:
        instant = _instant(wall, zone)
        if instant > end:
            break
        if instant >= start:
            yield instant, wall
        wall = _tick_next(name, wall)


def _tick_floor(name: str, wall: datetime) -> datetime:
    day = wall.replace(hour=0, minute=0, second=0, microsecond=0)
    if name.endswith(("hour", "hours")):
        return wall.replace(minute=0, second=0, microsecond=0)
    if name == "day":
        return day
    if name == "week":
        return day - wall.weekday() * _DAY
    if name == "month":
        return day.replace(day=1)
    if name == "quarter":
        return day.replace(month=(wall.month - 1) // 3 * 3 + 1, day=1)
    years = {"year": 1, "10 years": 10, "100 years": 100, "1000 years": 1000}[name]
    return day.replace(year=max(wall.year // years * years, 1), month=1, day=1)


def _tick_next(name: str, wall: datetime) -> datetime | None:
    try:
        if name.endswith(("hour", "hours")):
            return wall + int(name.split()[0] if name != "hour" else 1) * _HOUR
        if name == "day":
            return wall + _DAY
        if name == "week":
            return wall + 7 * _DAY
        if name in ("month", "quarter"):
            months = 1 if name == "month" else 3
            index = wall.year * 12 + wall.month - 1 + months
            return wall.replace(year=index // 12, month=index % 12 + 1)
        years = {"year": 1, "10 years": 10, "100 years": 100, "1000 years": 1000}[name]
        return wall.replace(year=wall.year - wall.year % years + years)
    except (OverflowError, ValueError):
        return None


def _tick_label(name: str, wall: datetime) -> str:
    if "hour" in name:
        return f"{_day(wall)} {wall.hour:02d}:00"
    if name in ("day", "week"):
        return f"{_day(wall)} {wall.day:02d} {_month(wall)}"
    if name in ("month", "quarter"):
        return f"{_month(wall)} {wall.year:04d}"
    return f"{wall.year:04d}"


def _legend_svg(blocks: Blocks, y: float) -> tuple[list[str], float]:
    """Swatches: each user (colour, letter, name), then gap, override and swap; returns the
    elements and the document's height."""
    items: list[tuple[str, str]] = [
        (f'fill="{PALETTE[blocks.colors[user]]}" class="block"', f"{blocks.letters[user]} {name}")
        for user, name in blocks.usernames.items()
    ]
    items += [
        ('class="gap"', "nobody on call (gap)"),
        ('fill="#ffffff" class="block override"', "override"),
        ('fill="#ffffff" class="block swap"', "swapped in"),
    ]
    out = []
    x, row_y = LEFT, y
    for attrs, label in items:
        width = 24 + 7 * len(label)
        if x + width > LEFT + PLOT and x > LEFT:
            x, row_y = LEFT, row_y + 18
        out.append(
            f'<rect x="{_num(x)}" y="{_num(row_y)}" width="14" height="12" {attrs}/>'
            f'<text x="{_num(x + 18)}" y="{_num(row_y + 10)}">{escape(label)}</text>'
        )
        x += width + 12
    return [f'<g class="legend">{"".join(out)}</g>'], row_y + 28
