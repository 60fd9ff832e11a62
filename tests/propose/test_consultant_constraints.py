"""Issue 15, constraints a consultant sets: a cap on customers per person, named and pinned
account owners in the file, skills someone will not learn; values by hand."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from orgflow import cli
from orgflow.errors import ProposalError
from orgflow.loader import load_text
from orgflow.office import resolve
from orgflow.propose.plan import ProposeOptions, propose
from tests.loading import problems

# ann and bob, 40 h each, nobody away; a brings 10 h/week, b..e 2 h each; ann has them all.
FIVE = """\
version: 1
people: [{id: ann, skills: [g]}, {id: bob, skills: [g]}]
activities: [{id: g, effort: 1h, customer_facing: true}]
processes: [{id: pg, steps: [g]}]
customers:
  - {id: a, demand: {pg: 10/week}}
  - {id: b, demand: {pg: 2/week}}
  - {id: c, demand: {pg: 2/week}}
  - {id: d, demand: {pg: 2/week}}
  - {id: e, demand: {pg: 2/week}}
assignments: [{people: [ann]}]
"""


@pytest.mark.parametrize("method", ["auto", "greedy"])
def test_max_customers_caps_the_customers_per_person(method: str) -> None:
    # Without a cap: a alone on one person (10 / 40 = 25%), b..e on the other (8 / 40 =
    # 20%), counts 1 and 4. With at most 3 each the counts are 2 and 3: a and one small
    # customer together, 12 / 40 = 30%, the three others 6 / 40 = 15%.
    office = resolve(load_text(FIVE))
    free = propose(office, ProposeOptions(method=method))
    assert sorted(list(free.primary_of.values()).count(p) for p in ("ann", "bob")) == [1, 4]
    capped = propose(office, ProposeOptions(method=method, max_customers=3))
    counts = sorted(list(capped.primary_of.values()).count(p) for p in ("ann", "bob"))
    assert counts == [2, 3]
    util = {x.id: x.load.utilization for x in capped.after_trained.people}
    assert util[capped.primary_of["a"]] == pytest.approx(0.30)
    assert sorted(util.values()) == [pytest.approx(0.15), pytest.approx(0.30)]


def test_max_customers_too_low_for_the_customers_is_an_error() -> None:
    # 5 customers at 1 a person need 5 people; 2 take customers.
    with pytest.raises(ProposalError, match="5 customers need at least 5 people, 2 take"):
        propose(resolve(load_text(FIVE)), ProposeOptions(max_customers=1))


# ann, bob, cy of 40 h; x and y bring 10 h each, both with ann today.
OWNERS = """\
version: 1
people: [{id: ann, skills: [g]}, {id: bob, skills: [g]}, {id: cy, skills: [g]}]
activities: [{id: g, effort: 1h, customer_facing: true}]
processes: [{id: pg, steps: [g]}]
customers:
  - {id: x, demand: {pg: 10/week}}
  - {id: y, demand: {pg: 10/week}%s}
