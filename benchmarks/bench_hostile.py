"""Time and peak memory of ``orgflow.load`` + ``orgflow.analyze`` on hostile org files.

The script writes each file of issue 11's fuzzing campaign (and a few more) into a temporary
folder, then loads and analyzes it in a fresh worker process and prints, per file, what
orgflow did (loaded, or refused with which code and at which line), the wall time and the peak
resident memory of the worker. The reference is the budget in the same table: every hostile
file must be handled in under ``BUDGET_SECONDS`` and ``BUDGET_MIB``, except the two files at the
loader's limits, which get their own (``LIMIT_BUDGETS``): a legal office of 100,000 customers,
and 5.1 million scalars, just over the node limit, which are composed before they are refused.
It prints figures and asserts nothing. Usage::

    python benchmarks/bench_hostile.py
    python benchmarks/bench_hostile.py --only alias-bomb unknown-refs-20000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUDGET_SECONDS = 5.0
BUDGET_MIB = 300.0
#: The large legal office: 100,000 customers (8.5 MiB) is loaded and analyzed.
LARGE_CUSTOMERS = 100_000
#: Seconds and MiB for the two files at the loader's limits (the README quotes the latest run).
LIMIT_BUDGETS = {"large-office": (30.0, 600.0), "many-nodes": (20.0, 1000.0)}

TAIL = """\
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [a]}
customers:
  - {id: c, demand: {p: 1/week}}
assignments:
  - {people: [ann]}
"""


def _office(person: str = "{id: ann, skills: [a]}", org: str = "", version: str = "1") -> str:
    head = f"version: {version}\n" + (f"org: {org}\n" if org else "")
    return head + f"people:\n  - {person}\n" + TAIL


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n"


def deep_nesting() -> str:
    return "version: 1\npeople: " + "[" * 10_000 + "]" * 10_000 + "\n"


def unknown_refs(n: int) -> Callable[[], str]:
    def make() -> str:
        people = "".join(f"  - {{id: person{i}, skills: [a]}}\n" for i in range(n))
        rules = "".join(f"  - {{customers: [c], people: [persn{i}x]}}\n" for i in range(n))
        return (
            "version: 1\npeople:\n"
            + people
            + TAIL.split("assignments:")[0]
            + "assignments:\n"
            + rules
        )

    return make


def huge_id() -> str:
    return _office(person="{id: " + "a" * 2**20 + ", skills: [a]}")


def forged_line() -> str:
    return _office(
        person='{id: ann, "x\\nforged.yaml:1:1: error: injected line [schema]": 1, skills: [a]}'
    )


def terminal_escapes() -> str:
    return _office(org='{name: "\\e]0;pwned\\a\\e[2J"}')


def utf16_without_bom() -> bytes:
    return _office().encode("utf-16-le")


def version_5000_digits() -> str:
    return _office(version="1" * 5000)


def extreme_numbers() -> str:
    return _office(person="{id: ann, skills: [a], availability: 5e-324, capacity: 0.1h/week}")


def tiny_absence_spell() -> str:
    return _office(org="{absence_spell: 0.000001m}")


def huge_demand() -> str:
    return _office().replace("1/week", "100000000/week")


def many_nodes() -> str:
    # 5.1 million scalars in one flow list, without any alias: the node limit, named as such.
    return "version: 1\npeople: [" + ",".join(["a"] * 5_100_000) + "]\n"


def too_large() -> str:
    return "# " + "x" * (64 * 2**20) + "\n"


def large_office() -> str:
    sys.path.insert(0, str(HERE))
    import generate

    return str(generate.generate(1000, 1, LARGE_CUSTOMERS).text)


FILES: dict[str, tuple[str, Callable[[], str | bytes]]] = {
    "alias-bomb": ("nine levels of nine aliases (billion laughs)", alias_bomb),
    "deep-nesting": ("10,000 nested lists", deep_nesting),
    "unknown-refs-5000": ("5,000 unknown people in rules (247 KiB)", unknown_refs(5000)),
    "unknown-refs-20000": ("20,000 unknown people in rules", unknown_refs(20000)),
    "huge-id": ("an id of 1 MiB", huge_id),
    "forged-line": ("a quoted key that writes a diagnostic line", forged_line),
    "terminal-escapes": ("an office name with OSC and clear-screen escapes", terminal_escapes),
    "utf16-no-bom": ("UTF-16 without a byte-order mark", utf16_without_bom),
    "version-5000-digits": ("a version of 5,000 digits", version_5000_digits),
    "extreme-numbers": ("availability 5e-324 with capacity 0.1h/week", extreme_numbers),
    "tiny-absence-spell": ("absence_spell: 0.000001m", tiny_absence_spell),
    "huge-demand": ("a demand of 100000000/week", huge_demand),
    "many-nodes": ("5.1 million scalars, no alias", many_nodes),
    "too-large": ("a 64 MiB comment", too_large),
    "large-office": (f"a legal office of {LARGE_CUSTOMERS:,} customers", large_office),
}


def worker(path: str) -> int:
    """Load and analyze ``path``; print one JSON line: the outcome, seconds and peak MiB."""
    import resource

    import orgflow
    import orgflow.analysis.summary
    from orgflow.diagnostics import OrgFileError

    start = time.perf_counter()
    try:
        office = orgflow.load(path)
        analysis = orgflow.analyze(office)
        outcome = f"loaded, {len(analysis.routes)} route(s)"
    except OrgFileError as exc:
        first = exc.diagnostics[0]
        errors = sum(1 for d in exc.diagnostics if d.level == "error")
        outcome = f"refused: {first.code} at {first.line}:{first.column} ({errors} error(s))"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mib = peak / 2**20 if sys.platform == "darwin" else peak / 1024
    print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mib": peak_mib}))
    return 0


def run(name: str, folder: Path, timeout: float) -> tuple[str, str, str, str, str]:
    what, make = FILES[name]
    content = make()
    path = folder / f"{name}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return name, what, f"TIMEOUT > {timeout:g} s", "-", "-"
    if done.returncode != 0:
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        return name, what, f"CRASH: {last[0] if last else done.returncode}", "-", "-"
    figures = json.loads(done.stdout.decode().strip().splitlines()[-1])
    seconds, mib = figures["seconds"], figures["peak_mib"]
    budget_seconds, budget_mib = LIMIT_BUDGETS.get(name, (BUDGET_SECONDS, BUDGET_MIB))
    ok = seconds <= budget_seconds and mib <= budget_mib
    return (
        name,
        what,
        figures["outcome"],
        f"{seconds:.2f}",
        f"{mib:.0f}" + ("" if ok else " OVER BUDGET"),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(FILES), help="run these files only")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per file")
    parser.add_argument("--worker", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker)
    rows = [("file", "what it is", "what orgflow did", "load + analyze s", "peak MiB")]
    with tempfile.TemporaryDirectory(prefix="orgflow-hostile-") as tmp:
        for name in args.only or list(FILES):
            print(f"... {name}", file=sys.stderr, flush=True)
            rows.append(run(name, Path(tmp), args.timeout))
    limits = ", ".join(f"{n} {s:g} s and {m:g} MiB" for n, (s, m) in LIMIT_BUDGETS.items())
    print(
        f"Hostile files: budget {BUDGET_SECONDS:g} s and {BUDGET_MIB:g} MiB each ({limits}); "
        f"peak resident memory of the worker process (Python {sys.version.split()[0]})"
    )
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            print("| " + " | ".join("-" * w for w in widths) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
