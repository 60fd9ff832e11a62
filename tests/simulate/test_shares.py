"""Pool ``shares`` (issue 14): the analytic shares, the event engine's rule (a new item goes to
the free member furthest below their share), the kernel bit for bit, and the flow engine's
refusal."""

from __future__ import annotations

import random
import re

import pytest
from test_flow import random_office
from test_kernel import both, random_routes_office

from orgflow import OrgFileError, load_text
from orgflow.analysis.workload import workload
from orgflow.errors import SimulationError
from orgflow.simulate.engine import Simulator
from orgflow.simulate.events import EventRun

# A lightly loaded pool of two: 4 requests a week of a fixed hour, 40 working hours a week.
POOL = """
version: 1
people: [{id: ann, skills: [a]{ann}}, {id: bob, skills: [a]{bob}}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: c, demand: {p: 4/week}}]
assignments: [{activity: a, pool: [ann, bob]{shares}}]
"""


def pool(shares: str = "", ann: str = "", bob: str = "") -> str:
    return POOL.replace("{shares}", shares).replace("{ann}", ann).replace("{bob}", bob)


def loads(text: str) -> dict[str, float]:
    return {p.person: p.load_hours_per_week for p in workload(load_text(text))}


def test_analytic_hours_follow_the_shares() -> None:
    # 4 requests x 1 h = 4 h a week; shares 3 : 1 -> ann 3/4 * 4 = 3 h, bob 1/4 * 4 = 1 h.
    assert loads(pool(", shares: {ann: 3, bob: 1}")) == pytest.approx({"ann": 3.0, "bob": 1.0})
    # Without shares, by present capacity: 40 : 20 h a week -> 2/3 * 4 and 1/3 * 4.
    even = loads(pool(bob=", capacity: 20h/week"))
    assert even == pytest.approx({"ann": 8 / 3, "bob": 4 / 3})
    # Shares replace capacity: 1 : 1 whatever the capacities -> 2 h each.
    same = loads(pool(", shares: {ann: 1, bob: 1}", bob=", capacity: 20h/week"))
    assert same == pytest.approx({"ann": 2.0, "bob": 2.0})


def test_an_absent_members_share_goes_to_the_others() -> None:
    # Shares 1 : 1, ann present 50% of the time: weights 1 * 0.5 : 1 * 1 -> ann 1/3 of the
    # 4 h, 4/3 h; bob 8/3 h.
    got = loads(pool(", shares: {ann: 1, bob: 1}", ann=", availability: 0.5"))
    assert got == pytest.approx({"ann": 4 / 3, "bob": 8 / 3})


def test_pickup_any_changes_follow_the_shares() -> None:
    # A pickup: any pool of two steps: the second goes to another member with probability
    # 1 - (3/4)^2 - (1/4)^2 = 1 - 10/16 = 0.375 (even: 1 - 2 * (1/2)^2 = 0.5).
    text = pool(", pickup: any, shares: {ann: 3, bob: 1}")
    office = load_text(text.replace("steps: [a]", "steps: [a, {id: b, activity: a}]"))
    route = office.routes.routes[0]
    assert office.change_probability(route.steps[0].owners) == pytest.approx(0.375)


def test_a_lightly_loaded_pool_gives_each_member_their_share_of_items() -> None:
    # 4 requests a week of a fixed hour to a pool with shares 3 : 1. Each new item goes to the
    # free member with the least work begun of the pool's per unit of share: starting from
    # (0, 0), ann (tie, first in order) -> (1, 0): ratios 1/3 and 0 -> bob -> (1, 1): 1/3 and 1
    # -> ann, ann -> (3, 1): 1 and 1, a tie again: 3 of every 4 items to ann while both are
    # free, and an item taken by one while the other is busy is made up by the next ones. Over
    # 500 weeks (about 2,000 items), ann does 75% of the items, bob 25%: 3 h and 1 h a week,
    # utilization 3/40 = 0.075 and 1/40 = 0.025.
    sim = Simulator(load_text(pool(", shares: {ann: 3, bob: 1}")))
    run = EventRun(sim, 1, 0, 40.0 * 500, 0.0, True)
    result = run.run()
    ann, bob = run.items
    assert ann / (ann + bob) == pytest.approx(0.75, abs=0.005)
    assert result.utilization == pytest.approx([0.075, 0.025], rel=0.03)
    # The tally never drifts: the ratio of work begun differs by at most one item's worth.
    assert abs(ann - 3 * bob) <= 3


