"""Closed-form queue waits, and the queues orgflow builds for people and pools.

Every expected value is worked out by hand from the textbook formula in the comment next to it.
Default calendar: 8 h/day x 5 days = 40 working hours a week, so 4/week is 0.1/h.
Default absence spell: 2d = 16 h.
"""

from __future__ import annotations

import math

import pytest

import orgflow
from orgflow.analysis.leadtime import LeadTimeModel, lead_times
from orgflow.analysis.queueing import (
    allen_cunneen_wait,
    clark_max,
    completion_moments,
    erlang_c,
    klb_factor,
    mm1_wait,
    mmc_wait,
    modulated_queue,
    pk_wait,
    qna_departure_scv,
    wait_second_moment,
)

REL = 1e-9


def model_of(text: str) -> LeadTimeModel:
    model, _ = lead_times(orgflow.load_text(text))
    return model


# --- the formulas ---------------------------------------------------------------------------


def test_mm1_wait() -> None:
    # M/M/1: lambda=0.5/h, E[S]=1h -> rho=0.5, Wq = rho/(1-rho)*E[S] = 1.0h
    assert mm1_wait(0.5, 1.0) == pytest.approx(1.0, rel=REL)
    # lambda=0.2/h, E[S]=4h -> rho=0.8, Wq = 0.8/0.2*4 = 16h
    assert mm1_wait(0.2, 4.0) == pytest.approx(16.0, rel=REL)
    # rho = 1: unstable
    assert mm1_wait(1.0, 1.0) == math.inf


def test_pk_wait_md1_is_half_of_mm1() -> None:
    # M/D/1: lambda=0.5/h, S=1h -> E[S^2]=1, rho=0.5, W = lambda E[S^2]/(2(1-rho)) = 0.5/1 = 0.5h
    assert pk_wait(0.5, 1.0, 0.5) == pytest.approx(0.5, rel=REL)
    # M/D/1 with S=2h, lambda=0.25/h: rho=0.5, E[S^2]=4, W = 0.25*4/(2*0.5) = 1.0h
    assert pk_wait(0.25, 4.0, 0.5) == pytest.approx(1.0, rel=REL)
    # and exactly half of M/M/1 with the same mean (M/M/1: 0.5/0.5*2 = 2h)
    assert pk_wait(0.25, 4.0, 0.5) == pytest.approx(mm1_wait(0.25, 2.0) / 2, rel=REL)


def test_pk_wait_mm1() -> None:
    # M/M/1 through P-K: E[S]=1 exponential -> E[S^2]=2; lambda=0.5: W = 0.5*2/(2*0.5) = 1.0h
    assert pk_wait(0.5, 2.0, 0.5) == pytest.approx(1.0, rel=REL)
    assert pk_wait(0.5, 2.0, 0.5) == pytest.approx(mm1_wait(0.5, 1.0), rel=REL)


def test_pk_wait_edges() -> None:
    assert pk_wait(0.5, 2.0, 1.0) == math.inf  # rho >= 1
    assert pk_wait(0.5, 2.0, 1.5) == math.inf
    assert pk_wait(0.0, 2.0, 0.0) == 0.0  # no arrivals


def test_erlang_c_two_servers() -> None:
    # c=2: C(2,a) = [a^2/2 * 2/(2-a)] / [1 + a + a^2/(2-a)] = a^2/(2+a)
    # a=1: 1/3
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=REL)
    # a=1.2: 1.44/3.2 = 0.45
    assert erlang_c(2, 1.2) == pytest.approx(0.45, rel=REL)


def test_erlang_c_three_servers() -> None:
    # c=3, a=1.5: sum_{k<3} a^k/k! = 1 + 1.5 + 1.125 = 3.625;
    # a^3/3! * 3/(3-a) = 3.375/6 * 2 = 1.125; C = 1.125/(3.625+1.125) = 1.125/4.75 = 9/38
    assert erlang_c(3, 1.5) == pytest.approx(9 / 38, rel=REL)


def test_erlang_c_edges() -> None:
    # c=1: C(1,a) = a (the probability the single server is busy)
    assert erlang_c(1, 0.3) == pytest.approx(0.3, rel=REL)
    assert erlang_c(2, 0.0) == 0.0
    assert erlang_c(2, 2.0) == 1.0  # a >= c: everyone waits


