"""The event engine: one run of the office on one event heap, in working hours.

:class:`EventRun` keeps its state in lists indexed by person, pool and step: no object per
person, per step or per event. Events are tuples ``(time, kind, sequence, a, b)`` on one heap
(``sequence`` breaks ties in the order they were pushed) and each kind has its method. A
request is a small object holding its route, its efforts (drawn at its arrival, for common
random numbers) and, per step, what happened to it; items waiting in a queue are tuples
``(since, request, step, away_mark, held_for, own)``.

The rules are the README's (see :mod:`orgflow.simulate.engine`). :mod:`orgflow.simulate.kernel`
is this engine compiled with numba (used for long runs when numba is installed): a change of
the rules goes into both; ``tests/simulate/test_kernel.py`` holds them to identical figures.
"""

from __future__ import annotations

import heapq
from array import array
from collections import deque
from collections.abc import Callable
from itertools import count
from random import Random
from typing import TYPE_CHECKING, Any

from orgflow.simulate.streams import arrival_chunks

if TYPE_CHECKING:
    from orgflow.simulate.model import Drawn, RunResult, SimOffice, SimRoute

# Event kinds, ordered for equal times: a person comes back, then work in hand that ends then
# is done (before an absence that starts then), then absences start, then work moves.
ABSENCE_END, SERVICE_END, ABSENCE_START, ARRIVE_AT_DESK, REQUEST = range(5)

#: Finish times closer than this (hours) are a tie on the critical path.
TIE = 1e-9

# Fields of an item waiting in a queue (a tuple).
_SINCE, _REQ, _STEP, _MARK, _HELD, _OWN = range(6)


class _Plan:
    """What a request does, step by step: per step its owners, pool (-1: a chain), the steps
    it waits for and, for each step that waits for it, (that step, whether it is at the same
    desk, its owners, its pool, the handoff delay to it when not continued); the first steps;
    whether the steps run one after the other; the external delay before each step (``None``:
    none). A plain route has one plan for all its requests; on a random route (issue 13) a
    request's steps are the executions it drew at arrival, with a plan of its own."""

    __slots__ = ("act", "delay", "nexts", "npreds", "owners", "pool", "preds", "serial", "sources")

    def __init__(
        self,
        owners: list[list[int]],
        pool: list[int],
        preds: list[list[int]],
        nexts: list[list[tuple[int, bool, list[int], int, float]]],
        delay: list[float] | None,
        act: list[int],
    ) -> None:
        self.act = act  # each step's activity (its index)
        self.owners = owners
        self.pool = pool
        self.preds = preds
        self.npreds = [len(p) for p in preds]
        self.nexts = nexts
        self.sources = [i for i, p in enumerate(preds) if not p]
        self.delay = delay
        # A plan whose steps run one after the other: its critical path is every step.
        self.serial = all(len(p) <= 1 for p in preds) and sum(not n for n in nexts) <= 1


def route_plan(route: SimRoute, handoff: float, act_index: dict[str, int]) -> _Plan:
    """The plan of a plain route, for all its requests: per step its owners, pool (-1: a
    chain), predecessors, and successors, each with whether it is at the same desk (the step
    is not among those its successor is handed from)."""
    steps = route.steps
    return _Plan(
        [s.people for s in steps],
        [s.pool for s in steps],
        [s.preds for s in steps],
        [
            [
                (t, s.index not in steps[t].handed_from, steps[t].people, steps[t].pool, handoff)
                for t in s.succs
            ]
            for s in steps
        ],
        None,
        [act_index[s.activity] for s in steps],
    )


