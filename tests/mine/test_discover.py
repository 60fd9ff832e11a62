"""Discovery: routing probabilities, roles, assignments, availability, worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from orgflow.mine.discover import (
    availability,
    discover_roles,
    discover_routes,
    expected_executions,
    precedence_order,
)
from orgflow.mine.figures import Calendar, Figures


def _fig(variants: list[tuple[list[str], int]]) -> Figures:
    t = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    return Figures(
        calendar=Calendar(list(range(24)), list(range(7))),
        events=0,
        requests=sum(n for _, n in variants),
        completed=0,
        first=t,
        last=t,
        lead_times=[],
        lead_mean=0.0,
        lead_p50=0.0,
        lead_p90=0.0,
        handovers={},
        handover_norm=0,
        working_together={},
        activities={},
        by_performer={},
        people={},
        person_days={},
        variants=variants,
        arrivals_week={},
        arrivals_month={},
        end_activities=[],
        open_requests=0,
        zero_length=0,
        overlaps=0,
        wait_hours=0.0,
        contention_hours=0.0,
        customers={},
    )


def test_rework_loop_and_early_end() -> None:
    # 6 x a b c; 2 x a b (end after b); 2 x a b a b c (back from b to a once).
    routes, kept = discover_routes(
        _fig([(["a", "b", "c"], 6), (["a", "b"], 2), (["a", "b", "a", "b", "c"], 2)])
    )
    assert kept == 10
    a, b, c = routes
    assert [r.activity for r in routes] == ["a", "b", "c"]
    # b: every request does it; it is done 12 times and 2 of them end the request: the
    # format draws stop per execution (with the rework, at a loop's end): 2 / 12.
    assert b.probability == 1.0
    assert b.stop == pytest.approx(2 / 12)
    # b is visited 6 + 2 + 2 * 2 = 12 times; 2 visits go back to a: rework 2 / 12.
    assert b.rework_to == "a"
    assert b.rework == pytest.approx(2 / 12)
    # c: 8 requests still going, all do it.
    assert c.probability == 1.0
    assert expected_executions(routes) == pytest.approx({"a": 1.2, "b": 1.2, "c": 0.8})
    assert a.rework_to is None


def test_optional_step() -> None:
    # 3 x a b c, 1 x a c: b is done by 3 of the 4 requests that reach it.
    routes, _ = discover_routes(_fig([(["a", "b", "c"], 3), (["a", "c"], 1)]))
    b = routes[1]
    assert b.activity == "b"
    assert b.probability == pytest.approx(0.75)


def test_a_quarter_stop_after_the_first_step() -> None:
    # 3 x a b c, 1 x a: 1 of the 4 executions of a ends the request.
    routes, _ = discover_routes(_fig([(["a", "b", "c"], 3), (["a"], 1)]))
    a, b, c = routes
    assert a.stop == pytest.approx(0.25)
    assert b.probability == 1.0
    assert c.probability == 1.0
    assert expected_executions(routes) == pytest.approx({"a": 1.0, "b": 0.75, "c": 0.75})
    fig = _fig([(["a", "b", "c"], 3), (["a"], 1)])
    fig.activities = {x: {"effort": 1.0, "effort_sd": 0.0} for x in "abc"}
    fig.by_performer = {(x, "ann"): {"count": 4.0, "effort": 1.0} for x in "abc"}
    fig.people = {"ann": {"count": 10.0, "hours": 10.0}}
    assert build_steps(fig) == [{"activity": "a", "stop": 0.25}, "b", "c"]


def test_a_review_loop_through_an_amendment() -> None:
    # 6 x a r c; 3 x a r m r c; 1 x a r m r m r c: review r, sent to amendment m and back.
    # r is done 6 + 6 + 3 = 15 times; m is done after 4 of them... by executions: m follows
    # 3 + 2 = 5 of the 15 reviews (probability 5 / 15 of those reaching it) and always goes
    # back to r (rework 5 / 5 = 1). Expected reviews 15 / 10 = 1.5, amendments 0.5.
    variants = [(["a", "r", "c"], 6), (["a", "r", "m", "r", "c"], 3)]
    variants.append((["a", "r", "m", "r", "m", "r", "c"], 1))
    routes, _ = discover_routes(_fig(variants))
    assert [r.activity for r in routes] == ["a", "r", "m", "c"]
    m = routes[2]
    assert m.probability == pytest.approx(5 / 15)
    assert (m.rework_to, m.rework) == ("r", pytest.approx(1.0))
    assert expected_executions(routes) == pytest.approx({"a": 1, "r": 1.5, "m": 0.5, "c": 1})


def test_a_detour_back_to_the_step_before() -> None:
    # d is done after e (8 requests) and, in 2 requests, between two executions of b: those
    # get a step of their own right after b, going back to b (else the loop would redo c).
    variants = [(["a", "b", "c", "e", "d"], 8), (["a", "b", "d", "b", "c", "e"], 2)]
    routes, _ = discover_routes(_fig(variants))
    assert [r.key for r in routes] == ["a", "b", "d@b", "c", "e", "d"]
    detour = routes[2]
    assert detour.probability == pytest.approx(2 / 12)  # b done 12 times, d follows 2
    assert (detour.rework_to, detour.rework) == ("b", 1.0)
    assert routes[4].stop == pytest.approx(0.2)  # 2 of the 10 executions of e end there
    assert routes[5].probability == 1.0
    assert expected_executions(routes) == pytest.approx(
        {"a": 1, "b": 1.2, "c": 1, "d": 1.0, "e": 1}
    )


def test_precedence_order_ignores_pairs_never_done_together() -> None:
    # x is rare and always right after a; it must not sink below b, c just because it
    # never meets the later steps.
    variants = [(["a", "b", "c", "d"], 9), (["a", "x", "b"], 1)]
    assert precedence_order(variants) == ["a", "x", "b", "c", "d"]


def test_paths_keeps_the_most_frequent_variants() -> None:
    routes, kept = discover_routes(_fig([(["a", "c"], 5), (["a", "b", "c"], 1)]), paths=1)
    assert kept == 5
    assert [r.activity for r in routes] == ["a", "c"]


def test_roles_group_correlated_activity_profiles() -> None:
    fig = _fig([])
    # ann and amy do a and b alike (correlation 1); bob does only c.
    fig.by_performer = {
        ("a", "ann"): {"count": 10, "effort": 1},
        ("b", "ann"): {"count": 5, "effort": 1},
        ("a", "amy"): {"count": 20, "effort": 1},
        ("b", "amy"): {"count": 10, "effort": 1},
        ("c", "bob"): {"count": 7, "effort": 1},
    }
    fig.activities = {"a": {}, "b": {}, "c": {}}
    fig.people = {"ann": {}, "amy": {}, "bob": {}}
    roles = discover_roles(fig)
    assert roles["ann"] == roles["amy"] == "a"
    assert roles["bob"] == "c"


def test_availability_from_a_run_of_days_without_work() -> None:
    # Every day worked (7-day calendar) from day 0 to 29 except days 10-16 (7 days in a row):
    # 30 working days, 7 absent: availability 23 / 30; 3 events a day on the days present.
    days = [d for d in range(30) if not 10 <= d <= 16]
    share, absent = availability(days, list(range(7)), events=3 * len(days))
    assert absent == 7
    assert share == pytest.approx(23 / 30)
    # One event a day on average: too few to tell an absence from a quiet week.
    assert availability(days, list(range(7)), events=len(days)) == (1.0, 0)


def test_the_format_additions_are_written() -> None:
    """Issue 13's keys (probability, stop, rework, delay, pickup, demand_by_month) as mine
    writes them."""
    from orgflow.mine import discover

    fig = _fig([(["a", "b", "c"], 6), (["a", "b"], 2), (["a", "b", "a", "b", "c"], 2)])
    fig.requests = 10
    fig.activities = {
        "a": {"effort": 1.0, "effort_sd": 0.5, "extraneous": 0.0, "extraneous_sd": 0.0},
        "b": {"effort": 2.0, "effort_sd": 2.0, "extraneous": 10.0, "extraneous_sd": 5.0},
        "c": {"effort": 0.0, "effort_sd": 0.0, "extraneous": 0.0, "extraneous_sd": 0.0},
    }
    fig.people = {"ann": {"count": 12.0}, "bob": {"count": 10.0}}
    fig.by_performer = {
        ("a", "ann"): {"count": 12.0, "effort": 1.0},
        ("b", "ann"): {"count": 6.0, "effort": 2.0},
        ("b", "bob"): {"count": 6.0, "effort": 2.0},
        ("c", "bob"): {"count": 4.0, "effort": 0.0},
    }
    mined = discover.build(fig)
    steps = mined.org["processes"][0]["steps"]
    assert steps[0] == "a"
    # b: 2 of its 12 executions end the request, 2 go back to a; 10 h of extraneous wait
    # before it, cv 0.5.
    assert steps[1] == {
        "activity": "b",
        "delay": {"mean": "10h", "cv": 0.5},
        "stop": 0.1667,
        "rework": {"to": "a", "probability": 0.1667},
    }
    assert steps[2] == "c"
    # b is shared half and half: a pool where anyone picks up; a and c: one person each.
    assert {"activity": "b", "pool": ["ann", "bob"], "pickup": "any"} in mined.org["assignments"]
    assert mined.org["activities"][1]["effort"] == {"mean": "2h", "cv": 1.0}
    assert mined.org["activities"][2]["effort"] == "0h"


def _two_speeds(slow_hours: float, slow_events: int) -> Figures:
    """40 requests a week (one week) doing a once: ann does 30 at 2 h each, bob the rest at
    ``slow_hours`` each (no spread)."""
    fig = _fig([(["a"], 40)])
    fig.requests = 40
    fig.activities = {"a": {"count": 40.0, "effort": 3.5, "effort_sd": 2.6}}
    fig.people = {"ann": {"count": 30.0, "hours": 60.0}, "bob": {"count": 10.0, "hours": 80.0}}
    fig.by_performer = {
        ("a", "ann"): {"count": 30.0, "effort": 2.0, "effort_sq": 4.0},
        ("a", "bob"): {
            "count": float(slow_events),
            "effort": slow_hours,
            "effort_sq": slow_hours**2,
        },
    }
    return fig


def test_performers_at_2h_and_8h_get_an_effort_each() -> None:
    from orgflow.mine.discover import effort_split

    split = effort_split(_two_speeds(8.0, 10), "a")
    assert split is not None
    assert split.groups == [["ann"], ["bob"]]
    assert split.counts == [30.0, 10.0]
    assert split.efforts == [(2.0, 0.0), (8.0, 0.0)]


def test_no_effort_of_their_own_below_the_ratio_or_with_few_events() -> None:
    from orgflow.mine.discover import effort_split

    assert effort_split(_two_speeds(3.9, 10), "a") is None  # 3.9 / 2 < 2: not marked
    assert effort_split(_two_speeds(8.0, 5), "a") is None  # 5 events: too few to tell


def test_rule_efforts_carry_each_groups_effort_into_the_loads() -> None:
    """The org file mine writes for ann at 2 h and bob at 8 h: two alternatives by their
    shares of the events (30 and 10 of 40), a rule each with its effort; analyze then loads
    ann with 40/week x 0.75 x 2 h = 60 h/week and bob with 40 x 0.25 x 8 h = 80 h/week
    (one effort for both would load them 105 and 35 h/week)."""
    import yaml

    from orgflow.analysis.lint import open_office
    from orgflow.analysis.summary import analyze
    from orgflow.loader import load_text
    from orgflow.mine.discover import build

    mined = build(_two_speeds(8.0, 10))
    org = mined.org
    assert org["processes"][0]["steps"] == [{"activity": ["a", "a_by_bob"], "shares": [0.75, 0.25]}]
    assert org["assignments"] == [
        {"activity": "a", "people": ["ann"], "effort": {"mean": "2h", "cv": 0.0}},
        {"activity": "a_by_bob", "people": ["bob"], "effort": {"mean": "8h", "cv": 0.0}},
    ]
    names = {a["id"]: a["name"] for a in org["activities"]}
    assert names == {"a": "a", "a_by_bob": "a"}  # fit sums them under the log's name
    loads = {
        p.id: p.load.load_hours_per_week
        for p in analyze(open_office(load_text(yaml.safe_dump(org)))).people
    }
    assert loads == pytest.approx({"ann": 60.0, "bob": 80.0})


def test_the_delay_is_the_wait_less_the_contention_beyond_chance() -> None:
    """b waits 10 h on average and its performer was busy 4 h of it; ann is busy 33.6 h of
    the week's 168 (a share of 0.2), so 0.2 x 10 = 2 h of that is chance: queueing 2 h, delay
    10 - 2 = 8 h."""
    from orgflow.mine.discover import queueing_part, step_delay

    fig = _fig([(["a", "b"], 10)])
    fig.requests = 10
    fig.activities = {
        "a": {"count": 10.0},
        "b": {
            "count": 10.0,
            "visits_waited": 10.0,
            "wait": 10.0,
            "contention": 4.0,
            "extraneous": 6.0,
            "extraneous_sd": 3.0,
        },
    }
    fig.people = {"ann": {"count": 20.0, "hours": 33.6}}
    fig.by_performer = {("b", "ann"): {"count": 10.0, "effort": 1.0}}
    assert queueing_part(fig, "b") == pytest.approx(2.0)
    mean, cv = step_delay(fig, "b")
    assert mean == pytest.approx(8.0)
    assert cv == pytest.approx(0.5)  # the cv of the extraneous waits


def test_a_delay_is_charged_on_every_visit_with_the_log_s_mean_per_request() -> None:
    """a is each request's first step, done twice by half of 10 requests (a b a b): of its
    15 visits only the 5 second visits waited, 8 h each on average, extraneous 8 h with sd
    2 h (nothing queueing: no contention). The log's extraneous wait before a is 5 x 8 = 40 h,
    4 h per request; the model charges a's delay on all 15 visits, so the delay is 40 / 15 =
    8/3 h = f x 8 with f = 5 / 15 = 1/3 (15 x 8/3 = 40 h: 4 h per request, as in the log). Its
    cv, with a zero for 2 visits of 3: variance (1/3)(2^2 + 8^2) - (8/3)^2 = 68/3 - 64/9 =
    140/9, sd sqrt(140)/3, cv (sqrt(140)/3) / (8/3) = sqrt(140)/8 = 1.479..."""
    from orgflow.mine.discover import step_delay

    fig = _fig([(["a", "b"], 5), (["a", "b", "a", "b"], 5)])
    fig.activities = {
        "a": {
            "count": 15.0,
            "visits_waited": 5.0,
            "wait": 8.0,
            "contention": 0.0,
            "extraneous": 8.0,
            "extraneous_sd": 2.0,
        },
    }
    mean, cv = step_delay(fig, "a")
    assert mean == pytest.approx(8 / 3)
    assert mean * 15 == pytest.approx(5 * 8.0)  # the log's extraneous wait over all visits
    assert cv == pytest.approx(140**0.5 / 8)


def test_two_activities_never_done_together_are_exclusive_alternatives() -> None:
    # 6 x a b d, 3 x a c d, 1 x a c: b and c never meet, at the same place: one step doing
    # b or c (all 10 requests reach it and do one: probability 1), shares 6 / 10 and 4 / 10,
    # and 1 of its 10 executions ends the request.
    routes, _ = discover_routes(_fig([(["a", "b", "d"], 6), (["a", "c", "d"], 3), (["a", "c"], 1)]))
    assert [r.key for r in routes] == ["a", "b", "d"]
    choice = routes[1]
    assert choice.alternatives == [("b", 6), ("c", 4)]
    assert choice.probability == 1.0
    assert choice.stop == pytest.approx(0.1)
    assert expected_executions(routes) == pytest.approx({"a": 1, "b": 0.6, "c": 0.4, "d": 0.9})
    fig = _fig([(["a", "b", "d"], 6), (["a", "c", "d"], 3), (["a", "c"], 1)])
    fig.activities = {x: {"effort": 1.0, "effort_sd": 0.0} for x in "abcd"}
    fig.by_performer = {(x, "ann"): {"count": 10.0, "effort": 1.0} for x in "abcd"}
    fig.people = {"ann": {"count": 40.0, "hours": 40.0}}
    steps = build_steps(fig)
    assert steps[1] == {"activity": ["b", "c"], "shares": [0.6, 0.4], "stop": 0.1}


def build_steps(fig: Figures) -> list[object]:
    from orgflow.mine.discover import build

    return list(build(fig).org["processes"][0]["steps"])


def _pool_of_three(efforts: dict[str, tuple[float, float]]) -> Figures:
    """One week of 12 requests doing a, then b (ann, bob and cy share b: person -> (events,
    mean effort)); a is ann's alone."""
    fig = _fig([(["a", "b"], 12)])
    fig.requests = 12
    fig.activities = {
        "a": {"count": 12.0, "effort": 1.0, "effort_sd": 0.0},
        "b": {"count": 12.0, "effort": 2.0, "effort_sd": 0.0},
    }
    fig.people = {p: {"count": n} for p, (n, _e) in efforts.items()}
    fig.people["ann"] = {"count": fig.people["ann"]["count"] + 12}
    fig.by_performer = {("a", "ann"): {"count": 12.0, "effort": 1.0, "effort_sq": 1.0}}
    for p, (n, e) in efforts.items():
        fig.by_performer[("b", p)] = {"count": n, "effort": e, "effort_sq": e * e}
    return fig


