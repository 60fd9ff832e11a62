"""Workload: load_j = sum requests/week * mean effort * share_j; utilization = load/(cap * A)."""

from __future__ import annotations

import pytest

import orgflow
from orgflow.analysis.workload import PersonLoad, member_shares, workload
from orgflow.assign import Owners
from orgflow.model import Person
from orgflow.units import Calendar

REL = 1e-9


def loads_of(text: str) -> dict[str, PersonLoad]:
    return {load.person: load for load in workload(orgflow.load_text(text))}


def shares_of(owners: Owners, people: dict[str, Person]) -> list[tuple[str, float]]:
    """member_shares with each person's availability and present capacity (40 h weeks)."""
    cal = Calendar()
    availability = {pid: p.availability for pid, p in people.items()}
    present = {pid: p.capacity_hours_per_week(cal) * p.availability for pid, p in people.items()}
    return member_shares(owners, availability, present)


SERIAL = """
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [b]}
  - {id: cat, skills: [c], capacity: 20h/week}
activities:
  - {id: a, effort: 30m}
  - {id: b, effort: {dist: exponential, mean: 2h}}
  - {id: c, effort: {min: 1h, likely: 2h, max: 9h}}
processes: [{id: p, steps: [a, b, c]}]
customers:
  - {id: x, demand: {p: 6/week}}
  - {id: y, demand: {p: 2/week}}
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob]}
  - {activity: c, people: [cat]}
"""


def test_serial_loads_and_utilization() -> None:
    loads = loads_of(SERIAL)
    # 6 + 2 = 8 requests/week
    # ann: 8 * 0.5h = 4 h/week of 40 -> 0.1
    assert loads["ann"].load_hours_per_week == pytest.approx(4.0, rel=REL)
    assert loads["ann"].utilization == pytest.approx(0.1, rel=REL)
    # bob: 8 * 2h = 16 h/week of 40 -> 0.4
    assert loads["bob"].load_hours_per_week == pytest.approx(16.0, rel=REL)
    assert loads["bob"].utilization == pytest.approx(0.4, rel=REL)
    # cat: PERT mean (1 + 4*2 + 9)/6 = 3h; 8 * 3 = 24 h/week of 20 (part time) -> 1.2
    assert loads["cat"].load_hours_per_week == pytest.approx(24.0, rel=REL)
    assert loads["cat"].capacity_hours_per_week == pytest.approx(20.0, rel=REL)
    assert loads["cat"].utilization == pytest.approx(1.2, rel=REL)
    assert loads["cat"].overloaded
    assert not loads["bob"].overloaded
    assert loads["bob"].activities == {"b": pytest.approx(16.0, rel=REL)}


def test_chain_shares_with_backups() -> None:
    people = {
        "p": Person(id="p", availability=0.9),
        "b1": Person(id="b1", availability=0.8),
        "b2": Person(id="b2", availability=0.5),
    }
    shares = dict(shares_of(Owners(("p", "b1", "b2"), False, 0), people))
    # b1: A_1 (1-A_0) = 0.8 * 0.1 = 0.08
    # b2: A_2 (1-A_0)(1-A_1) = 0.5 * 0.1 * 0.2 = 0.01
    # p: A_0 + all away (1-0.9)(1-0.8)(1-0.5) = 0.9 + 0.01 = 0.91
    assert shares["p"] == pytest.approx(0.91, rel=REL)
    assert shares["b1"] == pytest.approx(0.08, rel=REL)
    assert shares["b2"] == pytest.approx(0.01, rel=REL)
    assert sum(shares.values()) == pytest.approx(1.0, rel=REL)


def test_chain_with_an_always_present_primary_gives_backups_nothing() -> None:
    people = {"p": Person(id="p"), "b": Person(id="b", availability=0.5)}
    shares = dict(shares_of(Owners(("p", "b"), False, 0), people))
    # A_p = 1: b gets 0.5 * (1 - 1) = 0
    assert shares == {"p": 1.0, "b": 0.0}


def test_pool_shares_follow_present_capacity() -> None:
    text = """
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [a], capacity: 20h/week, availability: 0.8}
activities: [{id: a, effort: 2h}]
processes: [{id: p, steps: [a]}]
customers: [{id: x, demand: {p: 14/week}}]
assignments: [{pool: [ann, bob]}]
"""
    loads = loads_of(text)
    # capacity * A: ann 40 * 1 = 40, bob 20 * 0.8 = 16 -> shares 40/56 and 16/56
    # work: 14 * 2h = 28 h/week -> ann 20, bob 8
    assert loads["ann"].load_hours_per_week == pytest.approx(20.0, rel=REL)
    assert loads["bob"].load_hours_per_week == pytest.approx(8.0, rel=REL)
    # utilization: ann 20/40 = 0.5; bob 8/(20*0.8) = 0.5: a pool evens out present capacity
    assert loads["ann"].utilization == pytest.approx(0.5, rel=REL)
    assert loads["bob"].available_hours_per_week == pytest.approx(16.0, rel=REL)
    assert loads["bob"].utilization == pytest.approx(0.5, rel=REL)


def test_chain_workload_and_utilization_with_absences() -> None:
    text = """
version: 1
people:
  - {id: ann, skills: [a, b], availability: 0.9}
  - {id: bob, skills: [a, b], availability: 0.8}
activities: [{id: a, effort: 1h}, {id: b, effort: 3h}]
processes: [{id: p, steps: [a, b]}]
customers: [{id: x, demand: {p: 10/week}}]
assignments: [{people: [ann, bob]}]
"""
    loads = loads_of(text)
    # shares: ann 0.9 + 0.1*0.2 = 0.92, bob 0.1*0.8 = 0.08
    # a: 10 * 1h = 10 h/week -> ann 9.2, bob 0.8; b: 10 * 3h = 30 -> ann 27.6, bob 2.4
    assert loads["ann"].activities == {
        "a": pytest.approx(9.2, rel=REL),
        "b": pytest.approx(27.6, rel=REL),
    }
    assert loads["ann"].load_hours_per_week == pytest.approx(36.8, rel=REL)
    assert loads["bob"].load_hours_per_week == pytest.approx(3.2, rel=REL)
    # utilization: ann 36.8/(40*0.9) = 1.0222 (overloaded), bob 3.2/(40*0.8) = 0.1
    assert loads["ann"].utilization == pytest.approx(36.8 / 36, rel=REL)
    assert loads["ann"].overloaded
    assert loads["bob"].utilization == pytest.approx(0.1, rel=REL)


def test_people_without_work_and_file_order() -> None:
    text = """
version: 1
people: [{id: zed, skills: [a]}, {id: ann, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: x, demand: {p: 1/week}}]
assignments: [{people: [ann]}]
"""
    loads = workload(orgflow.load_text(text))
    assert [load.person for load in loads] == ["zed", "ann"]
    assert loads[0].load_hours_per_week == 0.0
    assert loads[0].utilization == 0.0
    # ann: 1/week * 1h = 1 h/week of 40 -> 0.025
    assert loads[1].utilization == pytest.approx(0.025, rel=REL)
