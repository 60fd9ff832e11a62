"""The headline: sentences computed from the results, at the top of every report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import orgflow
from orgflow import cli
from orgflow.render.headline import duration, headline

ROOT = Path(__file__).resolve().parents[2]
SERIAL = ROOT / "samples" / "serial.yaml"
PARALLEL = ROOT / "samples" / "parallel-by-customer.yaml"

runner = CliRunner()

ONE_DESK = """\
version: 1
org: {handoff_delay: 0h}
people:
  - {id: ann, skills: [a]}
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [a]}
customers:
  - {id: c, demand: {p: 20/week}}
assignments:
  - {people: [ann]}
"""


def test_duration_in_days_from_a_working_day() -> None:
    assert duration(66.2, 8) == "8.3 working days"
    assert duration(8, 8) == "1.0 working day"
    assert duration(5.25, 8) == "5.2 hours"
    assert duration(1.0, 8) == "1.0 hour"


def test_headline_of_one_exponential_free_desk_by_hand() -> None:
    # One person, always present, fixed 1 h of work, 20 requests a week of 40 h: M/D/1 with
    # lambda = 0.5/h, S = 1 h, rho = 0.5. Wait W = lambda E[S^2] / (2 (1 - rho)) = 0.5 / 1 = 0.5 h.
    # Lead time 1.5 h, waiting 0.5 / 1.5 = 33%, no absence; ann alone stops every request.
    a = orgflow.analyze(orgflow.load_text(ONE_DESK))
    assert headline(a) == (
        "Requests take 1.5 hours on average; 33% of it is waiting. "
        "One person away (ann) stops every request."
    )


def test_headline_of_an_overloaded_office() -> None:
    a = orgflow.analyze(orgflow.load_text(ONE_DESK.replace("20/week", "50/week")))
    assert headline(a).startswith(
        "Requests have no bounded lead time: ann is overloaded (more work than present time)"
    )


def test_headline_compares_with_the_figures_of_both_offices() -> None:
    a = orgflow.analyze(orgflow.load(SERIAL))
    b = orgflow.analyze(orgflow.load(PARALLEL))
    text = headline(a, b, "In parallel by customer")
    la, lb = a.summary.lead_time_hours, b.summary.lead_time_hours
    waiting = (la - a.summary.parts.touch) / la
    assert text.startswith(f"Requests take {la / 8:.1f} working days on average; {waiting:.0%}")
    assert f"{a.summary.parts.absence / 8:.1f} working days of it for absent colleagues" in text
    assert text.endswith(
        f"In parallel by customer: {lb / 8:.1f} working days ({(lb - la) / la:+.0%})."
    )


def test_every_report_opens_with_the_headline() -> None:
    a = orgflow.analyze(orgflow.load(SERIAL))
    first = headline(a).split(";")[0]
    text = runner.invoke(cli.app, ["analyze", str(SERIAL)]).stdout
    assert text.startswith(first)
    markdown = runner.invoke(cli.app, ["analyze", str(SERIAL), "-f", "markdown"]).stdout
    assert markdown.splitlines()[2] == f"**{headline(a)}**"
    compare = runner.invoke(cli.app, ["compare", str(SERIAL), str(PARALLEL)]).stdout
    assert compare.startswith(first)


def test_compare_names_files_of_the_same_name_apart(tmp_path: Path) -> None:
    for folder, sample in (("before", SERIAL), ("after", PARALLEL)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "org.yaml").write_text(sample.read_text())
    a, b = str(tmp_path / "before" / "org.yaml"), str(tmp_path / "after" / "org.yaml")
    doc = json.loads(runner.invoke(cli.app, ["compare", a, b, "-f", "json"]).stdout)
    assert doc["schema_version"] == 1
    assert doc["names"] == ["before/org.yaml", "after/org.yaml"]
    la = orgflow.analyze(orgflow.load(SERIAL)).summary.lead_time_hours
    lb = orgflow.analyze(orgflow.load(PARALLEL)).summary.lead_time_hours
    assert doc["headline"].endswith(
        f"after/org.yaml: {lb / 8:.1f} working days ({(lb - la) / la:+.0%})."
    )
    text = runner.invoke(cli.app, ["compare", a, b]).stdout
    assert "before/org.yaml" in text
    assert "after/org.yaml" in text
    html = tmp_path / "r.html"
    runner.invoke(cli.app, ["report", a, "--compare", b, "-o", str(html)])
    page = html.read_text()
    assert "Before</span> Sales back office (serial)" in page  # the offices' names differ
