"""``max_contacts_per_customer``: each customer talks to at most this many people.

Contacts are the people doing a customer's customer-facing steps. One contact per customer is
the parallel organisation.

Passes: ann handles c1 from A to Z::

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
    policy: {max_contacts_per_customer: 1}

Fails: c1 talks to ann (``a``) and to bob (``b``)::

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
    policy: {max_contacts_per_customer: 1}
"""

from __future__ import annotations

from orgflow.check.rules.context import Context
from orgflow.check.rules.context import names as _names
from orgflow.policy import RuleSetting

#: The rule's key under ``policy:``, and the code of its findings.
ID = "max_contacts_per_customer"
#: Its setting when the policy does not name it: off (a rule runs once a policy gives a limit).
DEFAULT = RuleSetting(None, enabled=False)
#: The hint of its findings, and the help of SARIF's rule.
HELP = (
    "Contacts are the people doing a customer's customer-facing steps. One contact per "
    "customer is the parallel organisation."
)
#: One line each: a policy that passes and one that fails (SARIF's rule help, the README).
PASSES = "policy: {max_contacts_per_customer: 1}   # anna handles rossi from A to Z"
FAILS = "policy: {max_contacts_per_customer: 1}   # rossi talks to lucia, marco and sara"


def check(ctx: Context, setting: RuleSetting, limit: float) -> None:
    analysis, emit, customer_index = ctx.analysis, ctx.emit, ctx.customer_index
    # One finding per set of contacts: customers served by the same people share a cause.
    groups: dict[tuple[str, ...], list[str]] = {}
    for c in analysis.customers:
        if len(c.contacts) > limit:
            groups.setdefault(tuple(c.contacts), []).append(c.id)
    for contacts, customers in groups.items():
        n = len(contacts)
        subject = (
            f"customer '{customers[0]}' talks"
            if len(customers) == 1
            else f"{len(customers)} customers ({_names(customers)}) talk"
        )
        emit(
            "max_contacts_per_customer",
            setting,
            ("customers", customer_index[customers[0]]),
            f"{subject} to {n} {'person' if n == 1 else 'people'} ({', '.join(contacts)}), "
            f"limit {limit:g}",
        )
