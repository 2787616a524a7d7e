"""Pictures of a schedule (issue #15): the text timeline, the SVG document and ``show``.

Golden pictures live in tests/golden/timeline/ (a scenario NAME.json, its pictures NAME.txt and
NAME.svg, strict profile). A change to them must be deliberate: regenerate them, and
docs/example.svg, with ``SHIFTCALC_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest
tests/test_timeline.py`` and review the diff.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import shiftcalc
from scenario_builders import LONDON_DAILY
from shiftcalc import Interval, Resolution, Scenario, Window
from shiftcalc.__main__ import main
from shiftcalc._timeline import PALETTE, timeline_blocks
from shiftcalc._timeline_svg import LEFT, PLOT

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "timeline"
EXAMPLE = ROOT / "src" / "shiftcalc" / "examples" / "oncall-team.json"
DOCS_SVG = ROOT / "docs" / "example.svg"
REGENERATE = os.environ.get("SHIFTCALC_REGENERATE_GOLDEN") == "1"
SCENARIOS = sorted(GOLDEN.glob("*.json"))
SVG = "{http://www.w3.org/2000/svg}"


def load(path: Path, profile: str = "strict") -> tuple[Scenario, Resolution]:
    scenario = shiftcalc.load_scenario(str(path), profile=profile)  # type: ignore[arg-type]
    resolution = shiftcalc.resolve(
        scenario.schedule,
        scenario.window,
        profile=profile,  # type: ignore[arg-type]
    )
    return scenario, resolution


def blocks_of(svg: str) -> list[ET.Element]:
    """The block rectangles of an SVG timeline, in document order."""
    return [rect for rect in ET.fromstring(svg).iter(f"{SVG}rect") if "data-lane" in rect.attrib]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def expected_x(at: datetime, window: Window) -> float:
    return LEFT + PLOT * (at - window.start) / (window.end - window.start)


def layer_count(intervals: list[Interval], window: Window) -> int:
    """Blocks the layer lanes should hold: one per (occurrence, user) inside the window."""
    return sum(
        max(len(item.users), 1)
        for item in intervals
        if max(item.start, window.start) < min(item.end, window.end)
    )


def grid_lines(text: str) -> list[str]:
    """The grid's lines (after the four header lines, before the footnotes and legend)."""
    lines = text.splitlines()[4:]
    return [line for line in lines if not line.startswith(("* ", "users: ", ". ", "  "))]


# --- SVG ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["strict", "oncall"])
@pytest.mark.parametrize("path", [EXAMPLE, *SCENARIOS], ids=lambda p: p.stem)
def test_svg_has_one_block_per_final_shift_gap_and_layer_event(path: Path, profile: str) -> None:
    """The SVG parses as XML; its final lane holds one block per final-shift row and gap, its
    layer lanes one per occurrence and user in the window; each block's place and width
    follow its start and end on the axis."""
    scenario, resolution = load(path, profile)
    svg = shiftcalc.timeline_svg(resolution, scenario.schedule)
    blocks = blocks_of(svg)
    final = [b for b in blocks if b.get("data-lane") == "final"]
    rows = [row for row in resolution.shifts if row.start < row.end]
    gaps = [gap for gap in resolution.gaps if gap.start < gap.end]
    assert len(final) == len(rows) + len(gaps)
    drawn = sorted(
        (instant(b.attrib["data-start"]), instant(b.attrib["data-end"]), b.get("data-user"))
        for b in final
        if "gap" not in b.attrib["class"]
    )
    assert drawn == sorted((row.start, row.end, row.user) for row in rows)
    assert sum("gap" in b.attrib["class"] for b in final) == len(gaps)
    if not scenario.schedule.swaps:  # a taken swap splits the occurrences it crosses
        intervals = shiftcalc.expand(scenario.schedule, resolution.window, profile=profile)  # type: ignore[arg-type]
        layers = [b for b in blocks if b.get("data-lane") != "final"]
        assert len(layers) == layer_count(intervals, resolution.window)
    for block in blocks:
        start, end = instant(block.attrib["data-start"]), instant(block.attrib["data-end"])
        x = float(block.attrib["x"])
        width = float(block.attrib["width"])
        assert abs(x - expected_x(start, resolution.window)) <= 0.006
        assert abs(x + width - expected_x(end, resolution.window)) <= 0.012
        assert block.find(f"{SVG}title") is not None


