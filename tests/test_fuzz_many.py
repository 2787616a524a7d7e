"""Fuzz: resolve_many on mixed, hostile items answers each with its Resolution (equal to
resolve's) or a ShiftcalcError, in bounded time, and the answers survive pickling."""

from __future__ import annotations

import json
import pickle
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import shiftcalc
from conftest import hang_guard
from shiftcalc import Resolution, ShiftcalcError, dump_scenario, resolve_many
from shiftcalc.strategies import scenarios

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=10,
)
FIELDS = ("type", "start", "duration", "frequency", "interval", "week_start", "users", "level")


@st.composite
def broken_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario's document with one field of one shift, or the window, replaced."""
    profile = draw(st.sampled_from(["strict", "oncall"]))
    document = json.loads(json.dumps(dump_scenario(draw(scenarios(max_days=3, profile=profile)))))
    if document["shifts"] and draw(st.booleans()):
        shift = draw(st.sampled_from(document["shifts"]))
        shift[draw(st.sampled_from(FIELDS))] = draw(JSON_VALUES)
    else:
        document["window"][draw(st.sampled_from(["start", "end"]))] = draw(
            st.sampled_from(["0001-01-01", "9999-12-31T23:59:59Z", "2024-02-30", "x"])
            | JSON_VALUES
        )
    return document


ITEMS = st.one_of(
    scenarios(max_days=3),
    scenarios(max_days=3).map(lambda scenario: (scenario.schedule, scenario.window)),
    scenarios(max_days=3).map(lambda scenario: json.dumps(dump_scenario(scenario))),
    broken_documents(),
    broken_documents().map(json.dumps),
    st.text(max_size=20).map(lambda text: "{" + text),
    JSON_VALUES,
)


@settings(deadline=None)
@given(st.lists(ITEMS, max_size=3), st.sampled_from(["strict", "oncall"]))
def test_resolve_many_answers_every_item_or_refuses_it(items: list[Any], profile: str) -> None:
    with hang_guard(60):
        answers = resolve_many(items, profile=profile)  # type: ignore[arg-type]
    assert len(answers) == len(items)
    for item, answer in zip(items, answers, strict=True):
        assert isinstance(answer, Resolution | ShiftcalcError)
        back = pickle.loads(pickle.dumps(answer))
        assert type(back) is type(answer)
        if isinstance(answer, Resolution):
            assert back == answer
            if isinstance(item, shiftcalc.Scenario):
                assert answer == shiftcalc.resolve(
                    item.schedule,
                    item.window,
                    profile=profile,
                    now=item.now,  # type: ignore[arg-type]
                )
        else:
            assert str(back) == str(answer)
