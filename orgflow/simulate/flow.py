"""The flow engine: the same simulation, computed desk by desk with numpy.

When work flows one way through the office (no person receives a request back after someone
else worked on it, pools are teams of their own), every desk sees its arrivals before it has
to serve them, so the whole run can be computed desk by desk in topological order. Absences
are known in advance (they do not depend on the work), so each person's FIFO queue is the
Lindley recursion d_k = max(a_k, d_{k-1}) + s_k in that person's *present time*, the clock
that stops while they are away: an absence interrupts the job in hand and everything queued
behind it, exactly as in the event engine. The recursion is a running maximum
(d = C + cummax(a - C + s), C the cumulative service), so a desk of 200,000 requests takes a
few milliseconds. Pools are served job by job (the earliest member able to start takes it).

Offices that send work back (a person A-to-Z with a specialist desk in the middle) run on the
event engine; :func:`flow_plan` says which.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orgflow.simulate.streams import arrivals

if TYPE_CHECKING:
    from orgflow.simulate.engine import RunResult, Simulator

#: numpy arrays (typed loosely: numpy's stubs do not follow arithmetic through).
Array = Any


@dataclass(frozen=True)
class Visit:
    """Steps one desk does for a request without handing it over, in order."""

    steps: list[int]
    people: list[int]  # chain members (primary first) or pool members
    pool: int  # pool index, or -1


@dataclass(frozen=True)
class FlowPlan:
    order: list[list[int]]  # per route, the steps in topological order
    visits: list[list[Visit]]  # per route
    visit_of: list[list[int]]  # per route, step -> visit index
    nodes: list[tuple[str, int]]  # ("person", i) or ("pool", k), in topological order
    node_visits: dict[tuple[str, int], list[tuple[int, int]]]  # node -> [(route, visit)]


def _topological(preds: list[list[int]]) -> list[int] | None:
    n = len(preds)
    indegree = [len(p) for p in preds]
    succs: list[list[int]] = [[] for _ in range(n)]
    for s, ps in enumerate(preds):
        for p in ps:
            succs[p].append(s)
    ready = [s for s in range(n) if indegree[s] == 0]
    out: list[int] = []
    while ready:
        s = ready.pop(0)
        out.append(s)
        for t in succs[s]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return out if len(out) == n else None


def flow_plan(sim: Simulator) -> FlowPlan | None:
    """The desk-by-desk plan, or ``None`` when work flows back and the event engine must run."""
    orders: list[list[int]] = []
    all_visits: list[list[Visit]] = []
    visit_ofs: list[list[int]] = []
    pool_of_person: dict[int, int] = {}
    chain_people: set[int] = set()
    edges: set[tuple[tuple[str, int], tuple[str, int]]] = set()
    node_visits: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for ri, route in enumerate(sim.routes):
        steps = route.steps
        order = _topological([s.preds for s in steps])
        if order is None:
            return None
        visit_of = [-1] * len(steps)
        visits: list[Visit] = []
        for s in order:
            step = steps[s]
            same = [p for p in step.preds if steps[p].desk == step.desk]
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
        for v, visit in enumerate(visits):
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
                for a in _nodes(visits[u]):
                    for b in _nodes(visits[v]):
                        if a == b:
                            return None
                        edges.add((a, b))
        orders.append(order)
        all_visits.append(visits)
        visit_ofs.append(visit_of)
    # Topological order of desks (Kahn); a cycle means work flows back.
    nodes = sorted(node_visits)
    indegree = dict.fromkeys(nodes, 0)
    succ: dict[tuple[str, int], list[tuple[str, int]]] = {n: [] for n in nodes}
    for a, b in edges:
        succ[a].append(b)
        indegree[b] += 1
    ready: list[tuple[str, int]] = [n for n in nodes if indegree[n] == 0]
    ordered: list[tuple[str, int]] = []
    while ready:
        node = ready.pop(0)
        ordered.append(node)
        for after in sorted(succ[node]):
            indegree[after] -= 1
            if indegree[after] == 0:
                ready.append(after)
    if len(ordered) != len(nodes):
        return None
    return FlowPlan(orders, all_visits, visit_ofs, ordered, node_visits)


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

    # Scalar versions for the job-by-job pool loop.
    def present1(self, t: float) -> float:
        i = bisect.bisect_right(self.starts_list, t) - 1
        if i < 0:
            return t
        inside = min(max(t - self.starts_list[i], 0.0), self.ends_list[i] - self.starts_list[i])
        return float(t - self.before_list[i] - inside)

    def real1(self, x: float) -> float:
        return float(x + self.before_list[bisect.bisect_left(self.pstarts_list, x)])

    def back1(self, t: float) -> float:
        i = bisect.bisect_right(self.starts_list, t) - 1
        if i >= 0 and t < self.ends_list[i]:
            return float(self.ends_list[i])
        return t


def numpy_sampler(effort: Any, cal: Any) -> Any:
    """A function (rng, n) -> n efforts in hours, for the activity's distribution."""
    import numpy as np

    from orgflow.simulate.efforts import sampling_plan

    kind, p = sampling_plan(effort, cal)
    if kind == "fixed":
        return lambda rng, n: np.full(n, p[0])
    if kind == "exponential":
        return lambda rng, n: rng.exponential(p[0], n)
    if kind == "lognormal":
        return lambda rng, n: rng.lognormal(p[0], p[1], n)
    if kind == "beta":
        return lambda rng, n: p[0] + (p[1] - p[0]) * rng.beta(p[2], p[3], n)
    if kind == "triangular":
        return lambda rng, n: rng.triangular(p[0], p[1], p[2], n)
    return lambda rng, n: rng.uniform(p[0], p[1], n)


