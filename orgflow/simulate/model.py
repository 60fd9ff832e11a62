"""The office as both simulation engines see it (:class:`SimOffice`), and what a run measures
(:class:`RunResult`): the types the event engine (:mod:`orgflow.simulate.events`), the flow
engine (:mod:`orgflow.simulate.flow`) and :mod:`orgflow.simulate.engine`, which picks one, share.
Working hours throughout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from orgflow.assign import Owners
from orgflow.office import Office
from orgflow.simulate.streams import Profile, away_intervals


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
    #: Issue 13's random route (delays, optional steps, stops, alternatives, reworks, or a
    #: ``pickup: any`` pool): each request draws its executions at arrival (:class:`Drawn`).
    random: bool = False
    #: Expected executions of its steps per request (the number of steps on a plain route).
    visits: float = 0.0


@dataclass
class Doing:
    """One (step, alternative) of a random route as the event engine reads it: its owners,
    pool (-1: a chain), desk, whether its pool sends every step back to the shared queue
    (``pickup: any``), and the keys of its effort and delay samplers (-1: no delay)."""

    people: list[int]
    pool: int
    desk: str
    any_pickup: bool
    effort: int
    delay: int
    act: int = -1  # the activity's index (:attr:`SimOffice.activity_ids`)


@dataclass
class Drawn:
    """One request's drawn route (issue 13): its executions in an order where each comes
    after those it waits for, each its route step's index, the (step, alternative) done, the
    executions it waits for, and its effort and external delay (hours)."""

    steps: list[int]
    doings: list[Doing]
    waits: list[tuple[int, ...]]
    work: list[float]
    delay: list[float]


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
    external_sum: float = 0.0  # the delays on the requests' critical paths (issue 13), summed
    #: Issue 14, over the completed counted requests (the event engine's; the flow engine
    #: leaves them None): changes of person and of role between steps begun one after the
    #: other, summed, and each activity's executions (by :attr:`SimOffice.activity_ids`).
    person_changes: int | None = None
    role_changes: int | None = None
    activity_counts: list[int] | None = None


class SimOffice:
    """The office as both engines see it, in numbers: people, pools and routes by index, the
    demand as one stream of (route, customer) choices, each activity's effort sampler. Built
    once from an :class:`~orgflow.office.Office`, read by every run."""

    def __init__(
        self,
        office: Office,
        dated: list[list[tuple[float, float]]] | None = None,
        profile: Profile | None = None,
        roles: Mapping[str, str] | None = None,
    ) -> None:
        # Over 80 lines: one pass over the routes builds every table the engines index.
        org, routes, cal = office.org, office.routes, office.calendar
        #: ``demand_by_month`` as a profile over the run's working hours (None: a flat rate).
        self.profile = profile
        self.people_ids = list(office.people)
        pindex = self.pindex = {pid: i for i, pid in enumerate(self.people_ids)}
        self.office_rules = org.assignments
        self.processes = org.processes
        self.availability = [office.availability[p] for p in self.people_ids]
        self.speed = [office.speed[p] for p in self.people_ids]
        self.spell = office.absence_spell
        self.handoff = office.handoff_delay
        #: Each person's role (an index; ``roles``: person -> role, a person not in it a role
        #: of their own), for the changes of role (issue 14).
        role_names = {pid: (roles or {}).get(pid, "person:" + pid) for pid in self.people_ids}
        distinct = {r: i for i, r in enumerate(dict.fromkeys(role_names.values()))}
        self.role = [distinct[role_names[pid]] for pid in self.people_ids]
        self.activity_ids = [a.id for a in org.activities]
        self.act_index = {a: i for i, a in enumerate(self.activity_ids)}
        pools: dict[tuple[tuple[str, ...], tuple[float, ...]], int] = {}
        self.pool_members: list[list[int]] = []
        #: Per pool, its members' ``shares`` in order (empty: none, the longest idle takes).
        self.pool_shares: list[list[float]] = []
        self.routes: list[SimRoute] = []
        import numpy as np

        from orgflow.simulate.efforts import numpy_sampler

        by_activity = {a.id: numpy_sampler(a.effort, cal) for a in org.activities}
        #: Effort samplers by key: each activity's, then each rule ``effort``'s per activity.
        self.samplers: list[Any] = list(by_activity.values())
        sampler_of: dict[tuple[int, str], int] = {(-1, a): i for i, a in enumerate(by_activity)}

        def pool_of(owners: Owners) -> int:
            if not owners.pool:
                return -1
            k = pools.get((owners.people, owners.shares), -1)
            if k < 0:
                k = pools[(owners.people, owners.shares)] = len(self.pool_members)
                self.pool_members.append([pindex[p] for p in owners.people])
                self.pool_shares.append(list(owners.shares))
            return k

        def effort_key(owners: Owners, activity: str) -> int:
            rules = org.assignments
            rule = rules[owners.rule] if 0 <= owners.rule < len(rules) else None
            key = (owners.rule, activity) if rule is not None and rule.effort else (-1, activity)
            if key not in sampler_of:
                assert rule is not None
                assert rule.effort is not None
                sampler_of[key] = len(self.samplers)
                self.samplers.append(numpy_sampler(rule.effort, cal))
            return sampler_of[key]

        #: Per route, each step's effort sampler (its first owners' rule, or the activity's).
        self.step_effort: list[list[int]] = []
        #: Per random route: its route model and, per step, its doings; delay samplers by key.
        self.models: list[Any] = []
        self.doings: list[list[dict[str, Doing]]] = []
        self.delay_samplers: list[Any] = []
        #: Per route: each step's index by its id.
        self.step_index: list[dict[str, int]] = []
        for route in routes.routes:
            pos = {s.step: i for i, s in enumerate(route.steps)}
            self.step_index.append(pos)
            steps = []
            self.step_effort.append([effort_key(s.owners, s.activity) for s in route.steps])
            for i, s in enumerate(route.steps):
                pool = pool_of(s.owners)
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
                    route.random,
                    sum(s.visits for s in route.steps),
                )
            )
            self.models.append(None)
            self.doings.append([])
            if route.random:
                self._random_route(route, pool_of, effort_key, cal)
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
        #: Whether some route is random (issue 13): only the event engine in Python runs it.
        self.random_routes = any(r.random for r in self.routes)
        self.choice_route = np.asarray([ri for ri, _ in self.choices], dtype=np.int64)
        #: Whether anyone is ever away (else the run with everyone present is the run itself).
        self.has_absences = any(d for d in self.dated) or (
            self.spell > 0 and any(a < 1 for a in self.availability)
        )

    def steps_per_request(self) -> float:
        """The expected number of step executions of one request: each (route, customer)
        choice's :attr:`SimRoute.visits` weighted by its share of the demand (0 without
        demand)."""
        weights = [b - a for a, b in zip([0.0, *self.cum][: len(self.cum)], self.cum, strict=True)]
        total = sum(weights)
        if total <= 0:
            return 0.0
        visits = sum(
            w * self.routes[ri].visits for w, (ri, _c) in zip(weights, self.choices, strict=True)
        )
        return visits / total

    def _random_route(self, route: Any, pool_of: Any, effort_key: Any, cal: Any) -> None:
        """The tables of a random route: its model and each (step, alternative)'s doing."""
        from orgflow.routing import route_model
        from orgflow.simulate.efforts import numpy_sampler

        rules = self.office_rules
        self.models[-1] = route_model(route.routing)
        delays = {s.step_id: s.delay for p in self.processes if p.id == route.process
                  for s in p.steps}  # fmt: skip
        per_step = []
        for s in route.steps:
            delay = -1
            if delays.get(s.step) is not None:
                delay = len(self.delay_samplers)
                self.delay_samplers.append(numpy_sampler(delays[s.step], cal))
            per_step.append(
                {
                    activity: Doing(
                        [self.pindex[p] for p in owners.people],
                        pool_of(owners),
                        owners.desk,
                        owners.pool
                        and 0 <= owners.rule < len(rules)
                        and rules[owners.rule].pickup == "any",
                        effort_key(owners, activity),
                        delay,
                        self.act_index[activity],
                    )
                    for activity, _share, owners in s.doings
                }
            )
        self.doings[-1] = per_step

    def draw_routes(self, route_rng: Any, rng: Any, choice: Any) -> dict[int, Drawn]:
        """The drawn route of each request of a window of arrivals on a random route, by its
        position in the window: executions drawn with ``route_rng`` (a :class:`random.Random`)
        in arrival order, then their efforts and delays with ``rng``, per sampler in a fixed
        order (common random numbers: the same run with everyone present draws the same)."""
        import numpy as np

        from orgflow.routing import draw_route

        out: dict[int, Drawn] = {}
        efforts: dict[int, list[tuple[Drawn, int]]] = {}
        delays: dict[int, list[tuple[Drawn, int]]] = {}
        for row, c in enumerate(choice.tolist()):
            ri = self.choices[c][0]
            if not self.routes[ri].random:
                continue
            index = self.step_index[ri]
            route = draw_route(self.models[ri], route_rng)
            drawn = Drawn([], [], [], [0.0] * len(route), [0.0] * len(route))
            for x, ex in enumerate(route):
                si = index[ex.step]
                doing = self.doings[ri][si][ex.activity]
                drawn.steps.append(si)
                drawn.doings.append(doing)
                drawn.waits.append(ex.waits_for)
                efforts.setdefault(doing.effort, []).append((drawn, x))
                if doing.delay >= 0:
                    delays.setdefault(doing.delay, []).append((drawn, x))
            out[row] = drawn
        for key in sorted(efforts):
            cells = efforts[key]
            for (d, x), w in zip(cells, self.samplers[key](rng, len(cells)).tolist(), strict=True):
                d.work[x] = w
        for key in sorted(delays):
            cells = delays[key]
            values = np.maximum(self.delay_samplers[key](rng, len(cells)), 0.0).tolist()
            for (d, x), w in zip(cells, values, strict=True):
                d.delay[x] = w
        return out

    def efforts(self, rng: Any, choice: Any) -> list[tuple[int, Any, Any]]:
        """Every effort of a window of arrivals, drawn at their arrival (hours): per route with
        arrivals, the positions of its requests in the window and a (steps x requests) array.
        Both engines draw the same efforts for the same request, and absences do not change
        which effort a request gets (common random numbers).

        One draw per sampler and window (the samplers in their order), its values dealt to
        the routes' steps in route order, then step order, each step its requests in the
        window's order: a call per sampler, not per step of every route (on
        ``samples/large-office.yaml`` 14 calls a window instead of about 300)."""
        import numpy as np

        out: list[tuple[int, Any, Any]] = []
        if not len(choice):
            return out
        route_of = self.choice_route[choice]
        # Stable: each route's requests in the window's order (as 16-bit numbers, numpy's
        # radix sort: a tenth of the time).
        small = np.uint16 if len(self.routes) < 1 << 16 else np.int64
        order = np.argsort(route_of.astype(small), kind="stable")
        bounds = np.searchsorted(route_of[order], np.arange(len(self.routes) + 1)).tolist()
        wanted: dict[int, int] = {}
        plain: list[tuple[int, int, int]] = []
        for ri, route in enumerate(self.routes):
            lo, hi = bounds[ri], bounds[ri + 1]
            if lo == hi or route.random:  # a random route's efforts: draw_routes
                continue
            plain.append((ri, lo, hi))
            for k in self.step_effort[ri]:
                wanted[k] = wanted.get(k, 0) + hi - lo
        values = {k: self.samplers[k](rng, wanted[k]) for k in sorted(wanted)}
        used = dict.fromkeys(wanted, 0)
        for ri, lo, hi in plain:
            n = hi - lo
            keys = self.step_effort[ri]
            work = np.empty((len(keys), n))
            for row, k in enumerate(keys):
                at = used[k]
                work[row] = values[k][at : at + n]
                used[k] = at + n
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
