"""Small builders for scenario documents, shared by the reference-scenario tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
BOTH = pytest.mark.parametrize("profile", ["oncall", "strict"])


def wall(value: datetime) -> str:
    """A naive wall-clock value as the on-call API writes it."""
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def z(value: datetime) -> str:
    """An instant as a scenario writes it (a naive value is read as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def shift(kind: str, start: datetime, duration: timedelta, **fields: Any) -> dict[str, Any]:
    """A shift object; datetime fields become API wall-clock strings."""
    data: dict[str, Any] = {
        "type": kind,
        "start": wall(start),
        "duration": int(duration.total_seconds()),
    }
    for key, value in fields.items():
        data[key] = wall(value) if isinstance(value, datetime) else value
    if kind == "rolling_users":
        data.setdefault("start_rotation_from_user_index", 0)
    return data
