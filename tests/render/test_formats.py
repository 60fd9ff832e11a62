"""The registries of output formats: each entry is a renderer class, the CLI offers exactly the
registry's names, and ``orgflow --help`` imports no renderer."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from orgflow import cli
from orgflow.render import formats

REGISTRIES = {
    "ANALYZE": formats.ANALYZE,
    "SIMULATE": formats.SIMULATE,
    "SIMULATE_PAIR": formats.SIMULATE_PAIR,
    "PROPOSE": formats.PROPOSE,
    "COMPARE": formats.COMPARE,
    "DIAGRAM": formats.DIAGRAM,
    "CHECK": formats.CHECK,
}


@pytest.mark.parametrize("family", sorted(REGISTRIES))
def test_every_entry_is_a_renderer_class(family: str) -> None:
    for name, entry in REGISTRIES[family].items():
        cls = entry.load()
        assert issubclass(cls, formats.Renderer), (family, name)
        assert cls.__doc__, f"{cls.__name__} says what it writes"


def test_the_cli_offers_each_registry_s_names() -> None:
    assert [m.value for m in cli.Format] == list(formats.ANALYZE)
    assert [m.value for m in cli.SimulateFormat] == list(formats.SIMULATE)
    # simulate, alone or --compare, has one --format option: the two families' names agree
    assert list(formats.SIMULATE_PAIR) == list(formats.SIMULATE)
    assert [m.value for m in cli.ProposeFormat] == list(formats.PROPOSE)
    assert [m.value for m in cli.CompareFormat] == list(formats.COMPARE)
    assert [m.value for m in cli.DiagramFormat] == list(formats.DIAGRAM)
    assert [m.value for m in cli.CheckFormat] == list(formats.CHECK)


def test_help_names_each_format_from_the_registry() -> None:
    result = CliRunner().invoke(cli.app, ["diagram", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert formats.choices_help(formats.DIAGRAM) in " ".join(result.stdout.split())


def test_an_entry_that_is_no_renderer_is_refused() -> None:
    with pytest.raises(TypeError, match="not a Renderer"):
        formats.Format("x", "orgflow.output:Progress").load()


def test_help_imports_no_renderer() -> None:
    code = (
        "import sys\n"
        "from orgflow import cli\n"
        "heavy = ('orgflow.render.', 'pydantic', 'rich')\n"
        "heavy = [m for m in sys.modules if m.startswith(heavy)]\n"
        "print(sorted(m for m in heavy if m != 'orgflow.render.formats'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
