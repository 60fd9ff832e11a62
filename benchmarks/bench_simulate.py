"""Benchmark ``orgflow simulate`` against a straightforward SimPy model of the same office.

Four offices, each simulated by orgflow and by a SimPy model written here from the README's
rules (not from orgflow's code), side by side on the same machine:

1. six desks in series (one person each, exponential efforts of 0.7 h, one request an hour,
   200,000 requests), on the flow engine and on the event engine (``--engine event``);
2. a rework loop and a pool with ``pickup: any`` (issue 17): intake at a desk, a check by a
   pool of three, the fix back at the first desk, and a share of 0.3 of the fixes sent back to
   be checked and fixed again (a random route: each request draws its loops at arrival), then
   filing by the pool; every step at the pool goes back to its shared queue. 200,000
   requests;
3. work sent back and a pool (the same kind of office on a fixed route): intake at a desk, a
   check by a specialist, the fix back at the first desk, a second check by the specialist,
   then filing by a pool of two, 200,000 requests;
4. ``samples/large-office.yaml`` (40 people, backups, pools, a specialist who sends work back,
   handoff delays) with its absences removed: the SimPy model has no absences. 200,000
   requests, as the other offices (about 1,300 weeks; it ran 1,000 weeks, about 154,000
   requests, until 2026-12-04).

For each: in process, the seconds and mean lead time of orgflow's engines (the event engine
compiled, and in Python) and of the SimPy models; as whole processes (interpreter start and
imports included), the ``orgflow simulate`` command against a script running the SimPy model:
the event engine as installed (the kernel built ahead of time by ``setup.py``), compiled by
numba at first use instead (``ORGFLOW_NO_AOT=1``) with numba's cache empty (the first run: it
compiles the kernel) and warm (it loads it), and without the kernel (``ORGFLOW_NO_KERNEL=1``);
the ratios. orgflow's bytecode is compiled first, as pip does at install. Then memory: the
traced peak of the event engine for a quarter of the requests and for all of them (bytes per
extra request).

The rework office's SimPy model (``SIMPY_REWORK_SCRIPT``) is written from the README's rules
for it: a process per request, the desk and the pool as SimPy resources (a FIFO queue each;
which free member of the pool takes an item changes no lead time, everyone working at the same
speed), the loop drawn as the request goes (after each fix, back to the check with probability
0.3).

The other SimPy model (``SIMPY_SCRIPT``) reads the office as orgflow resolves it (routes, owners,
efforts, demand) from a JSON file and applies the rules: a step goes to its chain's primary
(nobody is away) or to its pool's one FIFO queue (taken, when members are free, by the one
idle the longest); a person serves their own queue and their
pools' queues in arrival order; whoever finishes a step continues with the next one when it
is at the same desk and they own it (other branches: the front of their queue, or the pool's
queue); other steps reach their desk after the handoff delay. The two mean lead times agree
within the noise of one run (the closed form of the six-desk line is printed too).

Usage: ``python benchmarks/bench_simulate.py [--quick] [--only NAME] [--pairs N]`` (needs simpy,
in the dev extra); ``--only`` runs one office: ``six-desks``, ``rework-any``, ``sent-back`` or
``large-office``; ``--pairs N`` adds N interleaved whole-process pairs per office (orgflow as
installed, the first SimPy model, orgflow again), whose ratios a load that changes during the
run moves less. Prints figures; asserts nothing.
"""

from __future__ import annotations

import compileall
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 200_000
RATE = 1.0  # requests per hour, six desks
MEAN = 0.7  # hours per desk
DESKS = 6

SIX_DESKS = f"""\
version: 1
org: {{name: Six desks in series}}
people: [{", ".join(f"{{id: p{i}, skills: [a{i}]}}" for i in range(DESKS))}]
activities: [{
    ", ".join(f"{{id: a{i}, effort: {{dist: exponential, mean: {MEAN}h}}}}" for i in range(DESKS))
}]
processes: [{{id: order, steps: [{", ".join(f"a{i}" for i in range(DESKS))}]}}]
customers: [{{id: c, demand: {{order: {RATE * 40:g}/week}}}}]
assignments: [{", ".join(f"{{activity: a{i}, people: [p{i}]}}" for i in range(DESKS))}]
"""

