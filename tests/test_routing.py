"""Random routes (issue 13): expected visits, lead time over routes, expected handoffs and the
monthly profile, each against values worked out by hand (arithmetic in the comments) or, for
visits, against an independent solve of the traffic equations as a Markov chain."""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics

import pytest

from orgflow.loader import load_text
from orgflow.routing import (
    Execution,
    Moments,
    RoutedStep,
    busiest_month,
    clark_max,
    draw_route,
    expected_handoffs,
    expected_visits,
    external_part,
    lead_time,
    month_starts,
    overloaded_only_in,
    passes,
    pool_change_probability,
    route_model,
    routed_steps,
)
from orgflow.units import Calendar


def step(sid: str, *preds: str, **kw: object) -> RoutedStep:
    activities = kw.pop("activities", ((sid, 1.0),))
    return RoutedStep(sid, tuple(preds), activities, **kw)  # type: ignore[arg-type]


def serial(*steps: RoutedStep) -> list[RoutedStep]:
    return list(steps)


def fixed(hours: dict[str, float]):  # type: ignore[no-untyped-def]
    return lambda sid, activity: Moments(hours[activity], 0.0)


# --- visits ------------------------------------------------------------------------------


def test_an_optional_step_is_done_for_its_share_of_requests() -> None:
    # a -> b (probability 0.2) -> c: b is done 0.2 times per request, a and c once.
    visits = expected_visits([step("a"), step("b", "a", probability=0.2), step("c", "b")])
    assert visits.steps == {"a": 1.0, "b": 0.2, "c": 1.0}
    # Its load: 10 requests/week x 0.2 x 30 min = 1 h/week.
    assert 10 * visits.steps["b"] * 0.5 == pytest.approx(1.0)


def test_a_stop_ends_that_share_of_the_requests() -> None:
    # a (stop 0.1) -> b (stop 0.5) -> c: b 0.9, c 0.9 x 0.5 = 0.45.
    visits = expected_visits([step("a", stop=0.1), step("b", "a", stop=0.5), step("c", "b")])
    assert visits.steps == pytest.approx({"a": 1.0, "b": 0.9, "c": 0.45})


def test_a_skipped_step_does_not_stop() -> None:
    # b (probability 0.5, stop 0.4): b stops 0.5 x 0.4 = 0.2 of the requests; c 0.8.
    visits = expected_visits([step("a"), step("b", "a", probability=0.5, stop=0.4), step("c", "b")])
    assert visits.steps["c"] == pytest.approx(0.8)


def test_alternatives_share_the_steps_visits() -> None:
    pay = step("pay", activities=(("card", 0.3), ("transfer", 0.7)))
    visits = expected_visits([step("a", stop=0.5), RoutedStep("pay", ("a",), pay.activities)])
    # pay is reached by half the requests: card 0.5 x 0.3 = 0.15, transfer 0.35.
    assert visits.activities == pytest.approx(
        {("a", "a"): 1.0, ("pay", "card"): 0.15, ("pay", "transfer"): 0.35}
    )


def test_rework_passes_are_geometric() -> None:
    # create -> analyze (back to create with 0.35): 1 / (1 - 0.35) = 1.53846 passes.
    steps = [step("create"), step("analyze", "create", rework_to="create", rework_probability=0.35)]
    visits = expected_visits(steps).steps
    assert visits == pytest.approx({"create": 1 / 0.65, "analyze": 1 / 0.65})


def test_rework_with_max_stops_looping() -> None:
    # At most 2 loops: 1 + 0.35 + 0.35^2 = 1.4725 passes.
    steps = [
        step("create"),
        step("analyze", "create", rework_to="create", rework_probability=0.35, rework_max=2),
    ]
    assert expected_visits(steps).steps["create"] == pytest.approx(1.4725)
    # Probability 1 with max 3: always 4 passes, exactly.
    always = [step("a", rework_to="a", rework_probability=1.0, rework_max=3)]
    assert expected_visits(always).steps["a"] == pytest.approx(4.0)
    assert passes(1.0, 3) == Moments(4.0, 0.0)


