"""The compiled event engine (numba) against the Python one: the same figures to the last bit.

Both implement the same rules with the same events in the same order and the same arithmetic,
so every figure of a run must be identical, not merely close: that is the test."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_additions import MIXED as ADDITIONS
from test_flow import random_office
from test_jobs import MIXED, START

from orgflow import OrgFileError, load, load_text
from orgflow.simulate.engine import Simulator
from orgflow.simulate.events import EventRun
from orgflow.simulate.model import RunResult
from orgflow.simulate.runner import SimOptions, simulate

pytest.importorskip("numba")

from orgflow.simulate import kernel

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# Work sent back to the first desk, then a pool of two (the benchmark's second office), with
# absences and a handoff delay.
SENT_BACK = """
version: 1
org: {name: sent back, handoff_delay: 20m, absence_spell: 2d}
people:
  - {id: ada, skills: [intake, fix], availability: 0.9}
  - {id: sam, skills: [check, recheck], availability: 0.85}
  - {id: pia, skills: [file], availability: 0.9}
  - {id: pat, skills: [file]}
activities:
  - {id: intake, effort: {dist: exponential, mean: 30m}}
  - {id: check, effort: {dist: exponential, mean: 36m}}
  - {id: fix, effort: {dist: exponential, mean: 24m}}
  - {id: recheck, effort: {dist: exponential, mean: 18m}}
  - {id: file, effort: {dist: exponential, mean: 72m}}
processes: [{id: claim, steps: [intake, check, fix, recheck, file]}]
customers: [{id: c, demand: {claim: 30/week}}]
assignments:
  - {activity: [intake, fix], people: [ada]}
  - {activity: [check, recheck], people: [sam]}
  - {activity: file, pool: [pia, pat]}
"""


# Issue 17's second benchmark office: a rework loop (a check sends a share of the requests back
# to be fixed and checked again) and a pool whose every step goes back to its shared queue, with
# absences and a handoff delay.
REWORK = """
version: 1
org: {name: rework and pickup any, handoff_delay: 20m, absence_spell: 2d}
people:
  - {id: ada, skills: [intake, fix], availability: 0.9}
  - {id: sam, skills: [check, file], availability: 0.85}
  - {id: kim, skills: [check, file], availability: 0.9}
  - {id: pat, skills: [check, file]}
activities:
  - {id: intake, effort: {dist: exponential, mean: 30m}}
  - {id: check, effort: {dist: exponential, mean: 36m}}
  - {id: fix, effort: {dist: exponential, mean: 24m}}
  - {id: file, effort: {dist: exponential, mean: 48m}}
processes:
  - id: claim
    steps: [intake, check, {activity: fix, rework: {to: check, probability: 0.3}}, file]
customers: [{id: c, demand: {claim: 40/week}}]
assignments:
  - {activity: [intake, fix], people: [ada]}
  - {activity: [check, file], pool: [sam, kim, pat], pickup: any}