SENT_BACK = """\
version: 1
org: {name: Sent back to the first desk and a pool}
people:
  - {id: ada, skills: [intake, fix]}
  - {id: sam, skills: [check, recheck]}
  - {id: pia, skills: [file]}
  - {id: pat, skills: [file]}
activities:
  - {id: intake, effort: {dist: exponential, mean: 30m}}
  - {id: check, effort: {dist: exponential, mean: 36m}}
  - {id: fix, effort: {dist: exponential, mean: 24m}}
  - {id: recheck, effort: {dist: exponential, mean: 18m}}
  - {id: file, effort: {dist: exponential, mean: 72m}}
processes: [{id: claim, steps: [intake, check, fix, recheck, file]}]
customers: [{id: c, demand: {claim: 32/week}}]
assignments:
  - {activity: [intake, fix], people: [ada]}
  - {activity: [check, recheck], people: [sam]}
  - {activity: file, pool: [pia, pat]}
"""

# Issue 17's second office: a rework loop and a pool with pickup: any (no absences: the SimPy
# models have none).
REWORK_P = 0.3
REWORK_RATE = 0.75  # requests per hour (30 a week)
REWORK_ANY = f"""\
version: 1
org: {{name: A rework loop and a pool with pickup any}}
people:
  - {{id: ada, skills: [intake, fix]}}
  - {{id: sam, skills: [check, file]}}
  - {{id: kim, skills: [check, file]}}
  - {{id: pat, skills: [check, file]}}
activities:
  - {{id: intake, effort: {{dist: exponential, mean: 30m}}}}
  - {{id: check, effort: {{dist: exponential, mean: 36m}}}}
  - {{id: fix, effort: {{dist: exponential, mean: 24m}}}}
  - {{id: file, effort: {{dist: exponential, mean: 48m}}}}
processes:
  - id: claim
    steps: [intake, check, {{activity: fix, rework: {{to: check, probability: {REWORK_P}}}}}, file]
customers: [{{id: c, demand: {{claim: {REWORK_RATE * 40:g}/week}}}}]
assignments:
  - {{activity: [intake, fix], people: [ada]}}
  - {{activity: [check, file], pool: [sam, kim, pat], pickup: any}}
"""

# The rework office in SimPy, from the README's rules: a process per request; the desk and the
# pool as resources (FIFO); after each fix, back to the check with probability REWORK_P.
SIMPY_REWORK_SCRIPT = """\
import json, random, statistics, sys
import simpy

def main(path, horizon, seed):
    spec = json.load(open(path))["rework"]
    rng = random.Random(seed)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=1)
    pool = simpy.Resource(env, capacity=spec["members"])
    intake, check, fix, file = (1 / spec[k] for k in ("intake", "check", "fix", "file"))
    p = spec["p"]
    leads = []

    def at(resource, rate):
        with resource.request() as turn:
            yield turn
            yield env.timeout(rng.expovariate(rate))

    def request():
        start = env.now
        yield from at(desk, intake)
        while True:
            yield from at(pool, check)
            yield from at(desk, fix)
            if rng.random() >= p:
                break
        yield from at(pool, file)
        leads.append(env.now - start)

    def source():
        while True:
            yield env.timeout(rng.expovariate(spec["rate"]))
            env.process(request())

    env.process(source())
    env.run(until=horizon)
    return leads

if __name__ == "__main__":
    leads = main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
    print(len(leads), statistics.fmean(leads))
"""

