"""Single points of failure: bus factor per activity and route, the share of requests one
person's absence stops, and the truck factor of the office."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from orgflow.office import Office, Route

#: A small office for the examples: intake by ann alone, review by a pool of bob and cy.
_EXAMPLE = """
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [b]}, {id: cy, skills: [b]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
processes: [{id: p, steps: [a, b]}, {id: q, steps: [b]}]
customers: [{id: c, demand: {p: 3/week, q: 1/week}}]
assignments: [{activity: a, people: [ann]}, {activity: b, pool: [bob, cy]}]
"""

#: Most (combination x stop-set) checks the exhaustive truck-factor search may make before
#: the mixed-integer model (or the greedy bound) takes over.
EXACT_BUDGET = 20_000
#: Largest office (people involved) for the mixed-integer model, and its time limit.
MIP_PEOPLE = 2_000
MIP_SECONDS = 5.0


def _example() -> Office:
    from orgflow.loader import load_text
    from orgflow.office import resolve

    return resolve(load_text(_EXAMPLE))


def route_bus_factor(route: Route) -> int:
    """Fewest people whose joint absence stops the route: its weakest step's owner count.

    Parameters
    ----------
    route
        A route of a resolved office.

    Returns
    -------
    int
        The smallest number of owners of any of its steps.

    Examples
    --------
    >>> [route_bus_factor(r) for r in _example().routes.routes]  # ann alone; bob and cy
    [1, 2]
    """
    return min(step.owners.bus_factor for step in route.steps)


def activity_bus_factors(office: Office) -> dict[str, int]:
    """For each activity that has demand, the lowest bus factor over every customer's step.

    Parameters
    ----------
    office
        The resolved office.

    Returns
    -------
    dict
        Activity id -> bus factor; activities without demand are left out.

    Examples
    --------
    >>> activity_bus_factors(_example())
    {'a': 1, 'b': 2}
    """
    out: dict[str, int] = {}
    for route in office.routes.routes:
        for step in route.steps:
            b = step.owners.bus_factor
            if step.activity not in out or b < out[step.activity]:
                out[step.activity] = b
    return out


def blocked_shares(office: Office) -> dict[str, float]:
    """Share of requests/week that stop while one person alone is absent: requests with a
    step that only this person can do (one-person chain or one-person pool).

    Parameters
    ----------
    office
        The resolved office.

    Returns
    -------
    dict
        Person id -> share of the requests (0 to 1), every person in the file's order.

    Examples
    --------
    Ann alone does intake of process p, 3 of the 4 requests a week:

    >>> blocked_shares(_example())
    {'ann': 0.75, 'bob': 0.0, 'cy': 0.0}
    """
    routes = office.routes
    total = routes.total_per_week
    blocked = dict.fromkeys(office.people, 0.0)
    for route in routes.routes:
        alone = {s.owners.people[0] for s in route.steps if len(s.owners.people) == 1}
        for person in alone:
            blocked[person] += route.requests_per_week
    return {p: (w / total if total > 0 else 0.0) for p, w in blocked.items()}


@dataclass(frozen=True)
class TruckFactor:
    """The fewest people whose joint absence stops at least half of the requests/week.

    ``method`` is ``"exact"`` when every smaller group was checked, else ``"greedy"``: then
    ``value`` is an upper bound (the group found works) and ``lower_bound`` is one more than
    the largest group size checked exhaustively.
    """

    value: int | None
    people: list[str]
    stopped_share: float
    method: str
    lower_bound: int


def truck_factor(
    office: Office, *, target: float = 0.5, budget: int = EXACT_BUDGET, mip: bool = True
) -> TruckFactor:
    """The fewest people whose joint absence stops ``target`` of the requests.

    Exhaustive search over groups of growing size while it stays within ``budget`` checks;
    else a mixed-integer model in HiGHS (offices up to ``MIP_PEOPLE`` people, a few seconds
    at most); else, or if HiGHS does not prove its answer in time, a greedy bound.

    Parameters
    ----------
    office
        The resolved office.
    target
        The share of the requests per week that must stop.
    budget, mip
        The most checks of the exhaustive search; whether the mixed-integer model may run.

    Returns
    -------
    TruckFactor

    Examples
    --------
    Ann alone stops 3 of the 4 requests a week:

    >>> found = truck_factor(_example())
    >>> found.value, found.people, found.stopped_share, found.method
    (1, ['ann'], 0.75, 'exact')
    """
    total = office.routes.total_per_week
    if total <= 0:
        return TruckFactor(None, [], 0.0, "exact", 0)
    names, kind_list = _request_kinds(office)
    need = target * total - 1e-9 * total
    cost_per_check = sum(len(k) for k, _ in kind_list)

    def stopped(absent: int) -> float:
        return sum(w for masks, w in kind_list if any(m & ~absent == 0 for m in masks))

    n = len(names)
    checked = 0
    exhaustive_up_to = 0
    for k in range(1, n + 1):
        combos = math.comb(n, k)
        if (checked + combos) * cost_per_check > budget:
            break
        for combo in itertools.combinations(range(n), k):
            mask = sum(1 << i for i in combo)
            s = stopped(mask)
            if s >= need:
                return TruckFactor(k, [names[i] for i in combo], s / total, "exact", k)
        checked += combos
        exhaustive_up_to = k
    else:
        return TruckFactor(None, [], 0.0, "exact", n + 1)
    lower = exhaustive_up_to + 1
    if mip and n <= MIP_PEOPLE:
        found = _truck_factor_mip(kind_list, n, need, time_limit=MIP_SECONDS)
        if found is not None:
            group_mask, optimal, bound = found
            lower = max(lower, bound)
            if optimal:
                group = [names[i] for i in range(n) if group_mask >> i & 1]
                return TruckFactor(
                    len(group), group, stopped(group_mask) / total, "exact", len(group)
                )
    absent = _greedy_group(kind_list, need)
    current = stopped(absent)
    group = [names[i] for i in range(n) if absent >> i & 1]
    return TruckFactor(len(group), group, current / total, "greedy", min(lower, len(group)))


def _request_kinds(office: Office) -> tuple[list[str], list[tuple[frozenset[int], float]]]:
    """The people involved (bit i of a mask is ``names[i]``), and the kinds of request: the
    minimal stop sets of a route (the owners of one of its steps, as a bit mask; a set that
    contains another is left out) with the requests per week of every route of that kind."""
    index: dict[str, int] = {}
    kinds: dict[frozenset[int], float] = {}
    for route in office.routes.routes:
        masks = set()
        for step in route.steps:
            m = 0
            for p in step.owners.people:
                m |= 1 << index.setdefault(p, len(index))
            masks.add(m)
        minimal = frozenset(m for m in masks if not any(o != m and o & m == o for o in masks))
        kinds[minimal] = kinds.get(minimal, 0.0) + route.requests_per_week
    return sorted(index, key=index.__getitem__), list(kinds.items())


def _greedy_group(kind_list: list[tuple[frozenset[int], float]], need: float) -> int:
    """A group (bit mask) stopping ``need`` requests per week, found greedily.

    Stop sets are taken in the order of requests they stop per person; a kind of request
    counts as stopped once one of its stop sets is wholly away. Each stop set's worth is
    reckoned once, up front (requests of the kinds it can stop, over its people), so the
    cost stays linear in the size of the office; the caller checks the group exactly.
    """
    worth: dict[int, float] = {}
    kinds_of: dict[int, list[int]] = {}
    for k, (stop_sets, w) in enumerate(kind_list):
        for m in stop_sets:
            worth[m] = worth.get(m, 0.0) + w
            kinds_of.setdefault(m, []).append(k)
    order = sorted(worth, key=lambda m: (-worth[m] / m.bit_count(), m.bit_count(), m))
    absent = 0
    done = [False] * len(kind_list)
    reached = 0.0
    for m in order:
        if reached >= need:
            break
        if not any(not done[k] for k in kinds_of[m]):
            continue
        absent |= m
        for k in kinds_of[m]:
            if not done[k]:
                done[k] = True
                reached += kind_list[k][1]
    return absent


def _truck_factor_mip(
    kinds: list[tuple[frozenset[int], float]], n: int, need: float, *, time_limit: float
) -> tuple[int, bool, int] | None:
    """Minimise the people away (y_p binary) such that the requests stopped reach ``need``:
    a stop set is out (w_m <= y_p for its people), a kind of request stops when one of its
    stop sets is out (z_k <= sum w_m, z_k <= 1), and sum weight_k z_k >= need.

    Returns (group as a bit mask, proven optimal, proven lower bound), or ``None``.
    """
    from orgflow.solver import solve_mip

    masks = sorted({m for ms, _ in kinds for m in ms})
    w_col = {m: n + k for k, m in enumerate(masks)}
    z0 = n + len(masks)
    columns = z0 + len(kinds)
    rows: list[tuple[list[int], list[float], float, float]] = []
    for m, col in w_col.items():
        for i in range(n):
            if m >> i & 1:
                rows.append(([col, i], [1.0, -1.0], -math.inf, 0.0))
    for k, (ms, _weight) in enumerate(kinds):
        rows.append(([z0 + k, *(w_col[m] for m in ms)], [1.0] + [-1.0] * len(ms), -math.inf, 0.0))
    rows.append(([z0 + k for k in range(len(kinds))], [w for _, w in kinds], need, math.inf))
    status, x, bound = solve_mip(
        [1.0] * n + [0.0] * (columns - n),
        [0.0] * columns,
        [1.0] * columns,
        list(range(n)),
        rows,
        time_limit=time_limit,
    )
    if x is None:
        return None
    group = sum(1 << i for i in range(n) if x[i] > 0.5)
    return group, status == "Optimal", max(math.ceil(bound - 1e-6), 1)
