"""Issue 15, items 2 and 4: the plan is judged by the analysis of the file it writes (backups,
learning, pods' members), never called feasible while someone is over the limit there."""

from __future__ import annotations

from pathlib import Path

import pytest

import orgflow
from orgflow.analysis.summary import analyze
from orgflow.loader import load_text
from orgflow.office import resolve
from orgflow.propose.plan import ProposeOptions, propose
from orgflow.propose.writer import proposal_yaml

ROOT = Path(__file__).resolve().parents[2]

# ann holds the specialist desk s (30 requests x 1 h = 30 h of her 40 h); customer y brings
# 30 h/week of g, which both can do. Nobody is ever away.
POD = """\
version: 1
people: [{id: ann, skills: [s, g]}, {id: bob, skills: [g]}]
activities: [{id: s, effort: 1h, specialist: true}, {id: g, effort: 1h}]
processes: [{id: ps, steps: [s]}, {id: pg, steps: [g]}]
customers: [{id: x, demand: {ps: 30/week}}, {id: y, demand: {pg: 30/week}}]
assignments: [{activity: s, people: [ann]}, {activity: g, people: [bob]}]
"""


def test_a_pod_member_over_the_limit_makes_the_plan_not_feasible() -> None:
    # One pod, ann+bob: the optimiser sees 80 h of capacity with 30 h fixed and y's 30 h,
    # (30 + 30) / 80 = 75%, under 85%. The written pool shares y's work by present
    # capacity, 40 : 40, 15 h each: ann 30 + 15 = 45 h / 40 h = 112.5%, bob 15 / 40 = 37.5%.
    # No other plan exists (one pod), so the plan is not feasible, and says why: the office
    # has 80 h for 60 h of work (60 / 0.85 = 70.6 h < 80 h), so the work does not split.
    p = propose(resolve(load_text(POD)), ProposeOptions(pods=2))
    assert p.highest_utilization == pytest.approx(1.125)
    assert not p.feasible
    assert p.problems[0] == (
        "the office cannot be balanced under 85%: the best plan found puts ann at 112.5% while "
        "learning and 112.5% once trained (the analysis of the proposed file); there is enough "
        "capacity in total, but work cannot be split finely enough (large customers or "
        "specialist desks)"
    )
    # The optimiser sees the pod as its busiest member (orgflow/propose/pods.py): 80 h of
    # capacity with fixed work 80 x 30/40 = 60 h, plus y's 30 h: 90 / 80 = 112.5%, ann's.
    assert p.balances[0][1].highest == pytest.approx(1.125)


def test_the_printed_highest_utilization_is_analyze_of_the_written_file() -> None:
    # Without pods: y goes to bob (g at 30 / 40 = 75%) or ann (30 + 30 = 150%): bob. ann
    # alone holds the specialist skill s, so she is no generalist backup (issue 15, item 3):
    # bob has none, and the plan says so. Nobody learns anything, so learning and trained
    # agree. The written file, analysed on its own, gives the same highest utilization:
    # ann's 30 / 40 = 75% and bob's 75%.
    p = propose(resolve(load_text(POD)), ProposeOptions())
    again = analyze(resolve(load_text(proposal_yaml(p))))
    highest = max(x.load.utilization for x in again.people)
    assert highest == pytest.approx(0.75)
    assert p.highest_utilization == pytest.approx(highest)
    assert p.problems == [
        "bob has 0 of 1 backup: nobody else may cover (ann: sole specialist or will not "
        "learn the work)"
    ]


def analysed_highest(text: str, new_skills: dict[str, set[str]], pace: float) -> float:
    """The highest utilization of the written file, worked out here from the README's rule
    (propose, "Before and after"), not by the plan: the file analysed as it is (trained),
    and with each trainee's capacity scaled by L / (L + (pace - 1) N), L their hours a week
    in that analysis, N the part of it in skills new to them; the higher of the two."""
    from orgflow.units import Capacity, Duration

    office = resolve(load_text(text))
    trained = analyze(office)
    skill_of = {a.id: a.skill_id for a in office.org.activities}
    people = []
    for person, x in zip(office.org.people, trained.people, strict=True):
        work = x.load.load_hours_per_week
        new = sum(
            h for a, h in x.load.activities.items() if skill_of[a] in new_skills.get(person.id, ())
        )
        hours = office.capacity[person.id] * (work / (work + (pace - 1) * new) if new else 1.0)
        people.append(
            person.model_copy(update={"capacity": Capacity(Duration(hours, "h"), "week")})
        )
    learning = analyze(office.with_people(people))
    return max(x.load.utilization for a in (trained, learning) for x in a.people)


def test_large_office_pods_not_feasible_while_someone_is_over() -> None:
    # The case (`--pods 2`: reported 71.3% while gabriele.costa was at 102%): the plan
    # is repaired until the analysis is within 85%, or it is not called feasible. The
    # figure is checked against the written file analysed here.
    office = orgflow.load(ROOT / "samples" / "large-office.yaml")
    p = propose(office, ProposeOptions(pods=2))
    before = {x.id: set(x.skills) for x in office.org.people}
    after = {x.id: set(x.skills) for x in p.org.people}
    new_skills = {pid: after[pid] - before[pid] for pid in after}
    highest = analysed_highest(proposal_yaml(p), new_skills, 1.25)
    assert p.highest_utilization == pytest.approx(highest)
    # The repair finds a plan within the limit (gabriele.costa was at 102%).
    assert highest <= 0.85
    assert p.feasible
