"""Reference checks: unknown and duplicate ids, cycles, coverage, and the warnings.

Line numbers are those of the YAML text in each test; columns are counted by hand (1-based).
"""

from __future__ import annotations

import pytest
from loading import only, problems

from orgflow import load_text
from orgflow.diagnostics import Diagnostic


def warnings_of(text: str) -> list[Diagnostic]:
    return list(load_text(text, file="x.yaml").warnings)


def summary(d: Diagnostic) -> tuple[int, int, str, str, str]:
    return (d.line, d.column, d.level, d.code, d.message)


# --- unknown ids -----------------------------------------------------------------------------

STEPS = """\
version: 1
people:
  - {id: ann, skills: [quotation, intake]}
activities:
  - {id: quotation, effort: 2h}
  - {id: intake, effort: 1h}
processes:
  - id: sales
    steps:
      - %s
"""


@pytest.mark.parametrize(
    ("step", "column"),
    [
        # "      - quotaton": the step at column 9.
        ("quotaton", 9),
        # "      - activity: quotaton": the activity's value at 9 + len("activity: ") = 19.
        ("activity: quotaton", 19),
        # "      - {activity: quotaton}": the value at 10 + 10 = 20.
        ("{activity: quotaton}", 20),
        ("{id: q, activity: quotaton}", 27),  # 10 + len("id: q, activity: ") = 27
        ("{activity: quotaton, after: []}", 20),
    ],
)
def test_unknown_activity_in_a_step(step: str, column: int) -> None:
    d = only(STEPS % step)
    assert summary(d) == (
        10,
        column,
        "error",
        "unknown-activity",
        "unknown activity 'quotaton' in process 'sales'",
    )
    assert d.hint == "did you mean 'quotation'?"


def test_unknown_activity_without_a_close_name() -> None:
    d = only(STEPS % "invoicing")
    assert d.hint == "define it under activities:"


RULES = """\
version: 1
people:
  - {id: anna, skills: [a]}
  - {id: bruno, skills: [a]}
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [a]}
customers:
  - {id: rossi, demand: {p: 1/week}}
assignments:
  - %s
"""


@pytest.mark.parametrize(
    ("rule", "column", "code", "message", "hint"),
    [
        # "  - {people: [anna, ana]}": 'ana' at 5 + len("{people: [anna, ") = 21.
        (
            "{people: [anna, ana]}",
            21,
            "unknown-person",
            "unknown person 'ana' in assignment rule",
            "did you mean 'anna'?",
        ),
        # "  - {pool: [brunoo]}": 5 + len("{pool: [") = 13.
        (
            "{pool: [brunoo]}",
            13,
            "unknown-person",
            "unknown person 'brunoo' in assignment rule",
            "did you mean 'bruno'?",
        ),
        (
            "{pool: [zed]}",
            13,
            "unknown-person",
            "unknown person 'zed' in assignment rule",
            "define them under people:",
        ),
        # "  - {customers: [rosi], people: [anna]}": 5 + len("{customers: [") = 18.
        (
            "{customers: [rosi], people: [anna]}",
            18,
            "unknown-customer",
            "unknown customer 'rosi' in assignment rule",
            "did you mean 'rossi'?",
        ),
        # A single customer id is a list of one: "  - {customers: rosi, ...}": 5 + 12 = 17.
        (
            "{customers: rosi, people: [anna]}",
            17,
            "unknown-customer",
            "unknown customer 'rosi' in assignment rule",
            "did you mean 'rossi'?",
        ),
        # "  - {activity: [a, b], people: [anna]}": 'b' at 5 + len("{activity: [a, ") = 20.
        (
            "{activity: [a, b], people: [anna]}",
            20,
            "unknown-activity",
            "unknown activity 'b' in assignment rule",
            "check the activity ids",
        ),
    ],
)
def test_unknown_ids_in_rules(rule: str, column: int, code: str, message: str, hint: str) -> None:
    d = only(RULES % rule)
    assert summary(d) == (12, column, "error", code, message)
    assert d.hint == hint