def test_mmc_wait() -> None:
    # M/M/2, lambda=1/h, E[S]=1h: a=1, Wq = C E[S]/(c-a) = (1/3)*1/(2-1) = 1/3 h
    # (check: M/M/2 Wq = rho^2/(1-rho^2) E[S] with rho=0.5: 0.25/0.75 = 1/3)
    assert mmc_wait(2, 1.0, 1.0) == pytest.approx(1 / 3, rel=REL)
    # M/M/3, lambda=1.5/h, E[S]=1h: a=1.5, Wq = (9/38)/(3-1.5) = 3/19 h
    assert mmc_wait(3, 1.5, 1.0) == pytest.approx(3 / 19, rel=REL)
    # M/M/1 as M/M/c with c=1: lambda=0.5, E[S]=1 -> 1.0h
    assert mmc_wait(1, 0.5, 1.0) == pytest.approx(1.0, rel=REL)
    assert mmc_wait(2, 2.0, 1.0) == math.inf


def test_allen_cunneen_is_pk_at_one_server() -> None:
    # c=1, rho=0.6, E[S]=2h, cs^2=0.25: lambda = rho/E[S] = 0.3/h,
    # E[S^2] = E[S]^2 (1 + cs^2) = 4*1.25 = 5; P-K: 0.3*5/(2*0.4) = 1.875h
    assert allen_cunneen_wait(1, 0.6, 2.0, 0.25) == pytest.approx(1.875, rel=REL)
    assert allen_cunneen_wait(1, 0.6, 2.0, 0.25) == pytest.approx(pk_wait(0.3, 5.0, 0.6), rel=REL)
    # deterministic (cs^2 = 0), rho=0.5, E[S]=1: M/D/1 = 0.5h
    assert allen_cunneen_wait(1, 0.5, 1.0, 0.0) == pytest.approx(0.5, rel=REL)


def test_allen_cunneen_is_mmc_for_exponential_service() -> None:
    # cs^2 = 1 -> factor (1+1)/2 = 1, so M/M/c exactly.
    # c=2, rho=0.5 (a=1), E[S]=1: 1/3 h
    assert allen_cunneen_wait(2, 0.5, 1.0, 1.0) == pytest.approx(1 / 3, rel=REL)
    # c=3, rho=0.5 (a=1.5), E[S]=1: 3/19 h
    assert allen_cunneen_wait(3, 0.5, 1.0, 1.0) == pytest.approx(3 / 19, rel=REL)
    # deterministic service halves it: c=2 -> 1/6 h
    assert allen_cunneen_wait(2, 0.5, 1.0, 0.0) == pytest.approx(1 / 6, rel=REL)
    # c=2, rho=0.6 (a=1.2), E[S]=2, cs^2=0.5: C=0.45, 0.45*2/(2*0.4) * 1.5/2 = 1.125*0.75
    assert allen_cunneen_wait(2, 0.6, 2.0, 0.5) == pytest.approx(0.84375, rel=REL)
    assert allen_cunneen_wait(2, 1.0, 1.0, 1.0) == math.inf
    assert allen_cunneen_wait(2, 0.0, 1.0, 1.0) == 0.0


def test_completion_moments() -> None:
    # Always present: C = S.
    assert completion_moments(1.0, 1.0, 1.0, 16.0) == (1.0, 1.0)
    # No spell length: nothing to add.
    assert completion_moments(2.0, 4.0, 0.8, 0.0) == (2.0, 4.0)
    # S = 2h fixed (E[S^2]=4), A=0.8, D=16h: f = (1-A)/(A D) = 0.2/12.8 = 1/64;
    # E[C] = 2/0.8 = 2.5; E[C^2] = 4/0.64 + (1/64)*2*2*256 = 6.25 + 16 = 22.25
    mean, second = completion_moments(2.0, 4.0, 0.8, 16.0)
    assert mean == pytest.approx(2.5, rel=REL)
    assert second == pytest.approx(22.25, rel=REL)
    # A=0.5, D=1h, S=1 with E[S^2]=1: f = 0.5/0.5 = 1; E[C]=2, E[C^2] = 1/0.25 + 1*1*2*1 = 6
    mean, second = completion_moments(1.0, 1.0, 0.5, 1.0)
    assert mean == pytest.approx(2.0, rel=REL)
    assert second == pytest.approx(6.0, rel=REL)


