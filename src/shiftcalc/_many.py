"""Many schedules at once: :func:`resolve_many`, in input order, one error per failed item.

Each item is resolved by the same pure function as :func:`resolve` (a scenario's ``now``
included), so the answers do not depend on how the items are spread over processes. With
``workers`` above 1 the items go to a process pool in chunks (a few per worker), which keeps
the per-item cost of the pool (pickling, queues) small next to a resolution.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from typing import Any, TypeAlias

from ._errors import ShiftcalcError, ValidationError, shortened
from ._expand import DurationMode
from ._model import Profile, Schedule, Window
from ._resolve import CalendarErrors, Resolution, check_options, resolve
from ._scenario import Scenario, load_scenario

__all__ = [
    "Item",
    "Outcome",
    "check_items",
    "check_positive",
    "chunks_for",
    "resolve_item",
    "resolve_many",
    "resolve_with_schedule",
]

Item: TypeAlias = (
    Scenario | tuple[Schedule, Window] | str | bytes | os.PathLike[str] | Mapping[str, Any]
)
"""What :func:`resolve_many` takes: a Scenario, a (Schedule, Window) pair, or what
:func:`load_scenario` reads (JSON text or bytes, a path, a parsed document)."""

Outcome: TypeAlias = Resolution | ShiftcalcError
"""One item's answer: its Resolution, or the ShiftcalcError that refused it."""

_CHUNKS_PER_WORKER = 4  # enough to even out items of unequal cost, few enough to stay cheap
_MAX_CHUNK = 1000  # bounds the memory a worker holds for one chunk's answers


def resolve_item(
    item: Item,
    *,
    profile: Profile = "strict",
    key: int | str = 0,
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
) -> Outcome:
    """One item's answer (:func:`resolve_many`): its Resolution, or its ShiftcalcError.

    An item of no accepted type is a ValidationError on ``items[key]``. Any other exception
    is a bug, and is raised.
    """
    return resolve_with_schedule(
        item, profile=profile, key=key, durations=durations, calendar_errors=calendar_errors
    )[1]


def resolve_with_schedule(
    item: Item,
    *,
    profile: Profile = "strict",
    key: int | str = 0,
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
) -> tuple[Schedule | None, Outcome]:
    """:func:`resolve_item` and the schedule resolved (None when there is none), which the
    writers need for user names."""
    schedule = None
    try:
        schedule, window, now = _parts(item, profile, key)
        resolution = resolve(
            schedule,
            window,
            profile=profile,
            durations=durations,
            calendar_errors=calendar_errors,
            now=now,
        )
        return schedule, resolution
    except ShiftcalcError as error:
        return schedule, error


def check_items(items: object) -> None:
    """``items`` is an iterable of items, else a ValidationError naming ``items``: one
    scenario's text or mapping would be read key by key or character by character."""
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        reason = "expected an iterable of items (one scenario alone: resolve it, or pass [it])"
        raise ValidationError("items", shortened(items), reason)


def check_positive(name: str, value: object) -> None:
    """``value`` is None or a positive integer, else a ValidationError naming ``name``."""
    if value is not None and (type(value) is not int or value < 1):
        raise ValidationError(name, shortened(value), "must be a positive integer or None")


def _accepted(item: object) -> bool:
    """Whether ``item`` is of a type :func:`resolve_many` takes; any other is refused."""
    if isinstance(item, tuple):
        return len(item) == 2 and isinstance(item[0], Schedule) and isinstance(item[1], Window)
    return isinstance(item, Scenario | str | bytes | os.PathLike | Mapping)


def _parts(
    item: Item, profile: Profile, key: int | str
) -> tuple[Schedule, Window, datetime | None]:
    if not _accepted(item):
        raise ValidationError(
            f"items[{key!r}]",
            shortened(item),
            "expected a Scenario, a (Schedule, Window) pair, scenario JSON text or a path",
        )
    if isinstance(item, Scenario):
        return item.schedule, item.window, item.now
    if isinstance(item, tuple):
        return item[0], item[1], None
    scenario = load_scenario(item, profile=profile)
    return scenario.schedule, scenario.window, scenario.now


def _resolve_chunk(
    chunk: Sequence[tuple[int, Item]],
    profile: Profile,
    durations: DurationMode,
    calendar_errors: CalendarErrors,
) -> list[Outcome]:
    """A worker's share: the answers of a run of consecutive items."""
    return [
        resolve_item(
            item, profile=profile, key=i, durations=durations, calendar_errors=calendar_errors
        )
        for i, item in chunk
    ]


