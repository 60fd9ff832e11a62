"""Balancing work over people: put units (customers) on servers (people or pods) so that the
highest utilization is as low as possible.

Two methods, and the result says which ran:

- ``exact``: a mixed-integer model solved by HiGHS (through ``highspy``): binary x[u, s],
  each unit on one server, base_s + sum_u load[u, s] x[u, s] <= z cap_s, minimise z. Fast for
  small instances (a few hundred units and servers).
- ``greedy``: longest first (each unit, largest first, to the server where the utilization it
  leads to is lowest), then local search (moves and swaps off the busiest server while they
  lower it). On thousands of customers this lands within a fraction of a percent of the bound.

Then the placement is improved objective by objective (:func:`_lexicographic`): by default the
highest utilization, the spread (sum of capacity x utilization squared), continuity (units
with their incumbent, the account owner), in an order the caller can change.

The lower bound reported with every result is valid for both: the larger of the fluid bound
(all fixed and movable work over all capacity, as if work could be split at will and nobody
had to learn anything) and, for each unit, the best utilization any allowed server could
reach with that unit alone; with ``exact`` also HiGHS's own dual bound.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from orgflow.errors import ProposalError


@dataclass(frozen=True)
class Unit:
    """Work to place: hours per week per activity (at the activity's effort), and the people
    it is with today.

    ``own_hours`` is work whose effort belongs to a rule's people (a rule's ``effort``):
    activity -> (those people, the hours per week at the rule's effort, the rule's index). A
    server made of those people only takes these hours instead of ``hours``; anyone else
    takes the activity's effort (README: propose).
    """

    id: str
    hours: dict[str, float]
    incumbents: tuple[str, ...] = ()
    own_hours: dict[str, tuple[frozenset[str], float, int]] = field(default_factory=dict)
    #: A person the unit must go to (``--keep CUSTOMER=PERSON``): only servers with them.
    pinned: str | None = None

    @property
    def total(self) -> float:
        return sum(self.hours.values())

    @property
    def least_total(self) -> float:
        """The least hours per week the unit can cost anywhere (before any learning)."""
        return sum(
            min(h, self.own_hours[a][1]) if a in self.own_hours else h
            for a, h in self.hours.items()
        )

    def keeps_effort(self, activity: str, members: Iterable[str]) -> bool:
        """Whether ``members`` (a person, or every member of a pod) are among the people
        whose rule gives ``activity`` its own effort for this unit."""
        own = self.own_hours.get(activity)
        people = tuple(members)
        return own is not None and bool(people) and set(people) <= own[0]

    def hours_on(self, members: Iterable[str]) -> dict[str, float]:
        """Hours per week per activity when ``members`` take the unit: the rule's effort
        where they are its people, the activity's elsewhere."""
        people = tuple(members)
        if not self.own_hours:
            return self.hours
        return {
            a: self.own_hours[a][1] if self.keeps_effort(a, people) else h
            for a, h in self.hours.items()
        }


@dataclass(frozen=True)
class Server:
    """A person or a pod: present capacity (hours/week), fixed work, skills."""

    id: str
    capacity: float
    base: float
    skills: frozenset[str]
    members: tuple[str, ...] = ()
    #: Activities a member will not learn (``--no-learn``): units with work in one of them
    #: whose skill the server lacks cannot go here.
    refuses: frozenset[str] = frozenset()

    def load_of(self, unit: Unit, skill_of: dict[str, str], pace: float) -> float:
        """Hours/week the unit costs here: work in a skill the server lacks takes ``pace``
        times as long while they learn it."""
        return sum(
            h * (1.0 if skill_of[a] in self.skills else pace)
            for a, h in unit.hours_on(self.members or (self.id,)).items()
        )


@dataclass
class Balance:
    assignment: dict[str, str]  # unit id -> server id
    utilization: dict[str, float]  # server id -> utilization
    lower_bound: float
    method: str  # "exact" or "greedy"

    @property
    def highest(self) -> float:
        return max(self.utilization.values(), default=0.0)

    @property
    def gap(self) -> float:
        """Relative gap to the lower bound: (highest - bound) / bound."""
        if self.lower_bound <= 0:
            return 0.0
        return max(self.highest - self.lower_bound, 0.0) / self.lower_bound


