"""Issue 15, constraints a consultant sets: people who leave (``without``) and key accounts
kept with a person (``keep``); values by hand."""

from __future__ import annotations

import pytest

from orgflow.errors import ProposalError
from orgflow.loader import load_text
from orgflow.office import resolve
from orgflow.propose.plan import ProposeOptions, propose

# Three generalists of 40 h, nobody ever away, one 1 h step; ann handles x and y today
# (10 h/week each), sandro holds the specialist desk s (4 h/week for x).
OFFICE = resolve(
    load_text(
        """\
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [a]}
  - {id: cy, skills: [a]}
  - {id: sandro, skills: [s]}
activities: [{id: a, effort: 1h, customer_facing: true}, {id: s, effort: 1h, specialist: true}]
processes: [{id: p, steps: [a]}, {id: ps, steps: [s]}]
customers:
  - {id: x, demand: {p: 10/week, ps: 4/week}}
  - {id: y, demand: {p: 10/week}}
assignments: [{activity: s, people: [sandro]}, {people: [ann]}]
"""
    )
)


def test_without_gives_the_leavers_customers_to_the_others() -> None:
    # ann leaves: x and y (10 h each) go to bob and cy, one each, 10 / 40 = 25% (one each
    # beats both on one, 20 / 40 = 50%); the proposed org has no ann.
    p = propose(OFFICE, ProposeOptions(without=("ann",)))
    assert [x.id for x in p.org.people] == ["bob", "cy", "sandro"]
    assert sorted(p.primary_of.values()) == ["bob", "cy"]
    util = {x.id: x.load.utilization for x in p.after_trained.people}
    # sandro keeps s: 4 / 40 = 10%.
    assert util == {"bob": 0.25, "cy": 0.25, "sandro": 0.1}


def test_without_the_only_specialist_is_an_error() -> None:
    # Nobody else holds s: the desk cannot be taken over.
    with pytest.raises(ProposalError, match="nobody else holds the skill 's'"):
        propose(OFFICE, ProposeOptions(without=("sandro",)))


def test_keep_pins_a_key_account() -> None:
    # x kept with cy: x (10 h) on cy, 25%. y (10 h) then goes to ann or bob: the highest
    # stays 25% and the spread is the same (10² + 10²) / 40 either way; continuity decides:
    # y's owner is ann, who does its customer-facing step today.
    p = propose(OFFICE, ProposeOptions(keep=(("x", "cy"),)))
    assert p.primary_of == {"x": "cy", "y": "ann"}
    # Both kept with cy: 20 / 40 = 50%, whatever the balance would prefer (25% each).
    p = propose(OFFICE, ProposeOptions(keep=(("x", "cy"), ("y", "cy"))))
    assert p.primary_of == {"x": "cy", "y": "cy"}
    util = {x.id: x.load.utilization for x in p.after_trained.people}
    assert util["cy"] == 0.5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ProposeOptions(without=("zed",)), "--without: no person 'zed'"),
        (ProposeOptions(keep=(("q", "ann"),)), "--keep: no customer 'q'"),
        (ProposeOptions(keep=(("x", "zed"),)), "--keep: no person 'zed'"),
        (ProposeOptions(keep=(("x", "ann"),), without=("ann",)), "ann leaves"),
    ],
)
def test_constraints_name_people_and_customers_of_the_file(
    options: ProposeOptions, message: str
) -> None:
    with pytest.raises(ProposalError, match=message):
        propose(OFFICE, options)


def test_a_specialist_pool_keeps_the_shares_of_those_who_stay() -> None:
    # Issue 14: the specialist pool s of sandro, sia and sol with shares 3 : 2 : 1; sol leaves:
    # the pool stays sandro and sia with their shares 3 : 2, so sandro does 3/5 of s's 4 h a
    # week, 2.4 h (6% of 40 h), and sia 1.6 h (4%).
    text = """\
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [a]}
  - {id: sandro, skills: [s]}
  - {id: sia, skills: [s]}
  - {id: sol, skills: [s]}
activities: [{id: a, effort: 1h, customer_facing: true}, {id: s, effort: 1h, specialist: true}]
processes: [{id: p, steps: [a]}, {id: ps, steps: [s]}]
customers:
  - {id: x, demand: {p: 10/week, ps: 4/week}}
assignments:
  - {activity: s, pool: [sandro, sia, sol], shares: {sandro: 3, sia: 2, sol: 1}}
  - {people: [ann]}
"""
    p = propose(resolve(load_text(text)), ProposeOptions(without=("sol",)))
    (rule,) = [r for r in p.org.assignments if r.is_pool]
    assert rule.pool == ["sandro", "sia"]
    assert rule.shares == {"sandro": 3, "sia": 2}
    util = {x.id: x.load.utilization for x in p.after_trained.people}
    assert util["sandro"] == pytest.approx(0.06)
    assert util["sia"] == pytest.approx(0.04)