# --- the queues of an org -------------------------------------------------------------------

MM1_ORG = """
version: 1
people: [{id: ann, skills: [a]}]
activities: [{id: a, effort: {dist: exponential, mean: 1h}}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 20/week}}]
assignments: [{people: [ann]}]
"""


def test_person_queue_mm1() -> None:
    # 20/week over 40h = 0.5/h, exponential 1h: M/M/1 rho=0.5, Wq = 0.5/0.5*1 = 1.0h
    q = model_of(MM1_ORG).person_queues["ann"]
    assert q.servers == 1
    assert q.arrival_rate == pytest.approx(0.5, rel=REL)
    assert q.mean_service == pytest.approx(1.0, rel=REL)
    assert q.utilization == pytest.approx(0.5, rel=REL)
    assert q.wait == pytest.approx(1.0, rel=REL)
    # availability 1: absences change nothing
    assert q.wait_with_absences == pytest.approx(1.0, rel=REL)


TWO_STREAMS = """
version: 1
people: [{id: ann, skills: [a, b]}]
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: {dist: exponential, mean: 2h}}
processes:
  - {id: p1, steps: [a]}
  - {id: p2, steps: [b]}
customers: [{id: acme, demand: {p1: 8/week, p2: 4/week}}]
assignments: [{people: [ann]}]
"""


def test_person_queue_pools_all_their_jobs() -> None:
    # p1: lambda=8/40=0.2/h, S=1h fixed (E[S^2]=1); p2: lambda=0.1/h, S~Exp(2h) (E[S^2]=8).
    # rho = 0.2*1 + 0.1*2 = 0.4; sum lambda E[S^2] = 0.2*1 + 0.1*8 = 1.0
    # P-K: W = 1.0/(2*(1-0.4)) = 5/6 h; mean service = 0.4/0.3
    q = model_of(TWO_STREAMS).person_queues["ann"]
    assert q.arrival_rate == pytest.approx(0.3, rel=REL)
    assert q.utilization == pytest.approx(0.4, rel=REL)
    assert q.mean_service == pytest.approx(0.4 / 0.3, rel=REL)
    assert q.wait == pytest.approx(5 / 6, rel=REL)


ONE_VISIT = """
version: 1
people: [{id: ann, skills: [a, b]}]
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: {dist: exponential, mean: 2h}}
processes: [{id: p, steps: [a, b]}]
customers: [{id: acme, demand: {p: 4/week}}]
assignments: [{people: [ann]}]
"""


def test_steps_at_the_same_desk_are_one_job() -> None:
    # a then b at ann's desk: one job S = 1h + Exp(2h): E[S] = 3, Var = 0 + 4 = 4,
    # E[S^2] = 4 + 9 = 13; lambda = 4/40 = 0.1/h (one job per request)
    # rho = 0.3, W = 0.1*13/(2*0.7) = 13/14 h
    q = model_of(ONE_VISIT).person_queues["ann"]
    assert q.arrival_rate == pytest.approx(0.1, rel=REL)
    assert q.mean_service == pytest.approx(3.0, rel=REL)
    assert q.wait == pytest.approx(13 / 14, rel=REL)


@pytest.mark.parametrize("capacity", ["20h/week", "4h/day"])
def test_part_timer_works_slower_per_calendar_hour(capacity: str) -> None:
    text = f"""
version: 1
people: [{{id: ann, skills: [a], capacity: {capacity}}}]
activities: [{{id: a, effort: {{dist: exponential, mean: 1h}}}}]
processes: [{{id: p, steps: [a]}}]
customers: [{{id: acme, demand: {{p: 4/week}}}}]
assignments: [{{people: [ann]}}]
"""
    # 20h of 40h a week: S = effort * 40/20 = Exp(2h), E[S^2] = 8; lambda = 0.1/h
    # rho = 0.2, W = 0.1*8/(2*0.8) = 0.5h (M/M/1: 0.2/0.8*2 = 0.5)
    q = model_of(text).person_queues["ann"]
    assert q.mean_service == pytest.approx(2.0, rel=REL)
    assert q.utilization == pytest.approx(0.2, rel=REL)
    assert q.wait == pytest.approx(0.5, rel=REL)


