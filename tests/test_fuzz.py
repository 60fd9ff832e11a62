"""Property-based fuzzing of the way in: any text is either refused with clean diagnostics whose
line is inside the file, or loaded into an org whose analysis has no NaN and whose JSON and
Markdown reports are finite and escaped. Never another exception (issue 11).

Two sources of input, both derandomized so that CI runs the same examples every time:

- structure-aware: org files built from the format's own pieces (ids, durations, rates,
  capacities, efforts of every distribution, processes with ``after``, rules with people and
  pools), with numbers drawn across the whole float range and extreme values;
- text mutations of the samples and the valid test files: deleted and duplicated spans, hostile
  snippets (NUL, aliases, tags, line separators, huge and tiny numbers, far dates) inserted
  anywhere, lines swapped.

``benchmarks/fuzz.py`` runs the same properties with a large budget (e.g. 100,000 examples).
"""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgflow import load_text
from orgflow.analysis.summary import analyze
from orgflow.diagnostics import OrgFileError
from orgflow.render.json import render as render_json
from orgflow.render.markdown import render as render_markdown

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [
    ROOT / "samples" / "serial.yaml",
    ROOT / "samples" / "parallel-by-customer.yaml",
    ROOT / "samples" / "parallel-by-region.yaml",
    *(
        ROOT / "tests" / "data" / "valid" / name
        for name in (
            "crlf.yaml",
            "full-format.yaml",
            "merge-keys.yaml",
            "minimal.yaml",
            "warnings.yaml",
            "yaml11-values.yaml",
        )
    ),
]
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]

#: Examples per CI run: structure-aware + text mutations = 2,000 (about 30 s of CPU here).
STRUCTURED_EXAMPLES = 1100
MUTATED_EXAMPLES = 900

# --- the property ----------------------------------------------------------------------------


