"""How close is ``orgflow analyze`` to the simulation? A seeded family of generated offices.

Every office is run three ways:

1. ``orgflow.analyze``: the analytic mean lead time;
2. ``orgflow simulate`` (Python API, ``runs`` independent runs);
3. an independent plain SimPy model of the same office, written below from the README's rules
   (not from orgflow's code), including the lead's decisions RULES 1 (continuation only at the
   desk of the step just finished, while its doer is present) and RULES 2 (a fork inside a
   pool's visit: the holder goes on with the first branch, the others join the pool's queue).

The tables give, per office type, the median and the 90th percentile of the size of the
relative error (estimate - reference) / reference, and its mean (bias, signed): analyze
against ``orgflow simulate`` (every office), analyze against the SimPy model, and
``orgflow simulate`` against the SimPy model (the simulator's own check); the SimPy model runs
on every other office (4 of 7 per type), the slow part of the script.

Office types with issue 13's additions (rework loops, delays with stops and optional steps,
exclusive alternatives, ``pickup: any`` pools, rules' efforts, ``demand_by_month``; serial,
everyone present) run the same three ways, the SimPy model being a second one written from the
README's rules for the additions (``simpy_additions_lead_time``: a walk through the steps drawn
as the request goes); then the additions on offices with a closed form (exact, analyze,
simulate), and the purchasing sample's analyze and simulate against its log's 515.0 h.
``--only additions`` runs issue 13's types only.

Usage: ``python benchmarks/validate_analytic.py [--seed 7] [--scale 1.0] [--per-type 7]``
(needs the dev extra: simpy). ``--scale`` multiplies the simulated requests. Prints the table;
asserts nothing. Four to eight minutes on two busy cores with the defaults.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import math
import random
import statistics
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HPD, DPW = 8.0, 5.0
#: Every simulation starts on this Monday (``demand_by_month`` follows the calendar from it).
START = dt.date(2026, 1, 5)
HPW = HPD * DPW

TYPES = [
    "serial",
    "serial with absences",
    "serial with backups",
    "one desk, one idle backup",
    "A-to-Z owners with backups",
    "pool",
    "fork/join",
    "fork/join with absences",
    "fork in a pool",
]
#: Office types with issue 13's additions (their SimPy model: :func:`simpy_additions_lead_time`).
ADDITIONS = [
    "rework (feedback)",
    "delays, stops, optional steps",
    "alternatives",
    "pickup: any pool",
    "rule efforts",
    "demand by month",
]
TYPES += ADDITIONS
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


# --- the generated offices ---------------------------------------------------------------------


@dataclass
class Spec:
    """One office, as plain data: the generator writes it as YAML for orgflow, and the SimPy
    model reads it directly."""

    name: str
    kind: str
    spell: float  # hours
    handoff: float  # hours
    people: dict[str, float]  # id -> availability
    activities: dict[str, tuple[str, float, float]]  # id -> (kind, mean hours, cv)
    steps: list[tuple[str, str, list[str]]]  # (step id, activity, after)
    customers: dict[str, float]  # id -> requests per week
    rules: list[tuple[list[str] | None, list[str] | None, bool, list[str]]] = field(
        default_factory=list
    )  # (activities or None, customers or None, pool?, people)
    step_extra: dict[str, str] = field(default_factory=dict)  # step id -> more YAML keys
    rule_extra: dict[int, str] = field(default_factory=dict)  # rule index -> more YAML keys
    org_extra: str = ""  # more YAML keys of org
    # The same additions as data, for the SimPy model: per step its "delay" (kind, mean, cv),
    # "probability", "stop", "rework" (to, probability, max or None), "share" (of its first
    # alternative; the second is activity "alt"); the pickup: any rules; the rules' efforts;
    # the twelve monthly multipliers.
    route: dict[str, dict[str, Any]] = field(default_factory=dict)
    any_rules: set[int] = field(default_factory=set)
    rule_effort: dict[int, tuple[str, float, float]] = field(default_factory=dict)
    months: list[float] | None = None

    def yaml(self) -> str:
        def effort(kind: str, mean: float, cv: float) -> str:
            if kind == "fixed":
                return f"{mean:.6f}h"
            if kind == "exponential":
                return f"{{dist: exponential, mean: {mean:.6f}h}}"
            return f"{{mean: {mean:.6f}h, cv: {cv:.6f}}}"

        lines = [
            "version: 1",
            f"org: {{name: {self.name}, hours_per_day: {HPD:g}, days_per_week: {DPW:g},"
            f" handoff_delay: {self.handoff * 60:.3f}m, absence_spell: {self.spell:.3f}h"
            f"{self.org_extra}}}",
            "people:",
        ]
        skills = ", ".join(self.activities)
        for pid, a in self.people.items():
            lines.append(f"  - {{id: {pid}, skills: [{skills}], availability: {a:.4f}}}")
        lines.append("activities:")
        for aid, (kind, mean, cv) in self.activities.items():
            lines.append(f"  - {{id: {aid}, effort: {effort(kind, mean, cv)}}}")
        lines.append("processes:")
        lines.append("  - id: p")
        lines.append("    steps:")
        for sid, act, after in self.steps:
            extra = f", {self.step_extra[sid]}" if sid in self.step_extra else ""
            lines.append(
                f"      - {{id: {sid}, activity: {act}, after: [{', '.join(after)}]{extra}}}"
            )
        lines.append("customers:")
        for cid, rate in self.customers.items():
            lines.append(f"  - {{id: {cid}, demand: {{p: {rate:.6f}/week}}}}")
        lines.append("assignments:")
        for i, (acts, custs, pool, people) in enumerate(self.rules):
            sel = []
            if acts is not None:
                sel.append(f"activity: [{', '.join(acts)}]")
            if custs is not None:
                sel.append(f"customers: [{', '.join(custs)}]")
            sel.append(f"{'pool' if pool else 'people'}: [{', '.join(people)}]")
            if i in self.rule_extra:
                sel.append(self.rule_extra[i])
            lines.append(f"  - {{{', '.join(sel)}}}")
        return "\n".join(lines) + "\n"


def _efforts(rng: random.Random, names: list[str]) -> dict[str, tuple[str, float, float]]:
    out = {}
    for n in names:
        kind = rng.choice(["fixed", "exponential", "lognormal"])
        out[n] = (kind, rng.choice([0.5, 1.0, 1.5, 2.0]), 0.5 if kind == "lognormal" else 0.0)
    return out


def _serial_steps(acts: list[str]) -> list[tuple[str, str, list[str]]]:
    return [(a, a, [acts[i - 1]] if i else []) for i, a in enumerate(acts)]


def generate(kind: str, rng: random.Random, index: int) -> Spec:
    """One office of the given type, its demand not yet scaled."""
    spell = rng.choice([8.0, 16.0, 24.0])
    handoff = rng.choice([0.0, 0.5, 1.0])

    def avail() -> float:
        return round(rng.uniform(0.85, 0.95), 3)

    name = f"{kind} {index}".replace("/", "-").replace(",", "").replace(":", "")
    if kind in ("serial", "serial with absences", "serial with backups"):
        n = rng.randint(3, 5)
        acts = [f"a{i}" for i in range(n)]
        people = {f"p{i}": (1.0 if kind == "serial" else avail()) for i in range(n)}
        rules: list[Any] = []
        for i, a in enumerate(acts):
            chain = [f"p{i}"] + ([f"p{(i + 1) % n}"] if kind == "serial with backups" else [])
            rules.append(([a], None, False, chain))
        return Spec(name, kind, spell, handoff, people, _efforts(rng, acts),
                    _serial_steps(acts), {"c": 1.0}, rules)  # fmt: skip
    if kind == "one desk, one idle backup":
        acts = ["a"]
        people = {"p": avail(), "b": rng.choice([1.0, avail()])}
        return Spec(name, kind, spell, handoff, people, _efforts(rng, acts),
                    _serial_steps(acts), {"c": 1.0}, [(None, None, False, ["p", "b"])])  # fmt: skip
    if kind == "A-to-Z owners with backups":
        n = rng.randint(2, 4)
        acts = [f"a{i}" for i in range(rng.randint(2, 4))]
        people = {f"p{i}": avail() for i in range(n)}
        customers = {f"c{i}": rng.uniform(0.7, 1.3) for i in range(n)}
        rules = [(None, [f"c{i}"], False, [f"p{i}", f"p{(i + 1) % n}"]) for i in range(n)]
        return Spec(name, kind, spell, handoff, people, _efforts(rng, acts),
                    _serial_steps(acts), customers, rules)  # fmt: skip
    if kind == "pool":
        c = rng.randint(2, 3)
        acts = [f"a{i}" for i in range(rng.randint(1, 3))]
        absent = rng.random() < 0.5
        people = {f"p{i}": (avail() if absent else 1.0) for i in range(c)}
        rules = [(None, None, True, list(people))]
        return Spec(name, kind, spell, handoff, people, _efforts(rng, acts),
                    _serial_steps(acts), {"c": 1.0}, rules)  # fmt: skip
    if kind in ("fork/join", "fork/join with absences"):
        acts = ["a", "b", "c", "d"]
        absent = kind == "fork/join with absences"
        people = {f"p{i}": (avail() if absent else 1.0) for i in range(3)}
        steps = [("a", "a", []), ("b", "b", ["a"]), ("c", "c", ["a"]), ("d", "d", ["b", "c"])]
        rules = [(["a", "d"], None, False, ["p0"]), (["b"], None, False, ["p1"]),
                 (["c"], None, False, ["p2"])]  # fmt: skip
        return Spec(name, kind, spell, handoff, people, _efforts(rng, acts), steps,
                    {"c": 1.0}, rules)  # fmt: skip
    if kind == "fork in a pool":
        acts = ["a", "b", "c"]
        absent = rng.random() < 0.5
        people = {f"p{i}": (avail() if absent else 1.0) for i in range(2)}
        steps = [("a", "a", []), ("b", "b", ["a"]), ("c", "c", ["a"])]
        return Spec(name, kind, spell, handoff, people, _efforts(rng, acts), steps,
                    {"c": 1.0}, [(None, None, True, list(people))])  # fmt: skip
    if kind in ADDITIONS:
        return generate_addition(kind, rng, name, spell, handoff)
    raise ValueError(kind)


def _delay(rng: random.Random, route: dict[str, Any]) -> str:
    mean = rng.choice([2.0, 8.0, 17.0, 40.0])
    if rng.random() < 0.5:
        route["delay"] = ("fixed", mean, 0.0)
        return f"delay: {mean:g}h"
    cv = rng.choice([0.5, 1.0, 1.4])
    route["delay"] = ("lognormal", mean, cv)
    return f"delay: {{mean: {mean:g}h, cv: {cv:g}}}"


def generate_addition(
    kind: str, rng: random.Random, name: str, spell: float, handoff: float
) -> Spec:
    """One office of an issue-13 type (everyone always present: the additions alone)."""
    n = rng.randint(2, 4)
    acts = [f"a{i}" for i in range(n)]
    people = {f"p{i}": 1.0 for i in range(n)}
    rules: list[Any] = [([a], None, False, [f"p{i}"]) for i, a in enumerate(acts)]
    steps = _serial_steps(acts)
    extra: dict[str, str] = {}
    spec = Spec(name, kind, spell, handoff, people, _efforts(rng, acts), steps, {"c": 1.0}, rules)
    if kind == "rework (feedback)":
        end = rng.randrange(n)
        to = rng.randrange(end + 1)
        most = rng.randint(1, 3) if rng.random() < 0.5 else None
        limit = f", max: {most}" if most is not None else ""
        back = round(rng.uniform(0.2, 0.5), 3)
        extra[acts[end]] = f"rework: {{to: {acts[to]}, probability: {back:.3f}{limit}}}"
        spec.route[acts[end]] = {"rework": (acts[to], back, most)}
    elif kind == "delays, stops, optional steps":
        for i, a in enumerate(acts):
            keys = []
            data = spec.route.setdefault(a, {})
            if rng.random() < 0.6:
                keys.append(_delay(rng, data))
            if i and rng.random() < 0.4:
                data["probability"] = round(rng.uniform(0.3, 0.9), 3)
                keys.append(f"probability: {data['probability']:.3f}")
            if i < n - 1 and rng.random() < 0.4:
                data["stop"] = round(rng.uniform(0.05, 0.3), 3)
                keys.append(f"stop: {data['stop']:.3f}")
            if keys:
                extra[a] = ", ".join(keys)
    elif kind == "alternatives":
        i = rng.randrange(n)
        share = rng.uniform(0.2, 0.8)
        spec.activities["alt"] = _efforts(rng, ["alt"])["alt"]
        spec.people["q"] = 1.0
        spec.rules.append((["alt"], None, False, ["q"]))
        sid = acts[i]
        spec.steps[i] = (sid, f"[{sid}, alt]", spec.steps[i][2])
        extra[sid] = f"shares: [{share:.3f}, {1 - share:.3f}]"
        spec.route[sid] = {"share": round(share, 3)}
    elif kind == "pickup: any pool":
        c = rng.randint(2, 3)
        spec.people = {f"p{i}": 1.0 for i in range(c)}
        spec.rules = [(None, None, True, list(spec.people))]
        spec.rule_extra[0] = "pickup: any"
        spec.any_rules.add(0)
    elif kind == "rule efforts":
        for i in range(n):
            if rng.random() < 0.6:
                mean = rng.choice([0.5, 1.0, 3.0])
                spec.rule_extra[i] = f"effort: {{mean: {mean:g}h, cv: 0.5}}"
                spec.rule_effort[i] = ("lognormal", mean, 0.5)
    elif kind == "demand by month":
        factors = [rng.uniform(0.5, 1.5) for _ in MONTHS]
        mean = sum(factors) / 12
        spec.months = [round(f / mean, 4) for f in factors]
        spec.org_extra = ", demand_by_month: {" + ", ".join(
            f"{m}: {f:.4f}" for m, f in zip(MONTHS, spec.months, strict=True)
        ) + "}"  # fmt: skip
    spec.step_extra = extra
    return spec


def scaled(spec: Spec, target: float) -> Spec:
    """The same office with its demand scaled so that the busiest person's utilization (as
    ``orgflow analyze`` defines it: load / (capacity x availability)) is ``target``."""
    import orgflow

    a = orgflow.analyze(orgflow.load_text(spec.yaml()))
    top = max(p.load.utilization for p in a.people)
    factor = target / top
    spec.customers = {c: r * factor for c, r in spec.customers.items()}
    return spec


# --- an independent SimPy model of the README's rules ------------------------------------------


def draw(rng: random.Random, kind: str, mean: float, cv: float) -> float:
    if kind == "fixed":
        return mean
    if kind == "exponential":
        return rng.expovariate(1 / mean)
    sigma2 = math.log(1 + cv * cv)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))


class Worker:
    def __init__(self, pid: str, a: float, spell: float, horizon: float, rng: random.Random):
        self.id = pid
        self.queue: deque[tuple[Any, str]] = deque()
        self.wake: Any = None
        self.pool: tuple[str, ...] | None = None
        # alternating exponential spells, starting in the long-run state
        self.starts: list[float] = []
        self.ends: list[float] = []
        if a < 1:
            t = 0.0
            away = rng.random() >= a
            while t < horizon:
                if away:
                    length = rng.expovariate(1 / spell)
                    self.starts.append(t)
                    self.ends.append(t + length)
                else:
                    length = rng.expovariate(1 / (spell * a / (1 - a)))
                t += length
                away = not away

    def away_until(self, t: float) -> float | None:
        """The end of the absence at ``t`` (an absence starting at t counts; one ending at t
        does not), or None when present."""
        i = bisect.bisect_right(self.starts, t) - 1
        if i >= 0 and t < self.ends[i]:
            return self.ends[i]
        return None

    def finish(self, t: float, work: float) -> float:
        """When ``work`` hours started at ``t`` are done, resumed after every absence."""
        j = bisect.bisect_right(self.starts, t)
        while True:
            nxt = self.starts[j] if j < len(self.starts) else math.inf
            if t + work <= nxt:
                return t + work
            work -= nxt - t
            t = self.ends[j]
            j += 1


def simpy_lead_time(spec: Spec, requests: int, seed: int) -> tuple[float, int]:
    """Mean lead time (working hours) of the requests that arrive after the warm-up and finish
    before the end, and their number."""
    import simpy

    rng = random.Random(seed)
    rate = sum(spec.customers.values()) / HPW  # per working hour
    length = requests / rate
    warm = max(320.0, 0.05 * length)
    end = warm + length
    env = simpy.Environment()
    workers = {p: Worker(p, a, spec.spell, end + 10 * spec.spell, rng) for p, a in
               spec.people.items()}  # fmt: skip
    pool_queues: dict[tuple[str, ...], deque[tuple[Any, str]]] = {}
    succ: dict[str, list[str]] = {s: [] for s, _, _ in spec.steps}
    preds = {s: list(after) for s, _, after in spec.steps}
    for s, _, after in spec.steps:
        for p in after:
            succ[p].append(s)
    activity = {s: act for s, act, _ in spec.steps}
    owners: dict[tuple[str, str], tuple[bool, tuple[str, ...]]] = {}
    for cust in spec.customers:
        for s, act, _ in spec.steps:
            for acts, custs, pool, people in spec.rules:
                if (acts is None or act in acts) and (custs is None or cust in custs):
                    owners[cust, s] = (pool, tuple(people))
                    break
    for pool, people in owners.values():
        if pool:
            pool_queues.setdefault(people, deque())
            for p in people:
                workers[p].pool = people
    leads: list[float] = []

    def desk(cust: str, s: str) -> tuple[str, ...]:
        pool, people = owners[cust, s]
        return people if pool else people[:1]

    def notify(w: Worker) -> None:
        if w.wake is not None and not w.wake.triggered:
            w.wake.succeed()

    def assign(req: dict[str, Any], s: str) -> None:
        pool, people = owners[req["cust"], s]
        if pool:
            pool_queues[people].append((req, s))
            for p in people:
                notify(workers[p])
            return
        now = env.now
        for p in people:
            if workers[p].away_until(now) is None:
                workers[p].queue.append((req, s))
                notify(workers[p])
                return
        # everyone away: the first to come back (at a tie, the first in the desk's order)
        back = min(people, key=lambda p: (workers[p].away_until(now), people.index(p)))
        workers[back].queue.append((req, s))
        notify(workers[back])

    def done(req: dict[str, Any], s: str, w: Worker) -> None:
        now = env.now
        req["left"] -= 1
        if req["left"] == 0:
            if req["t"] >= warm and now <= end:
                leads.append(now - req["t"])
            return
        ready = []
        for nxt in succ[s]:
            req["pending"][nxt] -= 1
            if req["pending"][nxt] == 0:
                ready.append(nxt)
        here = desk(req["cust"], s)
        present = w.away_until(now) is None
        in_hand = False
        for nxt in ready:
            if desk(req["cust"], nxt) == here and present:
                pool, _ = owners[req["cust"], nxt]
                if pool and in_hand:
                    pool_queues[here].append((req, nxt))  # RULES 2: joins the pool's queue
                    for p in here:
                        notify(workers[p])
                else:
                    w.queue.appendleft((req, nxt))  # RULES 1: continues at once
                    in_hand = True
                continue
            delay = spec.handoff if desk(req["cust"], nxt) != here else 0.0
            if delay > 0:
                ev = env.timeout(delay)
                ev.callbacks.append(lambda _ev, r=req, n=nxt: assign(r, n))
            else:
                assign(req, nxt)

    def work(w: Worker) -> Any:
        while True:
            back = w.away_until(env.now)
            if back is not None:
                yield env.timeout(back - env.now)
                continue
            if w.queue:
                req, s = w.queue.popleft()
            elif w.pool is not None and pool_queues[w.pool]:
                req, s = pool_queues[w.pool].popleft()
            else:
                w.wake = env.event()
                yield w.wake
                continue
            kind, mean, cv = spec.activities[activity[s]]
            t = w.finish(env.now, draw(rng, kind, mean, cv))
            yield env.timeout(t - env.now)
            done(req, s, w)

    customers = list(spec.customers)
    weights = [spec.customers[c] for c in customers]
    firsts = [s for s, _, after in spec.steps if not after]

    def arrivals() -> Any:
        while True:
            yield env.timeout(rng.expovariate(rate))
            if env.now > end:
                return
            cust = rng.choices(customers, weights)[0]
            req = {
                "t": env.now,
                "cust": cust,
                "left": len(spec.steps),
                "pending": {s: len(preds[s]) for s in preds},
            }
            for s in firsts:
                assign(req, s)

    for w in workers.values():
        env.process(work(w))
    env.process(arrivals())
    env.run(until=end)
    return (statistics.fmean(leads) if leads else math.nan), len(leads)


def simpy_additions_lead_time(spec: Spec, requests: int, seed: int) -> tuple[float, int]:
    """The SimPy model of an issue-13 office (serial, everyone present), from the README's
    rules for the additions: each request walks its steps in order, drawing as it goes
    whether it does a step (``probability``), which alternative (``shares``), whether it
    stops or goes back (``stop``, ``rework`` with its ``max``); a delay is waited with nobody
    busy, then the step joins its desk's queue; the same desk continues at once unless a delay
    came before or the desk is a ``pickup: any`` pool (then the pool's queue); a rule's effort
    replaces the activity's; the rate follows ``demand_by_month`` (thinning, month by month on
    the working-hour calendar from Monday 2026-01-05)."""
    # Over 80 lines: one self-contained model, its closures sharing the run's state.
    import simpy

    rng = random.Random(seed)
    rate = sum(spec.customers.values()) / HPW
    length = requests / rate
    warm = max(320.0, 0.05 * length)
    end = warm + length
    env = simpy.Environment()
    names = [sid for sid, _, _ in spec.steps]
    activity = {sid: act.strip("[]").split(",")[0].strip() for sid, act, _ in spec.steps}
    workers = {p: Worker(p, 1.0, spec.spell, end, rng) for p in spec.people}
    pool_queues: dict[tuple[str, ...], deque[tuple[Any, ...]]] = {}

    def owners(act: str) -> tuple[tuple[str, ...], bool, tuple[str, float, float]]:
        """(desk, pickup any, effort) of the first rule for ``act``."""
        for i, (acts, _custs, pool, people) in enumerate(spec.rules):
            if acts is None or act in acts:
                desk = tuple(people) if pool else tuple(people[:1])
                if pool:
                    pool_queues.setdefault(desk, deque())
                    for p in people:
                        workers[p].pool = desk
                return desk, i in spec.any_rules, spec.rule_effort.get(i, spec.activities[act])
        raise KeyError(act)

    leads: list[float] = []

    def notify(w: Worker) -> None:
        if w.wake is not None and not w.wake.triggered:
            w.wake.succeed()

    def assign(item: tuple[Any, ...]) -> None:
        desk = owners(item[2])[0]
        if desk in pool_queues:
            pool_queues[desk].append(item)
            for p in desk:
                notify(workers[p])
        else:
            workers[desk[0]].queue.append(item)
            notify(workers[desk[0]])

    def finish(req: dict[str, Any]) -> None:
        if req["t"] >= warm and env.now <= end:
            leads.append(env.now - req["t"])

    def start(req: dict[str, Any], j: int) -> None:
        """From step ``j`` on: skip what the request skips, then do the next step."""
        while j < len(names) and rng.random() >= spec.route.get(names[j], {}).get(
            "probability", 1.0
        ):
            j += 1
        if j == len(names):
            finish(req)
            return
        data = spec.route.get(names[j], {})
        act = activity[names[j]]
        if "share" in data and rng.random() >= data["share"]:
            act = "alt"
        item = (req, j, act)
        desk, any_pickup, _effort = owners(act)
        last_desk, last_worker = req["last"]
        wait = draw(rng, *data["delay"]) if "delay" in data else 0.0
        if wait == 0 and desk == last_desk and not any_pickup:
            last_worker.queue.appendleft(item)  # continues at once
            notify(last_worker)
            return
        gap = spec.handoff if last_desk is not None and desk != last_desk else 0.0
        if wait + gap > 0:
            ev = env.timeout(wait + gap)
            ev.callbacks.append(lambda _ev, it=item: assign(it))
        else:
            assign(item)

    def done(req: dict[str, Any], j: int, act: str, w: Worker) -> None:
        req["last"] = (owners(act)[0], w)
        data = spec.route.get(names[j], {})
        stop = data.get("stop", 0.0)
        u = rng.random()
        if "rework" in data:
            to, back, most = data["rework"]
            if most is None or req["loops"] < most:
                if u < back:
                    req["loops"] += 1
                    start(req, names.index(to))
                    return
                stop += back
        if u < stop:
            finish(req)
        else:
            start(req, j + 1)

    def work(w: Worker) -> Any:
        while True:
            if w.queue:
                item = w.queue.popleft()
            elif w.pool is not None and pool_queues[w.pool]:
                item = pool_queues[w.pool].popleft()
            else:
                w.wake = env.event()
                yield w.wake
                continue
            req, j, act = item
            yield env.timeout(draw(rng, *owners(act)[2]))
            done(req, j, act, w)

    months = spec.months or [1.0] * 12
    top = max(months)

    def month_of(t: float) -> int:
        day = int(t // HPD)  # the working day, Monday 2026-01-05 first
        weeks, rest = divmod(day, int(DPW))
        return (START + dt.timedelta(days=7 * weeks + rest)).month

    def arrivals() -> Any:
        while True:
            yield env.timeout(rng.expovariate(rate * top))
            if env.now > end:
                return
            if rng.random() * top >= months[month_of(env.now) - 1]:
                continue  # thinned
            start({"t": env.now, "last": (None, None), "loops": 0}, 0)

    for w in workers.values():
        env.process(work(w))
    env.process(arrivals())
    env.run(until=end)
    return (statistics.fmean(leads) if leads else math.nan), len(leads)


# --- one office, three ways --------------------------------------------------------------------


def run_office(args: tuple[Spec, int, int, int]) -> dict[str, Any]:
    import orgflow
    from orgflow.simulate.runner import SimOptions, simulate

    spec, seed, sim_requests, simpy_requests = args
    office = orgflow.load_text(spec.yaml())
    analytic = orgflow.analyze(office).summary.lead_time_hours
    per_week = sum(spec.customers.values())
    runs = 5
    weeks = sim_requests / per_week / runs
    t0 = time.perf_counter()
    options = SimOptions(weeks=weeks, warmup=8.0, runs=runs, seed=seed, start=START)
    sim = simulate(office, options)
    t1 = time.perf_counter()
    model = simpy_additions_lead_time if spec.kind in ADDITIONS else simpy_lead_time
    ref, n = model(spec, simpy_requests, seed) if simpy_requests else (math.nan, 0)
    t2 = time.perf_counter()
    return {
        "name": spec.name,
        "kind": spec.kind,
        "analyze": analytic,
        "simulate": sim.lead_time.mean,
        "simulate_ci": sim.lead_time.ci95,
        "simpy": ref,
        "simpy_n": n,
        "seconds": (t1 - t0, t2 - t1),
    }


def table(rows: list[dict[str, Any]], est: str, ref: str, title: str) -> list[str]:
    out = [f"{title}", "", "| office type | offices | median | p90 | bias |",
           "| --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
    groups: list[tuple[str, list[dict[str, Any]]]] = [
        (k, [r for r in rows if r["kind"] == k]) for k in TYPES
    ]
    groups.append(("all", rows))
    for kind, group in groups:
        errs = [(r[est] - r[ref]) / r[ref] for r in group if math.isfinite(r[ref]) and r[ref] > 0]
        if not errs:
            continue
        absolute = sorted(abs(e) for e in errs)
        p90 = absolute[min(len(absolute) - 1, math.ceil(0.9 * len(absolute)) - 1)]
        label = f"**{kind}**" if kind == "all" else kind
        out.append(
            f"| {label} | {len(errs)} | {statistics.median(absolute):.1%} | {p90:.1%} |"
            f" {statistics.fmean(errs):+.1%} |"
        )
    return out


def closed_forms(scale: float) -> list[str]:
    """Issue 13's additions on offices with a closed form: the exact mean lead time, analyze's
    and the simulated mean (95% CI), each error against the exact figure."""
    import orgflow
    from orgflow.simulate.runner import SimOptions, simulate

    head = "version: 1\norg: {name: closed form, handoff_delay: 0h}\n"
    expo = "{dist: exponential, mean: 1h}"
    # M/M/2 at 2 lambda = 1.2, mu = 1: C(2, 1.2) = 0.45, W = 0.45 / 0.8 + 1 = 1.5625 h a visit.
    cases = [
        (
            "M/M/1, rework p = 0.4 (1 / ((1 - p) mu - lambda))",
            1 / (0.6 - 0.3),
            f"people: [{{id: ann, skills: [a]}}]\nactivities: [{{id: a, effort: {expo}}}]\n"
            "processes: [{id: p, steps: [{activity: a, rework: {to: a, probability: 0.4}}]}]\n"
            "customers: [{id: c, demand: {p: 12/week}}]\nassignments: [{people: [ann]}]\n",
        ),
        (
            "M/M/1 after a fixed 17 h delay (17 + 1 / (mu - lambda))",
            17 + 1 / (1 - 0.5),
            f"people: [{{id: ann, skills: [a]}}]\nactivities: [{{id: a, effort: {expo}}}]\n"
            "processes: [{id: p, steps: [{activity: a, delay: 17h}]}]\n"
            "customers: [{id: c, demand: {p: 20/week}}]\nassignments: [{people: [ann]}]\n",
        ),
        (
            "pickup: any pool of 2, two steps (2 x M/M/2 at 2 lambda)",
            2 * (0.45 / 0.8 + 1),
            f"people: [{{id: ann, skills: [a, b]}}, {{id: bob, skills: [a, b]}}]\n"
            f"activities: [{{id: a, effort: {expo}}}, {{id: b, effort: {expo}}}]\n"
            "processes: [{id: p, steps: [a, b]}]\n"
            "customers: [{id: c, demand: {p: 24/week}}]\n"
            "assignments: [{pool: [ann, bob], pickup: any}]\n",
        ),
        (
            "alternatives 0.3 / 0.7 at two M/D/1 desks (the mixture)",
            0.3 * (1 + 0.15 / 1.7) + 0.7 * (1 + 0.35 / 1.3),
            "people: [{id: ann, skills: [x]}, {id: bob, skills: [y]}]\n"
            "activities: [{id: x, effort: 1h}, {id: y, effort: 1h}]\n"
            "processes: [{id: p, steps: [{id: s, activity: [x, y], shares: [0.3, 0.7]}]}]\n"
            "customers: [{id: c, demand: {p: 20/week}}]\n"
            "assignments: [{activity: x, people: [ann]}, {activity: y, people: [bob]}]\n",
        ),
    ]
    out = [
        "issue 13's additions against closed forms:",
        "",
        "| office | exact (h) | analyze (h) | error | simulate (h) | error |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    weeks = 400 * scale
    for title, exact, body in cases:
        office = orgflow.load_text(head + body)
        analytic = orgflow.analyze(office).summary.lead_time_hours
        sim = simulate(office, SimOptions(weeks=weeks, warmup=10, runs=8, seed=1, start=START))
        e = sim.lead_time
        out.append(
            f"| {title} | {exact:.3f} | {analytic:.3f} | {(analytic - exact) / exact:+.1%} |"
            f" {e.mean:.3f} ± {e.ci95:.3f} | {(e.mean - exact) / exact:+.1%} |"
        )
    return out


def purchasing(scale: float) -> list[str]:
    """The hand-written purchasing sample: analyze and simulate against the log's 515.0 h
    (the mean lead time of its 608 completed requests)."""
    import orgflow
    from orgflow.simulate.runner import SimOptions, simulate

    log = 515.0
    office = orgflow.load(ROOT / "samples" / "purchasing.yaml")
    analytic = orgflow.analyze(office).summary.lead_time_hours
    options = SimOptions(weeks=520 * scale, warmup=8, runs=5, seed=1, start=START, jobs=2)
    e = simulate(office, options).lead_time
    return [
        "samples/purchasing.yaml against its log (mean lead time of the 608 requests):",
        "",
        "| figure | hours | against the log |",
        "| --- | ---: | ---: |",
        f"| the log | {log:.1f} | |",
        f"| analyze | {analytic:.1f} | {(analytic - log) / log:+.1%} |",
        f"| simulate (5 runs x {520 * scale:g} weeks) | {e.mean:.1f} ± {e.ci95:.1f} |"
        f" {(e.mean - log) / log:+.1%} |",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-type", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--only", default=None, help="run one office type only ('additions': issue 13's types)"
    )
    parser.add_argument("--verbose", action="store_true", help="print every office")
    ns = parser.parse_args(argv)
    rng = random.Random(ns.seed)
    jobs = []
    kinds = [k for k in TYPES if ns.only is None or k == ns.only]
    if ns.only == "additions":
        kinds = list(ADDITIONS)
    for kind in kinds:
        for i in range(ns.per_type):
            target = 0.3 + 0.6 * (i / max(ns.per_type - 1, 1))  # 0.3 to 0.9
            if kind == "demand by month":  # the average month: up to 1.5 times it at the peak
                target = 0.2 + 0.4 * (i / max(ns.per_type - 1, 1))
            spec = scaled(generate(kind, rng, i), target)
            # the SimPy model on every other office (a subset: it is the slow part)
            simpy_requests = int(40_000 * ns.scale) if i % 2 == 0 else 0
            jobs.append((spec, ns.seed * 1000 + len(jobs), int(200_000 * ns.scale),
                         simpy_requests))  # fmt: skip
    t0 = time.perf_counter()
    if ns.workers > 1:
        with ProcessPoolExecutor(ns.workers) as ex:
            rows = list(ex.map(run_office, jobs))
    else:
        rows = [run_office(j) for j in jobs]
    elapsed = time.perf_counter() - t0
    if ns.verbose:
        for r in rows:
            print(
                f"{r['name']:<34} analyze {r['analyze']:8.2f}  simulate {r['simulate']:8.2f}"
                f" ± {r['simulate_ci']:5.2f}  simpy {r['simpy']:8.2f}"
                f"  ({(r['analyze'] - r['simulate']) / r['simulate']:+.1%})"
            )
        print()
    print(f"{len(rows)} offices, seed {ns.seed}, utilization of the busiest person 0.3 to 0.9;"
          f" {elapsed:.0f} s on {ns.workers} worker(s)\n")  # fmt: skip
    print("\n".join(table(rows, "analyze", "simulate", "analyze against orgflow simulate:")))
    print()
    print("\n".join(table(rows, "analyze", "simpy", "analyze against the SimPy model (subset):")))
    print()
    print("\n".join(table(rows, "simulate", "simpy", "orgflow simulate against the SimPy model:")))
    if ns.only is None or ns.only in [*ADDITIONS, "additions"]:
        print()
        print("\n".join(closed_forms(ns.scale)))
        print()
        print("\n".join(purchasing(ns.scale)))


if __name__ == "__main__":
    main()
