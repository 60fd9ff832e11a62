"""Issue 13's additions to the format: what loads, what each value means in the model, and
every refusal at its ``file:line:column`` with a hint (exit 2 through the CLI).

Expected positions are counted by hand from the YAML below (1-based; a flow mapping's column is
its ``{``, a value's column its first character).
"""

from __future__ import annotations

import pytest
from loading import only, problems
from typer.testing import CliRunner

from orgflow import cli
from orgflow.loader import load_text
from orgflow.model import MONTHS, Step
from orgflow.units import Calendar

# Line numbers are on the left for counting; the text starts at line 1.
OFFICE = """\
version: 1
org:
  demand_by_month: {jan: 2.0, feb: 1.4, mar: 1, apr: 1, may: 1, jun: 1, jul: 1, aug: 0.6, sep: 1, oct: 0.6, nov: 0.8, dec: 0.6}
people:
  - {id: kim, skills: [create, analyze, pay_card, pay_transfer, amend]}
  - {id: karel, skills: [create, analyze, pay_card, pay_transfer, amend]}
activities:
  - {id: create, effort: 1h}
  - {id: analyze, effort: 2h}
  - {id: amend, effort: 30m}
  - {id: pay_card, effort: 10m}
  - {id: pay_transfer, effort: 20m}
processes:
  - id: purchase
    steps:
      - create
      - {activity: analyze, delay: 17h, stop: 0.1, rework: {to: create, probability: 0.35}}
      - {activity: amend, after: [analyze], probability: 0.2}
      - {id: pay, activity: [pay_card, pay_transfer], shares: [0.3, 0.7], delay: {mean: 200h, cv: 1.4}}
customers:
  - {id: acme, demand: {purchase: 10/week}}
assignments:
  - {activity: analyze, pool: [kim, karel], pickup: any}
  - {activity: amend, people: [karel], effort: 9h}
  - {people: [kim, karel]}
"""  # noqa: E501


def variant(old: str, new: str) -> str:
    assert OFFICE.count(old) == 1, old
    return OFFICE.replace(old, new)


def test_the_office_loads_with_every_addition() -> None:
    org = load_text(OFFICE, file="x.yaml")
    cal = Calendar()
    create, analyze, amend, pay = org.processes[0].steps
    assert create.delay is None
    assert create.probability == 1
    assert create.stop == 0
    assert not create.is_random
    assert analyze.delay is not None
    assert analyze.delay.mean_hours(cal) == 17
    assert analyze.delay.scv(cal) == 0  # a duration is a fixed delay
    assert analyze.stop == 0.1
    assert analyze.rework is not None
    assert (analyze.rework.to, analyze.rework.probability, analyze.rework.max) == (
        "create",
        0.35,
        None,
    )
    assert amend.probability == 0.2
    assert amend.after == ["analyze"]
    # The alternatives: the step's id is given; `activity` is the first alternative.
    assert pay.step_id == "pay"
    assert pay.activity == "pay_card"
    assert pay.alternatives == (("pay_card", 0.3), ("pay_transfer", 0.7))
    assert pay.activities == ("pay_card", "pay_transfer")
    assert pay.delay is not None
    assert pay.delay.mean_hours(cal) == 200
    assert pay.delay.scv(cal) == pytest.approx(1.96)
    pool, rule, _ = org.assignments
    assert pool.pickup == "any"
    assert rule.pickup == "same"
    assert rule.effort is not None
    assert rule.effort.mean_hours(cal) == 9
    months = org.org.demand_by_month
    assert months is not None
    assert months.factors == (2.0, 1.4, 1, 1, 1, 1, 1, 0.6, 1, 0.6, 0.8, 0.6)
    assert len(MONTHS) == 12


def test_an_office_using_the_additions_gets_no_warning_about_them() -> None:
    # Every command honours them (analyze, check, simulate, propose, the diagrams): the
    # not-used-yet warning of the first steps is gone.
    org = load_text(OFFICE, file="x.yaml")
    assert [d for d in org.source.warnings if d.code == "not-used-yet"] == []


