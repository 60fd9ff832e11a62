"""The simulator against closed forms, within the 95% confidence interval it reports."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

import numpy as np
import pytest

from orgflow import load_text
from orgflow.model import Org
from orgflow.simulate import events as engine_module
from orgflow.simulate import flow as flow_module
from orgflow.simulate.engine import RunResult, Simulator
from orgflow.simulate.runner import SimOptions, SimResult, simulate, working_hours_from
from orgflow.units import Calendar

START = dt.date(2026, 1, 5)  # a Monday


def office(people: str, activities: str, steps: str, rate: str, rules: str, org: str = "") -> Org:
    return load_text(f"""
version: 1
org: {{name: test{org}}}
people: {people}
activities: {activities}
processes: [{{id: p, steps: {steps}}}]
customers: [{{id: c, demand: {{p: {rate}}}}}]
assignments: {rules}
""")


ENGINES = pytest.mark.parametrize("engine", ["event", "flow"])


def run(
    org: Org, *, weeks: float = 400, runs: int = 10, seed: int = 1, engine: str = "auto"
) -> SimResult:
    return simulate(
        org, SimOptions(weeks=weeks, warmup=10, runs=runs, seed=seed, start=START, engine=engine)
    )


def assert_within_ci(result: SimResult, expected: float) -> None:
    e = result.lead_time
    assert abs(e.mean - expected) <= e.ci95, (e.mean, e.ci95, expected)
    # The interval must be informative, not a blanket.
    assert e.ci95 < 0.1 * expected


@ENGINES
def test_mm1(engine: str) -> None:
    # M/M/1: lambda = 0.5/h (20/week at 40 h/week), E[S] = 1h, rho = 0.5.
    # Mean time in system W = E[S] / (1 - rho) = 1 / 0.5 = 2 h.
    org = office(
        "[{id: a, skills: [x]}]",
        "[{id: x, effort: {dist: exponential, mean: 1h}}]",
        "[x]",
        "20/week",
        "[{people: [a]}]",
    )
    result = run(org, engine=engine)
    assert_within_ci(result, 2.0)
    # Utilization rho = 0.5; mean number waiting Lq = rho^2 / (1 - rho) = 0.25 / 0.5 = 0.5.
    # A time average over 10 runs of 410 weeks (164,000 h) has a standard error of about
    # sqrt(24 / 164,000) = 0.012 (M/M/1 at rho = 0.5: asymptotic variance 2 rho (1 + rho) /
    # (1 - rho)^4 = 24 per hour): within 8% is more than three of them.
    (a,) = result.people
    assert a.utilization == pytest.approx(0.5, abs=0.01)
    assert a.mean_queue == pytest.approx(0.5, rel=0.08)


@ENGINES
def test_mmc_pool_erlang_c(engine: str) -> None:
    # M/M/2 pool: lambda = 1.5/h (60/week), E[S] = 1h, a = 1.5, rho = 0.75.
    # Erlang C(2, 1.5) = (a^2/2! * 2/(2 - a)) / (1 + a + a^2/2! * 2/(2 - a))
    #                  = (1.125 * 4) / (1 + 1.5 + 4.5) = 4.5 / 7 = 0.642857.
    # Wq = C / (c mu - lambda) = 0.642857 / (2 - 1.5) = 1.285714 h; W = Wq + 1 = 2.285714 h.
    org = office(
        "[{id: a, skills: [x]}, {id: b, skills: [x]}]",
        "[{id: x, effort: {dist: exponential, mean: 1h}}]",
        "[x]",
        "60/week",
        "[{pool: [a, b]}]",
    )
    result = run(org, engine=engine)
    assert_within_ci(result, 1 + (4.5 / 7) / 0.5)
    # The pool's queue is each member's: Lq = C rho / (1 - rho) = 0.642857 * 3 = 1.928571.
    # The members share the work a / c = 0.75 on average (the first free one takes it, so a
    # works more than b).
    a, b = result.people
    assert a.mean_queue == b.mean_queue == pytest.approx(4.5 / 7 * 3, rel=0.08)
    assert (a.utilization + b.utilization) / 2 == pytest.approx(0.75, abs=0.01)


@ENGINES
def test_tandem_jackson(engine: str) -> None:
    # Three M/M/1 desks in series, lambda = 0.5/h, E[S] = 1h each, no handoff delay.
    # Jackson: each desk is M/M/1 with W = 1 / (1 - 0.5) = 2 h; the request takes 3 * 2 = 6 h.
    org = office(
        "[{id: a, skills: [x]}, {id: b, skills: [y]}, {id: d, skills: [z]}]",
        "[{id: x, effort: {dist: exponential, mean: 1h}}, "
        "{id: y, effort: {dist: exponential, mean: 1h}}, "
        "{id: z, effort: {dist: exponential, mean: 1h}}]",
        "[x, y, z]",
        "20/week",
        "[{activity: x, people: [a]}, {activity: y, people: [b]}, {activity: z, people: [d]}]",
    )
    assert_within_ci(run(org, engine=engine), 6.0)


@ENGINES
def test_md1_pollaczek_khinchine(engine: str) -> None:
    # M/D/1: lambda = 0.5/h, S = 1 h fixed, rho = 0.5.
    # P-K: Wq = lambda E[S^2] / (2 (1 - rho)) = 0.5 * 1 / (2 * 0.5) = 0.5 h; W = 1.5 h.
    org = office(
        "[{id: a, skills: [x]}]", "[{id: x, effort: 1h}]", "[x]", "20/week", "[{people: [a]}]"
    )
    assert_within_ci(run(org, engine=engine), 1.5)


@ENGINES
def test_absences_without_backup(engine: str) -> None:
    # One desk, S = 1 h fixed, lambda = 0.1/h (4/week); the person is present A = 0.9 of the
    # time in exponential spells: away spells of mean D = 8 h (absence_spell: 1d), so away
    # spells start at rate f = (1 - A) / (A D) = 0.1 / 7.2 while present, and end at g = 1/D.
    # An absence interrupts the job in hand (it resumes afterwards), so the completion time
    # C = S + the spells met: E[C] = S / A, E[C^2] = S^2 / A^2 + f S 2 D^2.
    # A request that finds the desk empty finds the person away with probability
    # q = f / (lambda + f + g) (the idle period is exponential with rate lambda and starts
    # with the person present) and then also waits the rest of the spell, R, mean D.
    # That is an M/G/1 queue with an exceptional first service X0 = C + R 1{away}; with
    # p0 = (1 - lambda E[C]) / (1 + lambda (E[X0] - E[C])) the share of requests finding it
    # empty, the work in the queue is E[V] = lambda ((1 - p0) E[C^2] + p0 E[X0^2]) /
    # (2 (1 - lambda E[C])), and the lead time W = E[V] + p0 q D + E[C].
    lam, s, a, d = 0.1, 1.0, 0.9, 8.0
    f, g = (1 - a) / (a * d), 1 / d
    ec, ec2 = s / a, s * s / a**2 + f * s * 2 * d * d  # 1.1111, 3.0123
    q = f / (lam + f + g)  # 0.05814
    ex0 = ec + q * d  # 1.5762
    ex02 = ec2 + 2 * q * d * ec + q * 2 * d * d  # 11.4878
    p0 = (1 - lam * ec) / (1 + lam * (ex0 - ec))  # 0.84938
    ev = lam * ((1 - p0) * ec2 + p0 * ex02) / (2 * (1 - lam * ec))  # 0.57438
    expected = ev + p0 * q * d + ec  # 2.0806 h
    assert expected == pytest.approx(2.0806, abs=1e-3)
    org = load_text("""
