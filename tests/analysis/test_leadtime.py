"""Lead time: the longest path through a route, with desk waits, handoff delay and absences.

Default calendar: 40 working hours a week (4/week = 0.1/h). Default absence spell D = 16 h.
Every expected figure is worked out by hand in the comments, from P-K / Erlang C and the
desk-wait definition.
"""

from __future__ import annotations

import math

import pytest

import orgflow
from orgflow.analysis.leadtime import LeadTimeModel, RouteLeadTime, StepTiming, lead_times
from orgflow.analysis.routes import build_routes

REL = 1e-9


def leads_of(text: str) -> tuple[LeadTimeModel, list[RouteLeadTime]]:
    org = orgflow.load_text(text)
    return lead_times(org, build_routes(org))


def timing(lead: RouteLeadTime, step: str) -> StepTiming:
    (found,) = [s for s in lead.steps if s.step == step]
    return found


def pk_absent(lam: float, mean: float, second: float, a: float, d: float) -> float:
    """Hand-written P-K with completion times (the definition), for one stream of jobs."""
    rho = lam * mean / a
    f = (1 - a) / (a * d)
    ec2 = second / a**2 + f * mean * 2 * d**2
    return lam * ec2 / (2 * (1 - rho))


# --- a serial office --------------------------------------------------------------------------

SERIAL = """
version: 1
org: {handoff_delay: 1h}
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [b]}
  - {id: cat, skills: [c]}
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: {dist: exponential, mean: 2h}}
  - {id: c, effort: 1h}
processes: [{id: p, steps: [a, b, c]}]
customers: [{id: acme, demand: {p: 8/week}}]
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob]}
  - {activity: c, people: [cat]}
"""

# lambda = 8/40 = 0.2/h at every desk.
# ann: M/D/1, S=1: rho=0.2, W = 0.2*1/(2*0.8) = 0.125
# bob: M/M/1, E[S]=2, E[S^2]=8: rho=0.4, W = 0.2*8/(2*0.6) = 4/3
# cat: as ann, 0.125
W_ANN, W_BOB, W_CAT = 0.125, 4 / 3, 0.125


def test_serial_office_lead_time_and_parts() -> None:
    _, (lead,) = leads_of(SERIAL)
    # customer -> W_ann -> a(1) -> 1h handoff + W_bob -> b(2) -> 1h handoff + W_cat -> c(1)
    expected = W_ANN + 1 + (1 + W_BOB) + 2 + (1 + W_CAT) + 1  # = 6.5833 h
    assert lead.lead_time_hours == pytest.approx(expected, rel=REL)
    assert lead.parts.touch == pytest.approx(4.0, rel=REL)  # 1 + 2 + 1
    assert lead.parts.queueing == pytest.approx(W_ANN + W_BOB + W_CAT, rel=REL)
    assert lead.parts.handoff == pytest.approx(2.0, rel=REL)  # two handoffs of 1h
    assert lead.parts.absence == 0.0
    assert lead.parts.total == pytest.approx(expected, rel=REL)
    assert lead.critical_path == ["a", "b", "c"]
    assert lead.flow_efficiency == pytest.approx(4.0 / expected, rel=REL)


def test_serial_office_step_timings() -> None:
    _, (lead,) = leads_of(SERIAL)
    a, b, c = timing(lead, "a"), timing(lead, "b"), timing(lead, "c")
    assert a.earliest_start == pytest.approx(W_ANN, rel=REL)
    assert b.earliest_start == pytest.approx(W_ANN + 1 + 1 + W_BOB, rel=REL)
    assert c.earliest_start == pytest.approx(W_ANN + 1 + 1 + W_BOB + 2 + 1 + W_CAT, rel=REL)
    assert [s.desk for s in lead.steps] == ["ann", "bob", "cat"]
    assert all(s.handed_over for s in lead.steps)
    assert [s.slack for s in lead.steps] == pytest.approx([0.0] * 3, abs=1e-12)
    # what it costs to reach bob's desk: 1h handoff + W_bob
    assert b.entry.handoff == pytest.approx(1.0, rel=REL)
    assert b.entry.queueing == pytest.approx(W_BOB, rel=REL)
    # the first step: desk wait only, no handoff delay
    assert a.entry.handoff == 0.0
    assert a.entry.queueing == pytest.approx(W_ANN, rel=REL)
    assert b.duration == pytest.approx(2.0, rel=REL)
    assert b.work.touch == pytest.approx(2.0, rel=REL)