def test_shares_are_scaled_to_sum_to_one_within_the_tolerance() -> None:
    # 0.333 * 3 = 0.999: within 0.005 of 1, each scaled to 0.333 / 0.999 = 1/3.
    text = variant("shares: [0.3, 0.7]", "shares: [0.333, 0.667]").replace(
        "[0.333, 0.667]", "[0.333, 0.666]"
    )
    pay = load_text(text).processes[0].steps[3]
    assert [s for _, s in pay.alternatives] == pytest.approx([0.333 / 0.999, 0.666 / 0.999])


def test_a_step_dumps_back_to_the_form_it_was_written_in() -> None:
    pay = load_text(OFFICE).processes[0].steps[3]
    data = pay.model_dump(mode="json", exclude_defaults=True)
    assert data["activity"] == ["pay_card", "pay_transfer"]
    again = Step.model_validate(data)
    assert again.alternatives == pay.alternatives


# --- refusals ----------------------------------------------------------------------------
# (old text, new text, line, column, code, words of the message)
REFUSED = {
    "shares-not-summing-to-1": (
        "shares: [0.3, 0.7]",
        "shares: [0.3, 0.6]",
        # line 19 `      - {id: pay, activity: [pay_card, pay_transfer], shares: [0.3, 0.6], ...`:
        # 6 spaces, "- " -> { at 9; "{id: pay, " 10 chars -> activity at 19;
        # "activity: [pay_card, pay_transfer], " is 36 chars -> shares at 55, its value at 63.
        (19, 63, "schema", "sum to 0.9"),
    ),
    "share-over-1": (
        "shares: [0.3, 0.7]",
        "shares: [1.3, 0.7]",
        (19, 64, "schema", "less than or equal to 1"),  # the first share, after "[" at 63
    ),
    "shares-count": (
        "shares: [0.3, 0.7]",
        "shares: [0.3, 0.3, 0.4]",
        (19, 63, "schema", "2 alternatives but 3 shares"),
    ),
    "alternatives-without-shares": (
        "shares: [0.3, 0.7], ",
        "",
        (19, 29, "schema", "need their shares"),  # the activity list, after "activity: " at 19
    ),
    "one-alternative": (
        "[pay_card, pay_transfer], shares: [0.3, 0.7]",
        "[pay_card]",
        (19, 29, "schema", "and this one has 1"),
    ),
    "shares-on-one-activity": (
        "      - {activity: amend,",
        "      - {activity: amend, shares: [1],",
        # line 18 `      - {activity: amend, shares: [1], ...`: { at 9, "activity: amend, " is
        # 17 chars -> shares at 27, its value at 35.
        (18, 35, "schema", "one activity"),
    ),
    "unknown-alternative": (
        "[pay_card, pay_transfer]",
        "[pay_card, pay_transfr]",
        (19, 40, "unknown-activity", "pay_transfr"),  # "[pay_card, " 11 chars from 29
    ),
    "stop-over-1": (
        "stop: 0.1",
        "stop: 1.1",
        # line 17 `      - {activity: analyze, delay: 17h, stop: 1.1, ...`: { at 9;
        # "activity: analyze, " 19 chars -> delay at 29; "delay: 17h, " 12 -> stop at 41,
        # its value at 47.
        (17, 47, "schema", "less than or equal to 1"),
    ),
    "probability-over-1": (
        "probability: 0.2}",
        "probability: 2}",
        # line 18: { at 9; "activity: amend, " 17 -> after at 27; "after: [analyze], " 18
        # -> probability at 45, its value at 58.
        (18, 58, "schema", "less than or equal to 1"),
    ),
    "rework-to-a-later-step": (
        "to: create,",
        "to: amend,",
        # line 17: stop at 41, "stop: 0.1, " 11 -> rework at 52; "rework: " 8 -> { at 60;
        # "to" at 61, its value at 65.
        (17, 65, "route", "does not come before it"),
    ),
    "rework-to-an-unknown-step": (
        "to: create,",
        "to: creat,",
        (17, 65, "unknown-step", "unknown step 'creat'"),
    ),
    "rework-for-ever": (
        "probability: 0.35}",
        "probability: 1}",
        (17, 60, "schema", "loops for ever"),  # the rework's mapping, its { at 60
    ),
    "rework-max-0": (
        "probability: 0.35}",
        "probability: 0.35, max: 0}",
        # "probability: 0.35, " 19 chars from 73 -> max at 92, its value at 97.
        (17, 97, "schema", "greater than or equal to 1"),
    ),
    "stop-and-rework-over-1": (
        "stop: 0.1",
        "stop: 0.7",
        (17, 47, "route", "more than all of them"),  # 0.7 + 0.35 > 1
    ),
    "delay-not-a-duration": (
        "delay: 17h",
        "delay: soon",
        (17, 36, "schema", "not a duration"),  # "delay: " 7 chars from 29
    ),
    "delay-too-long": (
        "delay: 17h",
        "delay: 99999w",
        (17, 36, "bounds", "3,999,960 working hours"),  # 99,999 weeks of 40 h
    ),
    "rule-effort-too-long": (
        "effort: 9h}",
        "effort: 99999w}",
        # line 24 `  - {activity: amend, people: [karel], effort: ...`: { at 5;
        # "activity: amend, " 17 -> people at 23; "people: [karel], " 17 -> effort at 40,
        # its value at 48.
        (24, 48, "bounds", "more than the 100,000 hours"),
    ),
    "pickup-unknown": (
        "pickup: any",
        "pickup: anyone",
        # line 23 `  - {activity: analyze, pool: [kim, karel], pickup: ...`: { at 5;
        # "activity: analyze, " 19 -> pool at 25; "pool: [kim, karel], " 20 -> pickup at 45,
        # its value at 53.
        (23, 53, "schema", "'same' or 'any'"),
    ),
    "pickup-any-on-people": (
        "pool: [kim, karel], pickup: any",
        "people: [kim, karel], pickup: any",
        (23, 55, "schema", "for pools"),  # "people: [kim, karel], " 22 from 25 -> 47, value 55
    ),
    # Pool shares (issue 14): line 23 `  - {activity: analyze, pool: [kim, karel], pickup: any,
    # shares: {...}}`: pickup at 45, "pickup: any, " 13 -> shares at 58, its value at 66.
    "shares-missing-a-member": (
        "pickup: any}",
        "pickup: any, shares: {kim: 2}}",
        (23, 66, "schema", "no share to 'karel'"),
    ),
    "shares-of-a-stranger": (
        "pickup: any}",
        "pickup: any, shares: {kim: 2, karel: 1, bob: 1}}",
        (23, 66, "schema", "'bob', who is not in the pool"),
    ),
    "share-of-0": (
        "pickup: any}",
        "pickup: any, shares: {kim: 0, karel: 1}}",
        (23, 66, "schema", "a share is a positive number"),
    ),
    "share-not-a-number": (
        "pickup: any}",
        "pickup: any, shares: {kim: two, karel: 1}}",
        (23, 72, "schema", "valid number"),  # kim's value: "{kim: " 6 chars from 66
    ),
    "shares-on-people": (
        "pool: [kim, karel], pickup: any}",
        "people: [kim, karel], shares: {kim: 2, karel: 1}}",
        (23, 55, "schema", "shares are for pools"),  # "people: [kim, karel], " 22 from 25
    ),
    "month-misspelt": (
        "jan: 2.0",
        "janu: 2.0",
        # line 3 `  demand_by_month: {janu: ...`: { at 20 (jan missing), janu at 21 (next test).
        (3, 20, "schema", "missing required key 'jan'"),
    ),
    "months-not-averaging-1": (
        "jan: 2.0",
        "jan: 3.0",
        # the twelve sum to 13: mean 1.083, more than 0.01 from 1.
        (3, 20, "schema", "average 1.08"),
    ),
}


