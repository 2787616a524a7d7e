"""Shared fixtures and the Hypothesis profiles ("dev" by default, "ci" via HYPOTHESIS_PROFILE)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# CI explores a fixed, reproducible set of examples (derandomize): a red run must mean a change
# broke something, not that a new random draw was unlucky. Local runs ("dev") stay random.
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True, derandomize=True)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The project's copy of ../shared/vectors: a fresh clone runs every vector test on its own.
# .ci/run fails when the copy and ../shared differ (where ../shared exists).
VECTORS = Path(__file__).parent / "vectors"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The cases of a ``.jsonl`` vector file of tests/vectors."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def window() -> dict[str, str]:
    """A two-week window in January 2024."""
    return {"start": "2024-01-01T00:00:00Z", "end": "2024-01-15T00:00:00Z"}
