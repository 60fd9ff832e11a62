"""People to areas for ``propose --by region`` (issue 15, item 5): each person serves one
area, chosen by optimisation.

Areas with less than half a person's worth of work (at the office's mean utilization) share
their people with the area of least load (a note says so); the others get people of their
own. An area's figure is its **fluid utilization** with learning: its work W (hours per week
at the activities' efforts) shared among its people as if it could be split at will, each
person p's part costing f_p = (the area's work at p's pace) / W (1 when p holds every skill
of it, up to ``pace``); the area is at the smallest u with
sum_p (u x cap_p - base_p) / f_p = W, i.e. u = (W + sum_p base_p / f_p) / sum_p (cap_p / f_p),
over the people whose fixed (specialist) work base_p leaves room at u (the others take
none of it and stay at base_p / cap_p).

The objectives, in the order of ``--priorities`` (default: utilization, spread, continuity):
*utilization*, the highest area (or fixed-work) utilization; *spread*, the sum over people
of capacity x utilization² (each person at their area's u, or their fixed work's); and
*continuity*, the people serving an area other than their own ``region``. A person kept
with a customer (``--keep``) serves the customer's area. The search starts
from the people given to areas in proportion to their load (largest remainder, people in
their own area first) and moves one person to another area, or swaps two, while that
improves the objectives in order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from orgflow.propose.pods import Member

#: Passes over every move and swap before the areas are kept as they are.
MAX_PASSES = 50

#: A person as the area allocation sees them: the pods' :class:`~orgflow.propose.pods.Member`
#: (id, present capacity, fixed work, skills, and ``area``, their own region).
Staff = Member


def area_utilization(
    work: Mapping[str, float],
    team: Sequence[Staff],
    skill_of: Mapping[str, str],
    pace: float,
) -> float:
    """The fluid utilization of an area with ``work`` (activity -> hours/week) served by
    ``team`` (see the module's docstring).

    >>> s = lambda i, cap, base=0.0, skills="g": Staff(i, cap, base, frozenset(skills))
    >>> area_utilization({"g": 30.0}, [s("ann", 40), s("bob", 20)], {"g": "g"}, 1.25)
    0.5
    >>> # bob lacks g: his part costs 1.25x; u = 30 / (40 + 20 / 1.25) = 30 / 56
    >>> round(area_utilization({"g": 30.0}, [s("ann", 40), s("bob", 20, skills="")],
    ...                        {"g": "g"}, 1.25), 4)
    0.5357
    """
    total = sum(work.values())
    fixed = max((p.base / p.capacity for p in team if p.capacity > 0), default=0.0)
    if total <= 0:
        return fixed
    active = [p for p in team if p.capacity > 0]
    if not active:
        return math.inf
    factor = {
        p.id: sum(h * (1.0 if skill_of[a] in p.skills else pace) for a, h in work.items()) / total
        for p in active
    }
    while True:
        u = (total + sum(p.base / factor[p.id] for p in active)) / sum(
            p.capacity / factor[p.id] for p in active
        )
        room = [p for p in active if p.base / p.capacity < u]
        if len(room) == len(active) or not room:
            return max(u, fixed)
        active = room


def allocate_regions(
    work: Mapping[str, Mapping[str, float]],
    people: Sequence[Staff],
    skill_of: Mapping[str, str],
    pace: float,
    priorities: Sequence[str] = ("utilization", "spread", "continuity"),
    fixed: Mapping[str, str] | None = None,
) -> tuple[dict[str, list[str]], list[str]]:
    """People to areas: area -> the ids of the people serving it, and notes.

    Parameters
    ----------
    work
        Each area's work, activity -> hours/week (the customers' non-specialist work).
    people
        The people who take customers, in the file's order.
    skill_of, pace
        Each activity's skill, and ``--learning-pace``.
    priorities
        The objectives in order (``--priorities``).
    fixed
        People who must serve an area (person -> area: ``--keep`` of a customer there).

    Returns
    -------
    (staff, notes)
        Areas sharing people (too small for one) map to the same people.

    Examples
    --------
    north has 45 h of work, south 15 h; ann and bob (40 h) live in the north, cid (10 h) in
    the south. In proportion to load the north gets two people, its own ann and bob (45 / 80,
    56%), and the south cid (15 / 10, 150%). Better: cid joins one of them in the north
    (45 / 50 = 90%) and the other serves the south (15 / 40 = 38%); ann and bob are alike
    (one of them serves away from home either way), the search moves ann first.

    >>> s = lambda i, cap, home: Staff(i, cap, 0.0, frozenset("g"), home)
    >>> staff, _ = allocate_regions({"north": {"g": 45.0}, "south": {"g": 15.0}},
    ...     [s("ann", 40, "north"), s("bob", 40, "north"), s("cid", 10, "south")],
    ...     {"g": "g"}, 1.25)
    >>> staff
    {'north': ['bob', 'cid'], 'south': ['ann']}
    """
    if not work or not people:
        return {r: [] for r in work}, []
    groups, notes = _groups(work, people)
    group_work = {g: _sum_work([work[r] for r in members]) for g, members in groups.items()}
    group_of = {r: g for g, members in groups.items() for r in members}
    pinned = {p: group_of[r] for p, r in (fixed or {}).items() if r in group_of}
    start = _proportional(group_work, groups, people, pinned)
    best = _search(start, group_work, skill_of, pace, priorities, set(pinned))
    order = {p.id: i for i, p in enumerate(people)}
    out = {}
    for g, members in groups.items():
        ids = sorted((p.id for p in best[g]), key=order.__getitem__)
        for r in members:
            out[r] = ids
    return {r: out[r] for r in work}, notes


def _sum_work(parts: Sequence[Mapping[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in parts:
        for a, h in part.items():
            out[a] = out.get(a, 0.0) + h
    return out


def _groups(
    work: Mapping[str, Mapping[str, float]], people: Sequence[Staff]
) -> tuple[dict[str, list[str]], list[str]]:
    """Areas too small for one person (under half a person's worth of work at the office's
    mean utilization) join the area with the least load, so that one person serves both."""
    load = {r: sum(w.values()) for r, w in work.items()}
    total_cap = sum(p.capacity for p in people)
    share = (sum(load.values()) + sum(p.base for p in people)) / max(total_cap, 1e-12)
    mean_cap = total_cap / len(people)
    groups: dict[str, list[str]] = {r: [r] for r in work}
    notes: list[str] = []
    for r in sorted(work, key=lambda r: load[r]):
        if r not in groups or len(groups) == 1:
            continue
        if share <= 0 or load[r] / share < 0.5 * mean_cap:
            other = min((g for g in groups if g != r), key=lambda g: load[g])
            groups[other] += groups.pop(r)
            load[other] += load.pop(r)
            notes.append(
                f"area '{r}' is too small for one person and shares a person with "
                f"'{', '.join(x for x in groups[other] if x != r)}'"
            )
    return groups, notes


def _proportional(
    work: Mapping[str, Mapping[str, float]],
    groups: Mapping[str, list[str]],
    people: Sequence[Staff],
    pinned: Mapping[str, str],
) -> dict[str, list[Staff]]:
    """The search's start: people per group in proportion to load (largest remainder, at
    least one each), the ``pinned`` people in their group, then people of the group's own
    areas, then the rest in file order."""
    load = {g: sum(w.values()) for g, w in work.items()}
    keys = sorted(groups, key=lambda g: -load[g])
    wanted = {g: load[g] / max(sum(load.values()), 1e-12) * len(people) for g in keys}
    count = {g: max(1, math.floor(wanted[g])) for g in keys}
    while sum(count.values()) > len(people) and any(count[g] > 1 for g in keys):
        g = max((g for g in keys if count[g] > 1), key=lambda g: count[g] - wanted[g])
        count[g] -= 1
    for g in sorted(keys, key=lambda g: -(wanted[g] - math.floor(wanted[g]))):
        if sum(count.values()) >= len(people):
            break
        count[g] += 1
    out: dict[str, list[Staff]] = {g: [p for p in people if pinned.get(p.id) == g] for g in keys}
    free = [p for p in people if p.id not in pinned]
    for g in keys:
        take = [p for p in free if p.area in groups[g]][: max(count[g] - len(out[g]), 0)]
        out[g] += take
        free = [p for p in free if p not in take]
    for g in keys:
        while len(out[g]) < count[g] and free:
            out[g].append(free.pop(0))
    if free:  # more areas than people: the rest go to the busiest
        out[keys[0]] += free
    return out


def _search(
    start: dict[str, list[Staff]],
    work: Mapping[str, Mapping[str, float]],
    skill_of: Mapping[str, str],
    pace: float,
    priorities: Sequence[str],
    pinned: set[str],
) -> dict[str, list[Staff]]:
    """Moves and swaps of people between groups while they improve the objectives (the
    ``pinned`` people stay)."""
    groups = {g: list(team) for g, team in start.items()}
    tolerance = {"utilization": 1e-9, "spread": 1e-9, "continuity": 0.5}

    def figures(g: str, team: Sequence[Staff]) -> tuple[float, float, int]:
        u = area_utilization(work[g], team, skill_of, pace) if team else math.inf
        if not team and sum(work[g].values()) <= 0:
            u = 0.0
        spread = sum(p.capacity * max(u, p.base / p.capacity) ** 2 for p in team)
        away = sum(1 for p in team if p.area is not None and p.area != g)
        return u, spread, away

    state = {g: figures(g, team) for g, team in groups.items()}

    def key(s: Mapping[str, tuple[float, float, int]]) -> list[float]:
        values = {
            "utilization": max(v[0] for v in s.values()),
            "spread": sum(v[1] for v in s.values()),
            "continuity": float(sum(v[2] for v in s.values())),
        }
        return [values[n] for n in priorities]

    def better(new: list[float], old: list[float]) -> bool:
        for name, a, b in zip(priorities, new, old, strict=True):
            if a < b - tolerance[name]:
                return True
            if a > b + tolerance[name]:
                return False
        return False

    current = key(state)
    names = list(groups)
    for _ in range(MAX_PASSES):
        changed = False
        for a in names:
            for p in list(groups[a]):
                if len(groups[a]) == 1 or p.id in pinned:
                    continue
                for b in names:
                    if b == a or p not in groups[a]:
                        continue
                    ta = [q for q in groups[a] if q is not p]
                    tb = [*groups[b], p]
                    trial = {**state, a: figures(a, ta), b: figures(b, tb)}
                    if better(key(trial), current):
                        groups[a], groups[b], state, current = ta, tb, trial, key(trial)
                        changed = True
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                for p in list(groups[a]):
                    for q in list(groups[b]):
                        if p not in groups[a] or q not in groups[b] or {p.id, q.id} & pinned:
                            continue
                        ta = [q if x is p else x for x in groups[a]]
                        tb = [p if x is q else x for x in groups[b]]
                        trial = {**state, a: figures(a, ta), b: figures(b, tb)}
                        if better(key(trial), current):
                            groups[a], groups[b], state, current = ta, tb, trial, key(trial)
                            changed = True
        if not changed:
            break
    return groups
