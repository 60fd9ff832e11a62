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


def _ids(text: str) -> list[str]:
    """``Anna, Ben Rossi`` -> ``["anna", "ben_rossi"]``: ids from names typed at a prompt."""
    import re

    out: list[str] = []
    for part in text.split(","):
        ident = re.sub(r"[^a-z0-9._-]+", "_", part.strip().lower()).strip("_")
        if ident and ident not in out:
            out.append(ident)
    return out


def custom_starter(file: str, name: str, people: str, steps: str) -> str:
    """A starter office in series from answers: the office's name, the people (comma-separated)
    and the steps of a request in order; each step is one person's desk, taken in turn."""
    import json

    who = _ids(people) or ["anna", "ben", "chiara"]
    names = {i: n.strip() for i, n in zip(_ids(people), people.split(","), strict=False)}
    acts = _ids(steps) or ["intake", "quotation", "order_entry"]
    skills: dict[str, list[str]] = {p: [] for p in who}
    owner = {a: who[i % len(who)] for i, a in enumerate(acts)}
    for a, p in owner.items():
        skills[p].append(a)
    lines = [
        f"# An org file for orgflow: edit it, then run `orgflow analyze {file}`.",
        '# Every key is explained in the README ("The org file").',
        "version: 1",
        "org:",
        f"  name: {json.dumps(name)}",
        "  handoff_delay: 2h            # an item waits this long in the next person's inbox",
        "  absence_spell: 2d            # absences come in spells of about this length",
        "",
        "people:                        # availability: the share of working time present",
    ]
    lines += [
        f"  - {{id: {p}, name: {json.dumps(names.get(p, p))}, skills: [{', '.join(skills[p])}], "
        "availability: 0.9}"
        for p in who
    ]
    lines += ["", "activities:                    # effort: the touch time per request"]
    lines += [f"  - {{id: {a}, effort: 1h}}" for a in acts]
    lines[-len(acts)] = lines[-len(acts)].replace("1h}", "1h, customer_facing: true}")
    lines += [
        "",
        "processes:",
        "  - id: request",
        f"    steps: [{', '.join(acts)}]",
        "",
        "customers:                     # who asks, and how often",
        "  - {id: customer_a, demand: {request: 3/week}}",
        "  - {id: customer_b, demand: {request: 2/week}}",
        "",
        "assignments:                   # one desk per step: an office in series",
    ]
    lines += [f"  - {{activity: {a}, people: [{owner[a]}]}}" for a in acts]
    return "\n".join(lines) + "\n"
