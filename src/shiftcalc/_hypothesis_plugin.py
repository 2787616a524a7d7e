"""Hypothesis entry point: teaches ``st.from_type`` and ``st.builds`` shiftcalc's value types.

Declared in pyproject as ``[project.entry-points.hypothesis]``, so Hypothesis calls
:func:`_register` when it is imported in an environment where shiftcalc is installed.
"""

from __future__ import annotations

import importlib
from typing import Any


def _register() -> None:
    """Register a strategy for each value type that has one in :mod:`shiftcalc.strategies`.

    The strategies are looked up when first drawn, not now: Hypothesis runs this hook while
    it is itself being imported, which may be from the first lines of ``shiftcalc.strategies``
    (``import shiftcalc.strategies`` as a script's first import); that module's functions do not
    exist yet at this point.
    """
    from hypothesis import strategies as st

    from ._model import Schedule, Shift, ShiftSwap, User, Window
    from ._recurrence import RecurrenceRule
    from ._scenario import Scenario

    def later(name: str) -> st.SearchStrategy[Any]:
        def build() -> st.SearchStrategy[Any]:
            factory = getattr(importlib.import_module("shiftcalc.strategies"), name)
            strategy: st.SearchStrategy[Any] = factory()
            return strategy

        return st.deferred(build)

    for value_type, name in (
        (Shift, "shifts"),
        (Schedule, "schedules"),
        (Scenario, "scenarios"),
        (Window, "windows"),
        (User, "users"),
        (ShiftSwap, "shift_swaps"),
        (RecurrenceRule, "recurrence_rules"),
    ):
        st.register_type_strategy(value_type, later(name))
