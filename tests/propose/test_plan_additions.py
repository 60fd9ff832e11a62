"""propose's plan with issue 13's additions: expected visits, alternatives' shares, a rule's
effort (kept with its people, the activity's effort elsewhere), ``pickup: any`` specialist
pools, and a proposed file with the same routing (the external waits unchanged). Every
expected figure is worked out by hand in the test's comment."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import orgflow
from orgflow import cli
from orgflow.analysis.summary import analyze
from orgflow.propose.plan import ProposeOptions, _units, propose

ROOT = Path(__file__).resolve().parents[2]

REWORK = """\
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [a]}
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [{activity: a, rework: {to: a, probability: 0.5}}]}
customers:
  - {id: c, demand: {p: 4/week}}
assignments:
  - {people: [ann]}
"""


def test_a_step_visited_twice_costs_twice() -> None:
    # Rework with p = 0.5: 1 / (1 - 0.5) = 2 visits per request; 2 x 4/week x 1 h = 8 h/week.
    office = orgflow.load_text(REWORK)
    (unit,) = _units(office, set())
    assert unit.hours == {"a": pytest.approx(8.0)}
    plan = propose(office, ProposeOptions(backups=0))
    # The primary (40 h/week, always present) is at 8 / 40 = 20%, as the analysis of the
    # proposed org says.
    assert plan.highest_utilization == pytest.approx(0.2)
    loads = {p.load.person: p.load.load_hours_per_week for p in plan.after_trained.people}
    assert sum(loads.values()) == pytest.approx(8.0)
    assert max(loads.values()) == pytest.approx(8.0)


ALTERNATIVES = """\
version: 1
people:
  - {id: ann, skills: [a, b, x]}
  - {id: bob, skills: [x]}
activities:
  - {id: x, effort: 1h}
  - {id: a, effort: 1h}
  - {id: b, effort: 2h}
processes:
  - id: p
    steps:
      - x
      - {id: pick, activity: [a, b], shares: [0.25, 0.75], probability: 0.5}
customers:
  - {id: c, demand: {p: 4/week}}
assignments:
  - {activity: x, people: [bob]}
  - {people: [ann]}
"""


def test_alternatives_at_their_shares_and_optional_steps_at_their_probability() -> None:
    # x: 4 x 1 h = 4 h; the step is done for half the requests (2/week): a for a quarter of
    # them, 0.5 x 1 h = 0.5 h; b for three quarters, 1.5 x 2 h = 3 h.
    office = orgflow.load_text(ALTERNATIVES)
    (unit,) = _units(office, set())
    assert unit.hours == {
        "x": pytest.approx(4.0),
        "a": pytest.approx(0.5),
        "b": pytest.approx(3.0),
    }
    plan = propose(office, ProposeOptions(backups=0))
    # bob (lacking a and b) would take 4 + 1.25 x 3.5 = 8.375 h; ann 7.5 h, so ann takes c.
    assert plan.primary_of == {"c": "ann"}
    assert plan.highest_utilization == pytest.approx(7.5 / 40)
    # Both alternatives are in the proposed org (ann has both skills: nothing to learn).
    assert plan.training == []
    loads = {p.load.person: p.load.load_hours_per_week for p in plan.after_trained.people}
    assert loads == {"ann": pytest.approx(7.5), "bob": pytest.approx(0.0)}


RULE_EFFORT = """\
version: 1
people:
  - {id: ann, skills: [s], capacity: ANNh/week}
  - {id: pedro, skills: [s], capacity: PEDROh/week}
activities:
  - {id: s, effort: 1h}
processes:
  - {id: p, steps: [s]}
customers:
  - {id: c, demand: {p: 2/week}}
assignments:
  - {activity: s, people: [pedro], effort: 9h}
"""


def _rule_effort(ann: int, pedro: int) -> orgflow.Office:
    text = RULE_EFFORT.replace("ANN", str(ann)).replace("PEDRO", str(pedro))
    return orgflow.load_text(text)


def test_a_rule_effort_stays_with_its_people() -> None:
    # pedro (40 h) at his 9 h: 2 x 9 = 18 h, 45%; ann (2 h) at the activity's 1 h: 2 h, 100%.
    plan = propose(_rule_effort(ann=2, pedro=40), ProposeOptions(backups=0))
    assert plan.primary_of == {"c": "pedro"}
    assert plan.highest_utilization == pytest.approx(18 / 40)
    kept = [r for r in plan.org.assignments if r.effort is not None]
    assert len(kept) == 1
    assert kept[0].activity == ["s"]
    assert kept[0].people == ["pedro"]
    assert kept[0].effort is not None
    assert kept[0].effort.mean_hours(plan.office.calendar) == 9
    loads = {p.load.person: p.load.load_hours_per_week for p in plan.after_trained.people}
    assert loads["pedro"] == pytest.approx(18.0)
    assert plan.notes == []


def test_work_moving_from_a_rule_effort_takes_the_activity_effort_and_says_so() -> None:
    # pedro (10 h) at 9 h: 18 h, 180%; ann (40 h) at the activity's 1 h: 2 h, 5%.
    plan = propose(_rule_effort(ann=40, pedro=10), ProposeOptions(backups=0))
    assert plan.primary_of == {"c": "ann"}
    assert plan.highest_utilization == pytest.approx(2 / 40)
    assert all(r.effort is None for r in plan.org.assignments)
    loads = {p.load.person: p.load.load_hours_per_week for p in plan.after_trained.people}
    assert loads == {"ann": pytest.approx(2.0), "pedro": pytest.approx(0.0)}
    (note,) = plan.notes
    assert "pedro" in note
    assert "ann" in note
    assert "activity's own effort (1 h)" in note


SPECIALIST_POOL = """\
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [a]}
  - {id: sara, skills: [s]}
  - {id: paolo, skills: [s]}
