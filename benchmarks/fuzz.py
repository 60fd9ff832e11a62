"""The fuzz test of ``tests/test_fuzz.py`` with a large budget, for a nightly-style run.

The same two properties (structure-aware org files and text mutations of the samples and the
valid test files) run with ``--examples`` examples in all, split in the CI test's proportion,
from ``--seed`` (a different seed explores different files; the CI test is derandomized). Each
input must either be refused with clean diagnostics whose line is inside the file, or load into
an org whose analysis has no NaN and whose JSON and Markdown reports are finite and escaped.
The first failure is shrunk by Hypothesis and printed, and the script exits 1. Usage::

    python benchmarks/fuzz.py --examples 100000 --seed 7
    python benchmarks/fuzz.py --examples 5000
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import test_fuzz  # noqa: E402  (the strategies and the property live beside the CI test)
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402


def _fuzz(kind: str, budget: int, seed_value: int, outcomes: Counter[tuple[str, str]]) -> bool:
    """Run one property ``budget`` times; ``False`` when it failed (Hypothesis prints the
    shrunk input)."""
    strategy = (
        test_fuzz.orgs().map(test_fuzz.to_yaml) if kind == "structured" else test_fuzz.mutated()
    )

    @seed(seed_value)
    @settings(
        max_examples=budget, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def prop(text: str) -> None:
        outcomes[(kind, test_fuzz.check_text(text))] += 1

    try:
        prop()
    except Exception as exc:
        print(f"{kind}: FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return False
    return True


def run(examples: int, seed_value: int) -> int:
    share = test_fuzz.STRUCTURED_EXAMPLES / (
        test_fuzz.STRUCTURED_EXAMPLES + test_fuzz.MUTATED_EXAMPLES
    )
    budgets = {"structured": round(examples * share)}
    budgets["mutated"] = examples - budgets["structured"]
    outcomes: Counter[tuple[str, str]] = Counter()
    failed = False
    for kind, budget in budgets.items():
        start = time.perf_counter()
        failed |= not _fuzz(kind, budget, seed_value, outcomes)
        seconds = time.perf_counter() - start
        loaded = outcomes[(kind, "loaded")]
        refused = outcomes[(kind, "refused")]
        print(
            f"{kind:<10} {budget:>8,} examples  {loaded:>8,} loaded  {refused:>8,} refused  "
            f"{seconds:8.1f} s  {1000 * seconds / max(budget, 1):6.1f} ms/example"
        )
    print("result: " + ("FAILED (see above)" if failed else "no failure"))
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100_000, help="examples in all")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator")
    args = parser.parse_args()
    sys.exit(run(args.examples, args.seed))


if __name__ == "__main__":
    main()