assignments: [{people: [ann]}]
"""


def test_the_named_owner_is_the_one_continuity_keeps() -> None:
    # x and y on two people (25% each, not 50% together); which two, the spread does not
    # mind (10² + 10² either way): continuity decides. x's owner is ann (all its
    # customer-facing work today); y names cy as its owner, so y goes to cy.
    p = propose(resolve(load_text(OWNERS % ", owner: cy")), ProposeOptions())
    assert p.primary_of == {"x": "ann", "y": "cy"}


def test_a_pinned_customer_stays_with_its_owner() -> None:
    # y pinned to its owner bob: it stays there (25%) even though continuity alone would
    # prefer... nothing else: ann owns x (its customer-facing work today), so x stays with
    # ann, 25% each.
    p = propose(resolve(load_text(OWNERS % ", owner: bob, pinned: true")), ProposeOptions())
    assert p.primary_of == {"x": "ann", "y": "bob"}
    # Pinned to ann, who owns x too: y stays on ann (10 / 40 = 25%) and x leaves her (both
    # there would be 50%).
    p = propose(resolve(load_text(OWNERS % ", owner: ann, pinned: true")), ProposeOptions())
    assert p.primary_of["y"] == "ann"
    assert p.primary_of["x"] != "ann"
    # --keep wins over the file's pin.
    p = propose(
        resolve(load_text(OWNERS % ", owner: ann, pinned: true")),
        ProposeOptions(keep=(("y", "bob"),)),
    )
    assert p.primary_of["y"] == "bob"
    # The pinned owner leaving is an error that says how to go on.
    with pytest.raises(ProposalError, match=re.escape("pinned to ann (the file), who leaves")):
        propose(
            resolve(load_text(OWNERS % ", owner: ann, pinned: true")),
            ProposeOptions(without=("ann",)),
        )


# ann holds g, bob holds h; x needs one hour of each per request, 10 requests a week. g is
# customer-facing, so x's owner is ann.
SKILLS = """\
version: 1
people: [{id: ann, skills: [g]%s}, {id: bob, skills: [h]}]
activities: [{id: g, effort: 1h, customer_facing: true}, {id: h, effort: 1h}]
processes: [{id: p, steps: [g, h]}]
customers: [{id: x, demand: {p: 10/week}}]
assignments: [{activity: g, people: [ann]}, {activity: h, people: [bob]}]
"""


def test_someone_who_will_not_learn_a_skill_gets_no_work_in_it() -> None:
    # Either person would learn the other's skill: 10 + 1.25 x 10 = 22.5 h, 56% either way,
    # so continuity gives x to its owner ann, who learns h.
    plain = propose(resolve(load_text(SKILLS % "")), ProposeOptions())
    assert plain.primary_of == {"x": "ann"}
    # ann will not learn h: x goes to bob (who learns g), and ann cannot back bob up (x's
    # work includes h): bob has no backup, which is a problem.
    for office, options in (
        (SKILLS % "", ProposeOptions(no_learn=(("ann", "h"),))),
        (SKILLS % ", will_not_learn: [h]", ProposeOptions()),
    ):
        p = propose(resolve(load_text(office)), options)
        assert p.primary_of == {"x": "bob"}
        assert [(t.person, t.skill) for t in p.training] == [("bob", "g")]
        assert p.problems == [
            "bob has 0 of 1 backup: nobody else may cover (ann: sole specialist or will "
            "not learn the work)"
        ]


def test_nobody_may_take_a_customer_is_an_error() -> None:
    options = ProposeOptions(no_learn=(("ann", "h"), ("bob", "g")))
    with pytest.raises(ProposalError, match="nobody may take customer 'x'"):
        propose(resolve(load_text(SKILLS % "")), options)


@pytest.mark.parametrize(
    ("no_learn", "message"),
    [
        (("anne", "h"), "--no-learn: no person 'anne' (did you mean 'ann'?)"),
        (("ann", "hh"), "--no-learn: no activity 'hh' (did you mean 'h'?)"),
    ],
)
def test_no_learn_names_people_and_activities_of_the_file(
    no_learn: tuple[str, str], message: str
) -> None:
    with pytest.raises(ProposalError, match=re.escape(message)):
        propose(resolve(load_text(SKILLS % "")), ProposeOptions(no_learn=(no_learn,)))


def test_the_loader_checks_owners_pins_and_skills_not_learnt() -> None:
    text = """\
version: 1
people: [{id: ann, skills: [g], will_not_learn: [gg]}, {id: bob, skills: [g]}]
activities: [{id: g, effort: 1h}]
processes: [{id: pg, steps: [g]}]
customers:
  - {id: x, demand: {pg: 3/week}, owner: bbo}
  - {id: y, demand: {pg: 3/week}, pinned: true}
assignments: [{people: [ann]}]
"""
    found = [(d.line, d.column, d.code, d.message, d.hint) for d in problems(text)]
    assert found == [
        (2, 50, "unknown-activity", "unknown activity 'gg' in will_not_learn of 'ann'",
         "did you mean 'g'?"),
        (6, 42, "unknown-person", "unknown person 'bbo' as owner of customer 'x'",
         "did you mean 'bob'?"),
        (7, 43, "pinned-without-owner", "customer 'y' is pinned but has no owner",
         "name the person it is pinned to: owner: PERSON"),
    ]  # fmt: skip


def test_cli_no_learn_and_max_customers(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    org = tmp_path / "org.yaml"
    org.write_text(SKILLS % "", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli.app, ["propose", str(org), "--no-learn", "ann=h", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"no_learn": [\n      {\n        "person": "ann",\n        "activity": "h"' in (
        result.stdout
    )
    bad = runner.invoke(cli.app, ["propose", str(org), "--no-learn", "ann"])
    assert bad.exit_code == 2
    assert "--no-learn is PERSON=ACTIVITY" in bad.stderr
    few = runner.invoke(cli.app, ["propose", str(org), "--no-learn", "zed=h"])
    assert few.exit_code == 2
    assert "--no-learn: no person 'zed'" in few.stderr
    # x (20 h once trained) to ann, bob (no work of his own then) backs her up: (0 + 20) /
    # 40 = 50% while covering, over a cap of 40%; his 40 h absorb it, nothing waits.
    capped = runner.invoke(
        cli.app,
        ["propose", str(org), "--max-cover-utilization", "0.4", "--max-customers", "1", "-f",
         "json"],
    )  # fmt: skip
    assert capped.exit_code == 0, capped.output
    doc = json.loads(capped.stdout)
    assert (doc["options"]["max_cover_utilization"], doc["options"]["max_customers"]) == (0.4, 1)
    assert doc["problems"] == [
        "backup bob carries 50% while covering ann (--max-cover-utilization 40%): their own "
        "week absorbs a typical absence of 2.0 working days (no backup within the cap was found)"
    ]
