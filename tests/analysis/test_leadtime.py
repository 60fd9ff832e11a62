"""Lead time: the longest path through a route, with desk waits, handoff delay and absences.

Default calendar: 40 working hours a week (4/week = 0.1/h). Default absence spell D = 16 h.
Every expected figure is worked out by hand in the comments, from P-K / Erlang C and the
desk-wait definition.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

import orgflow
from orgflow.analysis.leadtime import LeadTimeModel, RouteLeadTime, StepTiming, lead_times
from orgflow.analysis.queueing import modulated_queue

REL = 1e-9


def leads_of(text: str) -> tuple[LeadTimeModel, list[RouteLeadTime]]:
    return lead_times(orgflow.load_text(text))


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
# Downstream, arrivals carry the departure variability of the desk before (Whitt's QNA,
# c_d^2 = rho^2 c_s^2 + (1 - rho^2) c_a^2), and the wait is Kraemer & Langenbach-Belz's:
# P-K times (ca^2 + cs^2)/(1 + cs^2) g, g = exp(-2(1 - rho)(1 - ca^2)^2 / (3 rho (ca^2 + cs^2))).
# ann's departures: 0.04*0 + 0.96*1 = 0.96, all to bob.
# bob: M/M/1 P-K, E[S]=2, E[S^2]=8: rho=0.4, 0.2*8/(2*0.6) = 4/3; ca^2 = 0.96, cs^2 = 1:
#   (1.96/2) * exp(-2*0.6*0.0016/(3*0.4*1.96)) = 0.98 * exp(-0.00081633) = 0.979200,
#   W = 4/3 * 0.979200 = 1.305600; departures 0.16*1 + 0.84*0.96 = 0.9664, all to cat.
# cat: P-K 0.125; ca^2 = 0.9664, cs^2 = 0: 0.9664 * exp(-2*0.8*0.0336^2/(3*0.2*0.9664))
#   = 0.9664 * exp(-0.0031152) = 0.963394, W = 0.125 * 0.963394 = 0.120424
W_ANN = 0.125
W_BOB = 4 / 3 * 0.98 * math.exp(-2 * 0.6 * 0.04**2 / (3 * 0.4 * 1.96))
W_CAT = 0.125 * 0.9664 * math.exp(-2 * 0.8 * 0.0336**2 / (3 * 0.2 * 0.9664))


def test_serial_office_waits_by_hand() -> None:
    assert abs(W_BOB - 1.305600) < 1e-6
    assert abs(W_CAT - 0.120424) < 1e-6


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
  - {id: a, effort: {dist: exponential, mean: 1h}}
  - {id: b, effort: {dist: exponential, mean: 3h}}
  - {id: c, effort: {dist: exponential, mean: 1h}}
  - {id: d, effort: {dist: exponential, mean: 1h}}
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
    # lambda = 0.1/h, exponential efforts: Poisson in, Poisson out (QNA: c_d^2 = 1).
    # ann: two jobs a request (a from the customer, d from bob/cat), each Exp(1h):
    #   rho = 0.2, sum lambda E[S^2] = 0.2*2 = 0.4 -> W = 0.4/(2*0.8) = 0.25
    # bob: b Exp(3h): rho = 0.3, W = 0.1*18/(2*0.7) = 9/7
    # cat: c Exp(1h): rho = 0.1, W = 0.1*2/(2*0.9) = 1/9
    w_ann, w_bob, w_cat = 0.25, 9 / 7, 1 / 9
    finish_a = w_ann + 1
    finish_b = finish_a + 0.5 + w_bob + 3  # = 6.0357
    finish_c = finish_a + 0.5 + w_cat + 1  # = 2.8611
    # The mean of the join is Clark's E[max(b, c)] (their common part, a, cancels), with
    # variances: wait E[W^2] - W^2 = 2 W^2 / rho - W^2, work Exp(m): m^2.
    #   var_b = 2*(9/7)^2/0.3 - (9/7)^2 + 9 = 11.020408 - 1.653061 + 9 = 18.367347
    #   var_c = 2*(1/9)^2/0.1 - (1/9)^2 + 1 = 0.246914 - 0.012346 + 1 = 1.234568
    #   s = sqrt(19.601915) = 4.427405, gap = 2 + 9/7 - 1/9 = 3.174603, alpha = 0.717035;
    #   E[max] - finish_b = -gap Phi(-alpha) + s phi(alpha)
    #   = -3.174603 * 0.236676 + 4.427405 * 0.308508 = -0.751353 + 1.365889 = 0.614536
    var_b = 2 * w_bob**2 / 0.3 - w_bob**2 + 9
    var_c = 2 * w_cat**2 / 0.1 - w_cat**2 + 1
    s = math.sqrt(var_b + var_c)
    gap = finish_b - finish_c
    normal = NormalDist()
    clark = -gap * normal.cdf(-gap / s) + s * normal.pdf(gap / s)
    assert clark == pytest.approx(0.614536, abs=1e-6)
    start_d = finish_b + clark + 0.5 + w_ann
    assert lead.lead_time_hours == pytest.approx(start_d + 1, rel=REL)
    assert lead.critical_path == ["a", "b", "d"]
    assert lead.parts.touch == pytest.approx(5.0, rel=REL)  # a + b + d
    # queueing = lead time with everyone present (all are) - touch - handoff latency
    assert lead.parts.queueing == pytest.approx(w_ann + w_bob + w_ann + clark, rel=REL)
    assert lead.parts.handoff == pytest.approx(1.0, rel=REL)  # a->b, b->d
    # each step's start is that of the longest path of means
    assert timing(lead, "c").earliest_start == pytest.approx(finish_c - 1, rel=REL)
    assert timing(lead, "d").earliest_start == pytest.approx(
        max(finish_b, finish_c) + 0.5 + w_ann, rel=REL
    )


def test_slack_on_the_non_critical_branch() -> None:
    _, (lead,) = leads_of(BRANCHES)
    # c may finish as late as b does: slack = finish_b - finish_c
    #   = (0.5 + 9/7 + 3) - (0.5 + 1/9 + 1) = 2 + 9/7 - 1/9
    assert timing(lead, "c").slack == pytest.approx(2 + 9 / 7 - 1 / 9, rel=REL)
    for step in ("a", "b", "d"):
        assert timing(lead, step).slack == pytest.approx(0.0, abs=1e-12)


def test_parallel_branches_by_the_same_person_are_serialized() -> None:
    text = BRANCHES.replace("{activity: c, people: [cat]}", "{activity: c, people: [bob]}")
    text = text.replace(
        "{id: c, effort: {dist: exponential, mean: 1h}}",
        "{id: c, effort: {dist: exponential, mean: 3h}}",
    )
    _, (lead,) = leads_of(text)
    # bob now gets b and c (both Exp(3h)), each received from ann: two jobs a request,
    #   rho = 0.1*3*2 = 0.6, sum lambda E[S^2] = 0.1*18*2 = 3.6 -> W = 3.6/(2*0.4) = 4.5
    # ann unchanged: 0.25. b and c do not depend on each other: bob does b, then c. They
    # reach bob together (one wait), so c's start is b's finish, never earlier: no maximum
    # to estimate.
    w_ann, w_bob = 0.25, 4.5
    finish_a = w_ann + 1
    finish_b = finish_a + 0.5 + w_bob + 3
    finish_c = finish_b + 3  # c starts when b is done (its own arrival came earlier)
    expected = finish_c + 0.5 + w_ann + 1  # = 14.0
    assert lead.lead_time_hours == pytest.approx(expected, rel=REL)
    assert lead.critical_path == ["a", "b", "c", "d"]
    assert timing(lead, "c").earliest_start == pytest.approx(finish_b, rel=REL)
    assert lead.parts.touch == pytest.approx(8.0, rel=REL)  # a + b + c + d
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
    # lambda = 0.25/h, S = 1h fixed, D = 16h. All away: 0.2 * 0.1 = 0.02.
    # ann (the primary) in her present time: items arrive at 0.25 per present hour while she is
    # there; of those arriving while both are away, she takes the half she returns first for
    # (0.25 * 0.02 / 2 = 0.0025/h), after spells of everyone away of D/2 = 8 h, and everyone
    # waits behind that backlog:
    #   Lambda = 0.25 + 0.0025/0.8 = 0.253125 per present hour, rho = 0.253125,
    #   W = Lambda E[S^2] / (2 (1 - rho)) / A + 0.0025 * E[S] * 8 / (A (1 - rho))
    #     = 0.253125 / 1.49375 / 0.8 + 0.02 / 0.5975 = 0.211820 + 0.033473 = 0.245293
    w_ann = 0.253125 / (2 * 0.746875) / 0.8 + 0.0025 * 8 / (0.8 * 0.746875)
    assert w_ann == pytest.approx(0.245293, abs=1e-6)
    assert model.person_queues["ann"].wait_with_absences == pytest.approx(w_ann, rel=REL)
    # bob takes 0.25/h while ann is away (a share 0.2 of the time, spells of D = 16 h):
    # Lambda = 0.25 * 0.2 = 0.05, rho = 0.05, Poisson part W = 0.05 / (2 * 0.95) / 0.9,
    # plus the burst excess of the MMPP queue (tested in test_queueing).
    _, burst = modulated_queue(0.0, 0.0, 0.25, 0.2, 16.0, 1.0, 0.9, 16.0)
    w_bob = 0.05 / (2 * 0.95) / 0.9 + burst
    assert model.person_queues["bob"].backup_wait == pytest.approx(w_bob, rel=REL)
    # W0 (no absences, wall-clock rates): ann 0.25*0.8 + 0.0025 = 0.2025, bob 0.25*0.18 = 0.045
    w0_ann = 0.2025 / (2 * (1 - 0.2025))
    w0_bob = 0.045 / (2 * (1 - 0.045))
    # pi_ann = 0.8, pi_bob = 0.2*0.9 = 0.18, pi_0 = 0.02, n = 2
    total = 0.8 * w_ann + 0.18 * w_bob + 0.02 * (16 / 2 + w_ann)
    queueing = 0.8 * w0_ann + 0.18 * w0_bob + 0.02 * w0_ann
    wait = model.desk_wait(model.routes.routes[0].steps[0].owners)
    assert wait.total == pytest.approx(total, rel=REL)
    assert wait.queueing == pytest.approx(queueing, rel=REL)
    # work: 0.82*1/0.8 + 0.18*1/0.9 = 1.025 + 0.2 = 1.225
    assert lead.lead_time_hours == pytest.approx(total + 1.225, rel=REL)
    # Everyone present: ann alone, M/D/1 at 0.25: W = 0.25/(2*0.75) = 1/6, lead 1/6 + 1.
    assert lead.parts.touch == pytest.approx(1.0, rel=REL)
    assert lead.parts.queueing == pytest.approx(1 / 6, rel=REL)
    assert lead.parts.absence == pytest.approx(total + 1.225 - 1 / 6 - 1, rel=REL)


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
    # lambda = 0.1/h, Exp(2h): E[S] = 2, E[S^2] = 8. All away: 0.2*0.5*0.1 = 0.01; ann takes
    # a third of those (0.1*0.01/3 = 1/3000 per hour), after spells of D/3 = 40/3 h:
    # ann: Lambda = 0.1 + (1/3000)/0.8 = 0.1004167 per present hour, rho = 0.2008333,
    #   W = 0.1004167*8/(2*0.7991667)/0.8 + (1/3000)*2*(40/3)/(0.8*0.7991667)
    #     = 0.628259 + 0.013903 = 0.642162
    lam = 0.1 + (1 / 3000) / 0.8
    w_ann = lam * 8 / (2 * (1 - 2 * lam)) / 0.8 + (1 / 3000) * 2 * (40 / 3) / (0.8 * (1 - 2 * lam))
    assert w_ann == pytest.approx(0.642162, abs=1e-6)
    assert model.person_queues["ann"].wait_with_absences == pytest.approx(w_ann, rel=REL)
    # bob: bursts of 0.1/h while ann is away (share 0.2, spells of D/1 = 40 h):
    #   Lambda = 0.02, rho = 0.04, Poisson part 0.02*8/(2*0.96)/0.5
    # cat: bursts while ann and bob are away (share 0.1, spells of D/2 = 20 h):
    #   Lambda = 0.01, rho = 0.02, Poisson part 0.01*8/(2*0.98)/0.9
    w_bob = 0.02 * 8 / (2 * 0.96) / 0.5 + modulated_queue(0, 0, 0.1, 0.2, 40, 2, 0.5, d)[1]
    w_cat = 0.01 * 8 / (2 * 0.98) / 0.9 + modulated_queue(0, 0, 0.1, 0.1, 20, 2, 0.9, d)[1]
    assert model.person_queues["bob"].backup_wait == pytest.approx(w_bob, rel=REL)
    assert model.person_queues["cat"].backup_wait == pytest.approx(w_cat, rel=REL)
    # desk wait: pi_ann W_ann + pi_bob W_bob + pi_cat W_cat + pi_0 (D/3 + W_ann),
    # pi = 0.8, 0.2*0.5 = 0.1, 0.2*0.5*0.9 = 0.09, 0.01
    total = 0.8 * w_ann + 0.1 * w_bob + 0.09 * w_cat + 0.01 * (d / 3 + w_ann)
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
    # lambda = 0.5/h: bob rho = 0.5*2 = 1.0 (overloaded); ann rho = 0.5, W = 0.5 (M/D/1).
    # cat: rho = 0.5, P-K 0.5, arrivals from ann: c_a^2 = 0.25*0 + 0.75*1 = 0.75 (QNA), KLB:
    #   W = 0.5 * 0.75 * exp(-2*0.5*0.25^2/(3*0.5*0.75)) = 0.375 * exp(-1/18) = 0.354734
    w_cat = 0.375 * math.exp(-1 / 18)
    assert lead.lead_time_hours == math.inf
    assert lead.critical_path == ["a", "b"]
    assert not any(math.isnan(x) for x in all_numbers(lead))
    # a feeds the infinite branch: critical, no slack; c can wait for ever
    assert timing(lead, "a").slack == 0.0
    assert timing(lead, "b").slack == 0.0
    assert timing(lead, "c").slack == math.inf
    assert timing(lead, "c").earliest_start == pytest.approx(0.5 + 1 + w_cat, rel=REL)


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


POOL_FORK = """
version: 1
people: [{id: ann, skills: [a, b, c]}, {id: bob, skills: [a, b, c]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}]
processes:
  - id: p
    steps: [a, {activity: b, after: [a]}, {activity: c, after: [a]}]
