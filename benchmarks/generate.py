"""Generate a realistic org file of any size, deterministically from a seed.

The office has regions of back-office people organised in three ways, a specialist desk that
issues test certificates, and a central desk for the customers that have no region:

- serial regions: one desk per activity group (a pool when the desk has two or more people,
  else a person with a backup from another desk), the article's serial office;
- by-customer regions: each person handles their own customers from A to Z, with the next
  colleague of the region as backup (the article's parallel office);
- area regions: the whole region is one pool sharing one queue (parallel by area).

Demand is calibrated with the same workload model as ``orgflow.analysis.workload`` (chain and
pool shares), so that utilizations are realistic: most people between 0.4 and 0.85, nobody at
or above 0.85. Usage::

    python benchmarks/generate.py --people 10000 --seed 1 -o office.yaml
    python benchmarks/generate.py --people 40 --customers 200 --seed 7 -o samples/large-office.yaml

The YAML is written with a plain string builder, one flow-style line per entry, so a 10,000
person office (100,000 customers) takes about a second and 10 MiB.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Customers per person when ``--customers`` is not given.
CUSTOMERS_PER_PERSON = 10
#: Share of people who are certificate specialists, and who staff the central desk.
SPECIALIST_SHARE = 0.025
CENTRAL_SHARE = 0.02
#: Back-office people per region, on average.
REGION_SIZE = 10
#: Highest utilization the calibration aims at (each unit draws its own, up to this).
MAX_TARGET = 0.84
SPECIALIST_TARGET = 0.8
WEEKS_PER_MONTH = 52 / 12
AREAS = ("north", "south", "east", "west", "centre")

BACK_OFFICE_SKILLS = ("intake", "quotation", "order_entry", "scheduling", "dispatch", "invoicing")

#: (id, rest of the flow-style entry, mean hours, skill). Means follow orgflow.model: PERT
#: (min + 4 likely + max) / 6, lognormal and exponential their mean, fixed the value.
ACTIVITIES: tuple[tuple[str, str, float, str], ...] = (
    (
        "intake",
        "name: Receive and log the request, effort: 30m, customer_facing: true",
        0.5,
        "intake",
    ),
    (
        "quotation",
        "name: Prepare the quotation, effort: {min: 30m, likely: 1h, max: 3h}, "
        "customer_facing: true",
        1.25,
        "quotation",
    ),
    (
        "order_entry",
        "name: Enter the order, effort: {dist: exponential, mean: 1h}",
        1.0,
        "order_entry",
    ),
    ("scheduling", "name: Plan production, effort: {mean: 1.5h, cv: 0.6}", 1.5, "scheduling"),
    (
        "confirmation",
        "name: Confirm the order, effort: 30m, skill: order_entry, customer_facing: true",
        0.5,
        "order_entry",
    ),
    (
        "dispatch",
        "name: Organise the shipment, effort: {mean: 1h, cv: 0.5}, customer_facing: true",
        1.0,
        "dispatch",
    ),
    (
        "certificates",
        "name: Issue test certificates, effort: {min: 30m, likely: 45m, max: 2h}, specialist: true",
        0.9166666666666666,
        "certificates",
    ),
    ("invoicing", "name: Invoice, effort: {dist: exponential, mean: 30m}", 0.5, "invoicing"),
)
MEAN_HOURS = {a[0]: a[2] for a in ACTIVITIES}
SKILL = {a[0]: a[3] for a in ACTIVITIES}
SKILL_ORDER = tuple(dict.fromkeys(SKILL.values()))

ORDER_TO_CASH = "order_to_cash"
CERTIFIED = "certified_reorder"
#: Activities each process visits (for the workload model), and its YAML.
PROCESS_ACTIVITIES = {
    ORDER_TO_CASH: (
        "intake",
        "quotation",
        "order_entry",
        "scheduling",
        "confirmation",
        "dispatch",
        "invoicing",
    ),
    CERTIFIED: ("intake", "order_entry", "certificates", "dispatch", "invoicing"),
}
PROCESSES_YAML = """\
processes:
  - id: order_to_cash
    name: From request to invoice (scheduling and confirmation run in parallel)
    steps:
      - intake
      - quotation
      - order_entry
      - {activity: scheduling, after: [order_entry]}
      - {activity: confirmation, after: [order_entry]}
      - {activity: dispatch, after: [scheduling, confirmation]}
      - invoicing
  - id: certified_reorder
    name: A repeat order shipped with test certificates
    steps: [intake, order_entry, certificates, dispatch, invoicing]