def test_svg_rows_positions_follow_the_resolution_exactly() -> None:
    """Block by block, the final lane's x and width are the rows' own start and end on the
    axis (not the rounded data attributes)."""
    scenario, resolution = load(EXAMPLE)
    final = [b for b in blocks_of(shiftcalc.timeline_svg(resolution, scenario.schedule))]
    final = [b for b in final if b.get("data-lane") == "final" and "gap" not in b.attrib["class"]]
    for block, row in zip(final, resolution.shifts, strict=True):
        assert abs(float(block.attrib["x"]) - expected_x(row.start, resolution.window)) <= 0.006
        right = float(block.attrib["x"]) + float(block.attrib["width"])
        assert abs(right - expected_x(row.end, resolution.window)) <= 0.012


def test_svg_tooltips_name_user_times_layer_and_shift() -> None:
    """Every block's title has the user, start and end (local and UTC), layer and shift."""
    scenario, resolution = load(EXAMPLE)
    blocks = blocks_of(shiftcalc.timeline_svg(resolution, scenario.schedule))
    override = next(b for b in blocks if b.get("data-lane") == "overrides")
    title = override.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert title.text.splitlines() == [
        "carol (UCAROL)",
        "2024-04-02 12:00 BST to 2024-04-02 15:00 BST",
        "UTC 2024-04-02T11:00:00Z to 2024-04-02T14:00:00Z",
        "layer: overrides",
        "shift: carol covers the release",
    ]
    final = [b for b in blocks if b.get("data-lane") == "final"]
    assert "shift: primary" in (final[0].find(f"{SVG}title").text or "")  # type: ignore[union-attr]
    assert (
        "override"
        in next(
            b
            for b in final
            if b.get("data-user") == "UCAROL" and b.attrib["data-start"].startswith("2024-04-02")
        ).attrib["class"]
    )


def test_svg_colours_are_stable_and_differ_between_neighbours() -> None:
    """A user has one colour in every block; touching blocks of different users differ; the
    colour comes from the user (reordering the directory changes nothing)."""
    scenario, resolution = load(EXAMPLE)
    svg = shiftcalc.timeline_svg(resolution, scenario.schedule)
    colours: dict[str, set[str]] = {}
    for block in blocks_of(svg):
        if block.get("data-user"):
            colours.setdefault(block.attrib["data-user"], set()).add(block.attrib["fill"])
    assert all(len(found) == 1 for found in colours.values())
    assert all(next(iter(found)) in PALETTE for found in colours.values())
    final = [b for b in blocks_of(svg) if b.get("data-lane") == "final" and b.get("data-user")]
    for a, b in itertools.pairwise(final):
        if a.attrib["data-end"] == b.attrib["data-start"] and a.get("data-user") != b.get(
            "data-user"
        ):
            assert a.attrib["fill"] != b.attrib["fill"]
    data = json.loads(EXAMPLE.read_text())
    data["users"] = data["users"][::-1]
    reordered = shiftcalc.load_scenario(data)
    again = shiftcalc.timeline_svg(
        shiftcalc.resolve(reordered.schedule, reordered.window), reordered.schedule
    )
    assert again == svg


def test_svg_gives_every_user_its_own_colour_up_to_the_palette() -> None:
    """With at most 12 users, no two share a colour: over a year the example's five users are
    all drawn, and bob and dave once came out the same orange (only neighbours differed)."""
    scenario, _ = load(EXAMPLE)
    window = Window(start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2025, 1, 1, tzinfo=UTC))
    resolution = shiftcalc.resolve(scenario.schedule, window)
    svg = shiftcalc.timeline_svg(resolution, scenario.schedule)
    colours = {
        block.attrib["data-user"]: block.attrib["fill"]
        for block in blocks_of(svg)
        if block.get("data-user")
    }
    assert len(colours) == 5
    assert len(set(colours.values())) == len(colours)