# --- a parallel office: one person from A to Z ---------------------------------------------

PARALLEL = SERIAL.replace(
    """assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob]}
  - {activity: c, people: [cat]}""",
    "assignments: [{people: [dan]}]",
).replace("  - {id: ann, skills: [a]}", "  - {id: dan, skills: [a, b, c]}\n  - {id: ann}")


def test_parallel_office_waits_in_one_queue() -> None:
    model, (lead,) = leads_of(PARALLEL)
    # dan does a, b, c in one visit: S = 1 + Exp(2) + 1, E[S] = 4, Var = 4, E[S^2] = 20
    # lambda = 0.2/h -> rho = 0.8, W = 0.2*20/(2*0.2) = 10 h
    w = 0.2 * 20 / (2 * (1 - 0.8))
    assert model.person_queues["dan"].wait == pytest.approx(10.0, rel=REL)
    # lead = W + 4h of touch: no handoff delay, no second queue
    assert lead.lead_time_hours == pytest.approx(w + 4, rel=REL)
    assert lead.parts.handoff == 0.0
    assert lead.parts.queueing == pytest.approx(w, rel=REL)
    assert [s.handed_over for s in lead.steps] == [True, False, False]
    assert timing(lead, "b").entry.total == 0.0
    assert timing(lead, "b").earliest_start == pytest.approx(w + 1, rel=REL)
    assert timing(lead, "c").earliest_start == pytest.approx(w + 3, rel=REL)


def test_parallel_office_at_lower_demand() -> None:
    _, (lead,) = leads_of(PARALLEL.replace("8/week", "4/week"))
    # lambda = 0.1: rho = 0.4, W = 0.1*20/(2*0.6) = 5/3 h; lead = 5/3 + 4
    assert lead.lead_time_hours == pytest.approx(5 / 3 + 4, rel=REL)


def test_mm1_lead_time() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a]}]
activities: [{id: a, effort: {dist: exponential, mean: 1h}}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 20/week}}]
assignments: [{people: [ann]}]
"""
    _, (lead,) = leads_of(text)
    # M/M/1: lambda=0.5/h, E[S]=1h -> Wq = 1.0h; lead = Wq + E[S] = 2.0h
    assert lead.lead_time_hours == pytest.approx(2.0, rel=REL)
    assert lead.flow_efficiency == pytest.approx(0.5, rel=REL)


# --- a pool ------------------------------------------------------------------------------

POOL = """
version: 1
org: {handoff_delay: 30m}
people:
  - {id: ann, skills: [a, b]}
  - {id: bob, skills: [a, b]}
  - {id: cat, skills: [a, b]}
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: {dist: exponential, mean: 1h}}
processes: [{id: p, steps: [a, b]}]
customers: [{id: acme, demand: {p: 20/week}}]
assignments:
  - {activity: a, people: [cat]}
  - {activity: b, pool: [ann, bob]}
"""


def test_pool_lead_time() -> None:
    _, (lead,) = leads_of(POOL)
    # lambda = 0.5/h. cat: M/D/1 rho=0.5, W = 0.5*1/(2*0.5) = 0.5 h
    # pool ann+bob: M/M/2 with a = 0.5, rho = 0.25: C(2, 0.5) = 0.25/2.5 = 0.1,
    #   Wq = 0.1 * 1/(2 - 0.5) = 1/15 h
    expected = 0.5 + 1 + (0.5 + 1 / 15) + 1
    assert lead.lead_time_hours == pytest.approx(expected, rel=REL)
    assert lead.parts.queueing == pytest.approx(0.5 + 1 / 15, rel=REL)
    assert timing(lead, "b").desk == "ann+bob"


# --- DAG branches -----------------------------------------------------------------------------

BRANCHES = """
version: 1
org: {handoff_delay: 30m}
people:
  - {id: ann, skills: [a, d]}
  - {id: bob, skills: [b, c]}
  - {id: cat, skills: [c]}
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: 3h}
  - {id: c, effort: 1h}
  - {id: d, effort: 1h}