"""

#: Serial desks: the activities one desk does.
DESKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("admin", ("intake", "invoicing")),
    ("quotation", ("quotation",)),
    ("orders", ("order_entry", "confirmation")),
    ("planning", ("scheduling",)),
    ("shipping", ("dispatch",)),
)

FIRST_NAMES = (  # noqa: SIM905 (a paragraph of names reads better than a column)
    "Alessandro Alice Andrea Anna Antonio Beatrice Carla Chiara Claudio Cristina Daniele Davide "
    "Elena Elisa Emma Enrico Fabio Federica Francesca Francesco Gabriele Giorgia Giovanni Giulia "
    "Giuseppe Ilaria Laura Leonardo Lorenzo Luca Lucia Marco Maria Martina Matteo Michela Nicola "
    "Paola Paolo Pietro Roberta Roberto Sandro Sara Silvia Simone Sofia Stefano Valentina "
    "Vittoria"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Barbieri Bassi Benedetti Bernardi Bianchi Bruno Caruso Colombo Conti Costa D'Angelo De_Luca "
    "Esposito Fabbri Farina Ferrara Ferrari Ferri Fontana Galli Gallo Gentile Giordano Greco "
    "Leone Lombardi Longo Mancini Marini Marino Martini Mazza Moretti Palumbo Pellegrini Riva "
    "Rinaldi Rizzi Romano Rossi Russo Santoro Serra Testa Valentini Villa Vitale"
).split()
PART_TIME = (("30h/week", 30.0), ("24h/week", 24.0), ("20h/week", 20.0), ("6h/day", 30.0))

Owners = tuple[tuple[str, ...], bool]  # (members, is a pool)


@dataclass
class Person:
    id: str
    name: str
    availability: float
    hours: float  # capacity, hours per week when present
    capacity: str | None  # as written; None: the office week
    region: str | None = None
    skills: list[str] = field(default_factory=list)

    @property
    def available_hours(self) -> float:
        return self.hours * self.availability

    def learn(self, skills: Sequence[str]) -> None:
        known = set(self.skills) | set(skills)
        self.skills = [s for s in SKILL_ORDER if s in known]


@dataclass
class Customer:
    id: str
    region: str | None
    rates: dict[str, float]  # process -> requests per week


@dataclass
class Unit:
    """A group of people that serves a group of customers (a region, or the central desk)."""

    kind: str  # "serial", "customer", "area" or "central"
    region: str | None
    people: list[Person]
    target: float
    customers: list[Customer] = field(default_factory=list)
    desk_owners: dict[str, Owners] = field(default_factory=dict)  # activity -> owners
    customer_owner: dict[str, Owners] = field(default_factory=dict)  # customer id -> owners
    rules: list[str] = field(default_factory=list)

    def owners(self, customer: Customer, activity: str) -> Owners:
        if self.kind == "customer" and activity != "certificates":
            return self.customer_owner[customer.id]
        return self.desk_owners[activity]


@dataclass
class Office:
    """A generated office: the YAML text and what the generator expects orgflow to find."""

    text: str
    people: int
    customers: int
    regions: dict[str, int]  # kind -> count
    utilization: dict[str, float]  # person -> expected utilization


def member_shares(owners: Owners, people: dict[str, Person]) -> list[tuple[str, float]]:
    """Share of a step's work each owner does, as ``orgflow.analysis.workload.member_shares``.

    >>> ppl = {"a": Person("a", "A", 0.9, 40, None), "b": Person("b", "B", 0.8, 40, None)}
    >>> [(p, round(s, 3)) for p, s in member_shares((("a", "b"), False), ppl)]
    [('a', 0.92), ('b', 0.08)]
    """
    members, pool = owners
    if pool:
        weights = [(p, people[p].available_hours) for p in members]
        total = sum(w for _, w in weights)
        return [(p, w / total) for p, w in weights]
    shares: list[tuple[str, float]] = []
    all_away = 1.0
    for p in members:
        a = people[p].availability
        shares.append((p, all_away * a))
        all_away *= 1 - a
    shares[0] = (shares[0][0], shares[0][1] + all_away)
    return shares


class _Loads:
    """Expected hours per week per person, with the chain and pool shares of orgflow."""

    def __init__(self, people: dict[str, Person]) -> None:
        self.people = people
        self._shares: dict[Owners, list[tuple[str, float]]] = {}

    def shares(self, owners: Owners) -> list[tuple[str, float]]:
        found = self._shares.get(owners)
        if found is None:
            found = self._shares[owners] = member_shares(owners, self.people)
        return found

    def add(self, out: dict[str, float], owners: Owners, hours: float) -> None:
        for person, share in self.shares(owners):
            out[person] = out.get(person, 0.0) + hours * share


def _pick_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (id, name) pairs, e.g. ``("giulia.bianchi-2", "Giulia Bianchi")``."""
    seen: dict[str, int] = {}
    out: list[tuple[str, str]] = []
    for _ in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = f"{first}.{last}".lower().replace("'", "")
        seen[base] = seen.get(base, 0) + 1
        ident = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append((ident, f"{first} {last.replace('_', ' ')}"))
    return out


