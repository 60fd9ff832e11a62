"""Workload: each person's expected hours of work per week, and utilization."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from orgflow.assign import Owners
from orgflow.office import Office


@dataclass(frozen=True)
class PersonLoad:
    """Expected work of one person; utilization = load / (capacity * availability)."""

    person: str
    load_hours_per_week: float
    capacity_hours_per_week: float
    availability: float
    activities: dict[str, float] = field(default_factory=dict)  # hours/week per activity

    @property
    def available_hours_per_week(self) -> float:
        return self.capacity_hours_per_week * self.availability

    @property
    def utilization(self) -> float:
        return self.load_hours_per_week / self.available_hours_per_week

    @property
    def overloaded(self) -> bool:
        return self.utilization >= 1


def chain_shares(availability: Sequence[float]) -> list[float]:
    """Share of a chain's work each member does, primary first, from their availabilities.

    Member j works while present and everyone before them is away, A_j * prod_{i<j} (1 - A_i);
    work that arrives while all are away waits, and is counted with the primary. The one
    place this split is written: the analysis (:func:`member_shares`), the cover search and
    the exact backups use it.

    A primary at 0.9 and a backup at 0.8: the backup works 0.1 * 0.8 = 0.08 of the time, and
    the 0.1 * 0.2 = 0.02 when both are away waits for the primary, 0.9 + 0.02 = 0.92:

    >>> [round(s, 3) for s in chain_shares([0.9, 0.8])]
    [0.92, 0.08]
    """
    shares: list[float] = []
    all_away = 1.0
    for a in availability:
        shares.append(all_away * a)
        all_away *= 1 - a
    if shares:
        shares[0] += all_away
    return shares


def member_shares(
    owners: Owners, availability: Mapping[str, float], present_capacity: Mapping[str, float]
) -> list[tuple[str, float]]:
    """Expected share of a step's work each owner does.

    A chain (primary, then backups): member j works while present and everyone before them is
    away, share A_j * prod_{i<j} (1 - A_i); work that arrives while all are away waits, and is
    counted with the primary. A pool: every present member takes the next item, so shares are
    in proportion to present capacity, capacity_j * A_j (``present_capacity``, as
    :class:`~orgflow.office.Office` has it).

    Parameters
    ----------
    owners
        The people of the step: a chain or a pool.
    availability, present_capacity
        Each person's availability A and capacity times A (hours per week).

    Returns
    -------
    list of (person, share)
        In the owners' order; the shares add up to 1.

    Examples
    --------
    A chain of a (A = 0.9) and b (A = 0.8): b works while a is away, 0.1 * 0.8 = 0.08, and the
    0.1 * 0.2 = 0.02 when both are away waits for a, 0.9 + 0.02 = 0.92:

    >>> from orgflow.assign import Owners
    >>> avail = {"a": 0.9, "b": 0.8}
    >>> shares = member_shares(Owners(("a", "b"), False, 0), avail, {"a": 36.0, "b": 32.0})
    >>> [(p, round(s, 3)) for p, s in shares]
    [('a', 0.92), ('b', 0.08)]

    A pool shares by present capacity, 36 : 32 hours a week:

    >>> shares = member_shares(Owners(("a", "b"), True, 0), avail, {"a": 36.0, "b": 32.0})
    >>> [(p, round(s, 3)) for p, s in shares]
    [('a', 0.529), ('b', 0.471)]

    With ``shares: {a: 1, b: 3}``, 1 * 0.9 : 3 * 0.8 = 0.9 : 2.4:

    >>> pool = Owners(("a", "b"), True, 0, (1.0, 3.0))
    >>> [(p, round(s, 3)) for p, s in member_shares(pool, avail, {"a": 36.0, "b": 32.0})]
    [('a', 0.273), ('b', 0.727)]
    """
    if owners.pool:
        weights = owners.pool_weights(availability, present_capacity)
        total = sum(weights)
        return [(p, w / total) for p, w in zip(owners.people, weights, strict=True)]
    split = chain_shares([availability[p] for p in owners.people])
    return list(zip(owners.people, split, strict=True))


def workload(office: Office) -> list[PersonLoad]:
    """Hours per week of expected work for every person, in the file's order.

    load_j = sum over routes, steps and alternatives of requests/week * expected visits *
    alternative share * mean effort (the rule's effort where it has one) * share_j
    (:func:`member_shares`).

    Parameters
    ----------
    office
        The resolved office.

    Returns
    -------
    list of PersonLoad
        One per person, in the file's order.

    Examples
    --------
    Ann does 4 requests a week of 1 h, 2 h of them in a chain where bob backs her up:
    bob takes the 20% she is away, 0.2 * 4 = 0.8 h; she does the remaining 3.2 h.

    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a], availability: 0.8}, {id: bob, skills: [a]}]
    ... activities: [{id: a, effort: 1h}]
    ... processes: [{id: p, steps: [a]}]
    ... customers: [{id: c, demand: {p: 4/week}}]
    ... assignments: [{people: [ann, bob]}]
    ... '''))
    >>> [(p.person, round(p.load_hours_per_week, 6)) for p in workload(office)]
    [('ann', 3.2), ('bob', 0.8)]
    """
    availability, present = office.availability, office.present_capacity
    per_activity: dict[str, dict[str, float]] = {p: {} for p in office.people}
    shares_cache: dict[Owners, list[tuple[str, float]]] = {}
    for route in office.routes.routes:
        for step in route.steps:
            # Each alternative's owners, at its share of the step's expected executions, with
            # its rule's effort (issue 13).
            for activity, part, owners in step.doings:
                shares = shares_cache.get(owners)
                if shares is None:
                    shares = shares_cache[owners] = member_shares(owners, availability, present)
                mean = office.effort_of(owners, activity)[0]
                hours = route.requests_per_week * step.visits * part * mean
                for person, share in shares:
                    acts = per_activity[person]
                    acts[activity] = acts.get(activity, 0.0) + hours * share
    return [
        PersonLoad(
            person=pid,
            load_hours_per_week=sum(per_activity[pid].values()),
            capacity_hours_per_week=office.capacity[pid],
            availability=office.availability[pid],
            activities=per_activity[pid],
        )
        for pid in office.people
    ]
