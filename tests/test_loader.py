"""The way in: YAML -> data with positions -> schema -> diagnostics, on good and hostile input.

Every expected ``line:column`` is counted by hand from the YAML written here (1-based; the
column of a flow mapping is its ``{``, of a block mapping in a list its first key, of a value
its first character).
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import tracemalloc
import types
from pathlib import Path

import pytest
import yaml
from loading import only, problems

import orgflow
from orgflow import loader
from orgflow.diagnostics import Diagnostic, OrgFileError, sort_diagnostics
from orgflow.loader import load, load_text

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

VALID = """\
version: 1
people:
  - {id: ann, skills: [a]}
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [a]}
customers:
  - {id: c, demand: {p: 1/week}}
assignments:
  - {people: [ann]}
"""


def where(d: Diagnostic) -> tuple[int, int, str, str]:
    return (d.line, d.column, d.level, d.code)


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser and with PyYAML's pure-Python one."""
    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML built without libyaml")
    else:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    name: str = request.param
    return name


# --- diagnostics -----------------------------------------------------------------------------


def test_diagnostic_format_with_and_without_hint() -> None:
    d = Diagnostic("x.yaml", 12, 5, "error", "schema", "unknown key 'skils'", "did you mean?")
    assert d.format() == "x.yaml:12:5: error: unknown key 'skils' [schema]\n    hint: did you mean?"
    w = Diagnostic("x.yaml", 3, 1, "warning", "overloaded", "too much")
    assert w.format() == "x.yaml:3:1: warning: too much [overloaded]"
    assert w.to_dict() == {
        "file": "x.yaml",
        "line": 3,
        "column": 1,
        "level": "warning",
        "code": "overloaded",
        "message": "too much",
        "hint": None,
    }


def test_org_file_error_sorts_and_summarizes() -> None:
    late = Diagnostic("x.yaml", 9, 1, "error", "b", "late")
    early = Diagnostic("x.yaml", 2, 7, "error", "a", "early")
    warning = Diagnostic("x.yaml", 1, 1, "warning", "c", "note")
    err = OrgFileError([late, warning, early])
    assert err.diagnostics == [warning, early, late]
    # The message is the first *error*, and how many more there are.
    assert str(err) == "x.yaml:2:7: error: early [a] (and 1 more)"
    assert str(OrgFileError([late])) == "x.yaml:9:1: error: late [b]"
    assert str(OrgFileError([warning])) == "unusable org file"
    assert sort_diagnostics([late, early]) == [early, late]


# --- a good file -----------------------------------------------------------------------------


def test_valid_file_loads_with_positions() -> None:
    org = load_text(VALID, file="x.yaml")
    assert [p.id for p in org.people] == ["ann"]
    assert org.people[0].skills == ["a"]
    assert org.activities[0].effort.mean_hours(org.calendar) == 1.0
    assert org.customers[0].demand["p"].per_week(org.calendar) == 1.0
    smap = org.source
    assert smap.file == "x.yaml"
    assert smap.warnings == []
    # "  - {id: ann, ...}": the mapping at column 5, "ann" at column 10.
    assert smap.at(("people", 0)) == (3, 5)
    assert smap.at(("people", 0, "id")) == (3, 10)
    assert smap.at(("people", 0, "id"), key=True) == (3, 6)
    # "  - {id: c, demand: {p: 1/week}}": demand's mapping at 21, key p at 22, rate at 25.
    assert smap.at(("customers", 0, "demand")) == (9, 21)
    assert smap.at(("customers", 0, "demand", "p"), key=True) == (9, 22)
    assert smap.at(("customers", 0, "demand", "p")) == (9, 25)
    # A path that is not in the file falls back to its nearest ancestor.
    assert smap.at(("people", 0, "availability")) == (3, 5)
    assert smap.at(("nothing", "here")) == (1, 1)


def test_package_level_load_text_and_load(tmp_path: Path) -> None:
    # the package's load: the file loaded, resolved and linted (an Office)
    assert orgflow.load_text(VALID).org.people[0].id == "ann"
    path = tmp_path / "office.yaml"
    path.write_text(VALID, encoding="utf-8")
    office = orgflow.load(path)
    assert office.file == str(path)


@pytest.mark.parametrize(
    "name", ["serial", "parallel-by-customer", "parallel-by-region", "large-office"]
)
def test_samples_load(name: str) -> None:
    path = ROOT / "samples" / f"{name}.yaml"
    if not path.exists():
        pytest.skip(f"{path.name} is not in this checkout")
    org = load(path)
    assert org.people
    assert org.customers


def test_serial_sample_reads_what_it_says() -> None:
    org = load(ROOT / "samples" / "serial.yaml")
    assert org.org.name == "Sales back office (serial)"
    assert org.org.handoff_delay.hours(org.calendar) == 2.0
    assert org.org.absence_spell.hours(org.calendar) == 24.0  # 3 days of 8 h
    sandro = org.people[-1]
    assert sandro.id == "sandro"
    assert sandro.capacity_hours_per_week(org.calendar) == 20.0
    assert org.people[1].availability == 0.88
    # rossi: 3/week + 1/week over two processes.
    assert org.customers[0].demand["order_to_cash"].per_week(org.calendar) == 3.0
    assert org.customers[0].demand["certified_order"].per_week(org.calendar) == 1.0
    assert len(org.assignments) == 7
    assert org.assignments[2].activity == ["order_entry", "confirmation"]


# --- YAML syntax -----------------------------------------------------------------------------


def test_syntax_error_mapping_value(parser: str) -> None:
    # "  name: a: b": the second ':' is column 10.
    d = only("version: 1\norg:\n  name: a: b\n")
    assert where(d) == (3, 10, "error", "yaml-syntax")
    # Said in the user's terms, the parser's words kept after it, the line in the hint.
    assert d.message.startswith("a ':' where a value was expected: a text with ': ' in it")
    assert "(YAML: mapping values are not allowed" in d.message
    assert d.hint is not None
    assert d.hint.startswith("put quotes around a text that holds ': '")
    assert d.hint.endswith("line 3 reads: 'name: a: b'")


