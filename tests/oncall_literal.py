"""Grafana OnCall's ``_resolve_schedule`` transcribed literally: one queue sorted by rank, a
rest put back with ``bisect_right`` after the events of equal rank, the blocks recomputed
from everything resolved at every change of (level, calendar). Slow on purpose; the
reference that ``shiftcalc._oncall_resolve.resolve_events`` must match step for step.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime

from shiftcalc import Window
from shiftcalc._oncall_resolve import OncallEvent


def _rank(event: OncallEvent) -> tuple[int, int, datetime]:
    return (-1 if event.is_override else 0, -event.level, event.start)


def _union(events: Sequence[OncallEvent]) -> list[tuple[datetime, datetime]]:
    spans: list[tuple[datetime, datetime]] = []
    for start, end in sorted((event.start, event.end) for event in events):
        if spans and spans[-1][1] >= start:
            if end > spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def resolve_literally(events: Sequence[OncallEvent], window: Window) -> list[OncallEvent]:
    ws, we = window.start, window.end
    pending = sorted(events, key=_rank)
    keys = [_rank(event) for event in pending]
    resolved: list[OncallEvent] = []
    blocked: list[tuple[datetime, datetime]] = []
    idx = 0
    current: tuple[int | None, int | None] | None = None
    head = 0

    def push_back(event: OncallEvent) -> None:
        key = _rank(event)
        position = bisect.bisect_right(keys, key, lo=head)
        keys.insert(position, key)
        pending.insert(position, event)

    while head < len(pending):
        event = pending[head]
        head += 1
        if event.is_empty:
            continue
        if event.start >= we or event.end <= ws:
            continue
        group = (event.level, event.calendar_type)
        if group != current:
            blocked = _union(resolved)
            idx = 0
            current = group
        if idx >= len(blocked):
            if event.start < we:
                resolved.append(event)
            continue
        block_start, block_end = blocked[idx]
        if event.end <= block_start:
            resolved.append(event)
        elif event.start < block_start:
            piece = event._replace(end=block_start)
            if piece.end >= ws:
                resolved.append(piece)
            if event.end > block_end:
                rest = event._replace(start=block_end)
                if rest.start < we:
                    push_back(rest)
        elif event.end <= block_end:
            continue
        elif event.start < block_end:
            push_back(event._replace(start=block_end))
        else:
            idx += 1
            push_back(event)
    return sorted(resolved, key=lambda event: (event.start, event.shift_id or ""))