def lower_bound(units: Sequence[Unit], servers: Sequence[Server]) -> float:
    """The fluid bound and the best single-unit placement, whichever is larger."""
    import numpy as np

    capacity = sum(s.capacity for s in servers)
    if capacity <= 0:
        return math.inf
    totals = np.array([u.least_total for u in units], dtype=float)
    base = np.array([s.base for s in servers], dtype=float)
    caps = np.array([s.capacity for s in servers], dtype=float)
    fluid = (base.sum() + totals.sum()) / capacity
    single = 0.0
    if len(totals):
        # For each unit, the best server alone; done for the largest units only, since
        # (base + t) / cap grows with t for every server, the largest unit decides.
        biggest = np.sort(totals)[-1]
        single = float(((base + biggest) / caps).min())
    fixed = float((base / caps).max()) if len(base) else 0.0
    return float(max(fluid, single, fixed))


#: The objectives :func:`balance` knows, in their default order (issue 15): the highest
#: utilization, then the spread (sum over servers of capacity x utilization squared), then
#: continuity (units left away from their incumbent).
PRIORITIES = ("utilization", "spread", "continuity")


def balance(
    units: Sequence[Unit],
    servers: Sequence[Server],
    skill_of: dict[str, str],
    *,
    pace: float = 1.0,
    method: str = "auto",
    exact_limit: int = 4000,
    time_limit: float = 10.0,
    priorities: Sequence[str] = PRIORITIES,
    max_units: int | None = None,
) -> Balance:
    """Place every unit on a server, minimising the highest utilization.

    ``method``: ``auto`` (exact when units x servers <= ``exact_limit``, else greedy),
    ``exact`` or ``greedy``; that minimises the highest utilization. Then
    :func:`_lexicographic` improves the placement objective by objective in ``priorities``
    order (default: utilization, spread, continuity; issue 15). ``max_units``: at most that
    many units per server member (``--max-customers``), in every method and level.
    """
    if not servers:
        raise ProposalError("nobody to give the work to")
    bound = lower_bound(units, servers)
    loads = _load_matrix(units, servers, skill_of, pace)
    limits = _limits(units, servers, max_units)
    use_exact = method == "exact" or (method == "auto" and len(units) * len(servers) <= exact_limit)
    placed = _greedy(units, servers, loads, limits)
    result_method = "greedy"
    if use_exact:
        exact = _exact(units, servers, loads, time_limit, limits)
        if exact is not None:
            placed_exact, dual = exact
            if _highest(servers, loads, placed_exact) <= _highest(servers, loads, placed) + 1e-12:
                placed = placed_exact
            bound = max(bound, dual)
            result_method = "exact"
    _lexicographic(units, servers, loads, placed, priorities, limits=limits)
    util = _utilizations(servers, loads, placed)
    return Balance(
        {u.id: servers[placed[i]].id for i, u in enumerate(units)},
        {s.id: util[j] for j, s in enumerate(servers)},
        bound,
        result_method,
    )


def _limits(units: Sequence[Unit], servers: Sequence[Server], max_units: int | None) -> Any:
    """Units each server may take (numpy, ``None`` without a cap): ``max_units`` per member."""
    import numpy as np

    if max_units is None:
        return None
    limits = np.array([max_units * len(s.members or (s.id,)) for s in servers], dtype=np.int64)
    if len(units) > int(limits.sum()):
        raise ProposalError(
            f"--max-customers {max_units}: {len(units)} customers need at least "
            f"{math.ceil(len(units) / max_units)} people, {int(limits.sum()) // max_units} "
            "take customers here"
        )
    return limits


