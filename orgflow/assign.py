"""Who does what: resolving the assignment rules for each (customer, activity)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from orgflow.model import Customer, Org, Rule


@dataclass(frozen=True)
class Owners:
    """The people a step goes to: a primary then backups in order, or a pool sharing one queue."""

    people: tuple[str, ...]
    pool: bool
    rule: int  # index of the rule in ``assignments``
    #: A pool's ``shares`` in the order of ``people`` (empty: none, by present capacity).
    shares: tuple[float, ...] = ()

    @property
    def desk(self) -> str:
        """The desk a request visits: the primary, or the pool as a whole (``sara+paolo``)."""
        return "+".join(self.people) if self.pool else self.people[0]

    def pool_weights(
        self, availability: Mapping[str, float], present_capacity: Mapping[str, float]
    ) -> list[float]:
        """A pool's members' weights, in order: the part of the pool's work each takes is its
        weight over their sum. With ``shares``, share_j * A_j (a member takes their share while
        present, and an absent member's goes to the present ones in proportion to theirs);
        without, present capacity, capacity_j * A_j.

        >>> Owners(("a", "b"), True, 0, (3.0, 1.0)).pool_weights({"a": 1.0, "b": 0.5}, {})
        [3.0, 0.5]
        """
        if self.shares:
            return [w * availability[p] for p, w in zip(self.people, self.shares, strict=True)]
        return [present_capacity[p] for p in self.people]

    @property
    def bus_factor(self) -> int:
        """How many people must be away at once before the step stops."""
        return len(self.people)


class Resolver:
    """First-match lookup of the assignment rules, indexed so large offices resolve fast.

    >>> from orgflow.loader import load_text
    >>> org = load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a]}]
    ... activities: [{id: a, effort: 1h}]
    ... processes: [{id: p, steps: [a]}]
    ... customers: [{id: c, demand: {p: 1/week}}]
    ... assignments: [{people: [ann]}]
    ... ''')
    >>> Resolver(org).owners("c", "a").desk
    'ann'
    """

    def __init__(self, org: Org) -> None:
        self.org = org
        self.rules: list[Rule] = list(org.assignments)
        self._activity_sets = [
            set(r.activity) if r.activity is not None else None for r in self.rules
        ]
        self._region_sets = [set(r.region) if r.region is not None else None for r in self.rules]
        # Rules naming customers are found through the customer; the others through the
        # (activity, region) they name, None standing for "any". A lookup merges at most five
        # short sorted lists and stops at the first rule that matches.
        self._by_customer: dict[str, list[int]] = {}
        self._generic: dict[tuple[str | None, str | None], list[int]] = {}
        for index, rule in enumerate(self.rules):
            if rule.customers is not None:
                for cid in rule.customers:
                    self._by_customer.setdefault(cid, []).append(index)
                continue
            for act in rule.activity if rule.activity is not None else [None]:
                for region in rule.region if rule.region is not None else [None]:
                    self._generic.setdefault((act, region), []).append(index)
        self._owners = [
            Owners(tuple(rule.members), rule.is_pool, index, rule.pool_shares)
            for index, rule in enumerate(self.rules)
        ]
        self._cache: dict[tuple[str, str], int | None] = {}
        self._customers = {c.id: c for c in org.customers}

    def _matches(self, index: int, customer: Customer, activity: str) -> bool:
        activities = self._activity_sets[index]
        if activities is not None and activity not in activities:
            return False
        regions = self._region_sets[index]
        return regions is None or customer.region in regions

    def rule_for(self, customer_id: str, activity: str) -> int | None:
        """Index of the first rule matching (customer, activity), or ``None``."""
        key = (customer_id, activity)
        if key in self._cache:
            return self._cache[key]
        customer = self._customers[customer_id]
        region = customer.region
        buckets = [self._by_customer.get(customer_id, ())]
        buckets.append(self._generic.get((activity, None), ()))
        buckets.append(self._generic.get((None, None), ()))
        if region is not None:
            buckets.append(self._generic.get((activity, region), ()))
            buckets.append(self._generic.get((None, region), ()))
        # The first matching rule of each sorted bucket; the lowest of those wins.
        found: int | None = None
        for bucket in buckets:
            for index in bucket:
                if found is not None and index >= found:
                    break
                if self._matches(index, customer, activity):
                    found = index
                    break
        self._cache[key] = found
        return found

    def owners(self, customer_id: str, activity: str) -> Owners | None:
        index = self.rule_for(customer_id, activity)
        return None if index is None else self._owners[index]
