"""The schedule quality report: coverage, balance and overloaded users, and fairness.

The formulas are Grafana OnCall's quality score (reference §3.9), computed on a resolution's
events, so the report follows the profile: in ``oncall`` events are OnCall's final events
(overlaps count twice, as OnCall counts them); in ``strict`` they are the pieces of the
timeline (time counts once, however many users share it). The fairness figures (``_fairness``)
take each user's time as the union of their events, in either profile, so they never count an
overlap twice.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

from ._fairness import Fairness, FairnessPlan, Weights, fairness_plan
from ._model import FinalEvent, Window, check_rows

__all__ = ["QualityReport", "quality_report"]

_PERFECT = 0.95  # balance scores from 95% up are reported as perfect balance


@dataclass(frozen=True, slots=True, kw_only=True)
class QualityReport:
    """How well a schedule covers its window and shares the load, in percent.

    ``overloaded`` lists ``(user id, score)`` for users on call longer than the average, the
    score being how many percent above the average they are, highest first. These figures and
    ``hours`` are Grafana OnCall's. ``fairness`` adds hours by category (nights, weekends,
    public holidays), weighted burden, spreads, stretches, rests and night hand-offs (see
    :class:`~shiftcalc.Fairness`).
    """

    total: int
    coverage: int
    balance: int
    overloaded: tuple[tuple[str, int], ...]
    comments: tuple[str, ...]
    hours: dict[str, float]
    # The fairness figures are computed on first use: classifying every day costs some forty
    # times OnCall's score, which is all many callers want. Their input is checked up front.
    plan: FairnessPlan = field(repr=False)
    _built: list[Fairness] = field(default_factory=list, compare=False, repr=False)

    @property
    def fairness(self) -> Fairness:
        """The fairness figures (:class:`~shiftcalc.Fairness`), computed on first use."""
        if not self._built:
            self._built.append(self.plan.figures())
        return self._built[0]


_NOTHING = timedelta(0)


def _ratio(a: timedelta, b: timedelta) -> float:
    """How evenly two users share: the shorter time over the longer (1 when both have none)."""
    longest = max(a, b)
    return min(a, b) / longest if longest else 1.0


def _percent(score: float) -> int:
    return round(score * 100)


def quality_report(
    events: tuple[FinalEvent, ...],
    window: Window,
    *,
    zone: str = "UTC",
    weights: Weights | None = None,
) -> QualityReport:
    """The quality report of resolved ``events`` over ``window``.

    The fairness figures read wall clocks in ``weights.zone``, else ``zone`` (pass the
    schedule's ``time_zone``), with ``weights`` (default: :class:`~shiftcalc.Weights`'
    defaults).

    Raises:
        ValidationError: bad ``weights`` or ``zone``, or over 100,000 days of time on call
            (summed over users) to classify, day by day, for the fairness figures.

    >>> from datetime import datetime, UTC
    >>> day = Window(start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2024, 1, 2, tzinfo=UTC))
    >>> half = FinalEvent(start=day.start, end=datetime(2024, 1, 1, 12, tzinfo=UTC), users=("a",))
    >>> report = quality_report((half,), day)
    >>> report.total, report.coverage, report.balance, report.comments
    (75, 50, 100, ('Schedule has gaps (50% not covered)', 'Schedule is perfectly balanced'))
    """
    check_rows(events, FinalEvent, "events")
    good = [event for event in events if not event.is_gap and event.users]
    plan = fairness_plan(good, window, zone=zone, weights=weights)
    if not good:
        return QualityReport(
            total=0,
            coverage=0,
            balance=0,
            overloaded=(),
            comments=("Schedule is empty",),
            hours={},
            plan=plan,
        )
    span = window.end - window.start
    # an event's length never counts below zero (an oncall event may end before it starts)
    lengths = [max(event.end - event.start, _NOTHING) for event in good]
    covered = sum(lengths, timedelta())
    # a window of no length has nothing left uncovered
    coverage = min(covered / span, 1.0) if span > _NOTHING else 1.0
    per_user: dict[str, timedelta] = {}
    for event, length in zip(good, lengths, strict=True):
        for user in event.users:
            per_user[user] = per_user.get(user, timedelta()) + length
    balance = 1.0
    if len(per_user) > 1:
        pairs = list(itertools.combinations(per_user.values(), 2))
        balance = sum(_ratio(a, b) for a, b in pairs) / len(pairs)
        if balance >= _PERFECT:
            balance = 1.0
    average = sum(per_user.values(), timedelta()) / len(per_user)
    # above the average by at least half a percent (a window edge can cut a second off); when
    # every user has no time at all, nobody is above it
    scores = (
        (user, round(100 * (duration / average)) - 100 if average else 0)
        for user, duration in per_user.items()
    )
    overloaded = sorted(
        ((user, score) for user, score in scores if score > 0),
        key=lambda item: (-item[1], item[0]),
    )
    coverage_pct, balance_pct = _percent(coverage), _percent(balance)
    comments = (
        "Schedule has no gaps"
        if coverage_pct >= 100
        else f"Schedule has gaps ({100 - coverage_pct}% not covered)",
        "Schedule is perfectly balanced"
        if balance_pct >= 100
        else "Schedule has balance issues (see overloaded users)",
    )
    return QualityReport(
        total=round((coverage_pct + balance_pct) / 2),
        coverage=coverage_pct,
        balance=balance_pct,
        overloaded=tuple(overloaded),
        comments=comments,
        hours={user: per_user[user].total_seconds() / 3600 for user in sorted(per_user)},
        plan=plan,
    )
