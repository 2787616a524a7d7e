"""JSON in → rows out of the realistic year in two or more source trees, measured alternately.

Issue #12 asks that the benchmarks be no slower than before the restructuring (f97d336).
Timings on a shared machine move by tens of percent from one minute to the next, so the trees
are never timed one after the other: one worker process per tree (each imports its own
``shiftcalc``) is asked in turn, round after round, for the minimum of a few runs of one case
(``load_scenario`` then ``resolve(...).shifts``, the JSON text the same for all), and each
tree's minimum over every round is kept. A slow stretch then slows every tree alike.

Usage (the first tree is the reference the others are divided by)::

    git worktree add /tmp/old f97d336
    python benchmarks/compare_trees.py /tmp/old/src src --rounds 40

Prints one line per case (the year and its all-visible variant, strict and oncall): each
tree's minimum in ms, its row count, and its ratio to the first tree.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from test_bench_resolve import YEAR, YEAR_ALL_VISIBLE

# The worker: reads "case profile runs" lines, answers "minimum_ms rows" lines.
WORKER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from shiftcalc import load_scenario, resolve
documents = json.load(open(sys.argv[2]))
for line in sys.stdin:
    name, profile, runs = line.split()
    best, rows = float("inf"), 0
    for _ in range(int(runs)):
        began = time.perf_counter()
        scenario = load_scenario(documents[name], profile=profile)
        rows = len(resolve(scenario.schedule, scenario.window, profile=profile).shifts)
        best = min(best, time.perf_counter() - began)
    print(best * 1000, rows, flush=True)
"""
CASES = [(name, profile) for name in ("year", "all_visible") for profile in ("strict", "oncall")]


def compare(trees: list[str], rounds: int, runs: int) -> dict[tuple[str, str], list[float]]:
    """Each case's minimum (ms) per tree, the trees asked in turn (alternating the order)."""
    with tempfile.TemporaryDirectory() as scratch:
        documents = Path(scratch, "documents.json")
        documents.write_text(json.dumps({"year": YEAR, "all_visible": YEAR_ALL_VISIBLE}))
        worker = Path(scratch, "worker.py")
        worker.write_text(WORKER)
        workers = [
            subprocess.Popen(
                [sys.executable, str(worker), tree, str(documents)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for tree in trees
        ]
        best = {case: [float("inf")] * len(trees) for case in CASES}
        rows: dict[tuple[str, str], list[str]] = {case: [""] * len(trees) for case in CASES}
        for turn in range(rounds):
            order = range(len(trees)) if turn % 2 else reversed(range(len(trees)))
            for case in CASES:
                for k in order:
                    process = workers[k]
                    assert process.stdin is not None and process.stdout is not None
                    process.stdin.write(f"{case[0]} {case[1]} {runs}\n")
                    process.stdin.flush()
                    ms, count = process.stdout.readline().split()
                    best[case][k] = min(best[case][k], float(ms))
                    rows[case][k] = count
        for process in workers:
            assert process.stdin is not None
            process.stdin.close()
            process.wait()
    for case in CASES:
        shown = [
            f"{ms:.3f} ms ({count} rows)" for ms, count in zip(best[case], rows[case], strict=True)
        ]
        ratios = [f"x{ms / best[case][0]:.3f}" for ms in best[case][1:]]
        print(f"{case[0]:11} {case[1]:6}", " | ".join(shown), " ratios:", " ".join(ratios))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", nargs="+", help="src directories; the first is the reference")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--runs", type=int, default=10, help="runs per case and round")
    arguments = parser.parse_args()
    compare(arguments.trees, arguments.rounds, arguments.runs)


if __name__ == "__main__":
    main()
