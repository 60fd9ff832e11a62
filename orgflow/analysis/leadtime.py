"""Analytic lead time: the longest path through each route's DAG, with queueing at every desk a
request is handed to, handoff latency and the delay from absences; critical path and slack.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, TypeVar

from orgflow import routing
from orgflow.analysis.queueing import (
    INF,
    allen_cunneen_wait,
    clark_max,
    completion_moments,
    klb_factor,
    modulated_queues,
    pk_wait,
    qna_departure_scv,
    wait_second_moment,
)
from orgflow.analysis.workload import member_shares
from orgflow.assign import Owners
from orgflow.office import Office, Route, RouteStep
from orgflow.routing import Moments

PARTS_MEANING = (
    "absences = lead time - lead time with everyone present; "
    "queueing = lead time with everyone present - touch - handoffs"
)


@dataclass(frozen=True)
class Parts:
    """A lead time split into touch (effort), queueing, handoff latency, absence and external
    waits (``delay``: taken by nobody in the office), in hours."""

    touch: float = 0.0
    queueing: float = 0.0
    handoff: float = 0.0
    absence: float = 0.0
    external: float = 0.0

    @property
    def total(self) -> float:
        return self.touch + self.queueing + self.handoff + self.absence + self.external

    def __add__(self, other: Parts) -> Parts:
        return Parts(
            self.touch + other.touch,
            self.queueing + other.queueing,
            self.handoff + other.handoff,
            self.absence + other.absence,
            self.external + other.external,
        )

    def scaled(self, factor: float) -> Parts:
        return Parts(
            self.touch * factor,
            self.queueing * factor,
            self.handoff * factor,
            self.absence * factor,
            self.external * factor,
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
    burst_wait: float = -1.0  # an item taken as a backup (arriving in bursts); -1: as above
    arrival_scv: float = 1.0  # squared coefficient of variation of the arrivals (QNA)

    @property
    def backup_wait(self) -> float:
        return self.wait_with_absences if self.burst_wait < 0 else self.burst_wait


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


_T = TypeVar("_T")


class _StepCost(NamedTuple):
    """What a route needs of one step, found once per owners and activity: see
    :meth:`LeadTimeModel.step_work`, ``step_work_variance``, ``work_event`` and ``desk_event``
    (the wait at the desk, only for steps that arrive in its queue, is :meth:`_desk`)."""

    work: Parts
    work_variance: float
    work_event: tuple[float, float]
    desk_event: tuple[float, float]


# a mean, its independent normal terms, and its absence events (probability, mean delay)
_Form = tuple[float, dict[str, float], dict[str, tuple[float, float]]]


def _visits(route: Route, order: tuple[str, ...]) -> dict[str, str]:
    """Map each step to the step whose arrival at the desk started its visit.

    A step with no predecessor, or with one from another desk, arrives in a queue; a step all
    of whose predecessors are at the same desk continues at once within the same visit. In a
    pool, only one branch of a fork is the request in hand (the first in step order); the
    other branches join the pool's queue (RULES 2).
    """
    steps = {s.step: s for s in route.steps}
    visit: dict[str, str] = {}
    handed_on: set[str] = set()  # pool steps whose request in hand went on already
    for sid in order:
        s = steps[sid]
        same = [p for p in s.after if p not in s.handed_from]
        if s.after and len(same) == len(s.after) and same[0] in visit:
            if not s.owners.pool:
                visit[s.step] = visit[same[0]]
                continue
            free = [p for p in same if p not in handed_on]
            if free:
                handed_on.update(free)
                visit[s.step] = visit[free[0]]
                continue
        visit[s.step] = s.step
    return visit


@dataclass
class _Person:
    """What reaches one person's queue: ``present`` per present hour (a primary's or a sole
    owner's work arriving while they are there, and their pool work), ``away`` per working hour
    (work arriving while they and their backups are away, waiting for their return), and
    ``bursts`` (the work they take as a backup while everyone before them is away)."""

    present: _Stream = field(default_factory=_Stream)
    away: _Stream = field(default_factory=_Stream)
    backlog: float = 0.0  # sum of away rate * E[S] * the length of the spells they come in
    bursts: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    feeds: dict[tuple[str, ...], float] = field(default_factory=dict)  # upstream -> rate


class LeadTimeModel:
    """Queues for every person and pool, and the lead time of every route.

    ``present=True``: the same office with everyone always present (availability 1).
    """

    def __init__(self, office: Office, *, present: bool = False) -> None:
        self.office = office
        self.routes = office.routes
        self.present = present
        self.people = office.people
        self.avail = {p: 1.0 if present else a for p, a in office.availability.items()}
        # capacity times availability (the pools' shares): capacity alone when all are present
        self._present_capacity = office.capacity if present else office.present_capacity
        self.speed = office.speed
        self.spell = office.absence_spell
        self.handoff_delay = office.handoff_delay
        self.effort = office.efforts  # each activity's effort in hours: (mean, variance)
        self._shares: dict[Owners, list[tuple[str, float]]] = {}
        self.person_queues: dict[str, Queue] = {}
        self.pool_queues: dict[tuple[str, ...], Queue] = {}
        self._desk_wait: dict[tuple[tuple[str, ...], bool], tuple[Parts, float]] = {}
        self._cache: dict[tuple[str, Owners, str], Any] = {}
        self._step_costs: dict[tuple[tuple[str, ...], bool, str], _StepCost] = {}
        self._build_queues()

    def shares(self, owners: Owners) -> list[tuple[str, float]]:
        found = self._shares.get(owners)
        if found is None:
            found = self._shares[owners] = member_shares(owners, self.avail, self._present_capacity)
        return found

    def _build_queues(self) -> None:
        persons = {p: _Person() for p in self.people}
        pools: dict[tuple[str, ...], _Stream] = {}
        av = self.avail
        for route in self.routes.routes:
            for owners, rate, mean, var, upstream in self._jobs(route):
                if owners.pool:
                    pool = pools.setdefault(owners.people, _Stream())
                    for person, share in self.shares(owners):
                        v = self.speed[person]
                        m1, m2 = mean / v, (var + mean * mean) / (v * v)
                        persons[person].present.add(rate * share / av[person], m1, m2)
                        pool.add(rate * share, m1, m2)
                    continue
                members = owners.people
                all_away = math.prod(1 - av[p] for p in members)
                before = 1.0
                for k, person in enumerate(members):
                    v = self.speed[person]
                    m1, m2 = mean / v, (var + mean * mean) / (v * v)
                    pq = persons[person]
                    if k == 0:
                        pq.present.add(rate, m1, m2)
                        if all_away > 0:
                            # everyone away: the first of the n to return takes it, after
                            # a spell of everyone away of mean D / n
                            n = len(members)
                            pq.away.add(rate * all_away / n, m1, m2)
                            pq.backlog += rate * all_away / n * m1 * self.spell / n
                        key = tuple(sorted(set(upstream)))
                        pq.feeds[key] = pq.feeds.get(key, 0.0) + rate
                    elif before > 0:
                        pq.bursts.append((rate, before, self.spell / k, m1, m2))
                    before *= 1 - av[person]
        self._persons = persons
        self._loads = {pid: self._load(pid, pq) for pid, pq in persons.items()}
        # QNA: departure variability passed on desk to desk, until it settles.
        scv = dict.fromkeys(self.people, 1.0)
        self._excess = self._burst_excesses(persons)
        for _ in range(30):
            for pid, pq in persons.items():
                self.person_queues[pid] = self._person_queue(pid, pq, scv)
            new = {pid: self._departure_scv(pid) for pid in persons}
            settled = all(abs(new[p] - scv[p]) <= 1e-10 for p in persons)
            scv = new
            if settled:
                break
        self._pools(pools)

    def _jobs(self, route: Route) -> list[tuple[Owners, float, float, float, list[str]]]:
        """The jobs a route brings to the desks' queues: (owners, arrivals per working hour,
        mean and variance of the work, the sole owners upstream it comes from).

        A job is a step received from another desk or from the customer, with the steps that
        follow it at once at the same desk. On a random route (issue 13) every execution of a
        step is a job of its own, at the rate of its expected visits (each alternative at its
        share, with its owners), and the work comes from upstream as Poisson."""
        steps = {s.step: s for s in route.steps}
        if route.random:
            return [
                (
                    owners,
                    route.requests_per_hour * s.visits * part,
                    *self.office.effort_of(owners, act),
                    [],
                )
                for s in route.steps
                for act, part, owners in s.doings
                if s.visits * part > 0
            ]
        visit = _visits(route, self.office.order(route.process))
        totals: dict[str, tuple[float, float]] = {}
        for s in route.steps:
            mean, var = self.office.effort_of(s.owners, s.activity)
            head = visit[s.step]
            m, v = totals.get(head, (0.0, 0.0))
            totals[head] = (m + mean, v + var)
        out = []
        for s in route.steps:
            if s.step not in totals:
                continue
            # Where the work comes from: a sole owner's departures are bursty after an
            # absence (QNA); a chain with backups or a pool passes work on steadily.
            upstream = [
                steps[p].owners.people[0]
                for p in s.after
                if p in s.handed_from
                and not steps[p].owners.pool
                and (len(steps[p].owners.people) == 1 or self.present)
            ]
            out.append((s.owners, route.requests_per_hour, *totals[s.step], upstream))
        return out

    def _arrival_scv(self, pq: _Person, scv: dict[str, float]) -> float:
        """QNA: superposition of the streams reaching a person, each a split of an upstream
        person's departures: c^2 = 1 + p (c_d^2 - 1) for a share p of their departures."""
        total = weighted = 0.0
        for upstream, rate in pq.feeds.items():
            c2 = 1.0
            if upstream:
                parts = []
                for u in upstream:
                    thr = self._throughput(u)
                    parts.append(1 + min(rate / thr, 1.0) * (scv[u] - 1) if thr > 0 else 1.0)
                c2 = sum(parts) / len(parts)
            total += rate
            weighted += rate * c2
        return weighted / total if total > 0 else 1.0

    def _throughput(self, pid: str) -> float:
        pq = self._persons[pid]
        a = self.avail[pid]
        return a * (pq.present.rate + sum(r * q for r, q, *_ in pq.bursts)) + pq.away.rate

    def _departure_scv(self, pid: str) -> float:
        """Whitt's QNA: c_d^2 = rho^2 c_C^2 + (1 - rho^2) c_a^2, with the completion time C
        (the job and the absences interrupting it)."""
        q = self.person_queues[pid]
        if q.arrival_rate <= 0 or not q.utilization < 1:
            return 1.0
        a = self.avail[pid]
        pq = self._persons[pid]
        lam = pq.present.rate + pq.away.rate / a + sum(r * s for r, s, *_ in pq.bursts)
        m1 = q.utilization / lam
        m2 = (pq.present.m2 + pq.away.m2 / a + sum(r * s * x for r, s, _, _, x in pq.bursts)) / lam
        ec, ec2 = completion_moments(m1, m2, a, self.spell)
        if ec <= 0:  # work of no effort leaves as it came
            return q.arrival_scv
        c2 = ec2 / (ec * ec) - 1
        return qna_departure_scv(q.arrival_scv, c2, q.utilization)

    def _person_queue(self, pid: str, pq: _Person, scv: dict[str, float]) -> Queue:
        """A person's queue in their present time (the clock that stops while they are away).

        Work arriving while they are present is an M/G/1 queue in present time, its wait
        stretched by the absences that fall into it (W / A); work that arrived while they were
        away waits behind the backlog of the absence (lambda_away E[S] D / (A (1 - rho)));
        burst arrivals (as a backup) add the MMPP excess of :func:`modulated_queue`.
        """
        a = self.avail[pid]
        lam, m1, m2, wall = self._loads[pid]
        if lam <= 0:
            return Queue(pid, 1, 0.0, 0.0, 0.0, 0.0, 0.0)
        es, es2 = m1 / lam, m2 / lam
        rho = m1
        rho0 = wall * es
        ca2 = self._arrival_scv(pq, scv)
        cs2 = es2 / (es * es) - 1 if es > 0 else 0.0
        wait0 = pk_wait(wall, es2, rho0)
        if wait0 < INF:
            wait0 *= klb_factor(ca2, cs2, rho0)
        if rho >= 1:
            return Queue(pid, 1, wall, es, rho, wait0, INF, INF, ca2)
        wait = lam * es2 / (2 * (1 - rho)) / a * klb_factor(ca2, cs2, rho)
        wait += pq.backlog / (a * (1 - rho)) if a < 1 else 0.0
        burst = -1.0
        if pq.bursts:
            extra, extra_burst = self._excess[pid]
            burst = wait + extra_burst
            wait += extra
        return Queue(pid, 1, wall, es, rho, wait0, wait, burst, ca2)

    def _load(self, pid: str, pq: _Person) -> tuple[float, float, float, float]:
        """The work reaching a person, per present hour: arrival rate, sum of rate * E[S]
        (their utilization), sum of rate * E[S^2]; and the arrival rate per working hour."""
        a = self.avail[pid]
        b_rate = sum(r * s for r, s, *_ in pq.bursts)
        b_m1 = sum(r * s * m for r, s, _, m, _ in pq.bursts)
        b_m2 = sum(r * s * x for r, s, _, _, x in pq.bursts)
        lam = pq.present.rate + b_rate + pq.away.rate / a
        m1 = pq.present.m1 + b_m1 + pq.away.m1 / a
        m2 = pq.present.m2 + b_m2 + pq.away.m2 / a
        wall = a * (pq.present.rate + b_rate) + pq.away.rate
        return lam, m1, m2, wall

    def _burst_excesses(self, persons: dict[str, _Person]) -> dict[str, tuple[float, float]]:
        """The MMPP excess (:func:`modulated_queues`) of every backup with a stable queue,
        solved together; bursts from several desks are one burst stream (their peak rates
        added, share and spell length averaged by rate)."""
        wanted: dict[str, tuple[float, float, float, float, float, float, float, float]] = {}
        for pid, pq in persons.items():
            lam, m1, _, _ = self._loads[pid]
            if not pq.bursts or lam <= 0 or m1 >= 1:
                continue
            a = self.avail[pid]
            weight = sum(r for r, *_ in pq.bursts)
            share = sum(r * s for r, s, *_ in pq.bursts) / weight
            spell = sum(r * sp for r, _, sp, _, _ in pq.bursts) / weight
            away = pq.away.rate / (1 - a) if a < 1 else 0.0
            args = (pq.present.rate, away, weight, share, spell, m1 / lam, a, self.spell)
            wanted[pid] = args
        return dict(zip(wanted, modulated_queues(list(wanted.values())), strict=True))

    def _pools(self, pools: dict[tuple[str, ...], _Stream]) -> None:
        for members, st in pools.items():
            c = len(members)
            avail = sum(self.avail[p] for p in members) / c
            rho0 = sum(self.person_queues[p].utilization * self.avail[p] for p in members) / c
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
        """Mean wait of an item handed to ``owners``, split into queueing (the wait with no
        absences) and absence (the rest).

        A chain: the primary gets the item while present (probability A_1) and it waits in
        their queue; member j > 1 gets it while present and everyone before them is away
        (pi_j = A_j prod_{i<j}(1 - A_i)), as a burst item of their queue; when all are away
        (pi_0 = prod(1 - A_i)) it waits for the first to return, D / n for n people with
        exponential spells of mean D, then in the primary's queue. A pool: its M/G/c queue,
        plus pi_0 * D / c.
        """
        return self._desk(owners)[0]

    def desk_wait_variance(self, owners: Owners) -> float:
        return self._desk(owners)[1]

    def _desk(self, owners: Owners) -> tuple[Parts, float]:
        key = owners.people, owners.pool  # the assignment rule changes nothing here
        found = self._desk_wait.get(key)
        if found is not None:
            return found
        av = self.avail
        all_away = math.prod(1 - av[p] for p in owners.people)
        n = len(owners.people)
        r = self.spell / n
        if owners.pool:
            q = self.pool_queues[owners.people]
            queue, total = q.wait, q.wait_with_absences + _weight(all_away, r)
            second = wait_second_moment(q.wait_with_absences, q.utilization)
            second += _weight(all_away, 2 * r * r + 2 * r * q.wait_with_absences)
        else:
            queue = total = second = 0.0
            before_away = 1.0
            for k, person in enumerate(owners.people):
                a = av[person]
                pq = self.person_queues[person]
                w = pq.wait_with_absences if k == 0 else pq.backup_wait
                queue += _weight(before_away * a, pq.wait)
                total += _weight(before_away * a, w)
                second += _weight(before_away * a, wait_second_moment(w, pq.utilization))
                before_away *= 1 - a
            primary = self.person_queues[owners.people[0]]
            w = primary.wait_with_absences
            queue += _weight(all_away, primary.wait)
            total += _weight(all_away, r + w)
            second += _weight(
                all_away, 2 * r * r + 2 * r * w + wait_second_moment(w, primary.utilization)
            )
        variance = second - total * total if math.isfinite(second) else INF
        queue = min(queue, total)
        found = self._desk_wait[key] = (
            Parts(queueing=queue, absence=_difference(total, queue)),
            max(variance, 0.0) if math.isfinite(total) else INF,
        )
        return found

    def step_work(self, owners: Owners, activity: str) -> Parts:
        return self._cached(self._step_work, owners, activity)

    def _step_work(self, owners: Owners, activity: str) -> Parts:
        """The step itself: touch time at the doer's pace, and absences interrupting it (the
        mean completion time of :func:`completion_moments`, E[S] / A, less the touch)."""
        mean = self.office.effort_of(owners, activity)[0]
        touch = absence = 0.0
        for person, share in self.shares(owners):
            elapsed = mean / self.speed[person]
            touch += share * elapsed
            absence += share * self._interrupted(person, elapsed)
        return Parts(touch=touch, absence=absence)

    def _interrupted(self, person: str, elapsed: float) -> float:
        """The mean time absences add to a job of ``elapsed`` hours: E[C] - E[S]."""
        completion, _second = completion_moments(elapsed, 0.0, self.avail[person], self.spell)
        return completion - elapsed

    def step_work_variance(self, owners: Owners, activity: str) -> float:
        return self._cached(self._step_work_variance, owners, activity)

    def _step_work_variance(self, owners: Owners, activity: str) -> float:
        """Variance of the step's completion time (preemptive-resume absences), over its doers."""
        mean, var = self.office.effort_of(owners, activity)
        first = second = 0.0
        for person, share in self.shares(owners):
            v = self.speed[person]
            ec, ec2 = completion_moments(
                mean / v, (var + mean * mean) / (v * v), self.avail[person], self.spell
            )
            first += share * ec
            second += share * ec2
        return max(second - first * first, 0.0)

    def route_lead_time(self, route: Route, *, only: bool = False) -> RouteLeadTime:
        """Longest path from the customer's request to the last step, and every step's slack
        (``only``: the mean lead time alone, no parts, path or steps)."""
        if route.random:
            return self._random_route_lead_time(route, only=only)
        shape = self.office.shapes[route.process]
        order, reach = shape.order, shape.reach
        steps = {s.step: s for s in route.steps}
        cost = {s.step: self.step_cost(s.owners, s.activity) for s in route.steps}
        visit = _visits(route, order)
        # the wait (and its variance) of each step that arrives in its desk's queue
        waits = {sid: self._desk(steps[sid].owners) for sid in order if visit[sid] == sid}
        back = self._back_discounts(order, reach, steps, visit, cost, waits)
        edges = self._edges(order, reach, steps, visit, waits, back)
        work = {sid: cost[sid].work for sid in order}
        entry_from_customer = {sid: waits[sid][0] for sid in order if not steps[sid].after}
        start, best_in = _longest_path(order, edges, work, entry_from_customer)
        finish = {sid: start[sid] + work[sid].total for sid in order}
        last = max(order, key=lambda sid: (finish[sid], -order.index(sid)))
        lead = finish[last]
        mean = self._clark_lead(order, steps, edges, entry_from_customer, back, cost, waits)
        if only:
            return RouteLeadTime(route.number, max(mean, lead), Parts(), [])
        latest = _latest_starts(order, edges, work, finish, lead)
        path: list[str] = []
        parts = Parts()
        node: str | None = last
        while node is not None:
            path.append(node)
            came_from, edge = best_in[node]
            parts = parts + work[node] + edge
            node = came_from
        path.reverse()
        timings = [
            StepTiming(
                step=sid,
                activity=steps[sid].activity,
                desk=steps[sid].desk,
                handed_over=steps[sid].handed_over,
                earliest_start=start[sid],
                duration=work[sid].total,
                slack=_difference(latest[sid], start[sid]),
                entry=(
                    entry_from_customer.get(sid)
                    or max(
                        (c for p, c in edges[sid]),
                        key=lambda c: c.total,
                        default=Parts(),
                    )
                ),
                work=work[sid],
            )
            for sid in order
        ]
        return RouteLeadTime(route.number, max(mean, lead), parts, path, timings)

    def _entry(self, route: Route, step: RouteStep, owners: Owners) -> tuple[Parts, float]:
        """What reaching ``owners``' desk costs on a random route, and its variance: the desk's
        wait when the request arrives in its queue (from the customer, from another desk, or
        back to a ``pickup: any`` pool), and the handoff delay times the probability that the
        request comes from another desk (each predecessor's alternatives at their shares).
        Within a ``pickup: any`` pool the shared queue is the handoff: a change of person
        there counts as a handoff, and costs the pool's queueing but no handoff delay (as in
        the simulation)."""
        wait, var = self._desk(owners)
        if not step.after:
            return wait, var
        steps = {s.step: s for s in route.steps}
        other_desk = arrives = 0.0
        back_to_pool = self.office.change_probability(owners) > 0
        for pred in step.after:
            for _activity, share, o in steps[pred].doings:
                weight = share / len(step.after)
                if o.desk != owners.desk:
                    other_desk += weight
                    arrives += weight
                elif back_to_pool:
                    arrives += weight
        handoff = Parts(handoff=self.handoff_delay * other_desk)
        return wait.scaled(arrives) + handoff, var * arrives

    def _random_route_lead_time(self, route: Route, *, only: bool) -> RouteLeadTime:
        """The mean lead time over a random route's routes (:func:`orgflow.routing.lead_time`):
        each execution of a step costs its entry (:meth:`_entry`), its work and the delay
        before it; the parts are the same sums taken part by part (exact without parallel
        branches; scaled to the total with them)."""
        costs: dict[tuple[str, str], tuple[Parts, float]] = {}
        for s in route.steps:
            for activity, _share, owners in s.doings:
                entry, entry_var = self._entry(route, s, owners)
                work = self.step_work(owners, activity)
                costs[(s.step, activity)] = (
                    entry + work,
                    entry_var + self.step_work_variance(owners, activity),
                )

        def full(sid: str, activity: str) -> Moments:
            parts, var = costs[(sid, activity)]
            return Moments(parts.total, var)

        total = routing.lead_time(route.routing, full).mean
        if only:
            return RouteLeadTime(route.number, total, Parts(), [])
        if not math.isfinite(total):
            # Unbounded: the delays are still what they are (taken by nobody).
            waited = routing.lead_time(route.routing, lambda sid, a: routing.ZERO).mean
            return RouteLeadTime(route.number, total, Parts(external=waited), [])
        external = routing.external_part(route.routing, full)
        without = [replace(r, delay=routing.ZERO) for r in route.routing]
        each = {
            name: routing.lead_time(
                without,
                lambda sid, a, name=name: Moments(getattr(costs[(sid, a)][0], name), 0.0),  # type: ignore[misc]
            ).mean
            for name in ("touch", "queueing", "handoff", "absence")
        }
        inside = sum(each.values())
        scale = (total - external) / inside if inside > 0 else 0.0
        parts = Parts(**{k: v * scale for k, v in each.items()}, external=external)
        visits = {s.step: s.visits for s in route.steps}
        delays = {r.id: r.delay.mean for r in route.routing}
        order = self.office.order(route.process)
        steps = {s.step: s for s in route.steps}
        start: dict[str, float] = {}
        finish: dict[str, float] = {}
        timings = []
        for sid in order:
            s = steps[sid]
            begin = max((finish[p] for p in s.after), default=0.0)
            mean = sum(part * costs[(sid, a)][0].total for a, part, _o in s.doings)
            start[sid] = begin
            finish[sid] = begin + visits[sid] * (delays[sid] + mean)
            first = s.doings[0]
            timings.append(
                StepTiming(
                    step=sid,
                    activity=s.activity,
                    desk=s.desk,
                    handed_over=s.handed_over,
                    earliest_start=begin,
                    duration=visits[sid] * (delays[sid] + mean),
                    slack=0.0,
                    entry=self._entry(route, s, first[2])[0].scaled(visits[sid]),
                    work=self.step_work(first[2], first[0]).scaled(visits[sid]),
                )
            )
        path = [sid for sid in order if visits[sid] > 0]
        return RouteLeadTime(route.number, total, parts, path, timings)

    def _back_discounts(
        self,
        order: tuple[str, ...],
        reach: Mapping[str, frozenset[str]],
        steps: dict[str, RouteStep],
        visit: dict[str, str],
        cost: dict[str, _StepCost],
        waits: dict[str, tuple[Parts, float]],
    ) -> dict[str, float]:
        """The factor on the absence part of each step's wait (1: none).

        Back at a desk the request left a moment ago: its people are likely still there.
        Absences being two-state Markov (rates f away, 1/D back), someone present when the
        request left is away t hours later with probability (1 - A)(1 - exp(-t/(A D))), not
        1 - A: the absence part of the wait is scaled by 1 - exp(-t/(A D)), t from the
        longest path of means.
        """
        heads: dict[str, set[str]] = {}
        for sid in order:
            heads.setdefault(steps[sid].desk, set()).add(visit[sid])
        revisits = not self.present and any(len(h) > 1 for h in heads.values())
        earlier = {
            sid: [
                u
                for u in order
                if sid in reach[u] and steps[u].desk == steps[sid].desk and visit[u] != visit[sid]
            ]
            if revisits and len(heads[steps[sid].desk]) > 1
            else []
            for sid in order
        }
        back = dict.fromkeys(order, 1.0)
        if not any(earlier.values()):
            return back
        finish = self._mean_finish(order, steps, visit, cost, waits)
        for sid in order:
            owners = steps[sid].owners
            a = self.avail[owners.people[0]]
            if not earlier[sid] or owners.pool or a >= 1 or self.spell <= 0:
                continue
            left = max(finish[u] for u in earlier[sid])
            arrive = max(
                (finish[p] + self.handoff_delay for p in steps[sid].handed_from),
                default=left,
            )
            back[sid] = -math.expm1(-max(arrive - left, 0.0) / (a * self.spell))
        return back

    def _edges(
        self,
        order: tuple[str, ...],
        reach: Mapping[str, frozenset[str]],
        steps: dict[str, RouteStep],
        visit: dict[str, str],
        waits: dict[str, tuple[Parts, float]],
        back: dict[str, float],
    ) -> dict[str, list[tuple[str, Parts]]]:
        """Into each step, the edges from the steps it waits for, each with what it costs to
        get from there: the desk's wait and the handoff delay when handed over, nothing when
        continued at once."""
        edges: dict[str, list[tuple[str, Parts]]] = {sid: [] for sid in order}
        for sid in order:
            s = steps[sid]
            queued = visit[sid] == sid  # arrives in the desk's queue
            for pred in s.after:
                if pred not in s.handed_from:
                    # the same desk: continued at once, or (a pool's other branch) queued
                    wait = waits[sid][0] if queued else Parts()
                    if queued and not s.handed_from:
                        edges[sid].append((pred, wait))
                    else:
                        edges[sid].append((pred, Parts()))
                else:
                    wait = waits[sid][0]
                    if back[sid] < 1:
                        wait = Parts(queueing=wait.queueing, absence=wait.absence * back[sid])
                    edges[sid].append((pred, wait + Parts(handoff=self.handoff_delay)))
        # One person cannot do two steps at once: same-desk steps that do not wait for each
        # other are done one after another, in step order.
        # In a pool, only the steps of one visit are done by the same person.
        for i, u in enumerate(order):
            for v in order[i + 1 :]:
                if (
                    steps[u].desk == steps[v].desk
                    and v not in reach[u]
                    and u not in reach[v]
                    and (not steps[u].owners.pool or visit[u] == visit[v])
                ):
                    edges[v].append((u, Parts()))
        return edges

    def _clark_lead(
        self,
        order: tuple[str, ...],
        steps: dict[str, RouteStep],
        edges: dict[str, list[tuple[str, Parts]]],
        entry: dict[str, Parts],
        back: dict[str, float],
        cost: dict[str, _StepCost],
        waits: dict[str, tuple[Parts, float]],
    ) -> float:
        """Mean lead time with the maximum at every join taken by Clark's (1961) moments of the
        maximum of normal variables, with the correlation of branches that share a history
        (canonical form: each time is its mean plus a sum of independent normal terms; the
        maximum is Phi(alpha) X + Phi(-alpha) Y plus an independent term for the rest of its
        variance). Absences are rare and long, far from normal: each wait for a return (all of
        a desk away, probability pi_0, D/n) and each absence interrupting a step (probability
        1 - exp(-f E[S]), adding E[S](1/A - 1) on average) is kept apart as an event; a maximum
        conditions on the events of each branch (none, one or both branches delayed) and takes
        Clark's moments in each case. A process without parallel branches gets the sum of its
        means."""

        sources = {
            sid: {p for p, edge in edges[sid] if edge.total > 0 and p in steps[sid].after}
            for sid in order
        }
        finish: dict[str, _Form] = {}
        has_succ: set[str] = set()
        for sid in order:
            s = steps[sid]
            arrivals: list[_Form] = []
            c = cost[sid]
            p_away, away = c.desk_event
            event = (p_away * back[sid], away)
            if sid in entry:
                var = waits[sid][1]
                arrivals.append(_plus((0.0, {}, {}), entry[sid].total, var, f"c:{sid}", event))
            # One wait per arrival at a desk: the edges into a step share it, and so do
            # steps of one desk handed over together by the same predecessors.
            wait_key = "w:{}<{}".format(
                s.owners.desk, ",".join(sorted(p for p in s.after if p in sources[sid]))
            )
            for pred, edge in edges[sid]:
                has_succ.add(pred)
                if edge.total == 0:
                    arrivals.append(finish[pred])
                    continue
                queues = edge.queueing or edge.absence
                var = waits[sid][1] if queues else 0.0
                arrivals.append(
                    _plus(finish[pred], edge.total, var, wait_key, event if queues else (0.0, 0.0))
                )
            start = arrivals[0]
            for i, other in enumerate(arrivals[1:]):
                start = _maximum(start, other, f"m:{sid}:{i}")
            if not math.isfinite(start[0]):
                return INF
            finish[sid] = _plus(start, c.work.total, c.work_variance, sid, c.work_event)
        sinks = [finish[sid] for sid in order if sid not in has_succ]
        end = sinks[0]
        for i, other in enumerate(sinks[1:]):
            end = _maximum(end, other, f"end:{i}")
        return end[0]

    def step_cost(self, owners: Owners, activity: str) -> _StepCost:
        """Everything a route needs of a step done by ``owners``, found once for their people
        and the activity (the assignment rule that chose them changes none of it)."""
        key = (owners.people, owners.pool, activity)
        found = self._step_costs.get(key)
        if found is None:
            found = self._step_costs[key] = _StepCost(
                self.step_work(owners, activity),
                self.step_work_variance(owners, activity),
                self.work_event(owners, activity),
                self.desk_event(owners),
            )
        return found

    def _cached(self, fn: Callable[[Owners, str], _T], owners: Owners, activity: str) -> _T:
        key = (fn.__name__, owners, activity)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = fn(owners, activity)
        return found

    def _mean_finish(
        self,
        order: tuple[str, ...],
        steps: dict[str, RouteStep],
        visit: dict[str, str],
        cost: dict[str, _StepCost],
        waits: dict[str, tuple[Parts, float]],
    ) -> dict[str, float]:
        """Finish times on the longest path of means, before any revisit is discounted."""
        finish: dict[str, float] = {}
        for sid in order:
            s = steps[sid]
            start = 0.0 if s.after else waits[sid][0].total
            for p in s.after:
                edge = 0.0
                if p in s.handed_from:
                    edge = waits[sid][0].total + self.handoff_delay
                elif visit[sid] == sid:
                    edge = waits[sid][0].total
                start = max(start, finish[p] + edge)
            finish[sid] = start + cost[sid].work.total
        return finish

    def desk_event(self, owners: Owners) -> tuple[float, float]:
        """The wait for a return: everyone of the desk away (pi_0), D/n for n people."""
        p = math.prod(1 - self.avail[q] for q in owners.people)
        return p, self.spell / len(owners.people)

    def work_event(self, owners: Owners, activity: str) -> tuple[float, float]:
        return self._cached(self._work_event, owners, activity)

    def _work_event(self, owners: Owners, activity: str) -> tuple[float, float]:
        """Absences interrupting a step: probability 1 - exp(-f E[S]) of at least one, adding
        E[S](1/A - 1) on average, over the step's doers."""
        mean = self.effort[activity][0]
        p = extra = 0.0
        for person, share in self.shares(owners):
            a = self.avail[person]
            if a >= 1 or self.spell <= 0:
                continue
            s = mean / self.speed[person]
            p += share * -math.expm1(-(1 - a) / (a * self.spell) * s)
            extra += share * self._interrupted(person, s)
        return (p, extra / p) if p > 0 else (0.0, 0.0)


