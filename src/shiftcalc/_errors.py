"""The exception tree of shiftcalc.

::

    ShiftcalcError                  every error shiftcalc raises on purpose
    ├── ValidationError (ValueError) bad input: names the field path and the value
    │   ├── RecurrenceError          an RRULE / EXDATE / RDATE that cannot be used
    │   ├── CalendarError            iCalendar text that cannot be used
    │   └── OccurrenceLimitError     a window with more occurrences than max_occurrences
    ├── EngineError                  input Grafana OnCall's engine crashes on (oncall profile)
    └── NotOnCallError (ValueError)  a hand-over from a user who is not on call then
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "CalendarError",
    "CalendarLimitError",
    "EngineError",
    "NotOnCallError",
    "OccurrenceLimitError",
    "RecurrenceError",
    "ShiftcalcError",
    "ValidationError",
    "brief",
    "shortened",
]

_BRIEF = 80  # characters of a value an error message shows
_DEPTH = 4  # container levels an error message shows


def brief(value: Any, limit: int = _BRIEF) -> str:
    """A repr of ``value`` for an error message, at most about ``limit`` characters.

    Never fails: nesting is cut after a few levels (a plain ``repr`` recurses once per level,
    so 100,000 nested lists raise ``RecursionError``), an integer too long to print in decimal
    shows its number of digits (``repr`` raises ``ValueError`` past 4,300 digits), and an object
    whose own ``repr`` fails shows its type.
    """
    return _Brief(limit).text(value)


def shortened(value: Any, limit: int = _BRIEF) -> Any:
    """``value`` itself when its repr is short and safe, else its :func:`brief` text.

    For an error's ``value`` attribute: it keeps small values as they are, and never holds a
    value that cannot be printed.
    """
    writer = _Brief(limit)
    text = writer.text(value)
    return text if writer.cut else value


class _Brief:
    """One bounded repr: ``cut`` tells whether anything was left out."""

    __slots__ = ("cut", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.cut = False

    def text(self, value: Any) -> str:
        text = self.repr(value, _DEPTH, self.limit + 1)
        if len(text) <= self.limit:
            return text
        self.cut = True
        return text[: self.limit - 3] + "..."

    def repr(self, value: Any, depth: int, budget: int) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return self.integer(value)
        if isinstance(value, str | bytes):
            return self.plain(value[:budget])
        if isinstance(value, list | tuple | dict | set | frozenset):
            return self.container(value, depth, budget)
        return self.plain(value)

    def plain(self, value: Any) -> str:
        """``repr(value)``, or its type when that fails: it must not hide the error reported."""
        try:
            text: str = repr(value)
        except Exception:
            self.cut = True
            return f"<{type(value).__name__}>"
        return text

    def container(self, value: Any, depth: int, budget: int) -> str:
        if not value:
            return self.plain(value)
        opening, closing = "{", "}"
        if isinstance(value, list):
            opening, closing = "[", "]"
        elif isinstance(value, tuple):
            opening, closing = "(", ")"
        elif isinstance(value, frozenset):
            opening, closing = "frozenset({", "})"
        if depth == 0:
            self.cut = True
            return opening + "..." + closing
        parts: list[str] = []
        used = len(opening)
        for item in value.items() if isinstance(value, dict) else value:
            if used > budget:
                self.cut = True
                parts.append("...")
                break
            if isinstance(value, dict):
                part = self.repr(item[0], depth - 1, budget - used)
                part += ": " + self.repr(item[1], depth - 1, budget - used - len(part))
            else:
                part = self.repr(item, depth - 1, budget - used)
            parts.append(part)
            used += len(part) + 2
        if isinstance(value, tuple) and len(parts) == 1:
            return opening + parts[0] + "," + closing
        return opening + ", ".join(parts) + closing

    def integer(self, value: int) -> str:
        if -(10**40) < value < 10**40:
            return repr(value)
        self.cut = True
        # bit_length gives the number of decimal digits up to one; a power of ten settles it
        digits = int((abs(value).bit_length() - 1) * math.log10(2)) + 1
        if abs(value) >= 10**digits:
            digits += 1
        return f"<{'-' if value < 0 else ''}integer of {digits} digits>"


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
        super().__init__(f"{field}: {reason} (got {brief(value)})")

    def __reduce__(self) -> tuple[Any, ...]:
        # pickle rebuilds from the fields (``args`` holds the message only), so the error
        # crosses a process boundary (resolve_many's pool, Dask) with its fields
        return (type(self), (self.field, self.value, self.reason), self.__dict__)


class RecurrenceError(ValidationError):
    """An RRULE, EXDATE or RDATE that is not valid RFC 5545."""


class CalendarError(ValidationError):
    """iCalendar text that cannot be used.

    ``field`` names the component (UID, line) and the property.
    """


class OccurrenceLimitError(ValidationError):
    """A window holding more occurrences than a resolution may expand (``max_occurrences``):
    ask for a shorter window, raise the limit, or stream (:func:`shiftcalc.iter_final_shifts`
    resolves chunk by chunk and retries smaller chunks on it).
    """


class CalendarLimitError(CalendarError, OccurrenceLimitError):
    """A calendar component with more instances in one query than its cap: both a
    :class:`CalendarError` (it names the component) and an :class:`OccurrenceLimitError`."""


class EngineError(ShiftcalcError):
    """Input on which Grafana OnCall's engine crashes (HTTP 500); raised in the ``oncall`` profile.

    ``field`` and ``value`` name the input that triggers the crash.
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {brief(value)})")

    def __reduce__(self) -> tuple[Any, ...]:
        # as ValidationError: rebuilt from the fields
        return (type(self), (self.field, self.value, self.reason), self.__dict__)


class NotOnCallError(ShiftcalcError, ValueError):
    """A take-over asked of a user who is not on call at that instant."""
