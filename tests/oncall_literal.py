"""Grafana OnCall's ``_resolve_schedule`` transcribed literally: one queue sorted by rank, a
rest put back with ``bisect_right`` after the events of equal rank, the blocks recomputed
from everything resolved at every change of (level, calendar). Slow on purpose; the
reference that ``shiftcalc.oncall.resolution.resolve_events`` must match step for step.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from shiftcalc import Window
from shiftcalc._model import OriginRef
from shiftcalc.oncall.resolution import OncallEvent


class _Event(NamedTuple):
    """An OncallEvent with its fields named, as OnCall's code reads them."""

    start: datetime
    end: datetime
    users: tuple[str, ...]
    level: int
    calendar_type: int | None
    shift_id: str | None
    all_day: bool
    missing_users: tuple[str, ...]
    is_gap: bool
    origin: OriginRef | None  # provenance: carried along, never read

    @property
    def is_override(self) -> bool:
        return self.calendar_type == 1

    @property
    def is_empty(self) -> bool:
        return not self.users and not self.is_gap


def _rank(event: _Event) -> tuple[int, int, datetime]:
    return (-1 if event.is_override else 0, -event.level, event.start)


def _union(events: Sequence[_Event]) -> list[tuple[datetime, datetime]]:
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
    pending = sorted((_Event(*event) for event in events), key=_rank)
    keys = [_rank(event) for event in pending]
    resolved: list[_Event] = []
    blocked: list[tuple[datetime, datetime]] = []
    idx = 0
    current: tuple[int | None, int | None] | None = None
    head = 0

    def push_back(event: _Event) -> None:
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
    resolved.sort(key=lambda event: (event.start, event.shift_id or ""))
    return [(*event,) for event in resolved]
