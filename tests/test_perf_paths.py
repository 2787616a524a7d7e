"""The speed paths of issue #12 (the benchmarks not slower than before provenance and the one
expansion), each held to the careful path it shortcuts.

``pytz_localize`` and ``_start_bounds`` add plainly unless a sum passes the ends of time;
generation's origin groups are the queue itself when no group is empty.

``oncall.occurrences.occurrence_spans``: a wall inside the steady run of the last wall
localised takes that run's offset by a comparison instead of walking the runs; the
rule's walls of a fixed step are not passed through ``start_walls`` when there is no UNTIL
(the loop stops past ``highest`` first); ends are plain sums away from the years 1 and 9999.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import hang_guard
from shiftcalc import Shift, ShiftcalcError, User, Window, load_scenario
from shiftcalc._errors import EngineError, ValidationError
from shiftcalc._expand import earlier, later
from shiftcalc._expand import origin_base as expand_origin_base
from shiftcalc._model import UserIndex, named_user
from shiftcalc._rotation import rotation_queue
from shiftcalc.oncall import generation, occurrences
from shiftcalc.oncall.occurrences import VEvent, occurrence_spans, steady_runs
from test_one_expander import vevents

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NEVER = datetime.max.replace(tzinfo=UTC)
ZONES = ["UTC", "America/New_York", "Pacific/Apia", "Antarctica/Troll", "Pacific/Kiritimati"]


def _outcome(compute: Any) -> Any:
    try:
        return compute()
    except ShiftcalcError as error:
        return type(error), str(error)


def _careful(event: VEvent, window: Window, runs: Any) -> Any:
    """occurrence_spans with every shortcut off: every wall localised by the walk, every
    wall through start_walls, every end by later()."""
    with (
        patch.object(occurrences, "_SAFE_LOW", _NEVER),
        patch.object(occurrences, "_plain_arithmetic", return_value=False),
    ):
        return _outcome(lambda: occurrence_spans(event, window, runs))


def _window(event: VEvent, offset_hours: int, days: int) -> Window:
    start = event.dtstart.astimezone(UTC) + timedelta(hours=offset_hours)
    return Window(start=start, end=start + timedelta(days=days))


@FAST
@given(vevents(), st.integers(-48, 120), st.integers(0, 40), st.booleans())
def test_occurrence_spans_fast_paths_are_the_careful_path(
    event: VEvent, offset_hours: int, days: int, with_runs: bool
) -> None:
    window = _window(event, offset_hours, days)
    runs = steady_runs(event.zone, window) if with_runs else ()
    with hang_guard(60):
        fast = _outcome(lambda: occurrence_spans(event, window, runs))
        assert fast == _careful(event, window, runs)


@FAST
@given(
    vevents(),
    st.sampled_from([datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 26, tzinfo=UTC)]),
    st.integers(0, 48),
    st.integers(0, 3),
)
def test_occurrence_spans_fast_paths_near_the_ends_of_time(
    event: VEvent, edge: datetime, hours: int, days: int
) -> None:
    """Windows by the years 1 and 9999: plain sums are off there, and results agree. (A
    VEVENT ending before it starts is left out: its crash test overflows there, on both paths,
    a defect outside these paths.)"""
    assume(event.dtend >= event.dtstart)
    start = edge + timedelta(hours=hours)
    window = Window(start=start, end=start + timedelta(days=days))
    runs = steady_runs(event.zone, window)
    with hang_guard(60):
        fast = _outcome(lambda: occurrence_spans(event, window, runs))
        assert fast == _careful(event, window, runs)


_INSTANTS = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59), timezones=st.just(UTC)
)


@given(
    _INSTANTS,
    st.integers(0, 10 * 24 * 60),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=4000)),
)
def test_start_bounds_plain_sums_are_the_clamped_ones(
    start: datetime, minutes: int, length: timedelta
) -> None:
    """``_start_bounds`` adds plainly unless a sum passes the ends of time: the same bounds
    as earlier/later's clamped sums everywhere."""
    end = min(start + timedelta(minutes=minutes), datetime.max.replace(tzinfo=UTC))
    window = Window(start=start, end=end)
    event = VEvent(
        start, start, "UTC", None, None, ("a",), 0, False, False, start, 0, "s"
    )  # only rule_until and dtstart are read: no UNTIL
    margin = timedelta(days=1)
    lowest = earlier(earlier(window.start, length), margin)
    highest = later(window.end, margin)
    careful = (lowest, highest, earlier(lowest, margin), later(highest, margin))
    assert occurrences._start_bounds(event, window, length) == careful


@given(_INSTANTS.map(lambda value: value.replace(tzinfo=None)), st.sampled_from(ZONES))
def test_pytz_localize_near_the_ends_of_time(wall: datetime, zone: str) -> None:
    """pytz_localize's plain neighbours of ``wall`` fall back to earlier/later at the ends
    of time: a localised time or an EngineError, never an OverflowError."""
    try:
        localized = occurrences.pytz_localize(wall, zone, strict=False, field="start")
    except EngineError:
        return
    assert localized.replace(tzinfo=None) == wall


