"""Many schedules on Dask: :func:`dask_final_shifts` maps items through ``dask.bag`` and gives
their final shifts as one dask dataframe, in the columns of the CSV form.

Dask is imported inside the function (the ``dask`` extra), so ``import shiftcalc`` never
imports it. Each partition is resolved in a worker by :func:`resolve_with_schedule`, the
function :func:`resolve_many` runs, so the rows are those of ``resolve`` item by item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from ._expand import DurationMode
from ._many import Item, check_items, check_positive, resolve_with_schedule
from ._model import Profile
from ._output import SHIFTS_CSV_COLUMNS, shift_lines
from ._resolve import Resolution, check_options

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe

__all__ = ["COLUMNS", "dask_final_shifts", "partition_frame"]

COLUMNS = ("item", *SHIFTS_CSV_COLUMNS, "error")
"""The dataframe's columns: the item's key, the CSV form's columns, and the error."""

_EXTRA = "dask_final_shifts needs the dask extra: pip install 'shiftcalc[dask]'"


def _module(name: str) -> ModuleType:
    """A module of the dask extra, imported on first use (its attributes are untyped)."""
    try:
        return import_module(name)
    except ImportError as exc:
        raise ImportError(_EXTRA) from exc


def partition_frame(
    pairs: Iterable[tuple[Any, Item]],
    profile: Profile,
    key_dtype: str,
    durations: DurationMode = "wall",
) -> Any:
    """One partition's rows as a pandas DataFrame: a line per final shift of each
    ``(key, item)``, and for an item refused with a ShiftcalcError one line with empty CSV
    cells and the error's text."""
    pandas = _module("pandas")
    lines: list[tuple[Any, ...]] = []
    for key, item in pairs:
        schedule, outcome = resolve_with_schedule(
            item, profile=profile, key=key, durations=durations
        )
        if isinstance(outcome, Resolution):
            assert schedule is not None  # a resolution has its schedule
            lines.extend((key, *line, None) for line in shift_lines(outcome.shifts, schedule))
        else:
            error = f"{type(outcome).__name__}: {outcome}"
            lines.append((key, None, None, None, None, None, error))
    frame = pandas.DataFrame(lines, columns=list(COLUMNS))
    return frame.astype(_dtypes(key_dtype))


def _dtypes(key_dtype: str) -> dict[str, str]:
    return {"item": key_dtype, **dict.fromkeys(COLUMNS[1:], "string")}


def dask_final_shifts(
    items: Sequence[Item] | dask.bag.Bag,
    *,
    profile: Profile = "strict",
    npartitions: int | None = None,
    durations: DurationMode = "wall",
) -> dask.dataframe.DataFrame:
    """The final shifts of many schedules as a (lazy) dask dataframe.

    ``items`` is a sequence of what :func:`resolve_many` takes (the ``item`` column is the
    position), or a ``dask.bag.Bag`` of ``(key, item)`` pairs, for items too many for one
    machine's memory (read them in the workers: a bag of paths mapped to ``(path, path)``
    pairs, or to ``(path, text)``); the ``item`` column is then the key. The other columns are
    those of :func:`shifts_csv` (``user_pk, user_email, user_username, shift_start,
    shift_end``, times as its UTC text) and ``error``: null on rows, and for an item refused
    with a ShiftcalcError a single line whose other cells are null and whose ``error`` is
    ``"<ErrorType>: <message>"``. Rows are in item order, each item's in ``resolve`` order,
    resolved with ``durations`` (as :func:`resolve`; a calendar's bad component is its item's
    error: a dataframe of rows has no place to report one skipped).

    Compute it with the scheduler of your choice (a ``distributed.Client`` in scope is used).
    ``npartitions`` (a sequence only) defaults to dask.bag's choice.

    Raises:
        ImportError: the ``dask`` extra is not installed.
        ValidationError: ``profile`` or ``durations`` is none of its values, ``items`` no
            iterable of items, or ``npartitions`` not a positive integer.
    """
    check_options(profile, durations)
    check_positive("npartitions", npartitions)
    bags, frames, pandas = _module("dask.bag"), _module("dask.dataframe"), _module("pandas")
    delayed = _module("dask").delayed
    bag: Any
    if isinstance(items, bags.Bag):
        bag, key_dtype = items, "object"
    else:
        check_items(items)
        bag = bags.from_sequence(list(enumerate(items)), npartitions=npartitions)
        key_dtype = "int64"
    meta = pandas.DataFrame(
        {name: pandas.Series(dtype=dtype) for name, dtype in _dtypes(key_dtype).items()}
    )
    parts = [
        delayed(partition_frame)(part, profile, key_dtype, durations) for part in bag.to_delayed()
    ]
    frame = frames.from_delayed(parts, meta=meta, verify_meta=False)
    return cast("dask.dataframe.DataFrame", frame)
