"""Handoff chains: how many desks a request crosses, and how many contacts a customer has."""

from __future__ import annotations

from orgflow.analysis.routes import Route, Routes
from orgflow.model import Org


def route_handoffs(route: Route) -> int:
    """Precedence edges whose two steps are done at different desks."""
    desk = {s.step: s.owners.desk for s in route.steps}
    return sum(1 for s in route.steps for p in s.after if desk[p] != desk[s.step])


def customer_contacts(org: Org, routes: Routes) -> dict[str, list[str]]:
    """People each customer talks to: primaries of customer-facing steps, and every member of
    a pool that handles one (any of them may answer)."""
    facing = {a.id for a in org.activities if a.customer_facing}
    per_route: dict[int, tuple[str, ...]] = {}
    for route in routes.routes:
        people: dict[str, None] = {}
        for step in route.steps:
            if step.activity in facing:
                members = step.owners.people if step.owners.pool else step.owners.people[:1]
                people.update(dict.fromkeys(members))
        per_route[id(route)] = tuple(people)
    out: dict[str, list[str]] = {}
    for customer in org.customers:
        mine = routes.by_customer.get(customer.id, [])
        if len(mine) == 1:
            out[customer.id] = list(per_route[id(mine[0][0])])
            continue
        people = {}
        for route, _w in mine:
            people.update(dict.fromkeys(per_route[id(route)]))
        out[customer.id] = list(people)
    return out


def handoff_edges(routes: Routes) -> dict[tuple[str, str], float]:
    """Desk-to-desk handoffs weighted by requests/week (the handoff graph's edges)."""
    edges: dict[tuple[str, str], float] = {}
    for route in routes.routes:
        desk = {s.step: s.owners.desk for s in route.steps}
        for s in route.steps:
            for p in s.after:
                if desk[p] != desk[s.step]:
                    key = (desk[p], desk[s.step])
                    edges[key] = edges.get(key, 0.0) + route.requests_per_week
    return edges