def _make_people(rng: random.Random, count: int) -> list[Person]:
    people = []
    for ident, name in _pick_names(rng, count):
        availability = round(rng.uniform(0.82, 0.95), 2)
        if rng.random() < 0.15:
            capacity, hours = rng.choice(PART_TIME)
            people.append(Person(ident, name, availability, hours, capacity))
        else:
            people.append(Person(ident, name, availability, 40.0, None))
    return people


def _region_sizes(rng: random.Random, total: int) -> list[int]:
    """Split ``total`` people into regions of about REGION_SIZE, none smaller than 6."""
    count = max(1, round(total / REGION_SIZE))
    sizes = [total // count + (1 if i < total % count else 0) for i in range(count)]
    for _ in range(count):
        i, j = rng.randrange(count), rng.randrange(count)
        move = rng.randint(1, 3)
        if i != j and sizes[i] - move >= 6:
            sizes[i] -= move
            sizes[j] += move
    return sizes


def _region_name(index: int, count: int) -> str:
    area = AREAS[index % len(AREAS)]
    return area if count <= len(AREAS) else f"{area}-{index // len(AREAS) + 1:03d}"


def _split(total: int, weights: Sequence[float], minimums: Sequence[int]) -> list[int]:
    """Largest-remainder split of ``total`` in proportion to ``weights``, each at least its
    minimum.

    >>> _split(10, [1.0, 1.0, 2.0], [1, 1, 1])
    [3, 3, 4]
    """
    spare = total - sum(minimums)
    wsum = sum(weights)
    exact = [spare * w / wsum for w in weights]
    counts = [math.floor(e) for e in exact]
    order = sorted(range(len(weights)), key=lambda i: counts[i] - exact[i])
    for i in order[: spare - sum(counts)]:
        counts[i] += 1
    return [c + m for c, m in zip(counts, minimums, strict=True)]


def _raw_demand(rng: random.Random, ident: str, region: str | None, both: bool) -> Customer:
    """A customer with demand in relative units: order_to_cash and, for some, certified orders."""
    weight = min(max(rng.lognormvariate(0.0, 0.6), 0.25), 4.0)
    rates: dict[str, float] = {}
    kind = rng.random()
    if both or kind < 0.25:
        rates = {ORDER_TO_CASH: weight, CERTIFIED: weight * rng.uniform(0.3, 1.0)}
    elif kind < 0.30:
        rates = {CERTIFIED: weight}
    else:
        rates = {ORDER_TO_CASH: weight}
    return Customer(ident, region, rates)


def _back_office_hours(customer: Customer) -> float:
    return sum(
        rate * MEAN_HOURS[a]
        for process, rate in customer.rates.items()
        for a in PROCESS_ACTIVITIES[process]
        if a != "certificates"
    )


def _owners_text(owners: Owners) -> str:
    members, pool = owners
    return f"{'pool' if pool else 'people'}: [{', '.join(members)}]"


def _build_serial(unit: Unit) -> None:
    """One desk per activity group, staffed in proportion to the desk's hours."""
    desk_hours = [
        sum(
            rate * MEAN_HOURS[a]
            for c in unit.customers
            for process, rate in c.rates.items()
            for a in PROCESS_ACTIVITIES[process]
            if a in acts
        )
        for _, acts in DESKS
    ]
    staff: list[list[Person]] = [[] for _ in DESKS]
    people = sorted(unit.people, key=lambda p: -p.available_hours)
    by_hours = sorted(range(len(DESKS)), key=lambda d: -desk_hours[d])
    for d, person in zip(by_hours, people, strict=False):
        staff[d].append(person)
    for person in people[len(DESKS) :]:
        d = max(
            range(len(DESKS)),
            key=lambda d: desk_hours[d] / sum(p.available_hours for p in staff[d]),
        )
        staff[d].append(person)
    # A one-person desk's backup: people of the shared desks in turn (else the next desk's).
    spares = [p for d in staff if len(d) >= 2 for p in d]
    for d, (desk, acts) in enumerate(DESKS):
        skills = sorted({SKILL[a] for a in acts})
        for person in staff[d]:
            person.learn(skills)
        if len(staff[d]) >= 2:
            owners: Owners = (tuple(p.id for p in staff[d]), True)
        else:
            backup = spares.pop(0) if spares else staff[(d + 1) % len(DESKS)][0]
            backup.learn(skills)
            owners = ((staff[d][0].id, backup.id), False)
        for a in acts:
            unit.desk_owners[a] = owners
        unit.rules.append(
            f"{{name: {unit.region} {desk} desk, region: {unit.region}, "
            f"activity: [{', '.join(acts)}], {_owners_text(owners)}}}"
        )


def _build_by_customer(unit: Unit, rng: random.Random) -> None:
    """Each person owns some customers from A to Z; the next colleague is the backup."""
    people = unit.people
    for person in people:
        person.learn(BACK_OFFICE_SKILLS)
    counts = _split(len(unit.customers), [p.available_hours for p in people], [1] * len(people))
    start = 0
    for i, (person, count) in enumerate(zip(people, counts, strict=True)):
        mine = unit.customers[start : start + count]
        start += count
        backup = people[(i + 1) % len(people)]
        owners: Owners = ((person.id, backup.id), False)
        # Aim each person at their own utilization; the unit is calibrated afterwards.
        target = rng.uniform(0.5, 0.85) * person.available_hours
        hours = sum(_back_office_hours(c) for c in mine)
        for c in mine:
            c.rates = {k: v * target / hours for k, v in c.rates.items()}
            unit.customer_owner[c.id] = owners
        ids = ", ".join(c.id for c in mine)
        unit.rules.append(f"{{customers: [{ids}], {_owners_text(owners)}}}")


def _build_pool(unit: Unit, name: str, selector: str, backup: Person) -> None:
    """The whole unit shares one queue; a unit of one person gets ``backup`` as backup.
    ``selector`` is the rule's ``region:`` or ``customers:``, or empty for a catch-all."""
    for person in unit.people:
        person.learn(BACK_OFFICE_SKILLS)
    if len(unit.people) >= 2:
        owners: Owners = (tuple(p.id for p in unit.people), True)
    else:
        backup.learn(BACK_OFFICE_SKILLS)
        owners = ((unit.people[0].id, backup.id), False)
    for a in MEAN_HOURS:
        if a != "certificates":
            unit.desk_owners[a] = owners
    where = f"{selector}, " if selector else ""
    unit.rules.append(f"{{name: {name}, {where}{_owners_text(owners)}}}")


def _calibrate(units: list[Unit], loads: _Loads) -> None:
    """Scale each unit's demand so its busiest person sits at the unit's target utilization.

    Loads are linear in the rates, so with the hours a person gets from other units fixed,
    the factor is min over the unit's people of (target * available - fixed) / own hours.
    """
    contrib: list[dict[str, float]] = []
    for unit in units:
        out: dict[str, float] = {}
        for c in unit.customers:
            for process, rate in c.rates.items():
                for a in PROCESS_ACTIVITIES[process]:
                    if a != "certificates":
                        loads.add(out, unit.owners(c, a), rate * MEAN_HOURS[a])
        contrib.append(out)
    total: dict[str, float] = {}
    for out in contrib:
        for p, h in out.items():
            total[p] = total.get(p, 0.0) + h
    for unit, out in zip(units, contrib, strict=True):
        factor = min(
            (unit.target * loads.people[p].available_hours - (total[p] - h)) / h
            for p, h in out.items()
            if h > 0
        )
        for c in unit.customers:
            c.rates = {k: v * factor for k, v in c.rates.items()}
        for p, h in out.items():
            total[p] += h * (factor - 1)
            out[p] = h * factor


def _format_rate(per_week: float) -> str:
    """Three significant digits, per week from 1/week up, else per month; never exponents."""
    value, period = (per_week, "week") if per_week >= 1 else (per_week * WEEKS_PER_MONTH, "month")
    value = max(value, 0.001)
    decimals = max(0, 2 - math.floor(math.log10(value)))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}/{period}"


