"""Calendar text to a tree of components whose properties carry their line numbers.

icalendar parses each content line (name, parameters and their quoting, the value and its
escapes: ``Contentline.parts``). What it does not keep is where a line was, and every error
here names its line (``VEVENT[UID=…, line N].PROPERTY``); so the physical lines are joined
into content lines here (RFC 5545 §3.1 unfolding: a line starting with a space or a tab
continues the previous one), counting them, and the BEGIN/END nesting is checked here too
(icalendar accepts ``END:VTODO`` closing a VEVENT).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from icalendar.parser import Contentline

from .._errors import CalendarError


class PropertyError(Exception):
    """A bad property inside one component (wrapped into CalendarError or a skip)."""

    def __init__(self, prop: str, value: object, reason: str, *, limit: bool = False) -> None:
        super().__init__(reason)
        self.prop = prop
        self.value = value
        self.reason = reason
        self.limit = limit  # past the occurrence cap: honest work, not bad text


class Prop(NamedTuple):
    # a tuple, not a dataclass: a big calendar has hundreds of thousands of content lines,
    # and a frozen dataclass sets each field through object.__setattr__ (three times the cost)
    name: str  # upper case
    params: dict[str, str]  # upper-case names; values unquoted, several values joined by ","
    value: str  # as icalendar's content-line parser gives it (escapes resolved)
    line: int


@dataclass(slots=True)
class Node:
    """A component: its properties in order, its sub-components, and its own text."""

    name: str
    line: int
    props: list[Prop] = field(default_factory=list)
    subs: list[Node] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # a VTIMEZONE's content lines

    @property
    def source(self) -> str:
        return "".join(line + "\r\n" for line in self.lines)

    def first(self, name: str) -> Prop | None:
        for prop in self.props:  # a plain loop: reading an event asks a dozen of these
            if prop.name == name:
                return prop
        return None

    def all(self, name: str) -> list[Prop]:
        return [p for p in self.props if p.name == name]

    def text(self, name: str) -> str | None:
        prop = self.first(name)
        return None if prop is None else prop.value


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    """Content lines with the physical line number they start on (blank lines left out)."""
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if raw[:1] in (" ", "\t") and current:
            current.append(raw[1:])
            continue
        if current and "".join(current).strip():
            yield start, "".join(current)
        current, start = [raw], number
    if current and "".join(current).strip():
        yield start, "".join(current)


# icalendar's content-line parser (untyped there): name, parameters, value (escapes resolved)
_line: Callable[[str], Contentline] = Contentline


# A content line with nothing for icalendar's parser to resolve: a name, parameters of plain
# characters (no quoting, lists, ^-escapes or white space) and a value without backslashes.
# Such lines are nearly all of a real calendar, and reading them here costs a twentieth of
# the parser's per-character walk; they part as it parts them (tests/test_big_calendar.py).
_PLAIN = re.compile(r"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=[A-Za-z0-9/_.+-]*)*):([^\\]*)")


def _prop(number: int, raw: str) -> Prop:
    plain = _PLAIN.fullmatch(raw)
    if plain is not None:
        name, params, value = plain.groups()
        flat = {}
        if params:
            for param in params[1:].split(";"):
                key, _, text = param.partition("=")
                flat[key.upper()] = text
        return Prop(name.upper(), flat, value, number)
    try:
        name, params, value = _line(raw).parts()
    except ValueError as exc:
        raise CalendarError(f"line {number}", raw, str(exc)) from None
    flat = {
        key.upper(): ",".join(v) if isinstance(v, list) else str(v) for key, v in params.items()
    }
    return Prop(name.upper(), flat, value, number)


def _keep(stack: list[Node], raw: str) -> None:
    # a VTIMEZONE's text is handed to icalendar whole (``Timezone.to_tz``); no other is needed
    if len(stack) > 1 and stack[1].name == "VTIMEZONE":
        stack[1].lines.append(raw)


def parse_calendar(text: str) -> Node:
    """The VCALENDAR of ``text``; a CalendarError naming the line for text that is not one."""
    if not isinstance(text, str):
        raise CalendarError("calendar", text, "must be iCalendar text")
    stack: list[Node] = []
    root: Node | None = None
    for number, raw in _content_lines(text.lstrip("\ufeff")):
        line = _prop(number, raw)
        if root is not None and not stack:
            raise CalendarError(f"line {number}", raw, "content after END:VCALENDAR")
        if line.name == "BEGIN":
            node = Node(line.value.strip().upper(), number)
            if stack:
                stack[-1].subs.append(node)
            else:
                root = node
            stack.append(node)
        elif line.name == "END":
            name = line.value.strip().upper()
            if not stack or stack[-1].name != name:
                expected = stack[-1].name if stack else "nothing"
                raise CalendarError(f"line {number}.END", raw, f"expected END:{expected}")
            _keep(stack, raw)
            stack.pop()
            continue
        elif not stack:
            raise CalendarError(
                f"line {number}.{line.name}", raw, "a property outside BEGIN:VCALENDAR"
            )
        else:
            stack[-1].props.append(line)
        _keep(stack, raw)
    if root is None or root.name != "VCALENDAR":
        raise CalendarError("calendar", text[:60], "no BEGIN:VCALENDAR")
    if stack:
        raise CalendarError(
            f"{stack[-1].name}[line {stack[-1].line}]", stack[-1].name, "no END line"
        )
    scale = root.text("CALSCALE")
    if scale is not None and scale.strip().upper() != "GREGORIAN":
        raise CalendarError("VCALENDAR.CALSCALE", scale, "only GREGORIAN calendars are supported")
    return root
