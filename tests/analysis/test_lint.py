"""The lint pass over a resolved office: what only the routes show, at its place in the file.
(The messages of each finding are held in tests/test_references.py through orgflow.load_text,
which loads, resolves and lints as every command does.)"""

from __future__ import annotations

import pytest

from orgflow.analysis.lint import lint, open_office
from orgflow.diagnostics import OrgFileError
from orgflow.loader import load_text
from orgflow.office import resolve

OFFICE = """\
version: 1
people:
  - {id: ann, skills: [a], capacity: 10h/week}
  - {id: bob, skills: [a]}
activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
processes: [{id: p, steps: [a]}, {id: q, steps: [b]}]
customers:
  - {id: c, demand: {p: 12/week}}
  - {id: d, region: north, demand: {p: 1/week}}
assignments:
  - {activity: a, people: [ann]}
  - {activity: a, people: [bob]}
  - {region: [south], people: [bob]}
"""


def codes(found: list) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in found]


def test_the_loader_leaves_the_office_checks_to_the_lint_pass() -> None:
    org = load_text(OFFICE, file="x.yaml")  # no error: ids and references are fine
    # The loader saw the region nobody is in (line 13); nothing about routes.
    assert codes(org.source.warnings) == [(13, "rule-never-matches")]
    office = resolve(org)
    # Rule 2 (line 12) never applies: rule 1 takes every step of activity a.
    # ann: 13 requests of 1 h a week for 10 h present: overloaded (line 3).
    assert codes(lint(office)) == [(12, "rule-never-matches"), (3, "overloaded")]


def test_open_office_sorts_every_warning_by_place() -> None:
    office = open_office(load_text(OFFICE, file="x.yaml"))
    assert codes(list(office.warnings)) == [
        (3, "overloaded"),
        (12, "rule-never-matches"),
        (13, "rule-never-matches"),
    ]


def test_an_uncovered_step_makes_the_office_unusable_without_overload() -> None:
    text = OFFICE.replace("processes: [{id: p, steps: [a]}, {id: q, steps: [b]}]",
                          "processes: [{id: p, steps: [a, b]}]")  # fmt: skip
    with pytest.raises(OrgFileError) as info:
        open_office(load_text(text, file="x.yaml"))
    found = info.value.diagnostics
    # the error (at c's demand), the warnings found so far; no overload while it is an error
    assert [d.code for d in found if d.level == "error"] == ["uncovered"]
    assert "and 1 other customer" in found[[d.code for d in found].index("uncovered")].message
    assert "overloaded" not in [d.code for d in found]
