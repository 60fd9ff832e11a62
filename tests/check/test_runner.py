"""``orgflow check`` never passes a file silently: org files without ``version:`` are checked
(and fail), and a run that finds no org file says so and exits 2 unless ``--allow-empty``."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def test_an_org_file_in_utf16_is_found_not_skipped(tmp_path: Path) -> None:
    with_bom = tmp_path / "bom.yaml"
    with_bom.write_bytes("version: 1\n".encode("utf-16") + NO_VERSION.encode("utf-16")[2:])
    without = tmp_path / "nobom.yaml"
    without.write_bytes(("version: 1\n" + NO_VERSION).encode("utf-16-le"))
    assert collect([tmp_path]) == [with_bom, without]
    result = runner.invoke(app, ["check", str(tmp_path), "--format", "text"])
    assert result.exit_code == 1
    assert "without a byte-order mark" in result.output


def _many(tmp_path: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = tmp_path / f"org{i:02d}.yaml"
        path.write_text("version: 1\n" + NO_VERSION)
        paths.append(path)
    return paths


def test_check_reports_its_progress_file_by_file(tmp_path: Path) -> None:
    from orgflow.check.runner import PARALLEL_FROM, CheckOptions, run_check

    # In this process (3 files) and on 2 processes (PARALLEL_FROM files): one call per file,
    # in file order, the last one with every file done.
    for count, jobs in ((3, 1), (PARALLEL_FROM, 2)):
        folder = tmp_path / str(count)
        folder.mkdir()
        paths = _many(folder, count)
        calls: list[tuple[int, int]] = []
        report = run_check(
            CheckOptions(paths=(folder,), jobs=jobs),
            lambda d, t, calls=calls: calls.append((d, t)),
        )
        assert [r.file for r in report.files] == [str(p) for p in paths]
        assert calls == [(i, count) for i in range(1, count + 1)]


def test_check_shows_progress_only_on_a_terminal_and_not_with_q(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgflow import output

    made: list[tuple[bool, str, list[float]]] = []

    class Recorder:
        def __init__(self, enabled: bool, label: str = "simulating") -> None:
            self.fractions: list[float] = []
            made.append((enabled, label, self.fractions))

        def __call__(self, fraction: float) -> None:
            self.fractions.append(fraction)

        def close(self) -> None:
            pass

        def __enter__(self) -> Recorder:
            return self

        def __exit__(self, *exc: object) -> None:
            self.close()

    monkeypatch.setattr(output, "Progress", Recorder)
    _many(tmp_path, 4)
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # CliRunner's stderr is no terminal: disabled; the fractions still arrive per file.
    assert made == [(False, "checking files", [0.25, 0.5, 0.75, 1.0])]
    assert result.stderr == ""


def test_the_progress_bar_needs_a_terminal_a_second_and_no_q(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from orgflow import output
    from orgflow.output import Progress as _Progress

    shown = _Progress(True, "checking files")
    shown(0.1)
    assert shown.bar is None  # under a second: nothing drawn
    shown.started -= 2  # as if the run had started two seconds ago
    shown(0.5)
    assert shown.bar is not None
    shown.close()
    off = _Progress(False, "checking files")  # off a terminal
    off.started -= 2
    off(0.5)
    assert off.bar is None
    monkeypatch.setattr(output, "VERBOSITY", 0)  # -q
    quiet = _Progress(True, "checking files")
    quiet.started -= 2
    quiet(0.5)
    assert quiet.bar is None
