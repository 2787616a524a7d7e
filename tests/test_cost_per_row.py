"""The cost-per-row work holds its shortcuts to the careful path: the merger's one-pass sweep
(``_merge.pieces``) equals a literal recomputation of every elementary piece from scratch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from shiftcalc import Window
from shiftcalc._merge import Piece, Span, pieces

BASE = datetime(2024, 1, 1, tzinfo=UTC)


def literal_pieces(spans: list[Span], window: Window) -> list[Piece]:
    """The timeline by definition: cut at every boundary, each piece's owners recomputed from
    the spans covering it (highest rank with users; equal ranks stack), equal neighbours
    joined."""
    cuts = sorted(
        {window.start, window.end}
        | {t for span in spans for t in span[:2] if window.start < t < window.end}
    )
    result: list[Piece] = []
    for start, end in pairwise(cuts):
        here = [span for span in spans if span[0] <= start and end <= span[1]]
        named = [span for span in here if span[2]]
        users: tuple[str, ...] = ()
        best = None
        names = None
        if named:
            best = max(span[3] for span in named)
            users = tuple(sorted({u for span in named if span[3] == best for u in span[2]}))
        elif here:
            names = tuple(sorted({u for span in here for u in span[4]}))
        if result and result[-1][2:] == (users, best, names):
            result[-1] = (result[-1][0], end, users, best, names)
        else:
            result.append((start, end, users, best, names))
    return result


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start = BASE + timedelta(hours=draw(st.integers(-3, 30)))
    end = start + timedelta(hours=draw(st.integers(-2, 12)))
    users = tuple(sorted(draw(st.sets(st.sampled_from("abc"), max_size=2))))
    missing = () if users else tuple(sorted(draw(st.sets(st.sampled_from("xy"), max_size=2))))
    rank = (draw(st.integers(0, 1)), draw(st.integers(0, 2)))
    return (start, end, users, rank, missing, None)


@settings(deadline=None)
@given(st.lists(spans(), max_size=12), st.integers(0, 24), st.integers(0, 30))
def test_cost_per_row_sweep_equals_the_literal_timeline(
    found: list[Span], low: int, length: int
) -> None:
    """The one-pass sweep gives the literal timeline: same pieces, owners, ranks and names,
    with spans outside the window, touching, stacked, empty and reversed."""
    start = BASE + timedelta(hours=low)
    window = Window(start=start, end=start + timedelta(hours=length))
    if window.end > window.start:
        assert pieces(found, window) == literal_pieces(found, window)