@pytest.mark.parametrize(
    ("spell", "spell_hours"),
    [(None, 16.0), ("3d", 24.0), ("8h", 8.0)],
)
def test_person_queue_with_absences(spell: str | None, spell_hours: float) -> None:
    org_line = f"org: {{absence_spell: {spell}}}\n" if spell else ""
    text = f"""
version: 1
{org_line}people: [{{id: ann, skills: [a], availability: 0.8}}]
activities: [{{id: a, effort: 1h}}]
processes: [{{id: p, steps: [a]}}]
customers: [{{id: acme, demand: {{p: 4/week}}}}]
assignments: [{{people: [ann]}}]
"""
    q = model_of(text).person_queues["ann"]
    lam, a, d = 0.1, 0.8, spell_hours
    # No absences: M/D/1, rho0 = 0.1, W0 = 0.1*1/(2*0.9) = 1/18 h
    assert q.wait == pytest.approx(1 / 18, rel=REL)
    # With absences: rho = rho0/A = 0.125; f = (1-A)/(A D) = 0.25/D;
    # E[C^2] = E[S^2]/A^2 + f E[S] 2 D^2 = 1/0.64 + 0.5 D; W = lambda E[C^2]/(2(1-rho))
    # (D=16: E[C^2] = 1.5625 + 8 = 9.5625, W = 0.95625/1.75)
    f = (1 - a) / (a * d)
    ec2 = 1 / a**2 + f * 1.0 * 2 * d**2
    assert ec2 == pytest.approx(1.5625 + 0.5 * d, rel=REL)
    assert q.utilization == pytest.approx(0.125, rel=REL)
    assert q.wait_with_absences == pytest.approx(lam * ec2 / (2 * (1 - 0.125)), rel=REL)


def test_overloaded_person_has_infinite_wait() -> None:
    text = MM1_ORG.replace("20/week", "40/week")  # rho = 1.0
    q = model_of(text).person_queues["ann"]
    assert q.utilization == pytest.approx(1.0, rel=REL)
    assert q.wait == math.inf
    assert q.wait_with_absences == math.inf


def test_overloaded_only_by_absences() -> None:
    # A=0.5, fixed 1h at 25/week: lambda=0.625, rho0=0.625 (stable), rho=1.25 (unstable)
    text = """
version: 1
people: [{id: ann, skills: [a], availability: 0.5}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: acme, demand: {p: 25/week}}]
assignments: [{people: [ann]}]
"""
    q = model_of(text).person_queues["ann"]
    # W0 = 0.625*1/(2*0.375) = 5/6 h
    assert q.wait == pytest.approx(5 / 6, rel=REL)
    assert q.utilization == pytest.approx(1.25, rel=REL)
    assert q.wait_with_absences == math.inf


def pool_org(size: int, per_week: str, effort: str, availability: float = 1.0) -> str:
    names = ["ann", "bob", "cat"][:size]
    people = ", ".join(f"{{id: {n}, skills: [a], availability: {availability}}}" for n in names)
    return f"""
version: 1
people: [{people}]
activities: [{{id: a, effort: {effort}}}]
processes: [{{id: p, steps: [a]}}]
customers: [{{id: acme, demand: {{p: {per_week}}}}}]
assignments: [{{pool: [{", ".join(names)}]}}]
"""


EXP_1H = "{dist: exponential, mean: 1h}"


