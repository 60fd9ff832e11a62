"""The office as both simulation engines see it (:class:`Simulator`), and what a run measures
(:class:`RunResult`); the event engine itself is :mod:`orgflow.simulate.events`, the flow
engine :mod:`orgflow.simulate.flow`. Working hours throughout.

Rules (the README documents them):

- Requests arrive as one Poisson stream at the total demand rate; each arrival is a
  (customer, process) drawn in proportion to its rate (the superposition of the per-customer
  Poisson streams).
- A step starts when all its predecessors are done. It goes to its owners by the assignment
  rules: in a chain, to the first member present when it arrives (after ``handoff_delay``);
  if nobody is present it waits for the first of them to come back. A pool has one FIFO queue
  that every present, free member serves.
- Continuation: whoever finished a step keeps the request for the next step only when the
  next step's desk (the primary of its chain, or the pool) is the desk of the step just
  finished and they are one of its owners (they are present: they just finished). They
  continue at once, no queue, no handoff delay. Otherwise the step goes to its desk's queue.
  A second branch that becomes ready with it goes to the front of their queue at a chain
  desk; in a pool's visit, to the pool's queue (FIFO with everything else).
- Absences: each person alternates present and away in exponential spells, away spells of
  mean ``absence_spell`` and a long-run away share of ``1 - availability``; dated absences
  come on top. The job in hand when someone leaves stays with them and resumes where it was
  when they return; items already in their queue stay in their queue. Only work that arrives
  while they are away goes to a backup.
- A person serves their own queue and the queues of their pools in arrival order (FIFO
  across them).
- Efforts are drawn per request at its arrival (common random numbers: absences do not change
  which effort a request gets, and both engines see the same work).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from orgflow.analysis.routes import Routes
from orgflow.model import (
    Org,
)
from orgflow.simulate.streams import away_intervals


@dataclass
class _Step:
    index: int
    name: str
    activity: str
    preds: list[int]
    succs: list[int]
    people: list[int]
    pool: int  # pool index, or -1 for a chain
    desk: str


@dataclass
class _RouteModel:
    number: int
    process: str
    steps: list[_Step]
    sources: list[int]


@dataclass
class RunResult:
    """What one run measured, over the requests that arrived after the warm-up (hours)."""

    lead_times: Any  # numpy float array, one per completed request
    route_of: Any  # numpy int array: index of the request's route
    customer_of: Any  # numpy int array: index of the request's customer
    number_of: Any  # numpy int array: the request's number in arrival order (from 0)
    parts_sum: tuple[float, float, float, float]  # touch, queueing, handoff, absence: sums
    completed: int
    open_at_end: int
    open_at_warmup: int
    utilization: list[float]
    mean_queue: list[float]
    max_queue: list[int]
    delayed_share: list[float]


class Simulator:
    """One office, ready to run with a seed: build once, run many times."""

    def __init__(
        self, org: Org, routes: Routes, dated: list[list[tuple[float, float]]] | None = None
    ) -> None:
        cal = org.calendar
        self.people_ids = [p.id for p in org.people]
        pindex = {pid: i for i, pid in enumerate(self.people_ids)}
        self.availability = [p.availability for p in org.people]
        self.speed = [p.capacity_hours_per_week(cal) / cal.hours_per_week for p in org.people]
        self.spell = org.org.absence_spell.hours(cal)
        self.handoff = org.org.handoff_delay.hours(cal)
        pools: dict[tuple[str, ...], int] = {}
        self.pool_members: list[list[int]] = []
        self.routes: list[_RouteModel] = []
        for route in routes.routes:
            pos = {s.step: i for i, s in enumerate(route.steps)}
            steps = []
            for i, s in enumerate(route.steps):
                pool = -1
                if s.owners.pool:
                    pool = pools.get(s.owners.people, -1)
                    if pool < 0:
                        pool = pools[s.owners.people] = len(self.pool_members)
                        self.pool_members.append([pindex[p] for p in s.owners.people])
                steps.append(
                    _Step(
                        i,
                        s.step,
                        s.activity,
                        [pos[p] for p in s.after],
                        [],
                        [pindex[p] for p in s.owners.people],
                        pool,
                        s.owners.desk,
                    )
                )
            for st in steps:
                for p in st.preds:
                    steps[p].succs.append(st.index)
            self.routes.append(
                _RouteModel(
                    route.number, route.process, steps, [st.index for st in steps if not st.preds]
                )
            )
        self.customers = [c.id for c in org.customers]
        cindex = {cid: i for i, cid in enumerate(self.customers)}
        route_index = {id(r): i for i, r in enumerate(routes.routes)}
        self.choices: list[tuple[int, int]] = []
        weights: list[float] = []
        for cid, pairs in routes.by_customer.items():
            for route, per_week in pairs:
                if per_week > 0:
                    self.choices.append((route_index[id(route)], cindex[cid]))
                    weights.append(per_week)
        self.cum = list(accumulate(weights))
        self.total_rate = sum(weights) / cal.hours_per_week if weights else 0.0
        self.dated = dated or [[] for _ in org.people]
        import numpy as np

        from orgflow.simulate.flow import flow_plan, numpy_sampler

        self.np_samplers = {a.id: numpy_sampler(a.effort, cal) for a in org.activities}
        self.choice_route = np.asarray([ri for ri, _ in self.choices], dtype=np.int64)
        #: Whether anyone is ever away (else the run with everyone present is the run itself).
        self.has_absences = any(d for d in self.dated) or (
            self.spell > 0 and any(a < 1 for a in self.availability)
        )
        self.plan = flow_plan(self)

    def efforts(self, rng: Any, choice: Any) -> list[tuple[int, Any, Any]]:
        """Every effort of a window of arrivals, drawn at their arrival (hours): per route with
        arrivals, the positions of its requests in the window and a (steps x requests) array.
        Both engines draw the same efforts for the same request, and absences do not change
        which effort a request gets (common random numbers)."""
        import numpy as np

        out: list[tuple[int, Any, Any]] = []
        if not len(choice):
            return out
        route_of = self.choice_route[choice]
        order = np.argsort(route_of, kind="stable")
        bounds = np.searchsorted(route_of[order], np.arange(len(self.routes) + 1))
        for ri, route in enumerate(self.routes):
            lo, hi = int(bounds[ri]), int(bounds[ri + 1])
            if lo == hi:
                continue
            n = hi - lo
            work = np.vstack([self.np_samplers[s.activity](rng, n) for s in route.steps])
            out.append((ri, order[lo:hi], work))
        return out

    def check_engine(self, engine: str) -> None:
        """Refuse an engine that cannot run this office (before any run starts)."""
        if engine == "flow" and self.plan is None:
            raise ValueError(
                "this office sends work back to a desk; only the event engine can simulate it"
            )

    def run_any(
        self,
        seed: int,
        run: int,
        horizon: float,
        warmup: float,
        engine: str = "auto",
        progress: Callable[[float], None] | None = None,
        present: bool = False,
    ) -> RunResult:
        """Run on the flow engine when the office allows it (``auto``), else on events.
        ``present``: the same run (same arrivals and efforts) with everyone always present."""
        self.check_engine(engine)
        if engine != "event" and self.plan is not None:
            from orgflow.simulate.flow import run_flow

            return run_flow(self, self.plan, seed, run, horizon, warmup, progress, present)
        return self.run(seed, run, horizon, warmup, progress, present)

    def away(
        self, seed: int, run: int, person: int, horizon: float, present: bool = False
    ) -> list[tuple[float, float]]:
        """The person's absence intervals in this run (shared with the flow engine); none
        when ``present`` (everyone always present)."""
        if present:
            return []
        return away_intervals(
            seed,
            run,
            self.people_ids[person],
            self.availability[person],
            self.spell,
            horizon,
            self.dated[person],
        )

    def run(
        self,
        seed: int,
        run: int,
        horizon: float,
        warmup: float,
        progress: Callable[[float], None] | None = None,
        present: bool = False,
    ) -> RunResult:
        """Simulate ``horizon`` working hours on the event engine; requests arriving before
        ``warmup`` load the office but are not counted."""
        from orgflow.simulate import kernel

        if kernel.worth_it(self, horizon):  # compiled, the same figures
            return kernel.KernelRun(self, seed, run, horizon, warmup, present).run(progress)
        from orgflow.simulate.events import EventRun

        return EventRun(self, seed, run, horizon, warmup, present).run(progress)
