"""The flow engine: which offices it takes, and that its windows change nothing."""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np

from orgflow import OrgFileError, load, load_text
from orgflow.model import Org
from orgflow.simulate.engine import RunResult, Simulator
from orgflow.simulate.flow import FlowRun, run_flow
from orgflow.simulate.streams import arrivals

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# Backups (a then b, e then f), a pool (c, d) with a part-timer, a fork and a join, two steps
# done in one visit (x then y, w then v), handoff delays, random and dated absences; fixed
# efforts.
MIXED = """
version: 1
org: {name: mixed, handoff_delay: 1h, absence_spell: 2d}
people:
  - {id: a, skills: [x, y], availability: 0.9, absences: [{from: 2026-02-02, to: 2026-02-13}]}
  - {id: b, skills: [x], availability: 0.85}
  - {id: c, skills: [z], availability: 0.9}
  - {id: d, skills: [z], availability: 0.8, capacity: 30h/week}
  - {id: e, skills: [w, v], availability: 0.95}
  - {id: f, skills: [w, v], availability: 0.9}
  - {id: g, skills: [u], availability: 0.9}
activities:
  - {id: x, effort: 1h}
  - {id: y, effort: 30m}
  - {id: z, effort: 1.5h}
  - {id: w, effort: 1h}
  - {id: v, effort: 20m}
  - {id: u, effort: 2h}
processes:
  - id: p
    steps: [x, y, {activity: z, after: [y]}, {activity: w, after: [y]},
            {activity: v, after: [w]}, {activity: u, after: [z, v]}]
  - {id: q, steps: [x, z]}
customers:
  - {id: c1, demand: {p: 12/week, q: 5/week}}
  - {id: c2, demand: {p: 3/week}}
assignments:
  - {activity: [x, y], people: [a, b]}
  - {activity: z, pool: [c, d]}
  - {activity: [w, v], people: [e, f]}
  - {activity: u, people: [g]}
"""


def simulator(org: Org, dated: bool = True) -> Simulator:
    # Dated absences in working hours from the start: the first person is away in weeks 5-6.
    away = [[(4 * 40.0, 6 * 40.0)] if dated and i == 0 else [] for i in range(len(org.org.people))]
    return Simulator(org, away)


def in_windows(
    sim: Simulator, size: int | None, horizon: float, warmup: float
) -> tuple[RunResult, int]:
    """Run with windows of ``size`` arrivals (``None``: one window for the whole run); also
    the most requests kept in flight after any window."""
    assert sim.plan is not None
    state = FlowRun(sim, sim.plan, 7, 0, horizon, warmup)
    times, choice = arrivals(7, 0, sim.total_rate, sim.cum, horizon)
    step = size or len(times)
    kept = 0
    for lo in range(0, len(times), step):
        hi = min(lo + step, len(times))
        state.admit(times[lo:hi], choice[lo:hi])
        state.serve(float(times[hi - 1]) if hi < len(times) else math.inf)
        state.complete()
        kept = max(kept, sum(len(live.arrive) for live in state.live))
    return state.result(), kept


def test_the_flow_engine_takes_one_way_offices_only() -> None:
    assert simulator(load_text(MIXED)).plan is not None
    serial = load(SAMPLES / "serial.yaml")
    assert Simulator(serial).plan is not None
    # A person A to Z with a specialist desk in the middle gets the request back.
    by_customer = load(SAMPLES / "parallel-by-customer.yaml")
    assert Simulator(by_customer).plan is None


def test_windows_change_nothing() -> None:
    sim = simulator(load_text(MIXED))
    horizon, warmup = 60 * 40.0, 4 * 40.0
    whole, _ = in_windows(sim, None, horizon, warmup)
    assert whole.completed > 1000
    for size in (1, 37, 500):
        windowed, _ = in_windows(sim, size, horizon, warmup)
        for route in range(len(sim.routes)):
            assert np.array_equal(
                np.sort(whole.lead_times[whole.route_of == route]),
                np.sort(windowed.lead_times[windowed.route_of == route]),
            )
        assert windowed.completed == whole.completed
        assert windowed.open_at_end == whole.open_at_end
        assert windowed.open_at_warmup == whole.open_at_warmup
        assert windowed.max_queue == whole.max_queue
        assert np.allclose(windowed.parts_sum, whole.parts_sum)
        assert np.allclose(windowed.utilization, whole.utilization)
        assert np.allclose(windowed.mean_queue, whole.mean_queue)
        assert windowed.delayed_share == whole.delayed_share


def test_run_flow_is_one_window_per_chunk_of_arrivals() -> None:
    sim = simulator(load_text(MIXED))
    assert sim.plan is not None
    horizon = 60 * 40.0
    direct = run_flow(sim, sim.plan, 7, 0, horizon, 0.0)
    driven, _ = in_windows(sim, 8192, horizon, 0.0)  # streams.CHUNK arrivals a window
    assert direct.max_queue == driven.max_queue
    assert np.array_equal(np.sort(direct.lead_times), np.sort(driven.lead_times))


