"""The flow engine: the same simulation, computed desk by desk with numpy.

When work flows one way through the office (no person receives a request back after someone
else worked on it, pools are teams of their own), every desk sees its arrivals before it has
to serve them, so the whole run can be computed desk by desk in topological order. Absences
are known in advance (they do not depend on the work), so each person's FIFO queue is the
Lindley recursion d_k = max(a_k, d_{k-1}) + s_k in that person's *present time*, the clock
that stops while they are away: an absence interrupts the job in hand and everything queued
behind it, exactly as in the event engine. The recursion is a running maximum
(d = C + cummax(a - C + s), C the cumulative service), so a desk of 200,000 requests takes a
few milliseconds. Pools are served job by job (the earliest member able to start takes it);
where a request forks inside a pool's visit, the other branches join the pool's queue as the
step before them ends (README rule 2), so that pool's items come from a heap.

The run goes window by window (:class:`FlowRun`): a request reaches no desk before it
arrives, so once the arrivals up to T are drawn every item that reaches a desk before T is
known; each desk serves those and carries the rest, and a request is let go once its last step
is served. Only the requests in flight are kept, whatever the length of the run.

Offices that send work back (a person A-to-Z with a specialist desk in the middle) run on the
event engine; :func:`flow_plan` says which.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orgflow.graph import topological_order
from orgflow.simulate.streams import arrival_chunks

if TYPE_CHECKING:
    from orgflow.simulate.model import RunResult, SimOffice

#: numpy arrays (typed loosely: numpy's stubs do not follow arithmetic through).
Array = Any


@dataclass(frozen=True)
class Visit:
    """Steps one desk does for a request without handing it over, in order."""

    steps: list[int]
    people: list[int]  # chain members (primary first) or pool members
    pool: int  # pool index, or -1
    gap: float = 0.0  # from the predecessors' end to the desk: the handoff delay, or none


@dataclass(frozen=True)
class FlowPlan:
    order: list[list[int]]  # per route, the steps in topological order
    visits: list[list[Visit]]  # per route
    visit_of: list[list[int]]  # per route, step -> visit index
    nodes: list[tuple[str, int]]  # ("person", i) or ("pool", k), in topological order
    node_visits: dict[tuple[str, int], list[tuple[int, int]]]  # node -> [(route, visit)]
    # A fork inside a pool's visit: (route, visit) -> [(the visit of the other branch, the
    # step after which it joins the pool's queue)]; and the pools where that happens.
    forks: dict[tuple[int, int], list[tuple[int, int]]]
    forked_pools: set[int]


def _in_visit_order(steps: list[Any], members: list[int]) -> bool:
    """Put the steps of one visit in the order the person does them, in place: the first
    successor that becomes ready follows at once, the others wait at the front of their queue
    (last put, first done). True when the visit forks (some step waited so)."""
    from collections import deque

    inside = set(members)
    left = {s: len(steps[s].preds) for s in members}
    order: list[int] = []
    waiting: deque[int] = deque()
    forked = False
    current: int | None = members[0]
    while current is not None:
        order.append(current)
        following = None
        for s in steps[current].succs:
            if s not in inside:
                continue
            left[s] -= 1
            if left[s]:
                continue
            if following is None:
                following = s
            else:
                waiting.appendleft(s)
                forked = True
        if following is None and waiting:
            following = waiting.popleft()
        current = following
    members[:] = order
    return forked


def flow_plan(sim: SimOffice) -> FlowPlan | None:
    """The desk-by-desk plan, or ``None`` when work flows back, a route is random (issue
    13: its steps depend on each request's drawn route) or a pool has ``shares`` (who takes an
    item depends on the work each member has begun, across the routes), and the event engine
    must run."""
    if sim.random_routes or any(sim.pool_shares):
        return None
    orders: list[list[int]] = []
    all_visits: list[list[Visit]] = []
    visit_ofs: list[list[int]] = []
    pool_of_person: dict[int, int] = {}
    chain_people: set[int] = set()
    edges: set[tuple[tuple[str, int], tuple[str, int]]] = set()
    node_visits: dict[tuple[str, int], list[tuple[int, int]]] = {}
    forks: dict[tuple[int, int], list[tuple[int, int]]] = {}
    forked_pools: set[int] = set()
    for ri, route in enumerate(sim.routes):
        steps = route.steps
        order = route.order
        visit_of = [-1] * len(steps)
        visits: list[Visit] = []
        for s in order:
            step = steps[s]
            # Continuation: the same desk and the same owners (the doer of the previous step
            # owns this one too); the same desk with other owners is not a plain visit.
            same = [p for p in step.preds if p not in step.handed_from]
            if any(steps[p].people != step.people for p in same):
                return None
            if step.preds and len(same) == len(step.preds):
                owners = {visit_of[p] for p in same}
                if len(owners) != 1:
                    return None
                v = owners.pop()
                visits[v].steps.append(s)
                visit_of[s] = v
            else:
                if same:
                    return None  # waits for its own desk and another: not a plain visit
                visit_of[s] = len(visits)
                visits.append(Visit([s], list(step.people), step.pool))
        if not _split_pool_forks(ri, steps, visits, visit_of, forks, forked_pools):
            return None
        for v, visit in enumerate(visits):
            first = visit.steps[0]
            gap = sim.handoff if steps[first].handed_from else 0.0
            visits[v] = visit = Visit(visit.steps, visit.people, visit.pool, gap)
            if visit.pool < 0:
                _in_visit_order(steps, visit.steps)
            if visit.pool >= 0:
                node = ("pool", visit.pool)
                for m in visit.people:
                    if pool_of_person.setdefault(m, visit.pool) != visit.pool or m in chain_people:
                        return None
                node_visits.setdefault(node, []).append((ri, v))
            else:
                for m in visit.people:
                    if m in pool_of_person:
                        return None
                    chain_people.add(m)
                    node_visits.setdefault(("person", m), []).append((ri, v))
        for s in order:
            for p in steps[s].preds:
                u, v = visit_of[p], visit_of[s]
                if u == v:
                    continue
                if any(c == v for c, _f in forks.get((ri, u), [])):
                    continue  # a branch forked inside the pool's visit: served with the pool
                for a in _nodes(visits[u]):
                    for b in _nodes(visits[v]):
                        if a == b:
                            return None
                        edges.add((a, b))
        orders.append(order)
        all_visits.append(visits)
        visit_ofs.append(visit_of)
    ordered = _desk_order(node_visits, edges)
    if ordered is None:
        return None
    return FlowPlan(orders, all_visits, visit_ofs, ordered, node_visits, forks, forked_pools)


def _split_pool_forks(
    ri: int,
    steps: list[Any],
    visits: list[Visit],
    visit_of: list[int],
    forks: dict[tuple[int, int], list[tuple[int, int]]],
    forked_pools: set[int],
) -> bool:
    """A fork inside a pool's visit: the branch in hand goes on with whoever holds it, the
    others join the pool's queue (no handoff): each a visit of its own at the pool (in place).
    False when a step inside waits for two branches: not a plain visit."""
    for v in range(len(visits)):
        if visits[v].pool < 0 or len(visits[v].steps) == 1:
            continue
        parts = _pool_split(steps, visits[v].steps)
        if parts is None:
            return False
        index_of = [v]
        visits[v].steps[:] = parts[0][0]
        for path, parent, fork_step in parts[1:]:
            child = len(visits)
            index_of.append(child)
            visits.append(Visit(path, list(visits[v].people), visits[v].pool))
            for x in path:
                visit_of[x] = child
            forks.setdefault((ri, index_of[parent]), []).append((child, fork_step))
            forked_pools.add(visits[v].pool)
    return True


def _desk_order(
    nodes: dict[tuple[str, int], Any], edges: set[tuple[tuple[str, int], tuple[str, int]]]
) -> list[tuple[str, int]] | None:
    """The desks (people and pools) in topological order of the work handed between them;
    ``None`` when work flows back (a cycle)."""
    preds: dict[tuple[str, int], list[tuple[str, int]]] = {n: [] for n in sorted(nodes)}
    for a, b in sorted(edges):
        preds[b].append(a)
    return topological_order(preds)


def _pool_split(steps: list[Any], members: list[int]) -> list[tuple[list[int], int, int]] | None:
    """Split a pool's visit (its steps, the first one first) by rule 2 of the README: whoever
    holds the request goes on with the first successor inside the visit, the other branches
    join the pool's queue. Returns the paths, the first the holder's, each with the index of
    the path it forks from and the step it forks after (-1 for the first); ``None`` when a
    step inside waits for two of them (a join inside the visit)."""
    inside = set(members)
    if any(sum(p in inside for p in steps[s].preds) > 1 for s in members):
        return None
    out: list[tuple[list[int], int, int]] = []
    todo = [(members[0], -1, -1)]
    while todo:
        root, parent, fork = todo.pop(0)
        path = [root]
        me = len(out)
        out.append((path, parent, fork))
        current = root
        while True:
            following = [t for t in steps[current].succs if t in inside]
            if not following:
                break
            todo.extend((t, me, current) for t in following[1:])
            path.append(following[0])
            current = following[0]
    return out


def _by_person(who: Array) -> list[tuple[int, Array | None]]:
    """Split items by the person who did them; ``None`` selects all when one person did."""
    import numpy as np

    if not len(who):
        return []
    lo, hi = int(who.min()), int(who.max())
    if lo == hi:
        return [(lo, None)]
    return [(int(m), who == m) for m in np.unique(who)]


def _nodes(visit: Visit) -> list[tuple[str, int]]:
    if visit.pool >= 0:
        return [("pool", visit.pool)]
    return [("person", m) for m in visit.people]


class Clock:
    """A person's present time: working time less the time they were away."""

    def __init__(self, away: list[tuple[float, float]]) -> None:
        import numpy as np

        self.starts = np.array([a for a, _ in away], dtype=float)
        self.ends = np.array([b for _, b in away], dtype=float)
        lengths = self.ends - self.starts
        self.before = np.concatenate([[0.0], np.cumsum(lengths)])  # away time before interval i
        self.pstarts = self.starts - self.before[:-1]  # present clock at each absence start
        self.starts_list = self.starts.tolist()
        self.ends_list = self.ends.tolist()
        self.before_list = self.before.tolist()
        self.pstarts_list = self.pstarts.tolist()

    def present(self, t: Array) -> Array:
        import numpy as np

        if not len(self.starts):
            return np.asarray(t, dtype=float)
        i = np.searchsorted(self.starts, t, side="right") - 1
        j = np.maximum(i, 0)
        inside = np.clip(t - self.starts[j], 0.0, self.ends[j] - self.starts[j])
        away = np.where(i >= 0, self.before[j] + inside, 0.0)
        return t - away

    def real(self, x: Array) -> Array:
        """The first working time at which the present clock reads ``x``."""
        import numpy as np

        if not len(self.starts):
            return np.asarray(x, dtype=float)
        j = np.searchsorted(self.pstarts, x, side="left")
        return x + self.before[j]

    def back(self, t: Array) -> Array:
        """``t`` if present then, else the end of the absence they are in."""
        import numpy as np

        if not len(self.starts):
            return np.asarray(t, dtype=float)
        i = np.searchsorted(self.starts, t, side="right") - 1
        j = np.maximum(i, 0)
        away = (i >= 0) & (t < self.ends[j])
        return np.where(away, self.ends[j], t)

    # Scalar versions of present, real and back, for the job-by-job pool loop.
    def present_scalar(self, t: float) -> float:
        i = bisect.bisect_right(self.starts_list, t) - 1
        if i < 0:
            return t
        inside = min(max(t - self.starts_list[i], 0.0), self.ends_list[i] - self.starts_list[i])
        return float(t - self.before_list[i] - inside)

    def real_scalar(self, x: float) -> float:
        return float(x + self.before_list[bisect.bisect_left(self.pstarts_list, x)])

    def back_scalar(self, t: float) -> float:
        i = bisect.bisect_right(self.starts_list, t) - 1
        if i >= 0 and t < self.ends_list[i]:
            return float(self.ends_list[i])
        return t


