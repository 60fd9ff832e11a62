"""``orgflow check`` never passes a file silently: org files without ``version:`` are checked
(and fail), and a run that finds no org file says so and exits 2 unless ``--allow-empty``."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from orgflow.check.runner import collect, looks_like_org
from orgflow.cli import app

ROOT = Path(__file__).resolve().parent.parent.parent
runner = CliRunner()

NO_VERSION = """\
people:
  - {id: ann, skills: [a]}
activities:
  - {id: a, effort: 1h}
processes:
  - {id: p, steps: [a]}
customers:
  - {id: c, demand: {p: 1/week}}
assignments:
  - {people: [ann]}
"""


def test_an_org_file_without_version_is_found_and_fails(tmp_path: Path) -> None:
    org = tmp_path / "org" / "office.yaml"
    org.parent.mkdir()
    org.write_text(NO_VERSION)
    (tmp_path / "org" / "ci.yml").write_text("jobs: {build: {runs-on: ubuntu-latest}}\n")
    assert collect([tmp_path / "org"]) == [org]
    result = runner.invoke(app, ["check", str(tmp_path / "org"), "--format", "text"])
    assert result.exit_code == 1
    assert "is missing required key 'version'" in result.output


def test_quoted_top_level_keys_look_like_an_org_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text('"people": []\n')
    assert looks_like_org(path)
    path.write_text("services: {web: {image: x}}\nversion: '3'\n")  # docker compose
    assert not looks_like_org(path)


def test_a_run_that_checks_no_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "ci.yml").write_text("jobs: {}\n")
    result = runner.invoke(app, ["check", str(tmp_path), "--format", "text"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"orgflow check: no org file to check in {tmp_path}\n")
    assert "--allow-empty" in result.stderr
    allowed = runner.invoke(app, ["check", str(tmp_path), "--format", "text", "--allow-empty"])
    assert allowed.exit_code == 0
    assert "0 file" in allowed.stdout


def test_github_actions_shows_the_empty_run(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path)], env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 2
    assert (
        result.stdout == "::error title=orgflow check::no org file to check; pass --allow-empty\n"
    )


def test_pre_commit_hook_checks_org_files_without_version(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    args = hook["entry"].split()[2:]
    assert args == ["--skip-other-yaml", "--allow-empty"]
    org = tmp_path / "office.yaml"
    org.write_text(NO_VERSION)
    other = tmp_path / "ci.yml"
    other.write_text("jobs: {}\n")
    result = runner.invoke(app, ["check", *args, str(org), str(other), "--format", "text"])
    assert result.exit_code == 1
    assert "is missing required key 'version'" in result.output
    # A commit that touches only other YAML files passes.
    only_other = runner.invoke(app, ["check", *args, str(other), "--format", "text"])
    assert only_other.exit_code == 0
