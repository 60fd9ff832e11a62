"""The package's layers: no import cycle, and no layer importing a higher one.

Every ``import`` of an orgflow module is counted, at module level and inside functions (read
with :mod:`ast`, nothing is imported). An import under ``if TYPE_CHECKING:`` counts for the
layers (a lower layer does not even name a higher one's types) but not for cycles (it never
runs). The layers, lowest first (a module may import its own layer and those below it):

1. helpers: ``escape`` (escaping text from the file), ``errors`` (the domain errors),
   ``gc_pause``, ``solver`` (HiGHS), ``suggest`` (did-you-mean), ``output`` (console, atomic
   writes, lists of names), ``starter`` (the file ``orgflow init`` writes);
2. model: ``units``, ``policy``, ``model`` (the file format), ``diagnostics``, ``source``
   (positions in the file), ``graph`` (topological order, cycles, networkx views), ``schema``;
3. loader: ``loader``, ``references``, ``route_checks`` (YAML -> Org plus diagnostics);
4. office: ``office``, ``assign``, ``routing`` (the resolved office; random routes);
5. analysis: ``analysis.*`` (pure functions of an Office, the lint pass among them);
6. simulate, propose, check, mine: ``simulate.*``, ``propose.*``, ``check.*``, ``mine.*``;
7. render: ``render.*``, ``diagram`` (the swimlane layout the renderers draw);
8. cli: ``cli`` and the package's facade ``orgflow`` (``orgflow.load``, ``orgflow.analyze``).

``from orgflow import __version__`` is not a dependency on the facade: the version is a
constant the packaging reads there.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "orgflow"

LAYERS: list[tuple[str, list[str]]] = [
    ("helpers", ["escape", "errors", "gc_pause", "solver", "suggest", "output", "starter"]),
    ("model", ["units", "policy", "model", "diagnostics", "source", "graph", "schema"]),
    ("loader", ["loader", "references", "route_checks"]),
    ("office", ["office", "assign", "routing"]),
    ("analysis", ["analysis"]),
    ("simulate/propose/check/mine", ["simulate", "propose", "check", "mine"]),
    ("render", ["render", "diagram"]),
    ("cli", ["cli", ""]),  # "": the package itself, orgflow/__init__.py
]


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (``orgflow.analysis.summary``)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _typing_only(tree: ast.Module) -> set[int]:
    """The ids of the import nodes under ``if TYPE_CHECKING:``."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return found


def imports(name: str, path: Path, known: dict[str, Path], *, typing: bool = True) -> set[str]:
    """The orgflow modules ``name`` imports, anywhere in its file (``typing=False``: leaving
    out those under ``if TYPE_CHECKING:``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set() if typing else _typing_only(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "orgflow"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "orgflow":
                continue
            for alias in node.names:
                if base == "orgflow" and alias.name == "__version__":
                    continue  # a constant, not the facade
                full = f"{base}.{alias.name}"
                out.add(full if full in known else base)
    return {m for m in out if m != name}


def layer_of(name: str) -> int:
    """The index in :data:`LAYERS` of a module (``orgflow.render.json`` -> render)."""
    rest = name.removeprefix("orgflow").removeprefix(".")
    for index, (_label, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if rest == prefix or (prefix and rest.startswith(prefix + ".")):
                return index
    raise AssertionError(f"{name} is in no layer: add it to LAYERS (and the docstring)")


def graph(*, typing: bool = True) -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known, typing=typing) for name, path in known.items()}


def test_every_module_has_a_layer() -> None:
    for name in modules():
        layer_of(name)


def test_no_layer_imports_a_higher_one() -> None:
    wrong = [
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {dep} ({LAYERS[layer_of(dep)][0]})"
        for name, deps in sorted(graph().items())
        for dep in sorted(deps)
        if layer_of(dep) > layer_of(name)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle() -> None:
    edges = graph(typing=False)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []
    cycles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                cycles.append(" -> ".join([*path[path.index(dep) :], dep]))
            elif dep not in state:
                visit(dep)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(cycles)


def test_the_walk_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    # The walker itself: an import inside a function counts, and so does a relative one.
    pkg = tmp_path / "orgflow"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("def f():\n    from orgflow.cli import app\n")
    (pkg / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nfrom . import a\nfrom orgflow import __version__\n"
        "if TYPE_CHECKING:\n    from orgflow.render import text\n"
    )
    known = {"orgflow.sub.a": pkg / "sub" / "a.py", "orgflow.sub.b": pkg / "sub" / "b.py"}
    assert imports("orgflow.sub.a", pkg / "sub" / "a.py", known) == {"orgflow.cli"}
    b = pkg / "sub" / "b.py"
    assert imports("orgflow.sub.b", b, known) == {"orgflow.sub.a", "orgflow.render"}
    assert imports("orgflow.sub.b", b, known, typing=False) == {"orgflow.sub.a"}
