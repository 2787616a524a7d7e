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

VECTORS = Path(__file__).parents[2] / "shared" / "vectors"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The cases of a ``.jsonl`` vector file of ../shared/vectors.

    A checkout without ../shared skips the vector tests with a message; CI sets
    SHIFTCALC_REQUIRE_VECTORS=1, which makes a missing file an error instead.
    """
    if not path.exists():
        if os.environ.get("SHIFTCALC_REQUIRE_VECTORS"):
            raise FileNotFoundError(f"shared vectors not found at {path}")
        pytest.skip(f"shared vectors not found at {path}", allow_module_level=True)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def window() -> dict[str, str]:
    """A two-week window in January 2024."""
    return {"start": "2024-01-01T00:00:00Z", "end": "2024-01-15T00:00:00Z"}