def test_syntax_error_tab_indent(parser: str) -> None:
    d = only("version: 1\norg:\n\tname: x\n")
    assert where(d) == (3, 1, "error", "yaml-syntax")
    assert d.message.startswith("a tab in the indentation")
    assert "that cannot start any token" in d.message
    assert d.hint == (
        "YAML indents with spaces only: replace the tab with spaces; line 3 reads: 'name: x'"
    )


def test_syntax_error_bad_indentation_in_user_terms(parser: str) -> None:
    # "availability" is indented by 3 spaces under an item whose keys are at 4.
    d = only("version: 1\npeople:\n  - id: ann\n    skills: [a]\n   availability: 0.9\n")
    assert where(d) == (5, 4, "error", "yaml-syntax")
    assert d.message.startswith("bad indentation: this line does not line up")
    assert d.hint is not None
    assert d.hint.endswith("line 5 reads: 'availability: 0.9'")


def test_missing_version_hint_says_version_1() -> None:
    d = only("people:\n  - {id: ann}\n")
    assert d.message == "(top level) is missing required key 'version'"
    assert d.hint == "add 'version: 1' as the first line of an org file"


def test_availability_as_a_percentage_says_write_0_9() -> None:
    d = only("version: 1\npeople:\n  - {id: ann, availability: 90%}\n")
    assert (d.line, d.column) == (3, 29)
    assert d.hint == "write a share as a number: 0.9 for 90%"


def test_syntax_error_unterminated_quote(parser: str) -> None:
    # The stream ends after the last newline: line 4, column 1.
    d = only('version: 1\norg:\n  name: "abc\n')
    assert where(d) == (4, 1, "error", "yaml-syntax")
    assert "unexpected end of stream" in d.message
    assert "scanning a quoted scalar" in d.message


def test_syntax_error_unclosed_flow_mapping(parser: str) -> None:
    d = only("version: 1\norg: {name: a\n")
    assert where(d) == (3, 1, "error", "yaml-syntax")
    assert "while parsing a flow mapping" in d.message


def test_syntax_error_is_formatted_for_the_terminal() -> None:
    d = only("version: 1\norg:\n  name: a: b\n")
    assert (
        d.format()
        .splitlines()[0]
        .startswith("x.yaml:3:10: error: a ':' where a value was expected")
    )
    assert d.format().splitlines()[0].endswith(" [yaml-syntax]")
    assert d.format().splitlines()[1].startswith("    hint: put quotes around")


def test_two_documents(parser: str) -> None:
    d = only("version: 1\n---\nversion: 1\n")
    assert where(d) == (2, 1, "error", "yaml-documents")
    assert d.message == "more than one YAML document in the file"


def test_two_explicit_documents() -> None:
    d = only("---\nversion: 1\n---\nversion: 1\n")
    assert where(d) == (3, 1, "error", "yaml-documents")


def test_document_markers_alone_are_fine() -> None:
    org = load_text("---\n" + VALID + "...\n")
    assert org.people[0].id == "ann"


@pytest.mark.parametrize(
    ("text", "line", "column", "tag"),
    [
        # "  name: !custom x": the tag starts the node, column 9.
        ("version: 1\norg:\n  name: !custom x\n", 3, 9, "!custom"),
        # "org: !!python/object:os.system {}": column 6.
        (
            "version: 1\norg: !!python/object:os.system {}\n",
            2,
            6,
            "tag:yaml.org,2002:python/object:os.system",
        ),
        ("version: 1\npeople: !!set {a: null}\n", 2, 9, "tag:yaml.org,2002:set"),
        ("version: 1\npeople: !!omap []\n", 2, 9, "tag:yaml.org,2002:omap"),
        ("version: !!python/name:os.system 1\n", 1, 10, "tag:yaml.org,2002:python/name:os.system"),
    ],
)
def test_unsupported_tags(text: str, line: int, column: int, tag: str) -> None:
    d = only(text)
    assert where(d) == (line, column, "error", "yaml-tag")
    assert d.message == f"unsupported YAML tag {tag}"
    assert d.hint == "remove the tag; orgflow reads plain values"


def test_standard_tags_are_accepted() -> None:
    org = load_text(VALID.replace("version: 1", "version: !!int 1\norg: !!map {name: !!str 007}"))
    assert org.org.name == "007"


def test_unknown_alias(parser: str) -> None:
    # "  name: *nope": the alias at column 9.
    d = only("version: 1\norg:\n  name: *nope\n")
    assert where(d) == (3, 9, "error", "yaml-alias")
    assert d.message == "unknown alias *nope"
    assert d.hint == "define &nope before using it"


def test_alias_of_itself_is_unknown(parser: str) -> None:
    # "x: &a [*a]": the anchor is only defined once its list ends; the alias is at column 8.
    d = only("version: 1\nx: &a [*a]\n")
    assert where(d) == (2, 8, "error", "yaml-alias")


def test_complex_key(parser: str) -> None:
    # "? [a, b]": the key's list at column 3.
    d = only("version: 1\n? [a, b]\n: c\n")
    assert where(d) == (2, 3, "error", "yaml-key")
    assert d.message == "a mapping key must be a plain word, not a list or mapping"


def test_alias_of_a_mapping_as_key(parser: str) -> None:
    d = only("version: 1\nx: &m {a: 1}\n*m : 2\n")
    assert where(d) == (3, 1, "error", "yaml-key")


# --- duplicate keys --------------------------------------------------------------------------