def test_pool_of_two_is_mm2() -> None:
    # 40/week = 1/h, Exp(1h), c=2: a=1, rho=0.5; M/M/2 Wq = 1/3 h
    model = model_of(pool_org(2, "40/week", EXP_1H))
    q = model.pool_queues[("ann", "bob")]
    assert q.name == "ann+bob"
    assert q.servers == 2
    assert q.arrival_rate == pytest.approx(1.0, rel=REL)
    assert q.mean_service == pytest.approx(1.0, rel=REL)
    assert q.utilization == pytest.approx(0.5, rel=REL)
    assert q.wait == pytest.approx(1 / 3, rel=REL)
    # each member takes half: rho = 0.5*1*1 = 0.5
    assert model.person_queues["ann"].utilization == pytest.approx(0.5, rel=REL)


def test_pool_of_three_is_mm3() -> None:
    # 60/week = 1.5/h, Exp(1h), c=3: a=1.5, rho=0.5; Wq = (9/38)/(3-1.5) = 3/19 h
    q = model_of(pool_org(3, "60/week", EXP_1H)).pool_queues[("ann", "bob", "cat")]
    assert q.servers == 3
    assert q.utilization == pytest.approx(0.5, rel=REL)
    assert q.wait == pytest.approx(3 / 19, rel=REL)


def test_pool_with_fixed_effort_is_allen_cunneen() -> None:
    # c=2, rho=0.5, E[S]=1, cs^2=0: M/M/2 * (1+0)/2 = 1/6 h
    q = model_of(pool_org(2, "40/week", "1h")).pool_queues[("ann", "bob")]
    assert q.wait == pytest.approx(1 / 6, rel=REL)


def test_pool_of_one_is_pk() -> None:
    # a pool of one is M/G/1: 20/week = 0.5/h, S = 1h fixed: W = 0.5*1/(2*0.5) = 0.5h
    q = model_of(pool_org(1, "20/week", "1h")).pool_queues[("ann",)]
    assert q.wait == pytest.approx(0.5, rel=REL)


def test_pool_with_absences() -> None:
    # c=2, A=0.9 each, Exp(1h) at 1/h. rho0 = 0.5, rho = 0.5/0.9 = 5/9.
    # Completion: E[C] = 1/0.9; f = 0.1/(0.9*16) = 1/144;
    # E[C^2] = 2/0.81 + (1/144)*1*2*256; cs^2 = E[C^2]/E[C]^2 - 1 = 2 + (512/144)*0.81 - 1 = 3.88
    # a = c rho = 10/9; ErlangC(2, a) = a^2/(2+a) = (100/81)/(28/9) = 25/63
    # W = 25/63 * E[C]/(2(1-5/9)) * (1+3.88)/2 = 25/63 * 1.25 * 2.44
    q = model_of(pool_org(2, "40/week", EXP_1H, 0.9)).pool_queues[("ann", "bob")]
    assert q.wait == pytest.approx(1 / 3, rel=REL)  # no absences: M/M/2
    assert q.utilization == pytest.approx(5 / 9, rel=REL)
    assert q.wait_with_absences == pytest.approx(25 / 63 * 1.25 * 2.44, rel=REL)


# --- the pieces of the improved model ---------------------------------------------------------


def test_klb_factor_is_one_for_poisson_arrivals() -> None:
    assert klb_factor(1.0, 0.0, 0.7) == 1.0
    assert klb_factor(1.0, 1.0, 0.3) == 1.0


def test_klb_factor_bursty_and_smooth_arrivals() -> None:
    # ca^2 = 3, cs^2 = 0: (3 + 0) / (1 + 0) = 3 (g = 1 for ca^2 >= 1)
    assert klb_factor(3.0, 0.0, 0.5) == pytest.approx(3.0, rel=REL)
    # ca^2 = 0.5, cs^2 = 1, rho = 0.5: (1.5 / 2) * exp(-2 * 0.5 * 0.25 / (3 * 0.5 * 1.5))
    #   = 0.75 * exp(-1/9) = 0.671238
    assert klb_factor(0.5, 1.0, 0.5) == pytest.approx(0.75 * math.exp(-1 / 9), rel=REL)


def test_qna_departure_scv() -> None:
    # rho = 0.6: 0.36 * 4 + 0.64 * 1 = 2.08
    assert qna_departure_scv(1.0, 4.0, 0.6) == pytest.approx(2.08, rel=REL)
    # exponential service, Poisson arrivals: departures stay Poisson (Burke)
    assert qna_departure_scv(1.0, 1.0, 0.9) == pytest.approx(1.0, rel=REL)