version: 1
org: {absence_spell: 1d}
people: [{id: a, skills: [x], availability: 0.9}]
activities: [{id: x, effort: 1h}]
processes: [{id: p, steps: [x]}]
customers: [{id: c, demand: {p: 4/week}}]
assignments: [{people: [a]}]
""")
    result = run(org, weeks=2000, runs=10, engine=engine)
    assert_within_ci(result, expected)
    # Work done while present: utilization = lambda E[S] / A = 0.1 / 0.9 = 0.111.
    person = result.people[0]
    assert person.utilization == pytest.approx(0.1 / 0.9, rel=0.03)
    # Waiting before the work begins: W - E[C] = 2.0806 - 1.1111 = 0.9695 h; Little's law:
    # lambda * 0.9695 = 0.09695 waiting on average.
    assert person.mean_queue == pytest.approx(lam * (expected - ec), rel=0.05)
    # Delayed by her absence: the requests that arrive while she is away, 1 - A = 0.1 of
    # them (Poisson arrivals see time averages), plus the few that find her present but busy
    # (about 0.11) and see her leave during their wait of about an hour (f * 1 h = 0.014):
    # about 0.0015 more.
    assert person.delayed_by_absence_share == pytest.approx(0.1 + 0.0015, abs=0.005)


@ENGINES
def test_work_handed_to_oneself_continues_at_once(engine: str) -> None:
    # Two 1 h steps, a 2 h handoff delay, requests so rare they never meet.
    # Same person for both: the second step follows at once: 1 + 1 = 2 h, every time.
    # Different people: 1 + 2 (handoff) + 1 = 4 h.
    base = "[{id: a, skills: [x, y]}, {id: b, skills: [x, y]}]"
    acts = "[{id: x, effort: 1h}, {id: y, effort: 1h}]"
    one = load_text(f"""
