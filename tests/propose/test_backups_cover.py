"""Issue 15: backups are chosen on the load while covering, before the home region."""

from __future__ import annotations

import pytest

from orgflow.loader import load_text
from orgflow.office import resolve
from orgflow.propose.plan import ProposeOptions, propose

# ann and bob in the north, cy in the south; 40 h each, never away; x 20 h/week (ann's
# today), y 10 h (bob's), z 2 h (cy's).
OFFICE = resolve(
    load_text(
        """\
version: 1
people:
  - {id: ann, skills: [a], region: north}
  - {id: bob, skills: [a], region: north}
  - {id: cy, skills: [a], region: south}
activities: [{id: a, effort: 1h, customer_facing: true}]
processes: [{id: p, steps: [a]}]
customers:
  - {id: x, demand: {p: 20/week}}
  - {id: y, demand: {p: 10/week}}
  - {id: z, demand: {p: 2/week}}
assignments:
  - {customers: [x], people: [ann]}
  - {customers: [y], people: [bob]}
  - {customers: [z], people: [cy]}
"""
    )
)


def test_the_backup_with_the_lowest_load_while_covering_wins_over_the_home_region() -> None:
    # Each customer stays with its owner: x alone sets the highest, 20 / 40 = 50%, and any
    # two together would raise the spread (20, 12, 0 against 20, 10, 2). Backups, busiest
    # primary first (nobody is away: the expected cover adds nothing):
    # ann (20 h): bob would carry (10 + 20) / 40 = 75% while covering, cy (2 + 20) / 40 =
    #   55%: cy, though bob shares ann's region;
    # bob (10 h): ann (20 + 10) / 40 = 75%, cy (2 + 10) / 40 = 30%: cy;
    # cy (2 h): ann (20 + 2) / 40 = 55%, bob (10 + 2) / 40 = 30%: bob.
    p = propose(OFFICE, ProposeOptions())
    assert p.primary_of == {"x": "ann", "y": "bob", "z": "cy"}
    covers = {b.primary: (b.backups, b.cover_utilization) for b in p.backups}
    assert covers == {
        "ann": (("cy",), pytest.approx(0.55)),
        "bob": (("cy",), pytest.approx(0.30)),
        "cy": (("bob",), pytest.approx(0.30)),
    }
