"""Properties of RECURRENCE-ID;RANGE=THISANDFUTURE in the strict profile (RFC 5545 §3.8.4.4).

The occurrences ``shiftcalc.ical.calendar_records`` gives for a daily UTC series with 0-3
overrides of its instances are held equal to a brute-force oracle written here from the
semantics (DESIGN.md, the iCal table's RECURRENCE-ID row; tests/test_ical_strict_defects.py),
independent of the implementation:

* the override of one RECURRENCE-ID instant is the one of highest SEQUENCE; the others of
  that instant count for nothing;
* each override stands as an event at its own DTSTART, for its own length (the master's when
  it has no DTEND), its SUMMARY on call; the instance at its RECURRENCE-ID, if any, is gone;
* a THISANDFUTURE override whose RECURRENCE-ID is an instance moves every later instance, up
  to the next such override, by its DTSTART less its RECURRENCE-ID, for its length, its
  SUMMARY on call; a later instance with a RECURRENCE-ID of its own is that override's only;
* a THISANDFUTURE override whose RECURRENCE-ID is no instance (off the series' hour, before
  DTSTART or past COUNT) moves nothing and bounds no other's range.

Public API only. UTC only, so that the oracle is plain arithmetic on instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftcalc import Schedule, Window
from shiftcalc.ical import calendar_records

USERS = ("alice", "bob", "carol", "dave")
# covers every instance (January 2024, at most 12 every other day) and every move (±3 hours)
WINDOW = Window(start=datetime(2023, 12, 1, tzinfo=UTC), end=datetime(2024, 3, 1, tzinfo=UTC))
# modest by default; the long fuzz profile (HYPOTHESIS_PROFILE=fuzz) runs ten times as many
PROPERTY = settings(
    max_examples=max(200, settings.default.max_examples // 10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

Row = tuple[datetime, datetime, str]


@dataclass(frozen=True)
class Master:
    start: datetime
    length: timedelta
    count: int
    interval: int  # days
    user: str

    def instances(self) -> list[datetime]:
        return [self.start + timedelta(days=self.interval * i) for i in range(self.count)]


@dataclass(frozen=True)
class Override:
    rid: datetime
    future: bool  # RANGE=THISANDFUTURE
    start: datetime
    length: timedelta | None  # None: no DTEND (it takes the master's length)
    user: str
    sequence: int | None  # None: no SEQUENCE property (0)


# --------------------------------------------------------------------------- calendar text


def _utc(at: datetime) -> str:
    return f"{at:%Y%m%dT%H%M%S}Z"


def _event(*props: str, uid: str = "s") -> str:
    return "".join(line + "\r\n" for line in ("BEGIN:VEVENT", f"UID:{uid}", *props, "END:VEVENT"))


def _master_text(master: Master) -> str:
    rule = f"RRULE:FREQ=DAILY;COUNT={master.count}"
    if master.interval != 1:
        rule += f";INTERVAL={master.interval}"
    return _event(
        f"DTSTART:{_utc(master.start)}",
        f"DTEND:{_utc(master.start + master.length)}",
        rule,
        f"SUMMARY:{master.user}",
    )


def _override_text(override: Override) -> str:
    rng = ";RANGE=THISANDFUTURE" if override.future else ""
    props = [f"RECURRENCE-ID{rng}:{_utc(override.rid)}", f"DTSTART:{_utc(override.start)}"]
    if override.length is not None:
        props.append(f"DTEND:{_utc(override.start + override.length)}")
    if override.sequence is not None:
        props.append(f"SEQUENCE:{override.sequence}")
    props.append(f"SUMMARY:{override.user}")
    return _event(*props)


def _calendar(events: list[str]) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(events) + "END:VCALENDAR\r\n"


# --------------------------------------------------------------------------- the oracle


def _oracle(master: Master, overrides: list[Override]) -> list[Row]:
    """The occurrences, from the semantics in the module docstring, instance by instance."""
    # the override of each RECURRENCE-ID instant: the highest SEQUENCE (drawn distinct)
    winner: dict[datetime, Override] = {}
    for override in overrides:
        other = winner.get(override.rid)
        if other is None or (override.sequence or 0) > (other.sequence or 0):
            winner[override.rid] = override
    instances = master.instances()
    futures = sorted(
        (o for o in winner.values() if o.future and o.rid in instances), key=lambda o: o.rid
    )

    def length(override: Override) -> timedelta:
        return master.length if override.length is None else override.length

    rows: list[Row] = []
    for override in winner.values():  # each stands on its own, matching an instance or not
        rows.append((override.start, override.start + length(override), override.user))
    for instance in instances:
        if instance in winner:
            continue  # replaced by its own override (counted above)
        ranges = [f for f in futures if f.rid < instance]
        if not ranges:
            rows.append((instance, instance + master.length, master.user))
            continue
        mover = ranges[-1]  # the last THISANDFUTURE before it: its range holds the instance
        start = instance + (mover.start - mover.rid)
        rows.append((start, start + length(mover), mover.user))
    return sorted(r for r in rows if r[0] < WINDOW.end and WINDOW.start < r[1])


def _records(text: str) -> list[Row]:
    schedule = Schedule(type="ical", ical_primary=text)
    records = calendar_records(text, schedule, WINDOW, profile="strict", overrides=False)
    return sorted((r.start, r.end, r.users[0]) for r in records)


# --------------------------------------------------------------------------- strategies


@st.composite
def masters(draw: st.DrawFn) -> Master:
    day = draw(st.integers(1, 31))
    hour = draw(st.integers(0, 23))
    return Master(
        start=datetime(2024, 1, day, hour, tzinfo=UTC),
        length=timedelta(hours=draw(st.integers(1, 12))),
        count=draw(st.integers(1, 12)),
        interval=draw(st.sampled_from([1, 2])),
        user=draw(st.sampled_from(USERS)),
    )


@st.composite
def recurrence_ids(draw: st.DrawFn, master: Master) -> datetime:
    """Mostly an instance's start; sometimes an instant that is none: off the series' hour,
    a step before DTSTART, or a step past the COUNT-th instance (both on the series' grid)."""
    instances = master.instances()
    kind = draw(st.sampled_from(["instance"] * 6 + ["off-hour", "before", "past"]))
    step = timedelta(days=master.interval)
    if kind == "instance":
        return draw(st.sampled_from(instances))
    if kind == "off-hour":
        return draw(st.sampled_from(instances)) + timedelta(hours=draw(st.integers(1, 23)))
    if kind == "before":
        return master.start - step
    return instances[-1] + step


@st.composite
def overrides_at(draw: st.DrawFn, rid: datetime, sequence: int | None) -> Override:
    return Override(
        rid=rid,
        future=draw(st.booleans()),
        start=rid + timedelta(hours=draw(st.integers(-3, 3))),
        length=draw(st.one_of(st.none(), st.integers(1, 12).map(lambda h: timedelta(hours=h)))),
        user=draw(st.sampled_from(USERS)),
        sequence=sequence,
    )


@st.composite
def distinct_cases(draw: st.DrawFn) -> tuple[Master, list[Override], str]:
    """A series and 0-3 overrides of distinct RECURRENCE-IDs (SEQUENCE does not matter)."""
    master = draw(masters())
    rids = draw(st.lists(recurrence_ids(master), max_size=3, unique=True))
    sequence = st.one_of(st.none(), st.integers(0, 3))
    overrides = [draw(overrides_at(rid, draw(sequence))) for rid in rids]
    return master, overrides, draw(_texts(master, overrides))


@st.composite
def sequence_cases(draw: st.DrawFn) -> tuple[Master, list[Override], str]:
    """A series, 2-3 overrides of one RECURRENCE-ID with distinct SEQUENCEs (0 sometimes as no
    SEQUENCE at all), and 0-1 override of another."""
    master = draw(masters())
    rid, *others = draw(st.lists(recurrence_ids(master), min_size=1, max_size=2, unique=True))
    sequences = draw(st.lists(st.integers(0, 4), min_size=2, max_size=3, unique=True))
    overrides = [
        draw(overrides_at(rid, None if s == 0 and draw(st.booleans()) else s)) for s in sequences
    ]
    overrides += [
        draw(overrides_at(other, draw(st.none() | st.integers(0, 3)))) for other in others
    ]
    return master, overrides, draw(_texts(master, overrides))


@st.composite
def _texts(draw: st.DrawFn, master: Master, overrides: list[Override]) -> str:
    """The calendar, its VEVENTs in any order (overrides before their master, too)."""
    events = [_master_text(master), *(_override_text(o) for o in overrides)]
    return _calendar(draw(st.permutations(events)))


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(distinct_cases())
def test_thisandfuture_matches_the_oracle(case: tuple[Master, list[Override], str]) -> None:
    """Overrides of distinct RECURRENCE-IDs, each plain or THISANDFUTURE, matching an instance
    or not: the strict occurrences are the oracle's."""
    master, overrides, text = case
    assert _records(text) == _oracle(master, overrides)


@PROPERTY
@given(sequence_cases())
def test_thisandfuture_sequence_precedence_matches_the_oracle(
    case: tuple[Master, list[Override], str],
) -> None:
    """Several overrides of one RECURRENCE-ID, plain or THISANDFUTURE each: only the highest
    SEQUENCE counts, for that instance and (THISANDFUTURE) the later ones."""
    master, overrides, text = case
    assert _records(text) == _oracle(master, overrides)
