"""``analyze`` on offices with issue 13's additions, against values worked out by hand (the
arithmetic in the comments) or closed forms."""

from __future__ import annotations

import pytest

from orgflow.analysis.summary import analyze
from orgflow.analysis.workload import workload
from orgflow.loader import load_text
from orgflow.office import Office, resolve


def office(steps: str, *, rules: str = "[{people: [ann]}]", extra: str = "") -> Office:
    return resolve(
        load_text(
            f"""\
version: 1
people:
  - {{id: ann, skills: [a, b, c, d]}}
  - {{id: bob, skills: [a, b, c, d]}}
  - {{id: cy, skills: [a, b, c, d]}}
activities:
  - {{id: a, effort: {{dist: exponential, mean: 1h}}}}
  - {{id: b, effort: 2h}}
  - {{id: c, effort: 30m}}
  - {{id: d, effort: 4h}}
processes:
  - id: p
    steps: {steps}
customers: [{{id: x, demand: {{p: 4/week}}}}]
assignments: {rules}
{extra}"""
        )
    )


def loads(o: Office) -> dict[str, float]:
    return {p.person: p.load_hours_per_week for p in workload(o)}


def test_an_optional_step_loads_its_share() -> None:
    # 4 requests/week; b (2 h) done for 20%: 4 x 0.2 x 2 = 1.6 h/week; a (1 h): 4 h/week.
    o = office(
        "[a, {activity: b, probability: 0.2}]",
        rules="[{activity: b, people: [bob]}, {people: [ann]}]",
    )
    assert loads(o) == pytest.approx({"ann": 4.0, "bob": 1.6, "cy": 0.0})


def test_a_stop_and_alternatives_load_by_expected_visits() -> None:
    # a (stop 0.5) then c (30 m, 0.25) or d (4 h, 0.75) for the 2 requests/week that go on:
    # bob c: 2 x 0.25 x 0.5 = 0.25 h; cy d: 2 x 0.75 x 4 = 6 h.
    o = office(
        "[{activity: a, stop: 0.5}, {id: pay, activity: [c, d], shares: [0.25, 0.75]}]",
        rules="[{activity: c, people: [bob]}, {activity: d, people: [cy]}, {people: [ann]}]",
    )
    assert loads(o) == pytest.approx({"ann": 4.0, "bob": 0.25, "cy": 6.0})


def test_a_rules_effort_replaces_the_activitys() -> None:
    # bob's rule says d takes 1 h instead of 4 h: 4 x 1 = 4 h/week.
    o = office("[a, d]", rules="[{activity: d, people: [bob], effort: 1h}, {people: [ann]}]")
    assert loads(o)["bob"] == pytest.approx(4.0)


def test_a_delay_adds_exactly_and_is_the_external_part() -> None:
    # A 17 h delay before b: the lead time grows by 17 h exactly, all of it external.
    rules = "[{activity: b, people: [bob]}, {people: [ann]}]"
    plain = analyze(office("[a, b]", rules=rules)).summary
    delayed = analyze(office("[a, {activity: b, delay: 17h}]", rules=rules)).summary
    assert delayed.lead_time_hours == pytest.approx(plain.lead_time_hours + 17.0)
    assert delayed.parts.external == pytest.approx(17.0)
    assert delayed.parts.queueing == pytest.approx(plain.parts.queueing)
    assert delayed.parts.touch == pytest.approx(plain.parts.touch)


def test_mm1_with_bernoulli_feedback() -> None:
    # One M/M/1 desk: mu = 1/h (exponential 1 h), lambda = 4/40 = 0.1/h; a request goes back
    # with p = 0.5. Mean sojourn 1 / ((1 - p) mu - lambda) = 1 / (0.5 - 0.1) = 2.5 h.
    o = office("[{activity: a, rework: {to: a, probability: 0.5}}]")
    assert analyze(o).summary.lead_time_hours == pytest.approx(2.5)
    # The load: 4 requests x 2 visits x 1 h = 8 h/week, utilization 0.2 = lambda / ((1-p) mu).
    assert loads(o)["ann"] == pytest.approx(8.0)


