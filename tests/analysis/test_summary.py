"""``analyze``: demand-weighted summary, per-customer and per-person results."""

from __future__ import annotations

import math

import pytest

import orgflow
from orgflow.analysis.summary import Analysis, analyze, weighted_mean

REL = 1e-9


def analysis_of(text: str) -> Analysis:
    return analyze(orgflow.load_text(text))


TWO_ROUTES = """
version: 1
org: {handoff_delay: 30m}
people:
  - {id: ann, skills: [a, b]}
  - {id: bob, skills: [a, b]}
  - {id: cat, skills: [a, b]}
activities:
  - {id: a, effort: {dist: exponential, mean: 1h}, customer_facing: true}
  - {id: b, effort: 1h, customer_facing: true}
processes: [{id: p, steps: [a, b]}]
customers:
  - {id: c1, demand: {p: 4/week}}
  - {id: c2, demand: {p: 12/week}}
assignments:
  - {customers: [c1], activity: a, people: [ann]}
  - {customers: [c1], activity: b, people: [cat]}
  - {customers: [c2], people: [bob]}
"""

# c1 (4/week, lambda = 0.1/h): a at ann, b at cat, one 30m handoff.
#   ann: M/M/1, E[S] = 1: W = 0.1*2/(2*0.9) = 1/9; cat: M/D/1, S = 1: W = 0.1/(2*0.9) = 1/18
#   lead = 1/9 + 1 + 0.5 + 1/18 + 1 = 2.5 + 1/6
LEAD_C1 = 1 / 9 + 1 + 0.5 + 1 / 18 + 1
# c2 (12/week, lambda = 0.3/h): bob from A to Z, one job S = Exp(1) + 1:
#   E[S] = 2, Var = 1, E[S^2] = 5; rho = 0.6, W = 0.3*5/(2*0.4) = 1.875; lead = 1.875 + 2
LEAD_C2 = 1.875 + 2


def test_summary_is_demand_weighted() -> None:
    result = analysis_of(TWO_ROUTES)
    s = result.summary
    assert s.requests_per_week == pytest.approx(16.0, rel=REL)
    # lead = (4 * 2.6667 + 12 * 3.875) / 16
    lead = (4 * LEAD_C1 + 12 * LEAD_C2) / 16
    assert s.lead_time_hours == pytest.approx(lead, rel=REL)
    # handoffs: c1 one (a -> b), c2 none: (4*1 + 12*0)/16 = 0.25
    assert s.handoffs_per_request == pytest.approx(0.25, rel=REL)
    # parts: touch 2 on both routes; queueing (4*(1/9 + 1/18) + 12*1.875)/16;
    # handoff 4*0.5/16 = 0.125
    assert s.parts.touch == pytest.approx(2.0, rel=REL)
    assert s.touch_time_hours == pytest.approx(2.0, rel=REL)
    assert s.parts.queueing == pytest.approx((4 * (1 / 9 + 1 / 18) + 12 * 1.875) / 16, rel=REL)
    assert s.parts.handoff == pytest.approx(0.125, rel=REL)
    assert s.parts.absence == 0.0
    assert s.parts.total == pytest.approx(lead, rel=REL)
    assert s.flow_efficiency == pytest.approx(2.0 / lead, rel=REL)
    # contacts (a and b are customer-facing): c1 ann and cat (2), c2 bob (1):
    # (4*2 + 12*1)/16 = 1.25
    assert s.contacts_per_customer == pytest.approx(1.25, rel=REL)
    assert s.overloaded == []


def test_summary_risk_figures() -> None:
    s = analysis_of(TWO_ROUTES).summary
    # bob alone stops c2: 12 of 16 requests/week; ann and cat 4 of 16 each
    assert s.worst_person == "bob"
    assert s.worst_blocked_share == pytest.approx(0.75, rel=REL)
    # bob's absence stops 12/16 >= half: truck factor 1
    assert (s.truck_factor.value, s.truck_factor.people) == (1, ["bob"])
    assert s.truck_factor.stopped_share == pytest.approx(0.75, rel=REL)