def test_duplicate_keys_all_reported_with_first_line() -> None:
    text = """\
version: 1
org:
  name: first
  hours_per_day: 8
  name: second
people: []
people: []
"""
    found = problems(text)
    assert [where(d) for d in found] == [
        (5, 3, "error", "duplicate-key"),
        (7, 1, "error", "duplicate-key"),
    ]
    assert found[0].message == "duplicate key 'name' (first given at line 3)"
    assert found[1].message == "duplicate key 'people' (first given at line 6)"
    assert found[0].hint == "remove one of them; YAML keeps only one value per key"


def test_duplicate_key_keeps_the_first_value_and_its_position() -> None:
    # The first value (30) is kept, so the range error is at ITS position, 3:18.
    text = "version: 1\norg:\n  hours_per_day: 30\n  hours_per_day: 8\n"
    found = problems(text)
    assert [where(d) for d in found] == [
        (3, 18, "error", "schema"),
        (4, 3, "error", "duplicate-key"),
    ]
    assert found[0].message == "org.hours_per_day: Input should be less than or equal to 24"


def test_duplicate_mapping_does_not_move_the_first_ones_positions() -> None:
    text = """\
version: 1
org:
  name: a
  hours_per_day: 30
org:
  hours_per_day: 8
"""
    found = problems(text)
    assert [where(d) for d in found] == [
        (4, 18, "error", "schema"),
        (5, 1, "error", "duplicate-key"),
    ]
    assert found[1].message == "duplicate key 'org' (first given at line 2)"


def test_duplicate_key_in_an_otherwise_valid_file() -> None:
    text = VALID.replace("  - {id: a, effort: 1h}", "  - {id: a, effort: 1h, effort: 2h}")
    # "  - {id: a, effort: 1h, effort: 2h}": the second 'effort' at column 25.
    d = only(text)
    assert where(d) == (5, 25, "error", "duplicate-key")
    assert d.message == "duplicate key 'effort' (first given at line 5)"


# --- schema errors ---------------------------------------------------------------------------


def test_unknown_key_with_suggestion() -> None:
    d = only("version: 1\npeople:\n  - id: ann\n    skils: [a]\n")
    assert where(d) == (4, 5, "error", "schema")
    assert d.message == "unknown key 'skils' in people[0] (ann)"
    assert d.hint == "did you mean 'skills'?"
    assert d.format() == (
        "x.yaml:4:5: error: unknown key 'skils' in people[0] (ann) [schema]\n"
        "    hint: did you mean 'skills'?"
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "message", "hint"),
    [
        (
            "version: 1\nactivites: []\n",
            2,
            1,
            "unknown key 'activites' in (top level)",
            "did you mean 'activities'?",
        ),
        (
            # "org: {nmae: x}": the key at column 7.
            "version: 1\norg: {nmae: x}\n",
            2,
            7,
            "unknown key 'nmae' in org",
            "did you mean 'name'?",
        ),
        (
            # "  - {id: a, effort: {mean: 1h, cv: 1, shape: 2}}": 'shape' at column 39.
            "version: 1\nactivities:\n  - {id: a, effort: {mean: 1h, cv: 1, shape: 2}}\n",
            3,
            39,
            "unknown key 'shape' in activities[0] (a).effort",
            None,
        ),
        (
            "version: 1\nzzzzzz: 1\n",
            2,
            1,
            "unknown key 'zzzzzz' in (top level)",
            "remove it; see README: file format",
        ),
    ],
)
def test_unknown_keys(text: str, line: int, column: int, message: str, hint: str | None) -> None:
    d = only(text)
    assert where(d) == (line, column, "error", "schema")
    assert d.message == message
    if hint is not None:
        assert d.hint == hint


def test_missing_keys_all_reported() -> None:
    text = """\
version: 1
activities:
  - name: Quotation
    effort: 3h
processes:
  - {name: p}
"""
    found = problems(text)
    assert [(d.line, d.column, d.message) for d in found] == [
        (3, 5, "activities[0] is missing required key 'id'"),
        (6, 5, "processes[0] is missing required key 'id'"),
        (6, 5, "processes[0] is missing required key 'steps'"),
    ]
    assert found[0].hint == "add 'id: ...'"
    assert found[2].hint == "add 'steps: ...'"


def test_missing_version_points_at_the_top_mapping() -> None:
    # The top-level mapping starts with its first key, on line 2 after the comment.
    d = only("# an office\npeople: []\n")
    assert where(d) == (2, 1, "error", "schema")
    assert d.message == "(top level) is missing required key 'version'"


def test_wrong_version() -> None:
    d = only("version: 2\n")
    assert where(d) == (1, 10, "error", "schema")
    assert d.message == "version: Input should be 1"
    assert d.hint == "the only format version is 1: write 'version: 1'"


PERSON = "version: 1\npeople:\n  - {id: ann, %s}\n"  # the field starts at column 15