processes:
  - id: p
    steps:
      - a
      - {activity: b, after: a}
      - {activity: c, after: a}
      - {activity: d, after: [b, c]}
customers: [{id: acme, demand: {p: 4/week}}]
assignments:
  - {activity: [a, d], people: [ann]}
  - {activity: b, people: [bob]}
  - {activity: c, people: [cat]}
"""


def test_parallel_branches_by_different_people_longest_counts() -> None:
    _, (lead,) = leads_of(BRANCHES)
    # lambda = 0.1/h.
    # ann: two jobs a request (a from the customer, d from bob/cat), each 1h fixed:
    #   rho = 0.2, sum lambda E[S^2] = 0.2 -> W = 0.2/(2*0.8) = 0.125
    # bob: b 3h fixed: rho = 0.3, W = 0.1*9/(2*0.7) = 9/14
    # cat: c 1h fixed: rho = 0.1, W = 0.1*1/(2*0.9) = 1/18
    w_ann, w_bob, w_cat = 0.125, 9 / 14, 1 / 18
    finish_a = w_ann + 1
    finish_b = finish_a + 0.5 + w_bob + 3  # = 5.2679
    finish_c = finish_a + 0.5 + w_cat + 1  # = 2.6806
    start_d = max(finish_b, finish_c) + 0.5 + w_ann
    assert lead.lead_time_hours == pytest.approx(start_d + 1, rel=REL)
    assert lead.critical_path == ["a", "b", "d"]
    assert lead.parts.touch == pytest.approx(5.0, rel=REL)  # a + b + d
    assert lead.parts.queueing == pytest.approx(w_ann + w_bob + w_ann, rel=REL)
    assert lead.parts.handoff == pytest.approx(1.0, rel=REL)  # a->b, b->d
    assert timing(lead, "c").earliest_start == pytest.approx(finish_c - 1, rel=REL)
    assert timing(lead, "d").earliest_start == pytest.approx(start_d, rel=REL)


def test_slack_on_the_non_critical_branch() -> None:
    _, (lead,) = leads_of(BRANCHES)
    # c may finish as late as b does: slack = finish_b - finish_c
    #   = (0.5 + 9/14 + 3) - (0.5 + 1/18 + 1) = 2 + 9/14 - 1/18
    assert timing(lead, "c").slack == pytest.approx(2 + 9 / 14 - 1 / 18, rel=REL)
    for step in ("a", "b", "d"):
        assert timing(lead, step).slack == pytest.approx(0.0, abs=1e-12)


def test_parallel_branches_by_the_same_person_are_serialized() -> None:
    text = BRANCHES.replace("{activity: c, people: [cat]}", "{activity: c, people: [bob]}")
    _, (lead,) = leads_of(text)
    # bob now gets b and c, each received from ann: two jobs a request,
    #   rho = 0.1*3 + 0.1*1 = 0.4, sum lambda E[S^2] = 0.1*9 + 0.1*1 = 1.0 -> W = 1/(2*0.6) = 5/6
    # ann unchanged: 0.125. b and c do not depend on each other: bob does b, then c.
    w_ann, w_bob = 0.125, 5 / 6
    finish_a = w_ann + 1
    finish_b = finish_a + 0.5 + w_bob + 3
    finish_c = finish_b + 1  # c starts when b is done (its own arrival came earlier)
    expected = finish_c + 0.5 + w_ann + 1  # = 8.0833
    assert lead.lead_time_hours == pytest.approx(expected, rel=REL)
    assert lead.critical_path == ["a", "b", "c", "d"]
    assert timing(lead, "c").earliest_start == pytest.approx(finish_b, rel=REL)
    assert lead.parts.touch == pytest.approx(6.0, rel=REL)  # a + b + c + d
    assert lead.parts.handoff == pytest.approx(1.0, rel=REL)  # a->b, c->d
    assert [s.slack for s in lead.steps] == pytest.approx([0.0] * 4, abs=1e-12)


def test_same_desk_branch_continues_without_waiting() -> None:
    # a and then two branches both at ann: no queue, no handoff between them.
    text = """
version: 1
org: {handoff_delay: 1h}
people: [{id: ann, skills: [a, b, c]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 2h}, {id: c, effort: 1h}]
processes:
  - {id: p, steps: [a, {activity: b, after: a}, {activity: c, after: a}]}