def test_a_stop_inside_a_loop_ends_it() -> None:
    # analyze: back 0.35, stop 0.1, on 0.55. v = 1 + 0.35 v -> v = 1/0.65 = 1.53846;
    # the next step: 0.55 v = 0.84615.
    steps = [
        step("create"),
        step("analyze", "create", stop=0.1, rework_to="create", rework_probability=0.35),
        step("order", "analyze"),
    ]
    visits = expected_visits(steps).steps
    assert visits["analyze"] == pytest.approx(1 / 0.65)
    assert visits["order"] == pytest.approx(0.55 / 0.65)


def test_nested_loops_multiply() -> None:
    # create -> analyze (back to itself 0.2) -> approve (back to create 0.5):
    # outer passes 1 / 0.5 = 2, inner 1 / 0.8 = 1.25: create 2, analyze 2.5, approve 2.
    steps = [
        step("create"),
        step("analyze", "create", rework_to="analyze", rework_probability=0.2),
        step("approve", "analyze", rework_to="create", rework_probability=0.5),
    ]
    assert expected_visits(steps).steps == pytest.approx(
        {"create": 2.0, "analyze": 2.5, "approve": 2.0}
    )


def test_a_branch_is_cancelled_only_below_the_stop() -> None:
    # a -> b (stop 0.4) -> d; a -> c: c is done by every request, d by 0.6.
    steps = [step("a"), step("b", "a", stop=0.4), step("c", "a"), step("d", "b")]
    assert expected_visits(steps).steps == pytest.approx({"a": 1, "b": 1, "c": 1, "d": 0.6})


def _markov_visits(steps: list[RoutedStep]) -> dict[str, float]:
    """Visits of a serial process by solving v = e + v P, the traffic equations written as a
    Markov chain over (step, loops made so far); written apart from the module's blocks."""
    import numpy as np

    n = len(steps)
    cap = {i: s.rework_max for i, s in enumerate(steps) if s.rework_to is not None}
    most = max((c or 0 for c in cap.values()), default=0)
    states = [(i, k) for i in range(n) for k in range(most + 1)]
    index = {s: j for j, s in enumerate(states)}
    pos = {s.id: i for i, s in enumerate(steps)}
    p = np.zeros((len(states), len(states)))
    e = np.zeros(len(states))

    def enter(j: int, k: int, weight: float, row: np.ndarray) -> None:
        # Try steps j, j+1, ... until one is done (each with its probability).
        while j < n and weight > 0:
            q = steps[j].probability
            row[index[(j, k)]] += weight * q
            weight *= 1 - q
            j += 1

    enter(0, 0, 1.0, e)
    for (i, k), j in index.items():
        s = steps[i]
        back = 0.0
        if s.rework_to is not None and (s.rework_max is None or k < s.rework_max):
            back = s.rework_probability
            nk = k + 1 if s.rework_max is not None else k
            enter(pos[s.rework_to], nk, back, p[j])
        enter(i + 1, k if s.rework_to is None else 0, 1 - s.stop - back, p[j])
    v = np.linalg.solve((np.eye(len(states)) - p).T, e)
    out = dict.fromkeys((s.id for s in steps), 0.0)
    for (i, _k), j in index.items():
        out[steps[i].id] += float(v[j])
    return out