def test_without_shares_the_longest_idle_member_takes_it() -> None:
    # Today's rule: alternate between two free members (each, once done, is idle the shorter
    # time): half the items each, within a few items.
    sim = Simulator(load_text(pool()))
    run = EventRun(sim, 1, 0, 40.0 * 500, 0.0, True)
    run.run()
    ann, bob = run.items
    assert abs(ann - bob) <= 0.02 * (ann + bob)


def test_a_member_back_from_an_absence_does_not_make_up_for_it() -> None:
    # Shares 1 : 1, ann present 50% of the time (spells of 16 h): while she is away bob takes
    # everything; back, she takes her share from then on, not the work of her absence. Items
    # arriving while she is there split 1 : 1, so she does about 1/2 * 1/2 = 1/4 of them (a
    # little more: items that came while both were away go to the first back). Making up for
    # her absences would bring her towards 1/2. The longest-idle rule (no shares) gives the
    # same here. (analyze's share, w * A / sum of w * A = 0.5 / 1.5 = 1/3, is the same
    # approximation as without shares: see README, "Pools".)
    text = pool(", shares: {ann: 1, bob: 1}", ann=", availability: 0.5")
    run = EventRun(Simulator(load_text(text)), 3, 0, 40.0 * 2000, 0.0, False)
    run.run()
    ann, bob = run.items
    assert ann / (ann + bob) == pytest.approx(1 / 4, abs=0.04)
    even = EventRun(Simulator(load_text(pool(ann=", availability: 0.5"))), 3, 0, 80000.0, 0.0)
    even.run()
    assert abs(ann / (ann + bob) - even.items[0] / sum(even.items)) < 0.01


def test_the_flow_engine_refuses_a_pool_with_shares() -> None:
    sim = Simulator(load_text(pool(", shares: {ann: 3, bob: 1}")))
    assert sim.plan is None
    with pytest.raises(SimulationError, match="shares"):
        sim.check_engine("flow")


def with_shares(text: str, r: random.Random) -> str:
    """``text`` with random shares on every pool."""

    def shares(found: re.Match[str]) -> str:
        members = [m.strip() for m in found.group(1).split(",")]
        weights = ", ".join(f"{m}: {r.choice([1, 2, 3, 0.5, 1.7])}" for m in members)
        return f"pool: [{found.group(1)}], shares: {{{weights}}}"

    return re.sub(r"pool: \[([^\]]*)\]", shares, text)


def test_the_kernel_gives_the_python_engines_figures_with_shares() -> None:
    pytest.importorskip("numba")
    # Random offices (backups, pools, forks and joins, absences) and random routes (pickup:
    # any pools, reworks, alternatives), every pool with random shares: the same figures to
    # the bit, with and without absences.
    compared = 0
    for case in range(30):
        r = random.Random(7000 + case)
        if case % 2:
            text, dated = random_office(r, pools=0.9)
        else:
            text, dated = random_routes_office(r), {}
        text = with_shares(text, r)
        try:
            org = load_text(text)
        except OrgFileError:
            continue
        sim = Simulator(org, [dated.get(p.id, []) for p in org.org.people])
        if not any(sim.pool_shares):
            continue
        horizon, warmup = r.choice([(400.0, 40.0), (800.0, 100.0)])
        both(sim, case, horizon, warmup, present=False)
        both(sim, case, horizon, warmup, present=True)
        compared += 1
    assert compared >= 15
