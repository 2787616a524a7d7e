"""shiftcalc: on-call schedule computation — shift definitions in, who is on call when out.

Load a scenario with :func:`load_scenario` (or build the values and :func:`validate` them);
write results with :func:`final_shifts_document`, :func:`hours_report_csv`, :func:`shifts_csv`
or :func:`table`. The value types are frozen dataclasses; every error is a
:class:`ShiftcalcError`.
"""

from dataclasses import is_dataclass as _is_dataclass
from inspect import isclass as _isclass
from inspect import isfunction as _isfunction

from ._dask import dask_final_shifts
from ._diff import Change, Diff, MovedHandoff, UserDelta, Weights, diff
from ._errors import (
    CalendarError,
    EngineError,
    NotOnCallError,
    RecurrenceError,
    ShiftcalcError,
    ValidationError,
)
from ._expand import DurationMode
from ._many import resolve_many
from ._model import (
    FinalEvent,
    FinalShift,
    Frequency,
    Gap,
    Interval,
    Schedule,
    ScheduleType,
    Shift,
    ShiftSwap,
    ShiftType,
    SkippedComponent,
    Source,
    UnresolvedName,
    User,
    Window,
    validate,
)
from ._output import final_shifts_document, hours_report_csv, shifts_csv, table, to_json
from ._quality import QualityReport, quality_report
from ._recurrence import RecurrenceRule, occurrences
from ._resolve import (
    Handoff,
    Profile,
    Resolution,
    expand,
    final_shifts,
    gaps,
    hours_on_call,
    next_handoffs,
    on_call_at,
    resolve,
    take_oncall,
)
from ._scenario import Scenario, dump_scenario, load_scenario


def __getattr__(name: str) -> str:
    # __version__ on first use: reading package metadata costs a command-line run ~30 ms
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("shiftcalc")
        except PackageNotFoundError:  # a source tree that is not installed
            return "0.0.0+unknown"
    raise AttributeError(f"module 'shiftcalc' has no attribute {name!r}")


__all__ = [
    # types: values, scenarios, type aliases and errors
    "CalendarError",
    "Change",
    "Diff",
    "DurationMode",
    "EngineError",
    "FinalEvent",
    "FinalShift",
    "Frequency",
    "Gap",
    "Handoff",
    "Interval",
    "MovedHandoff",
    "NotOnCallError",
    "Profile",
    "QualityReport",
    "RecurrenceError",
    "RecurrenceRule",
    "Resolution",
    "Scenario",
    "Schedule",
    "ScheduleType",
    "Shift",
    "ShiftSwap",
    "ShiftType",
    "ShiftcalcError",
    "SkippedComponent",
    "Source",
    "UnresolvedName",
    "User",
    "UserDelta",
    "ValidationError",
    "Weights",
    "Window",
    # metadata
    "__version__",
    # functions: scenarios in and out, the pipeline, queries, results out
    "dask_final_shifts",
    "diff",
    "dump_scenario",
    "expand",
    "final_shifts",
    "final_shifts_document",
    "gaps",
    "hours_on_call",
    "hours_report_csv",
    "load_scenario",
    "next_handoffs",
    "occurrences",
    "on_call_at",
    "quality_report",
    "resolve",
    "resolve_many",
    "shifts_csv",
    "table",
    "take_oncall",
    "to_json",
    "validate",
]


# Show functions and errors as shiftcalc.X in reprs, tracebacks and docs. Dataclasses keep
# their defining module: typing.get_type_hints (and so Hypothesis's st.builds) resolves their
# postponed annotations there.
for _name in __all__:
    _obj = globals().get(_name)
    if _isfunction(_obj) or (_isclass(_obj) and not _is_dataclass(_obj)):
        _obj.__module__ = __name__
del _name, _obj