def test_route_customer_and_person_results() -> None:
    result = analysis_of(TWO_ROUTES)
    # routes: busiest first -> c2 (route 1), c1 (route 2)
    assert [r.route.customers for r in result.routes] == [["c2"], ["c1"]]
    r1, r2 = result.routes
    assert (r1.chain, r1.handoffs, r1.bus_factor) == (["bob"], 0, 1)
    assert (r2.chain, r2.handoffs, r2.bus_factor) == (["ann", "cat"], 1, 1)
    assert r1.lead.lead_time_hours == pytest.approx(LEAD_C2, rel=REL)
    assert r2.lead.lead_time_hours == pytest.approx(LEAD_C1, rel=REL)
    customers = {c.id: c for c in result.customers}
    assert customers["c1"].contacts == ["ann", "cat"]
    assert customers["c1"].handoffs_per_request == pytest.approx(1.0, rel=REL)
    assert customers["c1"].lead_time_hours == pytest.approx(LEAD_C1, rel=REL)
    assert customers["c2"].requests_per_week == pytest.approx(12.0, rel=REL)
    people = {p.id: p for p in result.people}
    # bob: 12 requests * 2h = 24 h/week of 40 = 0.6; his queue wait 1.875
    assert people["bob"].load.utilization == pytest.approx(0.6, rel=REL)
    assert people["bob"].queue_wait_hours == pytest.approx(1.875, rel=REL)
    assert people["ann"].blocked_share == pytest.approx(0.25, rel=REL)
    # handoff graph: ann -> cat, 4/week
    assert result.handoffs == {("ann", "cat"): pytest.approx(4.0, rel=REL)}
    assert result.handoff_delay_hours == pytest.approx(0.5, rel=REL)
    assert result.absence_spell_hours == pytest.approx(16.0, rel=REL)


def test_customer_lead_time_is_weighted_over_their_routes() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [b]}]
activities:
  - {id: a, effort: {dist: exponential, mean: 1h}}
  - {id: b, effort: {dist: exponential, mean: 1h}}
processes: [{id: p, steps: [a]}, {id: q, steps: [b]}]
customers:
  - {id: acme, demand: {p: 10/week, q: 30/week}}
  - {id: other, demand: {p: 10/week}}
assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}]
"""
    result = analysis_of(text)
    # p: 20/week at ann, lambda = 0.5, M/M/1: W = 1, lead = 2
    # q: 30/week at bob, lambda = 0.75, M/M/1: W = 0.75/0.25 = 3, lead = 4
    customers = {c.id: c for c in result.customers}
    # acme: (10*2 + 30*4)/40 = 3.5; other: 2
    assert customers["acme"].lead_time_hours == pytest.approx(3.5, rel=REL)
    assert customers["acme"].requests_per_week == pytest.approx(40.0, rel=REL)
    assert customers["other"].lead_time_hours == pytest.approx(2.0, rel=REL)
    # office: (20*2 + 30*4)/50 = 3.2; touch 1 -> flow efficiency 1/3.2
    assert result.summary.lead_time_hours == pytest.approx(3.2, rel=REL)
    assert result.summary.flow_efficiency == pytest.approx(1 / 3.2, rel=REL)
    assert result.summary.handoffs_per_request == 0.0


def test_overloaded_office_summary_is_infinite_and_has_no_nan() -> None:
    result = analysis_of(TWO_ROUTES.replace("12/week", "20/week"))
    s = result.summary
    # c2: lambda = 0.5/h, bob's E[S] = 2h: rho = 1.0 -> overloaded
    assert s.overloaded == ["bob"]
    assert s.lead_time_hours == math.inf
    assert s.flow_efficiency == 0.0
    assert s.parts.queueing == math.inf
    numbers = [
        s.lead_time_hours,
        s.handoffs_per_request,
        s.flow_efficiency,
        s.contacts_per_customer,
        s.parts.touch,
        s.parts.queueing,
        s.parts.handoff,
        s.parts.absence,
    ]
    numbers += [c.lead_time_hours for c in result.customers]
    numbers += [p.queue_wait_hours for p in result.people]
    assert not any(math.isnan(x) for x in numbers)
    # c1 is not affected: ann and cat keep their queues
    customers = {c.id: c for c in result.customers}
    assert customers["c1"].lead_time_hours == pytest.approx(LEAD_C1, rel=REL)
    assert customers["c2"].lead_time_hours == math.inf


def test_customer_with_an_idle_route_through_an_overloaded_desk() -> None:
    text = """
version: 1
people: [{id: ann, skills: [b]}, {id: bob, skills: [a]}]
activities:
  - {id: a, effort: {dist: exponential, mean: 1h}}
  - {id: b, effort: {dist: exponential, mean: 1h}}
processes: [{id: p, steps: [a]}, {id: q, steps: [b]}]
customers:
  - {id: busy, demand: {p: 40/week}}
  - {id: mixed, demand: {p: 0/week, q: 20/week}}