def drawn_plan(drawn: Drawn, handoff: float) -> _Plan:
    """The plan of one request's drawn route: an execution continues at once at the desk of
    the one it waits for only when that desk keeps its requests (not a ``pickup: any`` pool)
    and no external delay comes before it; the handoff delay applies between desks."""
    n = len(drawn.steps)
    doings = drawn.doings
    nexts: list[list[tuple[int, bool, list[int], int, float]]] = [[] for _ in range(n)]
    for y, waits in enumerate(drawn.waits):
        to = doings[y]
        for x in waits:
            same = doings[x].desk == to.desk
            cont = same and not to.any_pickup and drawn.delay[y] <= 0
            nexts[x].append((y, cont, to.people, to.pool, 0.0 if same else handoff))
    delay = drawn.delay if any(d > 0 for d in drawn.delay) else None
    return _Plan(
        [d.people for d in doings], [d.pool for d in doings], [list(w) for w in drawn.waits],
        nexts, delay, [d.act for d in doings],
    )  # fmt: skip


class _InFlight:
    """One request in flight: its plan, per step its effort, what is left of its
    predecessors, and (hours) its touch, queueing, handoff and absence, and when it ended."""

    __slots__ = (
        "arrival",
        "away",
        "counted",
        "customer",
        "end",
        "hand",
        "last",
        "left",
        "number",
        "pch",
        "plan",
        "preds_left",
        "rch",
        "route",
        "touch",
        "wait",
        "work",
    )

    def __init__(
        self,
        route: int,
        customer: int,
        arrival: float,
        counted: bool,
        plan: _Plan,
        work: list[float],
        number: int,
    ) -> None:
        preds = plan.npreds
        n = len(preds)
        self.plan = plan
        self.route = route
        self.customer = customer
        self.arrival = arrival
        self.counted = counted
        self.number = number
        self.work = work
        self.preds_left = preds[:]
        self.left = n
        self.touch = [0.0] * n
        self.wait = [0.0] * n
        self.hand = [0.0] * n
        self.away = [0.0] * n
        self.end = [0.0] * n
        self.last = -1  # who began its last step begun (-1: none yet)
        self.pch = self.rch = 0  # its changes of person and of role so far


def latest(steps: list[int], end: list[float]) -> int:
    """The step that finished last; at a tie (within :data:`TIE`) the first of them."""
    last = max(end[i] for i in steps)
    return next(i for i in steps if end[i] >= last - TIE)