def _parse_rate(text: str) -> float:
    amount, period = text.split("/")
    return float(amount) / (WEEKS_PER_MONTH if period == "month" else 1.0)


def _assign_customers(rng: random.Random, units: list[Unit], n_customers: int) -> None:
    """Customers in proportion to each unit's capacity, with raw demand. Each unit's first
    customer orders both processes, so that every desk and certificates rule has work."""
    counts = _split(
        n_customers,
        [sum(p.available_hours for p in u.people) for u in units],
        [len(u.people) if u.kind == "customer" else 1 for u in units],
    )
    width = len(str(n_customers))
    number = 0
    for unit, count in zip(units, counts, strict=True):
        for k in range(count):
            number += 1
            unit.customers.append(_raw_demand(rng, f"c{number:0{width}d}", unit.region, k == 0))


def _specialist_desks(specialists: list[Person], units: list[Unit]) -> list[str]:
    """Teams of about four specialists, each serving some regions; the last team has no
    region selector, so it also takes the customers without a region. A team that would be
    too busy gets fewer certified orders. Returns the rules."""
    for p in specialists:
        p.learn(["certificates"])
    n_teams = max(1, round(len(specialists) / 4))
    teams = [specialists[t::n_teams] for t in range(n_teams)]
    capacity = [sum(p.available_hours for p in team) for team in teams]
    served: list[list[Unit]] = [[] for _ in teams]
    requests = [0.0] * n_teams

    def certified(unit: Unit) -> float:
        return sum(c.rates.get(CERTIFIED, 0.0) for c in unit.customers)

    for unit in units:
        if unit.kind == "central":
            served[-1].append(unit)
            requests[-1] += certified(unit)
    for unit in sorted((u for u in units if u.kind != "central"), key=lambda u: -certified(u)):
        t = min(range(n_teams), key=lambda t: requests[t] / capacity[t])
        served[t].append(unit)
        requests[t] += certified(unit)
    rules: list[str] = []
    for t, team in enumerate(teams):
        owners: Owners = (tuple(p.id for p in team), len(team) >= 2)
        # One person does all the work; a pool shares it in proportion to available hours.
        utilization = requests[t] * MEAN_HOURS["certificates"] / capacity[t]
        factor = min(1.0, SPECIALIST_TARGET / utilization) if utilization else 1.0
        for unit in served[t]:
            unit.desk_owners["certificates"] = owners
            for c in unit.customers:
                if CERTIFIED in c.rates:
                    c.rates[CERTIFIED] *= factor
        if t < n_teams - 1:
            regions = ", ".join(sorted(u.region or "" for u in served[t]))
            rules.append(
                f"{{name: Certificates team {t + 1}, activity: certificates, "
                f"region: [{regions}], {_owners_text(owners)}}}"
            )
        else:
            name = "Certificates" if n_teams == 1 else f"Certificates team {t + 1} (all others)"
            rules.append(f"{{name: {name}, activity: certificates, {_owners_text(owners)}}}")
    return rules


