"""Output: the final_shifts document, CSV reports and the text table, from hand-built rows."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from shiftcalc import (
    FinalShift,
    Schedule,
    User,
    final_shifts_document,
    hours_report_csv,
    shifts_csv,
    table,
    to_json,
)
from shiftcalc._output import SHIFTS_CSV_COLUMNS, final_shifts_json, utc_text

SCHEDULE = Schedule(
    time_zone="Europe/London",
    users=(
        User(id="UA", username="alice", email="alice@example.com"),
        User(id="UB", username="bob", email="bob@example.com"),
    ),
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in January 2024, UTC."""
    return datetime(2024, 1, day, hour, minute, tzinfo=UTC)


ROWS = (
    FinalShift(user="UB", start=at(2, 9), end=at(2, 17)),
    FinalShift(user="UA", start=at(1, 9), end=at(1, 16, 30)),
    FinalShift(user="UB", start=at(3, 9), end=at(3, 9, 20)),
)


def test_final_shifts_document() -> None:
    """The envelope and rows of OnCall's final_shifts endpoint, rows in the given order."""
    doc = final_shifts_document(ROWS, SCHEDULE)
    expected_first = {
        "user_pk": "UB",
        "user_email": "bob@example.com",
        "user_username": "bob",
        "shift_start": "2024-01-02T09:00:00Z",
        "shift_end": "2024-01-02T17:00:00Z",
    }
    assert doc["results"][0] == expected_first
    assert [row["user_pk"] for row in doc["results"]] == ["UB", "UA", "UB"]
    envelope = {key: value for key, value in doc.items() if key != "results"}
    assert envelope == {
        "count": 3,
        "next": None,
        "previous": None,
        "current_page_number": 1,
        "page_size": 50,
        "total_pages": 1,
    }


def test_document_key_order_and_instants_in_utc() -> None:
    """Keys keep OnCall's order; instants in other zones are written in UTC."""
    local = datetime.fromisoformat("2024-07-01T10:00:00+02:00")
    row = FinalShift(user="x", start=local, end=local)
    doc = final_shifts_document([row], Schedule())
    assert list(doc) == [
        "count",
        "next",
        "previous",
        "results",
        "current_page_number",
        "page_size",
        "total_pages",
    ]
    assert doc["results"][0]["shift_start"] == "2024-07-01T08:00:00Z"
    assert doc["results"][0]["user_email"] is None
    # a result's keys are the CSV's and JSON lines' columns, in their order
    assert tuple(doc["results"][0]) == SHIFTS_CSV_COLUMNS


def test_to_json() -> None:
    """to_json indents by two, keeps key order and ends with a newline."""
    text = to_json(final_shifts_document([], SCHEDULE))
    assert text.endswith("}\n")
    assert text.splitlines()[1] == '  "count": 0,'
    assert json.loads(text)["results"] == []


def test_hours_report() -> None:
    """Hours per user, sorted by id, as plain decimals."""
    expected = (
        "user_pk,user_email,hours_on_call\nUA,alice@example.com,7.5\nUB,bob@example.com,8.3333\n"
    )
    assert hours_report_csv(ROWS, SCHEDULE) == expected


def test_hours_report_whole_hours_have_no_fraction() -> None:
    """48 hours is written 48, not 48.0."""
    rows = [FinalShift(user="UA", start=at(1, 0), end=at(3, 0))]
    assert hours_report_csv(rows, SCHEDULE).splitlines()[1] == "UA,alice@example.com,48"


def test_shifts_csv() -> None:
    """One line per row, in order, with UTC instants."""
    lines = shifts_csv(ROWS, SCHEDULE).splitlines()
    assert lines[0] == "user_pk,user_email,user_username,shift_start,shift_end"
    assert lines[2] == "UA,alice@example.com,alice,2024-01-01T09:00:00Z,2024-01-01T16:30:00Z"
    assert len(lines) == 4


