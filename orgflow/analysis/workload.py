"""Workload: each person's expected hours of work per week, and utilization."""

from __future__ import annotations

from dataclasses import dataclass, field

from orgflow.analysis.routes import Routes
from orgflow.assign import Owners
from orgflow.model import Org, Person
from orgflow.units import Calendar


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


def member_shares(
    owners: Owners, people: dict[str, Person], cal: Calendar
) -> list[tuple[str, float]]:
    """Expected share of a step's work each owner does.

    A chain (primary, then backups): member j works while present and everyone before them is
    away, share A_j * prod_{i<j} (1 - A_i); work that arrives while all are away waits, and is
    counted with the primary. A pool: every present member takes the next item, so shares are
    in proportion to present capacity, capacity_j * A_j.

    >>> from orgflow.assign import Owners
    >>> from orgflow.model import Person
    >>> from orgflow.units import Calendar
    >>> ppl = {"a": Person(id="a", availability=0.9), "b": Person(id="b", availability=0.8)}
    >>> [(p, round(s, 3)) for p, s in member_shares(Owners(("a", "b"), False, 0), ppl, Calendar())]
    [('a', 0.92), ('b', 0.08)]
    """
    if owners.pool:
        weights = [
            (p, people[p].capacity_hours_per_week(cal) * people[p].availability)
            for p in owners.people
        ]
        total = sum(w for _, w in weights)
        return [(p, w / total) for p, w in weights]
    shares: list[tuple[str, float]] = []
    all_away = 1.0
    for p in owners.people:
        a = people[p].availability
        shares.append((p, all_away * a))
        all_away *= 1 - a
    first, share = shares[0]
    shares[0] = (first, share + all_away)
    return shares


def workload(org: Org, routes: Routes) -> list[PersonLoad]:
    """Hours per week of expected work for every person, in the file's order.

    load_j = sum over routes and steps of requests/week * mean effort * share_j.
    """
    cal = org.calendar
    people = {p.id: p for p in org.people}
    efforts = {a.id: a.effort.mean_hours(cal) for a in org.activities}
    per_activity: dict[str, dict[str, float]] = {p.id: {} for p in org.people}
    shares_cache: dict[Owners, list[tuple[str, float]]] = {}
    for route in routes.routes:
        for step in route.steps:
            shares = shares_cache.get(step.owners)
            if shares is None:
                shares = shares_cache[step.owners] = member_shares(step.owners, people, cal)
            hours = route.requests_per_week * efforts[step.activity]
            for person, share in shares:
                acts = per_activity[person]
                acts[step.activity] = acts.get(step.activity, 0.0) + hours * share
    return [
        PersonLoad(
            person=p.id,
            load_hours_per_week=sum(per_activity[p.id].values()),
            capacity_hours_per_week=p.capacity_hours_per_week(cal),
            availability=p.availability,
            activities=per_activity[p.id],
        )
        for p in org.people
    ]