def _no_nan(value: Any, seen: set[int] | None = None, depth: int = 0) -> bool:
    """No NaN anywhere in an analysis result (infinity stands for "unbounded" by design)."""
    seen = set() if seen is None else seen
    if isinstance(value, float):
        return not math.isnan(value)
    if depth > 12 or id(value) in seen:
        return True
    if isinstance(value, dict):
        seen.add(id(value))
        return all(_no_nan(v, seen, depth + 1) for v in value.values())
    if isinstance(value, list | tuple):
        seen.add(id(value))
        return all(_no_nan(v, seen, depth + 1) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        seen.add(id(value))
        return all(
            _no_nan(getattr(value, f.name), seen, depth + 1)
            for f in fields(value)
            if f.name not in ("model",)  # the analysis model holds the org and graphs
        )
    return True


def check_text(text: str) -> str:
    """The property for one input; returns ``"refused"`` or ``"loaded"``."""
    lines = text.count("\n") + text.count("\r") + 2  # any line break YAML may count, + 1
    try:
        org = load_text(text, "fuzz.yaml")
    except OrgFileError as exc:
        refused = exc
    else:
        refused = None
    if refused is not None:
        assert refused.diagnostics, "an OrgFileError without diagnostics"
        for d in refused.diagnostics:
            assert 1 <= d.line <= lines, d.format()
            assert d.column >= 1, d.format()
            formatted = d.format()
            assert formatted.count("\n") == (1 if d.hint else 0), formatted
            assert not any(ch in formatted for ch in "\x1b\x00\u2028\u2029\r"), formatted
        return "refused"
    analysis = analyze(org)
    assert _no_nan(analysis.summary), analysis.summary
    assert all(_no_nan(r) for r in analysis.routes)
    assert all(_no_nan(p) for p in analysis.people)
    document = render_json(analysis)  # allow_nan=False: a NaN or infinity would raise
    assert "NaN" not in document
    assert "Infinity" not in document
    markdown = render_markdown(analysis)
    assert "\x1b" not in markdown
    assert "\x00" not in markdown
    return "loaded"


# --- structure-aware strategies -----------------------------------------------------------------


def _mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``good`` 9 times in 10, else ``bad``: most files get far enough to be analyzed.
    (Hypothesis favours the bounds of a range, so "bad" is a band in the middle of it.)"""
    return st.integers(min_value=0, max_value=99).flatmap(lambda k: bad if 40 <= k < 50 else good)


def _ids(*pool: str) -> st.SearchStrategy[str]:
    """Ids of one kind: mostly from a small pool (so references resolve), sometimes anything."""
    return _mostly(
        st.sampled_from(pool),
        st.sampled_from(["no", "yes", "007", "x.1", "y-2", "z_3"])
        | st.from_regex(r"[A-Za-z0-9._-]{1,12}", fullmatch=True),
    )


person_ids = _ids("ann", "bob", "cy")
activity_ids = _ids("a", "b", "c")
process_ids = _ids("p", "q")
customer_ids = _ids("c1", "c2", "c3")
step_ids = _ids("s0", "s1", "s2", "a")
EXTREME = [
    "0",
    "1e-200",
    "5e-324",
    "1e-300",
    "1e-320",
    "1e300",
    "1e200",
    "1" + "0" * 160,
    "0.000001",
    "0.0001",
    "1000000",
    "100000000",
    "nan",
    ".inf",
    "-1",
    "1" * 50,
]
sane = st.sampled_from(["0.5", "0.9", "1", "2", "3", "8", "40", "0.25", "1.5"])
numbers = _mostly(
    sane,
    st.sampled_from(EXTREME)
    | st.sampled_from(EXTREME)
    | st.sampled_from(EXTREME)
    | st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(repr)
    | st.integers(min_value=0, max_value=10**12).map(str)
    | st.decimals(min_value=0, max_value=10**7, places=4).map(str),
)
durations = st.builds(
    lambda n, u: f"{n}{u}",
    numbers,
    _mostly(st.sampled_from(["h", "m", "d", "w"]), st.sampled_from(["min", "x", "", "H"])),
)
rates = st.builds(
    lambda n, p: f"{n}/{p}", numbers, st.sampled_from(["hour", "day", "week", "month", "year"])
)
capacities = st.builds(
    lambda d, p: f"{d}/{p}", durations, st.sampled_from(["day", "week", "month", "year"])
)
SANE_HOURS = ["0", "0.5", "1", "2", "3", "8"]


@st.composite
def ordered(draw: st.DrawFn, names: tuple[str, ...]) -> dict[str, str]:
    """min <= (likely <=) max in one unit, or now and then anything."""
    if draw(_mostly(st.just(True), st.just(False))):
        unit = draw(st.sampled_from(["m", "h", "d"]))
        values = sorted(
            draw(st.lists(st.sampled_from(SANE_HOURS), min_size=3, max_size=3)), key=float
        )
        chosen = [values[0], values[1], values[2]] if len(names) == 3 else [values[0], values[2]]
        return {n: f"{v}{unit}" for n, v in zip(names, chosen, strict=True)}
    return {n: draw(durations) for n in names}


efforts = st.one_of(
    durations,
    st.fixed_dictionaries({"dist": st.just("exponential"), "mean": durations}),
    st.fixed_dictionaries(
        {"mean": durations, "cv": _mostly(st.sampled_from(["0", "0.5", "1", "3"]), numbers)}
    ),
    ordered(("min", "likely", "max")),
    ordered(("min", "likely", "max")).map(lambda d: {"dist": "triangular", **d}),
    ordered(("min", "max")).map(lambda d: {"dist": "uniform", **d}),
)
absences = _mostly(
    st.sampled_from(
        [{"from": "2026-08-03", "to": "2026-08-21"}, {"from": "2026-01-05", "to": "2026-01-05"}]
    ),
    st.fixed_dictionaries(
        {
            "from": st.sampled_from(["2026-08-21", "9999-12-31", "0001-01-01", "2026-02-30"]),
            "to": st.sampled_from(["2026-08-03", "9999-12-31", "2026-13-01"]),
        }
    ),
)


def _unique(items: st.SearchStrategy[dict[str, Any]], **kw: Any) -> st.SearchStrategy[list[Any]]:
    """Items with distinct ids, now and then with a repeated one."""
    return _mostly(
        st.lists(items, unique_by=lambda item: str(item["id"]), **kw), st.lists(items, **kw)
    )


@st.composite
def orgs(draw: st.DrawFn) -> dict[str, Any]:
    """An org file whose references mostly resolve: sections drawn in order, each referring to
    ids drawn before it (and now and then to an id nobody defined)."""
    activity_list = draw(
        _unique(
            st.fixed_dictionaries(
                {"id": activity_ids, "effort": efforts},
                optional={
                    "specialist": st.booleans(),
                    "skill": activity_ids,
                    "customer_facing": st.booleans(),
                },
            ),
            min_size=1,
            max_size=4,
        )
    )
    acts = [str(a["id"]) for a in activity_list]
    known_act = _mostly(st.sampled_from(acts), activity_ids)
    people_list = draw(
        _unique(
            st.fixed_dictionaries(
                {"id": person_ids, "skills": st.lists(known_act, max_size=4, unique=True)},
                optional={
                    "availability": _mostly(st.sampled_from(["0.5", "0.8", "0.9", "1"]), numbers),
                    "capacity": capacities,
                    "name": st.text(max_size=20),
                    "region": st.sampled_from(["north", "south", "\x1b[2J"]),
                    "absences": st.lists(absences, max_size=2),
                },
            ),
            min_size=1,
            max_size=4,
        )
    )
    persons = [str(p["id"]) for p in people_list]
    known_person = _mostly(st.sampled_from(persons), person_ids)

    @st.composite
    def process(draw: st.DrawFn) -> dict[str, Any]:
        n = draw(st.integers(min_value=1, max_value=4))
        chosen = [draw(known_act) for _ in range(n)]
        steps: list[Any] = []
        for k, act in enumerate(chosen):
            step_id = f"s{k}"
            if draw(st.booleans()):
                steps.append(act if chosen.count(act) == 1 else {"id": step_id, "activity": act})
            else:
                before = [f"s{m}" for m in range(k)]
                step: dict[str, Any] = {"id": step_id, "activity": act}
                if before or draw(_mostly(st.just(False), st.just(True))):
                    step["after"] = draw(
                        _mostly(
                            st.lists(st.sampled_from(before), max_size=2, unique=True)
                            if before
                            else st.just([]),
                            st.lists(step_ids, max_size=2),
                        )
                    )
                steps.append(step)
        return {"id": draw(process_ids), "steps": steps}

    process_list = draw(_unique(process(), min_size=1, max_size=3))
    procs = [str(p["id"]) for p in process_list]
    known_proc = _mostly(st.sampled_from(procs), process_ids)
    customer_list = draw(
        _unique(
            st.fixed_dictionaries(
                {"id": customer_ids, "demand": st.dictionaries(known_proc, rates, max_size=3)},
                optional={"region": st.sampled_from(["north", "south"])},
            ),
            max_size=4,
        )
    )
    members = st.lists(known_person, min_size=1, max_size=3, unique=True)
    rule_list = draw(
        st.lists(
            st.one_of(
                st.fixed_dictionaries(
                    {"people": members},
                    optional={
                        "activity": known_act,
                        "customers": st.lists(customer_ids, max_size=2),
                        "region": st.sampled_from(["north", "south", "west"]),
                    },
                ),
                st.fixed_dictionaries({"pool": members}, optional={"activity": known_act}),
            ),
            max_size=3,
        )
    )
    if draw(_mostly(st.just(True), st.just(False))):
        rule_list.append({"people": [persons[0]]})  # a catch-all: everything is covered
    org: dict[str, Any] = {
        "version": draw(_mostly(st.just("1"), st.sampled_from(["2", "1" * 5000]))),
        "people": people_list,
        "activities": activity_list,
        "processes": process_list,
        "customers": customer_list,
        "assignments": rule_list,
    }
    settings_ = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "name": st.text(max_size=20),
                "hours_per_day": _mostly(st.sampled_from(["7.5", "8", "24", "1"]), numbers),
                "days_per_week": _mostly(st.sampled_from(["4", "5", "7", "1"]), numbers),
                "handoff_delay": durations,
                "absence_spell": durations,
            },
        )
    )
    if settings_:
        org["org"] = settings_
    return org


def to_yaml(org: dict[str, Any]) -> str:
    """Block YAML with every scalar double-quoted (so any text survives), numbers as written."""
    from orgflow.propose.writer import _double_quoted

    def scalar(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return _double_quoted(str(value))

    def flow(value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(flow(v) for v in value) + "]"
        return scalar(value)

    out = [f"version: {org['version']}"]
    if "org" in org:
        out.append(f"org: {flow(org['org'])}")
    for section in ("people", "activities", "processes", "customers", "assignments"):
        out.append(f"{section}:" if org[section] else f"{section}: []")
        out += [f"  - {flow(item)}" for item in org[section]]
    return "\n".join(out) + "\n"


# --- text mutations ------------------------------------------------------------------------------

SNIPPETS = [
    "\x00",
    "\t",
    "\r",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "\x85",
    "\x1b[2J",
    "&a ",
    "*a",
    "*nope",
    "<<: *a",
    "<<: 3",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "#",
    "---\n",
    "...\n",
    "!!python/object:os.system ",
    "!!binary ",
    "!custom ",
    "? ",
    "|\n",
    ">-\n",
    "~",
    "yes",
    "1e-200",
    "5e-324",
    "1e-300",
    "1e-320",
    "1e300",
    "1" + "0" * 160,
    "0.000001m",
    "100000000/week",
    "0/week",
    "9999-12-31",
    "nan",
    ".inf",
    "-1",
    "0",
    "version: 2\n",
    "version: 1\n",
    "\n  - {id: zz, effort: 1h}\n",
    "after: [",
    "people:\n",
    " " * 40,
    "x" * 300,
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEED_TEXTS))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        size = len(text)
        at = draw(st.integers(min_value=0, max_value=size))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "swap", "number"]))
        if op == "insert":
            text = text[:at] + draw(st.sampled_from(SNIPPETS) | st.text(max_size=5)) + text[at:]
        elif op == "delete":
            end = draw(st.integers(min_value=at, max_value=min(size, at + 40)))
            text = text[:at] + text[end:]
        elif op == "replace" and at < size:
            text = text[:at] + draw(st.characters()) + text[at + 1 :]
        elif op in ("duplicate", "swap"):
            lines = text.split("\n")
            i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            if op == "duplicate":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == "number":
            digits = [k for k, ch in enumerate(text) if ch.isdigit()]
            if digits:
                k = draw(st.sampled_from(digits))
                text = text[:k] + draw(numbers) + text[k + 1 :]
    return text


# --- the CI budget ----------------------------------------------------------------------------

CI = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@settings(CI, max_examples=STRUCTURED_EXAMPLES)
@given(orgs())
def test_structured_org_files(org: dict[str, Any]) -> None:
    check_text(to_yaml(org))


@settings(CI, max_examples=MUTATED_EXAMPLES)
@given(mutated())
def test_mutated_org_files(text: str) -> None:
    check_text(text)


def test_the_seeds_load() -> None:
    assert {check_text(t) for t in SEED_TEXTS} == {"loaded"}
