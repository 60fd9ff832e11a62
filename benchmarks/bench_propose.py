"""Benchmark ``orgflow propose``: time and gap to the lower bound on large offices.

Generates offices (benchmarks/generate.py) of 2,000 customers with 40 people and 20,000
customers with 400 people, and times ``propose`` (the analysis before, the balance, backups,
training plan, the new file and the analyses after) in process, with the greedy optimizer
and, on the smaller office, with the exact mixed-integer model in HiGHS as the reference
(the optimum, or HiGHS's bound when it runs out of time). Target: 20,000 customers and
400 people in under 30 s with a gap under 2%.

Usage: ``python benchmarks/bench_propose.py``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

import orgflow  # noqa: E402
from orgflow.analysis.summary import analyze  # noqa: E402
from orgflow.propose.plan import ProposeOptions, propose  # noqa: E402


def main() -> None:
    print(
        f"{'people':>6} {'customers':>9} {'method':>8} {'propose s':>9} {'highest':>8} "
        f"{'bound':>7} {'gap':>7} {'moved':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for people, customers in ((40, 2000), (400, 20000)):
            path = Path(tmp) / f"office-{people}.yaml"
            path.write_text(generate(people, seed=1, customers=customers).text)
            office = orgflow.load(path)
            before = analyze(office)
            start = time.perf_counter()
            result = propose(office, ProposeOptions(method="greedy"), before=before)
            elapsed = time.perf_counter() - start
            print(
                f"{people:>6} {customers:>9} {result.method:>8} {elapsed:>9.2f} "
                f"{result.highest_utilization:>8.3f} {result.lower_bound:>7.3f} "
                f"{result.gap:>7.2%} {result.changed_contacts:>6}"
            )
            if people == 40:
                start = time.perf_counter()
                exact = propose(office, ProposeOptions(method="exact"), before=before)
                elapsed = time.perf_counter() - start
                print(
                    f"{people:>6} {customers:>9} {exact.method:>8} {elapsed:>9.2f} "
                    f"{exact.highest_utilization:>8.3f} {exact.lower_bound:>7.3f} "
                    f"{exact.gap:>7.2%} {exact.changed_contacts:>6}   (HiGHS MIP, 10 s limit)"
                )


if __name__ == "__main__":
    main()