SIMPY_SCRIPT = """\
import json, math, random, statistics, sys
from collections import deque
import simpy

def sampler(kind, p, rng):
    if kind == "fixed":
        return lambda: p[0]
    if kind == "exponential":
        return lambda: rng.expovariate(1 / p[0])
    if kind == "lognormal":
        return lambda: rng.lognormvariate(p[0], p[1])
    if kind == "beta":
        return lambda: p[0] + (p[1] - p[0]) * rng.betavariate(p[2], p[3])
    if kind == "triangular":
        return lambda: rng.triangular(p[0], p[2], p[1])
    return lambda: rng.uniform(p[0], p[1])

def main(path, horizon, seed):
    spec = json.load(open(path))
    rng = random.Random(seed)
    env = simpy.Environment()
    n = len(spec["speed"])
    routes = spec["routes"]
    for r in routes:
        for s in r:
            s["draw"] = sampler(s["effort"][0], s["effort"][1], rng)
    queues = [deque() for _ in range(n)]
    pool_q = [deque() for _ in spec["pools"]]
    pools_of = [[] for _ in range(n)]
    for k, members in enumerate(spec["pools"]):
        for m in members:
            pools_of[m].append(k)
    busy = [False] * n
    idle_since = [-math.inf] * n  # when their last job ended
    wake = [None] * n
    leads = []
    order = [0]

    def notify(m):
        if not busy[m] and wake[m] is not None and not wake[m].triggered:
            wake[m].succeed()

    def put(req, s, front=False):
        step = routes[req["route"]][s]
        order[0] += 1
        item = (env.now, order[0], req, s)
        if step["pool"] >= 0:
            pool_q[step["pool"]].append(item)
            # Woken in this order, the free member idle the longest takes it first.
            for m in sorted(step["people"], key=idle_since.__getitem__):
                notify(m)
        else:
            m = step["people"][0]
            if front:
                queues[m].appendleft(item)
            else:
                queues[m].append(item)
            notify(m)

    def deliver(req, s):
        yield env.timeout(spec["handoff"])
        put(req, s)

    def pick(p):
        best = queues[p] if queues[p] else None
        key = queues[p][0][:2] if queues[p] else (math.inf, 0)
        for k in pools_of[p]:
            q = pool_q[k]
            if q and q[0][:2] < key:
                best, key = q, q[0][:2]
        return best.popleft() if best is not None else None

    def done(p, req, s):
        route = routes[req["route"]]
        req["left"] -= 1
        if req["left"] == 0 and req["arrival"] >= 0:
            leads.append(env.now - req["arrival"])
        step = route[s]
        following = None
        for t in step["succs"]:
            req["preds"][t] -= 1
            if req["preds"][t]:
                continue
            nxt = route[t]
            if nxt["desk"] == step["desk"] and p in nxt["people"]:
                if following is None:
                    following = t
                elif nxt["pool"] < 0:
                    put(req, t, front=True)
                else:
                    put(req, t)
            elif spec["handoff"] > 0:
                env.process(deliver(req, t))
            else:
                put(req, t)
        return following

    def person(p):
        while True:
            item = pick(p)
            if item is None:
                wake[p] = env.event()
                yield wake[p]
                wake[p] = None
                continue
            busy[p] = True
            req, s = item[2], item[3]
            while s is not None:
                yield env.timeout(req["work"][s] / spec["speed"][p])
                s = done(p, req, s)
            busy[p] = False
            idle_since[p] = env.now
            if pools_of[p]:  # the pools' free members, woken by done(), come first
                yield env.timeout(0)

    def source():
        choices, weights = spec["choices"], spec["weights"]
        while True:
            yield env.timeout(rng.expovariate(spec["rate"]))
            r, _c = rng.choices(choices, weights)[0]
            route = routes[r]
            req = {
                "route": r,
                "arrival": env.now,
                "left": len(route),
                "preds": [len(s["preds"]) for s in route],
                "work": [s["draw"]() for s in route],
            }
            for s, step in enumerate(route):
                if not step["preds"]:
                    put(req, s)

    for p in range(n):
        env.process(person(p))
    env.process(source())
    env.run(until=horizon)
    return leads

if __name__ == "__main__":
    leads = main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
    print(len(leads), statistics.fmean(leads))
"""


# The straightforward model: a process per request, one SimPy Resource per desk (a person, or
# a pool with as many places as members). It fits offices whose processes are paths, each
# step at another desk than the one before and nobody both in a pool and at a desk of their
# own (the first two offices here).
SIMPY_RESOURCES_SCRIPT = """\
import json, random, statistics, sys
import simpy

def main(path, horizon, seed):
    spec = json.load(open(path))
    rng = random.Random(seed)
    env = simpy.Environment()
    desks = {}
    for route in spec["routes"]:
        for s in route:
            key = s["desk"]
            if key not in desks:
                desks[key] = simpy.Resource(env, capacity=len(s["people"]) if s["pool"] >= 0 else 1)
    speed = spec["speed"][0]
    leads = []

    def draw(effort):
        kind, p = effort
        return rng.expovariate(1 / p[0]) if kind == "exponential" else p[0]

    def request(route):
        start = env.now
        work = [draw(s["effort"]) / speed for s in route]
        for s, w in zip(route, work):
            with desks[s["desk"]].request() as turn:
                yield turn
                yield env.timeout(w)
        leads.append(env.now - start)

    def source():
        choices, weights = spec["choices"], spec["weights"]
        while True:
            yield env.timeout(rng.expovariate(spec["rate"]))
            r, _c = rng.choices(choices, weights)[0]
            env.process(request(spec["routes"][r]))

    env.process(source())
    env.run(until=horizon)
    return leads

if __name__ == "__main__":
    leads = main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
    print(len(leads), statistics.fmean(leads))
"""


