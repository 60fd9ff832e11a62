"""Issue 14: the changes of person and of role per request and the executions per activity
that a simulation counts, and the analytic changes of role, against hand-worked values."""

from __future__ import annotations

import datetime as dt

import pytest

from orgflow import load_text
from orgflow.analysis.handoffs import role_changes_per_request, route_handoffs
from orgflow.simulate.runner import SimOptions, simulate

# Three desks, one person each, ann and bob clerks, cy an approver.
CHAIN = """
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [b]}, {id: cy, skills: [c]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}]
processes: [{id: p, steps: [a, b, c]}]
customers: [{id: k, demand: {p: 5/week}}]
assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}, {people: [cy]}]
"""

# The same with b sending the request back to a with probability 0.5.
REWORK = CHAIN.replace(
    "steps: [a, b, c]", "steps: [a, {activity: b, rework: {to: a, probability: 0.5}}, c]"
)
ROLES = {"ann": "clerk", "bob": "clerk", "cy": "approver"}
# The event engine counts them (the flow engine does not).
OPTIONS = SimOptions(weeks=20, warmup=0, runs=2, seed=3, start=dt.date(2026, 1, 5), engine="event")


def test_a_chain_of_three_people_of_two_roles() -> None:
    office = load_text(CHAIN)
    result = simulate(office, OPTIONS, roles=ROLES)
    # ann -> bob -> cy: two changes of person; clerk -> clerk -> approver: one of role,
    # on every request, exactly.
    assert result.person_changes == 2.0
    assert result.role_changes == 1.0
    # Each completed request does a, b and c once: each activity's executions per run are the
    # requests completed per run.
    assert result.activity_counts == dict.fromkeys(["a", "b", "c"], result.requests_completed)
    assert route_handoffs(office.routes.routes[0]) == 2
    assert role_changes_per_request(office, ROLES) == 1.0


def test_without_roles_each_person_is_a_role() -> None:
    result = simulate(load_text(CHAIN), OPTIONS)
    assert result.role_changes == result.person_changes == 2.0


def test_a_rework_loop() -> None:
    office = load_text(REWORK)
    # Passes through a, b: K with P(K = k) = 0.5^(k-1) 0.5, E[K] = 1 / (1 - 0.5) = 2. Changes
    # of person: a -> b on each pass (K), b -> a on each pass but the last (K - 1), b -> c
    # once: 2K, expected 2 + 2p/(1-p) = 2 + 2 = 4. Of role: only b -> c (ann and bob are
    # clerks): 1, exactly.
    assert route_handoffs(office.routes.routes[0], office) == pytest.approx(4.0)
    assert role_changes_per_request(office, ROLES) == pytest.approx(1.0)
    result = simulate(office, OPTIONS, roles=ROLES)
    assert result.role_changes == 1.0
    # Per request 2K with K geometric (variance p/(1-p)^2 = 2, so 2K has variance 8): over
    # about 2 runs x 100 requests, a standard error of sqrt(8/200) = 0.2; 4 within 3 of them.
    assert result.person_changes == pytest.approx(4.0, abs=0.6)
    # Executions: a and b E[K] = 2 each per request, c once.
    n = result.requests_completed
    assert result.activity_counts["c"] == n
    assert result.activity_counts["a"] == result.activity_counts["b"]
    assert result.activity_counts["a"] / n == pytest.approx(2.0, abs=0.3)
