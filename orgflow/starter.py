"""The starter org file that ``orgflow init`` writes: a small office in series, commented, valid."""

from __future__ import annotations

STARTER = """\
# An org file for orgflow: edit it, then run `orgflow analyze {file}`.
# Every key is explained in the README ("The org file"); `orgflow schema` gives the JSON Schema.
version: 1                     # the format version: always 1
org:
  name: {name}
  hours_per_day: 8             # the working calendar: every figure is in working time
  days_per_week: 5
  handoff_delay: 2h            # an item waits this long in the next person's inbox
  absence_spell: 2d            # holidays and sick days come in spells of about this length

people:                        # who works here, their skills, and how often they are present
  - id: anna
    skills: [intake]
    availability: 0.9          # a share: present 90% of working time
  - id: ben
    skills: [quotation]
    availability: 0.9
  - id: chiara
    skills: [order_entry]
    availability: 0.9
    capacity: 20h/week         # a part-timer: 20 hours a week when present

activities:                    # the work, with its touch time per request
  - {{id: intake, name: Receive the request, effort: 30m, customer_facing: true}}
  - {{id: quotation, name: Prepare the quotation, effort: {{min: 30m, likely: 1h, max: 3h}},
     customer_facing: true}}
  - {{id: order_entry, name: Enter the order, effort: 1h}}

processes:                     # the steps a request goes through, in order
  - id: order_to_cash
    steps: [intake, quotation, order_entry]

customers:                     # who asks, and how often
  - {{id: acme, region: north, demand: {{order_to_cash: 3/week}}}}
  - {{id: globex, region: south, demand: {{order_to_cash: 2/week}}}}

assignments:                   # who does what; the first rule that matches wins
  - {{activity: intake, people: [anna]}}          # one desk per activity: an office in series
  - {{activity: quotation, people: [ben]}}
  - {{activity: order_entry, people: [chiara]}}
  # In parallel instead: one person A to Z per customer, a colleague as backup:
  # - {{customers: [acme], people: [anna, ben]}}
  # - {{customers: [globex], people: [ben, anna]}}
"""


def starter(file: str = "org.yaml", name: str = "My back office") -> str:
    """The starter file's text, naming itself ``file`` in its first comment."""
    return STARTER.format(file=file, name=name)
