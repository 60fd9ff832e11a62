"""Issue 15, what-if in one command (``propose --scenarios``, orgflow/propose/whatif.py):
figures worked out by hand on a small office."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orgflow import cli
from orgflow.loader import load_text
from orgflow.office import resolve
from orgflow.propose.plan import ProposeOptions
from orgflow.propose.whatif import what_if

runner = CliRunner()

# Three people (40 h, never away) who all hold g (1 h a request): x and y bring 10 requests a
# week each, z 4; today ann has x, bob y, cid z.
THREE = """\
version: 1
people: [{id: ann, skills: [g]}, {id: bob, skills: [g]}, {id: cid, skills: [g]}]
activities: [{id: g, effort: 1h, customer_facing: true}]
processes: [{id: p, steps: [g]}]
customers:
  - {id: x, demand: {p: 10/week}}
  - {id: y, demand: {p: 10/week}}
  - {id: z, demand: {p: 4/week}}
assignments:
  - {customers: [x], people: [ann]}
  - {customers: [y], people: [bob]}
  - {customers: [z], people: [cid]}
"""


def test_scenarios_side_by_side() -> None:
    w = what_if(resolve(load_text(THREE)), ProposeOptions())
    assert [s.name for s in w.scenarios] == [
        "by customer",
        "by region",
        "pods of 2",
        "one person more",
        "one person less",
    ]
    # Today: 25%, 25%, 10%; mean 20%, variance (0.05² + 0.05² + 0.1²) / 3 = 0.005.
    assert w.today.highest_trained == pytest.approx(0.25)
    assert w.today.spread == pytest.approx(0.005**0.5)
    figures = {s.name: s.figures for s in w.scenarios}
    # By customer: nobody learns, one customer each is best: x, y 10 h (25%), z 4 h.
    assert figures["by customer"] is not None
    assert figures["by customer"].highest_learning == pytest.approx(0.25)
    assert figures["by customer"].training_hours == 0
    # One person more: everyone holds {g}, so new_person does too; four people for three
    # customers, the highest stays at x's (or y's) 10 h, 25%.
    more = figures["one person more"]
    assert more is not None
    assert more.highest_trained == pytest.approx(0.25)
    assert "new_person: skills g; capacity and availability of ann" in w.scenarios[3].description
    # One person less: cid does least today (4 h). Without cid, x and y go to ann and bob and
    # z to one of them: 14 h, 35%, and 10 h, 25%; spread |35% - 25%| / 2 = 5%. Each backs up
    # the other: covering, 10 + 14 = 24 h of 40 h, 60%.
    assert w.scenarios[4].description.startswith("without cid")
    less = figures["one person less"]
    assert less is not None
    assert less.highest_trained == pytest.approx(0.35)
    assert less.spread == pytest.approx(0.05)
    assert less.worst_cover == pytest.approx(0.60)
    assert less.feasible


def test_scenarios_from_the_command_line(tmp_path: Path) -> None:
    org = tmp_path / "three.yaml"
    org.write_text(THREE, encoding="utf-8")
    result = runner.invoke(cli.app, ["propose", str(org), "--scenarios", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["name"] for s in doc["scenarios"]][-1] == "one person less"
    assert doc["scenarios"][4]["figures"]["highest_utilization_trained"] == pytest.approx(0.35)
    assert sorted(doc["today"]) == [
        "feasible",
        "highest_utilization_learning",
        "highest_utilization_trained",
        "lead_time_hours_learning",
        "lead_time_hours_trained",
        "training_hours_per_week",
        "utilization_spread",
        "worst_cover_utilization",
    ]
    text = runner.invoke(cli.app, ["propose", str(org), "--scenarios"])
    assert text.exit_code == 0
    assert "pods of 2" in text.stdout
    markdown = runner.invoke(cli.app, ["propose", str(org), "--scenarios", "-f", "markdown"])
    assert "| Highest (trained) | 25.0% |" in markdown.stdout
    # It compares plans and writes none.
    refused = runner.invoke(cli.app, ["propose", str(org), "--scenarios", "-o", "x.yaml"])
    assert refused.exit_code == 2
    assert "--scenarios compares plans and writes none" in refused.output
