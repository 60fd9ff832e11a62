"""The before/after table: unbounded figures stay unbounded, never a crash (issue 11 item 5)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

import orgflow
from orgflow.analysis.compare import comparison_rows, utilization_spread
from orgflow.analysis.summary import PersonResult
from orgflow.analysis.workload import PersonLoad
from orgflow.render.compare import format_value

TWO = """
version: 1
people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
processes: [{id: p, steps: [a, b]}]
customers: [{id: c, demand: {p: RATE}}]
assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}]
"""


def test_utilization_spread_by_hand() -> None:
    # 8/week = 0.2/h, 1h each: both at 20%, spread 0
    a = orgflow.analyze(orgflow.load_text(TWO.replace("RATE", "8/week")))
    assert utilization_spread(a) == pytest.approx(0.0, abs=1e-12)
    # ann 20%, bob 60% (a load of 24h/week on a 40h week): spread = |0.6 - 0.2| / 2 = 0.2
    loads = [
        replace(p.load, load_hours_per_week=24.0) if p.id == "bob" else p.load for p in a.people
    ]
    b = replace(a, people=[replace(p, load=load) for p, load in zip(a.people, loads, strict=True)])
    assert utilization_spread(b) == pytest.approx(0.2, rel=1e-12)


def test_unbounded_utilization_gives_an_unbounded_spread() -> None:
    a = orgflow.analyze(orgflow.load_text(TWO.replace("RATE", "8/week")))
    # availability 5e-324: 8 / (40 * 5e-324) overflows to inf
    tiny = PersonLoad("zed", 8.0, 40.0, 5e-324)
    assert math.isinf(tiny.utilization)
    b = replace(a, people=[*a.people, PersonResult(tiny, 0.0, math.inf)])
    assert utilization_spread(b) == math.inf
    rows = {r.key: r for r in comparison_rows([a, b])}
    assert rows["utilization_spread"].values == (0.0, math.inf)
    assert format_value(math.inf, "share", 8.0) == "unbounded"


def test_comparison_of_an_overloaded_office() -> None:
    # 48/week = 1.2/h of 1h work: both people at 120%, every lead time unbounded
    a = orgflow.analyze(orgflow.load_text(TWO.replace("RATE", "8/week")))
    b = orgflow.analyze(orgflow.load_text(TWO.replace("RATE", "48/week")))
    rows = {r.key: r for r in comparison_rows([a, b], simulated=[None, None])}
    assert rows["lead_time_hours"].values[1] == math.inf
    assert rows["utilization_spread"].values[1] == pytest.approx(0.0, abs=1e-12)
    assert rows["highest_utilization"].values[1] == pytest.approx(1.2, rel=1e-12)


def test_one_table_with_every_row_by_hand() -> None:
    # ann does a, bob does b, 8 requests a week: each one's absence alone stops every request
    # (worst person risk 100%, 2 people whose absence stops work, truck factor 1). With ann on
    # both steps and bob as her backup, nobody's absence alone stops one (truck factor 2).
    serial = orgflow.analyze(orgflow.load_text(TWO.replace("RATE", "8/week")))
    shared = orgflow.analyze(
        orgflow.load_text(
            TWO.replace("RATE", "8/week").replace(
                "[{activity: a, people: [ann]}, {activity: b, people: [bob]}]",
                "[{people: [ann, bob]}]",
            )
        )
    )
    rows = comparison_rows([serial, shared], simulated=[1.0, 2.0], training_hours=[0.0, 3.0])
    assert [r.key for r in rows] == [
        "handoffs_per_request",
        "contacts_per_customer",
        "lead_time_hours",
        "simulated_lead_time_hours",
        "touch_time_hours",
        "queueing_hours",
        "handoff_hours",
        "absence_hours",
        "flow_efficiency",
        "truck_factor",
        "highest_utilization",
        "utilization_spread",
        "people_whose_absence_stops_work",
        "worst_person_blocked_share",
        "requests_per_week",
        "training_hours_per_week",
    ]
    by_key = {r.key: r for r in rows}
    assert by_key["worst_person_blocked_share"].values == (1.0, 0.0)
    assert by_key["people_whose_absence_stops_work"].values == (2.0, 0.0)
    assert by_key["truck_factor"].values == (1.0, 2.0)
    assert by_key["requests_per_week"].values == (8.0, 8.0)
    assert by_key["requests_per_week"].better == "neither"  # a size, not a quality