def _load_matrix(
    units: Sequence[Unit], servers: Sequence[Server], skill_of: dict[str, str], pace: float
) -> Any:
    """loads[u, s]: hours/week of unit u on server s (numpy). Servers with the same skills
    cost the same, so the work is done once per distinct skill set; the rows of units with
    work at a rule's own effort are then worked out server by server (:meth:`Unit.hours_on`)."""
    import numpy as np

    activities = sorted({a for u in units for a in u.hours})
    col = {a: k for k, a in enumerate(activities)}
    hours = np.zeros((len(units), len(activities)))
    for i, u in enumerate(units):
        for a, h in u.hours.items():
            hours[i, col[a]] = h
    sets: dict[frozenset[str], int] = {}
    set_of = np.array([sets.setdefault(s.skills, len(sets)) for s in servers], dtype=np.int64)
    factors = np.ones((len(sets), len(activities)))
    for skills, k in sets.items():
        for a, c in col.items():
            if skill_of[a] not in skills:
                factors[k, c] = pace
    if not len(units):
        return np.zeros((0, len(servers)))
    loads = (hours @ factors.T)[:, set_of]
    for i, u in enumerate(units):
        if u.own_hours:
            loads[i, :] = [s.load_of(u, skill_of, pace) for s in servers]
        if u.pinned is not None:
            # A pinned unit costs infinitely much anywhere but with its person: no method
            # places it elsewhere (the exact model takes those columns out).
            allowed = [u.pinned in (s.members or (s.id,)) for s in servers]
            if not any(allowed):
                raise ProposalError(
                    f"--keep {u.id}={u.pinned}: {u.pinned} does not serve {u.id}'s area"
                )
            loads[i, ~np.array(allowed)] = np.inf
    for j, s in enumerate(servers):
        if s.refuses:
            for i, u in enumerate(units):
                if any(a in s.refuses and skill_of[a] not in s.skills for a in u.hours):
                    loads[i, j] = np.inf
    if any(s.refuses for s in servers):
        for i, u in enumerate(units):
            if not np.isfinite(loads[i]).any():
                raise ProposalError(
                    f"nobody may take customer '{u.id}': everyone who lacks a skill of its work "
                    "will not learn it (--no-learn, will_not_learn)"
                    + (f", and it is kept with {u.pinned}" if u.pinned else "")
                )
    return loads


def _utilizations(servers: Sequence[Server], loads: Any, placed: list[int]) -> list[float]:
    work = [s.base for s in servers]
    for i, j in enumerate(placed):
        work[j] += loads[i][j]
    return [w / s.capacity for w, s in zip(work, servers, strict=True)]


def _highest(servers: Sequence[Server], loads: Any, placed: list[int]) -> float:
    return max(_utilizations(servers, loads, placed), default=0.0)


def _greedy(
    units: Sequence[Unit], servers: Sequence[Server], loads: Any, limits: Any = None
) -> list[int]:
    """Longest first, then moves and swaps off the busiest server while they lower it; with
    ``limits`` (units per server), pinned units first and no server over its limit."""
    import numpy as np

    n = len(servers)
    caps = np.array([s.capacity for s in servers], dtype=float)
    work = np.array([s.base for s in servers], dtype=float)
    count = np.zeros(n, dtype=np.int64)
    placed = [0] * len(units)
    first = sorted(
        range(len(units)),
        key=lambda i: (limits is not None and units[i].pinned is None, -units[i].total),
    )
    for i in first:
        after = (work + loads[i]) / caps
        if limits is not None:
            after = np.where(count < limits, after, np.inf)
            if not np.isfinite(after).any():
                raise ProposalError(
                    f"--max-customers: no room left for customer '{units[i].id}' with anyone "
                    "who may take it"
                )
        j = int(np.argmin(after))
        placed[i] = j
        work[j] += loads[i, j]
        count[j] += 1
    on: list[list[int]] = [[] for _ in range(n)]
    for i, j in enumerate(placed):
        on[j].append(i)
    for _ in range(5 * len(units) + 100):
        util = work / caps
        top = int(np.argmax(util))
        top_util = util[top]
        best: tuple[float, str, int, int, int] | None = None  # (new max, kind, i, t, other)
        for i in on[top]:
            rest = (work[top] - loads[i, top]) / caps[top]
            after = np.maximum((work + loads[i]) / caps, rest)
            after[top] = np.inf
            if limits is not None:
                after[count >= limits] = np.inf
            t = int(np.argmin(after))
            if after[t] < top_util - 1e-12 and (best is None or after[t] < best[0]):
                best = (float(after[t]), "move", i, t, -1)
        if best is None and on[top]:
            mine = np.array(on[top])
            for t in np.argsort(util)[:4].tolist():
                if t == top or not on[t]:
                    continue
                theirs = np.array(on[t])
                # Swap i (at top) with k (at t): rows i, columns k.
                a = (work[top] - loads[mine, top][:, None] + loads[theirs, top][None, :]) / caps[
                    top
                ]
                b = (work[t] - loads[theirs, t][None, :] + loads[mine, t][:, None]) / caps[t]
                new = np.maximum(a, b)
                flat = int(np.argmin(new))
                r, c = divmod(flat, len(theirs))
                if new[r, c] < top_util - 1e-12 and (best is None or new[r, c] < best[0]):
                    best = (float(new[r, c]), "swap", int(mine[r]), t, int(theirs[c]))
        if best is None:
            break
        _, kind, i, t, k = best
        if kind == "move":
            count[top] -= 1
            count[t] += 1
        on[top].remove(i)
        on[t].append(i)
        work[top] -= loads[i, top]
        work[t] += loads[i, t]
        placed[i] = t
        if kind == "swap":
            on[t].remove(k)
            on[top].append(k)
            work[t] -= loads[k, t]
            work[top] += loads[k, top]
            placed[k] = top
    return placed


