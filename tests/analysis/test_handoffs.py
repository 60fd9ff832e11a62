"""Handoffs: precedence edges between different desks; contacts; the desk-to-desk graph."""

from __future__ import annotations

import pytest

import orgflow
from orgflow.analysis.handoffs import customer_contacts, handoff_edges, route_handoffs
from orgflow.office import Office, Routes

REL = 1e-9


def load(text: str) -> tuple[Office, Routes]:
    office = orgflow.load_text(text)
    return office, office.routes


DAG = """
version: 1
people:
  - {id: ann, skills: [a, b, c, d, e]}
  - {id: bob, skills: [a, b, c, d, e]}
  - {id: cat, skills: [a, b, c, d, e]}
  - {id: dan, skills: [a, b, c, d, e]}
activities:
  - {id: a, effort: 1h, customer_facing: true}
  - {id: b, effort: 1h}
  - {id: c, effort: 1h}
  - {id: d, effort: 1h, customer_facing: true}
  - {id: e, effort: 1h}
processes:
  - id: p
    steps:
      - a
      - {activity: b, after: a}
      - {activity: c, after: a}
      - {activity: d, after: [b, c]}
      - e
customers:
  - {id: serial, demand: {p: 3/week}}
  - {id: solo, demand: {p: 1/week}}
  - {id: pooled, demand: {p: 2/week}}
assignments:
  - {customers: [solo], people: [dan, ann]}
  - {customers: [pooled], activity: [a, d], pool: [cat, dan]}
  - {customers: [pooled], people: [ann]}
  - {activity: [a, c], people: [ann]}
  - {activity: b, people: [bob, ann]}
  - {activity: [d, e], people: [cat]}
"""


def routes_by_customer(routes: Routes) -> dict[str, int]:
    return {r.customers[0]: i for i, r in enumerate(routes.routes)}


def test_route_handoffs_count_edges_between_desks() -> None:
    _, routes = load(DAG)
    idx = routes_by_customer(routes)
    # serial: a(ann) -> b(bob), a -> c(ann, same desk), b -> d(cat), c(ann) -> d(cat),
    #   d -> e(cat, same desk): 3 handoffs
    assert route_handoffs(routes.routes[idx["serial"]]) == 3
    # solo: dan from A to Z (ann is only a backup): 0 handoffs
    assert route_handoffs(routes.routes[idx["solo"]]) == 0
    # pooled: a(cat+dan) -> b(ann), a -> c(ann), b -> d(cat+dan), c -> d, d -> e(ann): 5
    assert route_handoffs(routes.routes[idx["pooled"]]) == 5


def test_customer_contacts() -> None:
    office, _routes = load(DAG)
    contacts = customer_contacts(office)
    # customer-facing: a and d. serial: a by ann, d by cat
    assert contacts["serial"] == ["ann", "cat"]
    # solo: the primary dan only, not the backup ann
    assert contacts["solo"] == ["dan"]
    # pooled: a and d go to the pool cat+dan: any member may answer
    assert contacts["pooled"] == ["cat", "dan"]


def test_handoff_edges_weighted_by_requests() -> None:
    office, _routes = load(DAG)
    edges = handoff_edges(office)
    # serial (3/week): ann->bob, bob->cat, ann->cat
    # pooled (2/week): cat+dan->ann twice (a->b, a->c), ann->cat+dan twice (b->d, c->d),
    #   cat+dan->ann (d->e): one more
    assert edges == {
        ("ann", "bob"): pytest.approx(3.0, rel=REL),
        ("bob", "cat"): pytest.approx(3.0, rel=REL),
        ("ann", "cat"): pytest.approx(3.0, rel=REL),
        ("cat+dan", "ann"): pytest.approx(2.0 * 3, rel=REL),
        ("ann", "cat+dan"): pytest.approx(2.0 * 2, rel=REL),
    }


def test_contacts_of_a_customer_with_two_processes() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]
activities:
  - {id: a, effort: 1h, customer_facing: true}
  - {id: b, effort: 1h, customer_facing: true}
processes: [{id: p, steps: [a]}, {id: q, steps: [b]}]
customers: [{id: acme, demand: {p: 1/week, q: 1/week}}, {id: idle}]
assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}]
"""
    office, _routes = load(text)
    # acme talks to ann (p) and bob (q); idle has no demand, so no contact
    assert customer_contacts(office) == {"acme": ["ann", "bob"], "idle": []}
    assert handoff_edges(office) == {}
