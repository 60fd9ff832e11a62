"""The domain errors of every layer end at the command line's boundary: their message on
standard error, exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orgflow import cli
from orgflow.errors import OrgflowError, ProposalError, SimulationError
from orgflow.propose.balance import balance

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_each_layer_has_its_error() -> None:
    assert issubclass(SimulationError, OrgflowError)
    assert issubclass(ProposalError, OrgflowError)
    with pytest.raises(ProposalError, match="nobody to give the work to"):
        balance([], [], {})


def test_a_proposal_error_exits_2_with_its_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from orgflow.propose import plan

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ProposalError("the proposed org does not load: \x1b[2Jsomething")

    monkeypatch.setattr(plan, "propose", refuse)
    result = runner.invoke(cli.app, ["propose", str(SAMPLES / "serial.yaml")])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "orgflow: the proposed org does not load" in result.stderr
    assert "\x1b" not in result.stderr  # escaped like every message
    assert "Traceback" not in result.stderr


def test_a_simulation_error_exits_2() -> None:
    # The flow engine cannot run an office that sends work back to a desk.
    result = runner.invoke(
        cli.app,
        ["simulate", str(SAMPLES / "parallel-by-customer.yaml"), "--engine", "flow", "--runs", "1",
         "--weeks", "1"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "only the event engine can simulate it" in result.stderr