def _exact(
    units: Sequence[Unit],
    servers: Sequence[Server],
    loads: Any,
    time_limit: float,
    limits: Any = None,
) -> tuple[list[int], float] | None:
    """The mixed-integer model in HiGHS; ``None`` if it found no solution in time.

    Columns x[i, j] (unit i on server j, binary) then z; minimise z subject to
    sum_j x[i, j] = 1 and sum_i load[i, j] x[i, j] - cap_j z <= -base_j.
    """
    from orgflow.solver import solve_mip

    n, m = len(units), len(servers)
    z = n * m
    rows: list[tuple[list[int], list[float], float, float]] = [
        (list(range(i * m, i * m + m)), [1.0] * m, 1.0, 1.0) for i in range(n)
    ]
    for j, s in enumerate(servers):
        rows.append(
            (
                [i * m + j for i in range(n)] + [z],
                [float(loads[i, j]) if math.isfinite(loads[i, j]) else 0.0 for i in range(n)]
                + [-s.capacity],
                -math.inf,
                -s.base,
            )
        )
    if limits is not None:  # at most limits[j] units on server j
        rows += [
            ([i * m + j for i in range(n)], [1.0] * n, -math.inf, float(limits[j]))
            for j in range(m)
        ]
    cost = [0.0] * z + [1.0]
    # A unit kept with a person may not go anywhere else: x[i, j] fixed at 0 there.
    upper = [1.0 if math.isfinite(loads[i, j]) else 0.0 for i in range(n) for j in range(m)]
    status, x, dual = solve_mip(
        cost,
        [0.0] * (z + 1),
        [*upper, math.inf],
        list(range(z)),
        rows,
        time_limit=time_limit,
    )
    if x is None or status not in ("Optimal", "Time limit reached"):
        return None
    placed = [max(range(m), key=lambda j: x[i * m + j]) for i in range(n)]
    return placed, dual if math.isfinite(dual) else 0.0