def _rows(mask: Array) -> Array:
    """The columns where ``mask`` holds: a slice when they are one run (a view, no copy)."""
    import numpy as np

    idx = np.flatnonzero(mask)
    if not len(idx):
        return slice(0, 0)
    if int(idx[-1]) - int(idx[0]) + 1 == len(idx):
        return slice(int(idx[0]), int(idx[-1]) + 1)
    return idx


class _Live:
    """The requests of one route still in flight, one column per request (hours).

    ``start`` and ``done`` are NaN for the steps not served yet; a request leaves when its last
    step is served, so the columns kept are the requests in flight, not the whole run.
    """

    __slots__ = ("arrive", "customer", "doer", "done", "number", "start", "work")

    def __init__(self, steps: int) -> None:
        import numpy as np

        self.arrive: Array = np.zeros(0)
        self.customer: Array = np.zeros(0, dtype=np.int64)
        self.number: Array = np.zeros(0, dtype=np.int64)  # in arrival order, from 0
        self.work: Array = np.zeros((steps, 0))
        self.start: Array = np.zeros((steps, 0))
        self.done: Array = np.zeros((steps, 0))
        self.doer: Array = np.zeros((steps, 0), dtype=np.int64)

    def add(self, arrive: Array, customer: Array, work: Array, number: Array) -> None:
        import numpy as np

        unserved = np.full(work.shape, np.nan)
        self.arrive = np.concatenate([self.arrive, arrive])
        self.customer = np.concatenate([self.customer, customer])
        self.number = np.concatenate([self.number, number])
        self.work = np.concatenate([self.work, work], axis=1)
        self.start = np.concatenate([self.start, unserved], axis=1)
        self.done = np.concatenate([self.done, unserved], axis=1)
        self.doer = np.concatenate([self.doer, np.full(work.shape, -1, dtype=np.int64)], axis=1)

    def keep(self, mask: Array) -> None:
        """Keep the columns ``mask`` selects (a boolean mask or a slice)."""
        self.arrive = self.arrive[mask]
        self.customer = self.customer[mask]
        self.number = self.number[mask]
        self.work = self.work[:, mask]
        self.start = self.start[:, mask]
        self.done = self.done[:, mask]
        self.doer = self.doer[:, mask]