def _plus(form: _Form, mean: float, var: float, key: str, event: tuple[float, float]) -> _Form:
    """A time in canonical form plus a term of ``mean`` and variance ``var`` (normal, named
    ``key``), of which ``event`` (probability, mean delay) is kept apart as an event."""
    m, coefs, events = form
    p, d = event
    if p > 0 and d > 0 and math.isfinite(d):
        events = {**events, key: (p, d)}
        var -= p * 2 * d * d - (p * d) ** 2
    if var > 0 and math.isfinite(var):
        coefs = {**coefs, key: math.sqrt(var)}
    return m + mean, coefs, events


def _contains(x: _Form, y: _Form) -> bool:
    """Whether ``x`` is made of ``y``'s terms and more (so never earlier)."""
    return (
        x[0] >= y[0]
        and all(abs(x[1].get(k, 0.0) - c) <= 1e-12 for k, c in y[1].items())
        and all(k in x[2] for k in y[2])
    )


def _maximum(x: _Form, y: _Form, key: str) -> _Form:
    """The later of two times in canonical form: Clark's moments in each case of the
    branches' private events (none, one or both delayed); ``key`` names the new term."""
    # Every term is a nonnegative time: a form made of the other's terms and more is
    # the later one for sure.
    if _contains(x, y):
        return x
    if _contains(y, x):
        return y
    if not (math.isfinite(x[0]) and math.isfinite(y[0])):
        return INF, {}, {}
    shared = {k: e for k, e in x[2].items() if k in y[2]}
    px, dx = _merged(e for k, e in x[2].items() if k not in shared)
    py, dy = _merged(e for k, e in y[2].items() if k not in shared)
    # the normal parts, without the private events (shared ones shift both alike)
    mx, my = x[0] - px * dx, y[0] - py * dy
    vx = sum(c * c for c in x[1].values())
    vy = sum(c * c for c in y[1].values())
    cov = sum(c * y[1].get(k, 0.0) for k, c in x[1].items())
    first = second = lin = 0.0
    for ex in (False, True):
        for ey in (False, True):
            weight = (px if ex else 1 - px) * (py if ey else 1 - py)
            if weight <= 0:
                continue
            m, v, w = clark_max(
                mx + (dx if ex else 0.0),
                vx + (dx * dx if ex else 0.0),
                my + (dy if ey else 0.0),
                vy + (dy * dy if ey else 0.0),
                cov,
            )
            first += weight * m
            second += weight * (v + m * m)
            lin += weight * w
    v = max(second - first * first, 0.0)
    coefs = {k: lin * c for k, c in x[1].items()}
    for k, c in y[1].items():
        coefs[k] = coefs.get(k, 0.0) + (1 - lin) * c
    rest = v - sum(c * c for c in coefs.values())
    if rest > 1e-12 * max(v, 1e-300):
        coefs[key] = math.sqrt(rest)
    return first, coefs, shared