customers: [{id: acme, demand: {p: 8/week}}]
assignments: [{pool: [ann, bob]}]
"""


def test_a_fork_inside_a_pool_visit_queues_its_second_branch() -> None:
    # RULES 2: whoever did a goes on with b (the request in hand); c joins the pool's queue.
    # Jobs at the pool, lambda = 0.2/h a request: a+b (2h fixed) and c (1h fixed):
    #   rate 0.4/h, E[S] = (2 + 1)/2 = 1.5, E[S^2] = (4 + 1)/2 = 2.5, cs^2 = 2.5/2.25 - 1 = 1/9,
    #   rho = 0.4 * 1.5 / 2 = 0.3, a = 0.6: Erlang C(2, 0.6) = (0.18 * 2/1.4) / (1.6 + 0.257143)
    #   = 0.138462; W = 0.138462 * 1.5 / (2 * 0.7) * (1 + 1/9)/2 = 0.082418
    model, (lead,) = leads_of(POOL_FORK)
    c_erlang = (0.18 * 2 / 1.4) / (1.6 + 0.18 * 2 / 1.4)
    w = c_erlang * 1.5 / 1.4 * (1 + 1 / 9) / 2
    assert w == pytest.approx(0.082418, abs=1e-6)
    assert model.pool_queues[("ann", "bob")].wait == pytest.approx(w, rel=REL)
    # b finishes at W + 2; c waits in the queue: W + 1 + W + 1, never before b (the same
    # fixed work after the same start, plus a wait): the maximum is c's finish.
    assert lead.lead_time_hours == pytest.approx(2 * w + 2, rel=REL)
    assert timing(lead, "c").earliest_start == pytest.approx(w + 1 + w, rel=REL)


FORK_ABSENT = """
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [b], availability: 0.8}
  - {id: cat, skills: [c], availability: 0.8}
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}]
processes:
  - id: p
    steps: [a, {activity: b, after: [a]}, {activity: c, after: [a]}]
