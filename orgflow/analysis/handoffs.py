"""Handoff chains: how many desks a request crosses, and how many contacts a customer has."""

from __future__ import annotations

from collections.abc import Mapping

from orgflow.assign import Owners
from orgflow.office import Office, Route
from orgflow.routing import expected_handoffs


def route_handoffs(route: Route, office: Office | None = None) -> float:
    """Precedence edges whose two steps are done at different desks; on a random route
    (issue 13), the expected number of person changes per request
    (:func:`orgflow.routing.expected_handoffs`: between desks, and within a ``pickup: any``
    pool with the probability that another member takes the next step).

    Parameters
    ----------
    route
        A route of a resolved office (its handoffs are worked out when it is resolved).

    Returns
    -------
    int or float
        The number of handoffs of one request (its expectation on a random route).

    Examples
    --------
    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]
    ... activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
    ... processes: [{id: p, steps: [a, b, {activity: a, id: a2, after: [b]}]}]
    ... customers: [{id: c, demand: {p: 1/week}}]
    ... assignments: [{activity: b, people: [bob]}, {people: [ann]}]
    ... '''))
    >>> route_handoffs(office.routes.routes[0])  # ann -> bob -> ann
    2
    """
    if not route.random:
        return len(route.handoffs)
    by_desk: dict[str, Owners] = {}
    desk_of: dict[tuple[str, str], str] = {}
    for s in route.steps:
        for activity, _share, owners in s.doings:
            by_desk[owners.desk] = owners
            desk_of[(s.step, activity)] = owners.desk

    def change(desk: str) -> float:
        return office.change_probability(by_desk[desk]) if office is not None else 0.0

    return expected_handoffs(route.routing, lambda sid, a: desk_of[(sid, a)], change)


def route_role_changes(route: Route, roles: Mapping[str, str]) -> float:
    """Changes of role per request: the handoffs of :func:`route_handoffs` whose two desks'
    people are of different roles (``roles``: person -> role; a person not in it is a role of
    their own). A desk's role is its first person's (a pool's members share a role where
    roles come from who does what); a change within a ``pickup: any`` pool stays in the role.

    Parameters
    ----------
    route
        A route of a resolved office.
    roles
        Each person's role.

    Returns
    -------
    int or float
        The number of changes of role of one request (its expectation on a random route).

    Examples
    --------
    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a, b, c]}, {id: bob, skills: [a, b, c]}, {id: cy, skills: [c]}]
    ... activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}]
    ... processes: [{id: p, steps: [a, b, c]}]
    ... customers: [{id: c, demand: {p: 1/week}}]
    ... assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}, {people: [cy]}]
    ... '''))
    >>> route = office.routes.routes[0]
    >>> route_handoffs(route), route_role_changes(route, {"ann": "x", "bob": "x", "cy": "y"})
    (2, 1)
    """

    def role(owners: Owners) -> str:
        first = owners.people[0] if owners.people else ""
        return roles.get(first, "person:" + first)

    if not route.random:
        owners = {s.step: s.owners for s in route.steps}
        return sum(role(owners[a]) != role(owners[b]) for a, b in route.handoffs)
    role_of: dict[tuple[str, str], str] = {}
    for s in route.steps:
        for activity, _share, who in s.doings:
            role_of[(s.step, activity)] = role(who)
    return expected_handoffs(route.routing, lambda sid, a: role_of[(sid, a)], lambda d: 0.0)


def role_changes_per_request(office: Office, roles: Mapping[str, str]) -> float:
    """Changes of role per request over the office's demand: each route's
    :func:`route_role_changes` weighted by its requests per week (0 without demand)."""
    pairs = [(route_role_changes(r, roles), r.requests_per_week) for r in office.routes.routes]
    total = sum(w for _, w in pairs if w > 0)
    return sum(v * w for v, w in pairs if w > 0) / total if total else 0.0


def customer_contacts(office: Office) -> dict[str, list[str]]:
    """People each customer talks to: primaries of customer-facing steps, and every member of
    a pool that handles one (any of them may answer).

    Parameters
    ----------
    office
        The resolved office.

    Returns
    -------
    dict
        Customer id -> the people, in the order the customer meets them.

    Examples
    --------
    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}, {id: cy, skills: [b]}]
    ... activities: [{id: a, effort: 1h, customer_facing: true}, {id: b, effort: 1h}]
    ... processes: [{id: p, steps: [a, b]}]
    ... customers: [{id: c, demand: {p: 2/week}}]
    ... assignments: [{activity: a, pool: [ann, bob]}, {activity: b, people: [cy]}]
    ... '''))
    >>> customer_contacts(office)
    {'c': ['ann', 'bob']}
    """
    org, routes = office.org, office.routes
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


def handoff_edges(office: Office) -> dict[tuple[str, str], float]:
    """Desk-to-desk handoffs weighted by requests/week (the handoff graph's edges).

    Parameters
    ----------
    office
        The resolved office.

    Returns
    -------
    dict
        (from desk, to desk) -> requests per week handed over.

    Examples
    --------
    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]
    ... activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
    ... processes: [{id: p, steps: [a, b]}]
    ... customers: [{id: c, demand: {p: 3/week}}]
    ... assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}]
    ... '''))
    >>> handoff_edges(office)
    {('ann', 'bob'): 3.0}
    """
    edges: dict[tuple[str, str], float] = {}
    for route in office.routes.routes:
        steps = {s.step: s for s in route.steps}
        for pred, sid in route.handoffs:
            key = (steps[pred].desk, steps[sid].desk)
            edges[key] = edges.get(key, 0.0) + route.requests_per_week
    return edges
