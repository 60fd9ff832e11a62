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
    completion_moments,
    erlang_c,
    mm1_wait,
    mmc_wait,
    pk_wait,
)
from orgflow.analysis.routes import build_routes

REL = 1e-9


def model_of(text: str) -> LeadTimeModel:
    org = orgflow.load_text(text)
    model, _ = lead_times(org, build_routes(org))
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
