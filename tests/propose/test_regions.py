"""Issue 15, item 5: people to areas by optimisation for ``propose --by region``
(orgflow/propose/regions.py); expected allocations worked out by hand or by brute force."""

from __future__ import annotations

import itertools

import pytest

from orgflow.loader import load_text
from orgflow.office import resolve
from orgflow.propose.plan import ProposeOptions, propose
from orgflow.propose.regions import Staff, allocate_regions, area_utilization

G = {"g": "g", "h": "h"}


def staff(
    pid: str, cap: float, home: str | None = None, base: float = 0.0, skills: str = "g"
) -> Staff:
    return Staff(pid, cap, base, frozenset(skills), home)


def test_a_person_lacking_a_skill_counts_at_the_learning_pace() -> None:
    # 30 h of g for ann (40 h, holds g) and bob (20 h, lacks it): bob's part costs 1.25x, so
    # u x 40 + u x 20 / 1.25 = 30, u = 30 / 56 = 53.6%.
    team = [staff("ann", 40), staff("bob", 20, skills="")]
    assert area_utilization({"g": 30.0}, team, G, 1.25) == pytest.approx(30 / 56)


def test_fixed_work_above_the_area_level_takes_none_of_it() -> None:
    # ann has 36 h of specialist work (90% of 40 h), bob none; 20 h of g. Sharing with ann
    # would need u = (20 + 36) / 80 = 70% < 90%: ann takes none; bob alone 20 / 40 = 50%,
    # and the area's highest is ann's 90%.
    team = [staff("ann", 40, base=36.0), staff("bob", 40)]
    assert area_utilization({"g": 20.0}, team, G, 1.25) == pytest.approx(0.9)


def test_people_go_where_the_load_is_not_where_they_live() -> None:
    # north 45 h, south 15 h; ann and bob (40 h) live in the north, cid (10 h) in the south.
    # In proportion to load: north ann+bob (45/80 = 56%), south cid (15/10 = 150%). Every
    # other split: north with cid and one of ann/bob 45/50 = 90%, south 15/40 = 37.5%; north
    # with one 40 h person 45/40 = 112.5%. Best: 90%, cid in the north.
    people = [staff("ann", 40, "north"), staff("bob", 40, "north"), staff("cid", 10, "south")]
    out, notes = allocate_regions({"north": {"g": 45.0}, "south": {"g": 15.0}}, people, G, 1.25)
    assert "cid" in out["north"]
    assert len(out["north"]) == 2
    assert len(out["south"]) == 1
    assert notes == []


def test_the_search_finds_the_best_split_by_brute_force() -> None:
    # Three areas (30, 20, 10 h of g) and five people of 8, 12, 16, 20 and 24 h, everyone
    # holding g: an area's utilization is its work over its people's capacity. Brute force
    # over the 3^5 ways that leave nobody idle and no area unserved.
    work = {"a": 30.0, "b": 20.0, "c": 10.0}
    caps = {"p1": 8.0, "p2": 12.0, "p3": 16.0, "p4": 20.0, "p5": 24.0}
    best = min(
        max(
            w / sum(caps[p] for p, x in zip(caps, split, strict=True) if x == r)
            for r, w in work.items()
        )
        for split in itertools.product(work, repeat=len(caps))
        if set(split) == set(work)
    )
    # 80 h of capacity for 60 h: 75% at best if it split evenly; a: 20 + 16 = 36 h is 83.3%,
    # b: 24 h 83.3%, c: 8 + 12 = 20 h 50%; no split does better than 30 / 36.
    assert best == pytest.approx(30 / 36)
    people = [staff(p, c) for p, c in caps.items()]
    out, _ = allocate_regions({r: {"g": w} for r, w in work.items()}, people, G, 1.0)
    highest = max(w / sum(caps[p] for p in out[r]) for r, w in work.items())
    assert highest == pytest.approx(best)


# The first test's office as a file: north has five customers of 9 h (9 requests x 1 h), the
# south one of 15 h. Nobody is ever away and everyone holds g, so nobody learns and backups
# take no work.
OFFICE = """\
version: 1
people:
  - {id: ann, skills: [g], region: north}
  - {id: bob, skills: [g], region: north}
  - {id: cid, skills: [g], region: south, capacity: 10h/week}
activities: [{id: g, effort: 1h}]
processes: [{id: p, steps: [g]}]
customers:
  - {id: n1, region: north, demand: {p: 9/week}}
  - {id: n2, region: north, demand: {p: 9/week}}
  - {id: n3, region: north, demand: {p: 9/week}}
  - {id: n4, region: north, demand: {p: 9/week}}
  - {id: n5, region: north, demand: {p: 9/week}}
  - {id: s1, region: south, demand: {p: 15/week}}
assignments: [{people: [ann, bob, cid]}]
"""


def test_by_region_plans_on_the_best_split() -> None:
    # cid joins a 40 h northerner: that one takes four customers (36 h, 90%), cid one (9 h,
    # 90%); the other northerner serves the south's 15 h (37.5%). The highest, 90%, is under
    # a limit of 95% (in proportion to load, the south's cid would be at 150%).
    p = propose(resolve(load_text(OFFICE)), ProposeOptions(by="region", max_utilization=0.95))
    assert p.highest_utilization == pytest.approx(0.9)
    assert p.feasible
    assert p.primary_of["n1"] != p.primary_of["s1"]
    assert "cid" in {p.primary_of[f"n{i}"] for i in range(1, 6)}


def test_a_kept_customer_keeps_its_person_in_its_area() -> None:
    # --keep s1=cid: cid must serve the south, whatever the load says: the north gets ann
    # and bob (45 h over 80 h), and cid carries s1's 15 h on 10 h, 150%: not feasible.
    options = ProposeOptions(by="region", max_utilization=0.95, keep=(("s1", "cid"),))
    p = propose(resolve(load_text(OFFICE)), options)
    assert p.primary_of["s1"] == "cid"
    assert p.highest_utilization == pytest.approx(1.5)
    assert not p.feasible
