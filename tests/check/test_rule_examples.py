"""Each policy rule's documented examples hold: the org file under "Passes" has no finding of
the rule, the one under "Fails" has one (yamllint's rule examples, run)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from orgflow import policy
from orgflow.check import rules
from orgflow.check.runner import check_file


def example(rule: ModuleType, heading: str) -> str:
    """The org file of a rule's docstring after ``Passes: ...::`` or ``Fails: ...::``."""
    doc = rule.__doc__ or ""
    found = re.search(rf"^{heading}: [^\n]*::\n\n((?:    [^\n]*\n|\n)+)", doc, re.MULTILINE)
    assert found, f"{rule.ID}: no '{heading}: ...::' example in its docstring"
    return textwrap.dedent(found.group(1))


def codes(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_file(path, None)
    assert result.loaded, [f.format() for f in result.findings]
    return [f.code for f in result.findings]


@pytest.mark.parametrize("rule_id", list(rules.RULES))
def test_the_passing_example_passes(tmp_path: Path, rule_id: str) -> None:
    rule = rules.get(rule_id)
    text = example(rule, "Passes")
    assert f"{rule_id}:" in text, "the example sets the rule's limit"
    assert rule_id not in codes(tmp_path, text)


@pytest.mark.parametrize("rule_id", list(rules.RULES))
def test_the_failing_example_fails(tmp_path: Path, rule_id: str) -> None:
    rule = rules.get(rule_id)
    text = example(rule, "Fails")
    assert f"{rule_id}:" in text, "the example sets the rule's limit"
    assert rule_id in codes(tmp_path, text)


@pytest.mark.parametrize("rule_id", list(rules.RULES))
def test_each_rule_module_has_its_parts(rule_id: str) -> None:
    rule = rules.get(rule_id)
    assert rule.ID == rule_id == rule.__name__.rsplit(".", 1)[1]
    assert rule.DEFAULT.enabled is False  # every rule is off until a policy gives a limit
    assert all((rule.HELP, rule.PASSES, rule.FAILS))
    assert callable(rule.check)


def test_every_policy_key_has_its_rule_module_and_back() -> None:
    # The file format declares the keys (the loader validates a policy before any rule runs);
    # each key needs its module, and each module its key, in the same order.
    assert list(policy.RULES) == list(rules.RULES)


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="no such rule"):
        rules.get("max_coffee")