def test_only_requests_in_flight_are_kept() -> None:
    one_desk = load_text("""
version: 1
people: [{id: a, skills: [x]}]
activities: [{id: x, effort: {dist: exponential, mean: 1h}}]
processes: [{id: p, steps: [x]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{people: [a]}]
""")
    # One desk: every item that reaches it before the window's last arrival is served in the
    # window, so only that last arrival (ready exactly at the cut) is carried over.
    _, kept = in_windows(simulator(one_desk, dated=False), 100, 1000 * 40.0, 0.0)
    assert kept == 1
    # Three M/M/1 desks at rho = 0.5 (Jackson): the requests in the office at any time are a
    # sum of three geometric counts, P(N = n) = 0.5^(n+1); 40 or more at a cut has a chance
    # of about C(41, 2) * 0.5^40 = 7e-10: a run of 20,000 requests keeps a few dozen at most.
    tandem = load_text("""
version: 1
people: [{id: a, skills: [x]}, {id: b, skills: [y]}, {id: c, skills: [z]}]
activities: [{id: x, effort: {dist: exponential, mean: 1h}},
             {id: y, effort: {dist: exponential, mean: 1h}},
             {id: z, effort: {dist: exponential, mean: 1h}}]
processes: [{id: p, steps: [x, y, z]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{activity: x, people: [a]}, {activity: y, people: [b]}, {activity: z, people: [c]}]
""")
    result, kept = in_windows(simulator(tandem, dated=False), 100, 1000 * 40.0, 0.0)
    assert result.completed > 19_000
    assert kept < 40


def test_a_fork_inside_a_pool_visit_runs_on_both_engines() -> None:
    # The other branch joins the pool's queue when x ends (README rule 2): the flow engine
    # serves the pool from a heap that grows as branches fork, and agrees with events.
    org = load_text("""
version: 1
org: {absence_spell: 1d}
people: [{id: a, skills: [x, y, z], availability: 0.9}, {id: b, skills: [x, y, z]}]
activities: [{id: x, effort: {dist: exponential, mean: 1h}}, {id: y, effort: 50m},
             {id: z, effort: {dist: exponential, mean: 40m}}]
processes: [{id: p, steps: [x, y, {activity: z, after: [x]}]}]
customers: [{id: c, demand: {p: 30/week}}]
assignments: [{pool: [a, b]}]
""")
    sim = Simulator(org)
    assert sim.plan is not None
    event = sim.run_any(3, 0, 2000.0, 100.0, "event")
    flow = sim.run_any(3, 0, 2000.0, 100.0, "flow")
    assert event.completed > 1000
    assert np.allclose(np.sort(event.lead_times), np.sort(flow.lead_times), atol=1e-7)
    for name in ("completed", "open_at_end", "max_queue"):
        assert getattr(event, name) == getattr(flow, name), name
    for name in ("parts_sum", "utilization", "mean_queue", "delayed_share"):
        assert np.allclose(getattr(event, name), getattr(flow, name), atol=1e-7), name


def random_office(
    r: random.Random, pools: float = 0.35
) -> tuple[str, dict[str, list[tuple[float, float]]]]:
    """A random office with backups, pools (``pools``: the chance that a desk of two or more is
    one), forks and joins, part-timers, random and dated absences, and efforts fixed or
    exponential: both engines draw each request's efforts at its arrival from the same stream,
    so they do the same work. Fixed efforts are not round numbers, so that two people never
    finish at the very same time (which of them takes the next item would then hang on the
    last bit of a float)."""
    people = [f"p{i}" for i in range(r.randint(2, 8))]
    r.shuffle(people)
    desks: list[tuple[list[str], bool]] = []
    while sum(len(d) for d, _ in desks) < len(people):
        taken = sum(len(d) for d, _ in desks)
        group = people[taken : taken + r.choice([1, 1, 2, 2, 3] if pools < 0.5 else [2, 2, 3])]
        desks.append((group, len(group) > 1 and r.random() < pools))
    acts = [f"a{j}" for j in range(r.randint(2, 7))]
    desk_of = {a: r.randrange(len(desks)) for a in acts}
    skills = {p: [a for a in acts if p in desks[desk_of[a]][0]] or ["zz"] for p in people}
    lines = [
        "version: 1",
        f"org: {{handoff_delay: {r.choice(['0h', '1h', '25m'])}, "
        f"absence_spell: {r.choice(['1d', '2d', '4h'])}}}",
        "people:",
    ]
    for p in sorted(people):
        extra = r.choice(["", "", ", capacity: 30h/week"])
        availability = r.choice([1.0, 0.95, 0.9, 0.8])
        lines.append(
            f"  - {{id: {p}, skills: [{', '.join(skills[p])}], "
            f"availability: {availability}{extra}}}"
        )
    lines.append("activities:")
    for a in acts:
        mean = f"{r.uniform(5, 120):.5f}m"
        effort = r.choice([mean, mean, f"{{dist: exponential, mean: {mean}}}"])
        lines.append(f"  - {{id: {a}, effort: {effort}}}")
    lines += ["  - {id: zz, effort: 1h}", "processes:"]
    processes = r.randint(1, 3)
    for q in range(processes):
        chosen = r.sample(acts, r.randint(1, min(5, len(acts))))
        steps = []
        for i, a in enumerate(chosen):
            after: list[str] = []
            if i:
                c = r.random()
                if c < 0.5:
                    after = [chosen[i - 1]]
                elif c < 0.9:
                    after = r.sample(chosen[:i], r.randint(1, min(3, i)))
            steps.append(f"{{activity: {a}, after: [{', '.join(after)}]}}")
        lines.append(f"  - {{id: q{q}, steps: [{', '.join(steps)}]}}")
    demand = ", ".join(f"q{q}: {r.choice([2, 5, 10, 20, 30])}/week" for q in range(processes))
    lines += ["customers:", f"  - {{id: c1, demand: {{{demand}}}}}", "assignments:"]
    for d, (group, pool) in enumerate(desks):
        here = [a for a in acts if desk_of[a] == d]
        if here:
            kind = "pool" if pool else "people"
            lines.append(f"  - {{activity: [{', '.join(here)}], {kind}: [{', '.join(group)}]}}")
    dated = {}
    for p in people:
        if r.random() < 0.4:
            start = r.uniform(0, 300)
            dated[p] = [(start, start + r.uniform(1, 60))]
    return "\n".join(lines), dated