def test_unknown_process_points_at_the_process_name() -> None:
    text = RULES.replace("demand: {p: 1/week}", "demand: {q: 1/week, pp: 2/week}") % (
        "{people: [anna]}"
    )
    found = problems(text)
    # "  - {id: rossi, demand: {q: 1/week, pp: 2/week}}": q at 26, pp at 37.
    assert [summary(d) for d in found] == [
        (10, 26, "error", "unknown-process", "customer 'rossi' has demand for unknown process 'q'"),
        (
            10,
            37,
            "error",
            "unknown-process",
            "customer 'rossi' has demand for unknown process 'pp'",
        ),
    ]
    assert found[0].hint == "define it under processes:"
    assert found[1].hint == "did you mean 'p'?"


AFTER = """\
version: 1
activities:
  - {id: intake, effort: 1h}
  - {id: check, effort: 1h}
  - {id: ship, effort: 1h}
processes:
  - id: p
    steps:
      - intake
      - {activity: check, after: %s}
      - ship
"""


@pytest.mark.parametrize(
    ("after", "column", "message", "hint"),
    [
        # "      - {activity: check, after: [intak]}": '{' at 9, so 'intak' at
        # 9 + len("{activity: check, after: [") = 9 + 26 = 35.
        ("[intak]", 35, "step 'check' waits for unknown step 'intak'", "did you mean 'intake'?"),
        # The one-id form "after: intak": the value at 34.
        ("intak", 34, "step 'check' waits for unknown step 'intak'", "did you mean 'intake'?"),
        # "[intake, zzz]": 'zzz' at 35 + len("intake, ") = 43.
        (
            "[intake, zzz]",
            43,
            "step 'check' waits for unknown step 'zzz'",
            "steps of 'p': check, intake, ship",
        ),
        # "[check]": a step waiting for itself, at 35.
        ("[check]", 35, "step 'check' waits for itself", "remove it from its own after:"),
    ],
)
def test_bad_after(after: str, column: int, message: str, hint: str) -> None:
    d = only(AFTER % after)
    code = "cycle" if "itself" in message else "unknown-step"
    assert summary(d) == (10, column, "error", code, message)
    assert d.hint == hint


# --- duplicates and cycles -------------------------------------------------------------------


def test_duplicate_ids_in_every_section() -> None:
    text = """\
version: 1
people:
  - {id: ann}
  - {id: bob}
  - {id: ann}
activities:
  - {id: a, effort: 1h}
  - {id: a, effort: 2h}
processes:
  - {id: p, steps: [a]}
  - {id: p, steps: [a]}
customers:
  - {id: c}
  - id: c
"""
    found = problems(text)
    assert [summary(d) for d in found] == [
        (5, 10, "error", "duplicate-id", "duplicate id 'ann' in people (first at line 3)"),
        (8, 10, "error", "duplicate-id", "duplicate id 'a' in activities (first at line 7)"),
        (11, 10, "error", "duplicate-id", "duplicate id 'p' in processes (first at line 10)"),
        # "  - id: c": the id's value at column 9.
        (14, 9, "error", "duplicate-id", "duplicate id 'c' in customers (first at line 13)"),
    ]
    assert found[0].hint == "ids must be unique within their kind"


def test_the_same_id_in_two_kinds_is_fine() -> None:
    text = """\
version: 1
people: [{id: x, skills: [x]}]
activities: [{id: x, effort: 1h}]
processes: [{id: x, steps: [x]}]
customers: [{id: x, demand: {x: 1/week}}]
assignments: [{people: [x]}]
"""
    assert warnings_of(text) == []


def test_duplicate_step() -> None:
    text = """\
version: 1
activities:
  - {id: check, effort: 1h}
processes:
  - id: p
    steps:
      - check
      - {activity: check}
      - {id: check_2, activity: check}
"""
    d = only(text)
    # The second step, "      - {activity: check}", at column 9.
    assert summary(d) == (
        8,
        9,
        "error",
        "duplicate-step",
        "step 'check' appears twice in process 'p'",
    )
    assert d.hint == "give repeated activities distinct ids: {id: check_2, activity: check}"


CYCLE = """\
version: 1
activities:
  - {id: x, effort: 1h}
  - {id: a, effort: 1h}
  - {id: b, effort: 1h}
  - {id: c, effort: 1h}
processes:
  - id: p
    steps:
%s
"""


