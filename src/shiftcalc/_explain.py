"""Why is it her? Who is on call at an instant, and the chain of provenance that put them there.

:func:`explain` resolves the point window once (strict ``[at, at + 1 µs)``, oncall OnCall's
``[at, at]``) from :func:`shiftcalc._resolve.layers`, decides it with the profile's own merger
(``_merge.merge_spans``, ``oncall.resolution.resolve_events``), and reads every occurrence
covering ``at`` with its :class:`~shiftcalc._model.Origin`: nothing is recomputed per layer.
The users it names as on call are exactly :func:`on_call_at`'s. DESIGN.md ("Explain") gives
the meaning of each outcome and rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from ._errors import ShiftcalcError, ValidationError
from ._expand import DurationMode, later
from ._merge import merge_spans
from ._model import (
    FinalShift,
    Origin,
    OriginRef,
    Profile,
    Rank,
    Schedule,
    ShiftType,
    SkippedComponent,
    Source,
    Window,
    origin_of,
    utc_instant,
    validate,
)
from ._output import for_people, printable
from ._resolve import (
    CalendarErrors,
    Layers,
    layers,
    queried_user,
    refuse_limit_skips,
    resolve,
)
from ._tz import get_zone
from .oncall.generation import effective_zone
from .oncall.resolution import OncallEvent, resolve_events

__all__ = [
    "ExplainedLayer",
    "ExplainedSwap",
    "ExplainedUser",
    "Explanation",
    "HiddenTurn",
    "OncallRule",
    "Turn",
    "UserExplanation",
    "explain",
    "explanation_document",
    "explanation_text",
]

Outcome = Literal["won", "lower_rank", "empty_group", "unresolved_names", "hand_off_instant"]
HiddenBy = Literal["lower_rank", "swap", "override_first_user", "hand_off_instant"]
RuleCode = Literal[
    "override_first_user",
    "end_normalised",
    "point_window",
    "occurrence_differs",
    "turn_differs",
    "empty_groups_dropped",
    "strict_refuses",
]

_TICK = timedelta(microseconds=1)
_FIRST_SEARCH = timedelta(days=1)  # the nearest-turn search's first window, growing ×4
DEFAULT_HORIZON = timedelta(days=366)
"""How far :func:`explain` looks for a user's nearest turns, each way."""
_MIN_UTC = datetime.min.replace(tzinfo=UTC)
_MAX_UTC = datetime.max.replace(tzinfo=UTC)
# DESIGN.md sections the oncall rules point to
_ONCALL_SECTION = "DESIGN.md, The oncall profile (what it reproduces)"
_QUERIES_SECTION = "DESIGN.md, The strict profile (contract) / Queries"
_OVERRIDE_SECTION = "DESIGN.md, The strict profile (contract) / Expansion, rule 9"
_VALIDATION_SECTION = "DESIGN.md, Profiles / Validation"
_ICAL_SECTION = "DESIGN.md, iCalendar decisions"
_LAST_SECOND = time(23, 59, 59)


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplainedSwap:
    """A taken swap that put ``benefactor`` in ``beneficiary``'s place on a piece:
    ``index`` in ``Schedule.swaps``, the request's bounds (UTC)."""

    index: int
    beneficiary: str
    benefactor: str
    swap_start: datetime
    swap_end: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplainedLayer:
    """One occurrence active at the instant, and what it did there.

    ``outcome``: ``won`` (its users are on call), ``lower_rank``, ``empty_group`` (names no
    user), ``unresolved_names`` (iCal names that match nobody, in ``missing_users``) or
    ``hand_off_instant`` (oncall: it starts exactly at the instant, which OnCall's point
    window leaves out); ``reason`` says it in words. ``start``/``end`` are the piece covering
    the instant (after swap cuts), ``occurrence_start``/``occurrence_end`` the occurrence as
    computed. Shifts: ``shift_index``, ``shift_id``, ``name``, ``type``, ``source``, and for
    rotations ``turn``, ``group`` (index in ``rolling_users``) and
    ``start_rotation_from_user_index``. iCal: ``uid``, ``recurrence_id``, ``calendar``,
    ``line``. ``swaps``: the taken swaps that replaced someone on this piece.
    """

    outcome: Outcome
    reason: str
    is_override: bool
    level: int
    users: tuple[str, ...]
    missing_users: tuple[str, ...]
    start: datetime
    end: datetime
    occurrence_start: datetime | None
    occurrence_end: datetime | None
    kind: Literal["shift", "ical"] | None
    shift_index: int | None = None
    shift_id: str | None = None
    name: str | None = None
    type: ShiftType | None = None
    source: Source | None = None
    turn: int | None = None
    group: int | None = None
    start_rotation_from_user_index: int | None = None
    uid: str | None = None
    recurrence_id: datetime | date | None = None
    calendar: Literal["primary", "overrides"] | None = None
    line: int | None = None
    swaps: tuple[ExplainedSwap, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OncallRule:
    """Where Grafana OnCall's answer differs from strict's here, the rule that decides it:
    ``code`` (see DESIGN.md, "Explain"), ``text``, the DESIGN.md ``section`` that has it."""

    code: RuleCode
    text: str
    section: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HiddenTurn:
    """A turn of the asked user's at the instant that does not put them on call: the
    ``layer`` holding it and what hides it (``by``, ``text``; ``swap`` for a swap)."""

    by: HiddenBy
    text: str
    layer: ExplainedLayer
    swap: ExplainedSwap | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Turn:
    """A final-shift row of the asked user's: ``[start, end)`` (UTC). ``complete`` is False
    when the row reaches the edge of the searched horizon (it may go on beyond it)."""

    start: datetime
    end: datetime
    complete: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class UserExplanation:
    """The answer for ``explain(..., user=)``: whether ``user`` (an id) is on call; the
    turns of theirs at the instant that are hidden and why; when not on call, their nearest
    final-shift rows before (``previous``) and after (``next``) the instant, searched up to
    ``horizon`` each way (None: none within it)."""

    user: str
    username: str
    on_call: bool
    hidden: tuple[HiddenTurn, ...]
    previous: Turn | None
    next: Turn | None
    horizon: timedelta


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplainedUser:
    """Why ``user`` (an id; ``username``) is on call: the winning layers that name them
    (more than one when equal ranks stack)."""

    user: str
    username: str
    layers: tuple[ExplainedLayer, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """Why who is on call at ``at`` (UTC) in ``profile``.

    ``on_call``: user ids (sorted), exactly :func:`on_call_at`'s. ``layers``: every occurrence
    covering the instant, winners first, then by rank (highest first); ``chains``: per user on
    call, the winning layers that name them. ``rules`` (oncall): the OnCall rules by which
    the answer differs from strict's here. ``user``: the answer for ``user=``. ``skipped``:
    the calendar components left out with ``calendar_errors="skip"`` by any resolution the
    answer made (the point's, the search for the user's turns, oncall's comparison).
    """

    at: datetime
    profile: Profile
    time_zone: str
    on_call: tuple[str, ...]
    chains: tuple[ExplainedUser, ...]
    layers: tuple[ExplainedLayer, ...]
    rules: tuple[OncallRule, ...] = ()
    user: UserExplanation | None = None
    skipped: tuple[SkippedComponent, ...] = ()


def explain(
    schedule: Schedule,
    at: datetime,
    *,
    user: str | None = None,
    profile: Profile = "strict",
    now: datetime | None = None,
    horizon: timedelta = DEFAULT_HORIZON,
    durations: DurationMode = "wall",
    calendar_errors: CalendarErrors = "raise",
) -> Explanation:
    """Why who is on call at ``at``: the chain of provenance of each user on call, every other
    layer active then and why it lost, in ``oncall`` the OnCall rules by which the answer
    differs from strict's, and with ``user=`` (id, username or e-mail) that user's answer.

    Cost: one resolution of the point window, plus (``user=`` not on call) a search for the
    nearest turns in windows growing ×4 from a day up to ``horizon`` each way, so it follows
    the distance to them; in ``oncall`` also strict's point window and the occurrences that
    differ. ``now``, ``durations`` and ``calendar_errors``: as :func:`resolve` (the oncall
    profile's comparison with strict is with wall-clock durations, the ones OnCall's rules are
    told apart from).

    Raises:
        ValidationError: a bad schedule, instant, user or horizon, as :func:`on_call_at`.
    """
    validate(schedule, profile=profile)
    at = utc_instant(at, "at")
    if not isinstance(horizon, timedelta) or horizon <= timedelta(0):
        raise ValidationError("horizon", horizon, "expected a positive timedelta")
    user_id = None if user is None else queried_user(schedule, user, "user")
    how = _Resolving(profile, now, durations, calendar_errors)
    point = _point(schedule, at, how)
    rules: tuple[OncallRule, ...] = ()
    if profile == "oncall":
        rules = tuple(_oncall_rules(schedule, at, point, how))
    answer = None
    if user_id is not None:
        answer = _user_answer(schedule, at, point, user_id, how, horizon)
    chains = tuple(
        ExplainedUser(
            user=name,
            username=schedule.user(name).username,
            layers=tuple(
                layer for layer in point.layers if layer.outcome == "won" and name in layer.users
            ),
        )
        for name in point.on_call
    )
    return Explanation(
        at=at,
        profile=profile,
        time_zone=schedule.time_zone,
        on_call=point.on_call,
        chains=chains,
        layers=point.layers,
        rules=rules,
        user=answer,
        skipped=tuple(how.skipped),
    )


@dataclass(frozen=True, slots=True)
class _Resolving:
    """How explain resolves (resolve's options), and the calendar components its resolutions
    have skipped so far, in order and once each."""

    profile: Profile
    now: datetime | None
    durations: DurationMode
    calendar_errors: CalendarErrors
    skipped: dict[SkippedComponent, None] = field(default_factory=dict)

    def layers(self, schedule: Schedule, window: Window, profile: Profile | None = None) -> Layers:
        """:func:`layers` of ``window`` in ``profile`` (another than the asked one: strict's
        comparison, with wall-clock durations)."""
        other = profile is not None and profile != self.profile
        found = layers(
            schedule,
            window,
            profile=profile or self.profile,
            durations="wall" if other else self.durations,
            calendar_errors=self.calendar_errors,
            now=self.now,
        )
        self.skipped.update(dict.fromkeys(found.skipped))
        return found

    def rows(self, schedule: Schedule, window: Window) -> tuple[FinalShift, ...]:
        """The rows of a window of the search for the user's turns (see
        :func:`~shiftcalc._resolve.refuse_limit_skips`)."""
        resolution = resolve(
            schedule,
            window,
            profile=self.profile,
            durations=self.durations,
            calendar_errors=self.calendar_errors,
            now=self.now,
        )
        refuse_limit_skips(
            resolution, "explain's search for the user's turns", "explain without the user"
        )
        self.skipped.update(dict.fromkeys(resolution.skipped))
        return resolution.shifts


@dataclass(frozen=True, slots=True)
class _Point:
    """The point window, decided: who is on call and every layer covering the instant."""

    on_call: tuple[str, ...]
    layers: tuple[ExplainedLayer, ...]
    best: Rank | None


def _point(schedule: Schedule, at: datetime, how: _Resolving) -> _Point:
    if how.profile == "oncall":
        return _oncall_point(how.layers(schedule, Window(start=at, end=at)))
    return _strict_point(how.layers(schedule, Window(start=at, end=later(at, _TICK))))


def _strict_point(found: Layers) -> _Point:
    """Strict: the merger decides the 1 µs window; the spans covering its start are the layers."""
    at = found.window.start
    pieces = merge_spans(found.spans, found.window).pieces
    best = pieces[0][3] if pieces else None
    on_call = pieces[0][2] if pieces and best is not None else ()
    ends = _occurrence_ends((span[5], span[1]) for span in found.spans)
    explained = []
    for start, end, users, rank, missing, ref in found.spans:
        if not start <= at < end:
            continue
        if users and rank == best:
            outcome: Outcome = "won"
        elif users:
            outcome = "lower_rank"
        else:
            outcome = "unresolved_names" if missing else "empty_group"
        explained.append(
            _layer(found, outcome, best, (start, end, users, rank, missing), ref, ends)
        )
    return _Point(tuple(sorted(on_call)), _ordered(explained), best)


def _oncall_point(found: Layers) -> _Point:
    """Oncall: OnCall's sweep decides ``[at, at]``; its events running across ``at`` won, the
    other events covering ``at`` before the sweep lost."""
    at = found.window.start
    resolved = resolve_events(found.events, found.window)
    winners = [event for event in resolved if not event[8] and event[2]]
    on_call = tuple(sorted({user for event in winners for user in event[2]}))
    best = max((_rank(event) for event in winners), default=None)
    ends = _occurrence_ends((event[9], event[1]) for event in found.events)
    explained = []
    for event in found.events:
        start, end, users, _, _, _, _, missing, is_gap, ref = event
        if is_gap or not start <= at < end:
            continue
        if users and event in winners:
            outcome: Outcome = "won"
        elif not users:
            outcome = "unresolved_names" if missing else "empty_group"
        elif start == at:
            outcome = "hand_off_instant"
        else:
            outcome = "lower_rank"
        explained.append(
            _layer(found, outcome, best, (start, end, users, _rank(event), missing), ref, ends)
        )
    return _Point(on_call, _ordered(explained), best)


def _rank(event: OncallEvent) -> Rank:
    return (1 if event[4] == 1 else 0, event[3])


def _bare(origin: Origin) -> Origin:
    return replace(origin, swaps=()) if origin.swaps else origin


def _occurrence_ends(
    items: Iterable[tuple[OriginRef | None, datetime]],
) -> dict[Origin, datetime]:
    """Each occurrence's end as computed: the last end of its pieces (swaps cut pieces)."""
    ends: dict[Origin, datetime] = {}
    for ref, end in items:
        if ref is None:
            continue
        origin = _bare(origin_of(ref))
        if origin not in ends or end > ends[origin]:
            ends[origin] = end
    return ends


def _layer(
    found: Layers,
    outcome: Outcome,
    best: Rank | None,
    piece: tuple[datetime, datetime, tuple[str, ...], Rank, tuple[str, ...]],
    ref: OriginRef | None,
    ends: dict[Origin, datetime],
) -> ExplainedLayer:
    start, end, users, rank, missing = piece
    origin = None if ref is None else origin_of(ref)
    layer = ExplainedLayer(
        outcome=outcome,
        reason=_reason(outcome, best, missing),
        is_override=rank[0] == 1,
        level=rank[1],
        users=users,
        missing_users=missing,
        start=start,
        end=end,
        occurrence_start=None if origin is None else origin.occurrence_start,
        occurrence_end=None if origin is None else ends.get(_bare(origin), end),
        kind=None if origin is None else origin.kind,
    )
    if origin is None:
        return layer
    swaps = tuple(
        ExplainedSwap(
            index=mark.index,
            beneficiary=mark.beneficiary,
            benefactor=mark.benefactor,
            swap_start=found.schedule.swaps[mark.index].swap_start,
            swap_end=found.schedule.swaps[mark.index].swap_end,
        )
        for mark in origin.swaps
    )
    if origin.kind == "ical":
        return replace(
            layer,
            uid=origin.uid,
            recurrence_id=origin.recurrence_id,
            calendar=origin.calendar,
            line=origin.line,
            swaps=swaps,
        )
    shift = found.schedule.shifts[origin.shift_index]
    return replace(
        layer,
        shift_index=origin.shift_index,
        shift_id=origin.shift_id,
        name=shift.name,
        type=shift.type,
        source=shift.source,
        turn=origin.turn,
        group=origin.group,
        start_rotation_from_user_index=shift.start_rotation_from_user_index,
        swaps=swaps,
    )


def _rank_text(rank: Rank | None) -> str:
    if rank is None:
        return "nobody"
    return f"override level {rank[1]}" if rank[0] else f"level {rank[1]}"


def _reason(outcome: Outcome, best: Rank | None, missing: Sequence[str]) -> str:
    if outcome == "won":
        return f"the highest-ranked layer with users at this instant ({_rank_text(best)})"
    if outcome == "lower_rank":
        return f"lower rank: {_rank_text(best)} is on call"
    if outcome == "unresolved_names":
        return "its names match no user: " + ", ".join(missing)
    if outcome == "empty_group":
        return "names no user: an empty slot, which never masks lower layers"
    return (
        "starts exactly at this instant: OnCall's point window [at, at] counts only "
        f"occurrences running across it ({_QUERIES_SECTION})"
    )


def _ordered(explained: list[ExplainedLayer]) -> tuple[ExplainedLayer, ...]:
    """Winners first, then by rank (highest first), start, shift index, calendar line."""
    return tuple(
        sorted(
            explained,
            key=lambda layer: (
                layer.outcome != "won",
                -int(layer.is_override),
                -layer.level,
                layer.start,
                -1 if layer.shift_index is None else layer.shift_index,
                layer.line or 0,
                layer.users,
            ),
        )
    )


# --- the asked user ---------------------------------------------------------------------------


def _user_answer(
    schedule: Schedule,
    at: datetime,
    point: _Point,
    user: str,
    how: _Resolving,
    horizon: timedelta,
) -> UserExplanation:
    on_call = user in point.on_call
    previous = following = None
    if not on_call:
        previous = _nearest(schedule, at, user, how, horizon, forward=False)
        following = _nearest(schedule, at, user, how, horizon, forward=True)
    return UserExplanation(
        user=user,
        username=schedule.user(user).username,
        on_call=on_call,
        hidden=tuple(_hidden(schedule, point, user, how.profile)),
        previous=previous,
        next=following,
        horizon=horizon,
    )


def _hidden(schedule: Schedule, point: _Point, user: str, profile: str) -> Iterable[HiddenTurn]:
    """The user's turns at the instant that do not put them on call, and what hides each."""
    for layer in point.layers:
        if user in layer.users and layer.outcome in ("lower_rank", "hand_off_instant"):
            by: HiddenBy = "lower_rank" if layer.outcome == "lower_rank" else "hand_off_instant"
            yield HiddenTurn(by=by, text=f"{_label(layer)}: {layer.reason}", layer=layer)
        for swap in layer.swaps:
            if swap.beneficiary == user:
                text = (
                    f"swap {swap.index}: {schedule.user(swap.benefactor).username} took it over "
                    f"({_utc(swap.swap_start)} to {_utc(swap.swap_end)})"
                )
                yield HiddenTurn(by="swap", text=text, layer=layer, swap=swap)
        dropped = _override_dropped(schedule, layer) if profile == "oncall" else ()
        if user in dropped:
            yield HiddenTurn(by="override_first_user", text=_OVERRIDE_TEXT, layer=layer)


_OVERRIDE_TEXT = "OnCall keeps only the first user of an override"


def _override_dropped(schedule: Schedule, layer: ExplainedLayer) -> tuple[str, ...]:
    """The users an override lists after its first group (OnCall puts only that on call)."""
    if layer.shift_index is None or layer.type != "override":
        return ()
    groups = schedule.shifts[layer.shift_index].rolling_users
    first = set(groups[0]) if groups else set()
    later_users = (user for group in groups[1:] for user in group if user not in first)
    return tuple(dict.fromkeys(later_users))


def _nearest(
    schedule: Schedule,
    at: datetime,
    user: str,
    how: _Resolving,
    horizon: timedelta,
    *,
    forward: bool,
) -> Turn | None:
    """The user's nearest final-shift row after (before) ``at``: windows growing ×4 from a day
    up to ``horizon``, so the cost follows the distance; a row reaching the window's far edge
    is followed until it ends or the horizon is reached."""
    span = _FIRST_SEARCH
    while True:
        span = min(span, horizon)
        if forward:
            window = Window(start=at, end=later(at, span))
        else:
            window = Window(start=_earlier(at, span), end=at)
        rows = [
            row for row in how.rows(schedule, window) if row.user == user and row.start < row.end
        ]
        last = span >= horizon or window.end == _MAX_UTC or window.start == _MIN_UTC
        if forward:
            rows = [row for row in rows if row.start >= at]
            best = min(rows, key=lambda row: (row.start, row.end), default=None)
            open_edge = best is not None and best.end >= window.end
        else:
            rows = [row for row in rows if row.end <= at]
            best = max(rows, key=lambda row: (row.end, row.start), default=None)
            open_edge = best is not None and best.start <= window.start
        if best is not None and (not open_edge or last):
            return Turn(start=best.start, end=best.end, complete=not open_edge)
        if last:
            return None
        span *= 4


def _earlier(value: datetime, delta: timedelta) -> datetime:
    """``value - delta``, or the first instant when that is before it."""
    try:
        return value - delta
    except OverflowError:
        return _MIN_UTC


# --- oncall rules -----------------------------------------------------------------------------


def _oncall_rules(
    schedule: Schedule, at: datetime, point: _Point, how: _Resolving
) -> Iterable[OncallRule]:
    """The OnCall rules by which the oncall answer at ``at`` differs from strict's."""
    for layer in point.layers:
        dropped = _override_dropped(schedule, layer)
        if dropped:
            yield OncallRule(
                code="override_first_user",
                text=f"{_OVERRIDE_TEXT}; shifts[{layer.shift_index}] also lists "
                f"{', '.join(dropped)}",
                section=_OVERRIDE_SECTION,
            )
        if layer.outcome == "hand_off_instant":
            yield OncallRule(
                code="point_window",
                text=f"{_where(layer)} starts exactly at this instant: OnCall's point window "
                "[at, at] leaves it out (strict counts it: start <= at < end)",
                section=_QUERIES_SECTION,
            )
    try:
        validate(schedule, profile="strict")
        window = Window(start=at, end=later(at, _TICK))
        strict = _strict_point(how.layers(schedule, window, "strict"))
    except ShiftcalcError as exc:
        yield from _strict_refuses(schedule, point, exc)
        return
    yield from _compare(schedule, point, strict, how)


def _strict_refuses(
    schedule: Schedule, point: _Point, exc: ShiftcalcError
) -> Iterable[OncallRule]:
    text = str(exc)
    yield OncallRule(
        code="strict_refuses",
        text=f"strict refuses this schedule ({text}); OnCall computes it",
        section=_VALIDATION_SECTION,
    )
    for layer in point.layers:
        if layer.shift_index is None:
            continue
        groups = schedule.shifts[layer.shift_index].rolling_users
        if layer.type == "rolling_users" and any(not group for group in groups):
            yield OncallRule(
                code="empty_groups_dropped",
                text=f"OnCall leaves the empty groups of shifts[{layer.shift_index}] out of "
                "its rotation queue: the next group takes their turn",
                section=_ONCALL_SECTION,
            )


def _key(layer: ExplainedLayer) -> tuple[object, ...]:
    """What names an occurrence in both profiles: its shift or component, and its start."""
    source = layer.shift_index if layer.kind == "shift" else (layer.calendar, layer.uid)
    return (layer.kind, source, layer.occurrence_start)


def _compare(
    schedule: Schedule, oncall: _Point, strict: _Point, how: _Resolving
) -> Iterable[OncallRule]:
    """Occurrences covering the instant in one profile, matched with the other's."""
    ours = {_key(layer): layer for layer in oncall.layers if layer.kind is not None}
    theirs = {_key(layer): layer for layer in strict.layers if layer.kind is not None}
    seen: set[str] = set()
    for pair in _moved_occurrences(ours, theirs):
        moved = _moved(*pair)
        seen.add(moved.text)
        yield moved
        del ours[_key(pair[0])], theirs[_key(pair[1])]
    for key in dict.fromkeys([*ours, *theirs]):
        mine, other = ours.get(key), theirs.get(key)
        if mine is None and other is not None:
            mine = _counterpart(schedule, other, "oncall", how)
        elif other is None and mine is not None:
            other = _counterpart(schedule, mine, "strict", how)
        rule = _difference(schedule, mine, other, ours.get(key) or theirs[key])
        if rule is not None and rule.text not in seen:
            seen.add(rule.text)
            yield rule


def _moved_occurrences(
    ours: dict[tuple[object, ...], ExplainedLayer],
    theirs: dict[tuple[object, ...], ExplainedLayer],
) -> list[tuple[ExplainedLayer, ExplainedLayer]]:
    """Pairs of (OnCall's, strict's) occurrences of one VEVENT that both cover the instant but
    start apart (an all-day day read in other zones): one difference, not two "only" ones."""
    unmatched = [key for key in ours if key not in theirs and key[0] == "ical"]
    others = {key[:2]: key for key in theirs if key not in ours and key[0] == "ical"}
    return [(ours[key], theirs[others[key[:2]]]) for key in unmatched if key[:2] in others]


def _moved(oncall: ExplainedLayer, strict: ExplainedLayer) -> OncallRule:
    why = "the iCalendar rules the profiles read differently"
    end = oncall.occurrence_end
    if end is not None and end.time() == _LAST_SECOND:  # OnCall's all-day ends (its §3.3)
        why = "OnCall reads an all-day event as UTC days ending a second early, strict as "
        why += "whole days of the calendar's zone"
    return OncallRule(
        code="occurrence_differs",
        text=(
            f"{_where(oncall)}'s occurrence here runs {_utc(oncall.occurrence_start)} -> "
            f"{_utc(end)} in OnCall, {_utc(strict.occurrence_start)} -> "
            f"{_utc(strict.occurrence_end)} in strict ({why})"
        ),
        section=_ICAL_SECTION,
    )


def _counterpart(
    schedule: Schedule, layer: ExplainedLayer, profile: Profile, how: _Resolving
) -> ExplainedLayer | None:
    """The occurrence of the same shift (component) starting at the same instant in the other
    profile, wherever it ends: its point window at that start."""
    start = layer.occurrence_start
    if start is None:
        return None
    window = Window(start=start, end=later(start, _TICK))
    try:
        found = how.layers(schedule, window, profile)
    except ShiftcalcError:
        return None
    items: list[tuple[OriginRef | None, datetime, tuple[datetime, datetime, tuple[str, ...]]]]
    if profile == "oncall":
        items = [(e[9], e[1], (e[0], e[1], e[2])) for e in found.events if not e[8]]
    else:
        items = [(s[5], s[1], (s[0], s[1], s[2])) for s in found.spans]
    ends = _occurrence_ends((ref, end) for ref, end, _ in items)
    for ref, _, (piece_start, piece_end, users) in items:
        origin = None if ref is None else _bare(origin_of(ref))
        if origin is None or origin.occurrence_start != start or origin.kind != layer.kind:
            continue
        if layer.kind == "shift":
            same_source = origin.shift_index == layer.shift_index
        else:
            same_source = (origin.calendar, origin.uid) == (layer.calendar, layer.uid)
        if same_source:
            return replace(
                layer,
                users=users,
                start=piece_start,
                end=piece_end,
                occurrence_end=ends[origin],
                turn=origin.turn,
                group=origin.group,
                swaps=(),
            )
    return None


def _label(layer: ExplainedLayer) -> str:
    """``shifts[0] turn 1``, ``VEVENT uid``: which occurrence, briefly."""
    if layer.kind == "ical":
        return f"VEVENT {layer.uid}"
    if layer.kind != "shift":
        return "an interval"
    turn = (
        f" turn {layer.turn}" if layer.turn is not None and layer.type == "rolling_users" else ""
    )
    return f"shifts[{layer.shift_index}]{turn}"


def _where(layer: ExplainedLayer) -> str:
    if layer.kind == "ical":
        return f"VEVENT[UID={layer.uid}, line {layer.line}]"
    return f"shifts[{layer.shift_index}]'s occurrence from {_utc(layer.occurrence_start)}"


def _difference(
    schedule: Schedule,
    oncall: ExplainedLayer | None,
    strict: ExplainedLayer | None,
    some: ExplainedLayer,
) -> OncallRule | None:
    section = _ICAL_SECTION if some.kind == "ical" else _ONCALL_SECTION
    where = _where(some)
    if oncall is None or strict is None:
        side = "strict" if oncall is None else "OnCall"
        other = "OnCall" if oncall is None else "strict"
        why = "its period search, DTSTART and turn rules"
        if some.kind == "ical":
            why = "the iCalendar rules the profiles read differently: UNTIL, RECURRENCE-ID, "
            why += "SEQUENCE, all-day days"
        if some.kind == "shift" and some.shift_index is not None:
            shift = schedule.shifts[some.shift_index]
            zones = effective_zone(shift, schedule), shift.time_zone or schedule.time_zone
            if zones[0] != zones[1]:
                why = f"OnCall reads its wall clock in {zones[0]}, strict in {zones[1]}"
        return OncallRule(
            code="occurrence_differs",
            text=f"{where} exists in {side} only: {other} has no occurrence of it starting "
            f"then ({why})",
            section=section,
        )
    if oncall.occurrence_end != strict.occurrence_end:
        text = (
            f"{where} ends at {_utc(oncall.occurrence_end)} in OnCall, "
            f"{_utc(strict.occurrence_end)} in strict"
        )
        if some.kind == "shift":
            text += (
                ": OnCall gives every occurrence the first occurrence's elapsed length, "
                "the end normalised by that occurrence's DST change"
            )
        return OncallRule(code="end_normalised", text=text, section=section)
    if some.type == "rolling_users" and oncall.group != strict.group:
        return OncallRule(
            code="turn_differs",
            text=f"{where} is group {oncall.group}'s turn in OnCall, group {strict.group}'s "
            "in strict: OnCall's queue and period search number the turns",
            section=section,
        )
    return None


# --- writers ----------------------------------------------------------------------------------


def _utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def _value(value: datetime | date | None) -> str | None:
    if value is None or not isinstance(value, datetime):
        return None if value is None else value.isoformat()
    return _utc(value) if value.utcoffset() is not None else value.isoformat()


def _layer_document(layer: ExplainedLayer, names: dict[str, str]) -> dict[str, object]:
    return {
        "outcome": layer.outcome,
        "reason": layer.reason,
        "is_override": layer.is_override,
        "level": layer.level,
        "users": [names.get(user, user) for user in layer.users],
        "user_pks": list(layer.users),
        "missing_users": list(layer.missing_users),
        "start": _utc(layer.start),
        "end": _utc(layer.end),
        "occurrence": {"start": _utc(layer.occurrence_start), "end": _utc(layer.occurrence_end)},
        "kind": layer.kind,
        "shift": None
        if layer.shift_index is None
        else {
            "index": layer.shift_index,
            "id": layer.shift_id,
            "name": layer.name,
            "type": layer.type,
            "source": layer.source,
            "turn": layer.turn,
            "group": layer.group,
            "start_rotation_from_user_index": layer.start_rotation_from_user_index,
        },
        "ical": None
        if layer.kind != "ical"
        else {
            "uid": layer.uid,
            "recurrence_id": _value(layer.recurrence_id),
            "calendar": layer.calendar,
            "line": layer.line,
        },
        "swaps": [
            {
                "index": swap.index,
                "beneficiary": names.get(swap.beneficiary, swap.beneficiary),
                "benefactor": names.get(swap.benefactor, swap.benefactor),
                "swap_start": _utc(swap.swap_start),
                "swap_end": _utc(swap.swap_end),
            }
            for swap in layer.swaps
        ],
    }


def explanation_document(explanation: Explanation, schedule: Schedule) -> dict[str, object]:
    """The explanation as a JSON-ready document: instants in UTC (``...Z``), users by
    username (``user_pks``: ids), each layer with its shift or iCal component, occurrence and
    swaps; ``rules`` (oncall) with their DESIGN.md section; ``user`` for ``user=``."""
    names = {user.id: user.username for user in schedule.users}

    def who(users: Iterable[str]) -> list[str]:
        return [names.get(user, user) for user in users]

    answer = explanation.user
    return {
        "at": _utc(explanation.at),
        "profile": explanation.profile,
        "time_zone": explanation.time_zone,
        "on_call": who(explanation.on_call),
        "on_call_pks": list(explanation.on_call),
        "chains": [
            {
                "user": chain.username,
                "user_pk": chain.user,
                "layers": [_layer_document(layer, names) for layer in chain.layers],
            }
            for chain in explanation.chains
        ],
        "layers": [_layer_document(layer, names) for layer in explanation.layers],
        "rules": [
            {"code": rule.code, "text": rule.text, "section": rule.section}
            for rule in explanation.rules
        ],
        "user": None
        if answer is None
        else {
            "user": answer.username,
            "user_pk": answer.user,
            "on_call": answer.on_call,
            "hidden": [
                {
                    "by": hidden.by,
                    "text": hidden.text,
                    "layer": _layer_document(hidden.layer, names),
                }
                for hidden in answer.hidden
            ],
            "previous": _turn_document(answer.previous),
            "next": _turn_document(answer.next),
            "horizon_days": answer.horizon / timedelta(days=1),
        },
    }


def _turn_document(turn: Turn | None) -> dict[str, object] | None:
    if turn is None:
        return None
    return {"start": _utc(turn.start), "end": _utc(turn.end), "complete": turn.complete}


def _local(value: datetime, zone: tzinfo) -> datetime:
    try:
        return value.astimezone(zone)
    except OverflowError:  # a wall clock past 9999 or before year 1: UTC alone
        return value.astimezone(UTC)


def _stamp(value: datetime, day: bool = True) -> str:
    """``2024-04-01 12:30`` (seconds and microseconds only when there are any)."""
    spec = "microseconds" if value.microsecond else "seconds" if value.second else "minutes"
    text = value.replace(tzinfo=None).isoformat(" ", spec)
    return text if day else text[11:]


def _when(value: datetime, zone: tzinfo) -> str:
    """``2024-04-01 12:30 BST (2024-04-01 11:30Z)``: the schedule's zone and UTC."""
    local, utc = _local(value, zone), value.astimezone(UTC)
    return f"{_stamp(local)} {local.tzname() or ''}".rstrip() + f" ({_stamp(utc)}Z)"


def _span(start: datetime | None, end: datetime | None, zone: tzinfo) -> str:
    """``2024-04-01 12:00 BST -> 13:00 BST (2024-04-01 11:00Z -> 12:00Z)``: an end on its
    start's day shows its time only."""
    if start is None or end is None:
        return "?"
    parts = []
    for first, last, suffix in (
        (_local(start, zone), _local(end, zone), None),
        (start.astimezone(UTC), end.astimezone(UTC), "Z"),
    ):
        same_day = first.date() == last.date()
        if suffix is None:
            a = f"{_stamp(first)} {first.tzname() or ''}".rstrip()
            b = f"{_stamp(last, not same_day)} {last.tzname() or ''}".rstrip()
        else:
            a, b = f"{_stamp(first)}Z", f"{_stamp(last, not same_day)}Z"
        parts.append(f"{a} -> {b}")
    return f"{parts[0]} ({parts[1]})"


def _source_text(layer: ExplainedLayer) -> str:
    if layer.kind == "ical":
        source = f"VEVENT {layer.uid} ({layer.calendar} calendar, line {layer.line})"
        if layer.recurrence_id is not None:
            source += f", RECURRENCE-ID {_value(layer.recurrence_id)}"
        return source
    if layer.kind != "shift":
        return "an interval"
    source = f"shifts[{layer.shift_index}] {layer.type}"
    source += f" {layer.name!r}" if layer.name else f" {layer.shift_id}"
    source += f" ({layer.source})"
    if layer.turn is not None and layer.type == "rolling_users":
        source += f", turn {layer.turn}, group {layer.group}"
        source += f" (start index {layer.start_rotation_from_user_index})"
    return source


def _layer_lines(layer: ExplainedLayer, names: dict[str, str], zone: tzinfo) -> list[str]:
    def who(user: str) -> str:
        return names.get(user, user)

    users = ", ".join(map(who, layer.users)) or "nobody"
    rank = _rank_text((int(layer.is_override), layer.level))
    head = "won" if layer.outcome == "won" else "lost"
    lines = [
        f"  {head}: {users}, {rank}, {_source_text(layer)}",
        f"    occurrence {_span(layer.occurrence_start, layer.occurrence_end, zone)}",
    ]
    for swap in layer.swaps:
        lines.append(
            f"    swap {swap.index}: {who(swap.beneficiary)} -> {who(swap.benefactor)}, "
            f"request {_span(swap.swap_start, swap.swap_end, zone)}"
        )
    if layer.outcome != "won":
        lines.append(f"    why: {layer.reason}")
    return lines


@for_people
def explanation_text(explanation: Explanation, schedule: Schedule) -> str:
    """The explanation for people: a few lines, times in the schedule's zone and in UTC."""
    zone = get_zone(schedule.time_zone)
    # names printable before the text is made: for_people works line by line, and a newline
    # in a name would make two lines
    names = {user.id: printable(user.username) for user in schedule.users}
    on_call = ", ".join(names.get(user, printable(user)) for user in explanation.on_call)
    on_call = on_call or "nobody"
    lines = [f"at {_when(explanation.at, zone)}, {explanation.profile}: on call: {on_call}"]
    for layer in explanation.layers:
        lines += _layer_lines(layer, names, zone)
    for rule in explanation.rules:
        lines.append(f"  OnCall rule {rule.code}: {rule.text} [{rule.section}]")
    answer = explanation.user
    if answer is not None:
        state = "on call" if answer.on_call else "not on call"
        lines.append(f"user {printable(answer.username)}: {state}")
        for hidden in answer.hidden:
            lines.append(f"  hidden ({hidden.by}): {hidden.text}")
        if not answer.on_call:
            days = f"{answer.horizon / timedelta(days=1):g} days"
            for label, turn in (("previous", answer.previous), ("next", answer.next)):
                if turn is None:
                    lines.append(f"  {label} turn: none within {days}")
                    continue
                more = "" if turn.complete else f" (and beyond: searched {days})"
                lines.append(f"  {label} turn: {_span(turn.start, turn.end, zone)}{more}")
    return "\n".join(lines) + "\n"