"""


def assert_identical(a: RunResult, b: RunResult, context: object) -> None:
    for name in ("lead_times", "route_of", "customer_of", "number_of"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), (name, context)
    for name in (
        "parts_sum",
        "external_sum",
        "completed",
        "open_at_end",
        "open_at_warmup",
        "utilization",
        "mean_queue",
        "max_queue",
        "delayed_share",
        "person_changes",
        "role_changes",
        "activity_counts",
    ):
        assert getattr(a, name) == getattr(b, name), (name, context)


def both(sim: Simulator, seed: int, horizon: float, warmup: float, present: bool) -> None:
    python = EventRun(sim, seed, 0, horizon, warmup, present).run()
    compiled = kernel.KernelRun(sim, seed, 0, horizon, warmup, present).run()
    assert_identical(python, compiled, (seed, horizon, warmup, present))


def test_the_kernel_gives_the_python_engines_figures_on_random_offices() -> None:
    # Backups, pools, forks and joins, work sent back, part-timers, handoff delays, random and
    # dated absences: every office, not only those the flow engine takes.
    compared = 0
    for case in range(80):
        r = random.Random(1000 + case)
        text, dated = random_office(r, pools=r.choice([0.35, 0.9]))
        try:
            org = load_text(text)
        except OrgFileError:
            continue
        sim = Simulator(org, [dated.get(p.id, []) for p in org.org.people])
        horizon, warmup = r.choice([(400.0, 40.0), (800.0, 100.0), (200.0, 0.0)])
        both(sim, case, horizon, warmup, present=False)
        both(sim, case, horizon, warmup, present=True)
        compared += 1
    assert compared >= 50


@pytest.mark.parametrize("present", [False, True])
def test_the_kernel_gives_the_python_engines_figures_on_the_samples(present: bool) -> None:
    for org in (load(SAMPLES / "large-office.yaml"), load_text(SENT_BACK)):
        sim = Simulator(org)
        both(sim, 3, 2000.0, 200.0, present)


def test_growing_every_array_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Start with room for 2 events, items and requests and a lead-time buffer of 3: every
    # array of the kernel grows many times during the run (an overloaded desk's backlog
    # too), and the figures stay those of the Python engine.
    monkeypatch.setattr(kernel, "START", 2)
    monkeypatch.setattr(kernel, "OUT", 3)
    overloaded = SENT_BACK.replace("claim: 30/week", "claim: 45/week")
    for text in (SENT_BACK, overloaded):
        sim = Simulator(load_text(text))
        both(sim, 5, 1500.0, 100.0, present=False)


def test_progress_is_reported_up_to_the_end() -> None:
    sim = Simulator(load_text(SENT_BACK))
    seen: list[float] = []
    kernel.KernelRun(sim, 1, 0, 2000.0, 0.0).run(seen.append)
    assert len(seen) >= 50
    assert seen == sorted(seen)
    assert seen[0] > 0
    assert seen[-1] <= 1


def test_long_runs_only_are_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    # 30 requests a week of 5 steps: 150 steps a week (40 hours). Compiled by numba at first
    # use, 200,000 steps: 200,000 / 150 = 1,333.3 weeks.
    sim = Simulator(load_text(SENT_BACK))
    monkeypatch.setattr(kernel, "_ahead_of_time", lambda: None)
    assert not kernel.worth_it(sim, 1333 * 40.0)
    assert kernel.worth_it(sim, 1334 * 40.0)
    # Built ahead of time, 10,000 steps: 10,000 / 150 = 66.7 weeks.
    monkeypatch.setattr(kernel, "_ahead_of_time", lambda: object())
    assert not kernel.worth_it(sim, 66 * 40.0)
    assert kernel.worth_it(sim, 67 * 40.0)
    monkeypatch.setenv("ORGFLOW_NO_KERNEL", "1")
    assert not kernel.worth_it(sim, 1334 * 40.0)


def test_the_extension_built_from_another_text_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The extension holds the digest of the kernel.py it was built from: an edited kernel
    # runs on numba (or in Python), never on stale machine code.
    if kernel._ahead_of_time() is None:
        pytest.skip("the kernel was not built ahead of time (setup.py, at install)")
    digest = kernel.source_digest()
    monkeypatch.setattr(kernel, "source_digest", lambda: digest + 1)
    assert kernel._ahead_of_time() is None
    monkeypatch.undo()
    monkeypatch.setenv("ORGFLOW_NO_AOT", "1")
    assert kernel._ahead_of_time() is None


def test_the_extension_runs_without_numba() -> None:
    # Built ahead of time, a run neither imports numba nor reads numba's cache.
    if kernel._ahead_of_time() is None:
        pytest.skip("the kernel was not built ahead of time (setup.py, at install)")
    script = (
        "import sys\n"
        "from orgflow import load_text\n"
        "from orgflow.simulate import kernel\n"
        "from orgflow.simulate.engine import Simulator\n"
        "sim = Simulator(load_text(sys.stdin.read()))\n"
        "kernel.KernelRun(sim, 1, 0, 500.0, 0.0).run()\n"
        "print(kernel.compiled_by, 'numba' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=SENT_BACK, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["ahead", "of", "time", "False"]


def test_the_kernel_compiled_at_first_use_gives_the_same_figures() -> None:
    # Without the extension (ORGFLOW_NO_AOT), numba compiles the kernel at first use, its
    # functions called rather than inlined: the same figures as the Python engine still.
    script = (
        "import sys\n"
        "import numpy as np\n"
        "from orgflow import load_text\n"
        "from orgflow.simulate import kernel\n"
        "from orgflow.simulate.engine import Simulator\n"
        "from orgflow.simulate.events import EventRun\n"
        "sim = Simulator(load_text(sys.stdin.read()))\n"
        "a = EventRun(sim, 3, 0, 3000.0, 100.0).run()\n"
        "b = kernel.KernelRun(sim, 3, 0, 3000.0, 100.0).run()\n"
        "same = all(np.array_equal(getattr(a, n), getattr(b, n)) for n in\n"
        "    ('lead_times', 'route_of', 'customer_of', 'number_of'))\n"
        "same = same and all(getattr(a, n) == getattr(b, n) for n in ('parts_sum',\n"
        "    'completed', 'utilization', 'mean_queue', 'max_queue', 'delayed_share'))\n"
        "print(kernel.compiled_by, same, len(a.lead_times) > 1000)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=SENT_BACK,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "ORGFLOW_NO_AOT": "1"},
    )
    assert done.stdout.split() == ["numba", "True", "True"]


@pytest.mark.parametrize("text", [MIXED, REWORK, ADDITIONS])
def test_jobs_change_nothing_on_the_kernel(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    # Every run on the kernel (the worker processes fork: they see the patched threshold),
    # one after the other and two at a time, and every run in Python: the same figures; on a
    # plain office and on random routes (a rework loop and pickup: any; issue 13's mixed).
    org = load_text(text)

    def run(jobs: int) -> object:
        options = SimOptions(
            weeks=8, warmup=2, runs=3, seed=4, start=START, engine="event", jobs=jobs
        )
        result = simulate(org, options, keep_samples=True)
        return (
            result.samples.tolist(),
            result.run_means,
            result.parts,
            result.lead_time,
            result.people,
            result.per_customer,
        )

    monkeypatch.setattr(kernel, "SMALL_RUN", 0)
    monkeypatch.setattr(kernel, "SMALL_RUN_BUILT", 0)
    one, two = run(1), run(2)
    monkeypatch.setenv("ORGFLOW_NO_KERNEL", "1")
    python = run(1)
    assert one == two == python


SEASONAL = """
version: 1
org: {name: seasonal, handoff_delay: 30m,
      demand_by_month: {jan: 2.0, feb: 1.4, mar: 1, apr: 1, may: 1, jun: 1, jul: 1, aug: 0.6,
                        sep: 1, oct: 0.6, nov: 0.8, dec: 0.6}}
