"""resolve_many: one answer per item in input order, errors per item, the same answers on one
process or a pool; the Dask helper is imported lazily."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

import shiftcalc
from scenario_builders import BOTH, LONDON_DAILY
from shiftcalc import Resolution, ShiftcalcError, ValidationError, resolve_many
from shiftcalc._many import _answers, chunks_for
from test_analysis_options import WITH_BAD

WEEKLY: dict[str, Any] = {
    "schedule": {"type": "calendar", "time_zone": "America/New_York"},
    "shifts": [
        {"type": "rolling_users", "start": "2024-01-01T09:00:00", "duration": 604800,
         "frequency": "weekly", "week_start": "MO",
         "rolling_users": [["alice"], ["bob"], ["carol"]], "start_rotation_from_user_index": 0},
        {"type": "override", "start": "2024-01-10T12:00:00", "duration": 7200,
         "users": ["dave"]},
    ],
    "window": {"start": "2024-01-01", "end": "2024-02-01"},
}  # fmt: skip
NO_WEEK_START = {
    **WEEKLY,
    "shifts": [{k: v for k, v in WEEKLY["shifts"][0].items() if k != "week_start"}],
}


def variant(i: int) -> dict[str, Any]:
    """A different schedule per i: the rotation starts on another day, from another user."""
    rotation = {**WEEKLY["shifts"][0], "start": f"2024-01-{1 + i % 28:02d}T09:00:00"}
    rotation["start_rotation_from_user_index"] = i % 3
    return {**WEEKLY, "shifts": [rotation, WEEKLY["shifts"][1]]}


def mixed(tmp_path: Path) -> list[Any]:
    """Items of every accepted kind, good and bad."""
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(variant(3)))
    scenario = shiftcalc.load_scenario(variant(4))
    return [
        json.dumps(variant(1)),  # JSON text
        "{not json",  # a parse error
        json.dumps(variant(2)).encode(),  # bytes
        str(path),  # a path
        scenario,  # a Scenario
        (scenario.schedule, scenario.window),  # a pair
        NO_WEEK_START,  # a parsed document the loader refuses
        42,  # no accepted type
        (scenario.schedule, "2024"),  # a pair of the wrong types
        str(tmp_path / "missing.json"),  # a path that does not exist
        variant(5),
    ]


def expected(item: Any, profile: str = "strict") -> Resolution | type[ShiftcalcError]:
    try:
        if isinstance(item, shiftcalc.Scenario):
            scenario = item
        elif isinstance(item, tuple):
            return shiftcalc.resolve(item[0], item[1], profile=profile)  # type: ignore[arg-type]
        else:
            scenario = shiftcalc.load_scenario(item, profile=profile)  # type: ignore[arg-type]
        return shiftcalc.resolve(
            scenario.schedule,
            scenario.window,
            profile=profile,
            now=scenario.now,  # type: ignore[arg-type]
        )
    except ShiftcalcError as error:
        return type(error)
    except Exception:
        return ValidationError  # resolve_many refuses what resolve cannot take


def test_resolve_many_answers_in_order_with_errors_per_item(tmp_path: Path) -> None:
    """Each answer is the item's Resolution or its ShiftcalcError, in input order; a bad item
    does not stop the others."""
    items = mixed(tmp_path)
    answers = resolve_many(items)
    assert len(answers) == len(items)
    kinds = [type(answer).__name__ for answer in answers]
    assert kinds == ["Resolution", "ValidationError", "Resolution", "Resolution", "Resolution",
                     "Resolution", "ValidationError", "ValidationError", "ValidationError",
                     "ValidationError", "Resolution"]  # fmt: skip
    for item, answer in zip(items, answers, strict=True):
        want = expected(item)
        if isinstance(want, Resolution):
            assert answer == want
        else:
            assert type(answer) is want


def test_resolve_many_names_the_item_of_no_accepted_type() -> None:
    """An item of no accepted type is a ValidationError naming its position."""
    answers = resolve_many([WEEKLY, object(), [1, 2]])
    assert isinstance(answers[0], Resolution)
    assert [(a.field, a.reason) for a in answers[1:] if isinstance(a, ValidationError)] == [
        (
            "items[1]",
            "expected a Scenario, a (Schedule, Window) pair, scenario JSON text or a path",
        ),
        (
            "items[2]",
            "expected a Scenario, a (Schedule, Window) pair, scenario JSON text or a path",
        ),
    ]


def test_resolve_many_keeps_the_loader_error_fields() -> None:
    """A refused document's error is the loader's own (field, reason)."""
    (answer,) = resolve_many([NO_WEEK_START])
    assert isinstance(answer, ValidationError)
    assert (answer.field, answer.reason) == (
        "shifts[0].week_start", "Field 'week_start' is required for frequency type 'weekly'",
    )  # fmt: skip


def test_resolve_many_uses_a_scenarios_now() -> None:
    """A Scenario item is resolved with its ``now`` (OnCall ignores past-due open swaps)."""
    document = {
        **WEEKLY,
        "swaps": [{"beneficiary": "alice", "benefactor": None,
                   "swap_start": "2024-01-02T00:00:00Z", "swap_end": "2024-01-03T00:00:00Z"}],
        "now": "2024-01-05T00:00:00Z",
    }  # fmt: skip
    scenario = shiftcalc.load_scenario(document, profile="oncall")
    with_now = shiftcalc.resolve(
        scenario.schedule, scenario.window, profile="oncall", now=scenario.now
    )
    assert resolve_many([scenario], profile="oncall") == [with_now]
    assert resolve_many([json.dumps(document)], profile="oncall") == [with_now]


@BOTH
def test_resolve_many_same_answers_on_one_or_two_workers(tmp_path: Path, profile: str) -> None:
    """workers=1 and workers=2 (several chunks, errors among them) give equal answers; the
    events built on the far side of the pool are the same too."""
    items = [*mixed(tmp_path), *(variant(i) for i in range(12))]
    alone = resolve_many(items, profile=profile, workers=1)  # type: ignore[arg-type]
    pooled = resolve_many(items, profile=profile, workers=2, chunk_size=3)  # type: ignore[arg-type]
    assert [type(a) for a in pooled] == [type(a) for a in alone]
    for one, two in zip(alone, pooled, strict=True):
        if isinstance(one, Resolution):
            assert isinstance(two, Resolution)
            assert (two, two.events) == (one, one.events)
        else:
            assert isinstance(two, ShiftcalcError)
            assert str(two) == str(one)
            assert getattr(two, "field", None) == getattr(one, "field", None)


def test_resolve_many_takes_any_iterable_and_nothing() -> None:
    """A generator works; no items give no answers (with or without a pool)."""
    assert resolve_many(variant(i) for i in range(3)) == resolve_many(
        [variant(i) for i in range(3)]
    )
    assert resolve_many([]) == []
    assert resolve_many([], workers=2) == []


@pytest.mark.parametrize("name", ["workers", "chunk_size"])
@pytest.mark.parametrize("value", [0, -1, 1.5, "2", True])
def test_resolve_many_refuses_a_bad_workers_or_chunk_size(name: str, value: Any) -> None:
    """workers and chunk_size are positive integers or None: anything else is refused by name."""
    with pytest.raises(ValidationError) as raised:
        resolve_many([WEEKLY], **{name: value})
    assert raised.value.field == name


def test_resolve_many_raises_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception that is not a ShiftcalcError is a bug: it is raised, not returned."""

    def broken(*args: Any, **kwargs: Any) -> Resolution:
        raise RuntimeError("a bug")

    monkeypatch.setattr("shiftcalc._many.resolve", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        resolve_many([WEEKLY])


def test_resolve_many_chunks_are_a_few_per_worker() -> None:
    """About four chunks per worker, at least one item and at most 1000 per chunk."""
    assert chunks_for(10_000, 2) == 1000
    assert chunks_for(1_000, 2) == 125
    assert chunks_for(3, 2) == 1
    assert chunks_for(100, 2, 7) == 7


def test_import_shiftcalc_does_not_import_dask() -> None:
    """The Dask helper imports dask on first use: ``import shiftcalc`` never does."""
    code = (
        "import sys, shiftcalc; print(sorted({'dask', 'pandas', 'distributed'} & {*sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_resolve_many_passes_durations_and_calendar_errors() -> None:
    """Each item is resolved with the options given, in this process and in a pool alike:
    elapsed durations (scenario_builders.LONDON_DAILY: bob's Saturday shift
    ends 09:00Z, not 08:00Z), and a calendar's bad VEVENT skipped and reported in its
    Resolution (raised as its item's error by default)."""
    london = json.dumps(LONDON_DAILY)
    calendar = json.dumps(
        {
            "schedule": {"type": "ical", "ical_primary": WITH_BAD.ical_primary},
            "shifts": [],
            "window": {"start": "2024-01-01", "end": "2024-01-02"},
        }
    )
    for workers in (1, 2):
        wall, refused = resolve_many([london, calendar], workers=workers, chunk_size=1)
        elapsed, skipped = resolve_many(
            [london, calendar],
            workers=workers,
            chunk_size=1,
            durations="elapsed",
            calendar_errors="skip",
        )
        assert isinstance(wall, Resolution) and isinstance(elapsed, Resolution)
        assert [row.end.hour for row in wall.shifts if row.user == "bob"] == [8]
        assert [row.end.hour for row in elapsed.shifts if row.user == "bob"] == [9]
        assert isinstance(refused, shiftcalc.CalendarError)
        assert isinstance(skipped, Resolution)
        assert [item.uid for item in skipped.skipped] == ["bad"]
        assert [row.user for row in skipped.shifts] == ["alice"]


@pytest.mark.parametrize(
    ("option", "value"), [("profile", "bogus"), ("durations", "real"), ("calendar_errors", "no")]
)
def test_resolve_many_refuses_a_bad_option_before_any_item(option: str, value: str) -> None:
    """A bad option is the call's error, raised at once (it was every item's error, one per
    item): no item is resolved, and the error names the option and its value."""
    with pytest.raises(ValidationError) as caught:
        resolve_many([json.dumps(LONDON_DAILY)] * 3, **{option: value})  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == (option, value)


def test_an_item_that_cannot_cross_to_a_worker_is_its_own_error() -> None:
    """An item of no accepted type is answered in this process: a lambda does not pickle,
    and the pool made its PicklingError the whole call's (a tester found it). The answers
    equal those of one process."""
    good = json.dumps(LONDON_DAILY)
    items: list[Any] = [good, lambda: 1, good, 5]
    pooled = resolve_many(items, workers=2)
    assert [type(answer) for answer in pooled] == [
        Resolution, ValidationError, Resolution, ValidationError
    ]  # fmt: skip
    assert [getattr(answer, "field", None) for answer in pooled] == [
        None,
        "items[1]",
        None,
        "items[3]",
    ]
    local = resolve_many(items)
    assert pooled[0] == local[0] and pooled[2] == local[2]
    assert [str(answer) for answer in pooled[1::2]] == [str(answer) for answer in local[1::2]]


def test_an_accepted_item_that_does_not_pickle_is_answered_alone() -> None:
    """A parsed document is of an accepted type even when it holds a lambda, which does not
    pickle: its chunk is answered in this process, with the answers one process gives, and
    the other chunks still go to the pool (a tester found the whole call failing)."""
    good = json.loads(json.dumps(LONDON_DAILY))
    ignored = {**good, "extension": lambda: 1}  # an unknown top-level field is ignored
    named = {**good, "shifts": [{**good["shifts"][0], "users": [lambda: 1]}]}
    items: list[Any] = [good, ignored, named, good]
    pooled = resolve_many(items, workers=2, chunk_size=1)
    local = resolve_many(items)
    assert [type(answer) for answer in pooled] == [
        Resolution, Resolution, ValidationError, Resolution
    ]  # fmt: skip
    assert pooled[:2] + pooled[3:] == local[:2] + local[3:]
    assert isinstance(pooled[2], ValidationError) and pooled[2].field == "shifts[0].users[0]"
    assert str(pooled[2]) == str(local[2])


def test_a_chunk_that_pickles_and_fails_in_the_pool_is_a_bug() -> None:
    """Only a chunk that does not pickle is answered again here: any other exception from
    the pool is a bug, and is raised."""
    failed: Future[list[Any]] = Future()
    failed.set_exception(RuntimeError("a bug in a worker"))
    with pytest.raises(RuntimeError, match="a bug in a worker"):
        _answers(failed, [(0, json.dumps(LONDON_DAILY))], "strict", "wall", "raise")
