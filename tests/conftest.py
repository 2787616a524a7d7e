"""Shared fixtures and the Hypothesis profiles ("dev" by default, "ci" via HYPOTHESIS_PROFILE)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# CI explores a fixed, reproducible set of examples (derandomize): a red run must mean a change
# broke something, not that a new random draw was unlucky. Local runs ("dev") stay random.
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True, derandomize=True)
# No deadline in any profile: a deadline is a timing check, and timing stays out of the tests
# (a loaded machine made a calendar property miss Hypothesis' default 200 ms, the README's
# test command being the "dev" profile); the benchmarks time, and hang_guard bounds hangs.
settings.register_profile("dev", deadline=None)
# The long fuzz run before a release (README, "Testing"): HYPOTHESIS_PROFILE=fuzz.
settings.register_profile("fuzz", max_examples=20_000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The project's copy of ../shared/vectors: a fresh clone runs every vector test on its own.
# .ci/run fails when the copy and ../shared differ (where ../shared exists).
VECTORS = Path(__file__).parent / "vectors"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The cases of a ``.jsonl`` vector file of tests/vectors."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@contextlib.contextmanager
def hang_guard(seconds: float = 30.0) -> Iterator[None]:
    """Fail the test (instead of hanging the suite) if the block runs past ``seconds``.

    A guard against unbounded work on hostile input, not a timing measurement: the limit is far
    above what the bounded computation needs, so only a hang or a blow-up trips it.
    """

    def expire(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: unbounded work?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def window() -> dict[str, str]:
    """A two-week window in January 2024."""
    return {"start": "2024-01-01T00:00:00Z", "end": "2024-01-15T00:00:00Z"}
