"""The twins written once: the swap split both profiles use, the padding and window -> UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shiftcalc import Interval, ShiftSwap
from shiftcalc._merge import split_for_swaps

T0 = datetime(2024, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)


def _swap(start: int, end: int, benefactor: str | None = "bob") -> ShiftSwap:
    return ShiftSwap(
        beneficiary="alice",
        benefactor=benefactor,
        swap_start=T0 + start * H,
        swap_end=T0 + end * H,
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 10, ((0, 2), (2, 5), (5, 10))),  # before, during, after
        (3, 4, (None, (3, 4), None)),  # inside the swap
        (0, 3, ((0, 2), (2, 3), None)),
        (4, 10, (None, (4, 5), (5, 10))),
        (2, 5, (None, (2, 5), None)),  # exactly the swap
    ],
)
def test_swap_split_cuts_before_during_after(
    start: int, end: int, expected: tuple[object, ...]
) -> None:
    def at(span: tuple[int, int] | None) -> tuple[datetime, datetime] | None:
        return None if span is None else (T0 + span[0] * H, T0 + span[1] * H)

    split = _swap(2, 5).split(T0 + start * H, T0 + end * H)
    assert split == tuple(at(span) for span in expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(("start", "end"), [(0, 2), (5, 9)])
def test_swap_split_of_a_span_touching_the_swap_is_none(start: int, end: int) -> None:
    assert _swap(2, 5).split(T0 + start * H, T0 + end * H) is None


def _interval(users: tuple[str, ...]) -> Interval:
    return Interval(start=T0, end=T0 + 10 * H, users=users, level=0, is_override=False)


def test_strict_swap_split_hands_the_middle_over_and_names_a_benefactor_once() -> None:
    pieces = split_for_swaps([_interval(("alice", "bob"))], [_swap(2, 5)])
    assert [(p.start, p.end, p.users) for p in pieces] == [
        (T0, T0 + 2 * H, ("alice", "bob")),
        (T0 + 2 * H, T0 + 5 * H, ("bob",)),
        (T0 + 5 * H, T0 + 10 * H, ("alice", "bob")),
    ]


def test_strict_open_swap_request_splits_nothing() -> None:
    interval = _interval(("alice",))
    assert split_for_swaps([interval], [_swap(2, 5, benefactor=None)]) == [interval]
