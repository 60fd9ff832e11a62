"""Analytic lead time: the longest path through each route's DAG, with queueing at every desk a
request is handed to, handoff latency and the delay from absences; critical path and slack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from orgflow.analysis.queueing import INF, allen_cunneen_wait, completion_moments, pk_wait
from orgflow.analysis.routes import Route, Routes
from orgflow.analysis.workload import member_shares
from orgflow.assign import Owners
from orgflow.model import Org


@dataclass(frozen=True)
class Parts:
    """A lead time split into touch (effort), queueing, handoff latency and absence, in hours."""

    touch: float = 0.0
    queueing: float = 0.0
    handoff: float = 0.0
    absence: float = 0.0

    @property
    def total(self) -> float:
        return self.touch + self.queueing + self.handoff + self.absence

    def __add__(self, other: Parts) -> Parts:
        return Parts(
            self.touch + other.touch,
            self.queueing + other.queueing,
            self.handoff + other.handoff,
            self.absence + other.absence,
        )

    def scaled(self, factor: float) -> Parts:
        return Parts(
            self.touch * factor,
            self.queueing * factor,
            self.handoff * factor,
            self.absence * factor,
        )


@dataclass(frozen=True)
class Queue:
    """The queue in front of a person or a pool (rates per working hour, times in hours).

    ``wait`` is the mean wait with no absences (Pollaczek-Khinchine, or Allen-Cunneen for a
    pool); ``wait_with_absences`` uses completion times that include the interruptions.
    """

    name: str
    servers: int
    arrival_rate: float
    mean_service: float
    utilization: float
    wait: float
    wait_with_absences: float


@dataclass(frozen=True)
class StepTiming:
    step: str
    activity: str
    desk: str
    handed_over: bool  # received from another desk or from the customer
    earliest_start: float
    duration: float
    slack: float
    entry: Parts  # what it costs to get to this desk: queueing, handoff latency, absence
    work: Parts  # the step itself: touch, and absence interrupting it


@dataclass(frozen=True)
class RouteLeadTime:
    route: int
    lead_time_hours: float
    parts: Parts
    critical_path: list[str]
    steps: list[StepTiming] = field(default_factory=list)

    @property
    def flow_efficiency(self) -> float:
        if not math.isfinite(self.lead_time_hours) or self.lead_time_hours <= 0:
            return 0.0 if not math.isfinite(self.lead_time_hours) else 1.0
        return self.parts.touch / self.lead_time_hours


@dataclass
class _Stream:
    rate: float = 0.0
    m1: float = 0.0  # sum of rate * E[S]
    m2: float = 0.0  # sum of rate * E[S^2]

    def add(self, rate: float, mean: float, second: float) -> None:
        self.rate += rate
        self.m1 += rate * mean
        self.m2 += rate * second


def _visits(route: Route, order: list[str]) -> dict[str, str]:
    """Map each step to the step whose arrival at the desk started its visit.

    A step with no predecessor, or with one from another desk, arrives in a queue; a step all
    of whose predecessors are at the same desk continues at once within the same visit.
    """
    desk = {s.step: s.owners.desk for s in route.steps}
    steps = {s.step: s for s in route.steps}
    visit: dict[str, str] = {}
    for sid in order:
        s = steps[sid]
        same = [p for p in s.after if desk[p] == desk[s.step]]
        if s.after and len(same) == len(s.after) and same[0] in visit:
            visit[s.step] = visit[same[0]]
        else:
            visit[s.step] = s.step
    return visit


class LeadTimeModel:
    """Queues for every person and pool, and the lead time of every route."""

    def __init__(self, org: Org, routes: Routes, orders: dict[str, list[str]]) -> None:
        self.org = org
        self.cal = cal = org.calendar
        self.routes = routes
        self.orders = orders
        self.people = {p.id: p for p in org.people}
        self.speed = {p.id: p.capacity_hours_per_week(cal) / cal.hours_per_week for p in org.people}
        self.spell = org.org.absence_spell.hours(cal)
        self.handoff_delay = org.org.handoff_delay.hours(cal)
        self.effort = {a.id: a.effort for a in org.activities}
        self._shares: dict[Owners, list[tuple[str, float]]] = {}
        self.person_queues: dict[str, Queue] = {}
        self.pool_queues: dict[tuple[str, ...], Queue] = {}
        self._desk_wait: dict[Owners, Parts] = {}
        self._build_queues()

    def shares(self, owners: Owners) -> list[tuple[str, float]]:
        found = self._shares.get(owners)
        if found is None:
            found = self._shares[owners] = member_shares(owners, self.people, self.cal)
        return found

    def _build_queues(self) -> None:
        cal = self.cal
        persons = {p: _Stream() for p in self.people}
        pools: dict[tuple[str, ...], _Stream] = {}
        for route in self.routes.routes:
            visit = _visits(route, self.orders[route.process])
            totals: dict[str, tuple[float, float]] = {}
            for s in route.steps:
                effort = self.effort[s.activity]
                mean = effort.mean_hours(cal)
                var = effort.variance_hours(cal)
                head = visit[s.step]
                m, v = totals.get(head, (0.0, 0.0))
                totals[head] = (m + mean, v + var)
            for s in route.steps:
                if s.step not in totals:
                    continue
                mean, var = totals[s.step]
                rate = route.requests_per_hour
                pool = pools.setdefault(s.owners.people, _Stream()) if s.owners.pool else None
                for person, share in self.shares(s.owners):
                    v = self.speed[person]
                    m1, m2 = mean / v, (var + mean * mean) / (v * v)
                    persons[person].add(rate * share, m1, m2)
                    if pool is not None:
                        pool.add(rate * share, m1, m2)
        for pid, st in persons.items():
            a = self.people[pid].availability
            rho0 = st.m1
            rho = rho0 / a
            f = (1 - a) / (a * self.spell) if a < 1 and self.spell > 0 else 0.0
            m2c = st.m2 / a**2 + f * 2 * self.spell**2 * st.m1
            self.person_queues[pid] = Queue(
                pid,
                1,
                st.rate,
                st.m1 / st.rate if st.rate else 0.0,
                rho,
                pk_wait(st.rate, st.m2 / st.rate if st.rate else 0.0, rho0) if st.rate else 0.0,
                pk_wait(st.rate, m2c / st.rate if st.rate else 0.0, rho) if st.rate else 0.0,
            )
        for members, st in pools.items():
            c = len(members)
            avail = sum(self.people[p].availability for p in members) / c
            rho0 = (
                sum(
                    self.person_queues[p].utilization * self.people[p].availability for p in members
                )
                / c
            )
            rho = sum(self.person_queues[p].utilization for p in members) / c
            es, es2 = (st.m1 / st.rate, st.m2 / st.rate) if st.rate else (0.0, 0.0)
            scv = es2 / es**2 - 1 if es > 0 else 0.0
            ec, ec2 = completion_moments(es, es2, avail, self.spell)
            scv_c = ec2 / ec**2 - 1 if ec > 0 else 0.0
            self.pool_queues[members] = Queue(
                "+".join(members),
                c,
                st.rate,
                es,
                rho,
                allen_cunneen_wait(c, rho0, es, scv),
                allen_cunneen_wait(c, rho, ec, scv_c),
            )

    def desk_wait(self, owners: Owners) -> Parts:
        """Mean wait of an item handed to ``owners``, split into queueing and absence.

        A chain: member j gets the item with probability pi_j = A_j prod_{i<j}(1 - A_i) and it
        waits in j's queue; when all are away (pi_0 = prod(1 - A_i)) it also waits for the first
        to return, D / n for n people with exponential spells of mean D. A pool: its M/G/c
        queue, plus pi_0 * D / c.
        """
        found = self._desk_wait.get(owners)
        if found is not None:
            return found
        all_away = math.prod(1 - self.people[p].availability for p in owners.people)
        n = len(owners.people)
        if owners.pool:
            q = self.pool_queues[owners.people]
            queue, total = q.wait, q.wait_with_absences + all_away * self.spell / n
        else:
            queue = total = 0.0
            before_away = 1.0
            for person in owners.people:
                a = self.people[person].availability
                pq = self.person_queues[person]
                queue += _weight(before_away * a, pq.wait)
                total += _weight(before_away * a, pq.wait_with_absences)
                before_away *= 1 - a
            primary = self.person_queues[owners.people[0]]
            queue += _weight(all_away, primary.wait)
            total += _weight(all_away, self.spell / n + primary.wait_with_absences)
        found = self._desk_wait[owners] = Parts(queueing=queue, absence=_difference(total, queue))
        return found

    def step_work(self, owners: Owners, activity: str) -> Parts:
        """The step itself: touch time at the doer's pace, and absences interrupting it."""
        mean = self.effort[activity].mean_hours(self.cal)
        touch = absence = 0.0
        for person, share in self.shares(owners):
            elapsed = mean / self.speed[person]
            touch += share * elapsed
            absence += share * elapsed * (1 / self.people[person].availability - 1)
        return Parts(touch=touch, absence=absence)

    def route_lead_time(
        self, route: Route, order: list[str], reach: dict[str, set[str]]
    ) -> RouteLeadTime:
        """Longest path from the customer's request to the last step, and every step's slack."""
        steps = {s.step: s for s in route.steps}
        desk = {s.step: s.owners.desk for s in route.steps}
        edges: dict[str, list[tuple[str, Parts]]] = {sid: [] for sid in order}
        for sid in order:
            for pred in steps[sid].after:
                if desk[pred] == desk[sid]:
                    edges[sid].append((pred, Parts()))
                else:
                    wait = self.desk_wait(steps[sid].owners)
                    edges[sid].append((pred, wait + Parts(handoff=self.handoff_delay)))
        # One person cannot do two steps at once: same-desk steps that do not wait for each
        # other are done one after another, in step order.
        for i, u in enumerate(order):
            for v in order[i + 1 :]:
                if desk[u] == desk[v] and v not in reach[u] and u not in reach[v]:
                    edges[v].append((u, Parts()))
        work = {sid: self.step_work(steps[sid].owners, steps[sid].activity) for sid in order}
        entry_from_customer = {
            sid: self.desk_wait(steps[sid].owners) for sid in order if not steps[sid].after
        }
        start: dict[str, float] = {}
        best_in: dict[str, tuple[str | None, Parts]] = {}
        for sid in order:
            best: tuple[str | None, Parts] | None = None
            best_time = -1.0
            if sid in entry_from_customer:
                best, best_time = (None, entry_from_customer[sid]), entry_from_customer[sid].total
            for pred, cost in edges[sid]:
                t = start[pred] + work[pred].total + cost.total
                if t > best_time or best is None:
                    best, best_time = (pred, cost), t
            assert best is not None
            start[sid], best_in[sid] = best_time, best
        finish = {sid: start[sid] + work[sid].total for sid in order}
        last = max(order, key=lambda sid: (finish[sid], -order.index(sid)))
        lead = finish[last]
        # Backward pass for slack.
        latest: dict[str, float] = {}
        succ: dict[str, list[tuple[str, Parts]]] = {sid: [] for sid in order}
        for v in order:
            for u, cost in edges[v]:
                succ[u].append((v, cost))
        for sid in reversed(order):
            # An infinite wait after this step (inf - inf): any finish leads to the same
            # infinite lead time, so the step is on the critical path, with no slack.
            lf = min(
                (_latest_finish(latest[v], c.total, finish[sid]) for v, c in succ[sid]),
                default=lead,
            )
            latest[sid] = lf - work[sid].total
        path: list[str] = []
        parts = Parts()
        node: str | None = last
        while node is not None:
            path.append(node)
            came_from, cost = best_in[node]
            parts = parts + work[node] + cost
            node = came_from
        path.reverse()
        timings = [
            StepTiming(
                step=sid,
                activity=steps[sid].activity,
                desk=desk[sid],
                handed_over=sid in entry_from_customer
                or any(desk[p] != desk[sid] for p in steps[sid].after),
                earliest_start=start[sid],
                duration=work[sid].total,
                slack=_difference(latest[sid], start[sid]),
                entry=(
                    entry_from_customer.get(sid)
                    or max(
                        (c for p, c in edges[sid] if desk[p] != desk[sid]),
                        key=lambda c: c.total,
                        default=Parts(),
                    )
                ),
                work=work[sid],
            )
            for sid in order
        ]
        return RouteLeadTime(route.number, lead, parts, path, timings)


