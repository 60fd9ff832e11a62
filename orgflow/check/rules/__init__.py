"""Policy rules, one module each (as yamllint's ``rules/``): each finding names the place to
change, the measured value and the limit.

A rule module has

- ``ID``: its key under ``policy:`` and the code of its findings;
- ``DEFAULT``: its setting when the policy does not name it (every rule today: off);
- ``HELP``, ``PASSES`` and ``FAILS``: the hint of its findings, and one line each of a policy
  that passes and one that fails (SARIF's rule help and the README's table);
- a docstring saying what it checks, with an org file that passes and one that fails
  (``tests/check/test_rule_examples.py`` checks both);
- ``check(ctx, setting, limit)``: adds its findings to ``ctx`` (a :class:`Context`).

A new rule is a new module here and its entry in :data:`RULES`; its key under ``policy:``
belongs to the file format and is declared in :mod:`orgflow.policy` (``RULES``: the kind and
unit of its limit, and the one-line summary of the JSON Schema), because a policy is validated
while the org file loads, before any rule runs (a test holds the two lists equal).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from orgflow.check.rules import (
    max_blocked_share,
    max_contacts_per_customer,
    max_handoffs,
    max_lead_time,
    max_utilization,
    min_bus_factor,
    min_truck_factor,
)
from orgflow.check.rules.context import Context
from orgflow.policy import Policy, limit_value

if TYPE_CHECKING:
    from orgflow.analysis.summary import Analysis
    from orgflow.diagnostics import Diagnostic
    from orgflow.office import Office

#: Every rule, in the order its findings are reported.
RULES: dict[str, ModuleType] = {
    rule.ID: rule
    for rule in (
        max_handoffs,
        min_bus_factor,
        max_lead_time,
        max_utilization,
        max_contacts_per_customer,
        max_blocked_share,
        min_truck_factor,
    )
}


def get(rule_id: str) -> ModuleType:
    """The module of a rule.

    >>> get("max_handoffs").ID
    'max_handoffs'
    """
    if rule_id not in RULES:
        raise ValueError(f"no such rule: {rule_id!r}")
    return RULES[rule_id]


def policy_findings(
    office: Office, analysis: Analysis, policy: Policy, warnings: Sequence[Diagnostic] = ()
) -> list[Diagnostic]:
    """The office's ``warnings`` (the loader's and the lint pass's, first) and every policy
    finding for one org (in rule order), one per root cause: a warning a finding says better
    is left out (an overloaded person over the ``max_utilization`` limit gets the rule's
    finding, with the limit and their load, not also the lint pass's ``overloaded`` warning)."""
    ctx = Context(office, analysis, {rule_id: rule.HELP for rule_id, rule in RULES.items()})
    for name, rule in RULES.items():
        setting = getattr(policy, name) or rule.DEFAULT
        if setting.enabled:
            rule.check(ctx, setting, limit_value(name, setting.limit, office.calendar))
    kept = [w for w in warnings if (w.code, w.line, w.column) not in ctx.said_better]
    return kept + ctx.out
