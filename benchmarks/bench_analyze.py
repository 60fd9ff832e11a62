"""Time ``orgflow.load`` and ``orgflow.analyze`` on generated offices of growing size.

For 100, 1,000 and 10,000 people (ten customers each by default) the script generates an
office with ``benchmarks/generate.py``, then times, each in a fresh worker process so that a
slow size can be stopped by ``--timeout``:

- ``orgflow.load`` (read, parse, validate, check references) and ``orgflow.analyze``;
- the reference: reading the file and a plain ``yaml.load`` with libyaml's ``CSafeLoader``;
- the whole ``orgflow analyze FILE --format json`` command, start-up included, if the
  ``orgflow`` command is installed.

Small sizes take the best of ``--repeat`` runs, 10,000 people and more one run. The target is
10,000 people in under 10 s (load + analyze), growing about linearly: a growth ratio near 10
per 10x people. It also prints the peak resident memory of load + analyze and that peak,
above the interpreter with orgflow imported, per customer (the figure the README quotes). The
script prints figures only; it asserts nothing. Usage::

    python benchmarks/bench_analyze.py
    python benchmarks/bench_analyze.py --sizes 100 1000 --repeat 5
    python benchmarks/bench_analyze.py --sizes 5000 10000 --customers-per-person 100 --no-reference
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import generate

HERE = Path(__file__).resolve().parent
TARGET_PEOPLE = 10_000
TARGET_SECONDS = 10.0
#: Sizes from which one run is enough (and best-of-N would take too long).
ONE_RUN_FROM = 10_000


@dataclass
class Row:
    people: int
    customers: int
    mib: float
    routes: int | None = None
    load: float | None = None
    analyze: float | None = None
    yaml: float | None = None
    cli: float | None = None
    base_mib: float | None = None
    peak_mib: float | None = None
    note: str = ""

    @property
    def kib_per_customer(self) -> float | None:
        """Peak resident memory of load + analyze above the interpreter with orgflow imported,
        per customer."""
        if self.peak_mib is None or self.base_mib is None or not self.customers:
            return None
        return (self.peak_mib - self.base_mib) * 1024 / self.customers

    @property
    def total(self) -> float | None:
        if self.load is None or self.analyze is None:
            return None
        return self.load + self.analyze


def _peak_mib() -> float:
    """Peak resident memory of this process so far (Linux and macOS report it differently)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def worker(path: str, reference: bool = True) -> int:
    """Load, then analyze ``path``, then (unless ``reference`` is off) time the plain YAML
    reference: one JSON line per stage, so that a run stopped by the timeout still reports the
    stages it finished. The peak resident memory is read after analyze, before the reference
    (which needs memory of its own)."""
    import gc

    import yaml

    import orgflow
    import orgflow.analysis.summary
    import orgflow.loader  # imported before the clock starts, as the CLI would

    def report(**figures: float) -> None:
        print(json.dumps(figures), flush=True)

    report(base_mib=_peak_mib())
    start = time.perf_counter()
    office = orgflow.load(path)  # loaded, resolved and linted
    report(load=time.perf_counter() - start)
    start = time.perf_counter()
    result = orgflow.analyze(office)
    report(
        analyze=time.perf_counter() - start,
        routes=len(result.routes),
        overloaded=sum(1 for w in result.warnings if w.code == "overloaded"),
        peak_mib=_peak_mib(),
    )
    if reference:
        del office, result
        gc.collect()
        start = time.perf_counter()
        with open(path, encoding="utf-8") as fh:
            yaml.load(fh.read(), Loader=yaml.CSafeLoader)
        report(yaml=time.perf_counter() - start)
    return 0