@pytest.mark.parametrize(("old", "new", "expected"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_at_its_place_with_a_hint(
    old: str, new: str, expected: tuple[int, int, str, str]
) -> None:
    line, column, code, words = expected
    found = [d for d in problems(variant(old, new)) if d.level == "error"]
    assert [(d.line, d.column, d.code) for d in found][:1] == [(line, column, code)], [
        d.format() for d in found
    ]
    assert words in found[0].message
    assert found[0].hint


def test_a_misspelt_month_is_suggested() -> None:
    found = problems(variant("jan: 2.0", "janu: 2.0"))
    unknown = next(d for d in found if "unknown key" in d.message)
    assert unknown.hint == "did you mean 'jan'?"
    assert any("missing required key 'jan'" in d.message for d in found)


def test_a_rework_target_hint_lists_the_steps_before() -> None:
    d = next(d for d in problems(variant("to: create,", "to: amend,")) if d.code == "route")
    assert d.hint is not None
    assert d.hint.endswith("create, analyze")


def test_the_ancestor_rule_also_holds_through_forks() -> None:
    # amend waits for analyze, which waits for create: amend may go back to create, but not
    # pay (not a step amend waits for: pay comes after amend in writing, not in waiting).
    ok = variant("probability: 0.2}", "probability: 0.2, rework: {to: create, probability: 0.1}}")
    # ... but then amend (outside analyze's loop?) no: amend's loop holds analyze's loop.
    org = load_text(ok)
    assert org.processes[0].steps[2].rework is not None
    bad = variant("probability: 0.2}", "probability: 0.2, rework: {to: pay, probability: 0.1}}")
    assert only_route(bad).message.startswith("step 'amend' goes back to 'pay'")


def only_route(text: str):  # type: ignore[no-untyped-def]
    found = [d for d in problems(text) if d.code == "route"]
    assert len(found) == 1, [d.format() for d in found]
    return found[0]


def test_loops_must_nest() -> None:
    # analyze goes back to create; a new step check after analyze goes back to analyze:
    # the loops {create, analyze} and {analyze, check} share analyze, neither holds the other.
    text = variant(
        "      - {activity: amend,",
        "      - {id: check, activity: analyze, rework: {to: analyze, probability: 0.1}}\n"
        "      - {activity: amend,",
    ).replace("after: [analyze]", "after: [check]")
    d = only_route(text)
    # line 18 `      - {id: check, activity: analyze, rework: {...`: { at 9, id at 10;
    # "id: check, " 11 -> activity at 21; "activity: analyze, " 19 -> rework at 40, its value
    # at 48.
    assert "overlap" in d.message
    assert (d.line, d.column) == (18, 48)


def test_only_the_loops_last_step_may_be_waited_for_from_outside() -> None:
    # amend waits for create, which analyze's rework does again.
    d = only_route(variant("after: [analyze]", "after: [create]"))
    assert "which the rework of 'analyze' does again" in d.message
    assert (d.line, d.column) == (18, 9)


def test_bad_additions_exit_2_through_the_cli(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "office.yaml"
    path.write_text(variant("stop: 0.1", "stop: 1.1"))
    result = CliRunner().invoke(cli.app, ["analyze", str(path)])
    assert result.exit_code == 2
    assert ":17:47: error:" in result.output


def test_only_one_problem_for_one_mistake() -> None:
    d = only(variant("probability: 0.2}", "probability: 2}"))
    assert d.code == "schema"


def test_a_loop_is_entered_at_its_first_step_only() -> None:
    # A new first step `quote` (after: [], outside the loop create -> analyze); analyze
    # waiting for it as well enters the loop from outside.
    text = variant(
        "      - {activity: analyze,",
        "      - {id: quote, activity: amend, after: []}\n"
        "      - {activity: analyze, after: [create, quote],",
    )
    found = [d for d in problems(text) if d.code == "route"]
    assert [(d.line, d.column) for d in found] == [(18, 9)], [d.format() for d in found]
    assert "waits for 'quote', outside it" in found[0].message
