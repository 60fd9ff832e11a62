"""Routes: the customers of a process whose steps resolve to the same owners."""

from __future__ import annotations

from dataclasses import dataclass, field

from orgflow.assign import Owners, Resolver
from orgflow.graph import step_predecessors
from orgflow.model import Org


@dataclass(frozen=True)
class RouteStep:
    """One step of a route, with the people it goes to and the steps it waits for."""

    step: str
    activity: str
    owners: Owners
    after: tuple[str, ...]


@dataclass
class Route:
    """A process as a group of customers sees it: the same desks in the same order."""

    number: int
    process: str
    steps: tuple[RouteStep, ...]
    customers: list[str] = field(default_factory=list)
    requests_per_hour: float = 0.0
    requests_per_week: float = 0.0

    @property
    def desks(self) -> list[str]:
        """The desks a request visits, in the order it first reaches them."""
        return list(dict.fromkeys(step.owners.desk for step in self.steps))

    def step(self, step_id: str) -> RouteStep:
        for s in self.steps:
            if s.step == step_id:
                return s
        raise KeyError(step_id)


@dataclass
class Routes:
    """All routes, and for each customer the routes of its processes with their rates."""

    routes: list[Route]
    by_customer: dict[str, list[tuple[Route, float]]]  # customer -> [(route, requests/week)]

    @property
    def total_per_week(self) -> float:
        return sum(r.requests_per_week for r in self.routes)


def build_routes(
    org: Org,
    resolver: Resolver | None = None,
    *,
    uncovered: list[tuple[str, str, int]] | None = None,
    rules_used: set[tuple[int, str]] | None = None,
) -> Routes:
    """Group (customer, process) demand into routes; routes are numbered from 1 in process
    order, busiest first within a process.

    A (customer, step) that no rule covers raises ``ValueError``, or, with ``uncovered``
    given, is listed there as (process, step, customer index) and its demand left out.
    ``rules_used`` collects (rule index, activity) for every rule that applies to some step
    with demand.
    """
    resolver = resolver or Resolver(org)
    cal = org.calendar
    processes = {p.id: p for p in org.processes}
    preds = {p.id: step_predecessors(p) for p in org.processes}
    grouped: dict[tuple[str, tuple[Owners, ...]], Route] = {}
    by_customer: dict[str, list[tuple[Route, float]]] = {}
    for ci, customer in enumerate(org.customers):
        of_activity: dict[str, Owners | None] = {}
        for pid, rate in customer.demand.items():
            process = processes[pid]
            owners: list[Owners] = []
            for step in process.steps:
                if step.activity not in of_activity:
                    of_activity[step.activity] = resolver.owners(customer.id, step.activity)
                found = of_activity[step.activity]
                if found is None:
                    if uncovered is None:
                        raise ValueError(f"no rule covers {customer.id}/{step.step_id}")
                    uncovered.append((pid, step.step_id, ci))
                    continue
                owners.append(found)
                if rules_used is not None:
                    rules_used.add((found.rule, step.activity))
            if len(owners) < len(process.steps):
                continue
            key = (pid, tuple(owners))
            route = grouped.get(key)
            if route is None:
                steps = tuple(
                    RouteStep(s.step_id, s.activity, o, tuple(preds[pid][s.step_id]))
                    for s, o in zip(process.steps, owners, strict=True)
                )
                route = grouped[key] = Route(0, pid, steps)
            per_hour = rate.per_hour(cal)
            route.customers.append(customer.id)
            route.requests_per_hour += per_hour
            route.requests_per_week += per_hour * cal.hours_per_week
            by_customer.setdefault(customer.id, []).append((route, per_hour * cal.hours_per_week))
    order = {p.id: i for i, p in enumerate(org.processes)}
    routes = sorted(grouped.values(), key=lambda r: (order[r.process], -r.requests_per_week))
    for number, route in enumerate(routes, start=1):
        route.number = number
    return Routes(routes, by_customer)
