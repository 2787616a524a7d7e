"""The exception tree of shiftcalc.

::

    ShiftcalcError                  every error shiftcalc raises on purpose
    ├── ValidationError (ValueError) bad input: names the field path and the value
    │   ├── RecurrenceError          an RRULE / EXDATE / RDATE that cannot be used
    │   └── CalendarError            iCalendar text that cannot be used
    ├── EngineError                  input Grafana OnCall's engine crashes on (oncall profile)
    └── NotOnCallError (ValueError)  a hand-over from a user who is not on call then
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CalendarError",
    "EngineError",
    "NotOnCallError",
    "RecurrenceError",
    "ShiftcalcError",
    "ValidationError",
]


class ShiftcalcError(Exception):
    """Base class of every error shiftcalc raises on purpose."""


class ValidationError(ShiftcalcError, ValueError):
    """Input that shiftcalc refuses.

    ``field`` is a path into the input (``shifts[2].by_day[1]``), ``value`` the offending
    value, and ``reason`` the human sentence (for API-compatible checks, Grafana OnCall's own
    message).
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")


class RecurrenceError(ValidationError):
    """An RRULE, EXDATE or RDATE that is not valid RFC 5545."""


class CalendarError(ValidationError):
    """iCalendar text that cannot be used.

    ``field`` names the component (UID, line) and the property.
    """


class EngineError(ShiftcalcError):
    """Input on which Grafana OnCall's engine crashes (HTTP 500); raised in the ``oncall`` profile.

    ``field`` and ``value`` name the input that triggers the crash.
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")


class NotOnCallError(ShiftcalcError, ValueError):
    """A take-over asked of a user who is not on call at that instant."""
