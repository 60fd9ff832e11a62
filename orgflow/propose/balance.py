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
with their incumbent, the account owner), in an order the caller can change. When the exact
method ran and the spread comes right after the highest utilization (the default), the
spread level is solved by HiGHS too, its squares by tangents (:func:`_exact_spread`): the
local search alone can stop where only two moves at once would lower it (issue 15:
``samples/serial.yaml``).

The lower bounds reported with every result count the learning pace: the linear relaxation
(:func:`relaxed_bound`), the largest unit whole on its best server (:func:`lower_bound`, the
optimiser's model; with ``exact`` also HiGHS's own bound), and for the plan as analysed,
where a backup takes a share of each unit, :func:`split_bound`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
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
    #: The share of the time a person is present: as a primary they do at least this share
    #: of their customers' work (a backup takes some of the rest); a pod takes all of it.
    availability: float = 1.0

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
    #: A bound on the highest utilization in the optimiser's model (whole units), learning
    #: counted: :func:`lower_bound`, and HiGHS's own bound when the exact method ran.
    lower_bound: float
    method: str  # "exact" or "greedy"
    #: A bound for placements where backups take a share of a unit (:func:`split_bound`), as
    #: in the analysis of the plan: the bound the plan's analysed figure is held to.
    split_bound: float = 0.0
    #: The same when the backups may be people outside these servers (another area's), who
    #: take work away at no cost here: only the primaries' availability share counted.
    primary_bound: float = 0.0

    @property
    def highest(self) -> float:
        return max(self.utilization.values(), default=0.0)

    @property
    def gap(self) -> float:
        """Relative gap to the lower bound: (highest - bound) / bound."""
        if self.lower_bound <= 0:
            return 0.0
        return max(self.highest - self.lower_bound, 0.0) / self.lower_bound


def lower_bound(
    units: Sequence[Unit],
    servers: Sequence[Server],
    skill_of: dict[str, str] | None = None,
    pace: float = 1.0,
) -> float:
    """A lower bound on the highest utilization of any placement, learning counted: the
    largest of the relaxation (:func:`relaxed_bound`: units may be split, each part at the
    cost of the server it lands on, ``pace`` times the hours in a skill the server lacks),
    the largest unit whole on its best server, and the fixed work alone.

    >>> units = [Unit("x", {"a": 10.0, "b": 10.0}), Unit("y", {"a": 10.0, "b": 10.0})]
    >>> servers = [Server("p", 40, 0, frozenset("a")), Server("q", 40, 0, frozenset("b"))]
    >>> lower_bound(units, servers, {"a": "a", "b": "b"}, pace=1.25)  # (10 + 12.5) / 40
    0.5625
    """
    skills = skill_of or {a: a for u in units for a in u.hours}
    loads = _load_matrix(units, servers, skills, pace)
    return _model_bound(loads, servers)


def _model_bound(loads: Any, servers: Sequence[Server], relaxed: float | None = None) -> float:
    """:func:`lower_bound` from the load matrix (and the relaxation's bound, if known): valid
    for placements of whole units."""
    import numpy as np

    caps = np.array([s.capacity for s in servers], dtype=float)
    base = np.array([s.base for s in servers], dtype=float)
    single = 0.0
    if len(loads):
        # Each unit whole on the best server for it, the others left aside: the largest.
        single = float(((base[None, :] + loads) / caps[None, :]).min(axis=1).max())
    return max(relaxed_bound(loads, servers) if relaxed is None else relaxed, single)


