"""Routes: customers of a process whose steps go to the same owners (first matching rule wins)."""

from __future__ import annotations

import pytest

import orgflow
from orgflow.assign import Resolver
from orgflow.office import Routes

REL = 1e-9


def routes_of(text: str) -> Routes:
    return orgflow.load_text(text).routes


OFFICE = """
version: 1
people:
  - {id: ann, skills: [a, b, c]}
  - {id: bob, skills: [a, b, c]}
  - {id: cat, skills: [a, b, c]}
  - {id: dan, skills: [a, b, c]}
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: 1h}
  - {id: c, effort: 1h}
processes:
  - {id: p, steps: [a, b, c]}
  - {id: q, steps: [b]}
customers:
  - {id: small, region: north, demand: {p: 1/week}}
  - {id: big, region: north, demand: {p: 4/week, q: 2/week}}
  - {id: south1, region: south, demand: {p: 2/week}}
  - {id: special, region: north, demand: {p: 3/week}}
assignments:
  - {activity: a, people: [ann]}
  - {customers: [special], people: [dan]}
  - {region: south, pool: [cat, dan]}
  - {activity: b, people: [bob, ann]}
  - {people: [ann]}
"""


def test_customers_with_the_same_owners_share_a_route() -> None:
    routes = routes_of(OFFICE)
    by_customers = {tuple(r.customers): r for r in routes.routes}
    # small and big: a -> ann (rule 1), b -> bob+backup ann (rule 4), c -> ann (rule 5)
    shared = by_customers[("small", "big")]
    assert shared.process == "p"
    assert shared.desks == ["ann", "bob"]
    # 1 + 4 = 5 requests/week; 5/40 h = 0.125/h
    assert shared.requests_per_week == pytest.approx(5.0, rel=REL)
    assert shared.requests_per_hour == pytest.approx(0.125, rel=REL)


def test_first_matching_rule_wins() -> None:
    routes = routes_of(OFFICE)
    by_customers = {tuple(r.customers): r for r in routes.routes}
    # special: a is taken by the earlier generic rule 1 (ann), b and c by rule 2 (dan)
    special = by_customers[("special",)]
    assert [s.owners.people for s in special.steps] == [("ann",), ("dan",), ("dan",)]
    assert special.desks == ["ann", "dan"]
    # south1: a -> ann (rule 1), b and c -> the south pool (rule 3): one desk 'cat+dan'
    south = by_customers[("south1",)]
    assert [s.owners.desk for s in south.steps] == ["ann", "cat+dan", "cat+dan"]
    assert south.desks == ["ann", "cat+dan"]
    assert south.steps[1].owners.pool
    resolver = Resolver(orgflow.load_text(OFFICE).org)
    assert resolver.rule_for("special", "a") == 0
    assert resolver.rule_for("special", "b") == 1
    assert resolver.rule_for("south1", "c") == 2
    assert resolver.rule_for("big", "b") == 3
    assert resolver.rule_for("big", "c") == 4


def test_routes_are_numbered_by_process_then_busiest_first() -> None:
    routes = routes_of(OFFICE)
    # process p: small+big 5/week, special 3/week, south1 2/week; then process q: big 2/week
    assert [r.number for r in routes.routes] == [1, 2, 3, 4]
    assert [(r.process, r.customers) for r in routes.routes] == [
        ("p", ["small", "big"]),
        ("p", ["special"]),
        ("p", ["south1"]),
        ("q", ["big"]),
    ]
    # total: 1 + 4 + 2 + 2 + 3 = 12 requests/week
    assert routes.total_per_week == pytest.approx(12.0, rel=REL)


def test_routes_by_customer() -> None:
    routes = routes_of(OFFICE)
    big = routes.by_customer["big"]
    assert [r.number for r, _ in big] == [1, 4]
    assert [w for _, w in big] == pytest.approx([4.0, 2.0], rel=REL)
    small = routes.by_customer["small"]
    assert [r.number for r, _ in small] == [1]
    assert [w for _, w in small] == pytest.approx([1.0], rel=REL)


def test_route_steps_keep_their_predecessors() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a, b, c, d]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}, {id: d, effort: 1h}]
processes:
  - id: p
    steps: [a, b, {activity: c, after: a}, {id: last, activity: d, after: [b, c]}]
customers: [{id: acme, demand: {p: 1/week}}]
assignments: [{people: [ann]}]
"""
    (route,) = routes_of(text).routes
    assert [(s.step, s.activity, s.after) for s in route.steps] == [
        ("a", "a", ()),
        ("b", "b", ("a",)),
        ("c", "c", ("a",)),
        ("last", "d", ("b", "c")),
    ]
    assert route.step("last").activity == "d"
    with pytest.raises(KeyError):
        route.step("nope")


def test_chain_is_desks_in_order_of_first_visit() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a, c]}, {id: bob, skills: [b]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}]
processes: [{id: p, steps: [a, b, c]}]
customers: [{id: acme, demand: {p: 1/week}}]
assignments: [{activity: b, people: [bob, ann]}, {people: [ann]}]
"""
    (route,) = routes_of(text).routes
    # a at ann, b at bob (ann only as backup: the desk is the primary), c back at ann
    assert route.desks == ["ann", "bob"]


@pytest.mark.parametrize(
    ("rate", "per_week"),
    [
        ("2/week", 2.0),
        ("1/day", 5.0),  # 5 days a week
        ("0.25/hour", 10.0),  # 40 h a week
        ("13/month", 3.0),  # 13 * 12 months / 52 weeks = 3
        ("26/year", 0.5),  # 26 / 52 weeks
    ],
)
def test_rates_become_requests_per_week(rate: str, per_week: float) -> None:
    text = f"""
version: 1
people: [{{id: ann, skills: [a]}}]
activities: [{{id: a, effort: 1h}}]
processes: [{{id: p, steps: [a]}}]
customers: [{{id: acme, demand: {{p: {rate}}}}}]
assignments: [{{people: [ann]}}]
"""
    (route,) = routes_of(text).routes
    assert route.requests_per_week == pytest.approx(per_week, rel=REL)
    assert route.requests_per_hour == pytest.approx(per_week / 40, rel=REL)


def test_rates_follow_the_office_calendar() -> None:
    text = """
version: 1
org: {hours_per_day: 7.5, days_per_week: 4}
people: [{id: ann, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 2/day}}]
assignments: [{people: [ann]}]
"""
    (route,) = routes_of(text).routes
    # week = 7.5 * 4 = 30 h; 2/day * 4 days = 8/week; 8/30 per hour
    assert route.requests_per_week == pytest.approx(8.0, rel=REL)
    assert route.requests_per_hour == pytest.approx(8 / 30, rel=REL)


def test_owners_desk_and_bus_factor() -> None:
    resolver = Resolver(orgflow.load_text(OFFICE).org)
    chain = resolver.owners("big", "b")
    pool = resolver.owners("south1", "b")
    assert chain is not None
    assert pool is not None
    assert (chain.desk, chain.bus_factor, chain.pool) == ("bob", 2, False)
    assert (pool.desk, pool.bus_factor, pool.pool) == ("cat+dan", 2, True)
