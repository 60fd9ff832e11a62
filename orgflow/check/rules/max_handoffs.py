"""``max_handoffs``: handoffs per request on a route at most the limit.

Each handoff puts the request in another queue and adds handoff_delay. Give one person more of
the steps (parallel organisation) to remove handoffs.

Passes: ann does both steps, bob backs her up: no handoff::

    version: 1
    org: {handoff_delay: 0h}
    people:
      - {id: ann, skills: [a, b]}
      - {id: bob, skills: [a, b]}
    activities:
      - {id: a, effort: 1h, customer_facing: true}
      - {id: b, effort: 2h, customer_facing: true}
    processes: [{id: p, steps: [a, b]}]
    customers: [{id: c1, demand: {p: 4/week}}]
    assignments:
      - {people: [ann, bob]}
    policy: {max_handoffs: 0}

Fails: ann does ``a``, then hands the request to bob for ``b``: one handoff::

    version: 1
    org: {handoff_delay: 0h}
    people:
      - {id: ann, skills: [a, b]}
      - {id: bob, skills: [a, b]}
    activities:
      - {id: a, effort: 1h, customer_facing: true}
      - {id: b, effort: 2h, customer_facing: true}
    processes: [{id: p, steps: [a, b]}]
    customers: [{id: c1, demand: {p: 4/week}}]
    assignments:
      - {activity: a, people: [ann]}
      - {activity: b, people: [bob]}
    policy: {max_handoffs: 0}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgflow.check.rules.context import Context
from orgflow.check.rules.context import routes_text as _routes
from orgflow.policy import RuleSetting

if TYPE_CHECKING:
    from orgflow.analysis.summary import RouteResult

#: The rule's key under ``policy:``, and the code of its findings.
ID = "max_handoffs"
#: Its setting when the policy does not name it: off (a rule runs once a policy gives a limit).
DEFAULT = RuleSetting(None, enabled=False)
#: The hint of its findings, and the help of SARIF's rule.
HELP = (
    "Each handoff puts the request in another queue and adds handoff_delay. Give one person "
    "more of the steps (parallel organisation) to remove handoffs."
)
#: One line each: a policy that passes and one that fails (SARIF's rule help, the README).
PASSES = (
    "policy: {max_handoffs: 2}   # intake and quotation by the same person, then one handoff "
    "to planning"
)
FAILS = "policy: {max_handoffs: 2}   # six desks in series: 5 handoffs per request"


def check(ctx: Context, setting: RuleSetting, limit: float) -> None:
    analysis, emit, rule_path = ctx.analysis, ctx.emit, ctx.rule_path
    # One finding per root cause: the rule whose step makes the handoff over the limit,
    # with every route it puts over.
    by_rule: dict[int, list[RouteResult]] = {}
    for r in analysis.routes:
        if r.handoffs <= limit:
            continue
        # the step the first handoff over the limit goes to (handoffs in step order)
        _pred, over = r.route.handoffs[int(limit)]
        culprit = r.route.step(over).owners.rule
        by_rule.setdefault(culprit, []).append(r)
    for culprit, routes in by_rule.items():
        most = max(r.handoffs for r in routes)
        emit(
            "max_handoffs",
            setting,
            rule_path(culprit),
            f"{most} handoff{'' if most == 1 else 's'} per request, limit {limit:g}, on "
            f"{_routes(routes)}; this "
            "rule makes the first handoff over the limit",
        )