def test_alternatives_mix_their_lead_times() -> None:
    # Fixed efforts, ann alone, almost idle: c 30 m or d 4 h, each behind its own M/D/1 wait.
    # ann does 4 x (0.25 x 0.5 + 0.75 x 4) = 12.5 h/week of work: rho = 12.5 / 40 = 0.3125;
    # E[S^2] per job = 0.25 x 0.25 + 0.75 x 16 = 12.0625; rate 0.1/h:
    # W = 0.1 x 12.0625 / (2 x 0.6875) = 0.87727 h. Lead = W + 0.25 x 0.5 + 0.75 x 4 = 4.00227.
    o = office("[{id: pay, activity: [c, d], shares: [0.25, 0.75]}]")
    assert analyze(o).summary.lead_time_hours == pytest.approx(0.87727 + 3.125, rel=1e-4)


def test_pickup_any_counts_expected_person_changes() -> None:
    # a -> b -> c at one pool of 3 equal people: 2 transitions x (3 - 1) / 3 = 1.333 handoffs;
    # with pickup same (the default), none.
    any_ = office("[a, b, c]", rules="[{pool: [ann, bob, cy], pickup: any}]")
    same = office("[a, b, c]", rules="[{pool: [ann, bob, cy]}]")
    assert analyze(any_).summary.handoffs_per_request == pytest.approx(4 / 3)
    assert analyze(same).summary.handoffs_per_request == 0


def test_a_change_of_person_within_a_pickup_any_pool_takes_no_handoff_delay() -> None:
    # handoff_delay 1 h. a -> b -> c at one pickup: any pool of 3: 4/3 expected handoffs, but
    # the shared queue is the handoff (as in the simulation): handoff latency 0 h. a at ann,
    # then b -> c at the pool of bob and cy: the request comes from another desk once (1 h),
    # then changes person within the pool with probability 1/2 (no delay): latency 1 h and
    # 1 + 1/2 = 1.5 handoffs.
    extra = "org: {handoff_delay: 1h}"
    within = analyze(
        office("[a, b, c]", rules="[{pool: [ann, bob, cy], pickup: any}]", extra=extra)
    ).summary
    assert within.handoffs_per_request == pytest.approx(4 / 3)
    assert within.parts.handoff == pytest.approx(0.0)
    rules = "[{activity: a, people: [ann]}, {pool: [bob, cy], pickup: any}]"
    across = analyze(office("[a, b, c]", rules=rules, extra=extra)).summary
    assert across.handoffs_per_request == pytest.approx(1.5)
    assert across.parts.handoff == pytest.approx(1.0)


def test_an_optional_step_between_desks() -> None:
    # ann a -> bob b (probability 0.5) -> ann c: b done: 2 handoffs; skipped: a -> c, none.
    o = office(
        "[a, {activity: b, probability: 0.5}, c]",
        rules="[{activity: b, people: [bob]}, {people: [ann]}]",
    )
    assert analyze(o).summary.handoffs_per_request == pytest.approx(1.0)


def test_the_busiest_month_beside_the_average_one() -> None:
    # ann: a (exponential 1 h, mu = 1/h) at 4/40 = 0.1/h on average; bob: d (4 h fixed) at
    # 0.1/h, utilization 0.4. January doubles the rates (the other eleven months 10/11 each:
    # mean (2 + 10) / 12 = 1). In January ann is M/M/1 at 0.2/h: sojourn 1 / (1 - 0.2) =
    # 1.25 h; bob M/D/1 at rho 0.8: W = 0.8 x 4 / (2 x 0.2) = 8 h, sojourn 12 h. Lead 13.25 h.
    # bob, at 40% on average, is not overloaded in January (80%); with d at 6 h he is at 60%
    # on average and 120% in January: overloaded only then.
    months = ", ".join(f"{m}: {10 / 11:.6f}" for m in ("feb", "mar", "apr", "may", "jun"))
    months += ", " + ", ".join(
        f"{m}: {10 / 11:.6f}" for m in ("jul", "aug", "sep", "oct", "nov", "dec")
    )
    extra = f"org: {{demand_by_month: {{jan: 2, {months}}}}}"
    rules = "[{activity: d, people: [bob]}, {people: [ann]}]"
    peak = analyze(office("[a, d]", rules=rules, extra=extra)).summary.busiest_month
    assert peak is not None
    assert (peak.month, peak.factor) == ("January", 2.0)
    assert peak.lead_time_hours == pytest.approx(13.25)
    assert peak.utilization["bob"] == pytest.approx(0.8)
    assert peak.overloaded_only_then == []
    heavy = office(
        "[a, d]", rules=rules.replace("people: [bob]}", "people: [bob], effort: 6h}"), extra=extra
    )
    peak = analyze(heavy).summary.busiest_month
    assert peak is not None
    assert peak.overloaded_only_then == ["bob"]
    assert analyze(heavy).summary.overloaded == []  # 60% on average
