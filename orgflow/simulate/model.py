"""The office as both simulation engines see it (:class:`SimOffice`), and what a run measures
(:class:`RunResult`): the types the event engine (:mod:`orgflow.simulate.events`), the flow
engine (:mod:`orgflow.simulate.flow`) and :mod:`orgflow.simulate.engine`, which picks one, share.
Working hours throughout."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from orgflow.office import Office
from orgflow.simulate.streams import away_intervals


@dataclass
class SimStep:
    index: int
    name: str
    activity: str
    preds: list[int]
    succs: list[int]
    people: list[int]
    pool: int  # pool index, or -1 for a chain
    desk: str
    handed_from: list[int]  # the predecessors done at another desk (handoffs into this step)


@dataclass
class SimRoute:
    number: int
    process: str
    steps: list[SimStep]
    sources: list[int]
    order: list[int]  # the steps in topological order (the office's)


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


class SimOffice:
    """The office as both engines see it, in numbers: people, pools and routes by index, the
    demand as one stream of (route, customer) choices, each activity's effort sampler. Built
    once from an :class:`~orgflow.office.Office`, read by every run."""

    def __init__(
        self, office: Office, dated: list[list[tuple[float, float]]] | None = None
    ) -> None:
        org, routes, cal = office.org, office.routes, office.calendar
        self.people_ids = list(office.people)
        pindex = {pid: i for i, pid in enumerate(self.people_ids)}
        self.availability = [office.availability[p] for p in self.people_ids]
        self.speed = [office.speed[p] for p in self.people_ids]
        self.spell = office.absence_spell
        self.handoff = office.handoff_delay
        pools: dict[tuple[str, ...], int] = {}
        self.pool_members: list[list[int]] = []
        self.routes: list[SimRoute] = []
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
                    SimStep(
                        i,
                        s.step,
                        s.activity,
                        [pos[p] for p in s.after],
                        [],
                        [pindex[p] for p in s.owners.people],
                        pool,
                        s.desk,
                        [pos[p] for p in s.handed_from],
                    )
                )
            for st in steps:
                for p in st.preds:
                    steps[p].succs.append(st.index)
            self.routes.append(
                SimRoute(
                    route.number,
                    route.process,
                    steps,
                    [st.index for st in steps if not st.preds],
                    [pos[sid] for sid in office.order(route.process)],
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
        self.dated = dated or [[] for _ in self.people_ids]
        import numpy as np

        from orgflow.simulate.efforts import numpy_sampler

        self.np_samplers = {a.id: numpy_sampler(a.effort, cal) for a in org.activities}
        self.choice_route = np.asarray([ri for ri, _ in self.choices], dtype=np.int64)
        #: Whether anyone is ever away (else the run with everyone present is the run itself).
        self.has_absences = any(d for d in self.dated) or (
            self.spell > 0 and any(a < 1 for a in self.availability)
        )

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
