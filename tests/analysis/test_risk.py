"""Single points of failure: bus factor, blocked share, truck factor."""

from __future__ import annotations

import pytest

import orgflow
from orgflow.analysis.risk import (
    activity_bus_factors,
    blocked_shares,
    route_bus_factor,
    truck_factor,
)
from orgflow.analysis.summary import analyze
from orgflow.office import Office

REL = 1e-9


def office_of(text: str) -> Office:
    return orgflow.load_text(text)


def stopped_share(office: Office, absent: set[str]) -> float:
    """Share of requests/week on routes with a step whose owners are all absent (by hand)."""
    routes = office.routes
    stopped = sum(
        r.requests_per_week
        for r in routes.routes
        if any(set(s.owners.people) <= absent for s in r.steps)
    )
    return stopped / routes.total_per_week


BUS = """
version: 1
people:
  - {id: ann, skills: [a, z]}
  - {id: bob, skills: [a]}
  - {id: cat, skills: [b]}
  - {id: dan, skills: [b]}
  - {id: eve, skills: [b]}
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: 1h}
  - {id: z, effort: 1h}
processes: [{id: p, steps: [a, b]}]
customers:
  - {id: c1, demand: {p: 3/week}}
  - {id: c2, demand: {p: 1/week}}
assignments:
  - {customers: [c1], activity: a, people: [ann]}
  - {activity: a, people: [ann, bob]}
  - {activity: b, pool: [cat, dan, eve]}
  - {activity: z, people: [ann]}
"""


def test_bus_factor_per_activity_is_the_lowest_over_customers() -> None:
    office = office_of(BUS)
    # a: 1 for c1 (ann alone), 2 for c2 (ann then bob) -> 1; b: a pool of 3 -> 3
    assert activity_bus_factors(office) == {"a": 1, "b": 3}
    result = analyze(orgflow.load_text(BUS))
    by_id = {a.id: a for a in result.activities}
    assert by_id["a"].bus_factor == 1
    assert by_id["b"].bus_factor == 3
    assert by_id["b"].people == ["cat", "dan", "eve"]
    assert by_id["z"].bus_factor is None  # nobody asks for z
    # hours/week: a 4 requests * 1h = 4, b 4
    assert by_id["a"].hours_per_week == pytest.approx(4.0, rel=REL)


def test_bus_factor_per_route_is_the_lowest_over_its_steps() -> None:
    office = office_of(BUS)
    by_customer = {r.customers[0]: r for r in office.routes.routes}
    assert route_bus_factor(by_customer["c1"]) == 1  # min(1, 3)
    assert route_bus_factor(by_customer["c2"]) == 2  # min(2, 3)


def test_blocked_share() -> None:
    office = office_of(BUS)
    shares = blocked_shares(office)
    # ann alone does a for c1: 3 of 4 requests/week stop while she is away
    assert shares["ann"] == pytest.approx(0.75, rel=REL)
    # everyone else has a colleague on every step
    assert shares["bob"] == shares["cat"] == shares["dan"] == shares["eve"] == 0.0
    summary = analyze(orgflow.load_text(BUS)).summary
    assert summary.worst_person == "ann"
    assert summary.worst_blocked_share == pytest.approx(0.75, rel=REL)