def _answers(
    future: Future[list[Outcome]],
    chunk: Sequence[tuple[int, Item]],
    profile: Profile,
    durations: DurationMode,
    calendar_errors: CalendarErrors,
) -> list[Outcome]:
    """A chunk's answers from the pool; or, where the chunk does not pickle (an accepted item
    holding a lambda), from this process, so that the item gets its own answer instead of
    failing the whole call. Any other exception is a bug, and is raised."""
    try:
        return future.result()
    except Exception:
        if _pickles(chunk):
            raise
    return _resolve_chunk(chunk, profile, durations, calendar_errors)


def _pickles(value: object) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # pickling raises PicklingError, TypeError or AttributeError alike
        return False
    return True


def chunks_for(count: int, workers: int, chunk_size: int | None = None) -> int:
    """The items per chunk: ``chunk_size``, else about four chunks per worker (at most 1000)."""
    if chunk_size is not None:
        return chunk_size
    per_chunk = -(-count // (workers * _CHUNKS_PER_WORKER))
    return max(1, min(per_chunk, _MAX_CHUNK))


def resolve_many(
    items: Iterable[Item],
    *,
    profile: Profile = "strict",
    workers: int | None = None,
    chunk_size: int | None = None,
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
) -> list[Outcome]:
    """Resolve many schedules: one answer per item, in input order, each with ``durations``
    and ``calendar_errors`` as :func:`resolve` takes them (what ``"skip"`` leaves out is in
    each Resolution's ``skipped``).

    An item is a :class:`Scenario` (resolved with its ``now``), a ``(Schedule, Window)``
    pair, or what :func:`load_scenario` reads in ``profile`` (JSON text or bytes, a path, a
    parsed document). Its answer is its :class:`Resolution`, or the :class:`ShiftcalcError`
    that refused it (bad JSON, a bad shift, a value of another type): one bad item does not
    stop the others. An exception that is not a ShiftcalcError is a bug, and is raised.

    ``workers`` None or 1 resolves in this process; more starts a process pool of that many
    (``forkserver`` where the platform has it, else ``spawn``: forking a process that runs
    threads can deadlock) and sends it chunks of ``chunk_size`` consecutive items (default:
    about four chunks per worker, at most 1000 items each). Items and answers cross the
    process boundary by pickle, and a script that starts the pool must guard its main code
    with ``if __name__ == "__main__":``. The answers do not depend on ``workers``.

    >>> from shiftcalc import Resolution, ShiftcalcError, resolve_many
    >>> good = ('{"shifts": [{"type": "single_event", "start": "2024-01-01T09:00:00",'
    ...         ' "duration": 3600, "users": ["alice"]}],'
    ...         ' "window": {"start": "2024-01-01", "end": "2024-01-02"}}')
    >>> answers = resolve_many([good, "{not json", good])
    >>> [type(answer).__name__ for answer in answers]
    ['Resolution', 'ValidationError', 'Resolution']
    >>> [row.user for answer in answers if isinstance(answer, Resolution)
    ...  for row in answer.shifts]
    ['alice', 'alice']

    Raises:
        ValidationError: ``items`` is no iterable of items (one scenario's text or
            mapping), ``workers`` or ``chunk_size`` is not a positive integer (or None), or
            ``profile``, ``durations`` or ``calendar_errors`` is none of its values (options
            of the call, refused before any item, not item by item).
    """
    check_options(profile, durations, calendar_errors)
    check_positive("workers", workers)
    check_positive("chunk_size", chunk_size)
    check_items(items)
    numbered = list(enumerate(items))
    if workers is None or workers == 1 or len(numbered) <= 1:
        return _resolve_chunk(numbered, profile, durations, calendar_errors)
    # an item of no accepted type is answered here, at once: it may not pickle (a lambda), and
    # its pickling error would be the whole call's
    refused = [n for n in numbered if not _accepted(n[1])]
    sent = [n for n in numbered if _accepted(n[1])]
    found = _resolve_chunk(refused, profile, durations, calendar_errors)
    answers = dict(zip((i for i, _ in refused), found, strict=True))
    if sent:
        size = chunks_for(len(sent), workers, chunk_size)
        chunks = [sent[i : i + size] for i in range(0, len(sent), size)]
        method = (
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        context = multiprocessing.get_context(method)
        workers = min(workers, len(chunks))
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [
                pool.submit(_resolve_chunk, chunk, profile, durations, calendar_errors)
                for chunk in chunks
            ]
            outcomes = [
                outcome
                for chunk, future in zip(chunks, futures, strict=True)
                for outcome in _answers(future, chunk, profile, durations, calendar_errors)
            ]
        answers.update(zip((i for i, _ in sent), outcomes, strict=True))
    return [answers[i] for i, _ in numbered]
