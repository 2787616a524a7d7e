"""The public namespace: a sorted __all__ equal to the public attributes, shown as shiftcalc.X."""

from __future__ import annotations

import inspect
import typing
from dataclasses import is_dataclass, replace

import pytest

import shiftcalc


def test_all_is_sorted() -> None:
    """__all__ is in sorted order."""
    assert list(shiftcalc.__all__) == sorted(shiftcalc.__all__)


def test_all_equals_the_public_attributes() -> None:
    """Every public attribute is in __all__ and every name in __all__ exists."""
    public = {
        name
        for name, value in vars(shiftcalc).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert set(shiftcalc.__all__) - {"__version__"} == public


def test_exported_objects_live_in_shiftcalc() -> None:
    """Exported classes and functions report the module shiftcalc."""
    for name in shiftcalc.__all__:
        value = getattr(shiftcalc, name)
        if inspect.isfunction(value) or (inspect.isclass(value) and not is_dataclass(value)):
            assert (name, value.__module__) == (name, "shiftcalc")
        elif is_dataclass(value):
            # dataclasses keep their module so their annotations resolve (typing, Hypothesis)
            assert typing.get_type_hints(value)


def test_version_is_a_string() -> None:
    """__version__ comes from the package metadata."""
    assert isinstance(shiftcalc.__version__, str)


def test_schedule_user_lookup() -> None:
    """Schedule.user: the directory's user by id, a bare user for an id it lacks; a replaced
    directory is looked up afresh; equality ignores the index. A repeated id is refused (it
    used to resolve to the first user; loader_defects item 5 made it an error)."""
    ann = shiftcalc.User(id="u1", username="ann", email="ann@example.com")
    with pytest.raises(shiftcalc.ValidationError) as raised:
        shiftcalc.Schedule(users=(ann, shiftcalc.User(id="u1", username="dup")))
    assert (raised.value.field, raised.value.reason) == ("users[1].id", "duplicate user id")
    schedule = shiftcalc.Schedule(users=(ann, shiftcalc.User(id="u2", username="dup")))
    assert schedule.user("u1") is ann
    assert schedule.user("u9") == shiftcalc.User(id="u9", username="u9")
    assert replace(schedule, users=()).user("u1") == shiftcalc.User(id="u1", username="u1")
    assert schedule == shiftcalc.Schedule(users=schedule.users)
    assert hash(schedule) == hash(shiftcalc.Schedule(users=schedule.users))
