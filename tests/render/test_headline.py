"""The headline: sentences computed from the results, at the top of every report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import orgflow
from orgflow import cli
from orgflow.output import working_time
from orgflow.render.headline import headline

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
    assert working_time(66.2, 8, "words") == "8.3 working days"
    assert working_time(8, 8, "words") == "1.0 working day"
    assert working_time(5.25, 8, "words") == "5.2 hours"
    assert working_time(1.0, 8, "words") == "1.0 hour"


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


# Two desks in series, each a fixed 1 h, 4 h handoff delay, 1 request a week of 40 h. Each desk
# is M/D/1 with rho = 1/40: wait W = lambda S^2 / (2 (1 - rho)) = (1/40) / 1.95 = 0.013 h, so
# the lead time is 1 + 4 + 1 + 2 x 0.013 = 6.03 h -> "6.0 hours"; waiting is (6.03 - 2) / 6.03
# = 67% (the handoff delay and the waits); a request only ever waits when another is in
# service (P = rho = 2.5% per desk), so 9 in 10 take exactly 6.0 h. Nobody is ever away.
TWO_DESKS = """\
version: 1
org: {name: "Two <desks> *x*", handoff_delay: 4h}
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [b]}
activities:
  - {id: a, effort: 1h}
  - {id: b, effort: 1h}
processes:
  - {id: p, steps: [a, b]}
customers:
  - {id: c, demand: {p: 1/week}}
assignments:
  - {activity: a, people: [ann]}
  - {activity: b, people: [bob]}
"""
TWO_DESKS_HEADLINE = (
    "Requests take 6.0 hours on average in the simulation; 67% of it is waiting. "
    "9 in 10 are done within 6.0 hours. Any one of 2 people away (ann and bob) stops every "
    "request."
)


def _simulate(*args: str) -> str:
    result = runner.invoke(
        cli.app, ["simulate", *args, "--runs", "4", "--weeks", "26", "--start", "2026-01-05"]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_simulate_reports_open_with_the_simulated_headline(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(TWO_DESKS)
    text = _simulate(str(path))
    assert " ".join(text.split("╭")[0].split()) == TWO_DESKS_HEADLINE
    markdown = _simulate(str(path), "-f", "markdown").splitlines()
    assert markdown[0] == "# Two \\<desks\\> \\*x\\*: simulation"
    assert markdown[2] == f"**{TWO_DESKS_HEADLINE}**"


def test_the_simulated_comparison_opens_with_both_lead_times(tmp_path: Path) -> None:
    # B: the same office with a 1 h handoff delay: 1 + 1 + 1 (+ 0.03 of waits) = 3.0 hours,
    # -50% against 6.0 h (paired runs on the same arrivals: the difference, -3.0 h, is far
    # outside its interval).
    a, b = tmp_path / "a*.yaml", tmp_path / "[b].yaml"
    a.write_text(TWO_DESKS)
    b.write_text(TWO_DESKS.replace("handoff_delay: 4h", "handoff_delay: 1h"))
    expected = f"{TWO_DESKS_HEADLINE} [b].yaml: 3.0 hours (-50%)."
    text = _simulate(str(a), "--compare", str(b))
    assert " ".join(text.split("Simulated side by side")[0].split()) == expected
    markdown = _simulate(str(a), "--compare", str(b), "-f", "markdown").splitlines()
    assert markdown[2] == "**" + expected.replace("[b]", "\\[b\\]") + "**"  # escaped
    assert markdown[4].startswith("| | a\\*.yaml | \\[b\\].yaml |")  # in the table too
    assert "[b].yaml" in text.split("Simulated side by side")[1]  # a rich column head as written
    # The office against itself: the same runs, a difference of 0 within its interval.
    same = _simulate(str(b), "--compare", str(b), "-f", "markdown").splitlines()[2]
    assert same.endswith("\\[b\\].yaml: 3.0 hours (+0%, within the noise of the runs).**")


def test_the_simulated_headline_of_an_overloaded_office(tmp_path: Path) -> None:
    # ann: 60 requests x 1 h a week against 40 h present: the backlog grows without end.
    path = tmp_path / "over.yaml"
    path.write_text(ONE_DESK.replace("20/week", "60/week"))
    line = _simulate(str(path), "-f", "markdown").splitlines()[2]
    assert line.startswith(
        "**Requests have no steady lead time: ann is overloaded, and the backlog grows by "
    )


def test_the_simulated_headline_names_the_absence_part() -> None:
    # The sentence from given figures: L = 40 h, touch 4 h, absence 12 h, 8 h a day:
    # 5.0 working days, (40 - 4) / 40 = 90% waiting, 1.5 working days for absent colleagues.
    import dataclasses

    from orgflow.render.headline import simulated_lead_sentence
    from orgflow.simulate.runner import SimOptions, simulate

    org = orgflow.load_text(ONE_DESK)
    sim = simulate(org, SimOptions(weeks=2, warmup=0, runs=2, seed=1, start=None))
    lead = dataclasses.replace(sim.lead_time, mean=40.0, p90=88.0)
    parts = {"touch": 4.0, "queueing": 20.0, "handoff": 4.0, "absence": 12.0}
    sim = dataclasses.replace(sim, lead_time=lead, parts=parts)
    assert simulated_lead_sentence(sim, orgflow.analyze(org)) == (
        "Requests take 5.0 working days on average in the simulation; 90% of it is waiting, "
        "1.5 working days of it for absent colleagues. 9 in 10 are done within 11.0 working "
        "days."
    )


def test_the_html_report_with_a_simulation_adds_the_simulated_spread(tmp_path: Path) -> None:
    # Analytic: 1 + 4 + 1 + 2 x 0.013 h (M/D/1 waits above) = 6.0 hours; simulated the same,
    # 9 in 10 in exactly 6.0 h (see TWO_DESKS).
    path, page = tmp_path / "two.yaml", tmp_path / "r.html"
    path.write_text(TWO_DESKS)
    result = runner.invoke(cli.app, ["report", str(path), "--simulate", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert (
        '<p class="headline">Requests take 6.0 hours on average; 67% of it is waiting. Any one '
        "of 2 people away (ann and bob) stops every request. Simulated: 6.0 hours on average, "
        "9 in 10 done within 6.0 hours.</p>"
    ) in page.read_text()