def test_blocked_share_counts_a_route_once_and_one_person_pools() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a, b]}, {id: bob, skills: [c]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}]
processes: [{id: p, steps: [a, b, c]}, {id: q, steps: [c]}]
customers: [{id: x, demand: {p: 1/week, q: 3/week}}]
assignments: [{activity: [a, b], people: [ann]}, {activity: c, pool: [bob]}]
"""
    shares = blocked_shares(office_of(text))
    # ann: route p only (1 of 4), though she does two of its steps
    assert shares["ann"] == pytest.approx(0.25, rel=REL)
    # bob: a pool of one is still one person: p and q, 4 of 4
    assert shares["bob"] == pytest.approx(1.0, rel=REL)


SHARED = """
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [a]}, {id: cat, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers:
  - {id: c1, demand: {p: 2/week}}
  - {id: c2, demand: {p: 1/week}}
  - {id: c3, demand: {p: 1/week}}
assignments:
  - {customers: [c1], people: [ann, bob]}
  - {customers: [c2], people: [bob, cat]}
  - {customers: [c3], pool: [cat, ann]}
"""


def test_truck_factor_exact() -> None:
    office = office_of(SHARED)
    tf = truck_factor(office)
    # total 4/week, half = 2. Every route needs two people away, so no one alone stops
    # anything. Pairs: {ann, bob} stops c1 (2/week = half) -> truck factor 2.
    assert tf.method == "exact"
    assert tf.value == 2
    assert tf.people == ["ann", "bob"]
    assert tf.stopped_share == pytest.approx(0.5, rel=REL)
    assert tf.lower_bound == 2
    assert stopped_share(office, set(tf.people)) >= 0.5


def test_truck_factor_one_in_a_serial_office() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [b]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
processes: [{id: p, steps: [a, b]}]
customers: [{id: x, demand: {p: 4/week}}]
assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}]
"""
    tf = truck_factor(office_of(text))
    # ann alone stops every request
    assert (tf.value, tf.people, tf.method) == (1, ["ann"], "exact")
    assert tf.stopped_share == pytest.approx(1.0, rel=REL)


def test_truck_factor_greedy_when_the_budget_is_tiny() -> None:
    office = office_of(SHARED)
    tf = truck_factor(office, budget=0, mip=False)
    # No exhaustive search at all, no mixed-integer model. Greedy: stop sets {ann,bob}
    # (2/week), {bob,cat} (1), {cat,ann} (1); gain per extra person 2/2 = 1 beats 1/2 ->
    # {ann, bob}, which stops half.
    assert tf.method == "greedy"
    assert tf.value == len(tf.people) == 2
    assert sorted(tf.people) == ["ann", "bob"]
    assert stopped_share(office, set(tf.people)) >= 0.5
    assert tf.stopped_share == pytest.approx(stopped_share(office, set(tf.people)), rel=REL)
    assert 1 <= tf.lower_bound <= tf.value


def test_truck_factor_greedy_over_several_rounds() -> None:
    text = """
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [a]}
  - {id: cat, skills: [a]}
  - {id: dan, skills: [a]}
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers:
  - {id: c1, demand: {p: 1/week}}
  - {id: c2, demand: {p: 1/week}}
  - {id: c3, demand: {p: 1/week}}
  - {id: c4, demand: {p: 1/week}}
assignments:
  - {customers: [c1], people: [ann]}
  - {customers: [c2], people: [bob]}
  - {customers: [c3], people: [cat]}
  - {customers: [c4], people: [dan]}
"""
    office = office_of(text)
    greedy = truck_factor(office, budget=0, mip=False)
    # each person stops 1 of 4: greedy needs two rounds to reach half
    assert greedy.method == "greedy"
    assert greedy.value == 2
    assert stopped_share(office, set(greedy.people)) == pytest.approx(0.5, rel=REL)
    exact = truck_factor(office)
    assert (exact.method, exact.value) == ("exact", 2)


def test_truck_factor_mixed_integer_model_is_exact() -> None:
    # No exhaustive search (budget 0): HiGHS proves the same answer as the search above.
    # SHARED: {ann, bob} stop c1, half of the 4 requests a week; no one alone stops anything.
    office = office_of(SHARED)
    tf = truck_factor(office, budget=0)
    assert (tf.method, tf.value, tf.lower_bound) == ("exact", 2, 2)
    assert sorted(tf.people) == ["ann", "bob"]


def test_truck_factor_without_demand() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: x, demand: {p: 0/week}}]
assignments: [{people: [ann]}]
"""
    tf = truck_factor(office_of(text))
    assert tf.value is None
    assert tf.people == []