def run_flow(
    sim: Simulator, plan: FlowPlan, seed: int, run: int, horizon: float, warmup: float
) -> RunResult:
    """One run on the flow engine; the same statistics as the event engine."""
    import numpy as np

    from orgflow.simulate.engine import RunResult

    rng = np.random.default_rng([seed, run, 2])
    times, choice = arrivals(seed, run, sim.total_rate, sim.cum, horizon)
    choices = np.asarray(sim.choices, dtype=np.int64).reshape(-1, 2)
    route_of_arrival = choices[choice, 0] if len(choice) else np.zeros(0, dtype=np.int64)
    customer_of_arrival = choices[choice, 1] if len(choice) else np.zeros(0, dtype=np.int64)
    n_people = len(sim.people_ids)
    clocks = [Clock(sim.away(seed, run, i, horizon)) for i in range(n_people)]
    h = sim.handoff

    # Per route: its requests, and per step the efforts and what happened.
    arrive: list[Array] = []
    customer: list[Array] = []
    work: list[list[Array]] = []
    start: list[list[Array]] = []
    done: list[list[Array]] = []
    doer: list[list[Array]] = []
    for ri, route in enumerate(sim.routes):
        mask = route_of_arrival == ri
        arrive.append(times[mask])
        customer.append(customer_of_arrival[mask])
        n = int(mask.sum())
        work.append([sim.np_samplers[s.activity](rng, n) for s in route.steps])
        start.append([None] * len(route.steps))
        done.append([None] * len(route.steps))
        doer.append([None] * len(route.steps))

    assigned: dict[tuple[int, int], Array] = {}
    ready_at: dict[tuple[int, int], Array] = {}

    def ready(ri: int, v: int) -> Array:
        key = (ri, v)
        if key not in ready_at:
            first = plan.visits[ri][v].steps[0]
            preds = sim.routes[ri].steps[first].preds
            if not preds:
                ready_at[key] = arrive[ri]
            elif len(preds) == 1:
                ready_at[key] = done[ri][preds[0]] + h
            else:
                stacked = np.vstack([done[ri][p] for p in preds])
                ready_at[key] = stacked.max(axis=0) + h
        return ready_at[key]

    def assign(ri: int, v: int) -> Array:
        """Who gets each item of a chain visit: the first member present when it arrives,
        else the first to come back."""
        key = (ri, v)
        if key not in assigned:
            visit = plan.visits[ri][v]
            t = ready(ri, v)
            if len(visit.people) == 1:
                assigned[key] = np.full(len(t), visit.people[0], dtype=np.int64)
                return assigned[key]
            who = np.full(len(t), -1, dtype=np.int64)
            best_back = np.full(len(t), np.inf)
            fallback = np.full(len(t), visit.people[0], dtype=np.int64)
            for m in visit.people:
                back = clocks[m].back(t)
                here = (back == t) & (who < 0)
                who[here] = m
                sooner = back < best_back
                best_back = np.where(sooner, back, best_back)
                fallback = np.where(sooner, m, fallback)
            who = np.where(who < 0, fallback, who)
            assigned[key] = who
        return assigned[key]

    busy_present: list[list[tuple[Array, Array]]] = [[] for _ in range(n_people)]
    waits: list[list[tuple[Array, Array, Array]]] = [[] for _ in range(n_people)]

    def record(
        ri: int,
        visit: Visit,
        idx: Array,
        m_of: Array,
        t: Array,
        first_start: Array,
        speeds: Array,
    ) -> None:
        """Write start and done times of the visit's steps for items ``idx``."""
        begin = first_start
        everyone = len(idx) == len(arrive[ri])
        for s in visit.steps:
            service = (work[ri][s] if everyone else work[ri][s][idx]) / speeds
            if start[ri][s] is None:
                start[ri][s] = np.zeros(len(arrive[ri]))
                done[ri][s] = np.zeros(len(arrive[ri]))
                doer[ri][s] = np.zeros(len(arrive[ri]), dtype=np.int64)
            end = np.empty(len(idx))
            for m, sel in _by_person(m_of):
                c = clocks[m]
                if sel is None:
                    end = c.real(c.present(begin) + service)
                else:
                    end[sel] = c.real(c.present(begin[sel]) + service[sel])
            if everyone:
                start[ri][s] = begin
                done[ri][s] = end
                doer[ri][s] = m_of
            else:
                start[ri][s][idx] = begin
                done[ri][s][idx] = end
                doer[ri][s][idx] = m_of
            begin = end
        del t

    for kind, k in plan.nodes:
        if kind == "person":
            c = clocks[k]
            speed = sim.speed[k]
            chunks_t, chunks_s, keys = [], [], []
            for ri, v in plan.node_visits[(kind, k)]:
                who = assign(ri, v)
                idx = np.nonzero(who == k)[0]
                if not len(idx):
                    continue
                if len(idx) == len(who):  # all of them: no need to copy
                    t = ready(ri, v)
                    total = sum(work[ri][s] for s in plan.visits[ri][v].steps) / speed
                else:
                    t = ready(ri, v)[idx]
                    total = sum(work[ri][s][idx] for s in plan.visits[ri][v].steps) / speed
                chunks_t.append(t)
                chunks_s.append(total)
                keys.append((ri, v, idx))
            if not chunks_t:
                continue
            t_all = np.concatenate(chunks_t)
            s_all = np.concatenate(chunks_s)
            order = np.argsort(t_all, kind="stable")
            a = c.present(t_all[order])
            serv = s_all[order]
            cum = np.cumsum(serv)
            d = cum + np.maximum.accumulate(a - (cum - serv))  # Lindley in present time
            d_real = c.real(d)
            prev_real = np.concatenate([[-np.inf], d_real[:-1]])
            prev_d = np.concatenate([[-np.inf], d[:-1]])
            begin_sorted = np.where(prev_d >= a, prev_real, c.back(t_all[order]))
            begin = np.empty_like(begin_sorted)
            begin[order] = begin_sorted
            st_present = np.empty_like(d)
            st_present[order] = d - serv
            d_present = np.empty_like(d)
            d_present[order] = d
            busy_present[k].append((st_present, d_present))
            waits[k].append((t_all, begin, t_all))
            offset = 0
            for ri, v, idx in keys:
                n = len(idx)
                visit = plan.visits[ri][v]
                record(
                    ri,
                    visit,
                    idx,
                    np.full(n, k),
                    t_all[offset : offset + n],
                    begin[offset : offset + n],
                    speed,
                )
                offset += n
        else:
            members = sim.pool_members[k]
            entries = []
            for ri, v in plan.node_visits[(kind, k)]:
                t = ready(ri, v)
                for i in range(len(t)):
                    entries.append((float(t[i]), ri, v, i))
            entries.sort(key=lambda e: e[0])
            free_present = dict.fromkeys(members, -np.inf)
            results: dict[tuple[int, int], tuple[list[int], list[int], list[float]]] = {}
            spans: dict[int, tuple[list[float], list[float], list[float], list[float]]] = {
                m: ([], [], [], []) for m in members
            }
            for t_item, ri, v, i in entries:
                visit_steps = plan.visits[ri][v].steps
                best_m, best_start = members[0], np.inf
                for m in members:
                    cm = clocks[m]
                    p_free = free_present[m]
                    p_t = cm.present1(t_item)
                    begin_m = cm.real1(p_free) if p_free > p_t else cm.back1(t_item)
                    if begin_m < best_start:
                        best_m, best_start = m, begin_m
                cm = clocks[best_m]
                service = sum(float(work[ri][s][i]) for s in visit_steps) / sim.speed[best_m]
                p_begin = cm.present1(best_start)
                free_present[best_m] = p_begin + service
                lists = results.setdefault((ri, v), ([], [], []))
                lists[0].append(i)
                lists[1].append(best_m)
                lists[2].append(best_start)
                sp = spans[best_m]
                sp[0].append(p_begin)
                sp[1].append(p_begin + service)
                sp[2].append(t_item)
                sp[3].append(best_start)
            for (ri, v), (idxs, ms, begins) in results.items():
                idx = np.asarray(idxs, dtype=np.int64)
                m_of = np.asarray(ms, dtype=np.int64)
                speeds = np.asarray([sim.speed[m] for m in ms])
                record(
                    ri, plan.visits[ri][v], idx, m_of, ready(ri, v)[idx], np.asarray(begins), speeds
                )
            for m, (p0, p1, t_in, b_in) in spans.items():
                if p0:
                    busy_present[m].append((np.asarray(p0), np.asarray(p1)))
                    waits[m].append((np.asarray(t_in), np.asarray(b_in), np.asarray(t_in)))

    # Requests: completion, lead time and its parts along the realised critical path.
    leads, routes_of, customers_of = [], [], []
    parts_sum = np.zeros(4)
    finished = opened = open_at_warmup = 0
    for ri, route in enumerate(sim.routes):
        count = len(arrive[ri])
        if not count:
            continue
        route_steps = route.steps
        cum_parts: list[Array] = [None] * len(route_steps)
        for s in plan.order[ri]:
            st = route_steps[s]
            s_begin = start[ri][s]
            s_end = done[ri][s]
            s_who = doer[ri][s]
            assert s_begin is not None
            assert s_end is not None
            assert s_who is not None
            if len(st.preds) == 1:
                p = st.preds[0]
                gap_h = h if route_steps[p].desk != st.desk else 0.0
                ready_t = done[ri][p] + gap_h
                handoff = np.full(count, gap_h)
                base = cum_parts[p]
            elif st.preds:
                stacked = np.vstack([done[ri][p] for p in st.preds])
                arg = stacked.argmax(axis=0)
                crossed = np.asarray([route_steps[p].desk != st.desk for p in st.preds])[arg]
                ready_t = stacked.max(axis=0) + np.where(crossed, h, 0.0)
                handoff = np.where(crossed, h, 0.0)
                prev = np.stack([cum_parts[p] for p in st.preds])
                base = prev[arg, :, np.arange(count)].T
            else:
                ready_t = arrive[ri]
                handoff = np.zeros(count)
                base = np.zeros((4, count))
            gap = s_begin - ready_t
            gap_present = np.empty(count)
            service_present = np.empty(count)
            for m, sel in _by_person(s_who):
                cl = clocks[m]
                if sel is None:
                    p_begin = cl.present(s_begin)
                    gap_present = p_begin - cl.present(ready_t)
                    service_present = cl.present(s_end) - p_begin
                else:
                    p_begin = cl.present(s_begin[sel])
                    gap_present[sel] = p_begin - cl.present(ready_t[sel])
                    service_present[sel] = cl.present(s_end[sel]) - p_begin
            away = (gap - gap_present) + ((s_end - s_begin) - service_present)
            own = np.vstack([service_present, gap_present, handoff, away])
            cum_parts[s] = base + own
        sinks = [s for s in range(len(route_steps)) if not route_steps[s].succs]
        if len(sinks) == 1:
            final_done = done[ri][sinks[0]]
            path_parts = cum_parts[sinks[0]]
        else:
            finals = np.vstack([done[ri][s] for s in sinks])
            last = finals.argmax(axis=0)
            final_done = finals.max(axis=0)
            chosen = np.stack([cum_parts[s] for s in sinks])
            path_parts = chosen[last, :, np.arange(count)].T
        assert final_done is not None
        assert path_parts is not None
        complete = final_done <= horizon
        opened += count
        finished += int(complete.sum())
        open_at_warmup += int(((arrive[ri] < warmup) & (final_done > warmup)).sum())
        counted = complete & (arrive[ri] >= warmup)
        leads.append((final_done - arrive[ri])[counted])
        routes_of.append(np.full(int(counted.sum()), ri, dtype=np.int64))
        customers_of.append(customer[ri][counted])
        parts_sum += (path_parts * counted).sum(axis=1)

    window_lo, window_hi = warmup, horizon
    utilization, mean_queue, max_queue, delayed = [], [], [], []
    for m in range(n_people):
        c = clocks[m]
        lo, hi = c.present(np.array([window_lo, window_hi]))
        present_time = hi - lo
        busy = 0.0
        for p0, p1 in busy_present[m]:
            busy += float(np.clip(np.minimum(p1, hi) - np.maximum(p0, lo), 0, None).sum())
        utilization.append(busy / present_time if present_time > 0 else 0.0)
        if waits[m]:
            arrived = np.concatenate([w[0] for w in waits[m]])
            began = np.concatenate([w[1] for w in waits[m]])
            inside = np.clip(np.minimum(began, horizon) - np.minimum(arrived, horizon), 0, None)
            mean_queue.append(float(inside.sum()) / horizon if horizon > 0 else 0.0)
            events = np.concatenate([arrived[arrived <= horizon], began[began <= horizon]])
            signs = np.concatenate(
                [np.ones(int((arrived <= horizon).sum())), -np.ones(int((began <= horizon).sum()))]
            )
            order = np.lexsort((signs, events))
            max_queue.append(int(max(np.cumsum(signs[order]).max(initial=0), 0)))
            gap_present = c.present(began) - c.present(arrived)
            delayed.append(float(((began - arrived) - gap_present > 1e-9).mean()))
        else:
            mean_queue.append(0.0)
            max_queue.append(0)
            delayed.append(0.0)
    empty_f = np.zeros(0)
    empty_i = np.zeros(0, dtype=np.int64)
    lead_all = np.concatenate(leads) if leads else empty_f
    return RunResult(
        lead_times=lead_all,
        route_of=np.concatenate(routes_of) if routes_of else empty_i,
        customer_of=np.concatenate(customers_of) if customers_of else empty_i,
        parts_sum=(
            float(parts_sum[0]),
            float(parts_sum[1]),
            float(parts_sum[2]),
            float(parts_sum[3]),
        ),
        completed=len(lead_all),
        open_at_end=opened - finished,
        open_at_warmup=open_at_warmup,
        utilization=utilization,
        mean_queue=mean_queue,
        max_queue=max_queue,
        delayed_share=delayed,
    )
