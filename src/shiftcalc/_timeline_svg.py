"""The SVG picture of a schedule: a standalone document drawn from :class:`Blocks`.

See ``_timeline`` for the lanes, letters and colours the text form shares. Pure: the same
input gives the same bytes; no script, no external resource.

Cost: O(blocks log blocks + ticks), plus the layers' expansion (see ``timeline_blocks``).
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape as _escape

from ._model import Interval, Schedule
from ._output import utc_text
from ._resolve import Resolution
from ._timeline import (
    PALETTE,
    Block,
    Blocks,
    Lane,
    change_instant,
    change_text,
    day_name,
    month_name,
    timeline_blocks,
    wall_instant,
    wall_of,
    zone_text,
)

__all__ = ["LEFT", "PLOT", "timeline_svg"]

_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)

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
WIDTH = LEFT + PLOT + 20  # the drawing's width: a margin right of the plot
LABEL_EM = 0.62
"""A generous average advance of a sans-serif character, in em: tick labels are placed by it."""


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

    >>> from datetime import datetime, timedelta, UTC
    >>> from shiftcalc import Schedule, Shift, Window, resolve
    >>> shift = Shift(type="single_event", start=datetime(2024, 1, 1, 9),
    ...               duration=timedelta(hours=8), users=("alice",))
    >>> schedule = Schedule(shifts=(shift,))
    >>> window = Window(start=datetime(2024, 1, 1, tzinfo=UTC),
    ...                 end=datetime(2024, 1, 2, tzinfo=UTC))
    >>> svg = timeline_svg(resolve(schedule, window), schedule)
    >>> svg.count('data-lane="final"'), svg.count('class="gap"')  # alice, two gaps; legend
    (3, 3)
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
    """A sub-row per block so that overlapping blocks do not cover each other (the lowest
    free sub-row, in block order), and the number of sub-rows: O(n log n) with two heaps (the
    busy rows by end, the free rows by index), however many blocks overlap."""
    busy: list[tuple[datetime, int]] = []
    free: list[int] = []
    rows = []
    count = 0
    for block in lane.blocks:
        while busy and busy[0][0] <= block.start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            row = heapq.heappop(free)
        else:
            row, count = count, count + 1
        heapq.heappush(busy, (block.end, row))
        rows.append(row)
    return rows, max(count, 1)


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
    total_width = WIDTH
    out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(total_width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(total_width)} {_num(height)}" '
        'font-family="sans-serif" font-size="11">'
    )
    title = (
        f"{blocks.title} - {blocks.zone_name} - {blocks.profile} - "
        f"{zone_text(blocks.window_start, blocks.zone)} to "
        f"{zone_text(blocks.window_end, blocks.zone)}"
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
            found = (_x(instant, b), zone_text(instant, b.zone), utc_text(instant))
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
            f"<title>{escape(zone_text(instant, zone))} = {utc_text(instant)}</title></line>"
        )
        label = _tick_label(name, wall)
        # a label that would run past the drawing's right edge (the window's last tick) is
        # left out: the tick and its title still mark the instant
        if count % every == 0 and float(x) + LABEL_EM * 9 * len(label) <= WIDTH:
            text = escape(label)
            out.append(f'<text x="{x}" y="{_num(TOP - 16)}" font-size="9">{text}</text>')
    for lo, hi in changes if len(changes) <= MAX_CHANGES else ():
        at = change_instant(lo, hi, zone)
        xd = _num(_x(at, blocks))
        out.append(
            f'<line x1="{xd}" y1="{_num(TOP - 12)}" x2="{xd}" y2="{_num(bottom)}" '
            f'class="dst"><title>{escape(change_text(at, zone))} = {utc_text(at)}'
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
    wall: datetime | None = _tick_floor(name, wall_of(start, zone))
    while wall is not None:
        instant = wall_instant(wall, zone)
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
        return f"{day_name(wall)} {wall.hour:02d}:00"
    if name in ("day", "week"):
        return f"{day_name(wall)} {wall.day:02d} {month_name(wall)}"
    if name in ("month", "quarter"):
        return f"{month_name(wall)} {wall.year:04d}"
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