def spec_of(path: Path) -> dict[str, Any]:
    """The office as orgflow resolves it, for the SimPy model."""
    import orgflow
    from orgflow.simulate.efforts import sampling_plan
    from orgflow.simulate.engine import Simulator

    office = orgflow.load(path)
    sim = Simulator(office)
    efforts = {a.id: sampling_plan(a.effort, office.calendar) for a in office.org.activities}
    weights = [b - a for a, b in zip([0.0, *sim.cum][: len(sim.cum)], sim.cum, strict=True)]
    return {
        "rework": {  # the rework office's SimPy model reads only this (hours)
            "members": 3,
            "intake": 0.5,
            "check": 0.6,
            "fix": 0.4,
            "file": 0.8,
            "p": REWORK_P,
            "rate": REWORK_RATE,
        },
        "speed": sim.speed,
        "pools": sim.pool_members,
        "handoff": sim.handoff,
        "rate": sim.total_rate,
        "choices": [list(c) for c in sim.choices],
        "weights": weights,
        "routes": [
            [
                {
                    "preds": s.preds,
                    "succs": s.succs,
                    "people": s.people,
                    "pool": s.pool,
                    "desk": s.desk,
                    "effort": list(efforts[s.activity]),
                }
                for s in route.steps
            ]
            for route in sim.routes
        ],
    }


def simpy_in_process(script: str, spec_path: Path, horizon: float) -> tuple[float, float, int]:
    namespace: dict[str, Any] = {"__name__": "simpy_model"}
    exec(script, namespace)
    start = time.perf_counter()
    leads = namespace["main"](str(spec_path), horizon, 1)
    return time.perf_counter() - start, statistics.fmean(leads), len(leads)


def orgflow_in_process(path: Path, horizon: float, engine: str) -> tuple[float, float, int, str]:
    """``engine``: flow, event (compiled whatever the length of the run: the extension built
    ahead of time, its load included; or numba, its import and the kernel's load from its
    cache included), or event-python."""
    import orgflow
    from orgflow.simulate import kernel
    from orgflow.simulate.engine import Simulator
    from orgflow.simulate.events import EventRun

    office = orgflow.load(path)
    sim = Simulator(office)
    start = time.perf_counter()
    if engine == "event-python":
        result = EventRun(sim, 1, 0, horizon, 0.0).run()
    elif engine == "event" and kernel.available():  # the import and the load included
        result = kernel.KernelRun(sim, 1, 0, horizon, 0.0).run()
        engine += f" ({kernel.compiled_by})"
    else:
        result = sim.run_any(1, 0, horizon, 0.0, engine)
    elapsed = time.perf_counter() - start
    return elapsed, statistics.fmean(result.lead_times), len(result.lead_times), engine


