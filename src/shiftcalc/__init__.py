"""shiftcalc: on-call schedule computation — shift definitions in, who is on call when out.

Load a scenario with :func:`load_scenario` (or build the values and :func:`validate` them);
write results with :func:`final_shifts_json` (or :func:`final_shifts_document` as a dict),
:func:`hours_report_csv`, :func:`shifts_csv` or :func:`table`. The value types are frozen
dataclasses; every error is a :class:`ShiftcalcError`.
"""

from dataclasses import is_dataclass as _is_dataclass
from inspect import isclass as _isclass
from inspect import isfunction as _isfunction

from ._conflicts import Conflict, conflicts
from ._coverage import Coverage, Shortfall, coverage
from ._dask import dask_final_shifts
from ._diff import Change, Diff, MovedHandoff, UserDelta, diff
from ._errors import (
    CalendarError,
    CalendarLimitError,
    EngineError,
    NotOnCallError,
    OccurrenceLimitError,
    RecurrenceError,
    ShiftcalcError,
    ValidationError,
)
from ._expand import DurationMode
from ._explain import (
    ExplainedLayer,
    ExplainedSwap,
    ExplainedUser,
    Explanation,
    HiddenTurn,
    OncallRule,
    Turn,
    UserExplanation,
    explain,
    explanation_document,
    explanation_text,
)
from ._fairness import Fairness, Spread, UserFairness, Weights, holidays_from_ical
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
from ._output import (
    final_shifts_document,
    final_shifts_json,
    hours_report_csv,
    shifts_csv,
    table,
    to_json,
)
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
from ._stream import Stream, iter_final_shifts, iter_gaps, iter_handoffs
from ._timeline import timeline_text
from ._timeline_svg import timeline_svg


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
    "CalendarLimitError",
    "Change",
    "Conflict",
    "Coverage",
    "Diff",
    "DurationMode",
    "EngineError",
    "ExplainedLayer",
    "ExplainedSwap",
    "ExplainedUser",
    "Explanation",
    "Fairness",
    "FinalEvent",
    "FinalShift",
    "Frequency",
    "Gap",
    "Handoff",
    "HiddenTurn",
    "Interval",
    "MovedHandoff",
    "NotOnCallError",
    "OccurrenceLimitError",
    "OncallRule",
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
    "Shortfall",
    "SkippedComponent",
    "Source",
    "Spread",
    "Stream",
    "Turn",
    "UnresolvedName",
    "User",
    "UserDelta",
    "UserExplanation",
    "UserFairness",
    "ValidationError",
    "Weights",
    "Window",
    # metadata
    "__version__",
    # functions: scenarios in and out, the pipeline, queries, results out
    "conflicts",
    "coverage",
    "dask_final_shifts",
    "diff",
    "dump_scenario",
    "expand",
    "explain",
    "explanation_document",
    "explanation_text",
    "final_shifts",
    "final_shifts_document",
    "final_shifts_json",
    "gaps",
    "holidays_from_ical",
    "hours_on_call",
    "hours_report_csv",
    "iter_final_shifts",
    "iter_gaps",
    "iter_handoffs",
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
    "timeline_svg",
    "timeline_text",
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
