"""End-to-end tests of the ``orgflow`` command: exit codes, formats, output files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orgflow import cli

ROOT = Path(__file__).resolve().parent.parent
SERIAL = ROOT / "samples" / "serial.yaml"

runner = CliRunner()

BROKEN = """\
version: 1
people:
  - {id: ann, skils: [a]}
activities:
  - {id: a, effort: 1h}
"""


def test_analyze_text_report() -> None:
    result = runner.invoke(cli.app, ["analyze", str(SERIAL)])
    assert result.exit_code == 0, result.output
    assert "Handoff chains" in result.stdout
    assert "Single points of failure" in result.stdout
    assert result.stderr == ""


def test_analyze_json_contract() -> None:
    result = runner.invoke(cli.app, ["analyze", str(SERIAL), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    summary = doc["summary"]
    for key in (
        "handoffs_per_request",
        "lead_time_hours",
        "touch_time_hours",
        "flow_efficiency",
        "truck_factor",
    ):
        assert key in summary
    route = doc["routes"][0]
    # The serial sample: one desk per activity, in step order.
    assert route["chain"] == ["lucia", "marco", "giulia", "paolo", "sara", "elena"]
    # Handoffs: intake->quotation, quotation->order_entry, order_entry->scheduling,
    # scheduling->dispatch, confirmation->dispatch, dispatch->invoicing = 6
    # (order_entry->confirmation stays with giulia).
    assert route["handoffs"] == 6
    # order_to_cash demand: 3 + 2 + 1.5 + 1 + 2.5 + 2 + 1.5 + 1 = 14.5 requests/week.
    assert route["requests_per_week"] == pytest.approx(14.5)
    assert {"process", "customers", "critical_path", "lead_time_hours"} <= set(route)
    assert {"id", "bus_factor"} <= set(doc["activities"][0])
    assert {"id", "load_hours_per_week", "utilization", "blocked_share"} <= set(doc["people"][0])
    assert {"id", "contacts", "handoffs_per_request", "lead_time_hours"} <= set(doc["customers"][0])
    # Every person is a single point of failure for the request's intake: lucia alone stops
    # 100% of requests, so the truck factor is 1.
    assert summary["truck_factor"] == 1


def test_machine_formats_have_no_colour() -> None:
    for fmt in ("json", "markdown"):
        result = runner.invoke(cli.app, ["analyze", str(SERIAL), "--format", fmt], color=True)
        assert result.exit_code == 0
        assert "\x1b[" not in result.stdout


def test_analyze_markdown() -> None:
    result = runner.invoke(cli.app, ["analyze", str(SERIAL), "-f", "markdown"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Sales back office (serial)")
    assert "| # | Process | Chain |" in result.stdout


def test_output_file_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(cli.app, ["analyze", str(SERIAL), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text())["schema_version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_text_report_to_file_is_plain(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = runner.invoke(cli.app, ["analyze", str(SERIAL), "-o", str(out)])
    assert result.exit_code == 0
    text = out.read_text()
    assert "Handoff chains" in text
    assert "\x1b[" not in text


def test_never_overwrites_the_input(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    original = SERIAL.read_text()
    org.write_text(original)
    result = runner.invoke(cli.app, ["analyze", str(org), "-f", "json", "-o", str(org)])
    assert result.exit_code == 2
    assert "input file" in result.stderr
    assert org.read_text() == original


def test_bad_file_reports_position_and_exits_2(tmp_path: Path) -> None:
    org = tmp_path / "broken.yaml"
    org.write_text(BROKEN)
    result = runner.invoke(cli.app, ["analyze", str(org)])
    assert result.exit_code == 2
    # Line 3 is "  - {id: ann, skils: [a]}": two spaces, "- ", "{" (column 5),
    # "id: ann, " (columns 6-14), so 'skils' starts at column 15.
    assert f"{org}:3:15: error: unknown key 'skils'" in result.stderr
    assert "did you mean 'skills'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["analyze", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_unknown_format_is_a_usage_error() -> None:
    result = runner.invoke(cli.app, ["analyze", str(SERIAL), "--format", "pdf"])
    assert result.exit_code == 2


def test_schema_command_prints_json_schema() -> None:
    result = runner.invoke(cli.app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "people" in schema["properties"]


def test_version() -> None:
    result = runner.invoke(cli.app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("orgflow ")


def test_internal_error_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr("orgflow.analysis.summary.analyze", boom)
    monkeypatch.setattr(sys, "argv", ["orgflow", "analyze", str(SERIAL)])
    monkeypatch.delenv("ORGFLOW_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaboom" in err
    assert "Traceback" not in err


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orgflow.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def test_subprocess_exit_codes(tmp_path: Path) -> None:
    ok = _run("analyze", str(SERIAL), "--format", "json")
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["summary"]["truck_factor"] == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\npeople: [\n")
    bad = _run("analyze", str(broken))
    assert bad.returncode == 2
    assert f"{broken}:" in bad.stderr
    assert "Traceback" not in bad.stderr
    usage = _run("analyze")
    assert usage.returncode == 2


def test_help_lists_commands() -> None:
    result = _run("--help")
    assert result.returncode == 0
    assert "analyze" in result.stdout


PARALLEL = ROOT / "samples" / "parallel-by-customer.yaml"
SIM = ["--weeks", "20", "--runs", "3", "--start", "2026-01-05"]


def test_simulate_json_contract() -> None:
    result = runner.invoke(cli.app, ["simulate", str(SERIAL), *SIM, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no progress bar when not on a terminal
    doc = json.loads(result.stdout)
    lead = doc["summary"]["lead_time_hours"]
    assert set(lead) >= {"mean", "ci95", "p50", "p90", "p95", "max"}
    low, high = lead["ci95"]
    assert low <= lead["mean"] <= high
    assert lead["p50"] <= lead["p90"] <= lead["p95"] <= lead["max"]
    assert doc["summary"]["requests_completed"] > 0
    assert {r["number"] for r in doc["routes"]} == {1, 2}
    assert {"id", "lead_time_hours"} <= set(doc["customers"][0])
    assert {"id", "utilization", "mean_queue", "max_queue", "delayed_by_absence_share"} <= set(
        doc["people"][0]
    )
    # The analytic estimate sits beside the simulated one.
    assert doc["summary"]["analytic_lead_time_hours"] > 0


def test_simulate_same_seed_same_output() -> None:
    args = ["simulate", str(SERIAL), *SIM, "-f", "json"]
    first = runner.invoke(cli.app, args)
    again = runner.invoke(cli.app, args)
    other = runner.invoke(cli.app, [*args, "--seed", "2"])
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout


def test_simulate_text_shows_analytic_beside() -> None:
    result = runner.invoke(cli.app, ["simulate", str(SERIAL), *SIM])
    assert result.exit_code == 0
    assert "Lead time, simulated" in result.stdout
    assert "Lead time, analytic" in result.stdout


def test_simulate_compare_on_common_random_numbers() -> None:
    result = runner.invoke(
        cli.app,
        [
            "simulate",
            str(SERIAL),
            "--runs",
            "10",
            "--start",
            "2026-01-05",
            "--compare",
            str(PARALLEL),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    diff = doc["difference"]
    low, high = diff["ci95"]
    assert low <= diff["lead_time_hours_mean"] <= high
    # The parallel office is faster: over ten paired years the whole interval is below zero.
    assert high < 0


def test_simulate_flow_engine_refused_when_work_flows_back() -> None:
    result = runner.invoke(cli.app, ["simulate", str(PARALLEL), *SIM, "--engine", "flow"])
    assert result.exit_code == 2
    assert "event engine" in result.stderr


def test_simulate_markdown() -> None:
    result = runner.invoke(cli.app, ["simulate", str(SERIAL), *SIM, "-f", "markdown"])
    assert result.exit_code == 0
    assert "| Lead time, simulated (95% CI) |" in result.stdout


CLEAN = """\
version: 1
people: [{id: ann, skills: [a]}, {id: bob, skills: [a]}]
activities: [{id: a, effort: 1h}]
processes: [{id: p, steps: [a]}]
customers: [{id: c, demand: {p: 1/week}}]
assignments: [{people: [ann, bob]}]
policy: {min_bus_factor: 2}
"""
WARNS = CLEAN.replace(
    "policy: {min_bus_factor: 2}", "policy: {min_bus_factor: {limit: 3, level: warning}}"
)
FAILS = CLEAN.replace("policy: {min_bus_factor: 2}", "policy: {min_bus_factor: 3}")


def _org(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_check_exit_codes(tmp_path: Path) -> None:
    clean = _org(tmp_path, "clean.yaml", CLEAN)
    warns = _org(tmp_path, "warns.yaml", WARNS)
    fails = _org(tmp_path, "fails.yaml", FAILS)
    broken = _org(tmp_path, "broken.yaml", BROKEN)

    def code(*args: str) -> int:
        return runner.invoke(cli.app, ["check", *args]).exit_code

    assert code(str(clean)) == 0
    assert code(str(warns)) == 0  # warnings alone pass ...
    assert code(str(warns), "--strict") == 1  # ... unless --strict
    assert code(str(fails)) == 1
    assert code(str(broken)) == 1  # loader errors are findings too
    assert code(str(fails), "--exit-zero") == 0
    assert code(str(clean), str(fails)) == 1
    assert code(str(tmp_path / "missing.yaml")) == 2  # unusable invocation
    bad_policy = _org(tmp_path, "bad-policy.yml", "max_handoffs: lots\n")
    assert code(str(clean), "--policy", str(bad_policy)) == 2
    assert code() == 2  # no file given


def test_check_reports_every_file_and_finding(tmp_path: Path) -> None:
    fails = _org(tmp_path, "fails.yaml", FAILS)
    broken = _org(tmp_path, "broken.yaml", BROKEN)
    result = runner.invoke(cli.app, ["check", str(fails), str(broken), "-f", "json"])
    doc = json.loads(result.stdout)
    assert doc["summary"]["files"] == 2
    by_file = {f["file"]: f for f in doc["files"]}
    # fails.yaml: activity a is done by ann and bob, 2 people, limit 3. The rule is line 6,
    # "assignments: [{people: ...": "assignments:" is columns 1-12, a space, "[" at 14, so
    # the rule's "{" is at column 15.
    finding = by_file[str(fails)]["findings"][0]
    assert (finding["line"], finding["column"], finding["code"]) == (6, 15, "min_bus_factor")
    assert by_file[str(broken)]["analyzed"] is False
    assert by_file[str(broken)]["findings"][0]["code"] == "schema"


def test_check_folder_finds_org_files_only(tmp_path: Path) -> None:
    (tmp_path / "org").mkdir()
    _org(tmp_path / "org", "a.yaml", FAILS)
    _org(tmp_path / "org", "ci.yml", "on: push\njobs: {}\n")  # not an org file: skipped
    (tmp_path / "org" / ".git").mkdir()
    _org(tmp_path / "org" / ".git", "b.yaml", FAILS)  # inside .git: never searched
    result = runner.invoke(cli.app, ["check", str(tmp_path / "org"), "-f", "json"])
    doc = json.loads(result.stdout)
    assert [f["file"] for f in doc["files"]] == [str(tmp_path / "org" / "a.yaml")]


def test_check_skip_other_yaml_for_pre_commit(tmp_path: Path) -> None:
    ci = _org(tmp_path, "ci.yml", "on: push\njobs: {}\n")
    clean = _org(tmp_path, "clean.yaml", CLEAN)
    assert runner.invoke(cli.app, ["check", str(ci)]).exit_code == 1
    assert (
        runner.invoke(cli.app, ["check", "--skip-other-yaml", str(ci), str(clean)]).exit_code == 0
    )


def test_check_internal_error_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("check exploded")

    clean = _org(tmp_path, "clean.yaml", CLEAN)
    monkeypatch.setattr("orgflow.check.runner.run_check", boom)
    monkeypatch.setattr(sys, "argv", ["orgflow", "check", str(clean)])
    monkeypatch.delenv("ORGFLOW_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 3
    assert "internal error: RuntimeError: check exploded" in capsys.readouterr().err


def test_check_subprocess_exit_code(tmp_path: Path) -> None:
    fails = _org(tmp_path, "fails.yaml", FAILS)
    result = _run("check", str(fails), "--format", "sarif")
    assert result.returncode == 1
    assert json.loads(result.stdout)["version"] == "2.1.0"


def test_propose_writes_a_new_org_file(tmp_path: Path) -> None:
    out = tmp_path / "proposal.yaml"
    result = runner.invoke(cli.app, ["propose", str(SERIAL), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["feasible"] is True
    assert doc["output"] == str(out)
    figures = doc["before_after"]
    # One contact per customer after, four before (lucia, marco, giulia, sara).
    assert figures["contacts_per_customer"]["before"] == 4
    assert figures["contacts_per_customer"]["after_trained"] == 1
    assert doc["optimizer"]["gap"] is not None
    # The file loads, and analyze runs on it.
    again = runner.invoke(cli.app, ["analyze", str(out), "-f", "json"])
    assert again.exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["proposal.yaml"]


def test_propose_priorities_reach_the_plan_and_are_checked() -> None:
    # The order is kept as given and reported back in the JSON's options.
    order = "utilization,continuity,spread"
    result = runner.invoke(cli.app, ["propose", str(SERIAL), "--priorities", order, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["options"]["priorities"] == order.split(",")
    # An unknown objective, or one twice, is a usage error.
    for bad in ("utilization,speed", "spread,spread", ","):
        result = runner.invoke(cli.app, ["propose", str(SERIAL), "--priorities", bad])
        assert result.exit_code == 2
        assert "--priorities is an order of utilization, spread and continuity" in result.output


def test_propose_without_and_keep(tmp_path: Path) -> None:
    # marco leaves (not in the written file, nobody's primary), rossi stays with giulia.
    out = tmp_path / "p.yaml"
    args = ["propose", str(SERIAL), "--without", "marco", "--keep", "rossi=giulia"]
    result = runner.invoke(cli.app, [*args, "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["options"]["without"] == ["marco"]
    assert doc["options"]["keep"] == [{"customer": "rossi", "person": "giulia"}]
    primary = {x["customer"]: x["primary"] for x in doc["primaries"]}
    assert primary["rossi"] == "giulia"
    assert "marco" not in primary.values()
    assert "marco" not in out.read_text()
    # A malformed pin or an unknown person: a usage error, with the reason.
    result = runner.invoke(cli.app, ["propose", str(SERIAL), "--keep", "rossi"])
    assert result.exit_code == 2
    assert "--keep is CUSTOMER=PERSON" in result.output
    result = runner.invoke(cli.app, ["propose", str(SERIAL), "--without", "zed"])
    assert result.exit_code == 2
    assert "--without: no person 'zed'" in result.output


def test_propose_never_overwrites_the_input(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(SERIAL.read_text())
    before = org.read_text()
    result = runner.invoke(cli.app, ["propose", str(org), "-o", str(org)])
    assert result.exit_code == 2
    assert org.read_text() == before


def test_compare_two_files() -> None:
    result = runner.invoke(cli.app, ["compare", str(SERIAL), str(PARALLEL), "-f", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["figures"]
    # Serial: every person alone on a step, 7 people whose absence stops work; the parallel
    # sample has a backup everywhere but the certificates desk (sandro).
    assert figures["people_whose_absence_stops_work"] == {"a": 7, "b": 1}
    assert figures["contacts_per_customer"]["b"] == 1


def test_diagram_mermaid_and_dot(tmp_path: Path) -> None:
    mermaid = runner.invoke(cli.app, ["diagram", str(SERIAL)])
    assert mermaid.exit_code == 0, mermaid.output
    assert mermaid.stdout.startswith("flowchart LR")
    # Route 1 of the serial sample crosses six desks: one lane each.
    assert mermaid.stdout.count("subgraph ") == 6
    dot = runner.invoke(cli.app, ["diagram", str(SERIAL), "--format", "dot", "--route", "2"])
    assert dot.exit_code == 0
    assert "\ndigraph " in dot.stdout
    # Route 2 (certified orders) adds sandro's desk: seven clusters.
    assert dot.stdout.count("subgraph ") == 7
    bad = runner.invoke(cli.app, ["diagram", str(SERIAL), "--route", "99"])
    assert bad.exit_code == 2


def test_report_writes_one_self_contained_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        cli.app, ["report", str(SERIAL), "--compare", str(PARALLEL), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html
    assert "http://" not in html.replace("http://www.w3.org", "")  # no external resource


def test_markdown_reports_embed_the_diagram() -> None:
    result = runner.invoke(cli.app, ["analyze", str(SERIAL), "-f", "markdown"])
    assert "```mermaid\nflowchart LR" in result.stdout


# --- Issue 16: what a new user and a CI pipeline meet ------------------------------------------

POLICY = """\
policy:
  max_handoffs: 2
  max_lead_time: 3d
  max_utilization: 0.5
  max_contacts_per_customer: 1