customers: [{id: acme, demand: {p: 4/week}}]
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob]}
  - {activity: c, people: [cat]}
"""


def test_absences_in_parallel_branches_are_events_of_the_maximum() -> None:
    model, (lead,) = leads_of(FORK_ABSENT)
    (_, b, c) = model.routes.routes[0].steps
    # bob and cat are alike: D = 16 h, A = 0.8, f = 0.2/(0.8*16) = 1/64 per present hour.
    # Each branch: the wait (mean W, variance V from the model's queue) and 1h of work.
    # Events: all away (p = 0.2, 16 h) and an absence during the hour of work
    # (p = 1 - exp(-1/64) = 0.015504, adding 1*(1/0.8 - 1) = 0.25 on average: 16.125 h);
    # together p = 1 - 0.8*0.984496 = 0.212403, mean 0.2*16 + 0.25 = 3.45, d = 16.242720.
    p_w = -math.expm1(-1 / 64)
    p = 1 - 0.8 * (1 - p_w)
    d = 3.45 / p
    assert (p, d) == pytest.approx((0.212403, 16.242720), abs=1e-6)
    assert model.desk_event(b.owners) == pytest.approx((0.2, 16.0), rel=REL)
    assert model.work_event(b.owners, "b") == pytest.approx((p_w, 0.25 / p_w), rel=REL)
    wait = model.desk_wait(b.owners).total
    # the normal part of a branch: mean W + 1.25 - 3.45, variance V + Var(C) less the events'
    # variances (p 2 d^2 - (p d)^2 for each)
    # (the work's: Var(C) = 1/0.64 + (1/64)*2*256 - 1.25^2 = 8, the event's 8.0001: none left)
    assert model.step_work_variance(b.owners, "b") == pytest.approx(8.0, rel=REL)
    work_var = max(8.0 - (p_w * 2 * (0.25 / p_w) ** 2 - 0.25**2), 0.0)
    assert work_var == 0.0
    var = model.desk_wait_variance(b.owners) - (0.2 * 2 * 16**2 - (0.2 * 16) ** 2) + work_var
    mean = wait + 1.25 - 3.45
    # E[max] conditions on each branch's events: both normal (1-p)^2; one delayed by d
    # (variance + d^2) 2p(1-p); both p^2. Clark's mean in each case, identical branches
    # (covariance 0 beyond the common part, a):
    #   both normal: m + s/sqrt(pi) with s^2 = 2 var; one delayed: Clark of (m + d, var + d^2)
    #   and (m, var); both: m + d + sqrt(2 (var + d^2)) / sqrt(2 pi) * ... (Clark, equal means)
    normal = NormalDist()

    def clark(m1: float, v1: float, m2: float, v2: float) -> float:
        s = math.sqrt(v1 + v2)
        al = (m1 - m2) / s
        return m1 * normal.cdf(al) + m2 * normal.cdf(-al) + s * normal.pdf(al)

    expected_max = (
        (1 - p) ** 2 * clark(mean, var, mean, var)
        + 2 * p * (1 - p) * clark(mean + d, var + d * d, mean, var)
        + p * p * clark(mean + d, var + d * d, mean + d, var + d * d)
    )
    w_ann = model.desk_wait(model.routes.routes[0].steps[0].owners).total
    assert lead.lead_time_hours == pytest.approx(w_ann + 1 + expected_max, rel=1e-9)
    # less than Clark on the whole branches taken as normal (their skew is in the events)
    whole = clark(wait + 1.25, var + 2 * (p * 2 * d * d - (p * d) ** 2), wait + 1.25, 0.0)
    assert expected_max < whole
    assert c.owners.desk == "cat"


def test_back_at_a_desk_just_left_the_absence_part_is_discounted() -> None:
    text = """
