"""Time ``orgflow check`` on a repository of many org files, and show where one file's time goes.

The script writes ``--files`` org files (1,000 by default) into a temporary folder, each a
copy of ``samples/large-office.yaml`` (40 people, 200 customers) with its own office name and
slightly different demand rates, plus a policy file that switches on every rule. Then it:

- times ``orgflow check DIR --policy P --format json`` as one subprocess, start-up included,
  and reports files per second and total seconds against the target of 1,000 files in under
  a minute;
- times one file in-process, split into load (read, parse, validate), analyze and the policy
  rules, best of ``--repeat`` runs after a warm-up;
- profiles one file's ``check_file`` with cProfile and prints the top lines by cumulative time.

It prints figures only; it asserts nothing. Usage::

    python benchmarks/bench_check.py
    python benchmarks/bench_check.py --files 200 --repeat 5 --top 15
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "samples" / "large-office.yaml"
TARGET_FILES = 1_000
TARGET_SECONDS = 60.0

#: Every rule on, with limits the 40-person sample partly breaks, so findings are reported.
POLICY = """\
max_handoffs: 4
min_bus_factor: 2
max_lead_time: 5d
max_utilization: 0.85
max_contacts_per_customer: {limit: 2, level: warning}
max_blocked_share: 0.2
min_truck_factor: 2
"""

_NAME = re.compile(r"^  name: .*$", re.MULTILINE)
_RATE = re.compile(r"(\d+(?:\.\d+)?)/(week|month)")


def _variant(text: str, index: int) -> str:
    """The sample under another office name, with every demand rate scaled by 0.9 to 1.09."""
    text = _NAME.sub(f"  name: Benchmark office {index:04d}", text, count=1)
    factor = 0.9 + (index % 20) / 100

    def scale(match: re.Match[str]) -> str:
        return f"{float(match.group(1)) * factor:.3g}/{match.group(2)}"

    return _RATE.sub(scale, text)


def generate(folder: Path, count: int) -> tuple[Path, Path]:
    """``count`` org files under ``folder/orgs`` and the policy ``folder/policy.yml``."""
    text = SAMPLE.read_text(encoding="utf-8")
    orgs = folder / "orgs"
    orgs.mkdir(parents=True)
    for i in range(count):
        (orgs / f"office-{i:04d}.yaml").write_text(_variant(text, i), encoding="utf-8")
    policy = folder / "policy.yml"
    policy.write_text(POLICY, encoding="utf-8")
    return orgs, policy


def _orgflow_command() -> list[str]:
    """The ``orgflow`` command next to this Python, or on PATH, else the module through it."""
    candidate = Path(sys.executable).with_name("orgflow")
    found = str(candidate) if candidate.exists() else shutil.which("orgflow")
    if found:
        return [found]
    return [sys.executable, "-c", "from orgflow.cli import main; main()"]


def time_cli(orgs: Path, policy: Path, timeout: float) -> None:
    command = [*_orgflow_command(), "check", str(orgs), "--policy", str(policy), "-f", "json"]
    print(f"$ orgflow check {orgs} --policy {policy.name} --format json")
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        print(f"  stopped after {timeout:.0f} s (--timeout): over the target")
        return
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        print(f"  exit {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
        return
    doc = json.loads(done.stdout)
    summary = doc["summary"]
    files = summary["files"]
    analyzed = sum(1 for f in doc["files"] if f["analyzed"])
    print(
        f"  exit {done.returncode}; {files} files ({analyzed} analyzed), "
        f"{summary['errors']} errors, {summary['warnings']} warnings, "
        f"{len(done.stdout) / 2**20:.1f} MiB of JSON"
    )
    rate = files / seconds
    print(f"  total {seconds:.1f} s, {rate:.1f} files/s, {1000 * seconds / files:.0f} ms per file")
    projected = TARGET_FILES / rate
    verdict = "meets" if projected < TARGET_SECONDS else "misses"
    print(
        f"  target {TARGET_FILES:,} files in under {TARGET_SECONDS:.0f} s: "
        f"{projected:.1f} s for {TARGET_FILES:,} at this rate ({verdict} it)"
    )


def _best(repeat: int, fn: Callable[[], T]) -> tuple[float, T]:
    """The best time of ``repeat`` calls, and the last call's value."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def time_one_file(path: Path, policy_path: Path, repeat: int, top: int) -> None:
    start = time.perf_counter()
    from orgflow import load
    from orgflow.analysis.summary import analyze
    from orgflow.check.rules import policy_findings
    from orgflow.check.runner import check_file, load_policy
    from orgflow.policy import Policy

    print(f"\nOne file in-process ({path.name}); imports took {time.perf_counter() - start:.2f} s")
    override = load_policy(policy_path)
    start = time.perf_counter()
    check_file(path, override)  # the first run pays for lazy imports and caches
    print(f"  first check_file: {time.perf_counter() - start:.3f} s")

    t_load, office = _best(repeat, lambda: load(path))  # loaded, resolved and linted
    policy = (office.org.policy or Policy()).merged(override)  # as check_file does
    t_analyze, analysis = _best(repeat, lambda: analyze(office))
    t_rules, findings = _best(repeat, lambda: policy_findings(office, analysis, policy))
    t_check, _ = _best(repeat, lambda: check_file(path, override))
    total = t_load + t_analyze + t_rules
    print(f"  best of {repeat}:")
    for label, seconds in (("load", t_load), ("analyze", t_analyze), ("rules", t_rules)):
        print(f"    {label:<8} {1000 * seconds:8.1f} ms  {seconds / total:5.0%}")
    print(f"    {'sum':<8} {1000 * total:8.1f} ms ({len(findings)} policy findings)")
    print(f"    check_file as a whole: {1000 * t_check:.1f} ms")

    profile = cProfile.Profile()
    profile.enable()
    check_file(path, override)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    print(f"\ncProfile of one check_file, top {top} by cumulative time:")
    # Drop pstats' header lines down to the table.
    text = out.getvalue()
    print(text[text.index("   ncalls") :].rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=TARGET_FILES, help="org files to write")
    parser.add_argument("--repeat", type=int, default=5, help="in-process runs (best of)")
    parser.add_argument("--top", type=int, default=10, help="profile lines to print")
    parser.add_argument("--timeout", type=float, default=600.0, help="limit for the CLI run")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="orgflow-bench-check-"))
    try:
        start = time.perf_counter()
        orgs, policy = generate(folder, args.files)
        size = sum(p.stat().st_size for p in orgs.iterdir()) / 2**20
        print(
            f"Wrote {args.files:,} org files ({size:.1f} MiB, 40 people and 200 customers "
            f"each) in {time.perf_counter() - start:.1f} s"
        )
        time_cli(orgs, policy, args.timeout)
        time_one_file(orgs / "office-0000.yaml", policy, args.repeat, args.top)
    finally:
        if args.keep:
            print(f"\nkept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