customers: [{id: acme, demand: {p: 4/week}}]
assignments: [{people: [ann]}]
"""
    _, (lead,) = leads_of(text)
    # one job of 4h fixed: lambda = 0.1, rho = 0.4, W = 0.1*16/(2*0.6) = 4/3
    # lead = W + 1 + 2 + 1 (b then c, one after another)
    assert lead.lead_time_hours == pytest.approx(4 / 3 + 4, rel=REL)
    assert lead.parts.handoff == 0.0
    assert timing(lead, "c").earliest_start == pytest.approx(4 / 3 + 3, rel=REL)


# --- absences ---------------------------------------------------------------------------------

ALONE = """
version: 1
people: [{id: ann, skills: [a], availability: 0.8}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 4/week}}]
assignments: [{people: [ann]}]
"""


def test_absence_without_backup() -> None:
    model, (lead,) = leads_of(ALONE)
    # lambda = 0.1, S = 1h, A = 0.8, D = 16h.
    # W0 = 0.1*1/(2*0.9) = 1/18
    # W: rho = 0.125, E[C^2] = 1/0.64 + (0.2/12.8)*1*2*256 = 1.5625 + 8 = 9.5625,
    #    W = 0.1*9.5625/(2*0.875)
    w0 = 1 / 18
    w = 0.1 * 9.5625 / (2 * 0.875)
    assert w == pytest.approx(pk_absent(0.1, 1.0, 1.0, 0.8, 16.0), rel=REL)
    # desk wait = pi_1 W + pi_0 (D/1 + W) = 0.8 W + 0.2 (16 + W) = W + 3.2
    owners = model.routes.routes[0].steps[0].owners
    wait = model.desk_wait(owners)
    assert wait.total == pytest.approx(w + 3.2, rel=REL)
    assert wait.queueing == pytest.approx(w0, rel=REL)  # 0.8 W0 + 0.2 W0
    assert wait.absence == pytest.approx(w + 3.2 - w0, rel=REL)
    # the step: touch 1h, interrupted by absences: 1 * (1/0.8 - 1) = 0.25
    assert lead.parts.touch == pytest.approx(1.0, rel=REL)
    assert lead.parts.absence == pytest.approx(w + 3.2 - w0 + 0.25, rel=REL)
    assert lead.lead_time_hours == pytest.approx(w + 3.2 + 1.25, rel=REL)


def test_absence_with_one_backup() -> None:
    text = """
version: 1
people:
  - {id: ann, skills: [a], availability: 0.8}
  - {id: bob, skills: [a], availability: 0.9}
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 10/week}}]
assignments: [{people: [ann, bob]}]
"""
    model, (lead,) = leads_of(text)
    # lambda = 0.25/h, S = 1h fixed, D = 16h.
    # shares: ann 0.8 + 0.2*0.1 = 0.82, bob 0.2*0.9 = 0.18
    lam_ann, lam_bob = 0.25 * 0.82, 0.25 * 0.18  # 0.205, 0.045
    # W0_ann = 0.205/(2*0.795); W0_bob = 0.045/(2*0.955)
    w0_ann = lam_ann / (2 * (1 - lam_ann))
    w0_bob = lam_bob / (2 * (1 - lam_bob))
    # ann: rho = 0.205/0.8 = 0.25625, f = 0.2/12.8, E[C^2] = 1/0.64 + 8 = 9.5625
    w_ann = lam_ann * 9.5625 / (2 * (1 - 0.25625))
    # bob: rho = 0.045/0.9 = 0.05, f = 0.1/14.4, E[C^2] = 1/0.81 + (0.1/14.4)*2*256
    w_bob = lam_bob * (1 / 0.81 + 0.1 / 14.4 * 512) / (2 * (1 - 0.05))
    assert model.person_queues["ann"].wait_with_absences == pytest.approx(w_ann, rel=REL)
    assert model.person_queues["bob"].wait_with_absences == pytest.approx(w_bob, rel=REL)
    assert w_bob == pytest.approx(pk_absent(lam_bob, 1.0, 1.0, 0.9, 16.0), rel=REL)
    # pi_ann = 0.8, pi_bob = 0.2*0.9 = 0.18, pi_0 = 0.2*0.1 = 0.02, n = 2
    total = 0.8 * w_ann + 0.18 * w_bob + 0.02 * (16 / 2 + w_ann)
    queueing = 0.8 * w0_ann + 0.18 * w0_bob + 0.02 * w0_ann
    wait = model.desk_wait(model.routes.routes[0].steps[0].owners)
    assert wait.total == pytest.approx(total, rel=REL)
    assert wait.queueing == pytest.approx(queueing, rel=REL)
    assert wait.absence == pytest.approx(total - queueing, rel=REL)
    # work: touch 0.82*1 + 0.18*1 = 1; absence 0.82*(1/0.8-1) + 0.18*(1/0.9-1) = 0.205 + 0.02
    assert lead.parts.touch == pytest.approx(1.0, rel=REL)
    assert lead.lead_time_hours == pytest.approx(total + 1 + 0.225, rel=REL)


def test_absence_with_two_backups() -> None:
    text = """
