"""Write an org back to YAML: one line per person, activity, customer and rule, in the user's
order, with ids kept and new skills marked by a comment."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from orgflow.model import FixedEffort, Org
from orgflow.policy import RULES, RuleSetting
from orgflow.units import format_amount

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9._/-]*$")
_UNIT = re.compile(r"^[0-9]+(\.[0-9]+)?([A-Za-z]+(/[A-Za-z]+)?|/[A-Za-z]+)$")
# Words YAML 1.1 (and editors) read as booleans or nulls: always quoted.
_SPECIAL = {
    "y",
    "n",
    "yes",
    "no",
    "on",
    "off",
    "true",
    "false",
    "null",
    "~",
}


def scalar(value: Any) -> str:
    """A YAML scalar that every YAML reader reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_amount(value) if math.isfinite(value) else json.dumps(str(value))
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _SPECIAL:
        return text
    if _UNIT.match(text):
        return text  # durations, rates and capacities (3h, 6/week, 40h/week) as written
    return _double_quoted(text)


# Characters a YAML stream may not hold raw (U+FFFE, U+FFFF, lone surrogates, controls), and
# the line breaks YAML would fold inside a quoted scalar (U+0085, U+2028, U+2029).
_NOT_RAW = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's), every character that cannot
    stand raw written as a ``\\uXXXX`` escape."""
    return _NOT_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def inline_yaml(value: Any) -> str:
    """A value in YAML flow style on one line."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {inline_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(inline_yaml(v) for v in value) + "]"
    return scalar(value)


def _effort(activity: Any) -> Any:
    effort = activity.effort
    if isinstance(effort, FixedEffort):
        return str(effort.mean)
    data = effort.model_dump(mode="json", exclude_defaults=True)
    if "dist" not in data and not ({"min", "likely", "max"} <= set(data) or "cv" in data):
        data = {"dist": effort.dist, **data}
    return data


def _setting(setting: RuleSetting) -> Any:
    if not setting.enabled:
        return "off"
    if setting.level == "error":
        return setting.limit
    return {"limit": setting.limit, "level": setting.level}


def dump_org(
    org: Org, *, header: list[str] | None = None, new_skills: dict[str, list[str]] | None = None
) -> str:
    """The org as YAML text; ``new_skills`` marks skills added by a proposal."""
    new_skills = new_skills or {}
    out: list[str] = [f"# {line}" if line else "#" for line in header or []]
    out.append("version: 1")
    settings = org.org.model_dump(mode="json", exclude_defaults=True)
    out.append("org:")
    out.append(f"  name: {scalar(org.org.name)}")
    for key, value in settings.items():
        if key != "name":
            out.append(f"  {key}: {inline_yaml(value)}")
    out.append("people:" if org.people else "people: []")
    for p in org.people:
        data = p.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        data["skills"] = list(p.skills)
        ordered = {"id": data.pop("id"), **data}
        line = f"  - {inline_yaml(ordered)}"
        if new_skills.get(p.id):
            line += f"  # new: {', '.join(new_skills[p.id])} (training)"
        out.append(line)
    out.append("activities:" if org.activities else "activities: []")
    for a in org.activities:
        data = a.model_dump(mode="json", exclude_defaults=True)
        data["effort"] = _effort(a)
        ordered = {"id": data.pop("id"), **data}
        out.append(f"  - {inline_yaml(ordered)}")
    out.append("processes:" if org.processes else "processes: []")
    for proc in org.processes:
        out.append(f"  - id: {scalar(proc.id)}")
        if proc.name:
            out.append(f"    name: {scalar(proc.name)}")
        out.append("    steps:")
        for step in proc.steps:
            data = step.model_dump(mode="json", exclude_defaults=True)
            if set(data) == {"activity"}:
                out.append(f"      - {scalar(step.activity)}")
            else:
                out.append(f"      - {inline_yaml(data)}")
    out.append("customers:" if org.customers else "customers: []")
    for c in org.customers:
        data = c.model_dump(mode="json", exclude_defaults=True)
        ordered = {"id": data.pop("id"), **data}
        out.append(f"  - {inline_yaml(ordered)}")
    out.append("assignments:" if org.assignments else "assignments: []")
    for rule in org.assignments:
        data = rule.model_dump(mode="json", exclude_defaults=True)
        for key in ("activity", "region"):
            if key in data and len(data[key]) == 1:
                data[key] = data[key][0]
        out.append(f"  - {inline_yaml(data)}")
    if org.policy is not None:
        out.append("policy:")
        for name in RULES:
            setting = getattr(org.policy, name)
            if setting is not None:
                out.append(f"  {name}: {inline_yaml(_setting(setting))}")
    return "\n".join(out) + "\n"