"""


def _piped(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """``orgflow ARGS`` in a fresh process, output to a pipe, COLUMNS and colour variables unset."""
    import os

    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS")
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "orgflow.cli", *args],
        capture_output=True,
        text=True,
        env=clean,
        input=stdin,
        check=False,
        cwd=ROOT,
    )


def test_check_diagnostics_are_one_line_each_in_a_pipe(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    result = _piped("check", "samples/serial.yaml", "--policy", str(policy))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    for line in lines:
        assert line == line.rstrip(), f"trailing space: {line!r}"
        assert "\x1b" not in line
    findings = [ln for ln in lines if ln.startswith("samples/serial.yaml:")]
    # Every finding is whole on its line: position, level, message and the code at the end.
    assert findings
    for line in findings:
        assert line.endswith("]"), line
        assert ": error: " in line or ": warning: " in line
    # The rest is a hint under a finding, or the count at the end.
    others = [ln for ln in lines if ln not in findings]
    assert all(ln.startswith("    hint: ") for ln in others[:-1])
    assert others[-1].endswith("in 1 file (0 clean)")


def test_check_diagnostics_do_not_wrap_on_a_narrow_terminal(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    result = _piped("check", "samples/serial.yaml", "--policy", str(policy), COLUMNS="40")
    long = [ln for ln in result.stdout.splitlines() if len(ln) > 40]
    assert long
    assert all(ln.endswith(("]", "clean)")) or ln.startswith("    hint") for ln in long)


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ([], {}, False),  # a pipe: no colour
    ],
)
def test_color_option_and_environment(
    tmp_path: Path, args: list[str], env: dict[str, str], coloured: bool
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    result = _piped(*args, "check", "samples/serial.yaml", "--policy", str(policy), **env)
    assert ("\x1b[" in result.stdout) is coloured


def test_plurals_without_parentheses(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(BROKEN)
    result = runner.invoke(cli.app, ["check", str(org)])
    assert "(s)" not in result.stdout
    assert "1 error, 0 warnings in 1 file (0 clean)" in result.stdout
    result = runner.invoke(cli.app, ["analyze", str(org)])
    assert "1 error; the file cannot be analyzed" in result.stderr


def test_short_help_and_completion() -> None:
    result = runner.invoke(cli.app, ["-h"])
    assert result.exit_code == 0
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout
    for command in ("analyze", "simulate", "propose", "compare", "diagram", "report", "check"):
        sub = runner.invoke(cli.app, [command, "-h"])
        assert sub.exit_code == 0, sub.output
        assert "Usage: orgflow " + command in sub.stdout


@pytest.mark.parametrize(
    "command", ["analyze", "simulate", "propose", "compare", "diagram", "report", "check", "init"]
)
def test_help_texts_have_no_type_label_artefacts(command: str) -> None:
    text = runner.invoke(cli.app, [command, "--help"]).stdout
    for artefact in ("{", "<list[", "<str>", "<path>", "<float", "<int", "<%Y", "......"):
        assert artefact not in text, f"{artefact!r} in the help of {command}"
    assert all(line == line.rstrip() for line in text.splitlines())


def test_choice_errors_read_plainly() -> None:
    result = runner.invoke(cli.app, ["analyze", str(SERIAL), "--format", "yaml"])
    assert result.exit_code == 2
    assert "Value error" not in result.output
    assert "'yaml' is not one of 'text', 'json', 'markdown'" in result.output


def test_outputs_say_what_they_wrote_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    result = runner.invoke(cli.app, ["analyze", str(SERIAL), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"wrote {out}\n"
    quiet = runner.invoke(cli.app, ["-q", "analyze", str(SERIAL), "-f", "json", "-o", str(out)])
    assert quiet.stderr == ""
    loud = runner.invoke(cli.app, ["-v", "analyze", str(SERIAL), "-f", "json", "-o", str(out)])
    assert f"loaded {SERIAL}" in loud.stderr


def test_report_says_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = _piped("report", "samples/serial.yaml", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"wrote {out}"]


def test_dash_reads_standard_input() -> None:
    result = _piped("analyze", "-", "-f", "json", stdin=SERIAL.read_text())
    assert result.returncode == 0, result.stderr
    from_file = _piped("analyze", "samples/serial.yaml", "-f", "json")
    assert json.loads(result.stdout)["summary"] == json.loads(from_file.stdout)["summary"]
    bad = _piped("analyze", "-", stdin=BROKEN)
    assert bad.returncode == 2
    assert bad.stderr.startswith("<stdin>:3:")


WARNED = """\
version: 1
people:
  - {id: ann, skills: [a]}
  - {id: bob, skills: [a]}
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [a]}
customers:
  - {id: c, demand: {p: 1/week}}
