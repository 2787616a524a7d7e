"""The diff of two one-year realistic schedules against resolving both.

``diff`` resolves both schedules and merges their sorted row boundaries once, so it should
cost about what the two resolutions cost. ``after`` differs from the realistic schedule of
test_bench_resolve by one override, or by one user added to the level-2 rotation.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import shiftcalc
from test_bench_resolve import YEAR

PROFILES = ("strict", "oncall")


def _changed(kind: str) -> str:
    document: dict[str, Any] = json.loads(YEAR)
    if kind == "override":
        document["shifts"].append(
            {
                "type": "override",
                "start": "2025-07-04T08:00:00",
                "duration": 4 * 3600,
                "users": ["user30"],
            }
        )
    else:
        level2 = next(s for s in document["shifts"] if s.get("level") == 2)
        level2["rolling_users"].append(["user31"])
    return json.dumps(document)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kind", ["override", "user"])
def test_bench_diff_year(benchmark: Any, profile: Any, kind: str) -> None:
    before = shiftcalc.load_scenario(YEAR, profile=profile)
    after = shiftcalc.load_scenario(_changed(kind), profile=profile)
    benchmark.group = f"diff {profile} {kind}"
    result = benchmark(shiftcalc.diff, before, after, profile=profile)
    assert not result.identical
    if kind == "override":
        assert len(result.changes) == 1 and result.changes[0].after == ("user30",)
    else:
        assert "user31" in {delta.user for delta in result.users}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kind", ["override", "user"])
def test_bench_resolve_both_year(benchmark: Any, profile: Any, kind: str) -> None:
    before = shiftcalc.load_scenario(YEAR, profile=profile)
    after = shiftcalc.load_scenario(_changed(kind), profile=profile)
    benchmark.group = f"diff {profile} {kind}"

    def both() -> int:
        a = shiftcalc.resolve(before.schedule, before.window, profile=profile)
        b = shiftcalc.resolve(after.schedule, after.window, profile=profile)
        return len(a.shifts) + len(b.shifts)

    assert benchmark(both) > 0
