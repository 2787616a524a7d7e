"""Pictures of a schedule: the lanes both pictures draw, and the text timeline for terminals.

Both pictures are drawn from one :class:`Blocks` value built from a resolution (its
final-shift rows and gaps: the final lane) and the expanded occurrences (one lane per rank:
each level's shifts, each override level), so the picture and the rows cannot disagree; the
SVG document is ``_timeline_svg``'s. Every function is a pure function of its arguments: no
clock, no environment, the same input gives the same bytes (colour in text is the caller's
choice, see ``color``).

Cost: O((blocks + cells) log blocks) for the text (cells: rows × lanes × cells per lane, at
most about a hundred a row).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo

from ._errors import ValidationError, shortened
from ._merge import split_for_swaps
from ._model import FinalShift, Interval, Schedule, check_schedule, utc_instant
from ._output import printable
from ._resolve import Resolution, resolution_layers
from ._tz import get_zone, localize

__all__ = [
    "PALETTE",
    "Block",
    "Blocks",
    "Lane",
    "change_instant",
    "change_text",
    "day_name",
    "month_name",
    "timeline_blocks",
    "timeline_text",
    "wall_instant",
    "wall_of",
    "zone_text",
]

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

    ``layers`` are the occurrences drawn in the layer lanes; by default those the resolution
    was resolved from (:func:`expand` over its window, in its profile, with its durations and
    calendar errors), with taken swaps applied as the strict profile applies them. The final
    lane is ``resolution.shifts`` and ``gaps``.
    """
    if not isinstance(resolution, Resolution):
        raise ValidationError("resolution", shortened(resolution), "expected a Resolution")
    check_schedule(schedule)
    window = resolution.window
    if layers is None:
        layers = resolution_layers(resolution, schedule)
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
    """A palette index per user: its hashed index unless another user already took it, then
    the next free one; users in order of (hashed index, id). With more users than colours,
    only neighbours (the next block in a lane) must differ: two colours alike are then kept
    apart in the picture."""
    distinct = len(users) <= len(PALETTE)
    neighbours: dict[str, set[str]] = {user: set() for user in users}
    for lane in lanes:
        people = [block.user for block in lane.blocks if block.user is not None]
        for a, b in itertools.pairwise(people):
            if a != b:
                neighbours[a].add(b)
                neighbours[b].add(a)
    colors: dict[str, int] = {}
    for user in sorted(users, key=lambda user: (_preferred(user), user)):
        if distinct:
            used = set(colors.values())
        else:
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


def day_name(wall: datetime) -> str:
    return _DAYS[wall.weekday()]


def month_name(wall: datetime) -> str:
    return _MONTHS[wall.month - 1]


def _day_text(wall: datetime) -> str:
    return f"{day_name(wall)} {wall.date().isoformat()}"


_UNITS = (
    _Unit(
        "hour",
        _HOUR,
        tuple(timedelta(minutes=m) for m in (5, 10, 15, 20, 30, 60)),
        lambda w: w.replace(minute=0, second=0, microsecond=0),
        lambda w: w + _HOUR,
        lambda w: f"{day_name(w)} {w.day:02d} {w.hour:02d}:00",
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
        lambda w: day_name(w)[:2] if w.hour == 0 else "",
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
        month_name,
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


def wall_instant(wall: datetime | None, zone: tzinfo) -> datetime:
    """The instant of a wall time in ``zone`` (RFC 5545 §3.3.5); past the end of time (None,
    or a wall time whose instant is after 9999) the last instant, before year 1 the first."""
    if wall is None:
        return _MAX_UTC
    try:
        return localize(wall, zone).astimezone(UTC)
    except OverflowError:
        return _MAX_UTC if wall.year > 1 else _MIN_UTC


def wall_of(instant: datetime, zone: tzinfo) -> datetime:
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
    wall: datetime | None = unit.floor(wall_of(start, zone))
    while wall is not None and wall_instant(wall, zone) < end:
        following = _step(unit, wall)
        walls: list[datetime | None] = []
        for i in range(count):
            try:
                a: datetime | None = wall + i * step
            except OverflowError:
                a = None
            inside = a is not None and (following is None or a < following)
            walls.append(a if inside else None)
        bounds = [wall_instant(a, zone) for a in walls if a is not None]
        bounds.append(wall_instant(following, zone))
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

    >>> from datetime import datetime, timedelta, UTC
    >>> from shiftcalc import Schedule, Shift, Window, resolve
    >>> shift = Shift(type="recurrent_event", start=datetime(2024, 1, 1, 9), frequency="daily",
    ...               duration=timedelta(hours=8), users=("alice",))
    >>> schedule = Schedule(shifts=(shift,), name="office")
    >>> window = Window(start=datetime(2024, 1, 1, tzinfo=UTC),
    ...                 end=datetime(2024, 1, 3, 12, tzinfo=UTC))
    >>> print(timeline_text(resolve(schedule, window), schedule, width=60), end="")
    office - UTC - strict - 2024-01-01 00:00 UTC to 2024-01-03 ~
    one line per day, one cell per 2h: L0, final
                    L0           final
                    0  6  12 18  0  6  12 18
    Mon 2024-01-01  ----aaaaa--- ....!aaa!...
    Tue 2024-01-02  ----aaaaa--- ....!aaa!...
    Wed 2024-01-03  ----aa       ....!a
    users: a alice
    . nobody on call  ! nobody for part of the cell
    - nothing in this layer  ~ skipped by a DST change
    ? unresolved name
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
        window = f"{zone_text(b.window_start, b.zone)} to {zone_text(b.window_end, b.zone)}"
        yield _fit(f"{printable(b.title)} - {b.zone_name} - {b.profile} - {window}", self.width)
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
            first = change_text(change_instant(changes[0][0], changes[0][1], b.zone), b.zone)
            texts = [
                f"the offset changes {self.changed} times in the marked lines; first: {first}"
            ]
        else:
            texts = [change_text(change_instant(lo, hi, b.zone), b.zone) for lo, hi in changes]
        lines = [
            line
            for text in texts
            for line in textwrap.wrap(
                text, self.width, initial_indent="* ", subsequent_indent="  "
            )
        ]
        users = [
            f"{self._paint(b.letters[u])} {printable(name)}" for u, name in b.usernames.items()
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


def change_text(at: datetime, zone: tzinfo) -> str:
    """'2024-03-31 01:00 GMT becomes 02:00 BST (UTC+01:00)': the old wall clock at the change."""
    before = (at - timedelta(seconds=1)).astimezone(zone)
    old = before + timedelta(seconds=1)  # the wall clock at the old offset, without the jump
    after = at.astimezone(zone)
    return (
        f"{old.date().isoformat()} {old:%H:%M} {before.tzname()} becomes "
        f"{after:%H:%M} {after.tzname()} (UTC{_offset_text(after.utcoffset())})"
    )


def change_instant(a: datetime, b: datetime, zone: tzinfo) -> datetime:
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


def zone_text(instant: datetime, zone: tzinfo) -> str:
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
