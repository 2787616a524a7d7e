"""Grafana OnCall's own answers (tests/vectors/oncall) through the ``oncall`` profile."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import VECTORS, read_jsonl
from shiftcalc import EngineError, ShiftcalcError, ValidationError, load_scenario, resolve


def _cases(name: str) -> list[dict[str, Any]]:
    return read_jsonl(VECTORS / "oncall" / name)


def _z(value: Any) -> str:
    return str(value.strftime("%Y-%m-%dT%H:%M:%SZ"))


HANDMADE = _cases("handmade.jsonl")
ERRORS = _cases("errors.jsonl")
# 300 seeded random calendar/web scenarios with the engine's answers: a regression net.
RANDOM = _cases("random.jsonl")
COMPUTED = HANDMADE + RANDOM


def test_all_cases_present() -> None:
    assert (len(HANDMADE), len(RANDOM), len(ERRORS)) == (47, 300, 18)


@pytest.mark.parametrize("case", COMPUTED, ids=[case["name"] for case in COMPUTED])
def test_final_shifts(case: dict[str, Any]) -> None:
    """Final-shift rows equal the engine's, as a multiset of (user, start, end)."""
    scenario = load_scenario(case, profile="oncall")
    resolution = resolve(scenario.schedule, scenario.window, profile="oncall")
    expected = sorted(
        (row["user"], row["start"], row["end"]) for row in case["expected_final_shifts"]
    )
    actual = sorted((row.user, _z(row.start), _z(row.end)) for row in resolution.shifts)
    assert expected == actual


@pytest.mark.parametrize("case", COMPUTED, ids=[case["name"] for case in COMPUTED])
def test_final_events(case: dict[str, Any]) -> None:
    """Resolved events (levels, override flags, gaps) equal the engine's, unclipped."""
    scenario = load_scenario(case, profile="oncall")
    resolution = resolve(scenario.schedule, scenario.window, profile="oncall")
    expected = sorted(
        (
            e["start"],
            e["end"],
            tuple(sorted(e["users"])),
            e["priority_level"],
            e["is_override"],
            e["is_gap"],
        )
        for e in case["expected_final_events"]
    )
    actual = sorted(
        (_z(e.start), _z(e.end), tuple(sorted(e.users)), e.level, e.is_override, e.is_gap)
        for e in resolution.events
    )
    assert expected == actual


API_REJECTIONS = [
    case for case in ERRORS if case["expected_error"]["stage"] == "public_api_validation"
]
ENGINE_CRASHES = [case for case in ERRORS if case["expected_error"]["stage"] == "engine"]


def _api_message(case: dict[str, Any]) -> str:
    body = case["expected_error"]["detail"]["body"]
    if "detail" in body:
        return str(body["detail"])
    ((_, messages),) = body.items()
    if isinstance(messages, dict):
        ((_, messages),) = messages.items()
    return str(messages[0])


@pytest.mark.parametrize("case", API_REJECTIONS, ids=[case["name"] for case in API_REJECTIONS])
def test_api_rejections(case: dict[str, Any]) -> None:
    """Inputs the public API rejects raise a ValidationError carrying OnCall's message."""
    with pytest.raises(ValidationError) as caught:
        load_scenario(case, profile="oncall")
    assert _api_message(case) == caught.value.reason
    assert caught.value.field.startswith(
        f"shifts[{case['expected_error']['detail']['shift_index']}]"
    )


@pytest.mark.parametrize("case", ENGINE_CRASHES, ids=[case["name"] for case in ENGINE_CRASHES])
def test_engine_crashes_are_clear_errors(case: dict[str, Any]) -> None:
    """Where the engine crashes (HTTP 500), the oncall profile raises an EngineError saying why."""
    scenario = load_scenario(case, profile="oncall")
    with pytest.raises(EngineError) as caught:
        resolve(scenario.schedule, scenario.window, profile="oncall")
    expected_kind = case["expected_error"]["detail"].split(":")[0]
    assert expected_kind in str(caught.value)
    assert isinstance(caught.value, ShiftcalcError)


@pytest.mark.parametrize("case", ENGINE_CRASHES, ids=[case["name"] for case in ENGINE_CRASHES])
def test_engine_crashes_compute_in_strict(case: dict[str, Any]) -> None:
    """The strict profile computes what the engine crashes on: sorted, disjoint rows per user."""
    scenario = load_scenario(case, profile="strict")
    rows = resolve(scenario.schedule, scenario.window).shifts
    assert rows, "every crash case has someone on call in its window"
    for row in rows:
        assert scenario.window.start <= row.start < row.end <= scenario.window.end