version: 1
org: {{handoff_delay: 2h}}
people: {base}
activities: {acts}
processes: [{{id: p, steps: [x, y]}}]
customers: [{{id: c, demand: {{p: 0.01/week}}}}]
assignments: [{{people: [a]}}]
""")
    two = load_text(f"""
version: 1
org: {{handoff_delay: 2h}}
people: {base}
activities: {acts}
processes: [{{id: p, steps: [x, y]}}]
customers: [{{id: c, demand: {{p: 0.01/week}}}}]
assignments: [{{activity: x, people: [a]}}, {{activity: y, people: [b]}}]
""")
    same, other = (
        run(one, weeks=5000, runs=2, engine=engine),
        run(two, weeks=5000, runs=2, engine=engine),
    )
    assert same.lead_time.count > 50
    assert same.lead_time.max == pytest.approx(2.0)
    assert same.lead_time.p50 == pytest.approx(2.0)
    assert other.lead_time.p50 == pytest.approx(4.0)
    assert other.parts["handoff"] == pytest.approx(2.0)
    assert same.parts["handoff"] == 0.0


@ENGINES
def test_same_seed_same_numbers(engine: str) -> None:
    org = office(
        "[{id: a, skills: [x]}]",
        "[{id: x, effort: {dist: exponential, mean: 1h}}]",
        "[x]",
        "20/week",
        "[{people: [a]}]",
    )
    first, again = (
        run(org, weeks=50, runs=3, engine=engine),
        run(org, weeks=50, runs=3, engine=engine),
    )
    other = run(org, weeks=50, runs=3, seed=2, engine=engine)
    assert first.lead_time == again.lead_time
    assert first.run_means == again.run_means
    assert first.lead_time != other.lead_time


@ENGINES
def test_overloaded_office_still_finishes(engine: str) -> None:
    # lambda E[S] = 50/week * 1 h = 50 h of work a week for 40 h: utilization 1.25.
    org = office(
        "[{id: a, skills: [x]}]", "[{id: x, effort: 1h}]", "[x]", "50/week", "[{people: [a]}]"
    )
    result = run(org, weeks=20, runs=2, engine=engine)
    assert result.overloaded == ["a"]
    # 10 h of work a week more than she can do: the backlog grows by about 10 requests a week
    # over 20 weeks: about 200 requests.
    assert result.backlog_growth == pytest.approx(200, rel=0.25)
    assert math.isfinite(result.lead_time.mean)


def test_working_hours_from_dates() -> None:
    cal = Calendar(8, 5)
    # Monday 5 Jan 2026 to Monday 12 Jan: five working days = 40 h.
    assert working_hours_from(START, dt.date(2026, 1, 12), cal) == 40
    # To Saturday 10 Jan: Monday..Friday = 40 h; to Wednesday 7 Jan: two days = 16 h.
    assert working_hours_from(START, dt.date(2026, 1, 10), cal) == 40
    assert working_hours_from(START, dt.date(2026, 1, 7), cal) == 16


@ENGINES
def test_dated_absence_delays_requests(engine: str) -> None:
    # One person away on Wednesday 7 Jan 2026 (working hours 16 to 24 from Monday 5 Jan);
    # requests (20/week = 0.5/h) of 1 minute each, one-week runs.
    # A request arriving while she is away (probability 8 h / 40 h = 0.2) waits for her
    # return: 4 h on average, plus the others that arrived before it that day, 1 minute each:
    # about 4 of them arrive in the 8 hours, so on average 2 are ahead: 2/60 h.
    # Other requests hardly queue (rho = 0.5 / 60). Lead time: work 1/60 h plus
    # 0.2 * (4 + 2/60) h = 0.8067 h: 0.8233 h in all.
    away = load_text("""
