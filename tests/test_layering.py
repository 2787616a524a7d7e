"""The package's imports run down its layers, and no private name crosses a module boundary.

``LAYERS`` is the architecture as data, lowest layer first, each with its one-line
responsibility (DESIGN.md's module table is written from it). A module may import from its own
layer or below. Every import counts: at module level, inside functions (the CLI imports the
iCal module lazily on purpose: the dependency is still there) and under ``TYPE_CHECKING``
(it shows the dependency too). Every module of the package must be in the table, and every
module in the table must exist; a module of a subpackage (``ical/_parse.py``) belongs to its
package's layer, so a subpackage's own structure is its business.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

import shiftcalc

PACKAGE = "shiftcalc"
ROOT = "__init__"  # the name of the package's own module (src/shiftcalc/__init__.py)


@dataclass(frozen=True)
class Layer:
    """A layer of the architecture: its name, what it is responsible for, its modules."""

    name: str
    responsibility: str
    modules: tuple[str, ...]


LAYERS: tuple[Layer, ...] = (
    Layer(
        "base",
        "the exception tree; zone names, their TZif files and wall clock <-> instant"
        " (RFC 5545 3.3.5)",
        ("_errors", "_tz"),
    ),
    Layer(
        "values",
        "the frozen value types and every rule on a value (the check_* functions)",
        ("_model",),
    ),
    Layer(
        "recurrence",
        "RRULE parsing and expansion; the only user of dateutil.rrule",
        ("_recurrence",),
    ),
    Layer(
        "expansion",
        "shifts -> intervals -> final shifts, per profile: strict (_expand, _merge),"
        " oncall (the package oncall: generation, search, occurrences, resolution);"
        " the rotation arithmetic both use (_rotation)",
        ("_rotation", "_expand", "_merge", "oncall"),
    ),
    Layer(
        "calendars",
        "iCalendar import (calendar text -> intervals or OnCall records) and export",
        ("ical",),
    ),
    Layer(
        "resolution",
        "the one-call pipeline resolve() and the queries on a schedule",
        ("_resolve",),
    ),
    Layer(
        "documents",
        "scenario I/O and validation (_scenario); the writers (_output); the quality report"
        " (_quality) and its fairness weights, classification and figures (_fairness)",
        ("_scenario", "_fairness", "_quality", "_output"),
    ),
    Layer(
        "analyses",
        "questions asked of resolutions: the diff of two schedules (_diff), conflicts across"
        " schedules and time off (_conflicts), why who is on call at an instant (_explain),"
        " coverage over all future time (_coverage), timeline pictures (_timeline, _timeline_svg)",
        ("_diff", "_conflicts", "_explain", "_coverage", "_timeline", "_timeline_svg"),
    ),
    Layer(
        "scale",
        "streaming with resumable cursors (_stream); many schedules at once on a process pool"
        " (_many) or on Dask (_dask, optional extra)",
        ("_stream", "_many", "_dask"),
    ),
    Layer(
        "namespace",
        "the public namespace: re-exports, __version__",
        (ROOT,),
    ),
    Layer(
        "front ends",
        "the CLI (__main__); the Hypothesis strategies and their entry point (optional extra)",
        ("__main__", "strategies", "_hypothesis_plugin"),
    ),
)

# --------------------------------------------------------------------------- the checker


@dataclass(frozen=True)
class Import:
    """One imported thing: ``name`` of module ``target``, or the module itself (name None)."""

    path: str  # the importing file, relative to the package directory
    importer: str
    line: int
    target: str
    name: str | None
    text: str  # the statement, as written (unparsed)

    @property
    def where(self) -> str:
        return f"{PACKAGE}/{self.path}:{self.line}: `{self.text}`"


@dataclass(frozen=True)
class Violation:
    """A broken rule: ``rule`` is "private", "layer", "unknown" or "stale"."""

    rule: str
    importer: str
    target: str
    message: str


def _parts(path: str) -> tuple[tuple[str, ...], bool]:
    """A file's module path inside the package, and whether it is a package's ``__init__``."""
    parts = PurePosixPath(path).with_suffix("").parts
    if parts[-1] == "__init__":
        return parts[:-1], True
    return parts, False


def _name(parts: tuple[str, ...]) -> str:
    return ".".join(parts) or ROOT


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def imports_of(path: str, source: str, modules: frozenset[tuple[str, ...]]) -> Iterator[Import]:
    """Every import of the package's own modules in one file, wherever it stands."""
    parts, is_package = _parts(path)
    package = parts if is_package else parts[:-1]
    importer = _name(parts)
    statements = [
        node
        for node in ast.walk(ast.parse(source, filename=path))
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    for node in sorted(statements, key=lambda node: (node.lineno, node.col_offset)):
        text = ast.unparse(node)
        if isinstance(node, ast.Import):
            for alias in node.names:
                dotted = alias.name.split(".")
                if dotted[0] == PACKAGE:
                    yield Import(path, importer, node.lineno, _name(tuple(dotted[1:])), None, text)
        elif isinstance(node, ast.ImportFrom):
            dotted = node.module.split(".") if node.module else []
            if node.level:
                base = package[: len(package) - (node.level - 1)] + tuple(dotted)
            elif dotted and dotted[0] == PACKAGE:
                base = tuple(dotted[1:])
            else:
                continue  # another distribution's module
            for alias in node.names:
                module = (*base, alias.name)
                if module in modules:  # `from . import _model`: a module, not a name
                    yield Import(path, importer, node.lineno, _name(module), None, text)
                else:
                    yield Import(path, importer, node.lineno, _name(base), alias.name, text)


def _layer_index(module: str, layers: Sequence[Layer]) -> int | None:
    """The layer of a module, or of the nearest package that contains it."""
    home = {name: i for i, layer in enumerate(layers) for name in layer.modules}
    dotted = module.split(".")
    for end in range(len(dotted), 0, -1):
        found = home.get(".".join(dotted[:end]))
        if found is not None:
            return found
    return None


def violations(sources: Mapping[str, str], layers: Sequence[Layer]) -> list[Violation]:
    """The broken rules of a package given as {path inside the package: source text}."""
    modules = frozenset(_parts(path)[0] for path in sources)
    names = {_name(parts) for parts in modules}
    found: list[Violation] = []
    for path in sorted(sources):
        module = _name(_parts(path)[0])
        if _layer_index(module, layers) is None:
            found.append(
                Violation(
                    "unknown",
                    module,
                    module,
                    f"{PACKAGE}/{path}: module {module} is in no layer: add it to LAYERS in"
                    " tests/test_layering.py, in the lowest layer at or above everything it"
                    " imports (and at or below everything that imports it)",
                )
            )
        for imported in imports_of(path, sources[path], modules):
            # one message per broken rule: a statement importing three names from a module
            # above is one upward import
            found += [v for v in _broken_rules(imported, names, layers) if v not in found]
    for layer in layers:
        for module in layer.modules:
            if module not in names:
                message = (
                    f"LAYERS lists {module} (layer {layer.name!r}), which is no module of the"
                    " package: remove it from tests/test_layering.py"
                )
                found.append(Violation("stale", module, module, message))
    return found


def _broken_rules(
    imported: Import, names: set[str], layers: Sequence[Layer]
) -> Iterator[Violation]:
    importer, target = imported.importer, imported.target
    if target not in names:
        message = (
            f"{imported.where}: {importer} imports {target}, which is no module of the package"
        )
        yield Violation("unknown", importer, target, message)
        return
    if imported.name is not None and _is_private(imported.name) and target != importer:
        yield Violation(
            "private",
            importer,
            target,
            f"{imported.where}: {importer} imports the private name {imported.name} of"
            f" {target}: make it public in {target} or keep the code that needs it there",
        )
    low, high = _layer_index(target, layers), _layer_index(importer, layers)
    if low is not None and high is not None and low > high:
        yield Violation(
            "layer",
            importer,
            target,
            f"{imported.where}: {importer} (layer {high} {layers[high].name!r}) imports"
            f" {target} (layer {low} {layers[low].name!r}), which is above it: a module may"
            " import only from its own layer or below",
        )


@cache
def package_sources() -> dict[str, str]:
    """{path inside the package: text} of every module of the installed shiftcalc."""
    root = Path(shiftcalc.__file__).parent
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*.py"))
    }


