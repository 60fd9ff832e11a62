"""Pods for ``propose --pods N``: teams of people of one area who share one pool (issue 15).

A pod is a ``pickup: same`` pool: its members share its customers' work in proportion to
their present capacity, so a member with fixed (specialist) work is the pod's busiest:
member m's utilization is base_m / cap_m + W / C (W the pod's customer work, C its members'
present capacity). The optimiser therefore sees a pod as one server of capacity C and fixed
work C x max_m(base_m / cap_m) (:func:`pod_server`): exactly the busiest member's load.

How people are put in pods (:func:`form_pods`), one area at a time (people of the same
``region``; everyone together when the area is given, as with ``--by region``): pods of
``size`` people, the last one of an area smaller when its people do not divide (a note says
so). Among the ways of doing that, in order:

1. the least **capacity lost** to uneven fixed work, sum over pods of
   C x max_m(base_m / cap_m) - sum_m base_m (people with similar fixed work together; a
   specialist desk is never hidden in a pod of idle people);
2. **complementary skills**: the fewest skills of the area's work that nobody in the pod holds
   (so that someone in each pod can teach every skill its customers need);
3. the fewest skills to learn: sum over members of the skills their pod holds and they lack;
4. the file's order.

It starts from the people sorted by fixed work (busiest first) cut in pods, then swaps two
people of different pods while the swap improves that order of objectives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Passes over every pair of people in different pods before the pods are kept as they are.
MAX_PASSES = 20


@dataclass(frozen=True)
class Member:
    """A person as the pods and the areas see them (``area``: their own region)."""

    id: str
    capacity: float  # present capacity, hours/week
    base: float  # fixed (specialist) work, hours/week
    skills: frozenset[str]
    area: str | None = None


def lost_capacity(members: Iterable[Member]) -> float:
    """Hours per week a pod loses to uneven fixed work: C x max(base / cap) - sum of base.

    >>> lost_capacity([Member("a", 40, 30, frozenset()), Member("b", 40, 0, frozenset())])
    30.0
    """
    team = list(members)
    total = sum(m.capacity for m in team)
    ratio = max((m.base / m.capacity for m in team if m.capacity > 0), default=0.0)
    return total * ratio - sum(m.base for m in team)


def pod_server(members: Sequence[Member]) -> tuple[float, float]:
    """(capacity, fixed work) of the pod as one server: C and C x max(base / cap)."""
    total = sum(m.capacity for m in members)
    ratio = max((m.base / m.capacity for m in members if m.capacity > 0), default=0.0)
    return total, total * ratio


def _cost(pod: Sequence[Member], needed: frozenset[str]) -> tuple[float, int, int]:
    """The pod's objectives: capacity lost, skills nobody holds, skills to learn."""
    union = frozenset().union(*(m.skills for m in pod))
    return (
        round(lost_capacity(pod), 6),
        len(needed - union),
        sum(len((union & needed) - m.skills) for m in pod),
    )


def form_pods(
    people: Sequence[Member],
    size: int,
    needed: Iterable[str],
    *,
    by_area: bool = True,
    label: str = "the office",
) -> tuple[list[tuple[str, ...]], list[str]]:
    """The pods of ``size`` people (see the module's docstring), and notes.

    Parameters
    ----------
    people
        The people who take customers, in the file's order.
    size
        People per pod (``--pods``).
    needed
        The skills of the work the pods will take.
    by_area
        Pods only of people of the same ``area`` (``False``: everyone may be in a pod with
        anyone, e.g. when they already serve one area).
    label
        What the people are when not by area (for the notes).

    Returns
    -------
    (pods, notes)
        Each pod's members (in the file's order), pods in the order of their first member.

    Examples
    --------
    ann's specialist desk takes 30 of her 40 h, bob's 20: together they lose
    80 x 30/40 - 50 = 10 h; ann with cid or eve loses 80 x 30/40 - 30 = 30 h and bob with the
    other 80 x 20/40 - 20 = 20 h, 50 h in all. So ann with bob, and cid (g) with eve (h).

    >>> m = lambda i, b, s: Member(i, 40.0, b, frozenset(s))
    >>> form_pods([m("ann", 30, "gh"), m("bob", 20, "gh"), m("cid", 0, "g"), m("eve", 0, "h")],
    ...           2, {"g", "h"})[0]
    [('ann', 'bob'), ('cid', 'eve')]
    """
    order = {m.id: i for i, m in enumerate(people)}
    need = frozenset(needed)
    areas: dict[str | None, list[Member]] = {}
    for m in people:
        areas.setdefault(m.area if by_area else None, []).append(m)
    out: list[tuple[str, ...]] = []
    notes: list[str] = []
    for area, members in areas.items():
        ranked = sorted(members, key=lambda m: (-m.base / max(m.capacity, 1e-12), order[m.id]))
        pods = [ranked[i : i + size] for i in range(0, len(ranked), size)]
        _improve(pods, need)
        out += [tuple(sorted((m.id for m in p), key=order.__getitem__)) for p in pods]
        if len(members) % size and len(members) > size:
            where = f"area '{area}'" if by_area and area is not None else label
            if by_area and area is None:
                where = "the people without a region"
            notes.append(
                f"{where} has {len(members)} people: pods of {size} and one of "
                f"{len(members) % size}"
            )
    out.sort(key=lambda p: order[p[0]])
    return out, notes


def _improve(pods: list[list[Member]], need: frozenset[str]) -> None:
    """Swap two people of different pods while it lowers the pods' objectives (in place)."""
    costs = [_cost(p, need) for p in pods]
    for _ in range(MAX_PASSES):
        changed = False
        for a in range(len(pods)):
            for b in range(a + 1, len(pods)):
                for i in range(len(pods[a])):
                    for j in range(len(pods[b])):
                        pa, pb = list(pods[a]), list(pods[b])
                        pa[i], pb[j] = pb[j], pa[i]
                        ca, cb = _cost(pa, need), _cost(pb, need)
                        before = _sum(costs[a], costs[b])
                        if _sum(ca, cb) < before:
                            pods[a], pods[b] = pa, pb
                            costs[a], costs[b] = ca, cb
                            changed = True
        if not changed:
            return


def _sum(x: tuple[float, int, int], y: tuple[float, int, int]) -> tuple[float, int, int]:
    return (round(x[0] + y[0], 6), x[1] + y[1], x[2] + y[2])