@pytest.mark.parametrize("seed", range(12))
def test_visits_agree_with_the_markov_chain(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(2, 6)
    steps = []
    for i in range(n):
        kw: dict[str, object] = {}
        if rng.random() < 0.4:
            kw["probability"] = round(rng.uniform(0.1, 1), 2)
        if rng.random() < 0.4:
            kw["stop"] = round(rng.uniform(0, 0.3), 2)
        steps.append(step(f"s{i}", *([f"s{i - 1}"] if i else []), **kw))
    end = rng.randrange(n)
    start = rng.randrange(end + 1)
    loop = {
        "rework_to": f"s{start}",
        "rework_probability": round(rng.uniform(0.1, 0.6), 2),
        "rework_max": rng.choice([None, 1, 2, 3]),
    }
    s = steps[end]
    steps[end] = RoutedStep(s.id, s.preds, s.activities, s.probability, s.stop, **loop)  # type: ignore[arg-type]
    assert expected_visits(steps).steps == pytest.approx(_markov_visits(steps))


# --- lead time over routes ---------------------------------------------------------------


def test_a_delay_adds_exactly_its_mean() -> None:
    # a (1 h) -> b (2 h) after a 17 h delay: 20 h, of which 17 h external.
    steps = [step("a"), step("b", "a", delay=Moments(17.0, 0.0))]
    hours = fixed({"a": 1.0, "b": 2.0})
    assert lead_time(steps, hours).mean == pytest.approx(20.0)
    assert external_part(steps, hours) == pytest.approx(17.0)
    # A lognormal delay {mean: 200h, cv: 1.4}: its mean, 200 h, adds (variance 1.96 x 200^2).
    long = [step("a"), step("b", "a", delay=Moments(200.0, 1.96 * 200**2))]
    lt = lead_time(long, hours)
    assert lt.mean == pytest.approx(203.0)
    assert lt.var == pytest.approx(1.96 * 200**2)


def test_mm1_with_bernoulli_feedback() -> None:
    # One M/M/1 desk, mu = 1/h, lambda = 0.3/h, a request goes back with p = 0.4. Visits
    # 1 / 0.6; the desk receives Lambda = 0.3 / 0.6 = 0.5/h, so each visit's sojourn is
    # 1 / (mu - Lambda) = 2 h (Jackson) and the lead time 2 / 0.6 = 3.333 h =
    # 1 / ((1 - p) mu - lambda) = 1 / (0.6 - 0.3).
    steps = [step("a", rework_to="a", rework_probability=0.4)]
    visits = expected_visits(steps).steps["a"]
    total_rate = 0.3 * visits
    sojourn = 1 / (1.0 - total_rate)
    assert lead_time(steps, lambda s, a: Moments(sojourn, sojourn**2)).mean == pytest.approx(
        1 / (0.6 * 1.0 - 0.3)
    )


def test_alternatives_mix_by_their_shares() -> None:
    # 0.3 x 1 h + 0.7 x 3 h = 2.4 h; E[X^2] = 0.3 x 1 + 0.7 x 9 = 6.6, variance 6.6 - 5.76.
    steps = [step("pay", activities=(("card", 0.3), ("transfer", 0.7)))]
    lt = lead_time(steps, fixed({"card": 1.0, "transfer": 3.0}))
    assert lt.mean == pytest.approx(2.4)
    assert lt.var == pytest.approx(0.84)


def test_optional_and_stopped_steps_weigh_their_time() -> None:
    # a 1 h (stop 0.1) -> b 2 h (probability 0.5) -> c 4 h: 1 + 0.9 x 0.5 x 2 + 0.9 x 4 = 5.5.
    steps = [step("a", stop=0.1), step("b", "a", probability=0.5), step("c", "b")]
    assert lead_time(steps, fixed({"a": 1, "b": 2, "c": 4})).mean == pytest.approx(5.5)


def test_rework_passes_add_their_time() -> None:
    # create 1 h -> analyze 2 h (back 0.35, at most 2 loops) -> order 1 h:
    # 1.4725 passes x 3 h + 1 h = 5.4175 h. The passes' variance: E[K^2] = 1 + 3 x 0.35
    # + 5 x 0.1225 = 2.6625, Var K = 2.6625 - 1.4725^2 = 0.49424; the time's: 9 x 0.49424.
    steps = [
        step("create"),
        step("analyze", "create", rework_to="create", rework_probability=0.35, rework_max=2),
        step("order", "analyze"),
    ]
    lt = lead_time(steps, fixed({"create": 1, "analyze": 2, "order": 1}))
    assert lt.mean == pytest.approx(5.4175)
    assert lt.var == pytest.approx(9 * (2.6625 - 1.4725**2))


def test_parallel_branches_take_the_later() -> None:
    # a 1 h -> (b 2 h, c 5 h) -> d 1 h, fixed: 1 + 5 + 1 = 7 h.
    steps = [step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c")]
    assert lead_time(steps, fixed({"a": 1, "b": 2, "c": 5, "d": 1})).mean == pytest.approx(7.0)


def test_clark_max_of_two_equal_normals() -> None:
    # E max(X, Y), X, Y ~ N(0, 1) independent: 1/sqrt(pi) = 0.56419.
    assert clark_max(Moments(0, 1), Moments(0, 1)).mean == pytest.approx(0.5641896)


# --- handoffs ----------------------------------------------------------------------------


def test_pool_change_probability() -> None:
    assert pool_change_probability([40, 40, 40]) == pytest.approx(2 / 3)  # (n - 1) / n
    # Present capacities 40 and 20: shares 2/3, 1/3; 1 - (4/9 + 1/9) = 4/9.
    assert pool_change_probability([40, 20]) == pytest.approx(4 / 9)
    assert pool_change_probability([40]) == 0.0


def test_pickup_any_changes_person_between_steps_of_one_pool() -> None:
    # a -> b (probability 0.5) -> c, all at pool P of 3 equal members, pickup any (2/3):
    # b done: 2 transitions, 4/3; skipped: 1, 2/3; mean 0.5 x 4/3 + 0.5 x 2/3 = 1.
    steps = [step("a"), step("b", "a", probability=0.5), step("c", "b")]
    any_ = expected_handoffs(steps, lambda s, a: "P", lambda d: 2 / 3)
    assert any_ == pytest.approx(1.0)
    assert expected_handoffs(steps, lambda s, a: "P", lambda d: 0.0) == 0.0  # pickup same


def test_a_skipped_step_between_two_steps_of_one_desk_is_no_handoff() -> None:
    # ann: a, c; bob: b (probability 0.5). b done: 2 handoffs; skipped: a -> c, none. Mean 1.
    desks = {"a": "ann", "b": "bob", "c": "ann"}
    steps = [step("a"), step("b", "a", probability=0.5), step("c", "b")]
    assert expected_handoffs(steps, lambda s, a: desks[s], lambda d: 0.0) == pytest.approx(1.0)


def test_rework_hands_back() -> None:
    # ann creates, bob analyzes (back to create 0.5): passes 2; per pass ann -> bob, and
    # bob -> ann on each loop back (1 expected): 2 + 1 = 3 handoffs.
    desks = {"create": "ann", "analyze": "bob"}
    steps = [step("create"), step("analyze", "create", rework_to="create", rework_probability=0.5)]
    assert expected_handoffs(steps, lambda s, a: desks[s], lambda d: 0.0) == pytest.approx(3.0)


def test_alternatives_hand_off_by_their_desks() -> None:
    # ann: a; pay by card at ann (0.3), by transfer at bob (0.7): 0.7 handoffs.
    desks = {"a": "ann", "card": "ann", "transfer": "bob"}
    pay = RoutedStep("pay", ("a",), (("card", 0.3), ("transfer", 0.7)))
    found = expected_handoffs([step("a"), pay], lambda s, a: desks[a], lambda d: 0.0)
    assert found == pytest.approx(0.7)


# --- from the org file ---------------------------------------------------------------------


def test_routed_steps_read_the_process() -> None:
    org = load_text(
        """\
version: 1
people: [{id: ann, skills: [a, b, c, d]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}, {id: d, effort: 1h}]
processes:
  - id: p
    steps:
      - a
      - {activity: b, delay: {mean: 200h, cv: 1.4}, stop: 0.1, rework: {to: a, probability: 0.3, max: 2}}
      - {id: pay, activity: [c, d], shares: [0.25, 0.75], probability: 0.5}
customers: [{id: x, demand: {p: 1/week}}]
assignments: [{people: [ann]}]
"""  # noqa: E501
    )
    a, b, pay = routed_steps(org.processes[0], Calendar())
    assert a == RoutedStep("a", (), (("a", 1.0),))
    assert b.delay.mean == 200.0
    assert b.delay.var == pytest.approx(1.96 * 200**2)
    assert (b.stop, b.rework_to, b.rework_probability, b.rework_max) == (0.1, "a", 0.3, 2)
    assert pay.activities == (("c", 0.25), ("d", 0.75))
    assert pay.preds == ("b",)
    assert pay.probability == 0.5


# --- months --------------------------------------------------------------------------------


def test_the_busiest_month_and_who_is_overloaded_only_then() -> None:
    factors = [2.0, 1.4, 1, 1, 1, 1, 1, 0.6, 1, 0.6, 0.8, 0.6]  # mean 12 / 12 = 1
    peak = busiest_month(factors)
    assert (peak.month, peak.name, peak.factor) == (1, "January", 2.0)
    # kim at 60% on average is at 120% in January; ann at 40% reaches 80%; bob is always over.
    assert overloaded_only_in(peak.factor, {"kim": 0.6, "ann": 0.4, "bob": 1.1}) == ["kim"]
    # An M/M/1 desk, mu = 1/h, lambda = 0.3/h on average: sojourn 1 / (1 - 0.3) = 1.43 h;
    # in January lambda = 0.6/h: 1 / (1 - 0.6) = 2.5 h.
    assert 1 / (1 - 0.3 * peak.factor) == pytest.approx(2.5)


def test_month_starts_follow_the_calendar() -> None:
    found = month_starts(dt.date(2026, 11, 15), dt.date(2027, 2, 1))
    assert found == [
        (dt.date(2026, 11, 15), 11),
        (dt.date(2026, 12, 1), 12),
        (dt.date(2027, 1, 1), 1),
    ]


def test_no_handoff_for_requests_that_stopped() -> None:
    # ann: a (stop 0.5); bob: b. Half the requests reach b: 0.5 handoffs.
    desks = {"a": "ann", "b": "bob"}
    steps = [step("a", stop=0.5), step("b", "a")]
    assert expected_handoffs(steps, lambda s, a: desks[s], lambda d: 0.0) == pytest.approx(0.5)


# --- drawn routes: the Monte Carlo reference ------------------------------------------------


def _random_serial(seed: int, alternatives: bool = False) -> list[RoutedStep]:
    rng = random.Random(seed)
    n = rng.randint(2, 6)
    steps = []
    for i in range(n):
        kw: dict[str, object] = {}
        if rng.random() < 0.4:
            kw["probability"] = round(rng.uniform(0.1, 1), 2)
        if rng.random() < 0.4:
            kw["stop"] = round(rng.uniform(0, 0.3), 2)
        if alternatives and rng.random() < 0.5:
            share = round(rng.uniform(0.1, 0.9), 2)
            kw["activities"] = ((f"s{i}", share), (f"s{i}x", 1 - share))
        steps.append(step(f"s{i}", *([f"s{i - 1}"] if i else []), **kw))
    end = rng.randrange(n)
    start = rng.randrange(end + 1)
    s = steps[end]
    steps[end] = RoutedStep(
        s.id,
        s.preds,
        s.activities,
        s.probability,
        s.stop,
        f"s{start}",
        round(rng.uniform(0.1, 0.6), 2),
        rng.choice([None, 1, 2, 3]),
    )
    return steps


def _draws(steps: list[RoutedStep], n: int, seed: int) -> list[list[Execution]]:
    model = route_model(steps)
    rng = random.Random(seed)
    return [draw_route(model, rng) for _ in range(n)]


@pytest.mark.parametrize("seed", range(6))
def test_drawn_routes_visit_steps_as_expected(seed: int) -> None:
    # 20,000 routes: each step's mean count within 4 standard errors of its expected visits.
    steps = _random_serial(seed, alternatives=True)
    routes = _draws(steps, 20_000, seed)
    expected = expected_visits(steps).activities
    for (sid, activity), mean in expected.items():
        counts = [sum(1 for e in r if (e.step, e.activity) == (sid, activity)) for r in routes]
        sd = statistics.pstdev(counts) / math.sqrt(len(counts))
        assert abs(statistics.fmean(counts) - mean) <= 4 * sd + 1e-9, (sid, activity)


@pytest.mark.parametrize("seed", range(6))
def test_drawn_routes_hand_off_as_expected(seed: int) -> None:
    # Desks: even steps at ann, odd ones at bob, the second alternatives at pool P (pickup
    # any, 2/3 change); each route's handoffs: the sum over its waits of the change
    # probability.
    steps = _random_serial(seed, alternatives=True)

    def desk(sid: str, activity: str) -> str:
        return "P" if activity.endswith("x") else ("ann" if int(sid[1:]) % 2 == 0 else "bob")

    def change(a: str, b: str) -> float:
        return (2 / 3 if a == "P" else 0.0) if a == b else 1.0

    routes = _draws(steps, 20_000, seed + 100)
    per_route = [
        sum(
            change(desk(r[w].step, r[w].activity), desk(e.step, e.activity))
            for e in r
            for w in e.waits_for
        )
        for r in routes
    ]
    sd = statistics.pstdev(per_route) / math.sqrt(len(per_route))
    found = expected_handoffs(steps, desk, lambda d: 2 / 3 if d == "P" else 0.0)
    assert abs(statistics.fmean(per_route) - found) <= 4 * sd + 1e-9


def _route_lead(route: list[Execution], hours: dict[str, float], delay: dict[str, float]) -> float:
    done: list[float] = []
    for e in route:
        start = max((done[w] for w in e.waits_for), default=0.0)
        done.append(start + delay.get(e.step, 0.0) + hours[e.activity])
    return max(done, default=0.0)


def test_drawn_routes_take_the_expected_lead_time_on_a_serial_process() -> None:
    steps = _random_serial(3, alternatives=True)
    rng = random.Random(5)
    hours = {a: rng.uniform(0.5, 4) for s in steps for a, _ in s.activities}
    routes = _draws(steps, 20_000, 11)
    leads = [_route_lead(r, hours, {}) for r in routes]
    sd = statistics.pstdev(leads) / math.sqrt(len(leads))
    exact = lead_time(steps, fixed(hours)).mean  # exact: a sum of expectations
    assert abs(statistics.fmean(leads) - exact) <= 4 * sd


def test_clark_over_random_branches_against_drawn_routes() -> None:
    # a -> (b 2 h, optional 0.5; c 3 h after a 10 h delay, stop 0.2) -> d 1 h, a 1 h: the
    # join takes the mixtures as independent normal times (an approximation): within 10% of
    # the routes' mean here.
    steps = [
        step("a"),
        step("b", "a", probability=0.5),
        step("c", "a", stop=0.2, delay=Moments(10.0, 0.0)),
        step("d", "b", "c"),
    ]
    hours = {"a": 1.0, "b": 2.0, "c": 3.0, "d": 1.0}
    routes = _draws(steps, 20_000, 3)
    simulated = statistics.fmean(_route_lead(r, hours, {"c": 10.0}) for r in routes)
    # By hand: every route does a (1 h) and c (10 + 3 h) = 14 h; d (1 h) follows for the 0.8
    # that do not stop at c: 14.8 h. b (2 h) never finishes after c.
    assert simulated == pytest.approx(14.8, rel=0.01)
    assert lead_time(steps, fixed(hours)).mean == pytest.approx(simulated, rel=0.10)