def test_cycle_of_three() -> None:
    steps = """\
      - {activity: a, after: c}
      - {activity: b, after: a}
      - {activity: c, after: b}"""
    d = only(CYCLE % steps)
    # Searched from the first step: a -> b -> c -> a; reported at step a (line 10, column 9).
    assert summary(d) == (
        10,
        9,
        "error",
        "cycle",
        "steps of 'p' wait for each other in a cycle: a -> b -> c -> a",
    )
    assert d.hint == "a step can only wait for steps that finish before it; break the cycle"


def test_cycle_after_a_first_step() -> None:
    steps = """\
      - x
      - {activity: a, after: [x, b]}
      - {activity: b, after: a}"""
    d = only(CYCLE % steps)
    # x leads nowhere; from a: a -> b -> a, reported at step a on line 11.
    assert summary(d)[:4] == (11, 9, "error", "cycle")
    assert d.message.endswith("a -> b -> a")


def test_steps_in_parallel_are_no_cycle() -> None:
    steps = """\
      - x
      - {activity: a, after: x}
      - {activity: b, after: x}
      - {activity: c, after: [a, b]}"""
    org = load_text(CYCLE % steps)
    assert [s.step_id for s in org.org.processes[0].steps] == ["x", "a", "b", "c"]


# --- coverage --------------------------------------------------------------------------------

COVERAGE = """\
version: 1
people:
  - {id: ann, skills: [a, b]}
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: 1h}
processes:
  - {id: p, steps: [a, b]}
customers:
  - {id: c1, region: north, demand: {p: 1/week}}
  - {id: c2, region: south, demand: {p: 1/week}}
  - {id: c3, region: south, demand: {p: 1/week}}
assignments:
%s
"""


def test_uncovered_step_for_one_customer() -> None:
    d = only(COVERAGE % "  - {activity: a, people: [ann]}\n  - {region: north, people: [ann]}")
    # b is covered for c1 (north) only; c2 and c3 are reported once, at c2's rate:
    # "  - {id: c2, region: south, demand: {p: 1/week}}": the rate at column 41.
    assert summary(d) == (
        11,
        41,
        "error",
        "uncovered",
        "no assignment rule covers step 'b' of 'p' for customer 'c2' and 1 other customer",
    )
    assert d.hint == (
        "add a rule, e.g. {activity: b, people: [...]}, or a catch-all {people: [...]} "
        "at the end of assignments:"
    )


def test_nothing_covered_without_rules() -> None:
    found = problems(COVERAGE.replace("assignments:\n%s\n", "assignments: []\n"))
    assert [d.code for d in found] == ["uncovered", "uncovered"]
    assert [d.message for d in found] == [
        "no assignment rule covers step 'a' of 'p' for customer 'c1' and 2 other customers",
        "no assignment rule covers step 'b' of 'p' for customer 'c1' and 2 other customers",
    ]
    # Both at c1's rate: "  - {id: c1, region: north, demand: {p: 1/week}}", column 41.
    assert {(d.line, d.column) for d in found} == {(10, 41)}


def test_reference_errors_come_before_coverage() -> None:
    # The unknown person is reported; coverage is not checked until the ids are right.
    d = only(COVERAGE % "  - {activity: a, people: [an]}")
    assert (d.code, d.message) == ("unknown-person", "unknown person 'an' in assignment rule")


def test_several_reference_errors_sorted() -> None:
    text = """\
version: 1
people:
  - {id: ann, skills: [a]}
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [a, b]}
customers:
  - {id: c, demand: {q: 1/week}}
assignments:
  - {customers: [d], people: [bob]}
people_again: 1
"""
    # The unknown key is a schema error: references are only checked on a schema-valid file.
    assert [d.code for d in problems(text)] == ["schema"]
    found = problems(text.replace("people_again: 1\n", ""))
    assert [(d.line, d.column, d.code) for d in found] == [
        (7, 24, "unknown-activity"),  # "  - {id: p, steps: [a, b]}": b at 24
        (9, 22, "unknown-process"),  # "  - {id: c, demand: {q": q at 22
        (11, 18, "unknown-customer"),  # "  - {customers: [d]": d at 18
        (11, 31, "unknown-person"),  # "  - {customers: [d], people: [bob]}": bob at 31
    ]