version: 1
people: [{id: ann, skills: [a, c], availability: 0.8}, {id: bob, skills: [b]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}]
processes: [{id: p, steps: [a, b, c]}]
customers: [{id: acme, demand: {p: 4/week}}]
assignments: [{activity: [a, c], people: [ann]}, {activity: b, people: [bob]}]
"""
    model, (lead,) = leads_of(text)
    (a, b, _) = model.routes.routes[0].steps
    ann, bob = model.desk_wait(a.owners), model.desk_wait(b.owners)
    assert bob.absence == 0.0  # bob is always there
    # ann left the request t = W_bob + 1 h ago (bob's wait and work); present then, she is
    # away now with probability 0.2 (1 - exp(-t / (A D))), A D = 0.8 * 16 = 12.8: the absence
    # part of her wait is scaled by g = 1 - exp(-t / 12.8) (the queueing part stays).
    t = bob.total + 1
    g = 1 - math.exp(-t / 12.8)
    assert 0 < g < 0.1
    # work at ann: 1 h at A = 0.8: 1.25 h
    expected = ann.total + 1.25 + bob.total + 1 + ann.queueing + ann.absence * g + 1.25
    assert lead.lead_time_hours == pytest.approx(expected, rel=REL)
    assert timing(lead, "c").entry.absence == pytest.approx(ann.absence * g, rel=REL)


def test_issue_10_smallest_case_backup_of_the_next_desk() -> None:
    # Issue 10 part 1: ann does a, bob does b with ann as backup; everyone always present, so
    # the backup never takes work. 24/week = 0.6/h, fixed 1h at each desk.
    text = """
