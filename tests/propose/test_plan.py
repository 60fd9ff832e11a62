"""The proposal on the samples: handoffs, contacts, risks, specialists, infeasibility."""

from __future__ import annotations

from pathlib import Path

import pytest

import orgflow
from orgflow.analysis.summary import analyze
from orgflow.propose.plan import ProposeOptions, propose
from orgflow.propose.writer import dump_org

ROOT = Path(__file__).resolve().parents[2]
SERIAL = orgflow.load(ROOT / "samples" / "serial.yaml")


@pytest.fixture(scope="module")
def proposal() -> object:
    return propose(SERIAL, ProposeOptions())


def test_serial_proposal_removes_every_non_specialist_handoff(proposal: object) -> None:
    from orgflow.propose.plan import Proposal

    assert isinstance(proposal, Proposal)
    after = proposal.after_trained
    specialist = {a.id for a in SERIAL.org.activities if a.specialist}  # certificates
    for r in after.routes:
        desk = {s.step: s.owners.desk for s in r.route.steps}
        activity = {s.step: s.activity for s in r.route.steps}
        for s in r.route.steps:
            for pred in s.after:
                if desk[pred] != desk[s.step]:
                    # The only handoffs left go to or come from the specialist desk.
                    assert specialist & {activity[pred], activity[s.step]}


def test_serial_proposal_one_contact_no_single_point_of_failure(proposal: object) -> None:
    from orgflow.propose.plan import Proposal

    assert isinstance(proposal, Proposal)
    after = proposal.after_trained
    assert all(len(c.contacts) == 1 for c in after.customers)
    # Every step has a backup (the certificates desk too: paolo holds the skill), so nobody's
    # absence alone stops any request.
    assert all(p.blocked_share == 0 for p in after.people)
    assert proposal.feasible
    assert all(p.load.utilization <= 0.85 for p in after.people)
    assert all(p.load.utilization <= 0.85 for p in proposal.after.people)


def test_specialist_activity_stays_with_its_holder(proposal: object) -> None:
    from orgflow.propose.plan import Proposal

    assert isinstance(proposal, Proposal)
    rules = [r for r in proposal.org.assignments if r.activity == ["certificates"]]
    assert len(rules) == 1
    assert rules[0].people is not None
    assert rules[0].people[0] == "sandro"  # the holder stays primary
    # Nobody is trained in a specialist skill.
    assert all(t.skill != "certificates" for t in proposal.training)


def test_training_plan_lists_missing_skills(proposal: object) -> None:
    from orgflow.propose.plan import Proposal

    assert isinstance(proposal, Proposal)
    by_person: dict[str, set[str]] = {}
    for t in proposal.training:
        by_person.setdefault(t.person, set()).add(t.skill)
        assert t.hours_per_week > 0
    skills = {p.id: set(p.skills) for p in SERIAL.org.people}
    for person, learnt in by_person.items():
        assert not learnt & skills[person]  # only skills they lack
    hours = [t.hours_per_week for t in proposal.training]
    assert hours == sorted(hours, reverse=True)  # ranked
    assert proposal.training_hours == pytest.approx(sum(hours))


def test_output_round_trips_through_the_loader(proposal: object, tmp_path: Path) -> None:
    from orgflow.propose.plan import Proposal

    assert isinstance(proposal, Proposal)
    text = dump_org(proposal.org, new_skills=proposal.new_skills)
    assert "# new:" in text
    path = tmp_path / "proposal.yaml"
    path.write_text(text)
    again = orgflow.load(path)
    assert again.org.model_dump() == proposal.org.model_dump()
    assert [p.id for p in again.org.people] == [
        p.id for p in SERIAL.org.people
    ]  # ids and order kept
    assert [c.id for c in again.org.customers] == [c.id for c in SERIAL.org.customers]
    assert analyze(again).summary.lead_time_hours == pytest.approx(
        proposal.after_trained.summary.lead_time_hours
    )


def test_infeasible_office_gets_a_plain_explanation() -> None:
    # Two people of 40 h, one customer wanting 100 h of work a week: at most 85% of 80 h is
    # 68 h, so about 100 / 0.85 - 80 = 37.6 h/week of capacity is missing.
    org = orgflow.load_text("""
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: c1, demand: {p: 50/week}}, {id: c2, demand: {p: 50/week}}]
assignments: [{customers: [c1], people: [ann]}, {customers: [c2], people: [bob]}]
""")
    result = propose(org, ProposeOptions())
    assert not result.feasible
    assert "cannot be balanced under 85%" in result.problems[0]
    assert "38 h/week of present capacity is missing" in result.problems[0]
    # The best feasible plan is still proposed: one customer each, at 125%.
    assert result.highest_utilization == pytest.approx(1.25)


def test_by_region_keeps_people_in_their_area() -> None:
    result = propose(SERIAL, ProposeOptions(by="region"))
    region_of_customer = {c.id: c.region for c in SERIAL.org.customers}
    region_of_person = {p.id: p.region for p in SERIAL.org.people}
    for customer, primary in result.primary_of.items():
        # Every primary serves one area only.
        areas = {region_of_customer[c] for c, s in result.primary_of.items() if s == primary}
        assert len(areas) == 1
        del customer
    assert result.feasible
    moved = {
        s
        for s in result.primary_of.values()
        if region_of_person[s]
        not in {region_of_customer[c] for c, x in result.primary_of.items() if x == s}
    }
    # A few people may change area to balance the load: the utilization comes before the
    # people kept in their area (README, regions). Three of seven here, for a highest
    # utilization of 75.2% while learning; the allocation that moved two gave 78.7%.
    assert len(moved) <= 3


def test_pods_share_a_pool() -> None:
    result = propose(SERIAL, ProposeOptions(pods=2))
    pools = [r for r in result.org.assignments if r.pool is not None]
    assert pools
    assert all(len(r.pool or []) in (1, 2) for r in pools)


def test_a_customer_too_large_for_anyone_is_named() -> None:
    # Three people of 40 h, one customer wanting 60 h of work a week: 60 / 120 = 50% in total,
    # but by customer one primary takes it all, 60 / 40 = 150%; at most 0.85 x 40 = 34 h/week
    # fits one person, so the problem names the customer and says what to do.
    org = orgflow.load_text("""
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [a]}, {id: cid, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: big, demand: {p: 60/week}}]
assignments: [{customers: [big], pool: [ann, bob, cid]}]
""")
    result = propose(org, ProposeOptions())
    assert not result.feasible
    assert result.highest_utilization == pytest.approx(1.5)
    assert (
        "customer 'big' alone has 60.0 h/week of work, more than anyone can take under the "
        "limit (34.0 h/week)" in result.problems[0]
    )