@pytest.mark.parametrize(
    ("field", "column", "message", "hint"),
    [
        # "  - {id: ann, availability: high}": the value at 15 + len("availability: ") = 29.
        (
            "availability: high",
            29,
            "people[0] (ann).availability: Input should be a valid number, "
            "unable to parse string as a number",
            "write a plain number, e.g. 0.9",
        ),
        (
            "availability: 1.5",
            29,
            "people[0] (ann).availability: Input should be less than or equal to 1",
            None,
        ),
        (
            "availability: 0",
            29,
            "people[0] (ann).availability: Input should be greater than or equal to 0.01",
            None,
        ),
        ("availability: nan", 29, "people[0] (ann).availability: Input should be a finite", None),
        # "skills: a": the value at 15 + len("skills: ") = 23.
        (
            "skills: a",
            23,
            "people[0] (ann).skills: Input should be a valid list",
            "write skills as a list, e.g. [a, b]",
        ),
        # "skills: [a, b c, d]": '[' at 23, the second item at 27.
        (
            "skills: [a, b c, d]",
            27,
            "people[0] (ann).skills[1]: String should match pattern",
            "ids use letters, digits, '.', '-' and '_' only",
        ),
        # "capacity: 40/week": the value at 15 + len("capacity: ") = 25.
        (
            "capacity: 40/week",
            25,
            "people[0] (ann).capacity: '40/week' is not a capacity; write work time per period",
            None,
        ),
        (
            "capacity: 0h/week",
            25,
            "people[0] (ann).capacity: a capacity must be more than zero, not '0h/week'",
            None,
        ),
        # "absences: [{from: 2026-13-01, to: 2026-12-31}]": 'from' value at 15 + 18 = 33.
        (
            "absences: [{from: 2026-13-01, to: 2026-12-31}]",
            33,
            "people[0] (ann).absences[0].from: Input should be a valid date",
            "write dates as YYYY-MM-DD",
        ),
        # The absence mapping itself, at 15 + len("absences: [") = 26.
        (
            "absences: [{from: 2026-08-21, to: 2026-08-03}]",
            26,
            "people[0] (ann).absences[0]: an absence must end on or after its start",
            None,
        ),
    ],
)
def test_person_field_errors(field: str, column: int, message: str, hint: str | None) -> None:
    d = only(PERSON % field)
    assert where(d) == (3, column, "error", "schema")
    assert d.message.startswith(message)
    if hint is not None:
        assert d.hint == hint


def test_wrong_types_elsewhere() -> None:
    text = """\
version: 1
org: Sales office
people: {id: ann}
activities:
  - {id: a, effort: 3, customer_facing: maybe}
  - id: b
    effort: {dist: gamma, mean: 1h}
customers:
  - {id: c, demand: {p: 6 per week}}
"""
    found = problems(text)
    assert [(d.line, d.column, d.message) for d in found] == [
        (2, 6, "org: Input should be a valid dictionary or instance of OrgSettings"),
        (3, 9, "people: Input should be a valid list"),
        # "  - {id: a, effort: 3, customer_facing: maybe}": '3' at 21, 'maybe' at 41.
        (
            5,
            21,
            "activities[0] (a).effort: '3' is not a duration; write a number and a unit, "
            "e.g. 90m, 3h, 1.5d or 1w",
        ),
        (
            5,
            41,
            "activities[0] (a).customer_facing: Input should be a valid boolean, "
            "unable to interpret input",
        ),
        (
            7,
            13,
            "activities[1] (b).effort: Input tag 'gamma' found using 'dist' does not match any "
            "of the expected tags: 'fixed', 'exponential', 'lognormal', 'pert', 'triangular', "
            "'uniform'",
        ),
        # "  - {id: c, demand: {p: 6 per week}}": the rate at 25.
        (
            9,
            25,
            "customers[0] (c).demand.p: '6 per week' is not a rate; write a count per period, "
            "e.g. 6/week or 2/day",
        ),
    ]
    hints = [d.hint for d in found]
    assert hints[0] == "write a mapping of key: value lines here"
    assert hints[3] == "write true or false"
    assert hints[4] == "dist is one of: fixed, exponential, lognormal, pert, triangular, uniform"


def test_bad_id_characters() -> None:
    # "  - {id: ann smith}": the id at column 10.
    d = only("version: 1\npeople:\n  - {id: ann smith}\n")
    assert where(d) == (3, 10, "error", "schema")
    assert d.message == "people[0] (ann smith).id: String should match pattern '^[A-Za-z0-9._-]+$'"
    assert d.hint == "ids use letters, digits, '.', '-' and '_' only"


def test_rule_needs_people_or_pool() -> None:
    text = VALID.replace(
        "  - {people: [ann]}", "  - {activity: a}\n  - {people: [ann], pool: [ann]}"
    )
    found = problems(text)
    assert [(d.line, d.column) for d in found] == [(11, 5), (12, 5)]
    assert found[0].message == (
        "assignments[0]: a rule needs exactly one of 'people' (primary then backups) or 'pool'"
    )


def test_several_errors_in_one_file_sorted_by_line() -> None:
    text = """\
version: 1
org:
  name: Office
  hours_per_day: 25
  name: Office again
people:
  - {id: ann, availability: 0}
  - {id: bob, skils: [a]}
  - {name: Carla}
activities:
  - {id: a, effort: 3}
"""
    with pytest.raises(OrgFileError) as info:
        load_text(text, file="x.yaml")
    found = info.value.diagnostics
    assert [where(d) for d in found] == [
        (4, 18, "error", "schema"),  # "  hours_per_day: 25"
        (5, 3, "error", "duplicate-key"),  # the second "name"
        (7, 29, "error", "schema"),  # "  - {id: ann, availability: 0}": '0' at 29
        (8, 15, "error", "schema"),  # "  - {id: bob, skils: [a]}": 'skils' at 15
        (9, 5, "error", "schema"),  # the mapping without id
        (11, 21, "error", "schema"),  # "  - {id: a, effort: 3}": '3' at 21
    ]
    assert str(info.value) == (
        "x.yaml:4:18: error: org.hours_per_day: Input should be less than or equal to 24 "
        "[schema] (and 5 more)"
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "what"),
    [
        ("", 1, 1, "empty"),
        ("# nothing yet\n", 1, 1, "empty"),
        ("\n\n   \n", 1, 1, "empty"),
        ("# a list\n- version: 1\n", 2, 1, "a list"),
        ("version 1\n", 1, 1, "a str"),
    ],
)
def test_not_a_mapping(text: str, line: int, column: int, what: str) -> None:
    d = only(text)
    assert where(d) == (line, column, "error", "schema")
    assert d.message == f"the org file is {what}, not a mapping"
    assert d.hint == "start the file with 'version: 1'"


# --- YAML 1.1 quirks: values stay as typed ---------------------------------------------------

