"""Many schedules at once: resolve_many on 1 and 2 local workers, and dask_final_shifts on a
local Dask cluster (two worker processes), for 10,000 realistic schedules over a month and
1,000 over a year (benchmarks/test_bench_resolve.py's schedule, a different rotation phase
and window per item, as JSON text: load + resolve each).

Schedules per second = the count over the time (README, "Many schedules at once"). With
``--benchmark-disable`` (CI) each runs once on a few schedules, so the file stays quick.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from importlib import import_module
from typing import Any

import pytest

from shiftcalc import Resolution, resolve_many
from test_bench_resolve import realistic

FULL = {"month": 10_000, "year": 1_000}
SMOKE = {"month": 8, "year": 4}  # with benchmarks disabled: each test runs once, untimed


@cache
def schedules(span: str, count: int) -> tuple[str, ...]:
    """``count`` realistic scenarios as JSON text, each its own rotation phase and window."""
    days = 30 if span == "month" else 365
    texts = []
    for i in range(count):
        start = date(2025, 1, 1) + timedelta(days=i % 365)
        document = realistic(f"{start}T00:00:00Z", f"{start + timedelta(days=days)}T00:00:00Z")
        for number, shift in enumerate(document["shifts"][:4]):
            shift["start_rotation_from_user_index"] = (i + number) % len(shift["rolling_users"])
        texts.append(json.dumps(document))
    return tuple(texts)


def _count(benchmark: Any, span: str) -> int:
    return (SMOKE if benchmark.disabled else FULL)[span]


def _rounds(benchmark: Any) -> dict[str, int]:
    return {"rounds": 1 if benchmark.disabled else 3, "iterations": 1}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """One local Dask cluster of two worker processes for the module."""
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        # the workers import shiftcalc once, before any timing
        client.run(import_module, "shiftcalc._dask")
        yield client


@pytest.mark.parametrize("span", ["month", "year"])
@pytest.mark.parametrize("workers", [1, 2])
def test_resolve_many_local(benchmark: Any, span: str, workers: int) -> None:
    """resolve_many over the schedules, in-process (1) or on a pool of 2 processes."""
    benchmark.group = f"many schedules, one {span} each"
    count = _count(benchmark, span)
    items = schedules(span, count)
    answers = benchmark.pedantic(
        resolve_many, args=(items,), kwargs={"workers": workers}, **_rounds(benchmark)
    )
    assert len(answers) == count
    assert all(isinstance(answer, Resolution) and answer.shifts for answer in answers)
    benchmark.extra_info["schedules"] = count


@pytest.mark.parametrize("span", ["month", "year"])
def test_dask_final_shifts_local_cluster(benchmark: Any, client: Any, span: str) -> None:
    """dask_final_shifts over the same schedules on the local cluster, computed to pandas."""
    from shiftcalc import dask_final_shifts

    benchmark.group = f"many schedules, one {span} each"
    count = _count(benchmark, span)
    items = schedules(span, count)

    def run() -> Any:
        return dask_final_shifts(items, npartitions=min(count, 16)).compute()

    frame = benchmark.pedantic(run, **_rounds(benchmark))
    assert frame["error"].isna().all()
    assert frame["item"].nunique() == count
    benchmark.extra_info["schedules"] = count
