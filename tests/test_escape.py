"""Hostile text from an org file never forges a line, drives a terminal or breaks a reader:
the escaping module (orgflow/escape.py) and every output that shows user text."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orgflow import escape
from orgflow.cli import app
from orgflow.diagnostics import Diagnostic

runner = CliRunner()

# A quoted key that, printed raw, would add a diagnostic line of its own.
FORGED_KEY = (
    'version: 1\npeople:\n  - {id: ann, "x\\nforged.yaml:1:1: error: injected line [schema]": 1}\n'
)

# Names carrying an OSC title change, a bell, "clear screen", a line separator and markup for
# every reader: Markdown, HTML, rich, DOT and Mermaid.
HOSTILE = r"""version: 1
org: {name: "\e]0;pwned\a\e[2J<script>alert(1)</script> *bold* [red]x[/red] \u2028forged"}
people:
  - {id: ann, name: "\e[31mAnn\u2029", skills: [a, b]}
  - {id: bob, skills: [a, b]}
activities:
  - {id: a, name: "Check \e[2J <b>\"quoted\"</b> | # ` &", effort: 1h}
  - {id: b, name: "Send\r\nforged.yaml:1:1: error: x", effort: 1h}
processes:
  - {id: p, steps: [a, b]}
customers:
  - {id: c, region: "north\e[5m", demand: {p: 1/week}}
assignments:
  - {activity: a, people: [ann]}
  - {people: [bob]}
"""

RAW = ("\x1b", "\x07", "\u2028", "\u2029", "\r")


def test_visible_escapes_controls_separators_and_bidi() -> None:
    assert escape.visible("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert escape.visible("\x1b]0;pwned\x07\x1b[2J") == "\\x1b]0;pwned\\x07\\x1b[2J"
    assert escape.visible("x\u2028y\u2029z\x85") == "x\\u2028y\\u2029z\\x85"
    assert escape.visible("\u202eevil") == "\\u202eevil"  # right-to-left override
    assert escape.visible("Zoë · ok") == "Zoë · ok"  # ordinary text untouched


def test_long_values_are_cut() -> None:
    assert escape.visible("x" * 100, limit=10) == "x" * 10 + "…(90 more characters)"
    assert escape.value("y" * 10**6).endswith("…(999,920 more characters)")


def test_readers_get_their_own_escapes() -> None:
    assert escape.markdown("a|b <i> *c*") == "a\\|b \\<i\\> \\*c\\*"
    assert escape.html('<a href="x">\x1b') == "&lt;a href=&quot;x&quot;&gt;\\x1b"
    assert escape.dot('say "hi" \\ &\nend') == 'say \\"hi\\" \\\\ &amp; end'
    assert escape.mermaid('a "b" <c> & #1') == "a #quot;b#quot; #lt;c#gt; #amp; #35;1"
    assert escape.rich("[red]x\x1b") == "\\[red]x\\x1b"


def test_diagnostics_escape_message_hint_and_file() -> None:
    d = Diagnostic("a\nb.yaml", 1, 1, "error", "schema", "key 'x\ny'", "fix\x1b[2J")
    assert d.format() == "a\\nb.yaml:1:1: error: key 'x\\ny' [schema]\n    hint: fix\\x1b[2J"
    huge = Diagnostic("x.yaml", 1, 1, "error", "schema", "m" * 10**6)
    assert len(huge.message) < 1100


def test_a_quoted_key_cannot_forge_a_diagnostic_line(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(FORGED_KEY)
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert not any(line.startswith("forged.yaml") for line in lines)
    # The key's quote is at column 15 of line 3 (after "  - {id: ann, "); its newline escaped.
    assert lines[0] == (
        f"{path}:3:15: error: unknown key 'x\\nforged.yaml:1:1: error: injected line [schema]' "
        "in people[0] (ann) [schema]"
    )


def test_a_huge_id_is_cut_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(f"version: 1\npeople:\n  - {{id: {'a' * 10**6}, nmae: x}}\n")
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2
    assert len(result.output) < 5000
    assert "more characters)" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["analyze"],
        ["analyze", "--format", "markdown"],
        ["analyze", "--format", "json"],
        ["diagram", "--format", "mermaid"],
        ["diagram", "--format", "dot"],
        ["check", "--format", "github"],
        ["check", "--format", "text"],
    ],
    ids=lambda a: "-".join(a),
)
def test_no_terminal_escape_reaches_any_output(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(HOSTILE)
    result = runner.invoke(app, [args[0], str(path), *args[1:]])
    assert result.exit_code in (0, 1), result.output
    for raw in RAW:
        assert raw not in result.output, (raw, args)
    if args[-1] == "markdown":
        assert "<script>" not in result.output
    assert "\nforged.yaml" not in result.output


def test_html_report_keeps_names_as_text(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(HOSTILE)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(path), "--output", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    for raw in RAW:
        assert raw not in html


def test_a_file_name_cannot_forge_a_line(tmp_path: Path) -> None:
    path = tmp_path / "a\nforged.yaml:1:1: error: injected.yaml"
    path.write_text("version: 1\npeople: {}\n")
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2
    assert not any(line.startswith("forged.yaml") for line in result.output.splitlines())
    assert "a\\nforged.yaml:1:1: error: injected.yaml: 1 error;" in result.output