people:
  - {id: ann, skills: [a, b]}
  - {id: bob, skills: [a, b], availability: 0.9}
activities:
  - {id: a, effort: {dist: exponential, mean: 1h}}
  - {id: b, effort: {mean: 2h, cv: 0.5}}
processes: [{id: p, steps: [a, b]}]
customers: [{id: c, demand: {p: 10/week}}]
assignments:
  - {activity: a, people: [ann, bob]}
  - {activity: b, people: [bob, ann], effort: {mean: 30m, cv: 0.5}}
"""


@pytest.mark.parametrize("present", [False, True])
def test_a_rules_effort_and_demand_by_month_give_the_same_figures_compiled(present: bool) -> None:
    # Issue 13's additions that keep a route plain (a rule's effort: other efforts drawn;
    # demand_by_month: other arrival times) run on the kernel too, with the same figures.
    import datetime as dt

    from orgflow.simulate.runner import demand_profile

    org = load_text(SEASONAL)
    horizon = 3000.0
    sim = Simulator(org, None, demand_profile(org.org, dt.date(2026, 1, 5), horizon))
    assert not sim.random_routes
    both(sim, 11, horizon, 200.0, present)


def random_routes_office(r: random.Random) -> str:
    """A random office whose routes are random (issue 13): stops, optional steps, exclusive
    alternatives, rework loops (with and without ``max``), external delays, pools with
    ``pickup: any`` and ``same``, forks and joins, part-timers and absences; sometimes a plain
    process next to it. Efforts exponential, or fixed and not round (no two people finish at
    the very same time)."""
    people = [f"p{i}" for i in range(r.randint(2, 5))]
    acts = [f"a{j}" for j in range(r.randint(2, 5))]
    alts = [f"x{j}" for j in range(len(acts))]
    lines = [
        "version: 1",
        f"org: {{handoff_delay: {r.choice(['0h', '20m'])}, "
        f"absence_spell: {r.choice(['1d', '4h'])}}}",
        "people:",
    ]
    for p in people:
        lines.append(
            f"  - {{id: {p}, skills: [{', '.join(acts + alts)}], "
            f"availability: {r.choice([1.0, 0.9, 0.8])}}}"
        )
    lines.append("activities:")
    for a in acts + alts:
        mean = f"{r.uniform(5, 60):.5f}m"
        effort = r.choice([mean, f"{{dist: exponential, mean: {mean}}}"])
        lines.append(f"  - {{id: {a}, effort: {effort}}}")
    steps = []
    for i, a in enumerate(acts):
        fields = [f"id: s{i}"]
        c = r.random()
        fields.append(
            f"activity: [{a}, {alts[i]}], shares: [0.3, 0.7]" if c < 0.25 else f"activity: {a}"
        )
        if i and r.random() < 0.2:
            fields.append(f"after: [{', '.join(r.sample([f's{j}' for j in range(i)], 1))}]")
        c = r.random()
        if c < 0.15:
            fields.append("stop: 0.1")
        elif c < 0.3:
            fields.append("probability: 0.7")
        if r.random() < 0.2:
            fields.append(r.choice(["delay: 3h", "delay: {mean: 2h, cv: 1}"]))
        if r.random() < 0.35:
            limit = r.choice(["", ", max: 2"])
            fields.append(f"rework: {{to: s{r.randrange(i + 1)}, probability: 0.3{limit}}}")
        steps.append("{" + ", ".join(fields) + "}")
    lines += ["processes:", f"  - {{id: q0, steps: [{', '.join(steps)}]}}"]
    plain = r.random() < 0.4
    if plain:
        lines.append(f"  - {{id: q1, steps: [{', '.join(acts)}]}}")
    demand = f"q0: {r.choice([5, 10, 20])}/week" + (", q1: 5/week" if plain else "")
    lines += ["customers:", f"  - {{id: c1, demand: {{{demand}}}}}", "assignments:"]
    for a in acts + alts:
        group = r.sample(people, r.randint(1, len(people)))
        if len(group) > 1 and r.random() < 0.6:
            pickup = r.choice([", pickup: any", ", pickup: any", ""])
            lines.append(f"  - {{activity: {a}, pool: [{', '.join(group)}]{pickup}}}")
        else:
            lines.append(f"  - {{activity: {a}, people: [{', '.join(group)}]}}")
    return "\n".join(lines) + "\n"


def test_the_kernel_gives_the_python_engines_figures_on_random_routes() -> None:
    # Issue 17: a request's drawn route (the same draws in both engines) runs on the kernel as
    # a plan of its own, added to its tables when first drawn: the same figures to the bit,
    # with and without absences, on random offices of every kind of random route.
    compared = 0
    for case in range(40):
        r = random.Random(5000 + case)
        try:
            org = load_text(random_routes_office(r))
        except OrgFileError:
            continue
        sim = Simulator(org)
        horizon, warmup = r.choice([(400.0, 40.0), (800.0, 100.0), (300.0, 0.0)])
        both(sim, case, horizon, warmup, present=False)
        both(sim, case, horizon, warmup, present=True)
        compared += sim.random_routes
    assert compared >= 30


@pytest.mark.parametrize("present", [False, True])
def test_rework_and_pickup_any_give_the_same_figures_compiled(present: bool) -> None:
    # The benchmark's office (a rework loop, a pickup: any pool) and issue 13's mixed office
    # (a stop, a delay, a rework with max, alternatives, an optional step).
    for text in (REWORK, ADDITIONS):
        sim = Simulator(load_text(text))
        assert sim.random_routes
        both(sim, 7, 3000.0, 200.0, present)


def test_growing_every_array_changes_nothing_on_random_routes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Room for 2 events, items and requests at first: every array grows, and the request
    # slots widen whenever a request draws a longer route (another pass of the rework loop)
    # than any before.
    monkeypatch.setattr(kernel, "START", 2)
    monkeypatch.setattr(kernel, "OUT", 3)
    monkeypatch.setattr(kernel, "UNIFORMS", 5)  # the kernel's draws ask for more uniforms
    monkeypatch.setattr(kernel, "ROOM", 0)  # and more room for the executions drawn
    sim = Simulator(load_text(REWORK))
    assert kernel.chains(sim) is not None
    run = kernel.KernelRun(sim, 5, 0, 1500.0, 100.0)
    width = run.dims["width"]
    both(sim, 5, 1500.0, 100.0, present=False)
    run.run()
    assert run.dims["width"] > width == 4


def test_chains_are_drawn_by_the_kernel_other_random_routes_in_python() -> None:
    # A chain (steps one after the other, loops side by side) is drawn by draw_chains; a fork
    # (two steps waiting for the first) by routing.draw_route: both as the Python engine.
    assert kernel.chains(Simulator(load_text(ADDITIONS))) is not None
    fork = REWORK.replace(
        "steps: [intake, check, {activity: fix, rework: {to: check, probability: 0.3}}, file]",
        "steps: [intake, {activity: check, probability: 0.6}, {activity: file, after: [intake]}]",
    )
    sim = Simulator(load_text(fork))
    assert sim.random_routes
    assert kernel.chains(sim) is None
    both(sim, 2, 2000.0, 100.0, present=False)


def test_the_kernel_counts_the_python_engines_changes_of_role() -> None:
    # Roles across the desks and inside the pool: the changes of person and of role and the
    # executions per activity are the Python engine's, run by run.
    roles = {"ada": "clerk", "sam": "clerk", "kim": "checker", "pat": "checker"}
    sim = Simulator(load_text(REWORK), None, None, roles)
    for seed in (1, 2):
        both(sim, seed, 4000.0, 400.0, False)
