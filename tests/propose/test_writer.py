"""propose re-loads its own output: every number, name and edge case the writer meets reads
back as the same org (issue 11, crash item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import orgflow
from orgflow.analysis.lint import open_office
from orgflow.loader import load_text
from orgflow.model import Org
from orgflow.propose.plan import ProposeOptions, propose
from orgflow.propose.writer import dump_org, scalar

ROOT = Path(__file__).resolve().parents[2]

OFFICE = """\
version: 1
people:
  - {id: ann, name: NAME, skills: [a, s]}
  - {id: bob, skills: [a, s]}
activities:
  - {id: a, effort: EFFORT}
  - {id: s, effort: 1h, specialist: true}
processes:
  - {id: p, steps: [a, s]}
customers:
  - {id: c, demand: {p: DEMAND}}
  - {id: d, demand: {p: 2/week}}
assignments:
  - {people: [ann, bob]}
"""


def office(name: str = "Ann", effort: str = "1h", demand: str = "3/week") -> Org:
    text = OFFICE.replace("NAME", name).replace("EFFORT", effort).replace("DEMAND", demand)
    return load_text(text, "office.yaml")


def round_trip(org: Org) -> Org:
    return load_text(dump_org(org), "again.yaml")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (1e6, "1000000"),
        (1e-05, "0.00001"),
        (0.9, "0.9"),
        (3.0, "3"),
        (2, "2"),
        (1.5e-7, "0.00000015"),
    ],
)
def test_numbers_are_never_written_with_an_exponent(value: float, written: str) -> None:
    assert scalar(value) == written
    assert float(yaml.safe_load(scalar(value))) == value


@pytest.mark.parametrize(
    "name",
    ["A\uffffnn", "x\u2028y\u2029z\x85", 'say "hi"\n\ttab', "\x1b[2J", "null", "yes", "3h", "é ü"],
)
def test_names_read_back_as_written(name: str) -> None:
    # The name is given through YAML's double-quoted escapes; it must come back unchanged.
    quoted = '"' + name.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    org = office(name=quoted)
    assert org.people[0].name == name
    assert round_trip(org).people[0].name == name


@pytest.mark.parametrize(
    ("effort", "demand"),
    [
        ("1h", "0/week"),  # a customer without demand
        ("0h", "3/week"),  # all-zero efforts (the specialist's too below)
        ("0.0001h", "1000000/year"),  # %g wrote 1e+06/year, which the loader refuses
        ("{dist: uniform, min: 0h, max: 0.0002h}", "1/year"),
    ],
)
@pytest.mark.parametrize("keep", [False, True])
def test_propose_reloads_its_own_output(effort: str, demand: str, keep: bool) -> None:
    org = office(effort=effort, demand=demand)
    proposal = propose(open_office(org), ProposeOptions(keep_specialists=keep))  # re-loads
    again = round_trip(proposal.org)
    assert again.model_dump() == proposal.org.model_dump()


def test_keep_specialists_when_everyone_holds_the_skill_explains() -> None:
    # Every person in yaml11-values.yaml holds the specialist desk 'off': nobody is left for the
    # customers, which the proposal says instead of failing to re-load its output.
    org = orgflow.load(ROOT / "tests" / "data" / "valid" / "yaml11-values.yaml")
    proposal = propose(org, ProposeOptions(keep_specialists=True))
    assert not proposal.feasible
    assert any("nobody is left to take customers" in p for p in proposal.problems)
    assert round_trip(proposal.org).model_dump() == proposal.org.model_dump()