version: 1
org: {absence_spell: 1w}
people:
  - {id: ann, skills: [a], availability: 0.8}
  - {id: bob, skills: [a], availability: 0.5}
  - {id: cat, skills: [a], availability: 0.9}
activities: [{id: a, effort: {dist: exponential, mean: 2h}}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 4/week}}]
assignments: [{people: [ann, bob, cat]}]
"""
    model, _ = leads_of(text)
    d = 40.0  # 1w
    # lambda = 0.1/h, Exp(2h): E[S] = 2, E[S^2] = 8.
    # pi_ann = 0.8, pi_bob = 0.2*0.5 = 0.1, pi_cat = 0.2*0.5*0.9 = 0.09, pi_0 = 0.2*0.5*0.1 = 0.01
    # shares: ann 0.8 + 0.01 = 0.81, bob 0.1, cat 0.09
    w = {
        "ann": pk_absent(0.1 * 0.81, 2.0, 8.0, 0.8, d),
        "bob": pk_absent(0.1 * 0.1, 2.0, 8.0, 0.5, d),
        "cat": pk_absent(0.1 * 0.09, 2.0, 8.0, 0.9, d),
    }
    # ann spelled out: lambda = 0.081, rho = 0.162/0.8 = 0.2025, f = 0.2/(0.8*40) = 1/160,
    # E[C^2] = 8/0.64 + (1/160)*2*2*1600 = 12.5 + 40 = 52.5, W = 0.081*52.5/(2*0.7975)
    assert w["ann"] == pytest.approx(0.081 * 52.5 / (2 * 0.7975), rel=REL)
    for person, value in w.items():
        assert model.person_queues[person].wait_with_absences == pytest.approx(value, rel=REL)
    # desk wait: sum pi_j W_j + pi_0 (D/3 + W_ann)
    total = 0.8 * w["ann"] + 0.1 * w["bob"] + 0.09 * w["cat"] + 0.01 * (d / 3 + w["ann"])
    wait = model.desk_wait(model.routes.routes[0].steps[0].owners)
    assert wait.total == pytest.approx(total, rel=REL)


def test_absence_in_a_pool() -> None:
    text = """
version: 1
people:
  - {id: ann, skills: [a], availability: 0.9}
  - {id: bob, skills: [a], availability: 0.9}
activities: [{id: a, effort: {dist: exponential, mean: 1h}}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 40/week}}]
assignments: [{pool: [ann, bob]}]
"""
    model, (lead,) = leads_of(text)
    # W_pool (see test_queueing.test_pool_with_absences) = 25/63 * 1.25 * 2.44; W0 = 1/3 (M/M/2)
    # pi_0 = 0.1 * 0.1 = 0.01, c = 2: desk wait = W_pool + 0.01 * 16/2 = W_pool + 0.08
    w_pool = 25 / 63 * 1.25 * 2.44
    wait = model.desk_wait(model.routes.routes[0].steps[0].owners)
    assert wait.total == pytest.approx(w_pool + 0.08, rel=REL)
    assert wait.queueing == pytest.approx(1 / 3, rel=REL)
    # work: 1h touch, absence 1 * (1/0.9 - 1) = 1/9
    assert lead.lead_time_hours == pytest.approx(w_pool + 0.08 + 1 + 1 / 9, rel=REL)


# --- part time --------------------------------------------------------------------------------


def test_part_timer_touch_time_is_stretched() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a], capacity: 20h/week}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 4/week}}]
assignments: [{people: [ann]}]
"""
    _, (lead,) = leads_of(text)
    # 20h of a 40h week: S = 1h * 40/20 = 2h (fixed); lambda = 0.1: rho = 0.2,
    # W = 0.1*4/(2*0.8) = 0.25; lead = 0.25 + 2
    assert lead.parts.touch == pytest.approx(2.0, rel=REL)
    assert lead.lead_time_hours == pytest.approx(2.25, rel=REL)


