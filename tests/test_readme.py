"""The README's commands run as written (a doc test of its shell blocks).

Every ```` ```sh ```` block of README.md is run by bash, line by line with ``set -e``, on a copy
of the repository's samples, with the virtual environment of this test run first on the PATH
(the README says to activate it). The blocks that cannot run offline on a checkout are listed in
NOT_RUN with the reason; the pre-commit hook's entry and the ``orgflow`` steps of the GitHub
Actions job are run too.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: Blocks not run here, by a string they contain, with the reason.
NOT_RUN = {
    "python3 -m venv .venv && .venv/bin/pip install -e . &&": (
        "creates a virtual environment and installs from the package index (network); "
        "CI runs the same in .ci/run, and this test runs the command it ends with"
    ),
    "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' &&": (
        "creates a virtual environment and installs from the package index (network); "
        "it is what .ci/run does, and this test suite is what it ends with"
    ),
}

#: Exit codes other than 0 that a block's last failing command is expected to give.
EXPECTED_EXIT = {"orgflow check org/ --policy policy.yaml": 1}


def blocks(language: str) -> list[str]:
    """The README's fenced blocks of one language, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.M | re.S)


def _shell_blocks() -> list[str]:
    return blocks("sh")


def _policy_block() -> str:
    return next(b for b in blocks("yaml") if b.startswith("policy:"))


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A working copy: the samples, the schema, ``org/`` with org files, and ``policy.yaml``
    from the README's policy block."""
    work = tmp_path / "checkout"
    work.mkdir()
    shutil.copytree(ROOT / "samples", work / "samples")
    shutil.copy(ROOT / "orgflow.schema.json", work / "orgflow.schema.json")
    (work / "org").mkdir()
    for name in ("serial.yaml", "parallel-by-customer.yaml"):
        shutil.copy(ROOT / "samples" / name, work / "org" / name)
    (work / "policy.yaml").write_text(_policy_block(), encoding="utf-8")
    # The event log of the README's mine -> fit story.
    (work / "tests" / "data").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "data" / "purchasing-example.csv", work / "tests" / "data")
    # ``. .venv/bin/activate``: the virtual environment of this test run, as the README made it.
    venv = work / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "activate").write_text(f'export PATH="{Path(sys.executable).parent}:$PATH"\n')
    return work


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS")
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_readme_has_shell_blocks() -> None:
    assert len(_shell_blocks()) >= 6
    for reason in NOT_RUN:
        assert any(reason in b for b in _shell_blocks()), f"stale NOT_RUN entry: {reason}"


@pytest.mark.parametrize("index", range(len(_shell_blocks())))
def test_shell_block_runs_as_written(index: int, checkout: Path) -> None:
    block = _shell_blocks()[index]
    skipped = [reason for key, reason in NOT_RUN.items() if key in block]
    if skipped:
        # Run what the setup command ends with, in the environment it would have made.
        last = block.strip().split(" && ")[-1].replace(".venv/bin/", "")
        if "pytest" in last:
            pytest.skip(skipped[0])
        result = _run(last, checkout)
        assert result.returncode == 0, result.stderr
        return
    for line in block.splitlines():
        command = line.split("    #")[0].strip()
        if not command or command.startswith("#"):
            continue
        # ``.`` (activate) changes the environment of the lines after it: run them together.
        result = _run(f". .venv/bin/activate && {command}", checkout)
        expected = next((code for key, code in EXPECTED_EXIT.items() if key in command), 0)
        assert result.returncode == expected, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr


def test_no_command_installs_orgflow_from_a_package_index() -> None:
    for line in README.splitlines():
        assert not re.search(r"pip install\s+['\"]?orgflow\b", line), line


def test_pre_commit_hook_runs_as_written(checkout: Path) -> None:
    config = yaml.safe_load(next(b for b in blocks("yaml") if b.startswith("repos:")))
    hook = config["repos"][0]["hooks"][0]
    assert config["repos"][0]["repo"] == "local"
    assert hook["language"] == "system"
    files = [p for p in ["org/serial.yaml", "policy.yaml"] if re.search(hook["files"], p)]
    assert files == ["org/serial.yaml", "policy.yaml"]
    # pre-commit runs the entry with the changed files that match ``files``.
    result = _run(shlex.join([*shlex.split(hook["entry"]), *files]), checkout)
    assert result.returncode == 1, result.stderr  # the serial sample breaks the policy
    assert result.stdout.splitlines()[0].startswith("org/serial.yaml:")
    # A commit that changes only other YAML files checks nothing, and passes.
    other = checkout / "other.yaml"
    other.write_text("a: 1\n")
    quiet = _run(shlex.join([*shlex.split(hook["entry"]), "other.yaml"]), checkout)
    assert quiet.returncode == 0, quiet.stderr
    # The hook the repository publishes names the same command.
    published = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert published[0]["entry"].split()[:2] == ["orgflow", "check"]


def test_github_actions_job_runs_its_orgflow_steps(checkout: Path) -> None:
    job = yaml.safe_load(next(b for b in blocks("yaml") if b.startswith("name: org")))
    runs = [step["run"] for step in job["jobs"]["orgflow"]["steps"] if "run" in step]
    install, *checks = runs
    # Installed from the repository (the GitHub-only steps cannot run here).
    assert "git+https://" in install
    assert checks
    for command in checks:
        result = _run(command, checkout)
        assert result.returncode in (0, 1), result.stderr
    sarif = checkout / "orgflow.sarif"
    assert sarif.exists()
    assert '"version": "2.1.0"' in sarif.read_text()


def test_policy_block_is_a_valid_policy(checkout: Path) -> None:
    result = _run("orgflow check samples/parallel-by-customer.yaml --policy policy.yaml", checkout)
    assert result.returncode in (0, 1), result.stderr


def test_the_quoted_headline_is_what_compare_prints() -> None:
    """The README quotes the headline of the serial and parallel samples: it must be the one
    orgflow computes today (update the quote in README.md "The headline" when figures move)."""
    quote = re.search(r"^## The headline\n.*?\n((?:> [^\n]*\n)+)", README, flags=re.M | re.S)
    assert quote
    quoted = " ".join(line[2:].strip() for line in quote.group(1).splitlines())
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "orgflow.cli",
            "compare",
            "samples/serial.yaml",
            "samples/parallel-by-customer.yaml",
            "-f",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    names = json.loads(result.stdout)["names"]
    assert names == ["serial.yaml", "parallel-by-customer.yaml"]
    assert quoted == json.loads(result.stdout)["headline"]


def test_the_mermaid_block_is_what_diagram_prints() -> None:
    """The README shows `orgflow diagram samples/serial.yaml` as GitHub renders it: the block
    must be today's output (paste the command's output there when figures move)."""
    shown = blocks("mermaid")[0]
    result = subprocess.run(
        [sys.executable, "-m", "orgflow.cli", "diagram", "samples/serial.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown == result.stdout
