"""A discrete-event simulation of the office, on one event heap, in working hours.

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
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from orgflow.analysis.routes import Routes
from orgflow.model import (
    Org,
)
from orgflow.simulate.streams import arrival_chunks, away_intervals

# Event kinds, ordered for equal times: a person comes back, then work in hand that ends then
# is done (before an absence that starts then), then absences start, then work moves.
_ABSENCE_END, _SERVICE_END, _ABSENCE_START, _ARRIVE_AT_DESK, _REQUEST = range(5)


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


class _Req:
    __slots__ = (
        "arrival",
        "counted",
        "customer",
        "preds_left",
        "recs",
        "route",
        "steps_left",
        "work",
    )

    def __init__(
        self,
        route: int,
        customer: int,
        arrival: float,
        counted: bool,
        steps: list[_Step],
        work: list[float],
    ) -> None:
        self.route = route
        self.work = work  # each step's effort (hours), drawn at arrival
        self.customer = customer
        self.arrival = arrival
        self.counted = counted
        self.preds_left = [len(s.preds) for s in steps]
        self.steps_left = len(steps)
        self.recs = [_Rec() for _ in steps]


class _Rec:
    """What happened to one step of one request (hours)."""

    __slots__ = ("away", "end", "handoff", "queue", "touch")

    def __init__(self) -> None:
        self.touch = self.queue = self.handoff = self.away = self.end = 0.0


class _Item:
    """A step waiting in a queue, or for someone to come back: since when, and the doer's
    away-clock then."""

    __slots__ = ("away_mark", "held_for", "own", "req", "since", "step")

    def __init__(
        self,
        req: _Req,
        step: int,
        since: float,
        away_mark: float,
        own: bool = False,
    ) -> None:
        self.req = req
        self.step = step
        self.since = since
        self.away_mark = away_mark
        self.held_for = 0.0  # how long it waited for someone to come back
        # A second branch of the request in hand, waiting at the front of the same person's
        # queue: part of that visit, not counted as an item of the queue.
        self.own = own


class _Person:
    __slots__ = (
        "away_since",
        "away_total",
        "back_at",
        "busy_since",
        "busy_total",
        "dated",
        "delayed",
        "end",
        "held",
        "in_hand",
        "index",
        "items",
        "own",
        "pools",
        "present",
        "q_area",
        "q_max",
        "queue",
        "remaining",
        "speed",
        "version",
        "waiting",
    )

    def __init__(self, index: int, speed: float) -> None:
        self.index = index
        self.speed = speed
        self.present = True
        self.in_hand: tuple[_Req, int, float] | None = None  # request, step, away mark
        self.remaining = 0.0
        self.end = 0.0
        self.version = 0
        self.queue: deque[_Item] = deque()
        self.pools: list[int] = []
        self.waiting: list[_Item] = []
        self.away_since = 0.0
        self.back_at = 0.0  # while away: when they come back
        self.away_total = 0.0
        self.busy_since = 0.0
        self.busy_total = 0.0
        self.q_area = 0.0
        self.held = 0  # items waiting for their return (they are the first back)
        self.own = 0  # second branches of their request in hand, in their queue
        self.q_max = 0
        self.items = 0
        self.delayed = 0

    def away_clock(self, now: float) -> float:
        """Total time away up to ``now``."""
        return self.away_total + (0.0 if self.present else now - self.away_since)

    def busy_clock(self, now: float) -> float:
        extra = now - self.busy_since if self.in_hand is not None and self.present else 0.0
        return self.busy_total + extra


#: Finish times closer than this (hours) are a tie on the critical path.
TIE = 1e-9


def _latest(steps: Iterable[int], recs: list[_Rec]) -> int:
    """The step that finished last; at a tie (within :data:`TIE`) the first of them."""
    steps = list(steps)
    last = max(recs[i].end for i in steps)
    return next(i for i in steps if recs[i].end >= last - TIE)


@dataclass
class RunResult:
    """What one run measured, over the requests that arrived after the warm-up (hours)."""

    lead_times: Any  # numpy float array, one per completed request
    route_of: Any  # numpy int array: index of the request's route
    customer_of: Any  # numpy int array: index of the request's customer
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
        if engine == "flow" and self.plan is None:
            raise ValueError(
                "this office sends work back to a desk; only the event engine can simulate it"
            )
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
        """Simulate ``horizon`` working hours; requests arriving before ``warmup`` load the
        office but are not counted."""
        import numpy as np

        work_rng = np.random.default_rng([seed, run, 2])  # efforts, drawn at arrival
        chunks = arrival_chunks(seed, run, self.total_rate, self.cum, horizon)
        pending: list[tuple[float, int, list[float]]] = []  # the current chunk, reversed
        routes = self.routes
        handoff = self.handoff
        people = [_Person(i, self.speed[i]) for i in range(len(self.people_ids))]
        for pi, members in enumerate(self.pool_members):
            for m in members:
                people[m].pools.append(pi)
        pool_queues: list[deque[_Item]] = [deque() for _ in self.pool_members]
        pool_held = [0] * len(self.pool_members)  # pool items waiting for a member's return
        heap: list[tuple[float, int, int, Any]] = []
        counter = 0

        def push(t: float, kind: int, payload: Any) -> None:
            nonlocal counter
            counter += 1
            heapq.heappush(heap, (t, kind, counter, payload))

        for p in people:
            for away_from, away_to in self.away(seed, run, p.index, horizon, present):
                push(away_from, _ABSENCE_START, (p.index, away_to))
                push(away_to, _ABSENCE_END, p.index)

        lead_times = array("d")
        route_of = array("q")
        customer_of = array("q")
        parts = [0.0, 0.0, 0.0, 0.0]
        completed = opened = finished = 0
        open_at_warmup = 0
        warm = warmup <= 0
        snap_busy = [0.0] * len(people)
        snap_away = [0.0] * len(people)
        choices = self.choices

        def start(p: _Person, req: _Req, si: int, now: float) -> None:
            work = req.work[si] / p.speed
            req.recs[si].touch = work
            p.in_hand = (req, si, p.away_clock(now))
            p.remaining = work
            p.busy_since = now
            p.version += 1
            push(now + work, _SERVICE_END, (p.index, p.version))

        def note_wait(p: _Person, item: _Item, now: float) -> None:
            """Add the item's wait up to ``now`` (within the run) to the queue of ``p``, or for
            a pool item to each member's (the pool's queue is theirs)."""
            wait = min(now, horizon) - min(item.since - item.held_for, horizon)
            step = routes[item.req.route].steps[item.step]
            for m in step.people if step.pool >= 0 else (p.index,):
                people[m].q_area += wait

        def take(p: _Person, item: _Item, now: float) -> None:
            rec = item.req.recs[item.step]
            waited = now - item.since
            # A pool item (away_mark < 0) waits for the team: its wait is queueing.
            away = (
                0.0
                if item.away_mark < 0
                else min(max(p.away_clock(now) - item.away_mark, 0.0), waited)
            )
            rec.queue += waited - away
            rec.away += away
            if item.own:
                p.own -= 1
            else:
                note_wait(p, item, now)
                p.items += 1
                if away > 0 or item.held_for > 0:
                    p.delayed += 1
            start(p, item.req, item.step, now)

        def serve(p: _Person, now: float) -> None:
            if p.in_hand is not None or not p.present:
                return
            best: deque[_Item] | None = p.queue if p.queue else None
            since = p.queue[0].since if p.queue else math.inf
            for pi in p.pools:
                q = pool_queues[pi]
                if q and q[0].since < since:
                    best, since = q, q[0].since
            if best is None:
                return
            take(p, best.popleft(), now)

        def note(p: _Person) -> None:
            """Track the longest queue: their own, their pools' (items in the pool's queue or
            waiting for a member's return), and items waiting for their return."""
            waiting = len(p.queue) - p.own + p.held
            for pi in p.pools:
                waiting += len(pool_queues[pi]) + pool_held[pi]
            p.q_max = max(p.q_max, waiting)

        def enqueue(p: _Person, item: _Item, now: float) -> None:
            p.queue.append(item)
            serve(p, now)
            note(p)  # after: an item begun at once never waited

        def arrive(req: _Req, si: int, now: float) -> None:
            """Step ``si`` reaches its desk: the first present member's queue, or the pool's."""
            step = routes[req.route].steps[si]
            if step.pool >= 0:
                present = [people[m] for m in step.people if people[m].present]
                if present:
                    pool_queues[step.pool].append(_Item(req, si, now, -1.0))
                    for member in present:
                        if member.in_hand is None:
                            serve(member, now)
                            break
                    for m in step.people:
                        note(people[m])
                    return
            else:
                for m in step.people:
                    p = people[m]
                    if p.present:
                        enqueue(p, _Item(req, si, now, p.away_clock(now)), now)
                        return
            # Nobody is there: it waits for the first back (in the desk's order at a tie).
            first = min((people[m] for m in step.people), key=lambda q: q.back_at)
            first.waiting.append(_Item(req, si, now, 0.0))
            if step.pool >= 0:
                pool_held[step.pool] += 1
                for m in step.people:
                    note(people[m])
            else:
                first.held += 1
                note(first)

        def finish(p: _Person, now: float) -> None:
            assert p.in_hand is not None
            req, si, away_mark = p.in_hand
            p.in_hand = None
            p.busy_total += now - p.busy_since
            rec = req.recs[si]
            rec.end = now
            rec.away += p.away_clock(now) - away_mark
            route = routes[req.route]
            req.steps_left -= 1
            if req.steps_left == 0:
                complete(req, now)
            continued = False
            desk = route.steps[si].desk
            for s in route.steps[si].succs:
                req.preds_left[s] -= 1
                if req.preds_left[s]:
                    continue
                step = route.steps[s]
                # The request stays with whoever has it while the next step is at the desk of
                # the step just finished (its primary, or the same pool) and they own it.
                mine = step.desk == desk and p.index in step.people
                if mine and not continued:
                    continued = True  # handed to oneself: continues at once
                    start(p, req, s, now)
                elif mine and step.pool < 0:  # a second branch: next, at the front of their queue
                    p.queue.appendleft(_Item(req, s, now, p.away_clock(now), own=True))
                    p.own += 1
                elif mine:  # a second branch in a pool's visit: the pool's queue, no handoff
                    arrive(req, s, now)
                elif handoff > 0:
                    req.recs[s].handoff = handoff
                    push(now + handoff, _ARRIVE_AT_DESK, (req, s))
                else:
                    arrive(req, s, now)
            if not continued:
                serve(p, now)

        def complete(req: _Req, now: float) -> None:
            nonlocal completed, finished
            finished += 1
            if not req.counted:
                return
            completed += 1
            recs = req.recs
            steps = routes[req.route].steps
            node: int | None = _latest(range(len(recs)), recs)
            touch = queue = hand = away = 0.0
            while node is not None:
                r = recs[node]
                touch += r.touch
                queue += r.queue
                hand += r.handoff
                away += r.away
                preds = steps[node].preds
                node = _latest(preds, recs) if preds else None
            lead_times.append(now - req.arrival)
            route_of.append(req.route)
            customer_of.append(req.customer)
            parts[0] += touch
            parts[1] += queue
            parts[2] += hand
            parts[3] += away

        def next_arrival() -> None:
            if not pending:
                chunk = next(chunks, None)
                while chunk is not None and not len(chunk[0]):
                    chunk = next(chunks, None)
                if chunk is None:
                    return
                work: list[list[float]] = [[]] * len(chunk[0])
                for _ri, rows, drawn in self.efforts(work_rng, chunk[1]):
                    for row, w in zip(rows.tolist(), drawn.T.tolist(), strict=True):
                        work[row] = w
                pending.extend(
                    zip(
                        reversed(chunk[0].tolist()),
                        reversed(chunk[1].tolist()),
                        reversed(work),
                        strict=True,
                    )
                )
            t, choice, w = pending.pop()
            push(t, _REQUEST, (choice, w))

        next_arrival()
        tick = horizon / 100
        next_tick = tick
        now = 0.0
        while heap:
            now, kind, _c, payload = heapq.heappop(heap)
            if now > horizon:
                now = horizon
                break
            if not warm and now >= warmup:
                warm = True
                open_at_warmup = opened - finished
                for p in people:
                    snap_busy[p.index] = p.busy_clock(warmup)
                    snap_away[p.index] = p.away_clock(warmup)
            if progress is not None and now >= next_tick:
                progress(now / horizon)
                next_tick = now + tick
            if kind == _REQUEST:
                ri, ci = choices[payload[0]]
                route = routes[ri]
                req = _Req(ri, ci, now, now >= warmup, route.steps, payload[1])
                opened += 1
                for si in route.sources:
                    arrive(req, si, now)
                next_arrival()
            elif kind == _SERVICE_END:
                pid, version = payload
                p = people[pid]
                if p.version == version and p.in_hand is not None and p.present:
                    finish(p, now)
            elif kind == _ARRIVE_AT_DESK:
                arrive(payload[0], payload[1], now)
            elif kind == _ABSENCE_START:
                p = people[payload[0]]
                if p.present:
                    p.present = False
                    p.away_since = now
                    p.back_at = payload[1]
                    if p.in_hand is not None:  # the job in hand waits for their return
                        p.busy_total += now - p.busy_since
                        p.remaining -= now - p.busy_since
                        p.version += 1
            elif kind == _ABSENCE_END:
                pid = payload
                p = people[pid]
                if not p.present:
                    p.present = True
                    p.away_total += now - p.away_since
                    if p.in_hand is not None:
                        p.busy_since = now
                        p.version += 1
                        push(now + p.remaining, _SERVICE_END, (pid, p.version))
                    waiting, p.waiting = p.waiting, []
                    for item in waiting:
                        item.held_for = now - item.since
                        rec = item.req.recs[item.step]
                        rec.away += item.held_for
                        item.since = now
                        step = routes[item.req.route].steps[item.step]
                        if step.pool >= 0:  # from waiting for a member to the pool's queue
                            pool_held[step.pool] -= 1
                            item.away_mark = -1.0
                            pool_queues[step.pool].append(item)
                        else:
                            p.held -= 1
                            item.away_mark = p.away_clock(now)
                            p.queue.append(item)
                    serve(p, now)
        # Items still waiting at the end waited until then.
        for p in people:
            for item in [*p.queue, *p.waiting]:
                if not item.own:
                    note_wait(p, item, horizon)
        for members, queue in zip(self.pool_members, pool_queues, strict=True):
            for item in queue:
                note_wait(people[members[0]], item, horizon)
        if not warm:  # nothing happened after the warm-up: the state then is the last one
            for p in people:
                snap_busy[p.index] = p.busy_clock(now)
                snap_away[p.index] = p.away_clock(now)
        # The run lasts until the horizon even when the last event came earlier.
        end = max(horizon, warmup)
        window = end - warmup
        utilization, mean_queue = [], []
        for p in people:
            busy = p.busy_clock(end) - snap_busy[p.index]
            here = window - (p.away_clock(end) - snap_away[p.index])
            utilization.append(busy / here if here > 0 else 0.0)
            # Little's law: the mean number waiting is the total waiting time over the run.
            mean_queue.append(p.q_area / end if end > 0 else 0.0)
        return RunResult(
            lead_times=np.frombuffer(lead_times, dtype=np.float64),
            route_of=np.frombuffer(route_of, dtype=np.int64),
            customer_of=np.frombuffer(customer_of, dtype=np.int64),
            parts_sum=(parts[0], parts[1], parts[2], parts[3]),
            completed=completed,
            open_at_end=opened - finished,
            open_at_warmup=open_at_warmup,
            utilization=utilization,
            mean_queue=mean_queue,
            max_queue=[p.q_max for p in people],
            delayed_share=[p.delayed / p.items if p.items else 0.0 for p in people],
        )