def _found(rule: str) -> list[str]:
    return [
        violation.message
        for violation in violations(package_sources(), LAYERS)
        if violation.rule == rule
    ]


# --------------------------------------------------------------------------- the package


def test_the_table_is_well_formed() -> None:
    """Layer names are unique, each module is in one layer, each layer says what it does."""
    listed = [module for layer in LAYERS for module in layer.modules]
    assert len({layer.name for layer in LAYERS}) == len(LAYERS)
    assert sorted(set(listed)) == sorted(listed)
    assert all(layer.responsibility and layer.modules for layer in LAYERS)


def test_every_module_is_in_the_table() -> None:
    """A new module fails until it is given a layer; a module that is gone leaves the table."""
    problems = _found("unknown") + _found("stale")
    assert not problems, "\n".join(problems)


def test_imports_run_down_the_layers() -> None:
    """No module imports from a layer above its own (functions and TYPE_CHECKING included)."""
    problems = _found("layer")
    assert not problems, "\n".join(problems)


def test_no_private_name_crosses_a_module() -> None:
    """No module imports another module's private name."""
    problems = _found("private")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- the checker itself

_TOY_LAYERS = (
    Layer("low", "values", ("_low",)),
    Layer("mid", "a subpackage", ("sub",)),
    Layer("high", "the top", ("_high", ROOT)),
)