def _latest(ends: Array) -> Array:
    """Per column, the row that finished last; at a tie (within ``TIE``) the first of them,
    as in the event engine."""
    from orgflow.simulate.events import TIE

    return (ends >= ends.max(axis=0) - TIE).argmax(axis=0)


def _critical_path(
    sim: SimOffice, plan: FlowPlan, ri: int, clocks: list[Clock], live: _Live, rows: Array
) -> tuple[Array, Array]:
    """For finished requests ``rows`` of route ``ri``: when each finished, and the parts of its
    lead time (touch, queueing, handoff, absence; a 4 x n array) along its realised critical
    path (from the last step to finish back through the predecessor that finished last)."""
    import numpy as np

    h = sim.handoff
    route_steps = sim.routes[ri].steps
    arrive = live.arrive[rows]
    start, done, doer = live.start[:, rows], live.done[:, rows], live.doer[:, rows]
    count = len(arrive)
    cum_parts: list[Array] = [None] * len(route_steps)
    for s in plan.order[ri]:
        st = route_steps[s]
        s_begin, s_end = start[s], done[s]
        if len(st.preds) == 1:
            p = st.preds[0]
            gap_h = h if st.handed_from else 0.0
            ready_t = done[p] + gap_h
            handoff = np.full(count, gap_h)
            base = cum_parts[p]
        elif st.preds:
            stacked = done[st.preds]
            arg = _latest(stacked)
            crossed = np.asarray([p in st.handed_from for p in st.preds])[arg]
            handoff = np.where(crossed, h, 0.0)
            ready_t = stacked.max(axis=0) + handoff
            prev = np.stack([cum_parts[p] for p in st.preds])
            base = prev[arg, :, np.arange(count)].T
        else:
            ready_t = arrive
            handoff = np.zeros(count)
            base = np.zeros((4, count))
        gap_present = np.empty(count)
        service_present = np.empty(count)
        for m, sel in _by_person(doer[s]):
            cl = clocks[m]
            if sel is None:
                p_begin = cl.present(s_begin)
                gap_present = p_begin - cl.present(ready_t)
                service_present = cl.present(s_end) - p_begin
            else:
                p_begin = cl.present(s_begin[sel])
                gap_present[sel] = p_begin - cl.present(ready_t[sel])
                service_present[sel] = cl.present(s_end[sel]) - p_begin
        if st.pool >= 0:
            # A pool's wait is queueing, but for the time nobody of the pool was there.
            back = np.min([clocks[m].back(ready_t) for m in st.people], axis=0)
            gap_present = s_begin - back
        away = (s_begin - ready_t - gap_present) + (s_end - s_begin - service_present)
        cum_parts[s] = base + np.vstack([service_present, gap_present, handoff, away])
    sinks = [s for s in range(len(route_steps)) if not route_steps[s].succs]
    if len(sinks) == 1:
        return done[sinks[0]], cum_parts[sinks[0]]
    finals = done[sinks]
    last = _latest(finals)
    chosen = np.stack([cum_parts[s] for s in sinks])
    return finals.max(axis=0), chosen[last, :, np.arange(count)].T