def test_a_pool_shared_unevenly_gets_its_shares() -> None:
    from orgflow.mine.discover import build

    # b: ann 6 events of 2 h (12 h), bob and cy 3 each (6 h): ann does 12/24 = 1/2 of the
    # pool's hours, 1.5 times the even third (more than 10% off): shares 0.5, 0.25, 0.25 (the
    # observed shares over availabilities of 1).
    mined = build(_pool_of_three({"ann": (6, 2.0), "bob": (3, 2.0), "cy": (3, 2.0)}))
    (rule,) = [r for r in mined.org["assignments"] if "pool" in r]
    assert rule["shares"] == {"ann": 0.5, "bob": 0.25, "cy": 0.25}
    assert any("shares on the rules of 1 pool desk(s)" in line for line in mined.header)
    # 4 events each of 2.1 h, 2 h and 1.9 h: 8.4, 8 and 7.6 of 24 h, 1.05, 1 and 0.95 times
    # the even third: within 10%, no shares (the model's even shares).
    mined = build(_pool_of_three({"ann": (4, 2.1), "bob": (4, 2.0), "cy": (4, 1.9)}))
    (rule,) = [r for r in mined.org["assignments"] if "pool" in r]
    assert "shares" not in rule
    assert not any("shares on the rules" in line for line in mined.header)
