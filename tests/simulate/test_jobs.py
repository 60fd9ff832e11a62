"""Runs in parallel give the same numbers as one after the other (``--jobs``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from orgflow import cli, load_text
from orgflow.simulate.runner import SimOptions, simulate

START = dt.date(2026, 1, 5)

# Backups, a pool, random and dated absences, random efforts.
MIXED = """
version: 1
org: {name: mixed, handoff_delay: 1h, absence_spell: 2d}
people:
  - {id: a, skills: [x], availability: 0.9, absences: [{from: 2026-01-19, to: 2026-01-23}]}
  - {id: b, skills: [x], availability: 0.85}
  - {id: c, skills: [z], availability: 0.9}
  - {id: d, skills: [z], availability: 0.8}
activities:
  - {id: x, effort: {dist: exponential, mean: 1h}}
  - {id: z, effort: {dist: lognormal, mean: 1.5h, cv: 0.5}}
processes: [{id: p, steps: [x, z]}]
customers: [{id: c1, demand: {p: 30/week}}]
assignments:
  - {activity: x, people: [a, b]}
  - {activity: z, pool: [c, d]}
"""


@pytest.mark.parametrize("engine", ["event", "flow"])
def test_jobs_change_nothing(engine: str) -> None:
    org = load_text(MIXED)
    results = [
        simulate(
            org,
            SimOptions(weeks=8, warmup=2, runs=3, seed=4, start=START, engine=engine, jobs=jobs),
            keep_samples=True,
        )
        for jobs in (1, 2)
    ]
    one, two = results
    assert np.array_equal(one.samples, two.samples)
    assert one.run_means == two.run_means
    assert one.parts == two.parts
    assert one.lead_time == two.lead_time
    assert one.people == two.people
    assert one.per_customer == two.per_customer


def test_jobs_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_text(MIXED)
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        args = ["simulate", str(path), "--weeks", "6", "--runs", "3", "--jobs", jobs]
        result = runner.invoke(cli.app, [*args, "--start", "2026-01-05", "-f", "json"])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.stdout))
    assert outputs[0] == outputs[1]
