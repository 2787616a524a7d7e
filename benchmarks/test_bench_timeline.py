"""Speed of the timeline pictures: a year of the realistic schedule drawn as text and as SVG.

The schedule is benchmarks/test_bench_resolve.py's (three levels of weekly rotations, a
weekday rotation on top, twenty overrides, America/New_York); the resolution is computed once,
outside the timing: a picture costs its drawing (which also expands the layers). Every
benchmark checks its picture.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from shiftcalc import Resolution, Schedule, load_scenario, resolve, timeline_svg, timeline_text
from test_bench_resolve import realistic


def _year(profile: str, *, all_visible: bool = False) -> tuple[Resolution, Schedule]:
    document = realistic("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", all_visible=all_visible)
    scenario = load_scenario(document, profile=profile)  # type: ignore[arg-type]
    resolution = resolve(scenario.schedule, scenario.window, profile=profile)  # type: ignore[arg-type]
    return resolution, scenario.schedule


@pytest.mark.parametrize("profile", ["strict", "oncall"])
@pytest.mark.parametrize("all_visible", [False, True], ids=["realistic", "all-visible"])
def test_timeline_text_year(benchmark: Any, profile: str, all_visible: bool) -> None:
    """The text timeline of a year: one line a week, within 100 columns."""
    benchmark.group = "timeline of a year, text"
    resolution, schedule = _year(profile, all_visible=all_visible)
    text = benchmark(timeline_text, resolution, schedule)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[1].startswith("one line per week,")
    assert sum(line.startswith("Mon 20") for line in lines) == 53


@pytest.mark.parametrize("profile", ["strict", "oncall"])
@pytest.mark.parametrize("all_visible", [False, True], ids=["realistic", "all-visible"])
def test_timeline_svg_year(benchmark: Any, profile: str, all_visible: bool) -> None:
    """The SVG document of a year: one block per final row and gap, valid XML."""
    benchmark.group = "timeline of a year, SVG"
    resolution, schedule = _year(profile, all_visible=all_visible)
    svg = benchmark(timeline_svg, resolution, schedule)
    final = [
        rect
        for rect in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}rect")
        if rect.get("data-lane") == "final"
    ]
    rows = [row for row in resolution.shifts if row.start < row.end]
    assert len(final) == len(rows) + len(resolution.gaps)
