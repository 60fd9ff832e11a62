"""The continuation rule and a fork inside a pool's visit (RULES.md 1 and 2), by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest

from orgflow import load_text
from orgflow.simulate import events as engine_module
from orgflow.simulate import flow as flow_module
from orgflow.simulate.engine import RunResult, Simulator
from orgflow.simulate.runner import SimOptions, simulate

START = dt.date(2026, 1, 5)  # a Monday

# The smallest case: ann does a; b goes to bob, backed up by ann.
BACKUP_CONTINUES = """
version: 1
org: {name: backup of the next desk continues, hours_per_day: 8, days_per_week: 5}
people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
processes: [{id: p, steps: [a, b]}]
customers: [{id: c, demand: {p: 24/week}}]
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob, ann]}
"""

# A fork inside a pool's visit: x, then y and z (both after x), all at the pool of a and b.
POOL_FORK = """
version: 1
people: [{id: a, skills: [x, y, z]}, {id: b, skills: [x, y, z]}]
activities: [{id: x, effort: 1h}, {id: y, effort: 1h}, {id: z, effort: 1h}]
processes: [{id: p, steps: [x, y, {activity: z, after: [x]}]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{pool: [a, b]}]
"""


def scripted(
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    times: list[float],
    away: dict[str, list[tuple[float, float]]],
    engine: str,
    horizon: float = 10.0,
) -> RunResult:
    """One run with the arrivals ``times`` instead of random ones and the dated absences
    ``away`` (working hours)."""
    org = load_text(text)

    def chunks(*_args: object) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        yield np.asarray(times, dtype=float), np.zeros(len(times), dtype=np.int64)

    monkeypatch.setattr(engine_module, "arrival_chunks", chunks)
    monkeypatch.setattr(flow_module, "arrival_chunks", chunks)
    dated = [away.get(p.id, []) for p in org.org.people]
    return Simulator(org, dated).run_any(1, 0, horizon, 0.0, engine)


def test_the_next_desks_backup_does_not_continue_while_its_primary_is_present(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Requests at 0 and 0.5 h. ann does a 0-1 and 1-2; b's desk is bob (ann is only his
    # backup), so b goes to bob's queue: 1-2 and 2-3. Lead times 2 and 2.5 h; each busy 2 h of
    # 10. The old rule had ann continue with b (bob idle, lead times 2 and 3.5 h).
    result = scripted(monkeypatch, BACKUP_CONTINUES, [0.0, 0.5], {}, "event")
    assert sorted(result.lead_times.tolist()) == pytest.approx([2.0, 2.5])
    assert result.utilization == pytest.approx([0.2, 0.2])
    # touch 4 h, queueing 0.5 h (the second request waits for ann from 0.5 to 1 h)
    assert result.parts_sum == pytest.approx((4.0, 0.5, 0.0, 0.0))


def test_the_backup_takes_the_next_step_while_its_primary_is_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # bob away from 0 to 5 h: a request at 0 goes ann (a, 0-1), then b's desk: bob is away,
    # ann is the first present backup; it reaches her own queue (a handoff to the desk, not a
    # continuation) and she does it at once, 1-2: lead time 2 h, no wait.
    result = scripted(monkeypatch, BACKUP_CONTINUES, [0.0], {"bob": [(0.0, 5.0)]}, "event")
    assert result.lead_times.tolist() == pytest.approx([2.0])
    assert result.utilization == pytest.approx([0.2, 0.0])


def test_the_flow_engine_leaves_work_that_may_come_back_to_events() -> None:
    # When bob is away, b comes back to ann's queue: not one-way.
    org = load_text(BACKUP_CONTINUES)
    assert Simulator(org).plan is None


def test_backup_of_the_next_desk_closed_form() -> None:
    # ann is an M/D/1 queue: lambda = 24/week / 40 h = 0.6/h, S = 1 h, rho = 0.6;
    # Pollaczek-Khinchine: W = S + lambda S^2 / (2 (1 - rho)) = 1 + 0.6 / 0.8 = 1.75 h.
    # Her departures are at least 1 h apart and bob's work is 1 h: bob never waits, 1 h.
    # Lead time 1.75 + 1 = 2.75 h (the 2.74 h is a simulated estimate of it);
    # each person busy 60% of the time.
    org = load_text(BACKUP_CONTINUES)
    result = simulate(org, SimOptions(weeks=1000, warmup=10, runs=4, seed=1, start=START))
    e = result.lead_time
    assert abs(e.mean - 2.75) <= max(e.ci95, 0.01), (e.mean, e.ci95)
    assert e.ci95 < 0.05
    assert [p.utilization for p in result.people] == pytest.approx([0.6, 0.6], abs=0.01)


def test_a_fork_in_a_pools_visit_gives_the_other_branch_to_the_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One request at 0: a takes x (0-1), continues with y (1-2); z joins the pool's queue at
    # 1 h and b, free, takes it at once (1-2). Lead time 2 h: touch 2, no wait.
    for engine in ("event", "flow"):
        result = scripted(monkeypatch, POOL_FORK, [0.0], {}, engine)
        assert result.lead_times.tolist() == pytest.approx([2.0]), engine
        assert result.parts_sum == pytest.approx((2.0, 0.0, 0.0, 0.0)), engine
        assert result.utilization == pytest.approx([0.2, 0.1]), engine


def test_a_fork_in_a_pools_visit_queues_fifo_with_the_pools_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Requests at 0 and 0.1 h. a: x of the first 0-1, continues with its y 1-2; its z joins the
    # pool's queue at 1. b: x of the second 0.1-1.1, its y 1.1-2.1; its z joins at 1.1.
    # a is free first (2 h) and takes the oldest, the first's z (2-3); b takes the second's z
    # at 2.1 (2.1-3.1). Lead times 3 and 3 h; on each critical path (x, z): touch 2, queue 1.
    for engine in ("event", "flow"):
        result = scripted(monkeypatch, POOL_FORK, [0.0, 0.1], {}, engine)
        assert sorted(result.lead_times.tolist()) == pytest.approx([3.0, 3.0]), engine
        assert result.parts_sum == pytest.approx((4.0, 2.0, 0.0, 0.0)), engine
        assert result.utilization == pytest.approx([0.3, 0.3]), engine
        # Two items waited in the pool's queue, 1 h each, over the 10 h run: 0.2 each; both
        # at once from 1.1 h to 2 h.
        assert result.mean_queue == pytest.approx([0.2, 0.2]), engine
        assert result.max_queue == [2, 2], engine


def test_both_engines_agree_on_continuation_at_one_desk(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both steps at the desk of ann backed up by bob; ann away from 0 to 3 h. A request at 0
    # goes to bob (a 0-1); b is at the same desk and bob owns it: he continues (1-2), lead
    # time 2 h. A request at 3.5 goes to ann: 3.5-5.5, lead time 2 h. ann busy 2 h of her 7 h
    # present, bob 2 h of 10. Both engines give the same.
    text = BACKUP_CONTINUES.replace(
        "  - {activity: a, people: [ann]}\n  - {activity: b, people: [bob, ann]}",
        "  - {activity: [a, b], people: [ann, bob]}",
    )
    for engine in ("event", "flow"):
        result = scripted(monkeypatch, text, [0.0, 3.5], {"ann": [(0.0, 3.0)]}, engine)
        assert sorted(result.lead_times.tolist()) == pytest.approx([2.0, 2.0]), engine
        assert result.utilization == pytest.approx([2 / 7, 0.2]), engine