def generate(people: int, seed: int = 1, customers: int | None = None) -> Office:
    """Generate an office of ``people`` people and ``customers`` customers (default 10 each).

    >>> office = generate(12, seed=3, customers=60)
    >>> office.people, office.customers, max(office.utilization.values()) < 0.85
    (12, 60, True)
    """
    n_customers = CUSTOMERS_PER_PERSON * people if customers is None else customers
    if people < 10:
        raise ValueError("--people must be at least 10")
    if n_customers < people:
        raise ValueError("--customers must be at least --people (one customer per person)")
    rng = random.Random(seed)
    everyone = _make_people(rng, people)
    n_spec = max(1, round(people * SPECIALIST_SHARE))
    n_central = max(1, round(people * CENTRAL_SHARE))
    specialists = everyone[:n_spec]
    central = everyone[n_spec : n_spec + n_central]
    back_office = everyone[n_spec + n_central :]

    # Regions and how each is organised: the first three show each kind, then a random mix.
    sizes = _region_sizes(rng, len(back_office))
    units: list[Unit] = []
    start = 0
    for i, size in enumerate(sizes):
        region = _region_name(i, len(sizes))
        if i < 3:
            kind = ("serial", "customer", "area")[i]
        else:
            kind = rng.choices(("serial", "customer", "area"), weights=(35, 45, 20))[0]
        members = back_office[start : start + size]
        start += size
        for p in members:
            p.region = region
        units.append(Unit(kind, region, members, rng.uniform(0.76, MAX_TARGET)))
    # The central desk: teams of about eight, each a pool for its own list of customers; the
    # last team's rule has no selector at all and closes the assignments.
    n_desks = math.ceil(n_central / 8)
    for t in range(n_desks):
        units.append(Unit("central", None, central[t::n_desks], rng.uniform(0.76, MAX_TARGET)))

    _assign_customers(rng, units, n_customers)
    for unit in units:
        if unit.kind == "serial":
            _build_serial(unit)
        elif unit.kind == "customer":
            _build_by_customer(unit, rng)
        elif unit.kind == "area":
            _build_pool(unit, f"{unit.region} area team", f"region: {unit.region}", back_office[0])
        elif unit is not units[-1]:
            ids = ", ".join(c.id for c in unit.customers)
            name = f"Central desk team {units.index(unit) - len(sizes) + 1}"
            _build_pool(unit, name, f"customers: [{ids}]", back_office[0])
        else:
            _build_pool(unit, "Central desk (every other customer and step)", "", back_office[0])
        if unit.kind != "customer":  # raw demand to about 70% busy before calibrating
            hours = sum(_back_office_hours(c) for c in unit.customers)
            factor = 0.7 * sum(p.available_hours for p in unit.people) / hours
            for c in unit.customers:
                c.rates = {k: v * factor for k, v in c.rates.items()}
    loads = _Loads({p.id: p for p in everyone})
    _calibrate(units, loads)
    spec_rules = _specialist_desks(specialists, units)

    # Rates as written, then the expected utilization from the rates as written.
    written: dict[str, dict[str, str]] = {}
    load: dict[str, float] = {}
    for unit in units:
        for c in unit.customers:
            written[c.id] = {k: _format_rate(v) for k, v in c.rates.items()}
            for process, text in written[c.id].items():
                rate = _parse_rate(text)
                for a in PROCESS_ACTIVITIES[process]:
                    loads.add(load, unit.owners(c, a), rate * MEAN_HOURS[a])
    utilization = {p.id: load.get(p.id, 0.0) / p.available_hours for p in everyone}

    kinds: dict[str, int] = {}
    for unit in units:
        if unit.kind != "central":
            kinds[unit.kind] = kinds.get(unit.kind, 0) + 1
    text = _render(
        everyone,
        units,
        spec_rules,
        written,
        utilization,
        kinds,
        (people, n_customers, seed, customers is not None, len(specialists), len(central)),
    )
    return Office(text, people, n_customers, kinds, utilization)