# --- warnings --------------------------------------------------------------------------------


def test_rule_that_never_applies() -> None:
    rules = """\
  - {people: [ann]}
  - {activity: a, people: [ann]}
  - {region: south, people: [ann]}"""
    warnings = warnings_of(COVERAGE % rules)
    # The catch-all first rule takes everything: rules 2 and 3 never apply.
    assert [summary(w) for w in warnings] == [
        (
            15,
            5,
            "warning",
            "rule-never-matches",
            "assignment rule 2 never applies: no (customer, step) with demand matches it, "
            "or rules above it match first",
        ),
        (
            16,
            5,
            "warning",
            "rule-never-matches",
            "assignment rule 3 never applies: no (customer, step) with demand matches it, "
            "or rules above it match first",
        ),
    ]
    assert warnings[0].hint == "remove it, or move it above the rule that takes its work"


def test_rule_for_a_region_without_customers_is_reported_once() -> None:
    rules = """\
  - {region: [nort, west], people: [ann]}
  - {people: [ann]}"""
    warnings = warnings_of(COVERAGE % rules)
    # "  - {region: [nort, west]": nort at 15, west at 21; no "never applies" on top.
    assert [summary(w) for w in warnings] == [
        (
            14,
            15,
            "warning",
            "rule-never-matches",
            "no customer is in region 'nort', so this rule never matches",
        ),
        (
            14,
            21,
            "warning",
            "rule-never-matches",
            "no customer is in region 'west', so this rule never matches",
        ),
    ]
    assert warnings[0].hint == "did you mean 'north'?"
    assert warnings[1].hint == "customer regions: north, south"


def test_region_rule_without_any_customer_regions() -> None:
    text = """\
version: 1
people: [{id: ann, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: c, demand: {p: 1/week}}]
assignments:
  - {region: north, people: [ann]}
  - {people: [ann]}
"""
    (w,) = warnings_of(text)
    assert (w.line, w.column, w.code) == (7, 14, "rule-never-matches")
    assert w.hint == "customer regions: none"


def test_region_rules_match_regions_as_typed() -> None:
    # Region "no" (Norway) is the text "no", not false: the rule applies.
    text = """\
version: 1
people: [{id: ann, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: c, region: no, demand: {p: 1/week}}]
assignments:
  - {region: no, people: [ann]}
"""
    assert warnings_of(text) == []


def test_missing_skill() -> None:
    text = """\
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [b]}
  - {id: cy, skills: []}
activities:
  - {id: a, effort: 1h}
  - {id: confirm, effort: 1h, skill: b}
processes:
  - {id: p, steps: [a, confirm]}
customers:
  - {id: c, demand: {p: 1/week}}
assignments:
  - {activity: a, people: [ann, bob]}
  - {pool: [bob, cy]}
"""
    warnings = warnings_of(text)
    assert [summary(w) for w in warnings] == [
        # "  - {activity: a, people: [ann, bob]}": bob at 33; he lacks a.
        (
            14,
            33,
            "warning",
            "missing-skill",
            "'bob' is assigned work that needs skill 'a', which they do not have",
        ),
        # "  - {pool: [bob, cy]}": cy at 18; confirm needs skill b.
        (
            15,
            18,
            "warning",
            "missing-skill",
            "'cy' is assigned work that needs skill 'b', which they do not have",
        ),
    ]
    assert warnings[0].hint == "add a to their skills once trained, or assign someone who has it"


OVERLOAD = """\
version: 1
people:
  - {id: ann, skills: [a], %s}
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [a]}
customers:
  - {id: c, demand: {p: %s}}
assignments:
  - {people: [ann]}
"""


