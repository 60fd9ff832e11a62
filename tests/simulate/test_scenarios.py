"""Several offices simulated alike (simulate/scenarios.py): the same figures as one at a time,
on the same seeds, with one progress over all; and the commands that use them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

import orgflow
from orgflow import cli
from orgflow.simulate.runner import SimOptions, simulate
from orgflow.simulate.scenarios import mean_lead_times, simulate_each

OFFICE = """
version: 1
people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]
activities: [{id: a, effort: 1h}, {id: b, effort: 2h}]
processes: [{id: p, steps: [a, b]}]
customers: [{id: c, demand: {p: 4/week}}]
assignments: ASSIGNMENTS
"""
SERIAL = OFFICE.replace(
    "ASSIGNMENTS", "[{activity: a, people: [ann]}, {activity: b, people: [bob]}]"
)
SHARED = OFFICE.replace("ASSIGNMENTS", "[{people: [ann, bob]}]")
SMALL = SimOptions(weeks=4, warmup=1, runs=2, seed=3, start=dt.date(2026, 1, 5))


def test_each_office_as_if_alone_with_one_progress() -> None:
    orgs = [orgflow.load_text(SERIAL), orgflow.load_text(SHARED)]
    seen: list[float] = []
    results = simulate_each(orgs, SMALL, seen.append)
    alone = [simulate(o, SMALL) for o in orgs]
    assert [r.lead_time.mean for r in results] == [r.lead_time.mean for r in alone]
    assert [r.run_means for r in results] == [r.run_means for r in alone]
    # office i of 2 fills [i/2, (i+1)/2]: the first office's last report is 1/2, the last 1
    assert seen == sorted(seen)
    assert 0.5 in seen
    assert seen[-1] == 1.0


def test_compare_and_propose_simulate_use_the_same_means(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(SERIAL)
    b.write_text(SHARED)
    runner = CliRunner()
    done = runner.invoke(cli.app, ["compare", str(a), str(b), "--simulate", "-f", "json"])
    assert done.exit_code == 0, done.output
    row = json.loads(done.stdout)["figures"]["simulated_lead_time_hours"]
    means = mean_lead_times([orgflow.load(a), orgflow.load(b)], seed=1)
    assert [row["a"], row["b"]] == [round(m, 6) for m in means if m is not None]
    done = runner.invoke(cli.app, ["propose", str(a), "--simulate", "-f", "json"])
    assert done.exit_code == 0, done.output
    row = json.loads(done.stdout)["before_after"]["simulated_lead_time_hours"]
    assert row["before"] == round(means[0], 6)  # today's office, on the same seed
