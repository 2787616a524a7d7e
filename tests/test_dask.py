"""dask_final_shifts on a local Dask cluster (two worker processes, one per module): the rows
of resolve, item by item, in the CSV form's columns, and one error line per refused item."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import shiftcalc
from scenario_builders import LONDON_DAILY
from shiftcalc import ShiftcalcError, resolve_many
from shiftcalc._output import SHIFTS_CSV_COLUMNS, shift_lines
from test_many import NO_WEEK_START, variant

dask_bag = pytest.importorskip("dask.bag", reason="the dask extra is not installed")
distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """One local cluster of two worker processes for the module (starting one takes seconds)."""
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def expected_lines(items: list[Any], keys: list[Any], profile: str = "strict") -> list[tuple]:
    """What the dataframe should hold, from resolve_many and the CSV writer's cells."""
    lines: list[tuple[Any, ...]] = []
    for key, item, answer in zip(keys, items, resolve_many(items, profile=profile), strict=True):  # type: ignore[arg-type]
        if isinstance(answer, ShiftcalcError):
            lines.append((key, None, None, None, None, None, f"{type(answer).__name__}: {answer}"))
        else:
            schedule = shiftcalc.load_scenario(item, profile=profile).schedule  # type: ignore[arg-type]
            lines += [(key, *line, None) for line in shift_lines(answer.shifts, schedule)]
    return lines


def as_lines(frame: Any) -> list[tuple[Any, ...]]:
    """The frame's rows as tuples, missing cells as None."""
    cells = frame.astype(object).where(frame.notna(), None)
    return [tuple(row) for row in cells.itertuples(index=False)]


@pytest.mark.parametrize("profile", ["strict", "oncall"])
def test_dask_final_shifts_equal_resolve_item_by_item(client: Any, profile: str) -> None:
    """The dataframe's lines are the CSV cells of each item's rows, in item order, with an
    error line for a refused item; the columns are the CSV form's, between item and error."""
    items = [json.dumps(variant(i)) for i in range(7)]
    items[3] = json.dumps(NO_WEEK_START)
    items[5] = "{not json"
    frame = shiftcalc.dask_final_shifts(items, profile=profile, npartitions=3)  # type: ignore[arg-type]
    assert list(frame.columns) == ["item", *SHIFTS_CSV_COLUMNS, "error"]
    assert frame.npartitions == 3
    computed = frame.compute()
    assert list(computed.columns) == list(frame.columns)
    assert as_lines(computed) == expected_lines(items, list(range(7)), profile)
    errors = computed[computed["error"].notna()]
    assert list(errors["item"]) == [3, 5]
    assert errors["error"].iloc[0].startswith("ValidationError: shifts[0].week_start")


def test_dask_final_shifts_from_a_bag_of_keyed_items(client: Any) -> None:
    """A bag of (key, item) pairs: the item column holds the keys."""
    items = [json.dumps(variant(i)) for i in range(4)]
    keys = [f"team-{i}.json" for i in range(4)]
    bag = dask_bag.from_sequence(list(zip(keys, items, strict=True)), npartitions=2)
    computed = shiftcalc.dask_final_shifts(bag).compute()
    assert as_lines(computed) == expected_lines(items, keys)


def test_dask_final_shifts_of_nothing(client: Any) -> None:
    """No items: an empty dataframe with the columns."""
    computed = shiftcalc.dask_final_shifts([]).compute()
    assert (len(computed), list(computed.columns)) == (0, ["item", *SHIFTS_CSV_COLUMNS, "error"])


def test_dask_final_shifts_take_durations(client: Any) -> None:
    """The workers resolve with the durations given (the London case of
    scenario_builders.LONDON_DAILY: bob's Saturday shift ends 09:00Z when elapsed)."""
    for durations, end in (("wall", "2024-03-31T08:00:00Z"), ("elapsed", "2024-03-31T09:00:00Z")):
        frame = shiftcalc.dask_final_shifts([json.dumps(LONDON_DAILY)], durations=durations)  # type: ignore[arg-type]
        computed = frame.compute()
        assert list(computed[computed["user_pk"] == "bob"]["shift_end"]) == [end]


@pytest.mark.parametrize(("option", "value"), [("profile", "bogus"), ("durations", "real")])
def test_dask_final_shifts_refuses_a_bad_option_at_once(option: str, value: str) -> None:
    """A bad option raises when the dataframe is built, not as every item's error line."""
    with pytest.raises(shiftcalc.ValidationError) as caught:
        shiftcalc.dask_final_shifts([json.dumps(LONDON_DAILY)], **{option: value})  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == (option, value)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"items": None}, "items"),
        ({"items": 5}, "items"),
        ({"items": json.dumps(LONDON_DAILY)}, "items"),
        ({"items": [json.dumps(LONDON_DAILY)], "npartitions": 0}, "npartitions"),
        ({"items": [json.dumps(LONDON_DAILY)], "npartitions": "2"}, "npartitions"),
    ],
)
def test_dask_final_shifts_refuses_bad_items_or_partitions_by_name(
    arguments: dict[str, Any], field: str
) -> None:
    """A TypeError from inside dask before (a tester found): a ValidationError naming the
    argument, as resolve_many's, when the dataframe is built."""
    with pytest.raises(shiftcalc.ValidationError) as caught:
        shiftcalc.dask_final_shifts(**arguments)
    assert caught.value.field == field