def _latest_finish(latest_start_next: float, cost: float, finish: float) -> float:
    """Latest finish allowed by one successor; ``finish`` when both are infinite."""
    if math.isinf(latest_start_next) and math.isinf(cost):
        return finish
    return latest_start_next - cost


def _weight(probability: float, wait: float) -> float:
    """``probability * wait``, where a case that never happens adds nothing, even an infinite
    wait (``0 * inf`` would be ``nan``)."""
    return 0.0 if probability == 0 else probability * wait


def _difference(a: float, b: float) -> float:
    if math.isinf(a):
        return 0.0 if math.isinf(b) else INF
    return max(a - b, 0.0)


def lead_times(org: Org, routes: Routes) -> tuple[LeadTimeModel, list[RouteLeadTime]]:
    """The queue model and the lead time of every route, in route order."""
    import networkx as nx

    from orgflow.graph import process_dag

    shapes: dict[str, tuple[list[str], dict[str, set[str]]]] = {}
    for process in org.processes:
        dag = process_dag(process)
        index = {s.step_id: i for i, s in enumerate(process.steps)}
        order = list(nx.lexicographical_topological_sort(dag, key=index.__getitem__))
        reach = {sid: nx.descendants(dag, sid) for sid in order}
        shapes[process.id] = (order, reach)
    model = LeadTimeModel(org, routes, {pid: shape[0] for pid, shape in shapes.items()})
    out = []
    for route in routes.routes:
        order, reach = shapes[route.process]
        out.append(model.route_lead_time(route, order, reach))
    return model, out