def _run_worker(path: Path, timeout: float, reference: bool) -> tuple[dict[str, float], str]:
    """One worker run: the figures of the stages it finished, and why it stopped early."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(path)]
    if not reference:
        command.append("--no-reference")
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        output, problem = done.stdout, ""
        if done.returncode != 0:
            lines = done.stderr.decode(errors="replace").strip().splitlines()
            problem = "failed: " + (lines[-1] if lines else f"exit {done.returncode}")
    except subprocess.TimeoutExpired as exc:
        output, problem = exc.stdout or b"", f"timeout > {timeout:g} s"
    text = output.decode(errors="replace") if isinstance(output, bytes) else output
    figures: dict[str, float] = {}
    for line in text.splitlines():
        figures.update(json.loads(line))
    return figures, problem


def _orgflow_command() -> str | None:
    """The ``orgflow`` command next to this Python, or on PATH, if it runs."""
    candidate = Path(sys.executable).with_name("orgflow")
    command = str(candidate) if candidate.exists() else shutil.which("orgflow")
    if command is None:
        return None
    try:
        done = subprocess.run([command, "--help"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return command if done.returncode == 0 else None


def _time_cli(command: str, path: Path, timeout: float) -> float | str:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [command, "analyze", str(path), "--format", "json"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"timeout > {timeout:g} s"
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        return f"exit {done.returncode}"
    return elapsed


def measure(
    people: int,
    per_person: int,
    seed: int,
    folder: Path,
    repeat: int,
    timeout: float,
    cli: str | None,
    reference: bool = True,
) -> Row:
    """Generate one office and time it; the best of ``repeat`` runs for small sizes."""
    office = generate.generate(people, seed, people * per_person)
    path = folder / f"office-{people}.yaml"
    path.write_text(office.text, encoding="utf-8")
    row = Row(people, office.customers, path.stat().st_size / 2**20)
    runs = 1 if people >= ONE_RUN_FROM else repeat
    notes: list[str] = []
    finished = True
    for _ in range(runs):
        figures, problem = _run_worker(path, timeout, reference)
        row.yaml = _best(row.yaml, figures.get("yaml"))
        row.base_mib = figures.get("base_mib", row.base_mib)
        row.peak_mib = _best(row.peak_mib, figures.get("peak_mib"))
        row.load = _best(row.load, figures.get("load"))
        row.analyze = _best(row.analyze, figures.get("analyze"))
        if "routes" in figures:
            row.routes = int(figures["routes"])
        if figures.get("overloaded"):
            notes.append(f"{int(figures['overloaded'])} overload warning(s)")
        if problem:
            stage = "load" if "load" not in figures else "analyze"
            notes.append(f"{stage}: {problem}")
            finished = False
            break
    if cli is not None and not finished:
        notes.append("CLI not timed: load + analyze did not finish")
    elif cli is not None:
        for _ in range(runs):
            elapsed = _time_cli(cli, path, timeout)
            if isinstance(elapsed, str):
                notes.append(f"CLI {elapsed}")
                break
            row.cli = min(elapsed, row.cli or math.inf)
    row.note = "; ".join(dict.fromkeys(notes))
    return row


def _best(best: float | None, new: float | None) -> float | None:
    if new is None:
        return best
    return new if best is None else min(best, new)


def _cell(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _growth(rows: list[Row], i: int) -> str:
    """Time growth per 10x people from the previous row: 10 is linear, 100 quadratic. From the
    total time, or from the load time alone (marked) when an analysis did not finish."""
    if i == 0:
        return ""
    before, now = rows[i - 1], rows[i]
    decades = math.log10(now.people / before.people)
    if before.total and now.total is not None:
        return f"{(now.total / before.total) ** (1 / decades):.1f}"
    if before.load and now.load is not None:
        return f"{(now.load / before.load) ** (1 / decades):.1f} (load)"
    return "-"


def render(rows: list[Row], cli_available: bool) -> str:
    head = (
        "people",
        "customers",
        "routes",
        "file MiB",
        "load s",
        "analyze s",
        "total s",
        "growth/10x",
        "CLI s",
        "yaml s",
        "load/yaml",
        "peak MiB",
        "KiB/customer",
    )
    lines = [head]
    for i, r in enumerate(rows):
        ratio = r.load / r.yaml if r.load is not None and r.yaml else None
        lines.append(
            (
                f"{r.people:,}",
                f"{r.customers:,}",
                "-" if r.routes is None else f"{r.routes:,}",
                f"{r.mib:.1f}",
                _cell(r.load),
                _cell(r.analyze),
                _cell(r.total),
                _growth(rows, i),
                _cell(r.cli) if cli_available else "n/a",
                _cell(r.yaml),
                "-" if ratio is None else f"{ratio:.1f}x",
                _cell(r.peak_mib, 0),
                _cell(r.kib_per_customer, 1),
            )
        )
    widths = [max(len(line[c]) for line in lines) for c in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        out.append(
            "| " + " | ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)) + " |"
        )
        if n == 0:
            out.append("| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[100, 1_000, 10_000],
        help="numbers of people (default 100 1000 10000)",
    )
    parser.add_argument("--customers-per-person", type=int, default=generate.CUSTOMERS_PER_PERSON)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help=f"runs per size below {ONE_RUN_FROM:,} people; the best counts",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds allowed to one run before it is stopped (default 600)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="write the generated offices here instead of a temporary folder",
    )
    parser.add_argument(
        "--no-reference",
        action="store_true",
        help="skip the plain yaml.load reference and the CLI run (for the largest sizes)",
    )
    parser.add_argument("--worker", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker, reference=not args.no_reference)

    cli = None if args.no_reference else _orgflow_command()
    if cli is None and not args.no_reference:
        print("note: no working `orgflow` command found; the CLI column is skipped.")
    with tempfile.TemporaryDirectory(prefix="orgflow-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows: list[Row] = []
        for people in args.sizes:
            print(f"... {people:,} people", file=sys.stderr, flush=True)
            rows.append(
                measure(
                    people,
                    args.customers_per_person,
                    args.seed,
                    folder,
                    args.repeat,
                    args.timeout,
                    cli,
                    reference=not args.no_reference,
                )
            )
    runs = f"best of {args.repeat} below {ONE_RUN_FROM:,} people, 1 run from {ONE_RUN_FROM:,}"
    print(f"orgflow load + analyze ({runs}; seed {args.seed}; Python {sys.version.split()[0]})")
    print(render(rows, cli is not None))
    for r in rows:
        if r.note:
            print(f"note, {r.people:,} people: {r.note}")
    print("load/yaml: orgflow.load time over reading the file and yaml.load(CSafeLoader).")
    print("growth/10x: total time growth per 10x people (10 = linear, 100 = quadratic).")
    target = next((r for r in rows if r.people == TARGET_PEOPLE), None)
    if target is not None:
        verdict = (
            "not measured (see note)"
            if target.total is None
            else f"{target.total:.1f} s, {'met' if target.total < TARGET_SECONDS else 'missed'}"
        )
        print(f"target: {TARGET_PEOPLE:,} people in under {TARGET_SECONDS:g} s total: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