def test_table_is_aligned() -> None:
    """Every column starts at the same offset on every line."""
    lines = table(ROWS, SCHEDULE).splitlines()
    assert re.split(r"\s{2,}", lines[0])[0] == "user"
    assert lines[2].startswith("bob    2024-01-02 09:00 GMT")
    starts = [line.index("2024-01-0") for line in lines[2:]]
    assert starts == [starts[0]] * len(starts)
    assert [line.split()[-1] for line in lines[2:]] == ["8h", "7h30m", "20m"]


def test_table_in_summer_time() -> None:
    """The schedule-zone columns show local time and the zone's abbreviation."""
    row = FinalShift(
        user="UA",
        start=datetime(2024, 7, 1, 8, tzinfo=UTC),
        end=datetime(2024, 7, 2, 9, tzinfo=UTC),
    )
    line = table([row], SCHEDULE).splitlines()[2]
    assert re.split(r"\s{2,}", line)[:3] == [
        "alice",
        "2024-07-01 09:00 BST",
        "2024-07-02 10:00 BST",
    ]
    assert line.endswith("1d 1h")


def test_empty_table_has_a_header() -> None:
    """No rows: the header and the rule only."""
    assert len(table([], SCHEDULE).splitlines()) == 2


# Instants over the whole range, with microseconds, in zones with DST (both folds), fixed
# offsets and UTC: what rows can hold.
INSTANTS = st.builds(
    lambda naive, zone, fold: naive.replace(tzinfo=zone, fold=fold),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.sampled_from([UTC, ZoneInfo("Europe/London"), timezone(timedelta(hours=-5, minutes=-30))]),
    st.integers(0, 1),
)
NAMES = st.text(max_size=6)  # any code point: quotes, controls, non-ASCII, lone surrogates


@given(INSTANTS)
def test_utc_text_is_the_iso_form_to_the_second(value: datetime) -> None:
    """The one writer of UTC instants: isoformat's text cut to the second, with Z (a 4-digit
    year: strftime writes the year 500 as "500" on glibc; conflicts once used it)."""
    assert utc_text(value) == value.astimezone(UTC).isoformat()[:19] + "Z"


@given(
    st.lists(st.tuples(NAMES, NAMES, st.none() | NAMES), max_size=4),
    st.lists(st.tuples(st.integers(0, 5), INSTANTS, INSTANTS), max_size=12),
)
def test_final_shifts_json_is_the_documents_json_text(
    users: list[tuple[str, str, str | None]], rows: list[tuple[int, datetime, datetime]]
) -> None:
    """What the CLI writes, straight from the rows, is the document's ``json.dumps`` text,
    byte for byte: users with and without a directory entry (ids, names and e-mails of any
    code points), rows in any order, instants repeated between rows."""
    directory = tuple(  # ids, usernames and e-mails unique (the directory requires it)
        User(id=f"{pk}~{i}", username=f"{name}~{i}", email=None if e is None else f"{e}~{i}@x")
        for i, (pk, name, e) in enumerate(users)
    )
    schedule = Schedule(users=directory)
    ids = [u.id for u in schedule.users] + ["nobody-listed"]
    shifts = [FinalShift(user=ids[k % len(ids)], start=start, end=end) for k, start, end in rows]
    document = final_shifts_document(shifts, schedule)
    expected = json.dumps(document, indent=2) + "\n"
    assert final_shifts_json(shifts, schedule) == expected
    assert to_json(document) == expected


def test_table_of_a_schedule_in_utc_shows_each_time_once() -> None:
    """The UTC columns repeated the zone's (a tester found): a schedule in UTC has one pair."""
    row = FinalShift(
        user="alice",
        start=datetime(2024, 7, 1, 8, tzinfo=UTC),
        end=datetime(2024, 7, 1, 9, tzinfo=UTC),
    )
    for zone in ("UTC", "Etc/UTC"):
        lines = table([row], Schedule(time_zone=zone)).splitlines()
        assert lines[0].split() == ["user", "start", f"({zone})", "end", f"({zone})", "duration"]
        assert lines[2].split() == ["alice", "2024-07-01", "08:00", "UTC", "2024-07-01", "09:00",
                                    "UTC", "1h"]  # fmt: skip