@given(
    st.lists(st.lists(st.sampled_from(["a", "b", "c"]), max_size=2), min_size=0, max_size=6),
    st.integers(0, 8),
)
def test_origin_groups_without_empty_groups_are_the_queue(
    groups: list[list[str]], start_index: int
) -> None:
    """generation's origin groups: the rotated indices of the non-empty groups, read off the
    queue at once when no group is empty."""
    rolling = tuple(tuple(group) for group in groups)
    shift = Shift(
        type="rolling_users",
        start=datetime(2024, 1, 1),
        duration=timedelta(hours=1),
        frequency="daily",
        rolling_users=rolling,
        start_rotation_from_user_index=start_index,
    )
    base = generation._origin_base(shift, 3, "s")
    queue = rotation_queue(range(len(rolling)), start_index)
    assert base.groups == tuple(i for i in queue if rolling[i])
    assert (base.kind, base.shift_index, base.shift_id) == ("shift", 3, "s")


@given(
    st.lists(
        st.lists(st.sampled_from(["ann", "Ann", "bob", "cy"]), min_size=1, max_size=3),
        max_size=6,
    )
)
def test_loaded_groups_are_their_names_without_repeats(groups: list[list[str]]) -> None:
    """The loader keeps a lone name's group as it is and drops repeats from the others: every
    group is its resolved names without repeats, as dict.fromkeys keeps them."""
    doc = {
        "shifts": [
            {
                "type": "rolling_users",
                "start": "2024-01-01T09:00:00",
                "duration": 3600,
                "frequency": "daily",
                "rolling_users": groups,
                "start_rotation_from_user_index": 0,
            }
        ],
        "window": {"start": "2024-01-01T00:00:00Z", "end": "2024-01-02T00:00:00Z"},
    }
    shift = load_scenario(doc, profile="oncall").schedule.shifts[0]
    first: dict[str, str] = {}  # implicit users: names equal in any case are the first one
    for group in groups:
        for name in group:
            first.setdefault(name.casefold(), name)
    expected = tuple(
        tuple(dict.fromkeys(first[name.casefold()] for name in group)) for group in groups
    )
    assert shift.rolling_users == expected


@given(st.text(min_size=1))
def test_named_user_is_the_checked_construction(name: str) -> None:
    """The loader's users of a scenario without ``users``: constructed without the checks,
    equal to construction's."""
    built = named_user(name)
    assert built == User(id=name, username=name)
    assert (built.id, built.username, built.email) == (name, name, None)


@given(
    st.lists(st.lists(st.sampled_from(["a", "b"]), max_size=2), max_size=4),
    st.integers(0, 5),
    st.integers(0, 30),
)
def test_memoised_origin_bases_are_the_computed_ones(
    groups: list[list[str]], start_index: int, index: int
) -> None:
    """The origin bases are memoised per (shift, index): each equals a fresh computation."""
    shift = Shift(
        type="rolling_users",
        start=datetime(2024, 1, 1),
        duration=timedelta(hours=1),
        frequency="daily",
        rolling_users=tuple(tuple(group) for group in groups),
        start_rotation_from_user_index=start_index,
    )
    assert expand_origin_base(shift, index) == expand_origin_base.__wrapped__(shift, index)
    made = generation._origin_base(shift, index, "s")
    assert made == generation._origin_base.__wrapped__(shift, index, "s")


def _reference_index(users: list[User]) -> Any:
    """UserIndex's rules as first written (a pair per user, in a loop)."""
    by_id: dict[str, User] = {}
    by_name: dict[str, str] = {}
    owners: dict[str, int] = {}
    for i, user in enumerate(users):
        if user.id in by_id:
            return f"users[{i}].id"
        by_id[user.id] = user
        for key, name in (("username", user.username), ("email", user.email)):
            if name is None:
                continue
            owner = owners.setdefault(name.casefold(), i)
            if owner != i:
                return f"users[{i}].{key}"
            by_name.setdefault(name.casefold(), user.id)
    return by_id, by_name


_NAMES = st.sampled_from(["ann", "Ann", "ANN", "bob", "b@x", "B@X"])


@given(
    st.lists(
        st.builds(User, id=_NAMES, username=_NAMES, email=st.one_of(st.none(), _NAMES)),
        max_size=5,
    )
)
def test_user_index_is_the_pairwise_loop(users: list[User]) -> None:
    """The directory's index claims a username, then an e-mail, per user: the same lookups
    and the same refusals (field named) as the loop over pairs it replaced."""
    expected = _reference_index(users)
    try:
        index = UserIndex(users)
    except ValidationError as error:
        assert error.field == expected
        assert "already the username or e-mail" in error.reason or error.field.endswith(".id")
        return
    assert (index.by_id, index.by_name) == expected