# --- overload ---------------------------------------------------------------------------------


def all_numbers(lead: RouteLeadTime) -> list[float]:
    numbers = [lead.lead_time_hours, lead.flow_efficiency]
    parts = [lead.parts]
    for s in lead.steps:
        numbers += [s.earliest_start, s.duration, s.slack]
        parts += [s.entry, s.work]
    for p in parts:
        numbers += [p.touch, p.queueing, p.handoff, p.absence, p.total]
    return numbers


def test_overloaded_person_gives_infinite_lead_time() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 50/week}}]
assignments: [{people: [ann]}]
"""
    _, (lead,) = leads_of(text)
    # lambda = 1.25/h, S = 1h: rho = 1.25 >= 1
    assert lead.lead_time_hours == math.inf
    assert lead.parts.queueing == math.inf
    assert lead.flow_efficiency == 0.0
    assert not any(math.isnan(x) for x in all_numbers(lead))


def test_overloaded_primary_with_a_backup_is_infinite_not_nan() -> None:
    # ann is always present (A = 1), so bob never gets work (pi_bob = 0, pi_0 = 0); the
    # 0 * inf terms of the desk-wait sum must not turn into nan.
    text = """
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [a], availability: 0.9}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 40/week}}]
assignments: [{people: [ann, bob]}]
"""
    model, (lead,) = leads_of(text)
    assert model.person_queues["bob"].arrival_rate == 0.0
    assert lead.lead_time_hours == math.inf
    assert not any(math.isnan(x) for x in all_numbers(lead))


def test_overload_in_the_middle_of_a_dag() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [b]}, {id: cat, skills: [c]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 2h}, {id: c, effort: 1h}]
processes: [{id: p, steps: [a, b, {activity: c, after: a}]}]
customers: [{id: acme, demand: {p: 20/week}}]
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob]}
  - {activity: c, people: [cat]}
"""
    _, (lead,) = leads_of(text)
    # lambda = 0.5/h: bob rho = 0.5*2 = 1.0 (overloaded); ann and cat rho = 0.5, W = 0.5
    assert lead.lead_time_hours == math.inf
    assert lead.critical_path == ["a", "b"]
    assert not any(math.isnan(x) for x in all_numbers(lead))
    # a feeds the infinite branch: critical, no slack; c can wait for ever
    assert timing(lead, "a").slack == 0.0
    assert timing(lead, "b").slack == 0.0
    assert timing(lead, "c").slack == math.inf
    assert timing(lead, "c").earliest_start == pytest.approx(0.5 + 1 + 0.5, rel=REL)


def test_overloaded_only_when_absences_count() -> None:
    text = ALONE.replace("availability: 0.8", "availability: 0.5").replace("4/week", "25/week")
    _, (lead,) = leads_of(text)
    # lambda = 0.625, S = 1h, A = 0.5: rho0 = 0.625 -> W0 = 0.625/(2*0.375) = 5/6 (finite);
    # rho = 1.25 -> W = inf: the queueing part stays finite, the absence part is infinite
    assert lead.lead_time_hours == math.inf
    assert lead.parts.queueing == pytest.approx(5 / 6, rel=REL)
    assert lead.parts.absence == math.inf
    assert not any(math.isnan(x) for x in all_numbers(lead))


def test_zero_demand_pool_does_not_crash() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 0/week}}]
assignments: [{pool: [ann, bob]}]
"""
    model, (lead,) = leads_of(text)
    assert model.pool_queues[("ann", "bob")].wait == 0.0
    # no queue: lead = touch = 1h
    assert lead.lead_time_hours == pytest.approx(1.0, rel=REL)