QUIRKS = """\
version: 1
org:
  name: 2026-08-03
  hours_per_day: 7.5
people:
  - {id: no, name: "null", region: no, skills: [yes, on, off]}
  - id: 007
    name: ~
    region: NO
    availability: .9
    skills: [yes, on, off]
    absences: [{from: 2026-08-03, to: 2026-08-21, reason: holiday}]
  - {id: 1e3, name: 'yes', skills: [yes, on, off], availability: 1.0}
activities:
  - {id: yes, effort: 1h, customer_facing: yes}
  - {id: on, effort: 30m, customer_facing: off}
  - {id: off, effort: 15m, specialist: on}
processes:
  - {id: "null", steps: [yes, on, off]}
customers:
  - {id: 2026-08-03, region: no, demand: {"null": 1/week}}
  - {id: 0x1F, region: NO, demand: {"null": 2/week}}
assignments:
  - {region: no, people: [no, 007]}
  - {customers: [0x1F], pool: [007, 1e3]}
"""


def test_yaml11_values_stay_as_typed(parser: str) -> None:
    org = load_text(QUIRKS)
    assert org.org.name == "2026-08-03"
    assert org.org.hours_per_day == 7.5
    assert [p.id for p in org.people] == ["no", "007", "1e3"]
    assert [p.name for p in org.people] == ["null", None, "yes"]
    assert [p.region for p in org.people] == ["no", "NO", None]
    assert all(p.skills == ["yes", "on", "off"] for p in org.people)
    assert org.people[1].availability == 0.9
    absence = org.people[1].absences[0]
    assert (absence.from_, absence.to) == (dt.date(2026, 8, 3), dt.date(2026, 8, 21))
    assert absence.reason == "holiday"
    assert [a.id for a in org.activities] == ["yes", "on", "off"]
    # Booleans are read where the format asks for them.
    assert [a.customer_facing for a in org.activities] == [True, False, False]
    assert [a.specialist for a in org.activities] == [False, False, True]
    assert org.processes[0].id == "null"
    assert [c.id for c in org.customers] == ["2026-08-03", "0x1F"]
    assert [c.region for c in org.customers] == ["no", "NO"]
    assert list(org.customers[0].demand) == ["null"]
    assert org.assignments[0].region == ["no"]
    assert org.assignments[0].people == ["no", "007"]
    assert org.assignments[1].customers == ["0x1F"]
    assert org.assignments[1].pool == ["007", "1e3"]
    assert org.source.warnings == []


@pytest.mark.parametrize(
    ("written", "value"),
    [("yes", True), ("Yes", True), ("on", True), ("true", True), ("no", False), ("off", False)],
)
def test_booleans_where_the_format_wants_them(written: str, value: bool) -> None:
    org = load_text(f"version: 1\nactivities:\n  - {{id: a, effort: 1h, specialist: {written}}}\n")
    assert org.activities[0].specialist is value


def test_null_looking_strings() -> None:
    text = """\
version: 1
people:
  - {id: a, name: "null", region: "~"}
  - {id: b, name: 'Null', region: ''}
  - {id: c, name: null, region: ~}
  - {id: d, name: NULL}
  - {id: e}
"""
    org = load_text(text)
    assert [(p.name, p.region) for p in org.people] == [
        ("null", "~"),
        ("Null", ""),
        (None, None),
        (None, None),
        (None, None),
    ]


def test_numbers_keep_their_text() -> None:
    # Strings that YAML 1.1 would read as numbers keep every digit and sign.
    org = load_text("version: 1\norg:\n  name: 0012\npeople:\n  - {id: '1.50', name: +1.50}\n")
    assert org.org.name == "0012"
    assert (org.people[0].id, org.people[0].name) == ("1.50", "+1.50")


# --- merge keys ------------------------------------------------------------------------------


def test_merge_keys_explicit_keys_win(parser: str) -> None:
    text = """\
version: 1
people:
  - &ann {id: ann, skills: [a], availability: 0.9, region: north}
  - <<: *ann
    id: bob
    availability: 0.8
  - {<<: [*ann, {region: south, name: Carla}], id: carla}
"""
    org = load_text(text)
    ann, bob, carla = org.people
    assert (bob.id, bob.skills, bob.availability, bob.region) == ("bob", ["a"], 0.8, "north")
    assert (ann.id, ann.availability) == ("ann", 0.9)  # the anchor is not changed
    # In a list of merges the earlier mapping wins; the explicit key wins over both.
    assert (carla.id, carla.region, carla.name) == ("carla", "north", "Carla")


def test_merged_value_error_points_at_the_alias() -> None:
    text = """\
version: 1
people:
  - &base {id: ann, availability: 1.5}
  - <<: *base
    id: bob
"""
    found = problems(text)
    # "  - &base {id: ann, availability: 1.5}": 1.5 at column 35; "  - <<: *base": alias at 9.
    assert [(d.line, d.column, d.message) for d in found] == [
        (3, 35, "people[0] (ann).availability: Input should be less than or equal to 1"),
        (4, 9, "people[1] (bob).availability: Input should be less than or equal to 1"),
    ]


def test_merge_of_a_plain_value() -> None:
    # "  <<: plain": the value at column 7.
    d = only("version: 1\norg:\n  <<: plain\n")
    assert where(d) == (3, 7, "error", "yaml-merge")
    assert d.message == "'<<' must merge a mapping or a list of mappings"


# --- hostile input ---------------------------------------------------------------------------


