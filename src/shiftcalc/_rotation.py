"""Rotation arithmetic shared by both profiles: shift → recurrence rule, turn → group.

Where OnCall's rules differ from strict's, the difference is a parameter named here and
documented at the caller: the default week start (strict MO, OnCall SU), the interval of the
rule (a rotation's VEVENT steps over all groups in OnCall), and the empty groups (OnCall
drops them from the queue after rotating it; strict refuses them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ._model import WEEKDAYS, Shift
from ._recurrence import RecurrenceRule

__all__ = ["FREQ", "recurrence_rule", "rotation_queue", "turn_group"]

_T = TypeVar("_T")

FREQ = {"hourly": "HOURLY", "daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY"}
"""The API's frequencies as RRULE FREQ values."""


def recurrence_rule(
    shift: Shift,
    *,
    interval: int,
    week_start: str,
    freq: str | None = None,
    by_day: Sequence[str] = (),
) -> RecurrenceRule:
    """The RRULE of a recurring ``shift``: its frequency (or ``freq``), ``interval``, WKST
    (the shift's ``week_start``, else the profile's default ``week_start``), BYDAY (``by_day``
    if given, else the shift's), BYMONTH and BYMONTHDAY."""
    assert shift.frequency is not None
    return RecurrenceRule(
        freq=freq or FREQ[shift.frequency],
        interval=interval,
        wkst=WEEKDAYS.index(shift.week_start or week_start),
        byday=tuple((WEEKDAYS.index(day), None) for day in (by_day or shift.by_day)),
        bymonth=shift.by_month,
        bymonthday=shift.by_monthday,
    )


def rotation_queue(groups: Sequence[_T], start_index: int) -> list[_T]:
    """The rotation groups in turn order: rotated to begin at ``start_index``, by list slicing
    as OnCall does it (an index past the end rotates nothing)."""
    groups = list(groups)
    return groups[start_index:] + groups[:start_index]


def turn_group(queue: Sequence[tuple[str, ...]], turn: int) -> tuple[str, ...]:
    """The group on call for ``turn`` (0 for the first): the queue cycles."""
    return queue[turn % len(queue)]