def _render(
    everyone: list[Person],
    units: list[Unit],
    spec_rules: list[str],
    written: dict[str, dict[str, str]],
    utilization: dict[str, float],
    kinds: dict[str, int],
    sizes: tuple[int, int, int, bool, int, int],
) -> str:
    n_people, n_customers, seed, explicit, n_spec, n_central = sizes
    utils = sorted(utilization.values())
    in_band = sum(1 for u in utils if 0.4 <= u <= 0.85) / len(utils)
    command = f"--people {n_people}" + (f" --customers {n_customers}" if explicit else "")
    desc = {
        "serial": "serial (one desk per activity group)",
        "customer": "parallel by customer (A to Z, with a backup)",
        "area": "parallel by area (one pool)",
    }
    lines = [
        f"# Generated by: python benchmarks/generate.py {command} --seed {seed}",
        "# A synthetic office for tests and benchmarks; regenerate it rather than edit it.",
        f"# {n_people} people: {n_people - n_spec - n_central} back-office people in "
        f"{sum(kinds.values())} regions,",
        f"#   {n_spec} certificate specialist{'s' if n_spec > 1 else ''}, {n_central} at the "
        "central desk.",
        f"# {n_customers} customers: {n_customers / n_people:g} per person"
        + (" (set by --customers; the default is 10)" if explicit else "")
        + ".",
        "# 2 processes: order_to_cash (with parallel branches) and certified_reorder.",
        "# Regions:",
        *(f"#   {kinds[k]} {desc[k]}" for k in desc if k in kinds),
        "# Assignment rules, first match wins: certificates teams (the last one without a",
        "#   region selector, so every certified order is covered), then each region's rules,",
        "#   then the catch-all: the central desk takes every other (customer, step), such as",
        "#   the customers without a region.",
        f"# Expected utilization: min {utils[0]:.2f}, median {statistics.median(utils):.2f}, "
        f"max {utils[-1]:.2f};",
        f"#   {in_band:.0%} of people between 0.40 and 0.85.",
        "version: 1",
        "org:",
        f"  name: Generated office ({n_people} people, seed {seed})",
        "  hours_per_day: 8",
        "  days_per_week: 5",
        "  handoff_delay: 2h",
        "  absence_spell: 3d",
        "",
        "people:",
    ]
    for p in everyone:
        parts = [f"id: {p.id}", f"name: {p.name}", f"skills: [{', '.join(p.skills)}]"]
        if p.capacity is not None:
            parts.append(f"capacity: {p.capacity}")
        parts.append(f"availability: {p.availability:g}")
        if p.region is not None:
            parts.append(f"region: {p.region}")
        lines.append(f"  - {{{', '.join(parts)}}}")
    lines += ["", "activities:"]
    lines += [f"  - {{id: {a}, {rest}}}" for a, rest, _, _ in ACTIVITIES]
    lines += ["", PROCESSES_YAML.rstrip("\n"), "", "customers:"]
    for unit in units:
        for c in unit.customers:
            demand = ", ".join(f"{k}: {v}" for k, v in written[c.id].items())
            where = f"region: {c.region}, " if c.region is not None else ""
            lines.append(f"  - {{id: {c.id}, {where}demand: {{{demand}}}}}")
    lines += ["", "assignments:"]
    lines += [f"  - {rule}" for rule in spec_rules]
    for unit in units:
        lines += [f"  - {rule}" for rule in unit.rules]
    return "\n".join(lines) + "\n"


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.1f} MiB" if n_bytes >= 2**20 else f"{n_bytes / 2**10:.0f} KiB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, required=True, help="number of people (>= 10)")
    parser.add_argument(
        "--customers",
        type=int,
        default=None,
        help=f"number of customers (default {CUSTOMERS_PER_PERSON} per person)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "-o", "--output", type=Path, default=None, help="file to write (default: standard output)"
    )
    args = parser.parse_args(argv)
    try:
        office = generate(args.people, args.seed, args.customers)
    except ValueError as exc:
        parser.error(str(exc))
    if args.output is None:
        sys.stdout.write(office.text)
    else:
        args.output.write_text(office.text, encoding="utf-8")
        utils = office.utilization.values()
        print(
            f"{args.output}: {office.people} people, {office.customers} customers, "
            f"{_size(len(office.text))}, max utilization {max(utils):.2f}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
