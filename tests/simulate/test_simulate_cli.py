"""``orgflow simulate`` end to end: hostile inputs (issue 11) and what it says when a figure
has no value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orgflow import cli
from orgflow.simulate.streams import arrival_chunks

runner = CliRunner()

OFFICE = """
version: 1
org: {{name: one desk{org}}}
people: [{{id: a, skills: [x]{person}}}, {{id: b, skills: [x]}}]
activities: [{{id: x, effort: 5h}}]
processes: [{{id: p, steps: [x]}}]
customers: [{{id: c, demand: {{p: {rate}}}}}, {{id: d, demand: {{p: {other}}}}}]
assignments: [{{people: [a, b]}}]
"""


def office(
    tmp_path: Path, rate: str = "6/week", other: str = "0/week", person: str = "", org: str = ""
) -> str:
    path = tmp_path / "office.yaml"
    path.write_text(OFFICE.format(rate=rate, other=other, person=person, org=org))
    return str(path)


def simulate(*args: str) -> tuple[int, str]:
    """The exit code, and the report (stdout) or else the messages (stderr)."""
    result = runner.invoke(cli.app, ["simulate", *args, "--start", "2026-01-05"])
    return result.exit_code, result.stdout or result.output


def test_a_rare_demand_on_the_event_engine(tmp_path: Path) -> None:
    # 1/year over 2 weeks (and 4 of warm-up): most likely no arrival at all; the arrivals come
    # in windows and the last one may hold nothing (it was an empty list popped: IndexError).
    code, out = simulate(office(tmp_path, "1/year"), "--weeks", "2", "--engine", "event")
    assert code == 0, out
    for seed in range(50):
        assert all(len(t) for t, _c in arrival_chunks(seed, 0, 1 / 2000, [1.0], 240.0))


def test_an_absence_to_the_end_of_time(tmp_path: Path) -> None:
    # An absence to 9999-12-31 overflowed the date after its last day.
    path = office(tmp_path, person=", absences: [{from: 2026-02-02, to: 9999-12-31}]")
    code, out = simulate(path, "--weeks", "8", "--runs", "2", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    # a is away from week 5 on: b does everything then.
    assert data["people"][1]["utilization"] > 0
    report = runner.invoke(
        cli.app, ["report", path, "--simulate", "-o", str(tmp_path / "report.html")]
    )
    assert report.exit_code == 0, report.output


def test_too_many_events_is_a_usage_error(tmp_path: Path) -> None:
    # 1,000,000 requests a week (the format's bound) for 56 weeks x 10 runs: far more events
    # than the limit. (100000000/week is refused by the loader, at the value, exit 2 too.)
    code, out = simulate(office(tmp_path, "1000000/week"))
    assert code == 2
    assert "limit of 100,000,000" in out
    assert "lower --weeks or --runs, or the demand" in out
    report = runner.invoke(
        cli.app,
        ["report", office(tmp_path, "1000000/week"), "--simulate", "-o", str(tmp_path / "r")],
    )
    assert report.exit_code == 2
    assert "limit of 100,000,000" in report.output


def test_absence_spells_too_short_are_a_usage_error(tmp_path: Path) -> None:
    # Spells of 0.000001 minute at availability 0.5: some 10^11 spells a run. Either the
    # format refuses the spell or the simulation refuses the work: never a hang.
    path = office(tmp_path, person=", availability: 0.5", org=", absence_spell: 0.000001m")
    code, out = simulate(path)
    assert code == 2
    assert "absence_spell" in out


def test_one_run_gives_no_interval(tmp_path: Path) -> None:
    path = office(tmp_path)
    code, out = simulate(path, "--runs", "1", "--weeks", "10")
    assert code == 0, out
    assert "one run gives no interval" in out
    assert "inf" not in out
    code, out = simulate(path, "--runs", "1", "--weeks", "10", "--format", "markdown")
    assert "one run gives no interval" in out
    code, out = simulate(path, "--runs", "1", "--weeks", "10", "--format", "json")
    lead = json.loads(out)["summary"]["lead_time_hours"]
    assert lead["ci95_half_width"] is None
    assert lead["ci95"] == [None, None]


def test_no_request_completed_leaves_the_parts_undefined(tmp_path: Path) -> None:
    # 5 h of work and 0.1 week (4 working hours) after the warm-up: nothing counted finishes.
    path = office(tmp_path, "1/week")
    code, out = simulate(path, "--weeks", "0.1", "--warmup", "0", "--runs", "2")
    assert code == 0, out
    assert "undefined: no request completed" in out
    assert "unbounded" not in out
    code, out = simulate(path, "--weeks", "0.1", "--warmup", "0", "--runs", "2", "-f", "json")
    summary = json.loads(out)["summary"]
    assert set(summary["parts"].values()) == {None}
    assert summary["lead_time_hours"]["mean"] is None


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_zero_demand(tmp_path: Path, fmt: str) -> None:
    # Nobody asks for anything: no lead time anywhere (not 0.0 h in the summary while the
    # route would take 5 h).
    code, out = simulate(office(tmp_path, "0/week"), "--weeks", "2", "--format", fmt)
    assert code == 0, out
    assert "no demand" in out
    assert "0.0 h" not in out


def test_a_customer_without_demand_has_no_lead_time(tmp_path: Path) -> None:
    code, out = simulate(office(tmp_path, "4/week", "0/week"), "--weeks", "10", "-f", "json")
    assert code == 0, out
    customers = {c["id"]: c for c in json.loads(out)["customers"]}
    assert customers["d"]["lead_time_hours"] is None
    assert customers["d"]["analytic_lead_time_hours"] is None
    # c asks 4 a week of 5 h: 5 h each, and some wait.
    assert customers["c"]["lead_time_hours"]["mean"] > 5
    assert customers["c"]["analytic_lead_time_hours"] > 5


def test_the_event_count_is_worked_out_before_the_run() -> None:
    from orgflow import load_text
    from orgflow.simulate.engine import Simulator
    from orgflow.simulate.runner import expected_events

    text = OFFICE.format(rate="10/week", other="0/week", person="", org="")
    sim = Simulator(load_text(text))
    # 10 a week for 56 weeks (52 and 4 of warm-up, 2,240 h): 560 requests a run, each
    # arriving (1 event) and its one step reaching the desk and ending (2): 1,680 a run;
    # 10 runs: 16,800.
    assert expected_events(sim, 10, 2240.0)[0] == pytest.approx(16_800)
    # a away half the time in spells of 2 days (16 h): 2,240 x 0.5 / 16 = 70 spells a run,
    # 2 events each; every run goes twice (with and without absences):
    # 10 x (2 x 1,680 + 2 x 70) = 35,000.
    text = OFFICE.format(rate="10/week", other="0/week", person=", availability: 0.5", org="")
    sim = Simulator(load_text(text))
    assert expected_events(sim, 10, 2240.0)[0] == pytest.approx(35_000)