assignments:
  - {people: [ann]}
  - {activity: a, people: [bob]}
"""


def test_analyze_warnings_go_to_stderr_with_code_and_hint(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(WARNED)
    result = _piped("analyze", str(org))
    assert result.returncode == 0, result.stderr
    # The second rule never applies: the first takes every step.
    err = result.stderr.splitlines()
    assert err[0].startswith(f"{org}:13:5: warning: assignment rule 2 never applies")
    assert err[0].endswith(" [rule-never-matches]")
    assert err[1].startswith("    hint: ")
    assert "never applies" not in result.stdout
    json_run = _piped("analyze", str(org), "-f", "json")
    assert json.loads(json_run.stdout)["warnings"][0]["code"] == "rule-never-matches"
    assert "[rule-never-matches]" in json_run.stderr


def test_init_writes_a_valid_commented_starter_and_never_overwrites(tmp_path: Path) -> None:
    from orgflow import analyze, load

    target = tmp_path / "office.yaml"
    result = runner.invoke(cli.app, ["init", str(target), "--name", "Front desk"])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.count("#") >= 10  # commented
    org = load(target)
    assert analyze(org).org_name == "Front desk"
    a = analyze(org)
    assert a.warnings == []
    # An office in series: intake -> quotation -> order_entry at three desks, two handoffs.
    assert a.routes[0].chain == ["anna", "ben", "chiara"]
    assert a.routes[0].handoffs == 2
    again = runner.invoke(cli.app, ["init", str(target)])
    assert again.exit_code == 2
    assert "never overwrites" in again.stderr
    assert target.read_text() == text


def test_diagram_svg_is_a_standalone_picture(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    out = tmp_path / "d.svg"
    result = runner.invoke(cli.app, ["diagram", str(SERIAL), "-f", "svg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_text())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for desk in ("lucia", "marco", "giulia", "paolo", "sara", "elena"):
        assert desk in texts


def test_diagram_png_through_graphviz(tmp_path: Path) -> None:
    import shutil

    out = tmp_path / "d.png"
    result = runner.invoke(cli.app, ["diagram", str(SERIAL), "-f", "png", "-o", str(out)])
    if shutil.which("dot") is None:
        assert result.exit_code == 2
        assert "Graphviz" in result.stderr
        return
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


LARGE = ROOT / "samples" / "large-office.yaml"


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "samples/serial.yaml"],
        ["analyze", "samples/large-office.yaml"],
        ["compare", "samples/serial.yaml", "samples/parallel-by-region.yaml"],
        ["propose", "samples/serial.yaml"],
        ["simulate", "samples/large-office.yaml", "--runs", "2", "--weeks", "4"],
    ],
    ids=["analyze", "analyze-large", "compare", "propose", "simulate-large"],
)
def test_text_reports_fit_80_columns_in_a_pipe(args: list[str]) -> None:
    result = _piped(*args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout  # nothing cut
    assert all(line == line.rstrip() for line in lines)


def test_tables_never_split_ids_and_say_what_is_left_out() -> None:
    from orgflow import analyze, load

    a = analyze(load(LARGE))
    text = _piped("analyze", "samples/large-office.yaml").stdout
    # Every desk of the routes shown is printed whole (a pool breaks only after a '+').
    words = set(text.replace("+", " ").split())
    for route in sorted(a.routes, key=lambda r: -r.route.requests_per_week)[:12]:
        for desk in route.chain:
            assert set(desk.split("+")) <= words, desk
        assert route.route.process in words
    assert f"... and {len(a.routes) - 12} more routes" in text
    sim = _piped("simulate", "samples/large-office.yaml", "--runs", "2", "--weeks", "4").stdout
    # 40 people, 24 shown: the other 16 are said.
    assert "... and 16 more people" in sim
    whole = set(sim.replace("+", " ").split())
    for person in a.people:
        if person.id in sim:
            assert person.id in whole  # whole, not folded


def test_contacts_zero_is_explained() -> None:
    text = WARNED.replace("  - {people: [ann]}\n", "")
    result = runner.invoke(cli.app, ["analyze", "-"], input=text)
    assert result.exit_code == 0, result.output
    assert "0.0 (no step is marked customer_facing: true)" in result.stdout


def test_weekly_figures_are_never_in_days() -> None:
    result = runner.invoke(cli.app, ["propose", str(SERIAL)])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.stdout.splitlines() if "Work in newly learnt" in ln)
    assert "h/week" in line
    assert " d)" not in line


def test_check_reads_standard_input(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    result = _piped("check", "-", "--policy", str(policy), stdin=SERIAL.read_text())
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("<stdin>:14:5: error: ")
    assert "stdin.yaml" not in result.stdout


def test_shell_completion_script() -> None:
    # The console script, as a user runs it (completion is keyed on the program's name).
    import os

    result = subprocess.run(
        [str(Path(sys.executable).parent / "orgflow"), "--show-completion"],
        capture_output=True,
        text=True,
        env={**os.environ, "SHELL": "/bin/bash"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "_orgflow_completion" in result.stdout
    assert "complete " in result.stdout


def test_propose_report_names_the_files_and_the_plan(tmp_path: Path) -> None:
    out, page = tmp_path / "p.yaml", tmp_path / "p.html"
    result = runner.invoke(cli.app, ["propose", str(SERIAL), "-o", str(out), "--report", str(page)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"wrote {out}", f"wrote {page}"]
    html = page.read_text()
    assert "<h1>Sales back office (serial): in parallel by customer, proposed</h1>" in html
    assert f"{SERIAL} → {out}" in html
    assert "&lt;proposal&gt;" not in html
    assert "After</span> proposed, by customer" in html
    for section in ("Who does what", "Training plan", "The proposal"):
        assert f"<h2>{section}</h2>" in html
    assert "Lead time while people learn their new skills" in html
    # Without -o the report says the proposal was not written.
    runner.invoke(cli.app, ["propose", str(SERIAL), "--report", str(page)])
    assert "the proposal (not written: no -o)" in page.read_text()


def test_init_asks_a_few_questions(tmp_path: Path) -> None:
    from orgflow import analyze, load

    target = tmp_path / "office.yaml"
    answers = 'Front office: "north"\nAnna Rossi, Ben, Carla\nintake, quote, order entry, invoice\n'
    result = runner.invoke(cli.app, ["init", str(target), "--ask"], input=answers)
    assert result.exit_code == 0, result.output
    a = analyze(load(target))
    assert a.org_name == 'Front office: "north"'
    assert a.warnings == []
    # Four steps, three people taken in turn: anna_rossi, ben, carla, anna_rossi.
    assert a.routes[0].chain == ["anna_rossi", "ben", "carla"]
    assert a.routes[0].handoffs == 3
    assert 'name: "Anna Rossi"' in target.read_text()
