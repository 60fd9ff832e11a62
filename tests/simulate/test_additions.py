"""The simulation of issue 13's additions against closed forms, and against analyze: random
routes (stop, probability, alternatives, rework), delays, ``pickup: any`` pools, a rule's
effort and ``demand_by_month``. Seeds are fixed, so every figure below is reproducible; each
tolerance is stated with the figure it bounds."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

import orgflow
from orgflow import load_text
from orgflow.errors import SimulationError
from orgflow.office import Office
from orgflow.simulate import kernel
from orgflow.simulate.engine import Simulator
from orgflow.simulate.runner import (
    SimOptions,
    SimResult,
    demand_profile,
    simulate,
    working_hours_from,
)
from orgflow.simulate.streams import arrivals, arrivals_until

START = dt.date(2026, 1, 5)  # a Monday
ROOT = Path(__file__).resolve().parents[2]


def office(
    people: str, activities: str, steps: str, rate: str, rules: str, org: str = ""
) -> Office:
    return load_text(f"""
version: 1
org: {{name: test, handoff_delay: 0h{org}}}
people: {people}
activities: {activities}
processes: [{{id: p, steps: {steps}}}]
customers: [{{id: c, demand: {{p: {rate}}}}}]
assignments: {rules}
""")


def run(
    org: Office, *, weeks: float = 400, runs: int = 8, seed: int = 1, engine: str = "auto"
) -> SimResult:
    return simulate(
        org, SimOptions(weeks=weeks, warmup=10, runs=runs, seed=seed, start=START, engine=engine)
    )


def near(result: SimResult, expected: float, rel: float) -> None:
    """The simulated mean is within its 95% confidence interval of ``expected`` (widened to
    ``rel`` of it, for the figures whose interval is tighter than the model's bias), and the
    interval is informative (under 10% of the figure)."""
    e = result.lead_time
    assert abs(e.mean - expected) <= max(e.ci95, rel * expected), (e.mean, e.ci95, expected)
    assert e.ci95 < 0.1 * expected


def person(result: SimResult, pid: str) -> float:
    return next(p.utilization for p in result.people if p.id == pid)


EXPONENTIAL_1H = "{dist: exponential, mean: 1h}"


def test_mm1_with_bernoulli_feedback() -> None:
    # One desk, exponential efforts of mean 1 h (mu = 1/h), lambda = 12/week at 40 h/week =
    # 0.3/h, and after each service the request goes back with probability p = 0.4.
    # Mean sojourn 1 / ((1 - p) mu - lambda) = 1 / (0.6 - 0.3) = 3.333 h (the total service is
    # geometric sum of exponentials: exponential of rate (1 - p) mu, an M/M/1 at rho = 0.5).
    # Expected visits 1 / (1 - p) = 1.667; utilization lambda x 1.667 x 1 h = 0.5.
    org = office(
        "[{id: ann, skills: [a]}]",
        f"[{{id: a, effort: {EXPONENTIAL_1H}}}]",
        "[{activity: a, rework: {to: a, probability: 0.4}}]",
        "12/week",
        "[{people: [ann]}]",
    )
    exact = 1 / ((1 - 0.4) * 1.0 - 0.3)
    result = run(org)
    near(result, exact, 0.03)
    assert person(result, "ann") == pytest.approx(0.5, abs=0.01)
    # analyze says the same (the closed form, exactly).
    assert orgflow.analyze(org).summary.lead_time_hours == pytest.approx(exact, rel=1e-9)


def test_a_fixed_delay_adds_exactly_its_length_to_every_request() -> None:
    # Two desks in series; a delay before the second shifts every request's arrival there by
    # the same 17 h, so the second desk sees the same sequence of work in the same order: each
    # request's lead time grows by exactly 17 h (the same drawn efforts: a 0 h delay makes the
    # route random too, so both draw their routes and efforts alike).
    def org(delay: str) -> Office:
        return office(
            "[{id: ann, skills: [a]}, {id: bob, skills: [b]}]",
            f"[{{id: a, effort: {EXPONENTIAL_1H}}}, {{id: b, effort: {EXPONENTIAL_1H}}}]",
            f"[a, {{activity: b, delay: {delay}}}]",
            "16/week",
            "[{activity: a, people: [ann]}, {activity: b, people: [bob]}]",
        )

    options = SimOptions(weeks=100, warmup=2, runs=2, seed=3, start=START)
    without = simulate(org("0h"), options, keep_samples=True)
    with_delay = simulate(org("17h"), options, keep_samples=True)
    # Requests finishing in the last 17 h of a run are left out of the delayed run.
    n = len(with_delay.samples)
    assert len(without.samples) - n < 10
    assert np.allclose(with_delay.samples[: n // 2], without.samples[: n // 2] + 17, atol=1e-9)
    assert with_delay.parts["external"] == pytest.approx(17.0, abs=1e-9)
    assert "external" not in simulate(
        office(
            "[{id: ann, skills: [a]}]", "[{id: a, effort: 1h}]", "[a]", "1/week",
            "[{people: [ann]}]",
        ),
        options,
    ).parts  # fmt: skip
    # The parts add up to the mean over every request.
    assert sum(with_delay.parts.values()) == pytest.approx(float(with_delay.samples.mean()))
    # analyze's external part is the same 17 h.
    assert orgflow.analyze(org("17h")).summary.parts.external == pytest.approx(17.0)


def test_a_stop_lets_through_only_the_rest() -> None:
    # a then b, 25% of the requests end after a: b's throughput is 0.75 lambda. lambda = 0.5/h
    # (20/week), b takes 1 h fixed: bob's utilization 0.75 x 0.5 x 1 = 0.375 (ann's 0.5).
    # A utilization over 8 runs of 410 weeks: Bernoulli thinning of ~130,000 requests per run,
    # standard error far below 0.005.
    org = office(
        "[{id: ann, skills: [a]}, {id: bob, skills: [b]}]",
        "[{id: a, effort: 1h}, {id: b, effort: 1h}]",
        "[{activity: a, stop: 0.25}, b]",
        "20/week",
        "[{activity: a, people: [ann]}, {activity: b, people: [bob]}]",
    )
    result = run(org)
    assert person(result, "ann") == pytest.approx(0.5, abs=0.005)
    assert person(result, "bob") == pytest.approx(0.375, abs=0.005)
    # Lead time: 1.5 h at a (M/D/1 at rho 0.5: W = 1 + rho / (2 (1 - rho)) = 1.5 h), then for
    # 75% of the requests 1 h at b with no wait: a's departures are at least its fixed 1 h
    # apart and b takes exactly 1 h, so b is always free. 1.5 + 0.75 x 1 = 2.25 h. (analyze
    # reads b as an M/D/1 queue, 2.475 h: its approximation, not the route's.)
    near(result, 2.25, 0.01)


def test_alternatives_go_to_their_owners_at_their_shares() -> None:
    # {activity: [x, y], shares: [0.3, 0.7]}: ann does x, bob does y, 1 h each; lambda 0.5/h:
    # ann 0.3 x 0.5 = 0.15, bob 0.7 x 0.5 = 0.35. Lead time: the mixture of two M/D/1 queues,
    # W = 1 + rho / (2 (1 - rho)): 0.3 x (1 + 0.15/1.7) + 0.7 x (1 + 0.35/1.3) = 1.214866 h.
    org = office(
        "[{id: ann, skills: [x]}, {id: bob, skills: [y]}]",
        "[{id: x, effort: 1h}, {id: y, effort: 1h}]",
        "[{id: choose, activity: [x, y], shares: [0.3, 0.7]}]",
        "20/week",
        "[{activity: x, people: [ann]}, {activity: y, people: [bob]}]",
    )
    result = run(org, weeks=200)
    assert person(result, "ann") == pytest.approx(0.15, abs=0.005)
    assert person(result, "bob") == pytest.approx(0.35, abs=0.005)
    exact = 0.3 * (1 + 0.15 / (2 * 0.85)) + 0.7 * (1 + 0.35 / (2 * 0.65))
    near(result, exact, 0.01)


def erlang_c_sojourn(lam: float, mu: float, c: int) -> float:
    """M/M/c mean time in system: Erlang C(c, a) / (c mu - lambda) + 1 / mu, a = lambda / mu."""
    a = lam / mu
    top = a**c / math.factorial(c) * c / (c - a)
    c_prob = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return c_prob / (c * mu - lam) + 1 / mu


def test_a_pickup_any_pool_is_an_mmc_queue_at_every_visit() -> None:
    # Two steps, both at a pool of c = 2 with pickup: any, exponential 1 h each: every step
    # goes back to the pool's one FIFO queue, so the pool sees 2 lambda of exponential work
    # (a Kelly network: FIFO, the same exponential service for every class, product form),
    # and each visit takes the M/M/c sojourn at rate 2 lambda. lambda = 0.6/h (24/week):
    # 2 lambda = 1.2, a = 1.2, rho = 0.6; C(2, 1.2) = (0.72 x 2/0.8) / (1 + 1.2 + 1.8) = 0.45;
    # W = 0.45 / (2 - 1.2) + 1 = 1.5625 h per visit, 3.125 h per request.
    org = office(
        "[{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]",
        f"[{{id: a, effort: {EXPONENTIAL_1H}}}, {{id: b, effort: {EXPONENTIAL_1H}}}]",
        "[a, b]",
        "24/week",
        "[{pool: [ann, bob], pickup: any}]",
    )
    exact = 2 * erlang_c_sojourn(1.2, 1.0, 2)
    assert exact == pytest.approx(3.125)
    result = run(org)
    near(result, exact, 0.02)
    assert person(result, "ann") + person(result, "bob") == pytest.approx(1.2, abs=0.01)
    # With pickup: same the holder continues at once: one queue visit and 2 h of work in a
    # row; the shared queue makes it slower here.
    same = run(
        office(
            "[{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]",
            f"[{{id: a, effort: {EXPONENTIAL_1H}}}, {{id: b, effort: {EXPONENTIAL_1H}}}]",
            "[a, b]",
            "24/week",
            "[{pool: [ann, bob]}]",
        ),
        weeks=100,
    )
    assert same.lead_time.mean != pytest.approx(result.lead_time.mean, rel=0.02)


def test_a_rules_effort_is_the_work_its_people_take() -> None:
    # pedro's rule says 9 h for settle (the activity says 1 h); lambda = 2/week = 0.05/h:
    # pedro's utilization 0.05 x 9 = 0.45, not 0.05; analyze's utilization the same.
    org = office(
        "[{id: pedro, skills: [settle]}]",
        "[{id: settle, effort: 1h}]",
        "[settle]",
        "2/week",
        "[{activity: settle, people: [pedro], effort: 9h}]",
    )
    result = run(org, weeks=400)
    assert person(result, "pedro") == pytest.approx(0.45, abs=0.01)
    # M/D/1 at rho = 0.45: W = 9 + 0.45 x 9 / (2 x 0.55) = 12.681818 h.
    near(result, 9 + 0.45 * 9 / (2 * 0.55), 0.02)
    # A rule's effort alone keeps the route plain: the flow engine and the kernel run it.
    assert Simulator(org).plan is not None


def test_demand_by_month_makes_the_monthly_arrivals_follow_the_multipliers() -> None:
    # Twelve multipliers averaging 1: the arrivals in each calendar month, per working hour of
    # the month, are the average rate times the month's multiplier (a non-homogeneous Poisson
    # process). 40 years from 2026-01-05 at 100 requests a week: about 17,600 f arrivals per
    # calendar month, so each month's rate within 4% (over 3 standard errors of
    # 1/sqrt(17,600 x 0.6) = 1% for the quietest).
    factors = [2.0, 1.4, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 1.0, 0.6, 0.8, 0.6]
    months = ", ".join(
        f"{m}: {f}"
        for m, f in zip(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
            factors,
            strict=True,
        )
    )
    org = office(
        "[{id: ann, skills: [a]}]",
        "[{id: a, effort: 6m}]",
        "[a]",
        "100/week",
        "[{people: [ann]}]",
        f", demand_by_month: {{{months}}}",
    )
    cal = org.calendar
    horizon = 2080 * cal.hours_per_week
    profile = demand_profile(org.org, START, horizon)
    assert profile is not None
    sim = Simulator(org, None, profile)
    times, _choice = arrivals(1, 0, sim.total_rate, sim.cum, horizon, sim.profile)
    rate = 100 / cal.hours_per_week
    counts = [0.0] * 12
    hours = [0.0] * 12
    starts, values = profile
    for k in range(len(starts) - 1):
        lo, hi = starts[k], min(starts[k + 1], horizon)
        if hi <= lo:
            continue
        m = (START.month - 1 + k) % 12  # the months follow each other from --start's
        assert values[k] == factors[m]
        counts[m] += int(np.count_nonzero((times >= lo) & (times < hi)))
        hours[m] += hi - lo
    for m in range(12):
        assert counts[m] / (hours[m] * rate) == pytest.approx(factors[m], rel=0.04), m
    # The first month starts on --start; the others on the 1st, in working hours.
    assert starts[1] == working_hours_from(START, dt.date(2026, 2, 1), cal)
    # A flat profile draws exactly the arrivals of no profile.
    flat = ([0.0, 1e6], [1.0, 1.0])
    t0, _ = arrivals(1, 0, rate, [1.0], 5000.0)
    t1, _ = arrivals(1, 0, rate, [1.0], 5000.0, flat)
    assert np.array_equal(t0, t1)
    # simulate follows it: with --start in January the first weeks are busier than average.
    january = simulate(org, SimOptions(weeks=4, warmup=0, runs=1, seed=1, start=START))
    august = simulate(org, SimOptions(weeks=4, warmup=0, runs=1, seed=1, start=dt.date(2026, 8, 3)))
    assert january.requests_completed == pytest.approx(2.0 * 400, rel=0.1)
    assert august.requests_completed == pytest.approx(0.6 * 400, rel=0.15)


def test_arrivals_until_stops_the_arrivals_and_keeps_those_before() -> None:
    # No profile (a flat rate), arrivals until 1,000 h of a 3,000 h run: a multiplier of 1 up
    # to 1,000 h, 0 from then, and a positive one past the run (never reached).
    assert arrivals_until(None, 1000.0, 3000.0) == ([0.0, 1000.0, 3001.0], [1.0, 0.0, 1.0])
    # With months: those starting before the end are kept, with their multipliers.
    months = ([0.0, 500.0, 1200.0, 3100.0], [2.0, 0.5, 1.0, 1.0])
    assert arrivals_until(months, 1000.0, 3000.0) == (
        [0.0, 500.0, 1000.0, 3001.0],
        [2.0, 0.5, 0.0, 1.0],
    )
    assert arrivals_until(None, 0.0, 3000.0) == ([0.0, 3001.0], [0.0, 1.0])  # none at all
    # The arrivals are those of the flat stream before 1,000 h, and none after.
    everything, _ = arrivals(1, 0, 0.5, [1.0], 3000.0)
    cut, _ = arrivals(1, 0, 0.5, [1.0], 3000.0, arrivals_until(None, 1000.0, 3000.0))
    assert np.array_equal(cut, everything[everything <= 1000.0])
    # simulate: requests arrive in the first 4 weeks (100 a week) and the run goes on 4 more
    # weeks without arrivals: every request is done and counted, 400 expected (a Poisson
    # count: within 15%, over 3 standard deviations of sqrt(400) = 20).
    org = office("[{id: ann, skills: [a]}]", "[{id: a, effort: 6m}]", "[a]", "100/week",
                 "[{people: [ann]}]")  # fmt: skip
    result = simulate(
        org, SimOptions(weeks=8, warmup=0, runs=1, seed=1, start=START, arrival_weeks=4)
    )
    assert result.requests_open_at_end == 0
    assert result.requests_completed == pytest.approx(400, rel=0.15)


MIXED = """
version: 1
org: {name: mixed, handoff_delay: 30m}
people:
  - {id: ann, skills: [a, b, c, d]}
  - {id: bob, skills: [a, b, c, d]}
  - {id: cid, skills: [a, b, c, d]}
activities:
  - {id: a, effort: {dist: exponential, mean: 1h}}
  - {id: b, effort: {mean: 2h, cv: 0.5}}
  - {id: c, effort: 1h}
  - {id: d, effort: {dist: exponential, mean: 30m}}
processes:
  - id: p
    steps:
      - {activity: a, stop: 0.1}
      - {activity: b, delay: {mean: 8h, cv: 1}, rework: {to: b, probability: 0.3, max: 2}}
      - {id: pick, activity: [c, d], shares: [0.4, 0.6], probability: 0.8}
customers: [{id: k, demand: {p: 8/week}}]
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, pool: [bob, cid], pickup: any}
  - {activity: c, people: [ann], effort: 3h}
  - {activity: d, people: [cid, bob]}
