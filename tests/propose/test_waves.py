"""Issue 15, the migration plan: waves of customer moves that keep everyone's load under the
limit while they learn (orgflow/propose/waves.py); figures worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orgflow.loader import load_text
from orgflow.office import resolve
from orgflow.propose.plan import ProposeOptions, propose
from orgflow.propose.waves import HANDOVER_WEEKS, Handover, plan_waves
from orgflow.render.propose import render_proposal_json, render_proposal_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_two_new_skills_at_once_would_overload_so_they_come_in_two_waves() -> None:
    # ann does x and y today (20 h each, 40 of her 56 h); both go to bob (56 h, idle), who
    # lacks both skills (g for x, h for y). Together while learning: 2 x 20 x 1.25 = 50 h,
    # 50 / 56 = 89.3% > 85%. Wave 1, x alone: 25 / 56 = 44.6% (ann 20 / 56 = 35.7%).
    # Wave 2: x is learnt (20 h) and y is new (25 h): 45 / 56 = 80.4%, under 85%.
    # Each wave teaches a skill: 4 weeks; 20 h/week of new work x 4 weeks = 80 training hours.
    x = Handover("x", "ann", "bob", {"ann": 20.0}, {"bob": {"g": 20.0}})
    y = Handover("y", "ann", "bob", {"ann": 20.0}, {"bob": {"h": 20.0}})
    waves, notes = plan_waves(
        [x, y],
        {"ann": 40.0},
        {"ann": 56.0, "bob": 56.0},
        {"ann": frozenset({"g", "h"}), "bob": frozenset()},
        limit=0.85,
        pace=1.25,
        training_weeks=4,
    )
    assert [w.customers for w in waves] == [("x",), ("y",)]
    assert [w.highest_utilization for w in waves] == pytest.approx([25 / 56, 45 / 56])
    assert [w.busiest for w in waves] == ["bob", "bob"]
    assert [w.training_hours for w in waves] == pytest.approx([80.0, 80.0])
    assert [w.weeks for w in waves] == [4, 4]
    assert notes == []


def test_a_cycle_of_moves_goes_in_one_wave() -> None:
    # ann, bob and cid (40 h each) are at 32 h (80%), 10 h of it for one customer each: x goes
    # from ann to bob, y from bob to cid, z from cid to ann, nobody learns. Any move alone puts
    # its receiver at 42 / 40 = 105%; all three together leave everyone at 32 h, 80%: one
    # wave, a handover of HANDOVER_WEEKS (1 week), no training.
    people = ("ann", "bob", "cid")
    moves = [
        Handover(c, a, b, {a: 10.0}, {b: {"g": 10.0}})
        for c, a, b in [("x", "ann", "bob"), ("y", "bob", "cid"), ("z", "cid", "ann")]
    ]
    waves, notes = plan_waves(
        moves,
        dict.fromkeys(people, 32.0),
        dict.fromkeys(people, 40.0),
        dict.fromkeys(people, frozenset({"g"})),
        limit=0.85,
        pace=1.25,
        training_weeks=4,
    )
    assert len(waves) == 1
    assert sorted(waves[0].customers) == ["x", "y", "z"]
    assert waves[0].highest_utilization == pytest.approx(0.8)
    assert waves[0].weeks == HANDOVER_WEEKS == 1
    assert waves[0].training_hours == 0
    assert notes == []


def test_a_move_that_fits_no_wave_is_named() -> None:
    # bob (40 h) takes x's 40 h in a skill he lacks: 40 x 1.25 = 50 h, 125% while learning,
    # whatever the order: a wave of its own and a note.
    x = Handover("x", "ann", "bob", {"ann": 40.0}, {"bob": {"g": 40.0}})
    waves, notes = plan_waves(
        [x],
        {"ann": 40.0},
        {"ann": 40.0, "bob": 40.0},
        {"ann": frozenset({"g"}), "bob": frozenset()},
        limit=0.85,
        pace=1.25,
        training_weeks=4,
    )
    assert waves[0].highest_utilization == pytest.approx(1.25)
    assert notes == [
        "wave 1 puts someone over the 85% limit while learning (moves that fit under it in no "
        "wave); the worst: wave 1, bob at 125%"
    ]


def test_a_customer_already_with_its_primary_does_not_move() -> None:
    same = Handover("x", "ann", "ann", {"ann": 10.0}, {"ann": {"g": 10.0}})
    waves, _ = plan_waves(
        [same], {"ann": 10.0}, {"ann": 40.0}, {"ann": frozenset({"g"})},
        limit=0.85, pace=1.25, training_weeks=4,
    )  # fmt: skip
    assert waves == []


# One desk per step today: ann intakes (i, 1 h), bob processes (p, 2 h); 10 requests/week
# each for x and y. Both work 50 h/week and are never away.
SERIAL = """\
version: 1
people:
  - {id: ann, skills: [i], capacity: 50h/week}
  - {id: bob, skills: [p], capacity: 50h/week}