def billion_laughs() -> str:
    """9 levels, each a list of 9 aliases of the level before: 9^9 'lol's if expanded."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for before, level in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{before}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_without_expanding(parser: str) -> None:
    # Nodes counted so far (each alias counts its anchor's nodes):
    #   line 1: root map 1 + key 1 + list 1 + 9 scalars            -> 12; size(a) = 10
    #   line 2: key, list, 9 * 10                                  -> 104; size(b) = 91
    #   line 3: 2 + 9 * 91 = 821                                   -> 925; size(c) = 820
    #   line 4: 2 + 9 * 820 = 7382                                 -> 8307; size(d) = 7381
    #   line 5: 2 + 9 * 7381 = 66431                               -> 74738; size(e) = 66430
    #   line 6: 2 + 9 * 66430 = 597872                             -> 672610; size(f) = 597871
    #   line 7: 672612 + k * 597871 > 5,000,000 first for k = 8 (k = 7: 4,857,709).
    # "g: &g [*f, *f, ...": the first alias at column 8, then every 4 columns: 8 + 7 * 4 = 36.
    tracemalloc.start()
    try:
        d = only(billion_laughs())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert where(d) == (7, 36, "error", "yaml-size")
    # Nodes from aliases: 9 * (10 + 91 + 820 + 7381 + 66430) + 8 * 597871 = 5,455,556.
    assert d.message == (
        "the file expands to more than 5,000,000 YAML nodes; aliases repeat their anchor's "
        "whole content (5,455,556 of the nodes come from aliases)"
    )
    assert peak < 16 * 2**20  # a few MiB at most: nothing was expanded


def test_many_aliases_below_the_limit_are_fine() -> None:
    # Aliases are legitimate: one rule's people reused for many rules.
    text = VALID.replace(
        "  - {people: [ann]}",
        "  - {activity: a, people: &desk [ann]}\n" + "  - {activity: a, people: *desk}\n" * 50,
    )
    org = load_text(text)
    assert len(org.assignments) == 51
    assert all(rule.people == ["ann"] for rule in org.assignments)
    # 50 rules come after one that takes all the work (the lint pass says so).
    assert len(orgflow.load_text(text).warnings) == 50


def test_deep_nesting(parser: str) -> None:
    d = only("[" * 10_000)
    assert (d.line, d.level, d.code) == (1, "error", "yaml-depth")
    assert d.message == "nesting deeper than 64 levels"
    # The 65th '[' (column 65) is one too many; libyaml >= 0.2.5 reads flow collections ahead
    # and stops first at its own limit of 1000 levels: the 1001st '['.
    libyaml_limit = parser == "libyaml" and loader_libyaml_version() >= (0, 2, 5)
    assert d.column == (1001 if libyaml_limit else 65)


def loader_libyaml_version() -> tuple[int, int, int]:
    from yaml import _yaml

    version: tuple[int, int, int] = _yaml.get_version()
    return version


def test_deep_nesting_of_mappings(parser: str) -> None:
    # The top mapping is level 1; the 63rd "{a: " is level 64; the 64th is too deep.
    # "x: " takes columns 1-3, then every "{a: " 4 columns: 4 + 63 * 4 = 256.
    d = only("version: 1\nx: " + "{a: " * 2000)
    assert where(d) == (2, 256, "error", "yaml-depth")


def test_nesting_limit_is_64_levels() -> None:
    # Top mapping + 63 lists = 64 levels: read (then refused as an unknown key).
    d = only("version: 1\nx: " + "[" * 63 + "]" * 63 + "\n")
    assert (d.code, d.message) == ("schema", "unknown key 'x' in (top level)")
    # Top mapping + 64 lists: the 64th '[' at column 4 + 63 = 67.
    d = only("version: 1\nx: " + "[" * 64 + "]" * 64 + "\n")
    assert where(d) == (2, 67, "error", "yaml-depth")


@pytest.mark.parametrize(
    ("text", "line", "column", "codepoint"),
    [
        ("version: 1\norg:\n  name: a\x00b\n", 3, 10, "0000"),  # "  name: a" is 9 characters
        ("version: 1\norg:\n  name: Caf\u00e9 \x1b[0m\n", 3, 14, "001B"),  # "  name: Café " is 13
        ("version: 1\x7f\n", 1, 11, "007F"),
        ("version: 1\norg:\n  name: \ud800\n", 3, 9, "D800"),  # a lone surrogate
        ("version: 1\r\norg:\r\n  name: \x01\r\n", 3, 9, "0001"),  # CRLF line ends
    ],
)
def test_control_characters_in_text(text: str, line: int, column: int, codepoint: str) -> None:
    d = only(text)
    assert where(d) == (line, column, "error", "yaml-syntax")
    assert d.message == f"character U+{codepoint} is not allowed in YAML"


def test_tabs_and_unicode_are_fine() -> None:
    org = load_text('version: 1\norg:\n  name: "Zo\u00eb\tand \U0001f600"\n')
    assert org.org.name == "Zo\u00eb\tand \U0001f600"


def test_columns_count_characters_not_bytes() -> None:
    # "  - {id: ann, name: Zoë Ørsted, skils: [a]}": 'skils' at column 33 whatever the bytes.
    d = only("version: 1\npeople:\n  - {id: ann, name: Zo\u00eb \u00d8rsted, skils: [a]}\n")
    assert (d.line, d.column) == (3, 33)


# --- files: size, bytes, encodings, paths ----------------------------------------------------


def write(tmp_path: Path, data: bytes, name: str = "org.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def file_problem(path: Path, **kwargs: int) -> Diagnostic:
    with pytest.raises(OrgFileError) as info:
        load(path, **kwargs)
    assert len(info.value.diagnostics) == 1
    return info.value.diagnostics[0]


def test_load_from_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.encode())
    org = load(path)
    assert org.people[0].id == "ann"
    assert org.source.file == str(path)
    d = file_problem(write(tmp_path, b"version: 2\n", "bad.yaml"))
    assert d.file == str(tmp_path / "bad.yaml")
    assert d.format().startswith(f"{tmp_path / 'bad.yaml'}:1:10: error: version:")


def test_default_size_limit() -> None:
    assert loader.MAX_BYTES == 64 * 2**20


def test_file_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, b"#" * (3 * 2**20))
    d = file_problem(path, max_bytes=2 * 2**20)
    assert where(d) == (1, 1, "error", "too-large")
    # 3 * 2^20 bytes / 2^20 = 3.0 MiB; limit 2 MiB.
    assert d.message == "the file is 3.0 MiB; orgflow reads org files up to 2 MiB"


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    data = VALID.encode()
    assert load(write(tmp_path, data), max_bytes=len(data)).people[0].id == "ann"
    d = file_problem(write(tmp_path, data, "one-more.yaml"), max_bytes=len(data) - 1)
    assert d.code == "too-large"


def test_size_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("a too large file was opened")

    monkeypatch.setattr(loader, "open", no_open, raising=False)
    path = write(tmp_path, b"#" * 4096)
    d = file_problem(path, max_bytes=1024)
    assert d.code == "too-large"


def test_file_that_grows_after_stat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file whose size is not known in advance (a pipe, a file being written): at most
    # max_bytes + 1 bytes are read, and that is enough to refuse it.
    fake_os = types.SimpleNamespace(stat=lambda path: types.SimpleNamespace(st_size=0))
    monkeypatch.setattr(loader, "os", fake_os)
    path = write(tmp_path, b"#" * (3 * 2**20))
    d = file_problem(path, max_bytes=2 * 2**20)
    assert where(d) == (1, 1, "error", "too-large")
    assert d.message == "the file is larger than 2 MiB"


@pytest.mark.parametrize(
    ("data", "line", "column", "byte"),
    [
        # "  name: Caf" is 11 characters: the Latin-1 é is column 12.
        (b"version: 1\norg:\n  name: Caf\xe9 Roma\n", 3, 12, "e9"),
        # "  name: École " is 14 characters (16 bytes): column 15.
        (b"version: 1\norg:\n  name: \xc3\x89cole \xff\n", 3, 15, "ff"),
        # A truncated 3-byte sequence at the end of line 1: column 10.
        (b"version: \xe2\x82\n", 1, 10, "e2"),
        # After a UTF-8 byte-order mark the columns are the same.
        (codecs.BOM_UTF8 + b"version: 1\nname: caf\xe9\n", 2, 10, "e9"),
    ],
)
def test_invalid_utf8(tmp_path: Path, data: bytes, line: int, column: int, byte: str) -> None:
    d = file_problem(write(tmp_path, data))
    assert where(d) == (line, column, "error", "encoding")
    assert d.message == f"invalid UTF-8 (byte 0x{byte})"
    assert d.hint == "save the file as UTF-8; editors offer this under 'Save with encoding'"


def test_binary_file(tmp_path: Path) -> None:
    # "  name: a" is 9 characters: the NUL is column 10.
    d = file_problem(write(tmp_path, b"version: 1\norg:\n  name: a\x00b\n"))
    assert where(d) == (3, 10, "error", "binary")
    assert d.message == "this is a binary file, not a YAML org file (it contains a NUL byte)"
    d = file_problem(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.png"))
    # "\x89PNG\r\n\x1a\n": two newlines before the NUL, which starts line 3.
    assert (d.line, d.column, d.code) == (3, 1, "binary")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    org = load(write(tmp_path, codecs.BOM_UTF8 + VALID.encode()))
    assert org.people[0].id == "ann"
    # Positions do not count the byte-order mark: 'skils' at column 15 of line 3.
    d = file_problem(
        write(tmp_path, codecs.BOM_UTF8 + b"version: 1\npeople:\n  - {id: ann, skils: [a]}\n")
    )
    assert (d.line, d.column, d.message) == (3, 15, "unknown key 'skils' in people[0] (ann)")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_bom_are_accepted(tmp_path: Path, encoding: str) -> None:
    boms = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }
    bom = boms.get(encoding, b"")  # the plain codecs write their own BOM
    text = VALID.replace("{id: ann,", "{id: ann, name: Zo\u00eb,")
    org = load(write(tmp_path, bom + text.encode(encoding)))
    assert org.people[0].name == "Zo\u00eb"
    # Positions are in characters: "  - {id: ann, name: Zoë, skils" -> 'skils' at column 26.
    bad = "version: 1\npeople:\n  - {id: ann, name: Zo\u00eb, skils: [a]}\n"
    d = file_problem(write(tmp_path, bom + bad.encode(encoding), "bad.yaml"))
    assert (d.line, d.column) == (3, 26)


def test_truncated_utf16(tmp_path: Path) -> None:
    d = file_problem(write(tmp_path, "version: 1\n".encode("utf-16") + b"\x00"))
    assert where(d) == (1, 1, "error", "encoding")
    assert d.message.startswith("invalid utf-16:")
    assert d.hint == "save the file as UTF-8"


@pytest.mark.parametrize(
    ("encoding", "order"), [("utf-16-le", "little-endian"), ("utf-16-be", "big-endian")]
)
def test_utf16_without_bom_is_recognised(tmp_path: Path, encoding: str, order: str) -> None:
    d = file_problem(write(tmp_path, VALID.encode(encoding)))
    assert where(d) == (1, 1, "error", "encoding")
    assert d.message == f"this file is UTF-16 ({order}) without a byte-order mark"
    assert d.hint == "save the file as UTF-8 (or as UTF-16 with a byte-order mark)"


def test_binary_with_nul_bytes_is_still_binary(tmp_path: Path) -> None:
    # A PNG header: "\x89PNG\r\n\x1a\n" then the IHDR length, whose first byte is NUL at
    # byte 8, right after the second "\n" (byte 7): line 3, column 1.
    d = file_problem(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 40))
    assert where(d) == (3, 1, "error", "binary")


def test_directory(tmp_path: Path) -> None:
    d = file_problem(tmp_path)
    assert where(d) == (1, 1, "error", "no-file")
    assert d.message == "this is a directory, not a file"
    assert d.file == str(tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    d = file_problem(tmp_path / "nope.yaml")
    assert where(d) == (1, 1, "error", "no-file")
    assert d.message == "no such file"
    assert d.hint == "check the path"


def test_crlf_line_ends(tmp_path: Path) -> None:
    data = b"version: 1\r\npeople:\r\n  - {id: ann, skils: [a]}\r\n"
    d = file_problem(write(tmp_path, data))
    assert (d.line, d.column) == (3, 15)


# --- a large office --------------------------------------------------------------------------


def test_large_office_loads() -> None:
    people = [f"p{i:04d}" for i in range(2000)]
    lines = ["version: 1", "people:"]
    lines += [f"  - {{id: {p}, skills: [work], region: r{i % 10}}}" for i, p in enumerate(people)]
    lines += [
        "activities:",
        "  - {id: work, effort: 6m}",
        "processes:",
        "  - {id: order, steps: [work]}",
        "customers:",
    ]
    lines += [
        f"  - {{id: c{i:05d}, region: r{i % 10}, demand: {{order: 1/month}}}}"
        for i in range(20_000)
    ]
    lines += ["assignments:", "  - {pool: [" + ", ".join(people) + "]}"]
    org = load_text("\n".join(lines) + "\n", file="big.yaml")
    assert len(org.people) == 2000
    assert len(org.customers) == 20_000
    assert len(org.assignments[0].members) == 2000
    assert org.source.warnings == []
    # Lines: 1 version, 2 people:, 3..2002 people, 2003 activities:, 2004 work,
    # 2005 processes:, 2006 order, 2007 customers:, then customer k on line 2008 + k.
    assert org.source.at(("customers", 19_999)) == (22_007, 5)
    assert org.source.at(("assignments", 0)) == (22_009, 5)
    # 20,000 customers at 1/month = 20,000 * 12 / 52 requests a week.
    total = sum(c.demand["order"].per_week(org.calendar) for c in org.customers)
    assert total == pytest.approx(20_000 * 12 / 52)


# --- the example files in tests/data ---------------------------------------------------------

EXPECT = re.compile(r"^#\s*(expect|warning):\s*(\d+):(\d+)\s+(.*?)\s*$")


def _text_of(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig", errors="replace")


def expectations(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """``# expect: L:C fragment`` (errors) and ``# warning: L:C fragment`` lines at the top."""
    found: dict[str, list[tuple[int, int, str]]] = {"expect": [], "warning": []}
    for line in _text_of(path.read_bytes()).splitlines():
        match = EXPECT.match(line)
        if not match:
            break
        found[match[1]].append((int(match[2]), int(match[3]), match[4]))
    return found