def split_bound(
    loads: Any,
    servers: Sequence[Server],
    *,
    backups_elsewhere: bool = False,
    relaxed: float | None = None,
) -> float:
    """A bound on the highest utilization when a backup takes a share of each unit away from
    its primary: the relaxation (:func:`relaxed_bound`), or the largest unit on its best
    server doing only its availability's share of it (a primary present a share A of the
    time does at least A of their customers' work, at their cost), whichever is larger.
    With ``backups_elsewhere`` the backups may be people outside ``servers``: the
    relaxation then counts only the primaries' share, A_s x loads[u, s]; otherwise
    ``relaxed``, when given, is :func:`relaxed_bound` of ``loads`` worked out already.

    >>> import numpy as np
    >>> servers = [Server("p", 36, 0, frozenset("a"), availability=0.9)]
    >>> round(split_bound(np.array([[30.0], [10.0]]), servers), 4)  # (30 + 10) / 36
    1.1111
    >>> round(split_bound(np.array([[30.0], [10.0]]), servers, backups_elsewhere=True), 4)
    1.0
    >>> servers = [*servers, Server("q", 36, 0, frozenset("a"), availability=0.9)]
    >>> split_bound(np.array([[40.0], [4.0]]) * np.ones((1, 2)), servers)  # 0.9 x 40 / 36
    1.0
    """
    import numpy as np

    caps = np.array([s.capacity for s in servers], dtype=float)
    base = np.array([s.base for s in servers], dtype=float)
    share = np.array([s.availability for s in servers], dtype=float)
    single = 0.0
    if len(loads) and len(servers):
        single = float(((base + share * loads) / caps).min(axis=1).max())
    if backups_elsewhere:
        relaxed = relaxed_bound(loads * share, servers)
    elif relaxed is None:
        relaxed = relaxed_bound(loads, servers)
    return max(relaxed, single)


def shared_bound(
    units: Sequence[Unit], servers: Sequence[Server], skill_of: dict[str, str], pace: float
) -> float:
    """A bound when any unit may be shared among the servers (as a pod's members share its
    customers) and backups anywhere may take the rest: the relaxation (:func:`relaxed_bound`)
    of each server's part at its own cost, times its availability (a person present a share
    A of the time does at least A of the work they take on).

    >>> servers = [Server("p", 40, 0, frozenset("a"), availability=0.5)] * 2
    >>> shared_bound([Unit("c", {"a": 40.0})], servers, {"a": "a"}, pace=1.25)  # 0.5 x 40 / 80
    0.25
    """
    import numpy as np

    loads = _load_matrix(units, servers, skill_of, pace)
    share = np.array([s.availability for s in servers], dtype=float)
    return relaxed_bound(loads * share, servers)


def relaxed_bound(loads: Any, servers: Sequence[Server]) -> float:
    """The linear relaxation's bound: valid for any placement that splits units among
    servers, each part at that server's cost (``loads[u, s]`` hours for the whole unit), as
    a primary and their backups split a customer in the analysis of a plan.

    Any weights w_s >= 0 with sum_s w_s cap_s = 1 give a bound (the relaxation's dual):
    sum_s w_s base_s + sum_u min_s w_s loads[u, s]. Whatever the placement, weighting each
    server's utilization by w_s cap_s averages them at that figure or more, so the highest
    is at least as high. The weights come from the relaxation solved by HiGHS on classes of
    units and servers (servers with the same column of loads, units whose rows are the
    same up to a factor: exact, and about 100 classes of each on a generated office of 400
    people and 20,000 customers); the bound itself is then worked out on every unit. With
    no work to learn anywhere it is the fluid bound, (fixed work + every unit at its least
    cost) / all capacity, or a server's fixed work alone, whichever is larger.

    >>> import numpy as np
    >>> servers = [Server("p", 40, 4, frozenset("a")), Server("q", 40, 0, frozenset("a"))]
    >>> relaxed_bound(np.array([[30.0, 30.0], [10.0, 10.0]]), servers)  # 44 / 80
    0.55
    """
    import numpy as np

    m = len(servers)
    caps = np.array([s.capacity for s in servers], dtype=float)
    base = np.array([s.base for s in servers], dtype=float)
    if m == 0 or caps.sum() <= 0:
        return math.inf
    fixed = float((base / caps).max())
    if not len(loads):
        return fixed
    allowed = np.isfinite(loads)
    weights = _relaxation_weights(loads, caps, base)
    weighted = np.where(allowed, np.where(allowed, loads, 0.0) * weights[None, :], np.inf)
    bound = float(weights @ base + weighted.min(axis=1).sum())
    return max(bound, fixed)