def compare_engines(case: int, r: random.Random, text: str, sim: Simulator) -> None:
    """Every figure of one run on both engines (up to rounding)."""
    horizon, warmup = r.choice([(400.0, 40.0), (800.0, 100.0), (200.0, 0.0)])
    event = sim.run_any(case, 0, horizon, warmup, "event")
    flow = sim.run_any(case, 0, horizon, warmup, "flow")
    for route in range(len(sim.routes)):
        assert np.allclose(
            np.sort(event.lead_times[event.route_of == route]),
            np.sort(flow.lead_times[flow.route_of == route]),
            atol=1e-7,
        ), (case, text)
    for name in ("completed", "open_at_end", "open_at_warmup", "max_queue"):
        assert getattr(event, name) == getattr(flow, name), (case, name, text)
    for name in ("parts_sum", "utilization", "mean_queue", "delayed_share"):
        assert np.allclose(getattr(event, name), getattr(flow, name), atol=1e-7), (
            case,
            name,
            text,
        )


def test_both_engines_agree_on_random_offices() -> None:
    # Two independent implementations of the same rules: an event loop and the desk-by-desk
    # recursion. They see the same work (efforts drawn at arrival from the same stream),
    # arrivals and absences, so every figure must agree (up to rounding).
    compared = 0
    for case in range(200):
        r = random.Random(case)
        text, dated = random_office(r)
        try:
            org = load_text(text)
        except OrgFileError:
            continue  # e.g. an activity nobody is assigned to
        sim = Simulator(org, [dated.get(p.id, []) for p in org.org.people])
        if sim.plan is None:
            continue
        compare_engines(case, r, text, sim)
        compared += 1
    assert compared >= 100


def test_both_engines_agree_on_pools_where_requests_fork() -> None:
    # Offices of pools, where a request's branches fork inside a pool's visit (README rule 2).
    compared = 0
    for case in range(1000):
        r = random.Random(case)
        text, dated = random_office(r, pools=0.9)
        try:
            org = load_text(text)
        except OrgFileError:
            continue
        sim = Simulator(org, [dated.get(p.id, []) for p in org.org.people])
        if sim.plan is None or not sim.plan.forked_pools:
            continue
        compare_engines(case, r, text, sim)
        compared += 1
        if compared == 20:
            break
    assert compared == 20


def test_both_engines_agree_with_a_rules_effort_and_demand_by_month() -> None:
    # Issue 13's additions that keep a route plain change only the drawn efforts (a rule's
    # effort) and the arrival times (demand_by_month), which both engines share.
    import datetime as dt

    from orgflow.simulate.runner import demand_profile

    text = """
version: 1
org: {name: seasonal, handoff_delay: 30m,
      demand_by_month: {jan: 2.0, feb: 1.4, mar: 1, apr: 1, may: 1, jun: 1, jul: 1, aug: 0.6,
                        sep: 1, oct: 0.6, nov: 0.8, dec: 0.6}}
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [b], availability: 0.9}
activities:
  - {id: a, effort: {dist: exponential, mean: 1h}}
  - {id: b, effort: {mean: 2h, cv: 0.5}}
processes: [{id: p, steps: [a, b]}]
customers: [{id: c, demand: {p: 12/week}}]
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob], effort: {mean: 30m, cv: 0.5}}
"""
    org = load_text(text)
    sim = Simulator(org, None, demand_profile(org.org, dt.date(2026, 1, 5), 800.0))
    assert sim.plan is not None
    compare_engines(4, random.Random(4), text, sim)
