"""Hypothesis entry point: teaches ``st.from_type`` and ``st.builds`` shiftcalc's value types.

Declared in pyproject as ``[project.entry-points.hypothesis]``, so Hypothesis calls
:func:`_register` when it is imported in an environment where shiftcalc is installed.
"""

from __future__ import annotations


def _register() -> None:
    """Register a strategy for each value type that has one in :mod:`shiftcalc.strategies`."""
    from hypothesis import strategies as st

    from . import strategies
    from ._model import Schedule, Shift, ShiftSwap, User, Window
    from ._recurrence import RecurrenceRule

    st.register_type_strategy(Shift, strategies.shifts())
    st.register_type_strategy(Schedule, strategies.schedules())
    st.register_type_strategy(Window, strategies.windows())
    st.register_type_strategy(User, strategies.users())
    st.register_type_strategy(ShiftSwap, strategies.shift_swaps())
    st.register_type_strategy(RecurrenceRule, strategies.recurrence_rules())