version: 1
org: {name: backup of the next desk continues, hours_per_day: 8, days_per_week: 5}
people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
processes: [{id: p, steps: [a, b]}]
customers: [{id: c, demand: {p: 24/week}}]
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob, ann]}
"""
    model, (lead,) = leads_of(text)
    # ann: M/D/1, rho = 0.6: W = 0.6/(2*0.4) = 0.75; bob gets nothing as ann's backup.
    assert model.person_queues["ann"].wait_with_absences == pytest.approx(0.75, rel=REL)
    assert model.person_queues["ann"].utilization == pytest.approx(0.6, rel=REL)
    # bob: arrivals from ann, c_a^2 = 0.36*0 + 0.64*1 = 0.64 (QNA), KLB with cs^2 = 0:
    #   0.75 * 0.64 * exp(-2*0.4*0.36^2/(3*0.6*0.64)) = 0.48 * exp(-0.09) = 0.438687
    w_bob = 0.48 * math.exp(-0.09)
    assert w_bob == pytest.approx(0.438687, abs=1e-6)
    # lead = 0.75 + 1 + 0.438687 + 1 = 3.188687 h. (The exact figure is 2.75 h: behind an
    # M/D/1 desk with the same fixed work, bob never waits; QNA's smoothing is partial.)
    assert lead.lead_time_hours == pytest.approx(0.75 + 1 + w_bob + 1, rel=REL)