class FlowRun:
    """One run of the flow engine, window by window.

    Arrivals come in windows (the chunks of :func:`arrival_chunks`). A request can reach a desk
    no earlier than it arrived, so once the arrivals up to time T are known, every item that
    reaches any desk before T is known too: each desk, in topological order, serves (FIFO) the
    items ready before T, continuing its queue from the previous window, and keeps the others
    for the next one. That is exact, and it keeps only the requests in flight: memory is flat
    in the length of the run apart from the lead-time samples.
    """

    def __init__(
        self,
        sim: SimOffice,
        plan: FlowPlan,
        seed: int,
        run: int,
        horizon: float,
        warmup: float,
        present: bool = False,
    ) -> None:
        import numpy as np

        self.sim, self.plan = sim, plan
        self.horizon, self.warmup = horizon, warmup
        self.rng = np.random.default_rng([seed, run, 2])
        n_people = len(sim.people_ids)
        self.clocks = [Clock(sim.away(seed, run, i, horizon, present)) for i in range(n_people)]
        self.live = [_Live(len(route.steps)) for route in sim.routes]
        self.sinks = [[s.index for s in route.steps if not s.succs] for route in sim.routes]
        self.choices = np.asarray(sim.choices, dtype=np.int64).reshape(-1, 2)
        # Each person's queue, carried from one window to the next: when (present time and
        # working time) their last job ends; for pool members, when they are next free.
        self.last = [-np.inf] * n_people
        self.last_real = [-np.inf] * n_people
        self.job_began = [-np.inf] * n_people  # pool members: when their last job began
        self.job_ended = [-np.inf] * n_people  # pool members: when (working time) it ended
        # Per person statistics, streamed.
        self.present_window = [
            tuple(float(x) for x in c.present(np.array([warmup, horizon]))) for c in self.clocks
        ]
        self.busy = [0.0] * n_people
        self.items = [0] * n_people
        self.delayed = [0] * n_people
        # Queues: one per person, then one per pool (its members have no other).
        queues = n_people + len(sim.pool_members)
        self.q_area = [0.0] * queues
        self.q_max = [0] * queues
        self.q_now = [0] * queues
        self.q_pending: list[Array] = [np.zeros(0)] * queues  # starts after the window
        self.q_seen: list[list[tuple[Array, Array]]] = [[] for _ in range(queues)]
        self.queue_of = list(range(n_people))
        for k, members in enumerate(sim.pool_members):
            for m in members:
                self.queue_of[m] = n_people + k
        # Per request statistics, streamed; the lead times are the samples kept.
        self.leads: list[Array] = []
        self.routes_of: list[Array] = []
        self.customers_of: list[Array] = []
        self.numbers_of: list[Array] = []
        self.parts = np.zeros(4)
        self.opened = self.finished = self.open_at_warmup = 0
        self.candidates: dict[tuple[int, int], tuple[Array, Array, Array]] = {}

    def admit(self, times: Array, choice: Array) -> None:
        """Add a window's arrivals to their routes, with their efforts."""

        if not len(times):
            return
        customer_of = self.choices[choice, 1]
        first = self.opened
        for ri, rows, work in self.sim.efforts(self.rng, choice):
            self.live[ri].add(times[rows], customer_of[rows], work, first + rows)
            self.opened += len(rows)

    def serve(self, cutoff: float) -> None:
        """Serve, desk by desk, every item that reaches its desk before ``cutoff``."""
        self.candidates = {}
        for kind, k in self.plan.nodes:
            if kind == "person":
                self.serve_person(k, cutoff)
            elif k in self.plan.forked_pools:
                self.serve_pool_forked(k, cutoff)
            else:
                self.serve_pool(k, cutoff)
        for m in range(len(self.q_seen)):
            self.track_queue(m, cutoff)

    def ready(self, ri: int, v: int, cutoff: float) -> tuple[Array, Array, Array]:
        """The items of visit ``v`` of route ``ri`` to serve now: their columns, when they
        reach the desk, and (for a chain) who takes each: the first member present then, else
        the first to come back."""
        import numpy as np

        key = (ri, v)
        if key in self.candidates:
            return self.candidates[key]
        live = self.live[ri]
        visit = self.plan.visits[ri][v]
        first = visit.steps[0]
        preds = self.sim.routes[ri].steps[first].preds
        if not preds:
            t = live.arrive
        elif len(preds) == 1:
            t = live.done[preds[0]] + visit.gap
        else:
            t = live.done[preds].max(axis=0) + visit.gap  # NaN until all are done
        rows = _rows(np.isnan(live.start[first]) & (t < cutoff))
        t = t[rows]
        if len(visit.people) == 1 or visit.pool >= 0:
            who = np.full(len(t), visit.people[0], dtype=np.int64)
        else:
            who = np.full(len(t), -1, dtype=np.int64)
            best_back = np.full(len(t), np.inf)
            fallback = np.full(len(t), visit.people[0], dtype=np.int64)
            for m in visit.people:
                back = self.clocks[m].back(t)
                here = (back == t) & (who < 0)
                who[here] = m
                sooner = back < best_back
                best_back = np.where(sooner, back, best_back)
                fallback = np.where(sooner, m, fallback)
            who = np.where(who < 0, fallback, who)
        self.candidates[key] = (rows, t, who)
        return rows, t, who

    def serve_person(self, k: int, cutoff: float) -> None:
        """One person's FIFO queue over this window: the Lindley recursion in present time."""
        import numpy as np

        c = self.clocks[k]
        speed = self.sim.speed[k]
        times, services, keys = [], [], []
        for ri, v in self.plan.node_visits[("person", k)]:
            rows, t, who = self.ready(ri, v, cutoff)
            visit = self.plan.visits[ri][v]
            if len(visit.people) > 1:
                mine = who == k
                if not mine.all():
                    rows = np.arange(len(self.live[ri].arrive))[rows][mine]
                    t = t[mine]
            if not len(t):
                continue
            work = self.live[ri].work
            if len(visit.steps) == 1:
                total = work[visit.steps[0], rows]
            else:
                total = work[visit.steps][:, rows].sum(axis=0)
            times.append(t)
            services.append(total / speed)
            keys.append((ri, visit, rows))
        if not times:
            return
        t_all = np.concatenate(times) if len(times) > 1 else times[0]
        s_all = np.concatenate(services) if len(services) > 1 else services[0]
        order = np.argsort(t_all, kind="stable")
        arrived = t_all[order]
        serv = s_all[order]
        a = c.present(arrived)
        cum = np.cumsum(serv)
        # d_k = max(a_k, d_{k-1}) + s_k, continuing from the last departure d_0.
        d = cum + np.maximum(np.maximum.accumulate(a - (cum - serv)), self.last[k])
        d_real = c.real(d)
        prev_d = np.concatenate([[self.last[k]], d[:-1]])
        prev_real = np.concatenate([[self.last_real[k]], d_real[:-1]])
        began = np.where(prev_d >= a, prev_real, c.back(arrived))
        self.last[k] = float(d[-1])
        self.last_real[k] = float(d_real[-1])
        # Items they took before the end; delayed by their absence when part of the wait fell
        # while they were away.
        taken = began <= self.horizon
        away = (began - arrived) - (c.present(began) - a)
        self.account(k, d - serv, d, int(((away > 1e-9) & taken).sum()), int(taken.sum()))
        self.waited(k, arrived, began)
        begin = np.empty_like(began)
        begin[order] = began
        offset = 0
        for (ri, visit, rows), t in zip(keys, times, strict=True):
            n = len(t)
            self.record(ri, visit, rows, k, begin[offset : offset + n], speed)
            offset += n

    def serve_pool(self, k: int, cutoff: float) -> None:
        """A pool's one FIFO queue, item by item: the member able to start first takes it."""
        import numpy as np

        sim, clocks = self.sim, self.clocks
        members = sim.pool_members[k]
        keys, times, works = [], [], []
        for ri, v in self.plan.node_visits[("pool", k)]:
            rows, t, _who = self.ready(ri, v, cutoff)
            if not len(t):
                continue
            visit = self.plan.visits[ri][v]
            keys.append((ri, visit, rows))
            times.append(t)
            works.append(self.live[ri].work[visit.steps][:, rows].sum(axis=0))
        if not times:
            return
        t_all = np.concatenate(times)
        w_all = np.concatenate(works).tolist()
        t_list = t_all.tolist()
        who = np.empty(len(t_list), dtype=np.int64)
        begin = np.empty(len(t_list))
        held = np.zeros(len(t_list), dtype=bool)  # nobody of the pool present when it came
        spans: dict[int, tuple[list[int], list[float], list[float]]] = {
            m: ([], [], []) for m in members
        }
        order = np.argsort(t_all, kind="stable")
        for j in order.tolist():
            t_item = t_list[j]
            best_m, best_start, anyone = self.choose(members, t_item)
            self.job_began[best_m] = best_start
            p_begin = clocks[best_m].present_scalar(best_start)
            p_end = p_begin + w_all[j] / sim.speed[best_m]
            self.last[best_m] = p_end
            self.job_ended[best_m] = clocks[best_m].real_scalar(p_end)
            who[j] = best_m
            begin[j] = best_start
            held[j] = not anyone
            span = spans[best_m]
            span[0].append(j)
            span[1].append(p_begin)
            span[2].append(p_end)
        taken = begin <= self.horizon  # items taken before the end
        for m, (js, p0, p1) in spans.items():
            if js:
                delayed = int((held[js] & taken[js]).sum())
                self.account(m, np.asarray(p0), np.asarray(p1), delayed, int(taken[js].sum()))
        # The pool's one queue, in time order (starts too: the first able to start takes it).
        self.waited(len(self.last) + k, t_all[order], begin[order])
        speeds = np.asarray(sim.speed)
        offset = 0
        for (ri, visit, rows), t in zip(keys, times, strict=True):
            n = len(t)
            m_of = who[offset : offset + n]
            self.record(ri, visit, rows, m_of, begin[offset : offset + n], speeds[m_of])
            offset += n

    def choose(self, members: list[int], t_item: float) -> tuple[int, float, bool]:
        """Who of the pool takes an item that reaches it at ``t_item``, when they begin it, and
        whether anyone of the pool was there when it came."""
        clocks = self.clocks
        best_m = members[0]
        best: tuple[float, int, float, int] = (float("inf"), 0, 0.0, 0)
        anyone = False
        for pos, m in enumerate(members):
            cm = clocks[m]
            p_free = self.last[m]
            back = cm.back_scalar(t_item)
            anyone = anyone or back == t_item
            busy = p_free > cm.present_scalar(t_item)
            start = cm.real_scalar(p_free) if busy else back
            # At a tie, as in the event engine: an item that arrives as they are free goes to
            # whoever has been idle the longest (their last job ended first; then the pool's
            # order); one that waits goes first to whoever comes back, then to whoever began
            # their job first.
            if start == t_item:
                key = (start, 0, self.job_ended[m], pos)
            elif not busy:
                key = (start, 1, 0.0, m)
            else:
                key = (start, 2, self.job_began[m], pos)
            if key < best:
                best_m, best = m, key
        return best_m, best[0], anyone

    def serve_pool_forked(self, k: int, cutoff: float) -> None:
        """A pool where requests fork inside a visit: as :meth:`serve_pool`, but the other
        branches join the pool's queue when the step they follow ends (README rule 2), so the
        items are taken in time order from a heap that grows as they are served."""
        import heapq

        import numpy as np

        sim, clocks, plan = self.sim, self.clocks, self.plan
        members = sim.pool_members[k]
        heap: list[tuple[float, int, int, int, int]] = []  # time, sequence, route, visit, row
        for ri, v in plan.node_visits[("pool", k)]:
            rows, t, _who = self.ready(ri, v, cutoff)
            if not len(t):
                continue
            columns = np.arange(len(self.live[ri].arrive))[rows].tolist()
            for row, t_item in zip(columns, t.tolist(), strict=True):
                heap.append((t_item, len(heap), ri, v, row))
        if not heap:
            return
        heapq.heapify(heap)
        seq = len(heap)
        done: dict[tuple[int, int], tuple[list[int], list[int], list[float]]] = {}
        # Per member: present times of each item's work, whether they took it before the
        # end, and whether nobody of the pool was there when it came.
        spans: dict[int, tuple[list[float], list[float], list[bool], list[bool]]] = {
            m: ([], [], [], []) for m in members
        }
        arrived: list[float] = []
        began: list[float] = []
        while heap:
            t_item, _seq, ri, v, row = heapq.heappop(heap)
            visit = plan.visits[ri][v]
            work = self.live[ri].work
            m, start, anyone = self.choose(members, t_item)
            self.job_began[m] = start
            p_begin = clocks[m].present_scalar(start)
            # The end of each step of the visit, in present time; branches forked after one of
            # them join the queue then.
            ends: dict[int, float] = {}
            p_end = p_begin
            for step in visit.steps:
                p_end += float(work[step, row]) / sim.speed[m]
                ends[step] = p_end
            self.last[m] = p_end
            self.job_ended[m] = clocks[m].real_scalar(p_end)
            for child, after in plan.forks.get((ri, v), []):
                t_child = clocks[m].real_scalar(ends[after])
                if t_child < cutoff:
                    heapq.heappush(heap, (t_child, seq, ri, child, row))
                    seq += 1
            rows_of, who_of, begin_of = done.setdefault((ri, v), ([], [], []))
            rows_of.append(row)
            who_of.append(m)
            begin_of.append(start)
            span = spans[m]
            span[0].append(p_begin)
            span[1].append(p_end)
            span[2].append(start <= self.horizon)
            span[3].append(not anyone)
            arrived.append(t_item)
            began.append(start)
        for m, (p0, p1, taken, held) in spans.items():
            if p0:
                delayed = sum(1 for x, y in zip(taken, held, strict=True) if x and y)
                self.account(m, np.asarray(p0), np.asarray(p1), delayed, sum(taken))
        # The pool's one queue, in time order.
        self.waited(len(self.last) + k, np.asarray(arrived), np.asarray(began))
        speeds = np.asarray(sim.speed)
        for (ri, v), (rows_of, who_of, begin_of) in done.items():
            m_of = np.asarray(who_of, dtype=np.int64)
            self.record(
                ri,
                plan.visits[ri][v],
                np.asarray(rows_of, dtype=np.int64),
                m_of,
                np.asarray(begin_of),
                speeds[m_of],
            )

    def record(
        self, ri: int, visit: Visit, rows: Array, m_of: int | Array, first: Array, speed: Array
    ) -> None:
        """Write when the visit's steps started and ended for the items ``rows``."""
        import numpy as np

        live = self.live[ri]
        begin = first
        for s in visit.steps:
            service = live.work[s, rows] / speed
            if isinstance(m_of, int):
                c = self.clocks[m_of]
                end = c.real(c.present(begin) + service)
            else:
                end = np.empty(len(service))
                for m, sel in _by_person(m_of):
                    c = self.clocks[m]
                    if sel is None:
                        end = c.real(c.present(begin) + service)
                    else:
                        end[sel] = c.real(c.present(begin[sel]) + service[sel])
            live.start[s, rows] = begin
            live.done[s, rows] = end
            live.doer[s, rows] = m_of
            begin = end

    def account(self, m: int, p0: Array, p1: Array, delayed: int, items: int) -> None:
        """Person ``m`` worked over present times ``p0``..``p1``; of the items they took before
        the end, ``items``, ``delayed`` were delayed by their absence."""
        import numpy as np

        lo, hi = self.present_window[m]
        self.busy[m] += float(np.clip(np.minimum(p1, hi) - np.maximum(p0, lo), 0, None).sum())
        self.items[m] += items
        self.delayed[m] += delayed

    def waited(self, q: int, arrived: Array, began: Array) -> None:
        """Items of queue ``q`` (a person's, or after the people a pool's) reached it at
        ``arrived`` and were begun at ``began``, both in time order."""
        import numpy as np

        horizon = self.horizon
        waited = np.minimum(began, horizon) - np.minimum(arrived, horizon)
        self.q_area[q] += float(np.clip(waited, 0, None).sum())
        self.q_seen[q].append((arrived, began))

    def track_queue(self, m: int, cutoff: float) -> None:
        """The longest queue ``m`` (a person's or a pool's) up to the end of the run: replay
        the arrivals and starts before ``cutoff`` (no later window has any); later starts wait
        for their window. The queue is longest just after an arrival: the arrivals so far less
        the starts at or before it (a start at the same time goes first).

        Both are already in time order: a queue is FIFO, it is served once a window, and starts
        carried over come before later ones."""
        import numpy as np

        seen, pending = self.q_seen[m], self.q_pending[m]
        if not seen and not len(pending):
            return
        self.q_seen[m] = []
        h = self.horizon
        arrived = np.concatenate([a for a, _ in seen]) if seen else np.zeros(0)
        arrived = arrived[: np.searchsorted(arrived, h, side="right")]
        began = np.concatenate([pending, *(b for _, b in seen)])
        began = began[: np.searchsorted(began, h, side="right")]
        now = int(np.searchsorted(began, cutoff, side="left"))
        self.q_pending[m] = began[now:]
        began = began[:now]
        if len(arrived):
            started = np.searchsorted(began, arrived, side="right")
            longest = self.q_now[m] + int((np.arange(1, len(arrived) + 1) - started).max())
            self.q_max[m] = max(self.q_max[m], longest)
        self.q_now[m] += len(arrived) - len(began)

    def complete(self) -> None:
        """Count the requests whose last step is served, and let them go."""
        import numpy as np

        horizon, warmup = self.horizon, self.warmup
        for ri, live in enumerate(self.live):
            if not len(live.arrive):
                continue
            sinks = self.sinks[ri]
            ends = live.done[sinks[0]] if len(sinks) == 1 else live.done[sinks].max(axis=0)
            served = ~np.isnan(ends)
            rows = _rows(served)
            if isinstance(rows, slice) and rows.start == rows.stop:
                continue
            final_done, path_parts = _critical_path(
                self.sim, self.plan, ri, self.clocks, live, rows
            )
            arrive = live.arrive[rows]
            complete = final_done <= horizon
            self.finished += int(complete.sum())
            self.open_at_warmup += int(((arrive < warmup) & (final_done > warmup)).sum())
            counted = complete & (arrive >= warmup)
            self.leads.append((final_done - arrive)[counted])
            self.routes_of.append(np.full(int(counted.sum()), ri, dtype=np.int64))
            self.customers_of.append(live.customer[rows][counted])
            self.numbers_of.append(live.number[rows][counted])
            self.parts += (path_parts * counted).sum(axis=1)
            if isinstance(rows, slice) and rows.start == 0:
                live.keep(slice(rows.stop, None))
            else:
                live.keep(~served)

    def result(self) -> RunResult:
        import numpy as np

        from orgflow.simulate.model import RunResult

        utilization = []
        for m, (lo, hi) in enumerate(self.present_window):
            utilization.append(self.busy[m] / (hi - lo) if hi > lo else 0.0)
        horizon = self.horizon
        lead_all = np.concatenate(self.leads) if self.leads else np.zeros(0)
        empty_i = np.zeros(0, dtype=np.int64)
        return RunResult(
            lead_times=lead_all,
            route_of=np.concatenate(self.routes_of) if self.routes_of else empty_i,
            customer_of=np.concatenate(self.customers_of) if self.customers_of else empty_i,
            number_of=np.concatenate(self.numbers_of) if self.numbers_of else empty_i,
            parts_sum=(
                float(self.parts[0]),
                float(self.parts[1]),
                float(self.parts[2]),
                float(self.parts[3]),
            ),
            completed=len(lead_all),
            open_at_end=self.opened - self.finished,
            open_at_warmup=self.open_at_warmup,
            utilization=utilization,
            mean_queue=[self.q_area[q] / horizon if horizon > 0 else 0.0 for q in self.queue_of],
            max_queue=[self.q_max[q] for q in self.queue_of],
            delayed_share=[
                d / n if n else 0.0 for d, n in zip(self.delayed, self.items, strict=True)
            ],
        )


def run_flow(
    sim: SimOffice,
    plan: FlowPlan,
    seed: int,
    run: int,
    horizon: float,
    warmup: float,
    progress: Callable[[float], None] | None = None,
    present: bool = False,
) -> RunResult:
    """One run on the flow engine; the same statistics as the event engine."""
    import math

    state = FlowRun(sim, plan, seed, run, horizon, warmup, present)
    chunks = arrival_chunks(seed, run, sim.total_rate, sim.cum, horizon, sim.profile)
    current = next(chunks, None)
    while current is not None:
        after = next(chunks, None)
        times, choice = current
        # Items that reach a desk at or after the window's last arrival wait for the next one.
        cutoff = float(times[-1]) if after is not None and len(times) else math.inf
        state.admit(times, choice)
        state.serve(cutoff)
        state.complete()
        if progress is not None and horizon > 0:
            progress(min(cutoff / horizon, 1.0))
        current = after
    return state.result()
