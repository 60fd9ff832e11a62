"""Backups by an exact model (HiGHS), for plans small enough: one backup per primary, the
highest utilization first, then the spread, then the worst cover (issue 15: the backups'
shares count in the highest utilization and the spread, and a heuristic choice left up to 3
points of the highest on the table).

The load model is :mod:`orgflow.propose.cover_search`'s (the analysis's): with y_pb = 1 when b
backs up p, p keeps 1 - A_b (1 - A_p) of their customers' work W_p and b takes
A_b (1 - A_p) of it, at b's pace while b learns its skills; each person's load H_x is their
fixed work, what they keep and what they take, all linear in y. Three levels:

1. minimise z, the highest utilization with the learning pace: H_x(learning) <= z C_x;
2. with z held (to 1e-6), minimise the spread, the sum over people of H_x² / C_x once
   trained (each square the largest of its tangents, as the balance's spread level);
3. with both held (the spread to 1e-4), minimise T, the worst cover (H_b + H_p) / C_b once
   trained over the pairs chosen: for each candidate pair H_b + H_p - T C_b <= M (1 - y_pb),
   H_p given y_pb = 1, M the most the left side can be with y_pb = 0 (each load is at most
   the ceiling z C, T at least the best pair of the primary whose best pair is worst).

The levels stop after :data:`NODES` branch-and-bound nodes, so the answer is the same on
every machine (the time limit is a safety net only).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from orgflow.propose.balance import square_tangents
from orgflow.propose.cover_search import CoverProblem

#: The exact model runs up to this many (primary, candidate) pairs (the generated 12/60
#: office: 132, well under a second; the large sample's 1,560 take 12 s to 24 s a round).
MAX_PAIRS = 400
#: Branch-and-bound nodes per level: a deterministic limit.
NODES = 2000
#: Seconds per level, a safety net on a slow machine (the nodes bind first).
TIME_LIMIT = 30.0


def exact_backups(
    problem: CoverProblem, assignment: Mapping[str, str], chosen: Mapping[str, Sequence[str]]
) -> dict[str, list[str]] | None:
    """One backup for every primary of ``assignment`` who has one in ``chosen``, by the
    module's three levels; ``None`` when the model is too large (:data:`MAX_PAIRS`), some
    primary has more or fewer than one backup, or HiGHS finds nothing.

    >>> from orgflow.propose.balance import Server, Unit
    >>> people = {p: Server(p, 40.0, 0.0, frozenset({"s"}), (p,), availability=0.5)
    ...           for p in ("ann", "bob", "cy")}
    >>> units = {"u": Unit("u", {"a": 20.0}), "v": Unit("v", {"a": 4.0})}
    >>> problem = CoverProblem(people, units, {"a": "s"}, dict.fromkeys(people, "all"), 1.0,
    ...                        candidates={"ann": ["bob", "cy"], "bob": ["ann", "cy"]})
    >>> # Each backup takes 0.5 x 0.5 = 25% of the work. ann (20 h) and bob (4 h) back each
    >>> # other up: ann keeps 15 h and takes 1 h, 16 / 40 = 40%. The highest is 15 / 40 when
    >>> # ann backs up nobody, two ways: cy backs up both
    >>> # (cy 5 + 1 = 6 h; covers (6 + 15) / 40 = 52.5%, (6 + 3) / 40 = 22.5%), or bob backs
    >>> # up ann and cy bob (bob 3 + 5 = 8 h; (8 + 15) / 40 = 57.5%). The first has the lower
    >>> # spread ((15² + 3² + 6²) / 40 = 6.75 against (15² + 8² + 1²) / 40 = 7.25) and cover.
    >>> exact_backups(problem, {"u": "ann", "v": "bob"}, {"ann": ["bob"], "bob": ["ann"]})
    {'ann': ['cy'], 'bob': ['cy']}
    """
    from orgflow.analysis.workload import chain_shares
    from orgflow.solver import solve_mip

    people = problem.people
    of: dict[str, list[str]] = {}
    for c, x in assignment.items():
        of.setdefault(x, []).append(c)
    prims = sorted(p for p in of if p in chosen)
    if any(len(chosen[p]) != 1 for p in prims):
        return None
    candidates = {
        p: [b for b in problem.candidates.get(p, chosen[p]) if b != p and b in people]
        for p in prims
    }
    col: dict[tuple[str, str], int] = {}
    for p in prims:
        for b in candidates[p]:
            col[p, b] = len(col)
    n = len(col)
    if n == 0 or n > MAX_PAIRS or any(not candidates[p] for p in prims):
        return None
    # The chain's split (the analysis's): the backup b takes A_b (1 - A_p) of p's work.
    takes = {(p, b): chain_shares([people[p].availability, people[b].availability])[1]
             for p, b in col}  # fmt: skip
    caps = {x: s.capacity for x, s in people.items()}

    def hours(p: str, x: str | None) -> float:
        """p's customers' hours per week, at x's pace (trained with ``x`` None)."""
        total = 0.0
        for c in of[p]:
            for a, h in problem.units[c].hours_on((p,)).items():
                learns = x is not None and problem.skill_of[a] not in people[x].skills
                total += h * (problem.pace if learns else 1.0)
        return total

    work = {p: hours(p, None) for p in of if p in people}

    def load(x: str, learning: bool) -> tuple[float, dict[int, float]]:
        """x's hours per week as a constant and a coefficient per pair (``learning``: at x's
        pace)."""
        own = 0.0 if x not in work else hours(x, x) if learning else work[x]
        coef: dict[int, float] = {}
        if x in candidates:  # the share x's backup b takes of x's work
            for b in candidates[x]:
                coef[col[x, b]] = -takes[x, b] * own
        for p in prims:
            if (p, x) in col:  # the share x takes of p's work, at x's pace
                took = hours(p, x) if learning else work[p]
                coef[col[p, x]] = coef.get(col[p, x], 0.0) + takes[p, x] * took
        return people[x].base + own, coef

    learning = {x: load(x, True) for x in people if caps[x] > 0}
    trained = {x: load(x, False) for x in people if caps[x] > 0}
    if any(caps[b] <= 0 for p in prims for b in candidates[p]):
        return None
    one = [([col[p, b] for b in candidates[p]], [1.0] * len(candidates[p]), 1.0, 1.0)
           for p in prims]  # fmt: skip
    ints = list(range(n))

    # Level 1: the highest utilization z, learning counted.
    rows = one + [
        ([*coef, n], [*coef.values(), -caps[x]], -math.inf, -const)
        for x, (const, coef) in learning.items()
    ]
    _, sol, _ = solve_mip(
        [0.0] * n + [1.0], [0.0] * (n + 1), [1.0] * n + [math.inf], ints, rows,
        time_limit=TIME_LIMIT, max_nodes=NODES,
    )  # fmt: skip
    if sol is None:
        return None
    ceiling = float(sol[n]) * (1 + 1e-6) + 1e-9

    # Level 2: the spread, the sum over people of trained work² / capacity (each square the
    # largest of TANGENTS tangents, as the balance's spread level), the highest held.
    held = one + [
        (list(coef), list(coef.values()), -math.inf, ceiling * caps[x] - const)
        for x, (const, coef) in learning.items()
        if coef
    ]
    moved = [x for x, (_, coef) in trained.items() if coef]
    width = n + len(moved)
    squares = []
    for k, x in enumerate(moved):
        const, coef = trained[x]
        squares += square_tangents(
            list(coef), list(coef.values()), const, caps[x], ceiling * caps[x], n + k
        )

    _, even, _ = solve_mip(
        [0.0] * n + [1.0] * len(moved), [0.0] * width, [1.0] * n + [math.inf] * len(moved),
        ints, held + squares, time_limit=TIME_LIMIT, mip_rel_gap=1e-4, max_nodes=NODES,
    )  # fmt: skip
    if even is not None:
        sol = even
    spread = float(sum(sol[n:width])) if even is not None else math.inf
    spread_row = (list(range(n, width)), [1.0] * len(moved), -math.inf, spread * (1 + 1e-4) + 1e-9)

    # Level 3: the worst cover T, the highest and the spread held.
    rows = [*held, *squares, spread_row]
    least = {x: people[x].base + work.get(x, 0.0) * people[x].availability for x in people}

    def kept(p: str, b: str) -> float:
        return people[p].base + work[p] * (1 - takes[p, b])

    lowest = max(min((least[b] + kept(p, b)) / caps[b] for b in candidates[p]) for p in prims)
    for (p, b), j in col.items():
        const_b, coef = trained[b]
        coef = dict(coef)
        duties = {k: v for k, v in trained[p][1].items() if v > 0}  # what p takes as a backup
        big = max(ceiling * caps[b] + sum(duties.values()) - lowest * caps[b], 0.0)
        for k, v in duties.items():
            coef[k] = coef.get(k, 0.0) + v
        coef[j] = coef.get(j, 0.0) + kept(p, b) + big
        rows.append(([*coef, width], [*coef.values(), -caps[b]], -math.inf, big - const_b))

    _, sol2, _ = solve_mip(
        [0.0] * width + [1.0], [0.0] * width + [lowest], [1.0] * n + [math.inf] * (width - n + 1),
        ints, rows, time_limit=TIME_LIMIT, mip_rel_gap=1e-4, max_nodes=NODES,
    )  # fmt: skip
    final = sol2 if sol2 is not None else sol
    return {p: [b for b in candidates[p] if final[col[p, b]] > 0.5] for p in prims}