@pytest.mark.parametrize(
    ("person", "demand", "message"),
    [
        # 50 requests of 1 h for 40 h: 125%.
        ("region: x", "50/week", "50.0 h/week of work for 40.0 h/week present (utilization 125%)"),
        # Exactly full is overloaded: 40 h for 40 h.
        ("region: x", "40/week", "40.0 h/week of work for 40.0 h/week present (utilization 100%)"),
        # 20 h for 20 h/week * 0.8 = 16 h present: 125%.
        (
            "capacity: 20h/week, availability: 0.8",
            "20/week",
            "20.0 h/week of work for 16.0 h/week present (utilization 125%)",
        ),
        # 6 h/day is 30 h/week; 8 a day of 1 h over 5 days is 40 h: 133%.
        (
            "capacity: 6h/day",
            "8/day",
            "40.0 h/week of work for 30.0 h/week present (utilization 133%)",
        ),
    ],
)
def test_overloaded_person(person: str, demand: str, message: str) -> None:
    (w,) = warnings_of(OVERLOAD % (person, demand))
    # "  - {id: ann, ...}": the id at column 10.
    assert (w.line, w.column, w.level, w.code) == (3, 10, "warning", "overloaded")
    assert w.message == f"'ann' is overloaded: {message}"
    assert w.hint == "their queue grows without bound: move work to others or add capacity"


def test_almost_full_is_not_overloaded() -> None:
    # 39 h for 40 h: 97.5%.
    assert warnings_of(OVERLOAD % ("region: x", "39/week")) == []


def test_warnings_are_sorted_and_do_not_stop_loading() -> None:
    text = """\
version: 1
people:
  - {id: ann, skills: [b]}
  - {id: bob, skills: [a]}
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [a]}
customers:
  - {id: c, demand: {p: 50/week}}
assignments:
  - {people: [ann]}
  - {people: [bob]}
"""
    org = load_text(text, file="x.yaml")
    assert [w.format().splitlines()[0] for w in org.warnings] == [
        "x.yaml:3:10: warning: 'ann' is overloaded: 50.0 h/week of work for 40.0 h/week "
        "present (utilization 125%) [overloaded]",
        "x.yaml:12:15: warning: 'ann' is assigned work that needs skill 'a', which they do "
        "not have [missing-skill]",
        "x.yaml:13:5: warning: assignment rule 2 never applies: no (customer, step) with demand "
        "matches it, or rules above it match first [rule-never-matches]",
    ]


def test_errors_carry_the_warnings_too() -> None:
    text = """\
version: 1
people:
  - {id: ann, skills: []}
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: 1h}
processes:
  - {id: p, steps: [a, b]}
customers:
  - {id: c, demand: {p: 1/week}}
assignments:
  - {activity: a, people: [ann]}
"""
    found = problems(text)
    assert [(d.line, d.column, d.level, d.code) for d in found] == [
        (10, 25, "error", "uncovered"),  # "  - {id: c, demand: {p: 1/week}}": the rate at 25
        (12, 28, "warning", "missing-skill"),  # "  - {activity: a, people: [ann]}": ann at 28
    ]


def test_thousands_of_unknown_references_are_capped_per_kind() -> None:
    # 1,000 rules naming people who do not exist: the first 20 are reported (with a
    # suggestion each), the 980 others are counted in one more diagnostic at the 21st.
    from orgflow.references import MAX_PER_CODE

    n = 1000
    people = [f"  - {{id: person{i}, skills: [a]}}" for i in range(n)]
    rules = [f"  - {{customers: [c], people: [persn{i}x]}}" for i in range(n)]
    middle = ["activities:", "  - {id: a, effort: 1h}", "processes:", "  - {id: p, steps: [a]}"]
    end = ["customers:", "  - {id: c, demand: {p: 1/week}}", "assignments:"]
    text = "\n".join(["version: 1", "people:", *people, *middle, *end, *rules])
    found = problems(text + "\n")
    assert MAX_PER_CODE == 20
    assert len(found) == 21
    assert all(d.code == "unknown-person" for d in found)
    # Rules start on line 2 + 1000 + 7 = 1009 (rule i on line 1010 + i); 'persnIx' at 31.
    assert (found[0].line, found[0].column) == (1010, 31)
    assert found[0].hint == "did you mean 'person0'?"
    assert (found[-1].line, found[-1].column) == (1030, 31)
    assert found[-1].message.startswith("and 980 more unknown people")


def test_suggestions_index_once_and_keep_the_difflib_cutoff() -> None:
    from orgflow.references import Suggestions

    index = Suggestions(["review", "approve", "archive"])
    assert index.hint("reveiw") == "did you mean 'review'?"
    assert index.hint("zzz") is None
    assert Suggestions([]).hint("x") is None