def matches(d: Diagnostic, want: tuple[int, int, str]) -> bool:
    return (d.line, d.column) == want[:2] and want[2] in d.format()


def _examples(kind: str) -> list[Path]:
    return sorted((DATA / kind).glob("*.yaml"))


@pytest.mark.parametrize("path", _examples("valid"), ids=lambda p: p.name)
def test_valid_examples(path: Path) -> None:
    office = orgflow.load(path)  # loaded, resolved and linted, as every command does
    wanted = expectations(path)
    assert wanted["expect"] == [], "valid examples expect no error"
    warnings = office.warnings
    assert len(warnings) == len(wanted["warning"]), [w.format() for w in warnings]
    for got, want in zip(warnings, wanted["warning"], strict=True):
        assert matches(got, want), (got.format(), want)


@pytest.mark.parametrize("path", _examples("invalid"), ids=lambda p: p.name)
def test_invalid_examples(path: Path) -> None:
    wanted = expectations(path)
    assert wanted["expect"], f"{path.name} needs a '# expect: line:column message' first line"
    with pytest.raises(OrgFileError) as info:
        orgflow.load(path)  # loaded, resolved and linted, as every command does
    errors = [d for d in info.value.diagnostics if d.level == "error"]
    warnings = [d for d in info.value.diagnostics if d.level == "warning"]
    assert len(errors) == len(wanted["expect"]), [d.format() for d in errors]
    for got, want in zip(errors, wanted["expect"], strict=True):
        assert got.file == str(path)
        assert matches(got, want), (got.format(), want)
    assert len(warnings) == len(wanted["warning"]), [d.format() for d in warnings]