def test_svg_is_the_same_bytes_in_every_process() -> None:
    """Colours come from a hash of the user id that does not change between runs (not
    Python's salted ``hash``): two processes with different hash seeds write the same bytes."""
    outputs = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-m", "shiftcalc", "show", str(EXAMPLE), "--format", "svg"],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_svg_marks_swaps_overrides_and_gaps_without_colour() -> None:
    """Swapped time, overrides and gaps have their own outline or hatching (classes styled in
    the document), not a colour alone; the document holds no script or external reference."""
    scenario, resolution = load(GOLDEN / "swaps.json")
    svg = shiftcalc.timeline_svg(resolution, scenario.schedule)
    classes = [b.attrib["class"] for b in blocks_of(svg)]
    assert any("swap" in c for c in classes)
    assert any("gap" in c for c in classes)
    assert ".swap {" in svg and ".override {" in svg and 'id="gap"' in svg
    assert "<script" not in svg and "http://" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "href" not in svg


def test_svg_escapes_names_xml_cannot_hold() -> None:
    """A username with markup or control characters still gives valid XML."""
    data = json.loads(EXAMPLE.read_text())
    data["users"][0]["username"] = 'al<ice & "co"\x01'
    data["shifts"][0]["rolling_users"][0] = ["UALICE"]
    data["schedule"]["name"] = "</svg>"
    scenario = shiftcalc.load_scenario(data)
    resolution = shiftcalc.resolve(scenario.schedule, scenario.window)
    ET.fromstring(shiftcalc.timeline_svg(resolution, scenario.schedule))
    text = shiftcalc.timeline_text(resolution, scenario.schedule)
    assert "\x01" not in text


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 7, 31, 92, 366, 3000])
@pytest.mark.parametrize("width", [40, 72, 100])
def test_text_fits_the_width_for_windows_from_a_day_to_years(days: int, width: int) -> None:
    """Every line fits ``width`` columns, for a day's window up to years."""
    scenario, _ = load(GOLDEN / "overrides.json")
    start = datetime(2024, 5, 6, tzinfo=UTC)
    window = Window(start=start, end=start + timedelta(days=days))
    resolution = shiftcalc.resolve(scenario.schedule, window)
    text = shiftcalc.timeline_text(resolution, scenario.schedule, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    lines = grid_lines(text)
    assert 1 <= len(lines) <= 2 * 93  # a quarter is one line a day


def test_text_rows_follow_the_window_length() -> None:
    """A day is drawn an hour a line, a quarter a day a line, a year a week a line."""
    scenario, _ = load(GOLDEN / "overrides.json")
    start = datetime(2024, 5, 6, tzinfo=UTC)
    for days, unit in ((1, "hour"), (92, "day"), (365, "week"), (3650, "month")):
        window = Window(start=start, end=start + timedelta(days=days))
        text = shiftcalc.timeline_text(
            shiftcalc.resolve(scenario.schedule, window), scenario.schedule
        )
        assert text.splitlines()[1].startswith(f"one line per {unit},")


def gap_schedule() -> tuple[shiftcalc.Schedule, Resolution]:
    """UTC, days with gaps of a minute, 30 minutes and hours, not on cell bounds."""
    data: dict[str, Any] = {
        "schedule": {"type": "calendar", "time_zone": "UTC"},
        "shifts": [
            {
                "type": "recurrent_event",
                "start": "2024-01-01T00:00:00",
                "duration": 9 * 3600 - 60,
                "frequency": "daily",
                "users": ["alice"],
            },
            {
                "type": "recurrent_event",
                "start": "2024-01-01T09:00:00",
                "duration": 4 * 3600 + 10,
                "frequency": "daily",
                "users": ["bob"],
            },
            {
                "type": "recurrent_event",
                "start": "2024-01-01T13:30:00",
                "duration": 6 * 3600,
                "frequency": "daily",
                "users": ["carol"],
            },
        ],
        "window": {"start": "2024-01-01", "end": "2024-01-08"},
    }
    scenario = shiftcalc.load_scenario(data)
    return scenario.schedule, shiftcalc.resolve(scenario.schedule, scenario.window)


def test_text_marks_every_gap() -> None:
    """The final lane's cell holding each gap's start shows '.' (all of the cell is a gap) or
    '!' (part of it), however short the gap."""
    schedule, resolution = gap_schedule()
    assert len(resolution.gaps) == 7 * 3
    text = shiftcalc.timeline_text(resolution, schedule)
    assert "one cell per 1h" in text.splitlines()[1]
    lines = {line[:14]: line for line in grid_lines(text)}
    for gap in resolution.gaps:
        line = lines[
            f"{['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][gap.start.weekday()]} "
            f"{gap.start.date().isoformat()}"
        ]
        final = line[-24:]
        assert final[gap.start.hour] in ".!"
    first = grid_lines(text)[0][-24:]
    assert first == "aaaaaaaa!bbbb!ccccc!...."


def test_text_letters_and_legend() -> None:
    """Users are letters from their names, listed in the legend; DST changes are marked."""
    scenario, resolution = load(GOLDEN / "dst_week.json")
    text = shiftcalc.timeline_text(resolution, scenario.schedule)
    assert "users: a alice  b bob  c carol" in text
    marked = [line for line in grid_lines(text) if line[14] == "*"]
    assert [line[:14] for line in marked] == ["Sun 2024-03-10"]
    assert "* 2024-03-10 02:00 EST becomes 03:00 EDT (UTC-04:00)" in text
    assert "~" in marked[0]  # the skipped hour


def test_text_color_only_adds_escapes() -> None:
    """``color=True`` paints the letters; without the escapes the text is the plain one."""
    scenario, resolution = load(EXAMPLE)
    plain = shiftcalc.timeline_text(resolution, scenario.schedule)
    painted = shiftcalc.timeline_text(resolution, scenario.schedule, color=True)
    assert "\x1b[" in painted and "\x1b[" not in plain
    assert re.sub("\x1b\\[[0-9;]*m", "", painted) == plain


@pytest.mark.parametrize("width", [39, 1001, True, "100"])
def test_text_width_is_checked(width: Any) -> None:
    """A width outside 40..1000 is a ValidationError naming it."""
    scenario, resolution = load(EXAMPLE)
    with pytest.raises(shiftcalc.ValidationError) as caught:
        shiftcalc.timeline_text(resolution, scenario.schedule, width=width)
    assert caught.value.field == "width"


# --- golden pictures and the README's SVG -----------------------------------------------------


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_golden_pictures(path: Path) -> None:
    """The pictures of the golden scenarios are the ones kept (regenerate deliberately)."""
    scenario, resolution = load(path)
    pictures = {
        path.with_suffix(".txt"): shiftcalc.timeline_text(resolution, scenario.schedule),
        path.with_suffix(".svg"): shiftcalc.timeline_svg(resolution, scenario.schedule),
    }
    for target, picture in pictures.items():
        if REGENERATE:
            target.write_text(picture, encoding="utf-8", newline="\n")
        assert target.read_text(encoding="utf-8") == picture, f"{target.name} changed"


def test_docs_example_svg_is_current() -> None:
    """docs/example.svg is what ``shiftcalc show`` draws for the bundled example
    (``shiftcalc show src/shiftcalc/examples/oncall-team.json --format svg --output
    docs/example.svg``)."""
    scenario, resolution = load(EXAMPLE)
    picture = shiftcalc.timeline_svg(resolution, scenario.schedule)
    if REGENERATE:
        DOCS_SVG.write_text(picture, encoding="utf-8", newline="\n")
    assert DOCS_SVG.read_text(encoding="utf-8") == picture


# --- the command line -------------------------------------------------------------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_show_prints_the_text_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    """'show FILE' prints the text timeline, the same as the API's, without colour when the
    output is not a terminal."""
    scenario, resolution = load(EXAMPLE)
    status, out, _ = run(["show", str(EXAMPLE)], capsys)
    assert (status, out) == (0, shiftcalc.timeline_text(resolution, scenario.schedule))


def test_show_svg_to_a_file_and_window(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'--format svg --output FILE' writes the document; '--window' draws another window."""
    target = tmp_path / "picture.svg"
    argv = ["show", str(EXAMPLE), "--format", "svg", "--output", str(target)]
    status, out, _ = run([*argv, "--window", "2024-03-30", "2024-04-02"], capsys)
    assert (status, out) == (0, "")
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    assert root.tag == f"{SVG}svg"
    assert "2024-03-30 00:00 GMT to 2024-04-02 01:00 BST" in target.read_text(encoding="utf-8")


def test_show_bad_output_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An output file that cannot be written is exit status 2 naming --output."""
    status, _, err = run(["show", str(EXAMPLE), "--output", str(tmp_path / "no" / "x")], capsys)
    assert status == 2
    assert err.startswith("shiftcalc: error: --output:")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_show_colours_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """ANSI colour only when the output is a terminal and NO_COLOR is not set."""
    for no_color, painted in ((None, True), ("1", False)):
        if no_color is None:
            monkeypatch.delenv("NO_COLOR", raising=False)
        else:
            monkeypatch.setenv("NO_COLOR", no_color)
        out = Terminal()
        monkeypatch.setattr(sys, "stdout", out)
        assert main(["show", str(EXAMPLE)]) == 0
        assert ("\x1b[" in out.getvalue()) is painted


def test_demo_shows_the_timeline_after_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    """'demo' prints the table, a blank line, then the example's text timeline."""
    scenario, resolution = load(EXAMPLE)
    status, out, _ = run(["demo"], capsys)
    timeline = shiftcalc.timeline_text(resolution, scenario.schedule)
    assert status == 0
    assert out.endswith("\n\n" + timeline)
    assert out.startswith("user   start (Europe/London)")


def test_svg_draws_every_change_of_offset_in_a_long_window() -> None:
    """Ten years in London: twenty dashed lines, one per change, even with ticks a year apart."""
    scenario, _ = load(EXAMPLE)
    window = Window(start=datetime(2020, 1, 1, tzinfo=UTC), end=datetime(2030, 1, 1, tzinfo=UTC))
    svg = shiftcalc.timeline_svg(shiftcalc.resolve(scenario.schedule, window), scenario.schedule)
    lines = [line for line in ET.fromstring(svg).iter(f"{SVG}line") if line.get("class") == "dst"]
    assert len(lines) == 20
    first = lines[0].find(f"{SVG}title")
    assert first is not None
    assert (
        first.text == "2020-03-29 01:00 GMT becomes 02:00 BST (UTC+01:00) = 2020-03-29T01:00:00Z"
    )


@pytest.mark.parametrize("days", [1, 7, 14, 31, 92, 366, 3000])
def test_svg_tick_labels_end_inside_the_drawing(days: int) -> None:
    """Every tick label, read at 0.62 em a character (more than a sans-serif's average), ends
    before the drawing's right edge (the window's last tick once ran its label off it), and
    the ticks keep their labels elsewhere."""
    scenario, _ = load(EXAMPLE)
    start = datetime(2024, 3, 25, tzinfo=UTC)
    window = Window(start=start, end=start + timedelta(days=days))
    svg = shiftcalc.timeline_svg(shiftcalc.resolve(scenario.schedule, window), scenario.schedule)
    root = ET.fromstring(svg)
    width = float(root.attrib["width"])
    labels = [text for text in root.iter(f"{SVG}text") if text.get("font-size") == "9"]
    assert len(labels) >= 3
    for label in labels:
        assert label.text is not None
        end = float(label.attrib["x"]) + 0.62 * 9 * len(label.text)
        assert end <= width, (label.text, end, width)


def test_svg_overlapping_blocks_take_their_own_sub_rows() -> None:
    """Users on call together (one shift of two users, an equal-rank layer) are drawn one above
    the other: blocks of a lane that overlap in time never share a sub-row."""
    scenario = shiftcalc.load_scenario(
        {
            "schedule": {"time_zone": "UTC"},
            "shifts": [
                {"type": "single_event", "start": "2024-01-01T08:00:00", "duration": 36000,
                 "users": ["alice", "bob"]},
                {"type": "single_event", "start": "2024-01-01T12:00:00", "duration": 36000,
                 "users": ["carol"]},
            ],
            "window": {"start": "2024-01-01", "end": "2024-01-02"},
        }
    )  # fmt: skip
    resolution = shiftcalc.resolve(scenario.schedule, scenario.window)
    blocks = blocks_of(shiftcalc.timeline_svg(resolution, scenario.schedule))
    for lane in ("L0", "final"):
        mine = [b for b in blocks if b.get("data-lane") == lane and b.get("data-user")]
        assert len(mine) == 3
        for a in mine:
            for b in mine:
                overlap = a.attrib["data-start"] < b.attrib["data-end"] and (
                    b.attrib["data-start"] < a.attrib["data-end"]
                )
                if a is not b and overlap:
                    assert a.attrib["y"] != b.attrib["y"]


# --- the layers follow the resolution's options -----------------------------------------------


def _bob_ends(resolution: Resolution, schedule: shiftcalc.Schedule) -> dict[str, datetime]:
    """The end of bob's first block in each lane of the picture of ``resolution``."""
    lanes = timeline_blocks(resolution, schedule).lanes
    return {lane.name: next(b.end for b in lane.blocks if b.user == "bob") for lane in lanes}


def test_layers_are_expanded_with_the_resolutions_durations() -> None:
    """A daily 09:00 London rotation over the March change: bob's Saturday shift ends Sunday
    09:00 BST = 08:00Z in wall-clock durations, 09:00Z in elapsed ones, in the layer lane as in
    the final lane (the layers were once always expanded in wall-clock durations)."""
    scenario = shiftcalc.load_scenario(LONDON_DAILY)
    for durations, hour in (("wall", 8), ("elapsed", 9)):
        resolution = shiftcalc.resolve(
            scenario.schedule,
            scenario.window,
            durations=durations,  # type: ignore[arg-type]
        )
        end = datetime(2024, 3, 31, hour, tzinfo=UTC)
        assert _bob_ends(resolution, scenario.schedule) == {"L0": end, "final": end}


def test_layers_skip_the_components_the_resolution_skipped() -> None:
    """A resolution made with calendar_errors="skip" is drawn, its skipped VEVENT left out of
    the layers as of the rows (the layers were once expanded with errors raised)."""
    calendar = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            *(
                f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:20240101T090000Z\r\n"
                f"DTEND:20240101T170000Z\r\n{rule}SUMMARY:{who}\r\nEND:VEVENT"
                for uid, rule, who in (
                    ("good", "", "alice"),
                    ("bad", "RRULE:FREQ=NEVER\r\n", "bob"),
                )
            ),
            "END:VCALENDAR",
            "",
        ]
    )
    schedule = shiftcalc.Schedule(type="ical", ical_primary=calendar)
    window = Window(start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 2, tzinfo=UTC))
    with pytest.raises(shiftcalc.CalendarError, match="bad"):
        shiftcalc.resolve(schedule, window)
    for profile in ("strict", "oncall"):
        resolution = shiftcalc.resolve(
            schedule,
            window,
            profile=profile,  # type: ignore[arg-type]
            calendar_errors="skip",
        )
        assert [item.uid for item in resolution.skipped] == ["bad"]
        users = {
            lane.name: sorted({str(block.user) for block in lane.blocks if not block.is_gap})
            for lane in timeline_blocks(resolution, schedule).lanes
        }
        assert users == {"L0": ["alice"], "final": ["alice"]}