activities:
  - {id: a, effort: 1h}
  - {id: s, effort: 1h, specialist: true}
processes:
  - {id: p, steps: [a, s]}
customers:
  - {id: c, demand: {p: 4/week}}
  - {id: d, demand: {p: 2/week}}
assignments:
  - {activity: s, pool: [sara, paolo], pickup: any, effort: 3h}
  - {pool: [ann, bob], pickup: any}
"""


def test_a_specialist_pool_stays_a_pickup_any_pool_with_its_effort() -> None:
    office = orgflow.load_text(SPECIALIST_POOL)
    plan = propose(office, ProposeOptions())
    desk = plan.org.assignments[0]
    assert desk.activity == ["s"]
    assert desk.pool == ["sara", "paolo"]
    assert desk.pickup == "any"
    assert desk.effort is not None
    # The desk's load is unchanged: 6 requests/week x 3 h = 18 h over sara and paolo.
    loads = {p.load.person: p.load.load_hours_per_week for p in plan.after_trained.people}
    assert loads["sara"] + loads["paolo"] == pytest.approx(18.0)
    # The customers' own work goes to one person each, who continues from A to Z.
    assert all(r.pickup == "same" for r in plan.org.assignments[1:])


def test_purchasing_proposal_keeps_the_routing_and_the_external_waits(tmp_path: Path) -> None:
    """The proposed file has the same processes (delays, stops, probabilities, alternatives,
    reworks) and months; a reorganisation changes who does the work, not the waits outside
    the office."""
    out = tmp_path / "proposal.yaml"
    result = CliRunner().invoke(
        cli.app,
        ["-q", "propose", str(ROOT / "samples" / "purchasing.yaml"), "--pods", "3", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    before = orgflow.load(ROOT / "samples" / "purchasing.yaml")
    after = orgflow.load(out)
    dump = [p.model_dump(mode="json", exclude_defaults=True) for p in before.org.processes]
    assert [p.model_dump(mode="json", exclude_defaults=True) for p in after.org.processes] == dump
    assert after.org.org.demand_by_month == before.org.org.demand_by_month
    text = out.read_text(encoding="utf-8")
    for key in ("delay:", "stop:", "probability:", "shares:", "rework:", "demand_by_month:"):
        assert key in text
    a, b = analyze(before), analyze(after)
    assert b.summary.parts.external == pytest.approx(a.summary.parts.external, rel=1e-9)
    assert a.summary.parts.external > 480  # 486.4 h of the 515.5 h
    # Loads from expected visits: the work in the proposed office is today's work.
    total = sum(p.load.load_hours_per_week for p in a.people)
    assert sum(p.load.load_hours_per_week for p in b.people) == pytest.approx(total)


POD_EFFORT = """\
version: 1
people:
  - {id: ann, skills: [s]}
  - {id: pedro, skills: [s]}
  - {id: zoe, skills: [s], capacity: 1h/week}
  - {id: max, skills: [s], capacity: 1h/week}
activities:
  - {id: s, effort: 1h}
processes:
  - {id: p, steps: [s]}
customers:
  - {id: c, demand: {p: 2/week}}
assignments:
  - {activity: s, pool: [ann, pedro], effort: 3h}
"""


def test_a_pod_of_the_rule_people_keeps_its_effort() -> None:
    # Pods of 2: ann+pedro (80 h) at their 3 h: 2 x 3 = 6 h, 7.5%; zoe+max (2 h) at the
    # activity's 1 h: 2 h, 100%. The pod of the rule's people takes c and keeps 3 h.
    plan = propose(orgflow.load_text(POD_EFFORT), ProposeOptions(pods=2))
    assert plan.primary_of == {"c": "ann+pedro"}
    assert plan.highest_utilization == pytest.approx(6 / 80)
    (kept,) = [r for r in plan.org.assignments if r.effort is not None]
    assert kept.pool == ["ann", "pedro"]
    assert kept.pickup == "same"
    loads = {p.load.person: p.load.load_hours_per_week for p in plan.after_trained.people}
    assert loads["ann"] + loads["pedro"] == pytest.approx(6.0)
