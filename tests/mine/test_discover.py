"""Discovery: routing probabilities, roles, assignments, availability, worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from orgflow.mine.discover import availability, discover_roles, discover_routes
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
        person_weeks={},
        person_week_counts={},
        activity_weeks={},
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
    # b: every request does it; 2 of the 10 that did it end there: stop 0.2.
    assert b.probability == 1.0
    assert b.stop == pytest.approx(0.2)
    # b is visited 6 + 2 + 2 * 2 = 12 times; 2 visits go back to a: rework 2 / 12.
    assert b.rework_to == "a"
    assert b.rework == pytest.approx(2 / 12)
    # c: 8 requests still going, all do it.
    assert c.probability == 1.0
    assert a.rework_to is None


def test_optional_step() -> None:
    # 3 x a b c, 1 x a c: b is done by 3 of the 4 requests that reach it.
    routes, _ = discover_routes(_fig([(["a", "b", "c"], 3), (["a", "c"], 1)]))
    b = routes[1]
    assert b.activity == "b"
    assert b.probability == pytest.approx(0.75)


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


def test_the_format_additions_are_written_when_the_loader_knows_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 13's keys (probability, stop, rework, delay, pickup, demand_by_month) as mine
    writes them once the format has them (here the loader's support is pretended)."""
    from orgflow.mine import discover

    every = dict.fromkeys(discover.supports(), True)
    monkeypatch.setattr(discover, "supports", lambda: every)
    monkeypatch.setattr(discover, "_handoff_delay_fallback", lambda *a: None)
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
    # b: stop 2/10, back to a on 2 of its 12 visits, 10 h of extraneous wait before it, cv 0.5.
    assert steps[1] == {
        "activity": "b",
        "delay": {"mean": "10h", "cv": 0.5},
        "stop": 0.2,
        "rework": {"to": "a", "probability": 0.1667},
    }
    assert steps[2] == "c"
    # b is shared half and half: a pool where anyone picks up; a and c: one person each.
    assert {"activity": "b", "pool": ["ann", "bob"], "pickup": "any"} in mined.org["assignments"]
    assert mined.org["activities"][1]["effort"] == {"mean": "2h", "cv": 1.0}
    assert mined.org["activities"][2]["effort"] == "0h"