def _relaxation_weights(loads: Any, caps: Any, base: Any) -> Any:
    """Server weights w (w @ caps = 1) from the relaxation on classes of units and servers;
    the uniform weights (the fluid bound) when HiGHS finds nothing."""
    import numpy as np

    from orgflow.solver import solve_lp

    m = loads.shape[1]
    uniform = np.full(m, 1.0 / caps.sum())
    # Server classes: the same column of loads (the same skills, no rule's effort of their
    # own) and the same fixed work per hour of capacity.
    big = np.where(np.isfinite(loads), loads, -1.0)
    keys: dict[bytes, int] = {}
    server_class = np.array(
        [
            keys.setdefault(big[:, j].tobytes() + (base[j] / caps[j]).tobytes(), len(keys))
            for j in range(m)
        ],
        dtype=np.int64,
    )
    k = len(keys)
    first = np.array([int(np.flatnonzero(server_class == c)[0]) for c in range(k)])
    class_caps = np.bincount(server_class, weights=caps, minlength=k)
    class_base = np.bincount(server_class, weights=base, minlength=k)
    rows = loads[:, first]  # n x k, inf where the class may not take the unit
    scale = np.where(np.isfinite(rows), rows, 0.0).max(axis=1)
    scale[scale <= 0] = 1.0
    shape = np.where(np.isfinite(rows), rows / scale[:, None], -1.0)
    # Unit classes: rows the same up to a factor (rounded more coarsely while there are too
    # many for a quick model; the weights are then approximate, the bound still valid).
    for decimals in (9, 3, 2, 1):
        unit_class: dict[bytes, int] = {}
        of = np.array(
            [
                unit_class.setdefault(r.tobytes(), len(unit_class))
                for r in np.round(shape, decimals)
            ],
            dtype=np.int64,
        )
        if len(unit_class) * k <= 20_000:
            break
    c = len(unit_class)
    agg = np.zeros((c, k))
    np.add.at(agg, of, np.where(np.isfinite(rows), rows, 0.0))
    barred = np.zeros((c, k))
    np.add.at(barred, of, ~np.isfinite(rows))
    agg[barred > 0] = np.inf  # class c whole on k, hours per week
    # Columns x[c, k] (the share of class c on class k) then z; minimise z subject to
    # sum_k x[c, k] = 1 and sum_c agg[c, k] x[c, k] - cap_k z <= -base_k.
    upper = np.where(np.isfinite(agg), 1.0, 0.0).ravel()
    cost = np.zeros(c * k + 1)
    cost[-1] = 1.0
    lp_rows: list[tuple[list[int], list[float], float, float]] = [
        (list(range(i * k, i * k + k)), [1.0] * k, 1.0, 1.0) for i in range(c)
    ]
    for j in range(k):
        col = np.where(np.isfinite(agg[:, j]), agg[:, j], 0.0)
        lp_rows.append(
            (
                [i * k + j for i in range(c)] + [c * k],
                [*col.tolist(), -float(class_caps[j])],
                -math.inf,
                -float(class_base[j]),
            )
        )
    duals = solve_lp(cost, np.zeros(c * k + 1), [*upper, math.inf], lp_rows)
    if duals is None:
        return uniform
    # A class's dual is the weight of each of its servers (their capacities add up).
    w = np.abs(duals[c:])
    total = float(w @ class_caps)
    if not math.isfinite(total) or total <= 0:
        return uniform
    return (w / total)[server_class]


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
    max_nodes: int | None = None,
    priorities: Sequence[str] = PRIORITIES,
    max_units: int | None = None,
    bounds: bool = True,
) -> Balance:
    """Place every unit on a server, minimising the highest utilization.

    ``method``: ``auto`` (exact when units x servers <= ``exact_limit``, else greedy),
    ``exact`` or ``greedy``; that minimises the highest utilization (with ``exact`` and the
    default priorities, HiGHS then minimises the spread at that highest:
    :func:`_exact_spread`, ``time_limit`` and ``max_nodes`` again, up to
    :data:`SPREAD_COLUMNS` columns). ``max_nodes``: at most that many branch-and-bound nodes
    in each level (the same plan on any machine; ``time_limit`` is then a safety net). Then
    :func:`_lexicographic` improves the placement objective by objective in ``priorities``
    order (default: utilization, spread, continuity; issue 15). ``max_units``: at most that
    many units per server member (``--max-customers``), in every method and level.
    With ``bounds`` false the lower bounds that need the relaxation are left at 0 (a caller
    that has them already).
    """
    if not servers:
        raise ProposalError("nobody to give the work to")
    loads = _load_matrix(units, servers, skill_of, pace)
    limits = _limits(units, servers, max_units)
    relaxed = relaxed_bound(loads, servers) if bounds else 0.0
    bound = _model_bound(loads, servers, relaxed) if bounds else 0.0
    use_exact = method == "exact" or (method == "auto" and len(units) * len(servers) <= exact_limit)
    placed = _greedy(units, servers, loads, limits)
    result_method = "greedy"
    if use_exact:
        exact = _exact(units, servers, loads, time_limit, limits, max_nodes)
        if exact is not None:
            placed_exact, dual = exact
            if _highest(servers, loads, placed_exact) <= _highest(servers, loads, placed) + 1e-12:
                placed = placed_exact
            bound = max(bound, dual)
            result_method = "exact"
            if tuple(priorities[:2]) == ("utilization", "spread") and (
                len(units) * len(servers) <= SPREAD_COLUMNS
            ):
                even = _exact_spread(servers, loads, placed, time_limit, limits, max_nodes)
                if even is not None:
                    placed = even
    _lexicographic(units, servers, loads, placed, priorities, limits=limits)
    util = _utilizations(servers, loads, placed)
    return Balance(
        {u.id: servers[placed[i]].id for i, u in enumerate(units)},
        {s.id: util[j] for j, s in enumerate(servers)},
        bound,
        result_method,
        split_bound(loads, servers, relaxed=relaxed) if bounds else 0.0,
        split_bound(loads, servers, backups_elsewhere=True) if bounds else 0.0,
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


Row = tuple[list[int], list[float], float, float]


def _assignment(loads: Any, limits: Any) -> tuple[list[Row], list[Row], list[float]]:
    """The part both HiGHS models share, on columns x[i, j] (unit i on server j, binary,
    numbered i x m + j): the rows putting each unit on one server; the rows of at most
    ``limits[j]`` units on server j (``--max-customers``; none without limits); and the
    columns' upper bounds (a unit kept with a person may not go anywhere else: x[i, j] fixed
    at 0 where its load is infinite)."""
    n, m = loads.shape
    one = [(list(range(i * m, i * m + m)), [1.0] * m, 1.0, 1.0) for i in range(n)]
    at_most = (
        []
        if limits is None
        else [
            ([i * m + j for i in range(n)], [1.0] * n, -math.inf, float(limits[j]))
            for j in range(m)
        ]
    )
    upper = [1.0 if math.isfinite(loads[i, j]) else 0.0 for i in range(n) for j in range(m)]
    return one, at_most, upper


def _finite(loads: Any, j: int) -> list[float]:
    """Server j's load of each unit, 0 where it may not take the unit (its column is 0)."""
    return [float(w) if math.isfinite(w) else 0.0 for w in loads[:, j]]


def _placement(x: Any, n: int, m: int) -> list[int]:
    """Each unit's server in a solution of :func:`_assignment`'s columns."""
    return [max(range(m), key=lambda j: x[i * m + j]) for i in range(n)]


def _exact(
    units: Sequence[Unit],
    servers: Sequence[Server],
    loads: Any,
    time_limit: float,
    limits: Any = None,
    max_nodes: int | None = None,
) -> tuple[list[int], float] | None:
    """The mixed-integer model in HiGHS; ``None`` if it found no solution in time.

    Columns x[i, j] (:func:`_assignment`) then z; minimise z subject to sum_j x[i, j] = 1
    and sum_i load[i, j] x[i, j] - cap_j z <= -base_j.
    """
    from orgflow.solver import STOPPED, solve_mip

    n, m = len(units), len(servers)
    z = n * m
    rows, at_most, upper = _assignment(loads, limits)
    for j, s in enumerate(servers):
        column = [i * m + j for i in range(n)]
        rows.append(([*column, z], [*_finite(loads, j), -s.capacity], -math.inf, -s.base))
    rows += at_most
    cost = [0.0] * z + [1.0]
    status, x, dual = solve_mip(
        cost,
        [0.0] * (z + 1),
        [*upper, math.inf],
        list(range(z)),
        rows,
        time_limit=time_limit,
        max_nodes=max_nodes,
    )
    if x is None or status not in STOPPED:
        return None
    return _placement(x, n, m), dual if math.isfinite(dual) else 0.0


#: Tangents of each server's work² / capacity in :func:`_exact_spread`, evenly spaced from 0
#: to the server's work at the highest utilization: exact at those points, and between two
#: of them below the square by at most (the step / 2)² / capacity, (range / 30)² / capacity.
#: An approximation of the level (a plan is kept only when its true sum is lower), the same
#: model as bench_propose's reference.
TANGENTS = 16
#: The exact spread level runs up to this many columns (customers x servers); beyond, the
#: root of its model alone took 17 s to 26 s (4,020 columns, generated 20/200), whatever the
#: node limit, and the moves of :func:`_lexicographic` even out the load alone.
SPREAD_COLUMNS = 1000


def square_tangents(
    columns: list[int], coefs: Sequence[float], const: float, capacity: float, top: float, t: int
) -> list[Row]:
    """Rows making column ``t`` at least w² / capacity, w = const + sum_k coefs_k x[columns_k]:
    the :data:`TANGENTS` tangents at points b evenly from 0 to ``top``, each
    t >= (2 b w - b²) / capacity, that is sum_k (2 b coefs_k / capacity) x_k - t <=
    (b² - 2 b const) / capacity. The spread level of the balance and of the exact backups.

    At b = 10 (the last of 16 points from 0 to 10), coefficient 3, constant 1, capacity 4:
    2 x 10 x 3 / 4 = 15 and (100 - 20) / 4 = 20:

    >>> square_tangents([0], [3.0], 1.0, 4.0, 10.0, 1)[-1]
    ([0, 1], [15.0, -1.0], -inf, 20.0)
    """
    rows = []
    for k in range(TANGENTS):
        b = top * k / (TANGENTS - 1)
        rows.append(
            (
                [*columns, t],
                [2 * b * w / capacity for w in coefs] + [-1.0],
                -math.inf,
                (b * b - 2 * b * const) / capacity,
            )
        )
    return rows


def _exact_spread(
    servers: Sequence[Server],
    loads: Any,
    placed: list[int],
    time_limit: float,
    limits: Any = None,
    max_nodes: int | None = None,
) -> list[int] | None:
    """The spread level solved by HiGHS: with the highest utilization of ``placed`` held,
    the placement minimising the sum over servers of work² / capacity (capacity x
    utilization², each square the largest of :data:`TANGENTS` tangents); ``None`` when it
    finds nothing better in ``time_limit`` seconds.

    Columns x[i, j] (:func:`_assignment`) then t_j; minimise sum_j t_j subject to
    sum_j x[i, j] = 1, base_j + sum_i load[i, j] x[i, j] <= z cap_j and, at each tangent
    point b, t_j >= (2 b w_j - b²) / cap_j with w_j the server's work.
    """
    from orgflow.solver import STOPPED, solve_mip

    n, m = loads.shape
    z = _highest(servers, loads, placed) * (1 + 1e-9) + 1e-12
    cols = n * m
    rows, at_most, upper = _assignment(loads, limits)
    for j, s in enumerate(servers):
        column = [i * m + j for i in range(n)]
        work = _finite(loads, j)
        rows.append((column, work, -math.inf, z * s.capacity - s.base))
        rows += square_tangents(column, work, s.base, s.capacity, z * s.capacity, cols + j)
        rows += at_most[j : j + 1]
    status, x, _ = solve_mip(
        [0.0] * cols + [1.0] * m,
        [0.0] * (cols + m),
        [*upper] + [math.inf] * m,
        list(range(cols)),
        rows,
        time_limit=time_limit,
        mip_rel_gap=1e-4,
        max_nodes=max_nodes,
    )
    if x is None or status not in STOPPED:
        return None
    even = _placement(x, n, m)
    if _highest(servers, loads, even) > z + 1e-9:
        return None

    def squares(at: list[int]) -> float:  # the spread level: sum of capacity x utilization²
        util = _utilizations(servers, loads, at)
        return sum(s.capacity * u * u for s, u in zip(servers, util, strict=True))

    return even if squares(even) < squares(placed) - 1e-9 else None


#: Up to this many units, the evening-out levels also try swapping a unit with any unit of
#: another server (a vector over all units per unit looked at); beyond, moves and swaps home.
SWAP_UNITS = 1000


def _swap_any(
    i: int,
    work: Any,
    caps: Any,
    loads: Any,
    at: Any,
    home: Any,
    better: Callable[[Any, Any, Any], Any],
    rank: Callable[[Any, Any, Any], list[Any]],
    highest_without: Callable[[Any, int, Any], Any],
) -> int:
    """Swap unit ``i`` with the unit k of another server whose swap improves the objectives
    most (in priority order), if one does: k, or -1; ``work`` and ``at`` are updated in
    place."""
    import numpy as np

    src = int(at[i])
    ks = np.flatnonzero(at != src)
    if not len(ks):
        return -1
    tk = at[ks]
    util = work / caps
    highest = float(util.max())
    with np.errstate(invalid="ignore"):
        w_src = work[src] - loads[i, src] + loads[ks, src]
        w_t = work[tk] - loads[ks, tk] + loads[i, tk]
        rest = highest_without(util, src, tk)
        du = np.maximum(rest, np.maximum(w_src / caps[src], w_t / caps[tk])) - highest
        ds = (w_src**2 - work[src] ** 2) / caps[src] + (w_t**2 - work[tk] ** 2) / caps[tk]
        away_i = home[i] >= 0
        away_k = home[ks] >= 0
        dc = away_i * ((tk != home[i]).astype(float) - float(src != home[i])) + away_k * (
            (src != home[ks]).astype(float) - (tk != home[ks]).astype(float)
        )
        ok = better(du, ds, dc) & np.isfinite(du)
    if not ok.any():
        return -1
    cand = np.flatnonzero(ok)
    keys = [r[cand] for r in rank(du, ds, dc)]
    r = int(cand[np.lexsort(keys[::-1])[0]])
    k, t = int(ks[r]), int(tk[r])
    work[src], work[t] = w_src[r], w_t[r]
    at[i], at[k] = t, src
    return k


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
    at = np.array(placed, dtype=np.int64)  # placed, as an array for the swaps
    swaps = len(units) <= SWAP_UNITS
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
                at[i] = t
                changed = True
                continue
            k = -1
            if swaps:
                k = _swap_any(i, work, caps, loads, at, home, better, rank, highest_without)
            if k >= 0:
                t = int(at[i])
                on[src].discard(i)
                on[t].add(i)
                on[t].discard(k)
                on[src].add(k)
                placed[i], placed[k] = t, src
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
                at[i], at[k] = h, src
                changed = True
        if not changed:
            break