def _merged(events: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """Independent events (probability, mean delay) as one: the probability of at least one,
    and the mean delay given it that keeps the mean."""
    none = 1.0
    mean = 0.0
    for p, d in events:
        none *= 1 - p
        mean += p * d
    p = 1 - none
    return (p, mean / p) if p > 0 else (0.0, 0.0)


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


def lead_times(office: Office) -> tuple[LeadTimeModel, list[RouteLeadTime]]:
    """The queue model and the lead time of every route, in route order.

    Each route's parts are those of :func:`counterfactual_parts`: the same route is worked out
    a second time with everyone always present.

    Parameters
    ----------
    office
        The resolved office.

    Returns
    -------
    (LeadTimeModel, list of RouteLeadTime)
        The queues of every person and pool, and one lead time per route.

    Examples
    --------
    One person, 1 h of work per request, 20 requests in a 40 h week and always present: an
    M/D/1 queue with rho = 0.5, W = rho E[S] / (2 (1 - rho)) = 0.5 h, lead time 1.5 h.

    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a], availability: 1}]
    ... activities: [{id: a, effort: 1h}]
    ... processes: [{id: p, steps: [a]}]
    ... customers: [{id: c, demand: {p: 20/week}}]
    ... assignments: [{people: [ann]}]
    ... '''))
    >>> model, (route,) = lead_times(office)
    >>> route.lead_time_hours, route.parts.queueing, model.person_queues["ann"].utilization
    (1.5, 0.5, 0.5)
    """
    model = LeadTimeModel(office)
    everyone = LeadTimeModel(office, present=True)
    out = []
    for route in office.routes.routes:
        lead = model.route_lead_time(route)
        here = everyone.route_lead_time(route, only=True)
        out.append(replace(lead, parts=counterfactual_parts(lead, here)))
    return model, out


def _longest_path(
    order: tuple[str, ...],
    edges: dict[str, list[tuple[str, Parts]]],
    work: dict[str, Parts],
    entry: dict[str, Parts],
) -> tuple[dict[str, float], dict[str, tuple[str | None, Parts]]]:
    """Each step's earliest start on the longest path of means, and the edge it comes by
    (``None``: from the customer, with ``entry``'s wait)."""
    start: dict[str, float] = {}
    best_in: dict[str, tuple[str | None, Parts]] = {}
    for sid in order:
        best: tuple[str | None, Parts] | None = None
        best_time = -1.0
        if sid in entry:
            best, best_time = (None, entry[sid]), entry[sid].total
        for pred, edge in edges[sid]:
            t = start[pred] + work[pred].total + edge.total
            if t > best_time or best is None:
                best, best_time = (pred, edge), t
        assert best is not None
        start[sid], best_in[sid] = best_time, best
    return start, best_in


def _latest_starts(
    order: tuple[str, ...],
    edges: dict[str, list[tuple[str, Parts]]],
    work: dict[str, Parts],
    finish: dict[str, float],
    lead: float,
) -> dict[str, float]:
    """The backward pass: each step's latest start that keeps the lead time (for slack)."""
    latest: dict[str, float] = {}
    succ: dict[str, list[tuple[str, Parts]]] = {sid: [] for sid in order}
    for v in order:
        for u, edge in edges[v]:
            succ[u].append((v, edge))
    for sid in reversed(order):
        # An infinite wait after this step (inf - inf): any finish leads to the same
        # infinite lead time, so the step is on the critical path, with no slack.
        lf = min(
            (_latest_finish(latest[v], c.total, finish[sid]) for v, c in succ[sid]),
            default=lead,
        )
        latest[sid] = lf - work[sid].total
    return latest


def counterfactual_parts(lead: RouteLeadTime, present: RouteLeadTime) -> Parts:
    """The parts of a lead time (RULES 3): touch and handoff latency on the critical path;
    queueing = the lead time with everyone present - touch - handoff; absence = the lead time
    - the lead time with everyone present.

    Parameters
    ----------
    lead
        The route's lead time, its touch and handoff latency on the critical path.
    present
        The same route's lead time with everyone always present.

    Returns
    -------
    Parts
        They add up to ``lead.lead_time_hours``.

    Examples
    --------
    10 h, 2 h of it touch and 1 h handoff; 7 h with everyone present: queueing 7 - 2 - 1 = 4,
    absence 10 - 7 = 3.

    >>> lead = RouteLeadTime(1, 10.0, Parts(touch=2.0, handoff=1.0), [])
    >>> counterfactual_parts(lead, RouteLeadTime(1, 7.0, Parts(), []))
    Parts(touch=2.0, queueing=4.0, handoff=1.0, absence=3.0, external=0.0)
    """
    touch, handoff, external = lead.parts.touch, lead.parts.handoff, lead.parts.external
    here = present.lead_time_hours
    return Parts(
        touch=touch,
        queueing=_difference(here, touch + handoff + external),
        handoff=handoff,
        absence=_difference(lead.lead_time_hours, here),
        external=external,
    )
