"""OnCall's own period search as the oracle of the generator's jumps, and an old rotation.

The generator jumps over the periods before ``rotation_start``; OnCall walks them one after
the other. ``generate(shift, walk=True)`` turns the jump off, so the walk's VEVENTs can be
compared with the jump's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shiftcalc import Shift
from shiftcalc.oncall.generation import _Generator
from shiftcalc.oncall.occurrences import VEvent

GROUPS = (("a",), ("b",), ("c",), ("d",))


def generate(shift: Shift, *, walk: bool = False) -> list[VEvent]:
    """The oncall VEVENTs of ``shift`` (``walk``: by OnCall's walk, every period from start)."""
    generator = _Generator(shift, shift.time_zone or "UTC", 0, "shift")
    if walk:
        generator.skip_ineligible = lambda start: (start, 0)  # type: ignore[method-assign]
    return generator.generate()


def old_rotation(**fields: object) -> Shift:
    """A rotation of four groups started in 1847, rotating from 1990-03-01 (``fields`` change
    any of it)."""
    values: dict[str, object] = {
        "type": "rolling_users",
        "start": datetime(1847, 1, 5, 9),
        "rotation_start": datetime(1990, 3, 1),
        "duration": timedelta(hours=1),
        "interval": 1,
        "rolling_users": GROUPS,
        "start_rotation_from_user_index": 0,
    }
    values.update(fields)
    return Shift(**values)  # type: ignore[arg-type]