"""


def test_simulate_and_analyze_agree_on_a_mixed_office() -> None:
    # Every addition at once, serial: analyze's mean is exact but for its queueing
    # approximations at moderate load; the simulated mean within 5% of it.
    org = load_text(MIXED)
    analytic = orgflow.analyze(org).summary
    result = run(org, weeks=300, runs=6)
    near(result, analytic.lead_time_hours, 0.05)
    assert result.parts["external"] == pytest.approx(analytic.parts.external, rel=0.05)
    # The parts add up to the mean over every request (the estimate is the mean of the run
    # means: the same within a fraction of a percent).
    assert sum(result.parts.values()) == pytest.approx(result.lead_time.mean, rel=0.01)


def test_random_routes_run_on_the_event_engine_only(monkeypatch: pytest.MonkeyPatch) -> None:
    org = load_text(MIXED)
    sim = Simulator(org)
    assert sim.random_routes
    assert sim.plan is None
    # The compiled kernel runs them too (issue 17; the same figures: tests/simulate/test_kernel).
    monkeypatch.setattr(kernel, "_ahead_of_time", lambda: object())
    assert kernel.worth_it(sim, 1e9)
    with pytest.raises(SimulationError, match="only the event engine"):
        run(org, weeks=2, runs=1, engine="flow")
    auto = run(org, weeks=20, runs=2, engine="auto")
    event = run(org, weeks=20, runs=2, engine="event")
    assert auto.lead_time == event.lead_time


def test_the_same_seed_gives_the_same_figures_with_one_or_two_jobs() -> None:
    org = orgflow.load(ROOT / "samples" / "purchasing.yaml")
    options = SimOptions(weeks=30, warmup=2, runs=2, seed=5, start=START, jobs=1)
    one = simulate(org, options, keep_samples=True)
    again = simulate(org, options, keep_samples=True)
    two = simulate(org, SimOptions(**{**options.__dict__, "jobs": 2}), keep_samples=True)
    assert np.array_equal(one.samples, again.samples)
    assert np.array_equal(one.samples, two.samples)
    assert one.parts == two.parts
    assert one.lead_time == two.lead_time
