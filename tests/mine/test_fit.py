"""orgflow fit: the distance, the relative errors and the verdict, worked by hand."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from orgflow.cli import app
from orgflow.mine.fit import hold, wasserstein

from .conftest import PURCHASING
from .test_discover import _fig


def test_wasserstein_is_the_area_between_the_cdfs() -> None:
    # Shifting a sample by 3 moves it by 3.
    assert wasserstein([1.0, 2.0, 5.0], [4.0, 5.0, 8.0]) == pytest.approx(3.0)
    # {0, 10} against {5}: |F - G| is 1/2 on [0, 10]: area 5.
    assert wasserstein([0.0, 10.0], [5.0]) == pytest.approx(5.0)
    assert wasserstein([2.0, 2.0], [2.0]) == 0.0


def test_errors_and_verdict() -> None:
    from orgflow import load_text

    org = load_text(
        "version: 1\n"
        "people: [{id: ann, name: Ann}]\n"
        "activities: [{id: a, name: A, effort: 2h}]\n"
        "processes: [{id: p, steps: [a]}]\n"
        "customers: [{id: c, demand: {p: 5/week}}]\n"
        "assignments: [{activity: a, people: [ann]}]\n"
    )
    fig = _fig([(["A"], 10)])
    fig.lead_times = [1.0, 3.0]
    fig.lead_mean, fig.lead_p50, fig.lead_p90 = 2.0, 2.0, 2.8
    fig.handovers = {("Ann", "Ann"): 0}
    fig.people = {"Ann": {"count": 10.0, "hours": 20.0}}  # 2 weeks below: 10 h/week
    fig.activities = {"A": {"count": 10.0}}
    fig.first = fig.first.replace(day=1)
    fig.last = fig.first.replace(day=15)  # 14 days: 2 weeks
    analysis = SimpleNamespace(  # an Analysis's figures, set by hand
        summary=SimpleNamespace(lead_time_hours=2.1, handoffs_per_request=0.0),
        people=[
            SimpleNamespace(
                id="ann",
                load=SimpleNamespace(
                    load_hours_per_week=10.0, capacity_hours_per_week=40.0, availability=1.0
                ),
            )
        ],
        activities=[SimpleNamespace(id="a", executions_per_week=5.0)],  # 5 requests/week
    )
    sim = SimpleNamespace(
        samples=[1.0, 3.0],
        lead_time=SimpleNamespace(mean=2.0),
        people=[SimpleNamespace(id="ann", utilization=0.125)],
        # Requests arrived over 2 weeks; the run went on to 4 to finish them.
        options=SimpleNamespace(weeks=4.0, arrival_weeks=2.0),
        person_changes=0.0,
        role_changes=0.0,
        activity_counts={"a": 12.0},  # executions of a per run, of the requests completed
    )
    result = hold(org, fig, analysis, sim)
    mean, p50, p90 = result.lead
    assert p50.simulated == pytest.approx(2.0)
    assert mean.analytic_error == pytest.approx(0.05)  # (2.1 - 2) / 2
    assert mean.simulated_error == 0.0
    assert p90.simulated == pytest.approx(2.8)  # 1 + 0.9 * (3 - 1)
    assert result.wasserstein_hours == 0.0
    (ann,) = result.people
    assert ann.observed == pytest.approx(10.0)  # 20 h over 2 weeks
    assert ann.simulated == pytest.approx(10.0)  # 0.125 x 40 h x 1 over 4 weeks, per 2 weeks
    (a,) = result.activities
    assert a.observed == pytest.approx(5.0)
    assert a.analytic == pytest.approx(5.0)  # the analysis's executions per week
    assert a.simulated == pytest.approx(6.0)  # 12 executions over the 2 weeks of arrivals
    person, role = result.handoffs
    assert (person.analytic, person.simulated) == (0.0, 0.0)
    # No roles from the log: the row of role changes has nothing to compare.
    assert (role.observed, role.analytic, role.simulated) == (None, None, None)
    # No handoffs observed (0): the relative error is undefined, so that figure misses.
    assert not result.fits
    assert result.misses == ["changes of person"]


def test_fit_of_the_mined_purchasing_office(tmp_path: Path) -> None:
    runner = CliRunner()
    org = tmp_path / "p.yaml"
    assert runner.invoke(app, ["mine", str(PURCHASING), "-o", str(org)]).exit_code == 0
    result = runner.invoke(
        app, ["fit", str(org), str(PURCHASING), "--runs", "2", "--weeks", "20", "-f", "json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["completed_requests"] == 608
    mean = data["lead_time"][0]
    assert mean["figure"] == "lead time mean (h)"
    assert mean["observed"] == pytest.approx(515.02, abs=0.01)
    assert data["verdict"].startswith(("fits", "does not fit"))
    text = runner.invoke(app, ["fit", str(org), str(PURCHASING), "--runs", "2", "--weeks", "20"])
    assert "Wasserstein distance" in text.stdout
    assert "Verdict:" in text.stdout


def test_changes_of_role_take_the_log_s_roles() -> None:
    from orgflow import load_text
    from orgflow.mine.fit import org_roles

    office = load_text(
        "version: 1\n"
        "people: [{id: ann, name: Ann}, {id: bob, name: Bob}, {id: cy, name: Cy}]\n"
        "activities: [{id: a, effort: 1h}, {id: b, effort: 1h}, {id: c, effort: 1h}]\n"
        "processes: [{id: p, steps: [a, b, c]}]\n"
        "customers: [{id: k, demand: {p: 5/week}}]\n"
        "assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]},\n"
        "  {activity: c, people: [cy]}]\n"
    )
    fig = _fig([(["a", "b", "c"], 10)])
    # The log's people by display name: Ann and Bob one role, Cy another; Dan not in the file.
    fig.handovers = {("Ann", "Bob"): 10, ("Bob", "Cy"): 10}
    fig.set_roles({"Ann": "r1", "Bob": "r1", "Cy": "r2", "Dan": "r2"})
    assert org_roles(office.org, fig) == {"ann": "r1", "bob": "r1", "cy": "r2"}
    analysis = SimpleNamespace(
        summary=SimpleNamespace(lead_time_hours=3.0, handoffs_per_request=2.0),
        people=[],
        activities=[],
    )
    sim = SimpleNamespace(
        samples=[3.0],
        lead_time=SimpleNamespace(mean=3.0),
        people=[],
        options=SimpleNamespace(weeks=4.0, arrival_weeks=2.0),
        person_changes=2.0,
        role_changes=1.0,
        activity_counts={},
    )
    person, role = hold(office, fig, analysis, sim).handoffs
    # Ann -> Bob -> Cy on each of the 10 requests: 20 / 10 = 2 changes of person a request,
    # 10 / 10 = 1 of role (r1 -> r2), observed, analytic and simulated alike.
    assert (person.observed, person.analytic, person.simulated) == (2.0, 2.0, 2.0)
    assert (role.observed, role.analytic, role.simulated) == (1.0, 1.0, 1.0)
