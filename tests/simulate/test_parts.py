"""The parts of the lead time (RULES.md 3): absence = lead time - lead time with everyone
always present (same arrivals, same efforts); queueing = that - touch - handoff latency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest

from orgflow import load_text
from orgflow.simulate import events as engine_module
from orgflow.simulate import flow as flow_module
from orgflow.simulate.runner import SimOptions, SimResult, simulate

START = dt.date(2026, 1, 5)  # a Monday: Tuesday 6 January is working hours 8 to 16

ONE_DESK_AWAY_TUESDAY = """
version: 1
org: {name: one desk}
people: [{id: a, skills: [x], absences: [{from: 2026-01-06, to: 2026-01-06}]}]
activities: [{id: x, effort: 1h}]
processes: [{id: p, steps: [x]}]
customers: [{id: c, demand: {p: 20/week}}]
assignments: [{people: [a]}]
"""


def scripted(
    monkeypatch: pytest.MonkeyPatch, text: str, times: list[float], engine: str
) -> SimResult:
    """One run of one week (40 working hours) with the arrivals ``times``."""

    def chunks(*_args: object) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        yield np.asarray(times, dtype=float), np.zeros(len(times), dtype=np.int64)

    monkeypatch.setattr(engine_module, "arrival_chunks", chunks)
    monkeypatch.setattr(flow_module, "arrival_chunks", chunks)
    options = SimOptions(weeks=1, warmup=0, runs=1, seed=1, start=START, engine=engine)
    return simulate(load_text(text), options)


@pytest.mark.parametrize("engine", ["event", "flow"])
def test_one_desk_with_a_dated_absence(monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    # Requests at 0, 7.5, 8.5 and 16.2 h, 1 h each; a is away from 8 to 16 h.
    #   as it is: 0-1; 7.5-8 then 16-16.5 (the job in hand waits for her); 16.5-17.5;
    #             17.5-18.5: lead times 1, 9, 9, 2.3: mean 21.3 / 4 = 5.325 h;
    #   everyone present: 0-1, 7.5-8.5, 8.5-9.5, 16.2-17.2: lead times 1 each, mean 1 h.
    # absence = 5.325 - 1 = 4.325 h (the last request's 1.3 h behind the backlog the absence
    # left counts too); queueing = 1 - 1 (touch) - 0 (handoff) = 0.
    result = scripted(monkeypatch, ONE_DESK_AWAY_TUESDAY, [0.0, 7.5, 8.5, 16.2], engine)
    assert result.lead_time.mean == pytest.approx(5.325)
    assert result.present_lead_time == pytest.approx(1.0)
    assert result.parts == pytest.approx(
        {"touch": 1.0, "queueing": 0.0, "handoff": 0.0, "absence": 4.325}
    )


@pytest.mark.parametrize("engine", ["event", "flow"])
def test_queueing_is_measured_with_everyone_present(
    monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    # Requests at 0, 0.5 and 9 h. As it is: 0-1, 1-2, 16-17 (the third came while she was
    # away): lead times 1, 1.5, 8: mean 10.5 / 3 = 3.5 h. Present: 0-1, 1-2, 9-10: 1, 1.5, 1:
    # mean 3.5 / 3 h. queueing = 3.5/3 - 1 = 0.5/3 h; absence = 3.5 - 3.5/3 = 7/3 h.
    result = scripted(monkeypatch, ONE_DESK_AWAY_TUESDAY, [0.0, 0.5, 9.0], engine)
    assert result.parts == pytest.approx(
        {"touch": 1.0, "queueing": 0.5 / 3, "handoff": 0.0, "absence": 7 / 3}
    )
    assert sum(result.parts.values()) == pytest.approx(result.lead_time.mean)


def test_no_absence_no_absence_part(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without absences the run with everyone present is the run itself: absence 0.
    # Requests at 0 and 0.5 h: lead times 1 and 1.5 h, mean 1.25: queueing 0.25.
    text = ONE_DESK_AWAY_TUESDAY.replace(", absences: [{from: 2026-01-06, to: 2026-01-06}]", "")
    result = scripted(monkeypatch, text, [0.0, 0.5], "event")
    assert result.parts == pytest.approx(
        {"touch": 1.0, "queueing": 0.25, "handoff": 0.0, "absence": 0.0}
    )


def test_efforts_are_drawn_at_arrival() -> None:
    # Common random numbers: absences do not change which effort a request gets. a, backed up
    # by b, is away from 8 h to 200 h: her requests go to b meanwhile, in another order than
    # with everyone present. Once the office is empty again every request is done by a in
    # both runs, with the same effort (drawn at its arrival): the same lead times.
    from orgflow.simulate.engine import Simulator

    org = load_text("""
version: 1
people: [{id: a, skills: [x]}, {id: b, skills: [x]}]
activities: [{id: x, effort: {dist: exponential, mean: 1h}}]
processes: [{id: p, steps: [x]}]
customers: [{id: c, demand: {p: 10/week}}]
assignments: [{people: [a, b]}]
""")
    sim = Simulator(org, [[(8.0, 200.0)], []])
    for engine in ("event", "flow"):
        away = sim.run_any(5, 0, 4000.0, 0.0, engine)
        here = sim.run_any(5, 0, 4000.0, 0.0, engine, present=True)
        assert away.completed > 900
        assert away.lead_times[-500:] == pytest.approx(here.lead_times[-500:], abs=1e-9)
        assert away.lead_times[:100].tolist() != here.lead_times[:100].tolist()


def test_requests_are_paired_by_their_arrival_number() -> None:
    # Requests 0, 1 and 2 done in the run (lead times 5, 6, 7 h); with everyone present 0 and
    # 2 are done (1 and 2 h) but 1 is not by the end: it counts its own lead time, 6 h.
    from orgflow.simulate.engine import RunResult
    from orgflow.simulate.runner import present_lead_times

    def result(numbers: list[int], leads: list[float]) -> RunResult:
        n = len(numbers)
        return RunResult(
            lead_times=np.asarray(leads),
            route_of=np.zeros(n, dtype=np.int64),
            customer_of=np.zeros(n, dtype=np.int64),
            number_of=np.asarray(numbers, dtype=np.int64),
            parts_sum=(0.0, 0.0, 0.0, 0.0),
            completed=n,
            open_at_end=0,
            open_at_warmup=0,
            utilization=[],
            mean_queue=[],
            max_queue=[],
            delayed_share=[],
        )

    paired = present_lead_times(result([2, 0, 1], [7.0, 5.0, 6.0]), result([0, 2], [1.0, 2.0]))
    assert paired.tolist() == [2.0, 1.0, 6.0]