assignments: [{activity: a, people: [bob]}, {activity: b, people: [ann]}]
"""
    result = analysis_of(text)
    customers = {c.id: c for c in result.customers}
    # bob: 40/week of 1h = lambda 1/h, rho = 1: overloaded, route p is infinite.
    # mixed: p (0/week, infinite, weight 0) and q (20/week) at ann: M/M/1 lambda = 0.5,
    # W = 1, lead = 2. The idle route must not count (0 * inf would be nan).
    assert customers["mixed"].lead_time_hours == pytest.approx(2.0, rel=REL)
    assert customers["busy"].lead_time_hours == math.inf
    assert result.summary.lead_time_hours == math.inf


def test_weighted_mean() -> None:
    # (1*1 + 3*3)/(1 + 3) = 2.5
    assert weighted_mean([(1.0, 1.0), (3.0, 3.0)]) == pytest.approx(2.5, rel=REL)
    assert weighted_mean([]) == 0.0
    assert weighted_mean([(5.0, 0.0)]) == 0.0
    assert weighted_mean([(math.inf, 1.0), (1.0, 1.0)]) == math.inf
    # an infinite value nobody asks for does not count
    assert weighted_mean([(math.inf, 0.0), (2.0, 1.0)]) == pytest.approx(2.0, rel=REL)


def test_package_level_analyze() -> None:
    org = orgflow.load_text(TWO_ROUTES)
    assert orgflow.analyze(org).summary.lead_time_hours == pytest.approx(
        (4 * LEAD_C1 + 12 * LEAD_C2) / 16, rel=REL
    )


def test_networkx_views_of_the_serial_sample() -> None:
    from pathlib import Path

    import orgflow

    root = Path(__file__).resolve().parents[2]
    a = orgflow.analyze(orgflow.load(root / "samples" / "serial.yaml"))
    handoffs = a.handoff_graph()
    # 17 requests a week (14.5 orders + 2.5 certified orders) cross every desk in series;
    # planning hands to shipping for orders (14.5) and to certificates for certified ones
    # (2.5), which hand to shipping (2.5). Confirmation (giulia) feeds shipping for all 17.
    assert handoffs["lucia"]["marco"]["requests_per_week"] == pytest.approx(17)
    assert handoffs["paolo"]["sara"]["requests_per_week"] == pytest.approx(14.5)
    assert handoffs["paolo"]["sandro"]["requests_per_week"] == pytest.approx(2.5)
    assert handoffs["giulia"]["sara"]["requests_per_week"] == pytest.approx(17)
    assert handoffs.number_of_edges() == 8
    work = a.person_activity_graph()
    # Seven people, eight activities, each activity done by one person: 8 edges.
    assert work.number_of_nodes() == 15
    assert work.number_of_edges() == 8
    # marco: quotation 17/week x 1.25 h (PERT (0.5 + 4 + 3) / 6) = 21.25 h/week.
    assert work[("person", "marco")][("activity", "quotation")]["hours_per_week"] == (
        pytest.approx(21.25)
    )


def test_executions_per_week_are_expected_visits_times_the_rate() -> None:
    # 4 requests a week. a: every request, 4/week. 25% stop after a, so b: 0.75 x 4 = 3/week;
    # then c or d, shares 0.3 and 0.7 of those 3: 0.9 and 2.1/week. e is sent back to itself
    # with probability 0.5: expected visits 1/(1 - 0.5) = 2 per request reaching it, 3 x 2 = 6.
    office = orgflow.load_text(
        """
version: 1
people: [{id: ann, skills: [s]}]
activities:
  - {id: a, effort: 1h, skill: s}
  - {id: b, effort: 1h, skill: s}
  - {id: c, effort: 1h, skill: s}
  - {id: d, effort: 1h, skill: s}
  - {id: e, effort: 1h, skill: s}
processes:
  - id: p
    steps:
      - {activity: a, stop: 0.25}
      - b
      - {activity: [c, d], shares: [0.3, 0.7]}
      - {activity: e, rework: {to: e, probability: 0.5}}
customers: [{id: k, demand: {p: 4/week}}]
assignments: [{people: [ann]}]
"""
    )
    per_week = {a.id: a.executions_per_week for a in analyze(office).activities}
    assert per_week == pytest.approx({"a": 4.0, "b": 3.0, "c": 0.9, "d": 2.1, "e": 6.0})


def test_analysis_without_the_solver_gives_the_greedy_truck_factor() -> None:
    # 40 people: the exhaustive search stops within its budget, then HiGHS proves the answer
    # ("exact"); without the solver (orgflow simulate, which reports no truck factor) the greedy
    # group is the answer, marked "greedy", never smaller than the exact one.
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    office = orgflow.load(root / "samples" / "large-office.yaml")
    exact = analyze(office).summary.truck_factor
    greedy = analyze(office, exact_truck_factor=False).summary.truck_factor
    assert exact.method == "exact"
    assert greedy.method == "greedy"
    assert greedy.value is not None
    assert exact.value is not None
    assert greedy.value >= exact.value
    assert greedy.lower_bound <= exact.value