class EventRun:
    """One run of the event engine: build it, then :meth:`run`."""

    def __init__(
        self,
        sim: SimOffice,
        seed: int,
        run: int,
        horizon: float,
        warmup: float,
        present: bool = False,
    ) -> None:
        # Over 80 lines: the engine's state, list by list, in one place (no object per person).
        import numpy as np

        self.sim = sim
        self.seed, self.run_number = seed, run
        self.horizon, self.warmup = horizon, warmup
        self.rng = np.random.default_rng([seed, run, 2])  # efforts, drawn at arrival
        self.chunks = arrival_chunks(seed, run, sim.total_rate, sim.cum, horizon, sim.profile)
        self.pending: list[tuple[float, int, list[float]]] = []  # the current chunk, reversed
        self.handoff = sim.handoff
        self.choices = sim.choices
        self.plans = [route_plan(r, self.handoff, sim.act_index) for r in sim.routes]
        # Random routes (issue 13): each request's route, drawn at its arrival.
        self.route_rng = Random(int(np.random.SeedSequence([seed, run, 3]).generate_state(1)[0]))
        n = len(sim.people_ids)
        self.speed = list(sim.speed)
        self.present = [True] * n
        self.hand_req: list[_InFlight | None] = [None] * n  # the job in hand
        self.hand_step = [0] * n
        self.hand_mark = [0.0] * n  # their away-clock when they began it
        self.remaining = [0.0] * n
        self.version = [0] * n
        self.queue: list[deque[tuple[Any, ...]]] = [deque() for _ in range(n)]
        self.pools_of: list[list[int]] = [[] for _ in range(n)]
        for k, members in enumerate(sim.pool_members):
            for m in members:
                self.pools_of[m].append(k)
        self.waiting: list[list[tuple[Any, ...]]] = [[] for _ in range(n)]
        self.away_since = [0.0] * n
        self.back_at = [0.0] * n  # while away: when they come back
        self.away_total = [0.0] * n
        self.busy_since = [0.0] * n
        self.busy_total = [0.0] * n
        # When their last job ended (never worked: -inf): a pool gives a new item to the free
        # member idle the longest.
        self.idle_since = [float("-inf")] * n
        self.q_area = [0.0] * n
        self.held = [0] * n  # items waiting for their return (they are the first back)
        self.own = [0] * n  # second branches of their request in hand, in their queue
        self.q_max = [0] * n
        self.items = [0] * n
        self.delayed = [0] * n
        self.pool_queue: list[deque[tuple[Any, ...]]] = [deque() for _ in sim.pool_members]
        self.pool_held = [0] * len(sim.pool_members)  # pool items waiting for a return
        # A pool with ``shares``: each member's share, the work (effort hours) each has begun
        # of the pool's, and each member's position in it (without: empty).
        self.pool_share = [list(shares) for shares in sim.pool_shares]
        self.pool_given = [[0.0] * len(shares) for shares in sim.pool_shares]
        self.pool_pos = [
            {m: j for j, m in enumerate(members)} if shares else {}
            for members, shares in zip(sim.pool_members, sim.pool_shares, strict=True)
        ]
        self.heap: list[tuple[Any, ...]] = []
        self.seq = count()
        for p in range(n):
            for away_from, away_to in sim.away(seed, run, p, horizon, present):
                self.push(away_from, ABSENCE_START, p, away_to)
                self.push(away_to, ABSENCE_END, p, None)
        self.lead_times = array("d")
        self.route_of = array("q")
        self.customer_of = array("q")
        self.number_of = array("q")
        self.parts = [0.0, 0.0, 0.0, 0.0]
        self.external = 0.0
        self.person_changes = self.role_changes = 0
        self.activity_counts = [0] * len(sim.activity_ids)
        self.completed = self.opened = self.finished = self.open_at_warmup = 0
        self.handlers: list[Callable[[float, Any, Any], None]] = [
            self.absence_end,
            self.service_end,
            self.absence_start,
            self.arrive,
            self.request,
        ]

    def push(self, t: float, kind: int, a: Any, b: Any) -> None:
        heapq.heappush(self.heap, (t, kind, next(self.seq), a, b))

    # -- the clocks ----------------------------------------------------------------------------

    def away_clock(self, p: int, now: float) -> float:
        """Total time ``p`` was away up to ``now``."""
        if self.present[p]:
            return self.away_total[p]
        return self.away_total[p] + now - self.away_since[p]

    def busy_clock(self, p: int, now: float) -> float:
        if self.hand_req[p] is not None and self.present[p]:
            return self.busy_total[p] + now - self.busy_since[p]
        return self.busy_total[p]

    # -- events --------------------------------------------------------------------------------

    def request(self, now: float, choice: int, work: list[float] | Drawn) -> None:
        """A request arrives: its first steps reach their desks (after their external delay,
        if any)."""
        ri, ci = self.choices[choice]
        if isinstance(work, list):
            plan = self.plans[ri]
        else:
            plan, work = drawn_plan(work, self.handoff), work.work
        req = _InFlight(ri, ci, now, now >= self.warmup, plan, work, self.opened)
        self.opened += 1
        if req.left == 0:  # every step skipped: done at once
            self.complete(req, now)
        delay = plan.delay
        for si in plan.sources:
            if delay is not None and delay[si] > 0:
                self.push(now + delay[si], ARRIVE_AT_DESK, req, si)
            else:
                self.arrive(now, req, si)
        self.next_arrival()

    def service_end(self, now: float, p: int, version: int) -> None:
        if self.version[p] == version and self.hand_req[p] is not None and self.present[p]:
            self.finish(p, now)

    def absence_start(self, now: float, p: int, back: float) -> None:
        if not self.present[p]:
            return
        self.present[p] = False
        self.away_since[p] = now
        self.back_at[p] = back
        if self.hand_req[p] is not None:  # the job in hand waits for their return
            self.busy_total[p] += now - self.busy_since[p]
            self.remaining[p] -= now - self.busy_since[p]
            self.version[p] += 1

    def absence_end(self, now: float, p: int, _unused: Any) -> None:
        if self.present[p]:
            return
        self.present[p] = True
        self.away_total[p] += now - self.away_since[p]
        for k in self.pools_of[p]:
            if self.pool_share[k]:
                self.rejoin(k, p)
        if self.hand_req[p] is not None:
            self.busy_since[p] = now
            self.version[p] += 1
            self.push(now + self.remaining[p], SERVICE_END, p, self.version[p])
        waiting, self.waiting[p] = self.waiting[p], []
        for item in waiting:
            req, si = item[_REQ], item[_STEP]
            held_for = now - item[_SINCE]
            req.away[si] += held_for
            k = req.plan.pool[si]
            if k >= 0:  # from waiting for a member to the pool's queue
                self.pool_held[k] -= 1
                self.pool_queue[k].append((now, req, si, -1.0, held_for, False))
            else:
                self.held[p] -= 1
                self.queue[p].append((now, req, si, self.away_total[p], held_for, False))
        self.serve(p, now)

    def arrive(self, now: float, req: _InFlight, si: int) -> None:
        """Step ``si`` reaches its desk: the first present member's queue, or the pool's."""
        plan = req.plan
        owners = plan.owners[si]
        k = plan.pool[si]
        present = self.present
        if k >= 0:
            here = [m for m in owners if present[m]]
            if here:
                self.pool_queue[k].append((now, req, si, -1.0, 0.0, False))
                # The free member idle the longest takes it (at a tie, the first in order);
                # with shares, the one furthest below their share.
                idle, hand_req = self.idle_since, self.hand_req
                free = [m for m in here if hand_req[m] is None]
                if free:
                    if self.pool_share[k]:
                        self.serve(self.below_share(k, owners), now)
                    else:
                        self.serve(min(free, key=idle.__getitem__), now)
                for m in owners:
                    self.note(m)
                return
        else:
            for m in owners:
                if present[m]:
                    if self.hand_req[m] is None and not self.queue[m] and not self.pools_of[m]:
                        # Free, nothing queued: begun at once, never waited (nothing else
                        # waits for them either: they are here).
                        self.items[m] += 1
                        self.start(m, req, si, now)
                        return
                    self.queue[m].append((now, req, si, self.away_total[m], 0.0, False))
                    if self.hand_req[m] is None:  # (busy: it waits)
                        self.serve(m, now)
                    self.note(m)  # after: an item begun at once never waited
                    return
        # Nobody is there: it waits for the first back (in the desk's order at a tie).
        back_at = self.back_at
        first = min(owners, key=back_at.__getitem__)
        self.waiting[first].append((now, req, si, 0.0, 0.0, False))
        if k >= 0:
            self.pool_held[k] += 1
            for m in owners:
                self.note(m)
        else:
            self.held[first] += 1
            self.note(first)

    def below_share(self, k: int, owners: list[int]) -> int:
        """Of pool ``k``'s present free members (``owners``, in the pool's order; one at
        least), the one whose work begun of the pool's divided by their share is the least; at
        a tie, the one idle the longest, then the first in order."""
        share, given = self.pool_share[k], self.pool_given[k]
        present, hand_req, idle = self.present, self.hand_req, self.idle_since
        chosen, best = -1, 0.0
        for j, m in enumerate(owners):
            if not present[m] or hand_req[m] is not None:
                continue
            ratio = given[j] / share[j]
            if chosen < 0 or ratio < best or (ratio == best and idle[m] < idle[chosen]):
                chosen, best = m, ratio
        return chosen

    def rejoin(self, k: int, p: int) -> None:
        """``p`` is back in pool ``k`` (with shares): they take up their share from now on,
        not the work of their absence (it went to the others): their work begun of the pool's
        rises to their share times the least ratio (work over share) of the others present."""
        share, given, present = self.pool_share[k], self.pool_given[k], self.present
        me = self.pool_pos[k][p]
        low = -1.0
        for j, m in enumerate(self.sim.pool_members[k]):
            if j != me and present[m]:
                ratio = given[j] / share[j]
                if low < 0 or ratio < low:
                    low = ratio
        if low >= 0 and given[me] / share[me] < low:
            given[me] = low * share[me]

    # -- work ----------------------------------------------------------------------------------

    def start(self, p: int, req: _InFlight, si: int, now: float) -> None:
        """``p`` (present) begins step ``si`` of ``req``."""
        k = req.plan.pool[si]
        if k >= 0 and self.pool_share[k]:
            self.pool_given[k][self.pool_pos[k][p]] += req.work[si]
        last = req.last
        if last != p and last >= 0:  # a change of person (issue 14), and maybe of role
            req.pch += 1
            if self.sim.role[last] != self.sim.role[p]:
                req.rch += 1
        req.last = p
        work = req.work[si] / self.speed[p]
        req.touch[si] = work
        self.hand_req[p] = req
        self.hand_step[p] = si
        self.hand_mark[p] = self.away_total[p]
        self.remaining[p] = work
        self.busy_since[p] = now
        v = self.version[p] + 1
        self.version[p] = v
        heapq.heappush(self.heap, (now + work, SERVICE_END, next(self.seq), p, v))

    def serve(self, p: int, now: float) -> None:
        """If ``p`` is present and free, they take the oldest item of their queues."""
        if self.hand_req[p] is not None or not self.present[p]:
            return
        if not self.pools_of[p]:  # only their own queue
            if self.queue[p]:
                self.take(p, self.queue[p].popleft(), now)
            return
        best = self.queue[p] if self.queue[p] else None
        since = best[0][_SINCE] if best else float("inf")
        for k in self.pools_of[p]:
            q = self.pool_queue[k]
            if q and q[0][_SINCE] < since:
                best, since = q, q[0][_SINCE]
        if best is None:
            return
        self.take(p, best.popleft(), now)

    def take(self, p: int, item: tuple[Any, ...], now: float) -> None:
        since, req, si, mark, held_for, own = item
        waited = now - since
        # A pool item (mark < 0) waits for the team: its wait is queueing.
        away = 0.0 if mark < 0 else min(max(self.away_total[p] - mark, 0.0), waited)
        req.wait[si] += waited - away
        req.away[si] += away
        if own:
            self.own[p] -= 1
        else:
            if mark < 0:  # a pool's item: its wait is in each member's queue
                self.note_wait(p, req, si, since - held_for, now)
            else:
                h = self.horizon
                self.q_area[p] += min(now, h) - min(since - held_for, h)
            self.items[p] += 1
            if away > 0 or held_for > 0:
                self.delayed[p] += 1
        self.start(p, req, si, now)

    def note_wait(self, p: int, req: _InFlight, si: int, since: float, now: float) -> None:
        """Add a wait from ``since`` to ``now`` (within the run) to the queue of ``p``, or for a
        pool's item to each member's (the pool's queue is theirs)."""
        h = self.horizon
        wait = min(now, h) - min(since, h)
        plan = req.plan
        if plan.pool[si] >= 0:
            for m in plan.owners[si]:
                self.q_area[m] += wait
        else:
            self.q_area[p] += wait

    def note(self, p: int) -> None:
        """Track the longest queue: their own, their pools' (items in the pool's queue or
        waiting for a member's return), and items waiting for their return."""
        waiting = len(self.queue[p]) - self.own[p] + self.held[p]
        for k in self.pools_of[p]:
            waiting += len(self.pool_queue[k]) + self.pool_held[k]
        if waiting > self.q_max[p]:
            self.q_max[p] = waiting

    def finish(self, p: int, now: float) -> None:
        """``p`` finishes the job in hand; the request moves on."""
        req = self.hand_req[p]
        assert req is not None
        si = self.hand_step[p]
        self.hand_req[p] = None
        self.idle_since[p] = now
        self.busy_total[p] += now - self.busy_since[p]
        req.end[si] = now
        req.away[si] += self.away_total[p] - self.hand_mark[p]
        req.left -= 1
        if req.left == 0:
            self.complete(req, now)
        continued = False
        left = req.preds_left
        plan = req.plan
        for s, same, owners, pool, gap in plan.nexts[si]:
            left[s] -= 1
            if left[s]:
                continue
            # The request stays with whoever has it while the next step is at the desk of the
            # step just finished (its primary, or the same pool) and they own it.
            if same and p in owners:
                if not continued:
                    continued = True  # handed to oneself: continues at once
                    self.start(p, req, s, now)
                elif pool < 0:  # a second branch: next, at the front of their queue
                    self.queue[p].appendleft((now, req, s, self.away_total[p], 0.0, True))
                    self.own[p] += 1
                else:  # a second branch in a pool's visit: the pool's queue, no handoff
                    self.arrive(now, req, s)
            else:
                # After the handoff delay from another desk and the external delay, if any.
                later = gap
                if gap > 0:
                    req.hand[s] = gap
                if plan.delay is not None:
                    later += plan.delay[s]
                if later > 0:
                    heapq.heappush(self.heap, (now + later, ARRIVE_AT_DESK, next(self.seq), req, s))
                else:
                    self.arrive(now, req, s)
        if not continued:
            self.serve(p, now)

    def complete(self, req: _InFlight, now: float) -> None:
        """The request's last step is done: its lead time and the parts of its critical
        path (back from the last step to finish through the predecessor that finished
        last)."""
        self.finished += 1
        if not req.counted:
            return
        self.completed += 1
        ri = req.route
        plan = req.plan
        self.person_changes += req.pch
        self.role_changes += req.rch
        counts = self.activity_counts
        for a in plan.act:
            counts[a] += 1
        delay = plan.delay
        external = 0.0
        if plan.serial:
            touch, queue, hand, away = sum(req.touch), sum(req.wait), sum(req.hand), sum(req.away)
            if delay is not None:
                external = sum(delay)
        else:
            end, preds = req.end, plan.preds
            node: int | None = latest(list(range(len(end))), end)
            touch = queue = hand = away = 0.0
            while node is not None:
                touch += req.touch[node]
                queue += req.wait[node]
                hand += req.hand[node]
                away += req.away[node]
                if delay is not None:
                    external += delay[node]
                before = preds[node]
                node = latest(before, end) if before else None
        self.lead_times.append(now - req.arrival)
        self.route_of.append(ri)
        self.customer_of.append(req.customer)
        self.number_of.append(req.number)
        parts = self.parts
        parts[0] += touch
        parts[1] += queue
        parts[2] += hand
        parts[3] += away
        self.external += external

    def next_arrival(self) -> None:
        """Put the next request on the heap, drawing a chunk of arrivals when needed."""
        pending = self.pending
        if not pending:
            chunk = next(self.chunks, None)
            while chunk is not None and not len(chunk[0]):
                chunk = next(self.chunks, None)
            if chunk is None:
                return
            work: list[Any] = [[]] * len(chunk[0])
            for _ri, rows, drawn in self.sim.efforts(self.rng, chunk[1]):
                for row, w in zip(rows.tolist(), drawn.T.tolist(), strict=True):
                    work[row] = w
            if self.sim.random_routes:  # issue 13: each request's drawn route
                for row, route in self.sim.draw_routes(self.route_rng, self.rng, chunk[1]).items():
                    work[row] = route
            pending.extend(
                zip(
                    reversed(chunk[0].tolist()),
                    reversed(chunk[1].tolist()),
                    reversed(work),
                    strict=True,
                )
            )
        t, choice, w = pending.pop()
        self.push(t, REQUEST, choice, w)

    # -- the run -------------------------------------------------------------------------------

    def run(self, progress: Callable[[float], None] | None = None) -> RunResult:
        """Simulate up to the horizon; requests arriving before the warm-up load the office
        but are not counted."""
        horizon, warmup = self.horizon, self.warmup
        n = len(self.present)
        snap_busy = [0.0] * n
        snap_away = [0.0] * n
        warm = warmup <= 0
        self.next_arrival()
        tick = horizon / 100
        next_tick = tick
        now = 0.0
        heap, handlers, pop = self.heap, self.handlers, heapq.heappop
        version, hand_req, present, finish = self.version, self.hand_req, self.present, self.finish
        while heap:
            now, kind, _seq, a, b = pop(heap)
            if now > horizon:
                now = horizon
                break
            if not warm and now >= warmup:
                warm = True
                self.open_at_warmup = self.opened - self.finished
                for p in range(n):
                    snap_busy[p] = self.busy_clock(p, warmup)
                    snap_away[p] = self.away_clock(p, warmup)
            if progress is not None and now >= next_tick:
                progress(now / horizon)
                next_tick = now + tick
            if kind == SERVICE_END:  # the most frequent: inline
                if version[a] == b and hand_req[a] is not None and present[a]:
                    finish(a, now)
            else:
                handlers[kind](now, a, b)
        # Items still waiting at the end waited until then.
        for p in range(n):
            for item in [*self.queue[p], *self.waiting[p]]:
                if not item[_OWN]:
                    self.note_wait(p, item[_REQ], item[_STEP], item[_SINCE] - item[_HELD], horizon)
        for members, queue in zip(self.sim.pool_members, self.pool_queue, strict=True):
            for item in queue:
                since = item[_SINCE] - item[_HELD]
                self.note_wait(members[0], item[_REQ], item[_STEP], since, horizon)
        if not warm:  # nothing happened after the warm-up: the state then is the last one
            for p in range(n):
                snap_busy[p] = self.busy_clock(p, now)
                snap_away[p] = self.away_clock(p, now)
        return self.result(snap_busy, snap_away)

    def result(self, snap_busy: list[float], snap_away: list[float]) -> RunResult:
        import numpy as np

        from orgflow.simulate.model import RunResult

        # The run lasts until the horizon even when the last event came earlier.
        end = max(self.horizon, self.warmup)
        window = end - self.warmup
        utilization, mean_queue = [], []
        for p in range(len(self.present)):
            busy = self.busy_clock(p, end) - snap_busy[p]
            here = window - (self.away_clock(p, end) - snap_away[p])
            utilization.append(busy / here if here > 0 else 0.0)
            # Little's law: the mean number waiting is the total waiting time over the run.
            mean_queue.append(self.q_area[p] / end if end > 0 else 0.0)
        return RunResult(
            lead_times=np.frombuffer(self.lead_times, dtype=np.float64),
            route_of=np.frombuffer(self.route_of, dtype=np.int64),
            customer_of=np.frombuffer(self.customer_of, dtype=np.int64),
            number_of=np.frombuffer(self.number_of, dtype=np.int64),
            parts_sum=(self.parts[0], self.parts[1], self.parts[2], self.parts[3]),
            external_sum=self.external,
            person_changes=self.person_changes,
            role_changes=self.role_changes,
            activity_counts=list(self.activity_counts),
            completed=self.completed,
            open_at_end=self.opened - self.finished,
            open_at_warmup=self.open_at_warmup,
            utilization=utilization,
            mean_queue=mean_queue,
            max_queue=list(self.q_max),
            delayed_share=[
                d / k if k else 0.0 for d, k in zip(self.delayed, self.items, strict=True)
            ],
        )