def _lexicographic(
    units: Sequence[Unit],
    servers: Sequence[Server],
    loads: Any,
    placed: list[int],
    priorities: Sequence[str],
    passes: int = 20,
    budget: int = 10_000,
    limits: Any = None,
) -> None:
    """Improve ``placed`` in place, objective by objective in ``priorities`` order: a move of
    one unit, or a swap of a unit away from its incumbent with a unit at the incumbent's
    server, is made when it lowers the objectives taken as a tuple in that order (the first
    that changes decides). Utilization is the highest utilization, spread the sum of
    capacity x utilization² (= work² / capacity), continuity the count of units away from
    their incumbent (units without one do not count). At most ``passes`` passes over the
    units and ``budget`` units looked at in all (each look costs a few vector operations over
    the servers): 20,000 customers get half a pass, in their order, and a plan in seconds."""
    # Over 80 lines: the move and the swap share the state (work, placement, who is where)
    # and the lexicographic test; split, each would need all of it passed and returned.
    import numpy as np

    m = len(servers)
    if not units or m < 2:
        return
    index = {s.id: j for j, s in enumerate(servers)}
    member_of = {p: j for j, s in enumerate(servers) for p in (s.members or (s.id,))}
    home = np.full(len(units), -1, dtype=np.int64)
    for i, u in enumerate(units):
        for p in u.incumbents:
            j = member_of.get(p, index.get(p, -1))
            if j >= 0:
                home[i] = j
                break
    caps = np.array([s.capacity for s in servers], dtype=float)
    work = np.array([s.base for s in servers], dtype=float)
    on: list[set[int]] = [set() for _ in servers]
    for i, j in enumerate(placed):
        work[j] += loads[i, j]
        on[j].add(i)
    names = list(priorities)  # most important first
    tol = {"utilization": 1e-9, "spread": 1e-9, "continuity": 0.5}

    def better(du: Any, ds: Any, dc: Any) -> Any:
        """Which deltas (arrays) improve the tuple in priority order."""
        deltas = {"utilization": du, "spread": ds, "continuity": dc}
        improved = np.zeros(np.shape(du), dtype=bool)
        equal = np.ones(np.shape(du), dtype=bool)
        for name in names:
            d = deltas[name]
            improved |= equal & (d < -tol[name])
            equal &= np.abs(d) <= tol[name]
        return improved

    def rank(du: Any, ds: Any, dc: Any) -> Any:
        """The deltas as rows to sort, most important first."""
        deltas = {"utilization": du, "spread": ds, "continuity": dc}
        return [deltas[n] for n in names]

    def highest_without(util: Any, a: int, b: Any) -> Any:
        """Per target b (array), the highest utilization over servers other than a and b."""
        top = np.argsort(-util)[:3]
        out = np.zeros(np.shape(b))
        done = np.zeros(np.shape(b), dtype=bool)
        for k in top.tolist():
            take = ~done & (k != a) & (b != k)
            out[take] = util[k]
            done |= take
        return out

    targets = np.arange(m)
    looked = 0
    for _ in range(passes):
        changed = False
        for i in range(len(units)):
            looked += 1
            if looked > budget:
                return
            src = placed[i]
            util = work / caps
            highest = float(util.max())
            new_src = work[src] - loads[i, src]
            new_t = work + loads[i]
            rest = highest_without(util, src, targets)
            du = np.maximum(rest, np.maximum(new_src / caps[src], new_t / caps)) - highest
            ds = (new_src**2 - work[src] ** 2) / caps[src] + (new_t**2 - work**2) / caps
            dc = (targets != home[i]).astype(float) - float(src != home[i])
            if home[i] < 0:
                dc = np.zeros(m)
            ok = better(du, ds, dc)
            ok[src] = False
            if limits is not None:
                ok &= np.array([len(x) for x in on]) < limits
            if ok.any():
                cand = np.flatnonzero(ok)
                keys = [r[cand] for r in rank(du, ds, dc)]
                t = int(cand[np.lexsort(keys[::-1])[0]])
                work[src] = new_src
                work[t] += loads[i, t]
                on[src].discard(i)
                on[t].add(i)
                placed[i] = t
                changed = True
                continue
            h = int(home[i])
            if h < 0 or h == src or "continuity" not in names:
                continue
            # A swap: i home to h, a unit k of h (not at its own home there) to src.
            ks = np.array([k for k in on[h] if home[k] != h], dtype=np.int64)
            if not len(ks):
                continue
            w_src = work[src] - loads[i, src] + loads[ks, src]
            w_h = work[h] - loads[ks, h] + loads[i, h]
            rest_s = highest_without(util, src, np.full(len(ks), h))
            du = np.maximum(rest_s, np.maximum(w_src / caps[src], w_h / caps[h])) - highest
            ds = (w_src**2 - work[src] ** 2) / caps[src] + (w_h**2 - work[h] ** 2) / caps[h]
            dc = -1.0 + (home[ks] >= 0) * ((home[ks] != src).astype(float) - 1.0)
            ok = better(du, ds, dc)
            if ok.any():
                cand = np.flatnonzero(ok)
                keys = [r[cand] for r in rank(du, ds, dc)]
                r = int(cand[np.lexsort(keys[::-1])[0]])
                k = int(ks[r])
                work[src], work[h] = w_src[r], w_h[r]
                on[src].discard(i)
                on[h].add(i)
                on[h].discard(k)
                on[src].add(k)
                placed[i], placed[k] = h, src
                changed = True
        if not changed:
            break