def test_there_are_examples() -> None:
    assert len(_examples("valid")) >= 5
    assert len(_examples("invalid")) >= 20


# The repros of issue 11 (extreme numbers the format used to accept): each is refused at its
# value with the bound in the message and a hint, never an exception.
HOSTILE_NUMBERS = [
    "absence-before-1900.yaml",
    "absence-spell-huge.yaml",
    "absence-spell-short.yaml",
    "absence-spell-tiny.yaml",
    "availability-tiny.yaml",
    "capacity-tiny.yaml",
    "cv-huge.yaml",
    "days-per-week-tiny.yaml",
    "demand-100000000-week.yaml",
    "demand-over-bound.yaml",
    "effort-1e160.yaml",
    "hours-per-day-tiny.yaml",
    "triangular-max-huge.yaml",
    "uniform-max-huge.yaml",
    "version-5000-digits.yaml",
]


@pytest.mark.parametrize("name", HOSTILE_NUMBERS)
def test_bounds_come_with_a_hint(name: str) -> None:
    with pytest.raises(OrgFileError) as info:
        load(DATA / "invalid" / name)
    (d,) = info.value.diagnostics
    assert d.hint, d.format()
    assert "4300" not in d.message  # Python's own int() digit limit never leaks


def test_bounds_exit_2_on_the_command_line() -> None:
    from typer.testing import CliRunner

    from orgflow.cli import app

    result = CliRunner().invoke(app, ["analyze", str(DATA / "invalid" / "availability-tiny.yaml")])
    assert result.exit_code == 2
    assert "greater than or equal to 0.01" in result.output
