"""The cost-per-row targets of the README's "Performance", each a ratio measured in one run.

Both sides of a ratio are timed in the same loop, alternately, and each side's minimum is
kept: on a shared machine a slow stretch then slows both sides alike. The ratios land in the
benchmark's ``extra_info`` (``--benchmark-json``) and are printed (``-s``); nothing asserts on
them (timings are not tests). The targets:

* the final_shifts JSON document written in less time than the computation (``resolve``):
  as the CLI writes it (``final_shifts_json``, straight from the rows), and as the dict
  document (``final_shifts_document``) written by ``to_json``;
* JSON in → rows out (load_scenario + resolve + rows) at least 50× faster than
  recurring-ical-events expands the same calendar, in both profiles;
* at least 100× faster than Grafana OnCall's engine for the year (90-165 ms, measured on
  OnCall itself: README, "Performance").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from shiftcalc import final_shifts_document, final_shifts_json, load_scenario, resolve, to_json
from test_bench_resolve import YEAR, _calendar_texts, _recurring_ical_events

ONCALL_ENGINE_MS = (90.0, 165.0)  # Grafana OnCall's final_shifts for the year, measured on it


def _minima(sides: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Each side's fastest time in ms, the sides run in turn ``rounds`` times."""
    best = dict.fromkeys(sides, float("inf"))
    for _ in range(rounds):
        for name, side in sides.items():
            began = time.perf_counter()
            side()
            best[name] = min(best[name], time.perf_counter() - began)
    return {name: seconds * 1000 for name, seconds in best.items()}


def _json_to_rows(profile: str) -> Callable[[], int]:
    def run() -> int:
        scenario = load_scenario(YEAR, profile=profile)  # type: ignore[arg-type]
        return len(resolve(scenario.schedule, scenario.window, profile=profile).shifts)  # type: ignore[arg-type]

    return run


def test_ratios_realistic_year(benchmark: Any) -> None:
    """Every target's ratio for a year of the realistic schedule, from one loop."""
    benchmark.group = "cost per row: the targets' ratios"
    scenario = load_scenario(YEAR)
    rows = resolve(scenario.schedule, scenario.window).shifts
    texts = _calendar_texts()
    sides: dict[str, Callable[[], Any]] = {
        "resolve": lambda: resolve(scenario.schedule, scenario.window).shifts,
        "document": lambda: to_json(final_shifts_document(rows, scenario.schedule)),
        "json_text": lambda: final_shifts_json(rows, scenario.schedule),
        "json_to_rows_strict": _json_to_rows("strict"),
        "json_to_rows_oncall": _json_to_rows("oncall"),
        "recurring_ical_events": lambda: _recurring_ical_events(texts),
    }
    rounds = 1 if benchmark.disabled else 30
    ms = benchmark.pedantic(_minima, args=(sides, rounds), rounds=1, iterations=1)
    ratios = {
        "document_over_computation": ms["document"] / ms["resolve"],
        "json_text_over_computation": ms["json_text"] / ms["resolve"],
        **{
            f"rie_over_{profile}": ms["recurring_ical_events"] / ms[f"json_to_rows_{profile}"]
            for profile in ("strict", "oncall")
        },
        **{
            f"oncall_engine_over_{profile}": tuple(
                engine / ms[f"json_to_rows_{profile}"] for engine in ONCALL_ENGINE_MS
            )
            for profile in ("strict", "oncall")
        },
    }
    benchmark.extra_info.update(ms=ms, ratios=ratios)
    print("\nms:", {name: round(value, 3) for name, value in ms.items()})
    print("ratios:", ratios)
    assert _json_to_rows("strict")() == len(rows) > 500