version: 1
people: [{id: a, skills: [x], absences: [{from: 2026-01-07, to: 2026-01-07}]}]
activities: [{id: x, effort: 1m}]
processes: [{id: p, steps: [x]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{people: [a]}]
""")
    result = simulate(
        away, SimOptions(weeks=1, warmup=0, runs=400, seed=3, start=START, engine=engine)
    )
    expected = 1 / 60 + 0.2 * (4 + 2 / 60)
    assert abs(result.lead_time.mean - expected) <= result.lead_time.ci95
    # The absence part: everything but the minute of work and a little queueing.
    assert result.parts["absence"] == pytest.approx(0.2 * 4, rel=0.1)


ONE_DESK = """
version: 1
people: [{id: a, skills: [x]}]
activities: [{id: x, effort: 1h}]
processes: [{id: p, steps: [x]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{people: [a]}]
"""


def scripted(
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    times: list[float],
    away: dict[str, list[tuple[float, float]]],
    engine: str,
) -> RunResult:
    """One run of 10 working hours with the arrivals ``times`` instead of random ones, and
    the dated absences ``away`` (working hours), for figures worked out by hand."""
    org = load_text(text)

    def chunks(*_args: object) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        yield np.asarray(times, dtype=float), np.zeros(len(times), dtype=np.int64)

    monkeypatch.setattr(engine_module, "arrival_chunks", chunks)
    monkeypatch.setattr(flow_module, "arrival_chunks", chunks)
    dated = [away.get(p.id, []) for p in org.org.people]
    return Simulator(org, dated).run_any(1, 0, 10.0, 0.0, engine)


@ENGINES
def test_person_figures_by_hand(monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    # One person, 1 h a request, away from 3.2 h to 4.2 h; requests at 0, 0.1, 0.2, 3.5, 6.
    # She does them 0-1, 1-2, 2-3, then (the fourth came while she was away) 4.2-5.2, 6-7.
    # Waits: 0.9 + 1.8 (queueing) + 0.7 (her absence) = 3.4 h over 10 h: 0.34 waiting on
    # average; at most 2 waiting (at 0.2 h); busy 5 h of her 9 h present: 5/9; one request in
    # five delayed by her absence. Lead times 1, 1.9, 2.8, 1.7, 1: mean 8.4 / 5 = 1.68 h.
    result = scripted(monkeypatch, ONE_DESK, [0.0, 0.1, 0.2, 3.5, 6.0], {"a": [(3.2, 4.2)]}, engine)
    assert sorted(result.lead_times.tolist()) == pytest.approx([1.0, 1.0, 1.7, 1.9, 2.8])
    assert result.utilization == pytest.approx([5 / 9])
    assert result.mean_queue == pytest.approx([0.34])
    assert result.max_queue == [2]
    assert result.delayed_share == pytest.approx([0.2])
    # touch 5 h, queueing 0.9 + 1.8 h, no handoff, absence 0.7 h
    assert result.parts_sum == pytest.approx((5.0, 2.7, 0.0, 0.7))


@ENGINES
def test_pool_figures_by_hand(monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    # A pool of a and b, 1 h a request; b is away until 0.5 h, both from 7 h to 8 h.
    # Requests at 0, 0.1, 0.2, 0.3, 5, 7.5:
    #   a: 0-1 (the first), 1-2 (the third), 5-6 (the fifth), 8-9 (the sixth: it came when
    #      nobody was there and waited for a, the first back);
    #   b: 0.5-1.5 (the second), 1.5-2.5 (the fourth).
    # The pool's queue is each member's: waits 0.4 + 0.8 + 1.2 + 0.5 = 2.9 h over 10 h
    # (0.29 each), at most 3 waiting (0.3 h to 0.5 h). a busy 4 h of 9 present (4/9), b 2 h
    # of 8.5 (2/8.5). Delayed by absence: the sixth only, one of a's four. Waits in a pool
    # are queueing (2.4 h) but for the 0.5 h nobody was there (absence).
    # Lead times 1, 1.4, 1.8, 2.2, 1, 1.5.
    result = scripted(
        monkeypatch,
        """
version: 1
people: [{id: a, skills: [x]}, {id: b, skills: [x]}]
activities: [{id: x, effort: 1h}]
processes: [{id: p, steps: [x]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{pool: [a, b]}]
""",
        [0.0, 0.1, 0.2, 0.3, 5.0, 7.5],
        {"a": [(7.0, 8.0)], "b": [(0.0, 0.5), (7.0, 8.0)]},
        engine,
    )
    assert sorted(result.lead_times.tolist()) == pytest.approx([1.0, 1.0, 1.4, 1.5, 1.8, 2.2])
    assert result.utilization == pytest.approx([4 / 9, 2 / 8.5])
    assert result.mean_queue == pytest.approx([0.29, 0.29])
    assert result.max_queue == [3, 3]
    assert result.delayed_share == pytest.approx([0.25, 0.0])
    assert result.parts_sum == pytest.approx((6.0, 2.4, 0.0, 0.5))


POOL_OF_TWO = """
version: 1
people: [{id: a, skills: [x]}, {id: b, skills: [x]}]
activities: [{id: x, effort: 1h}]
processes: [{id: p, steps: [x]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{pool: [a, b]}]
"""


@ENGINES
def test_a_pool_gives_new_work_to_the_member_idle_the_longest(
    monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    # A pool of a and b, 1 h a request, requests at 0, 2, 4, 6 h of a 10 h run: both are free
    # at every arrival. At 0 neither has worked (a tie: a, first in the pool's order); at 2,
    # a has been idle since 1 and b since the start: b; at 4, a since 1 and b since 3: a; at
    # 6, b. Each is busy 2 h of 10 (the first free in the pool's order would give a 4 h, b 0).
    result = scripted(monkeypatch, POOL_OF_TWO, [0.0, 2.0, 4.0, 6.0], {}, engine)
    assert result.utilization == pytest.approx([2 / 10, 2 / 10])
    assert result.lead_times.tolist() == pytest.approx([1.0] * 4)
    # Requests at 0, 0.5, 3: a does 0-1, b (a is busy) 0.5-1.5; at 3 both are free, a idle
    # since 1 and b since 1.5: a. a busy 2 h, b 1 h.
    result = scripted(monkeypatch, POOL_OF_TWO, [0.0, 0.5, 3.0], {}, engine)
    assert result.utilization == pytest.approx([2 / 10, 1 / 10])


@ENGINES
def test_work_not_begun_by_the_end(monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    # Requests at 8.5, 8.6, 8.7 h of a 10 h run, 1 h each; away from 9.7 h to 9.8 h.
    # a does the first 8.5-9.5, begins the second at 9.5 (it ends at 10.6, after the
    # absence); the third is not begun by the end. Waiting within the run: 0.9 h (the second)
    # + 1.3 h (the third, until the end) = 2.2 h over 10 h: 0.22. Items taken before the end:
    # two, neither delayed by the absence (it fell during the work, not a wait).
    result = scripted(monkeypatch, ONE_DESK, [8.5, 8.6, 8.7], {"a": [(9.7, 9.8)]}, engine)
    assert result.lead_times.tolist() == pytest.approx([1.0])
    assert result.open_at_end == 2
    assert result.mean_queue == pytest.approx([0.22])
    assert result.max_queue == [2]
    assert result.delayed_share == [0.0]


@ENGINES
def test_ties_with_absences(monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    # Work that ends when an absence starts is done: a request at 1 h, 1 h of work, away from
    # 2 h to 3 h: done at 2 h (lead time 1 h). A request begun at once never waited (no queue).
    result = scripted(monkeypatch, ONE_DESK, [1.0], {"a": [(2.0, 3.0)]}, engine)
    assert result.lead_times.tolist() == pytest.approx([1.0])
    assert result.max_queue == [0]
    assert result.parts_sum == pytest.approx((1.0, 0.0, 0.0, 0.0))


CHAIN = """
version: 1
people: [{id: e, skills: [x]}, {id: f, skills: [x]}]
activities: [{id: x, effort: 1h}]
processes: [{id: p, steps: [x]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{people: [DESK]}]
"""


@ENGINES
def test_work_waiting_for_a_return(monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    # e, backed up by f; both away from 1 h, f back at 2 h, e at 3 h. Requests at 1.1, 1.2,
    # 1.3 h wait for the first back, f, who does them 2-3, 3-4, 4-5: they are in her queue
    # (3 at most), waiting 0.9 + 1.8 + 2.7 = 5.4 h (0.54 on average), all delayed by absence.
    # Lead times 1.9, 2.8, 3.7 h: touch 3, absence 0.9 + 0.8 + 0.7 = 2.4 (until f is back),
    # queueing 0 + 1 + 2 = 3. f busy 3 h of 9 h present.
    result = scripted(
        monkeypatch,
        CHAIN.replace("DESK", "e, f"),
        [1.1, 1.2, 1.3],
        {"e": [(1.0, 3.0)], "f": [(1.0, 2.0)]},
        engine,
    )
    assert sorted(result.lead_times.tolist()) == pytest.approx([1.9, 2.8, 3.7])
    assert result.max_queue == [0, 3]
    assert result.mean_queue == pytest.approx([0.0, 0.54])
    assert result.delayed_share == [0.0, 1.0]
    assert result.utilization == pytest.approx([0.0, 3 / 9])
    assert result.parts_sum == pytest.approx((3.0, 3.0, 0.0, 2.4))
    # Both back at the same time (a shared day off): the first of the desk's order takes it.
    for desk, busy in (("e, f", [1 / 9, 0.0]), ("f, e", [0.0, 1 / 9])):
        result = scripted(
            monkeypatch,
            CHAIN.replace("DESK", desk),
            [1.5],
            {"e": [(1.0, 2.0)], "f": [(1.0, 2.0)]},
            engine,
        )
        assert result.utilization == pytest.approx(busy)


@ENGINES
def test_a_fork_at_one_desk(monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    # a does x, then y and v (both after x), then z (after y); b does w after v. 1 h each.
    # a continues with the first branch at once (y 1-2, z 2-3); v waits at the front of her
    # queue (3-4), then w 4-5 at b's desk: lead time 5 h, along x, v, w: touch 3, queueing 2.
    result = scripted(
        monkeypatch,
        """
version: 1
people: [{id: a, skills: [x, y, z, v]}, {id: b, skills: [w]}]
activities: [{id: x, effort: 1h}, {id: y, effort: 1h}, {id: z, effort: 1h},
             {id: v, effort: 1h}, {id: w, effort: 1h}]
processes:
  - id: p
    steps: [x, y, z, {activity: v, after: [x]}, {activity: w, after: [v]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{activity: [x, y, z, v], people: [a]}, {activity: w, people: [b]}]
""",
        [0.0],
        {},
        engine,
    )
    assert result.lead_times.tolist() == pytest.approx([5.0])
    assert result.parts_sum == pytest.approx((3.0, 2.0, 0.0, 0.0))
    # The second branch is part of the request in hand, not an item of her queue.
    assert result.max_queue == [0, 0]