def _messages(sources: Mapping[str, str], rule: str) -> list[str]:
    return [v.message for v in violations(sources, _TOY_LAYERS) if v.rule == rule]


def test_checker_catches_a_private_name() -> None:
    """`from ._low import _helper` in another module is named, with file, line and statement."""
    sources = {
        "__init__.py": "",
        "_low.py": "def _helper(): ...\n",
        "_high.py": "import os\n\nfrom ._low import _helper, public\n",
        "sub/__init__.py": "",
    }
    assert _messages(sources, "private") == [
        "shiftcalc/_high.py:3: `from ._low import _helper, public`: _high imports the private"
        " name _helper of _low: make it public in _low or keep the code that needs it there"
    ]


def test_checker_allows_modules_dunders_and_aliases() -> None:
    """Importing a private *module*, a dunder or a public name under a private alias is fine."""
    sources = {
        "__init__.py": "__version__ = '1'\n",
        "_low.py": "",
        "_high.py": "from . import _low, __version__\nfrom ._low import x as _x\n",
        "sub/__init__.py": "",
    }
    assert violations(sources, _TOY_LAYERS) == []


def test_checker_catches_an_import_up_the_stack() -> None:
    """Upward imports are caught wherever they stand: module level, in a function, under
    TYPE_CHECKING, absolute, `from . import`, and from inside a subpackage."""
    sources = {
        "__init__.py": "",
        "_high.py": "",
        "_low.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from ._high import Thing\n"
            "def f():\n"
            "    from .sub import g\n"
            "import shiftcalc._high\n"
            "from . import _high\n"
        ),
        "sub/__init__.py": "from ._inner import y\n",
        "sub/_inner.py": "from .. import _high\nfrom .._low import z\n",
    }
    assert _messages(sources, "layer") == [
        "shiftcalc/_low.py:3: `from ._high import Thing`: _low (layer 0 'low') imports _high"
        " (layer 2 'high'), which is above it: a module may import only from its own layer or"
        " below",
        "shiftcalc/_low.py:5: `from .sub import g`: _low (layer 0 'low') imports sub (layer 1"
        " 'mid'), which is above it: a module may import only from its own layer or below",
        "shiftcalc/_low.py:6: `import shiftcalc._high`: _low (layer 0 'low') imports _high"
        " (layer 2 'high'), which is above it: a module may import only from its own layer or"
        " below",
        "shiftcalc/_low.py:7: `from . import _high`: _low (layer 0 'low') imports _high (layer 2"
        " 'high'), which is above it: a module may import only from its own layer or below",
        "shiftcalc/sub/_inner.py:1: `from .. import _high`: sub._inner (layer 1 'mid') imports"
        " _high (layer 2 'high'), which is above it: a module may import only from its own"
        " layer or below",
    ]


def test_checker_catches_modules_missing_from_the_table() -> None:
    """A module in no layer, an import of no module and a table entry of no module are named."""
    sources = {
        "__init__.py": "from ._gone import x\n",
        "_low.py": "",
        "_new.py": "",
    }
    assert _messages(sources, "unknown") == [
        "shiftcalc/__init__.py:1: `from ._gone import x`: __init__ imports _gone, which is no"
        " module of the package",
        "shiftcalc/_new.py: module _new is in no layer: add it to LAYERS in"
        " tests/test_layering.py, in the lowest layer at or above everything it imports (and at"
        " or below everything that imports it)",
    ]
    assert _messages(sources, "stale") == [
        "LAYERS lists sub (layer 'mid'), which is no module of the package: remove it from"
        " tests/test_layering.py",
        "LAYERS lists _high (layer 'high'), which is no module of the package: remove it from"
        " tests/test_layering.py",
    ]