activities: [{id: i, effort: 1h, customer_facing: true}, {id: p, effort: 2h}]
processes: [{id: order, steps: [i, p]}]
customers: [{id: x, demand: {order: 10/week}}, {id: y, demand: {order: 10/week}}]
assignments: [{activity: i, people: [ann]}, {activity: p, people: [bob]}]
"""


def test_the_proposal_plans_its_moves_as_waves_in_json_and_markdown() -> None:
    # Today ann does 2 x 10 x 1 h = 20 h (40%), bob 2 x 10 x 2 h = 40 h (80%). Each customer
    # is 10 x (1 + 2) = 30 h/week; the plan gives one to each (either way: the office is
    # symmetric in x and y). ann learns p: 10 h of i + 20 h of p x 1.25 = 35 h, 70%; bob
    # learns i: 20 h of p + 10 h x 1.25 = 32.5 h, 65%. One move alone overloads its taker:
    # ann with her customer and the other's intake, 20 - 10 + 35 = 45 h, 90% > 85%; bob
    # 40 - 20 + 32.5 = 52.5 h, 105%. Together (each hands over to the other) it fits: one
    # wave of 4 weeks (both learn), ann 70% the busiest, training (20 + 10) x 4 = 120 h.
    p = propose(resolve(load_text(SERIAL)), ProposeOptions(backups=0))
    assert len(p.waves) == 1
    wave = p.waves[0]
    assert sorted(wave.customers) == ["x", "y"]
    assert (wave.busiest, wave.weeks) == ("ann", 4)
    assert wave.highest_utilization == pytest.approx(0.70)
    assert wave.training_hours == pytest.approx(120.0)
    data = json.loads(render_proposal_json(p, None))
    assert data["waves"][0]["wave"] == 1
    assert data["waves"][0]["highest_utilization"] == pytest.approx(0.70)
    assert sorted(m["from"] for m in data["waves"][0]["moves"]) == ["ann", "ann"]
    assert sorted(data["waves"][0]) == [
        "customers", "highest_utilization", "moves", "training_hours", "wave", "weeks"
    ]  # fmt: skip
    assert "## Migration plan" in render_proposal_markdown(p, None)
    # The HTML report (propose --report) has the same wave after the training plan: two
    # customers moved, 120 training hours, 4 weeks, ann at 70% the busiest.
    from orgflow.render.html import proposal_section

    html = proposal_section(p)
    assert html.index("<h2>Training plan</h2>") < html.index("<h2>Migration plan</h2>")
    assert "<td>2: " in html
    assert '<td class="num">120</td><td class="num">4</td>' in html
    assert "70% (ann)" in html


def test_someone_over_the_limit_today_and_untouched_is_no_note_of_the_wave() -> None:
    # cid is at 36 of 40 h today (90%) and takes no part: the wave (x from ann to bob, 10 h,
    # both hold g: bob 10 / 40 = 25%) is the office at 90% (cid), but raises nobody over 85%.
    x = Handover("x", "ann", "bob", {"ann": 10.0}, {"bob": {"g": 10.0}})
    waves, notes = plan_waves(
        [x],
        {"ann": 10.0, "cid": 36.0},
        {"ann": 40.0, "bob": 40.0, "cid": 40.0},
        {p: frozenset({"g"}) for p in ("ann", "bob", "cid")},
        limit=0.85,
        pace=1.25,
        training_weeks=4,
    )
    assert (waves[0].busiest, waves[0].highest_utilization) == ("cid", pytest.approx(0.9))
    assert waves[0].weeks == 1
    assert notes == []