def test_clark_max_of_two_standard_normals() -> None:
    # E[max(X, Y)] = 1/sqrt(pi) = 0.564190, E[max^2] = 1, var = 1 - 1/pi = 0.681690
    m, v, w = clark_max(0.0, 1.0, 0.0, 1.0)
    assert m == pytest.approx(1 / math.sqrt(math.pi), rel=REL)
    assert v == pytest.approx(1 - 1 / math.pi, rel=REL)
    assert w == 0.5


def test_clark_max_with_correlation_and_no_variance() -> None:
    # X = Y + 1 exactly (cov = var): a = 0, the larger mean wins
    assert clark_max(3.0, 2.0, 2.0, 2.0, 2.0) == (3.0, 2.0, 1.0)
    # means 1 and 0, variances 1, correlation 0.5: a^2 = 1 + 1 - 1 = 1, alpha = 1,
    # E = 1 Phi(1) + 0 + phi(1) = 0.841345 + 0.241971 = 1.083316
    m, _, _ = clark_max(1.0, 1.0, 0.0, 1.0, 0.5)
    assert m == pytest.approx(0.841345 + 0.241971, abs=1e-6)
    assert clark_max(math.inf, 1.0, 0.0, 1.0)[0] == math.inf


def test_wait_second_moment_mm1() -> None:
    # M/M/1, rho = 0.5, E[S] = 1: W = 1, E[W^2] = 2 rho E[S]^2 / (1 - rho)^2 = 4
    assert wait_second_moment(1.0, 0.5) == pytest.approx(4.0, rel=REL)
    assert wait_second_moment(0.0, 0.5) == 0.0


def test_modulated_queue_without_bursts_adds_nothing() -> None:
    assert modulated_queue(0.5, 0.0, 0.0, 0.1, 16.0, 1.0, 1.0, 16.0) == (0.0, 0.0)


def test_modulated_queue_is_the_transient_mm1_of_a_burst() -> None:
    # An idle backup, always present, Exp(1h), takes 0.6/h during bursts of mean 16 h that are
    # rare (a share 0.001 of the time: the queue is empty when a burst starts). A burst item
    # arriving t after the burst began waits the workload V(t) of an M/M/1 started empty; t is
    # exponential with mean D (memoryless bursts), so its mean wait is Takacs' transform at
    # x = 1/D: E[W] = (rho - 1)/x + 1/(x + lambda - lambda theta(x)), theta the busy-period
    # transform, theta(x) = (lambda + mu + x - sqrt((lambda + mu + x)^2 - 4 lambda mu)) / (2
    # lambda): lambda + mu + x = 1.6625, sqrt(2.763906 - 2.4) = 0.603246,
    # theta = 1.059254/1.2 = 0.882712; x + lambda - lambda theta = 0.132873;
    # E[W] = -6.4 + 7.525965 = 1.125965. The Poisson reference at 0.0006/h waits
    # 0.0006/(1 - 0.0006) = 0.000600.
    lam, x = 0.6, 1 / 16
    b = lam + 1 + x
    theta = (b - math.sqrt(b * b - 4 * lam)) / (2 * lam)
    transient = (lam - 1) / x + 1 / (x + lam - lam * theta)
    assert transient == pytest.approx(1.125965, abs=1e-5)
    _, burst = modulated_queue(0.0, 0.0, lam, 0.001, 16.0, 1.0, 1.0, 16.0)
    poisson = 0.0006 / (1 - 0.0006)
    assert burst + poisson == pytest.approx(transient, rel=2e-3)


def test_modulated_queue_long_bursts_approach_the_peak_queue() -> None:
    # Bursts of 10,000 h: a burst item sees the stationary M/M/1 at 0.6/h, W = 0.6/0.4 = 1.5
    _, burst = modulated_queue(0.0, 0.0, 0.6, 0.5, 10_000.0, 1.0, 1.0, 16.0)
    poisson = 0.3 / 0.7  # the Poisson reference at the mean rate 0.3
    assert burst + poisson == pytest.approx(1.5, rel=2e-3)
