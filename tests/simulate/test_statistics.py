"""The statistics of a simulation's runs: pooled percentiles per group, one sort for all."""

from __future__ import annotations

import numpy as np
import pytest

from orgflow.simulate.model import RunResult
from orgflow.simulate.runner import _group_estimates, sorted_percentiles


def run_of(leads: list[float], keys: list[int]) -> RunResult:
    n = len(leads)
    return RunResult(
        lead_times=np.asarray(leads, dtype=np.float64),
        route_of=np.asarray(keys, dtype=np.int64),
        customer_of=np.zeros(n, dtype=np.int64),
        number_of=np.arange(n, dtype=np.int64),
        parts_sum=(0.0, 0.0, 0.0, 0.0),
        completed=n,
        open_at_end=0,
        open_at_warmup=0,
        utilization=[],
        mean_queue=[],
        max_queue=[],
        delayed_share=[],
    )


def test_percentiles_by_hand() -> None:
    # Two groups of sorted values side by side: [1, 2, 3, 4, 10] and [5].
    # First group, n = 5: the 50th at index 4 x 0.5 = 2: 3; the 90th at 3.6: between 4 and 10,
    # t = 0.6 >= 0.5, so 10 - 6 x 0.4 = 7.6; the 95th at 3.8: 10 - 6 x 0.2 = 8.8; the 100th: 10.
    # Second group, n = 1: every percentile is its one value, 5.
    values = np.array([1.0, 2.0, 3.0, 4.0, 10.0, 5.0])
    q = sorted_percentiles(values, np.array([0, 5]), np.array([5, 1]))
    assert q[0].tolist() == pytest.approx([3.0, 7.6, 8.8, 10.0], rel=1e-15)
    assert q[1].tolist() == [5.0, 5.0, 5.0, 5.0]


def test_group_estimates_by_hand() -> None:
    # Two runs, route 0 and route 2 (route 1 has no request: no estimate).
    # Route 0: run 1 has 1 and 3 (mean 2), run 2 has 5 (mean 5); the mean of the run means is
    # 3.5; pooled [1, 3, 5]: the 50th is 3, the 90th at 2 x 0.9 = 1.8 is 5 - 2 x 0.2 = 4.6.
    # Route 2: 2 in run 1 only.
    runs = [run_of([1.0, 2.0, 3.0], [0, 2, 0]), run_of([5.0], [0])]
    out = _group_estimates(runs, [r.route_of for r in runs], ["a", "b", "c"])
    assert sorted(out) == ["a", "c"]
    assert out["a"].mean == 3.5
    assert out["a"].count == 3
    assert (out["a"].p50, out["a"].max) == (3.0, 5.0)
    assert out["a"].p90 == pytest.approx(4.6, rel=1e-15)
    assert (out["c"].mean, out["c"].p50, out["c"].count) == (2.0, 2.0, 1)


def test_percentiles_are_numpys_to_the_last_bit() -> None:
    # Random groups of random sizes and scales, ties included: each group's percentiles as
    # numpy.percentile gives them (the reports' figures did not change).
    rng = np.random.default_rng(5)
    for _ in range(50):
        groups = int(rng.integers(1, 30))
        n = int(rng.integers(1, 400))
        keys = rng.integers(0, groups, n)
        leads = np.round(rng.exponential(3.0, n) * rng.choice([1e-3, 1.0, 1e4]), 2)
        half = n // 2
        runs = [run_of(leads[:half].tolist(), keys[:half].tolist()),
                run_of(leads[half:].tolist(), keys[half:].tolist())]  # fmt: skip
        out = _group_estimates(runs, [r.route_of for r in runs], list(range(groups)))
        for g in range(groups):
            pooled = leads[keys == g]
            if not len(pooled):
                assert g not in out
                continue
            want = np.percentile(pooled, [50, 90, 95, 100]).tolist()
            e = out[g]
            assert [e.p50, e.p90, e.p95, e.max] == want
            assert e.count == len(pooled)