def whole(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    """Best of ``repeat`` runs of a whole process (start-up and imports included)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=env)
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(path: Path, horizon: float, engine: str) -> tuple[int, int]:
    import orgflow
    from orgflow.simulate import kernel
    from orgflow.simulate.engine import Simulator

    office = orgflow.load(path)
    sim = Simulator(office)

    if kernel.available():  # loading the compiled kernel allocates: before the trace
        kernel.KernelRun(sim, 1, 0, 10.0, 0.0).run()
    tracemalloc.start()
    result = sim.run_any(1, 0, horizon, 0.0, engine)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, len(result.lead_times)


def without_absences(text: str) -> str:
    return re.sub(r",\s*availability:\s*[0-9.]+", "", text)


def simulate_cmd(office: Path, weeks: float, engine: str) -> list[str]:
    """The ``orgflow simulate`` command of the whole-process comparison."""
    return [
        *(sys.executable, "-m", "orgflow.cli", "simulate", str(office), "--weeks", f"{weeks:g}"),
        *("--warmup", "0", "--runs", "1", "--format", "json", "--start", "2026-01-05"),
        *("--engine", engine),
    ]


#: Interleaved whole-process pairs per office (``--pairs N``): 0, none.
PAIRS = 0


def interleaved(cmd: list[str], model: list[str], label: str) -> None:
    """``PAIRS`` times: orgflow, the SimPy script, orgflow again (the faster of the two against
    the script between them), so that a load that changes during the run weighs on both; the
    median of the ratios."""
    ratios = []
    for i in range(PAIRS):
        first, simpy, second = whole(cmd, 1), whole(model, 1), whole(cmd, 1)
        ratios.append(simpy / min(first, second))
        print(
            f"    pair {i + 1}: orgflow {first:.2f} s and {second:.2f} s, {label} {simpy:.2f} s:"
            f" {ratios[-1]:.1f}x (load {os.getloadavg()[0]:.1f})"
        )
    print(f"    median of {PAIRS} interleaved pairs: {statistics.median(ratios):.1f}x")


def compare(
    name: str,
    office: Path,
    horizon: float,
    engines: list[str],
    tmp: Path,
    repeat: int,
    resources: bool,
    models: list[tuple[str, str]] | None = None,
) -> None:
    import orgflow

    spec_path = tmp / f"{office.stem}.json"
    spec_path.write_text(json.dumps(spec_of(office)))
    if models is None:
        models = [("SimPy, process per person", SIMPY_SCRIPT)]
        if resources:
            models.insert(0, ("SimPy, process per request", SIMPY_RESOURCES_SCRIPT))
    weeks = horizon / orgflow.load(office).calendar.hours_per_week
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{name}: {weeks:,.0f} weeks (load average {load})")
    print("  in process                      seconds  requests/s   mean lead time")
    timed = {}
    for engine in engines:
        t, mean, n, how = orgflow_in_process(office, horizon, engine)
        timed[f"orgflow {engine}"] = t
        print(f"    {'orgflow ' + how:28} {t:7.2f}  {n / t:10,.0f}   {mean:.2f} h ({n:,} requests)")
    simpy_times = {}
    for label, script in models:
        t, mean, n = simpy_in_process(script, spec_path, horizon)
        simpy_times[label] = t
        print(f"    {label:28} {t:7.2f}  {n / t:10,.0f}   {mean:.2f} h ({n:,} requests)")
    for label, t_simpy in simpy_times.items():
        ratios = ", ".join(f"{t_simpy / t:.1f}x ({who})" for who, t in timed.items())
        print(f"    ratio {label} / orgflow: {ratios}")
    print(f"  whole process                   seconds (best of {repeat})")
    whole_simpy: dict[str, float] = {}
    for label, script in models:
        path = tmp / f"model-{len(whole_simpy)}.py"
        path.write_text(script)
        whole_simpy[label] = whole(
            [sys.executable, str(path), str(spec_path), f"{horizon}", "1"], repeat
        )
    for engine in engines:
        cmd = simulate_cmd(office, weeks, "event" if engine == "event-python" else engine)
        label = f"orgflow simulate --engine {engine}"
        if engine == "event-python":
            label = "orgflow simulate --engine event, Python"
            env = {**os.environ, "ORGFLOW_NO_KERNEL": "1"}
        elif engine == "event":
            # The kernel as installed: built ahead of time (setup.py) when it could be.
            w = whole(cmd, repeat)
            ratios = ", ".join(f"{t / w:.1f}x ({who})" for who, t in whole_simpy.items())
            print(f"    {label + ', built at install':44} {w:7.2f}   ratio: {ratios}")
            # Compiled by numba at first use instead (no compiler at install): numba's cache in
            # a new folder, the first run compiles the kernel (cold), the next ones load it
            # (warm), as a user's runs after their first.
            label += ", numba"
            env = {
                **os.environ,
                "ORGFLOW_NO_AOT": "1",
                "NUMBA_CACHE_DIR": str(tmp / f"numba-{office.stem}"),
            }
            cold = whole(cmd, 1, env)
            ratios = ", ".join(f"{t / cold:.1f}x ({who})" for who, t in whole_simpy.items())
            print(f"    {label + ', cold cache':44} {cold:7.2f}   ratio: {ratios}")
            label += ", warm cache"
        else:
            env = None
        w = whole(cmd, repeat, env)
        ratios = ", ".join(f"{t / w:.1f}x ({who})" for who, t in whole_simpy.items())
        print(f"    {label:44} {w:7.2f}   ratio: {ratios}")
    for label, t in whole_simpy.items():
        print(f"    {label + ' script':44} {t:7.2f}")
    if PAIRS:
        label = models[0][0]
        model = [sys.executable, str(tmp / "model-0.py"), str(spec_path), f"{horizon}", "1"]
        interleaved(simulate_cmd(office, weeks, "event"), model, label)
    print(f"  load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()


def main() -> None:
    # orgflow's bytecode, as pip writes it at install (an editable install, or
    # PYTHONDONTWRITEBYTECODE, would have every run compile orgflow's modules again; SimPy's
    # and numpy's are compiled).
    compileall.compile_dir(ROOT / "orgflow", quiet=1)
    quick = "--quick" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    global PAIRS
    PAIRS = int(sys.argv[sys.argv.index("--pairs") + 1]) if "--pairs" in sys.argv else 0

    def wanted(name: str) -> bool:
        return only is None or only == name

    scale = 0.1 if quick else 1.0
    repeat = 1 if quick else 2
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        six = tmp / "six-desks.yaml"
        six.write_text(SIX_DESKS)
        back = tmp / "sent-back.yaml"
        back.write_text(SENT_BACK)
        rework = tmp / "rework-any.yaml"
        rework.write_text(REWORK_ANY)
        large = tmp / "large-office-present.yaml"
        large.write_text(without_absences((ROOT / "samples" / "large-office.yaml").read_text()))
        # Jackson: each desk is M/M/1 with rho = 0.7: W = 0.7 / 0.3 = 2.333 h; six desks: 14 h.
        expected = DESKS * MEAN / (1 - RATE * MEAN)
        if wanted("six-desks"):
            compare(
                f"Six desks in series (closed form {expected:.2f} h)",
                six,
                REQUESTS * scale / RATE,
                ["flow", "event", "event-python"],
                tmp,
                repeat,
                True,
            )
        # The desk: 0.5 h + 0.4 h per fix; 1 / (1 - 0.3) = 1.4286 fixes and checks a request:
        # 0.5 + 0.4 x 1.4286 = 1.0714 h at 0.75 an hour, rho = 0.80; the pool of three:
        # 0.6 x 1.4286 + 0.8 = 1.6571 h, rho = 0.75 x 1.6571 / 3 = 0.41.
        if wanted("rework-any"):
            compare(
                f"A rework loop (p = {REWORK_P}) and a pool of three with pickup: any",
                rework,
                REQUESTS * scale / REWORK_RATE,
                ["event", "event-python"],
                tmp,
                repeat,
                True,
                [("SimPy, process per request", SIMPY_REWORK_SCRIPT)],
            )
        if wanted("sent-back"):
            compare(
                "Sent back to the first desk, then a pool of two",
                back,
                REQUESTS * scale / 0.8,
                ["event", "event-python"],
                tmp,
                repeat,
                True,
            )
        if wanted("large-office"):
            compare(
                "samples/large-office.yaml without absences",
                large,
                REQUESTS * scale / spec_of(large)["rate"],
                ["event", "event-python"],
                tmp,
                repeat,
                False,
            )
        print("memory, event engine (traced peak)   requests    peak MiB   bytes per extra request")
        for name, path, rate in (
            ("six desks", six, RATE),
            ("rework + pickup any", rework, REWORK_RATE),
            ("sent back", back, 0.8),
        ):
            if not wanted(path.stem):
                continue
            small_peak, small_n = peak_memory(path, REQUESTS / 4 / rate, "event")
            big_peak, big_n = peak_memory(path, REQUESTS / rate, "event")
            per_request = (big_peak - small_peak) / (big_n - small_n)
            print(f"  {name:34} {small_n:9,}    {small_peak / 2**20:8.1f}")
            print(f"  {'':34} {big_n:9,}    {big_peak / 2**20:8.1f}   {per_request:.0f}")


if __name__ == "__main__":
    main()
