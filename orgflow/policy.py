"""Policy rules for ``orgflow check``: limits on the analyses, set in the org file under
``policy:`` or in a separate policy file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from orgflow.diagnostics import Level
from orgflow.units import Calendar, UnitError, parse_duration

_OFF = {"off", "false", "no", "disabled", "disable"}


@dataclass(frozen=True)
class RuleInfo:
    """What a policy rule checks: its id, limit, help and an example that passes and fails."""

    id: str
    kind: Literal["max", "min"]
    unit: Literal["count", "share", "duration"]
    summary: str
    help: str
    passes: str
    fails: str


RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        RuleInfo(
            "max_handoffs",
            "max",
            "count",
            "Handoffs per request on a route at most the limit.",
            "Each handoff puts the request in another queue and adds handoff_delay. Give one "
            "person more of the steps (parallel organisation) to remove handoffs.",
            "policy: {max_handoffs: 2}   # intake and quotation by the same person, then one "
            "handoff to planning",
            "policy: {max_handoffs: 2}   # six desks in series: 5 handoffs per request",
        ),
        RuleInfo(
            "min_bus_factor",
            "min",
            "count",
            "At least this many people able to do every step (primary plus backups, or pool).",
            "A step done by fewer people stops whenever they are all away. Add a backup after "
            "the primary in the rule's people: list.",
            "policy: {min_bus_factor: 2}   # {activity: quotation, people: [marco, giulia]}",
            "policy: {min_bus_factor: 2}   # {activity: quotation, people: [marco]}",
        ),
        RuleInfo(
            "max_lead_time",
            "max",
            "duration",
            "Analytic mean lead time of every route at most the limit.",
            "The lead time is the longest path through the process, with queueing, handoff "
            "latency and absences. Fewer handoffs and backups shorten it.",
            "policy: {max_lead_time: 3d}   # parallel office: about 2 days",
            "policy: {max_lead_time: 3d}   # serial office: about 8 days",
        ),
        RuleInfo(
            "max_utilization",
            "max",
            "share",
            "Every person's utilization (load / present capacity) at most the limit.",
            "Queues grow steeply as utilization nears 100%. Move work or add capacity.",
            "policy: {max_utilization: 0.85}   # everyone at 70% or less",
            "policy: {max_utilization: 0.85}   # paolo at 92%",
        ),
        RuleInfo(
            "max_contacts_per_customer",
            "max",
            "count",
            "Each customer talks to at most this many people.",
            "Contacts are the people doing a customer's customer-facing steps. One contact per "
            "customer is the parallel organisation.",
            "policy: {max_contacts_per_customer: 1}   # anna handles rossi from A to Z",
            "policy: {max_contacts_per_customer: 1}   # rossi talks to lucia, marco and sara",
        ),
        RuleInfo(
            "max_blocked_share",
            "max",
            "share",
            "No single person's absence stops more than this share of requests.",
            "A request stops when a step only one person can do waits for them. Add a backup.",
            "policy: {max_blocked_share: 0.2}   # everyone has a backup: 0%",
            "policy: {max_blocked_share: 0.2}   # lucia alone does intake: 100%",
        ),
        RuleInfo(
            "min_truck_factor",
            "min",
            "count",
            "At least this many people must be away at once to stop half of the requests.",
            "The truck factor is the fewest people whose joint absence stops at least half "
            "of the requests per week.",
            "policy: {min_truck_factor: 2}   # every step has a backup",
            "policy: {min_truck_factor: 2}   # one person alone stops every order",
        ),
    )
}


@dataclass(frozen=True)
class RuleSetting:
    """One rule as configured: its limit, the level of its findings, or switched off."""

    limit: float | None
    level: Level = "error"
    enabled: bool = True


def _setting(value: Any) -> Any:
    """``3``, ``0.85``, ``3d``, ``off``, or ``{limit: 3, level: warning}``."""
    if isinstance(value, RuleSetting):
        return value
    if value is None:
        return RuleSetting(None, enabled=False)
    if isinstance(value, bool):
        if value:
            raise ValueError("write the limit, e.g. 3, or off to switch the rule off")
        return RuleSetting(None, enabled=False)
    if isinstance(value, str) and value.strip().lower() in _OFF:
        return RuleSetting(None, enabled=False)
    if isinstance(value, dict):
        unknown = set(value) - {"limit", "level", "enabled"}
        if unknown:
            raise ValueError(
                f"unknown key{'' if len(unknown) == 1 else 's'} {', '.join(sorted(unknown))}: "
                "a rule takes "
                "limit, level and enabled"
            )
        level = str(value.get("level", "error"))
        if level not in ("error", "warning"):
            raise ValueError("level is error or warning")
        enabled = value.get("enabled", True)
        if isinstance(enabled, str):
            enabled = enabled.strip().lower() not in _OFF
        if "limit" not in value and enabled:
            raise ValueError("give the rule a limit, e.g. {limit: 3, level: warning}")
        limit = value.get("limit")
        return RuleSetting(None if limit is None else limit, level, bool(enabled))  # type: ignore[arg-type]
    return RuleSetting(value)


Setting = Annotated[
    RuleSetting | None,
    BeforeValidator(_setting),
    WithJsonSchema(
        {
            "description": "A limit; 'off' to switch the rule off; or {limit, level: "
            "error|warning, enabled}.",
            "anyOf": [
                {"type": "number"},
                {"type": "string"},
                {"type": "boolean", "const": False},
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {
                        "limit": {"type": ["number", "string"]},
                        "level": {"enum": ["error", "warning"]},
                        "enabled": {"type": "boolean"},
                    },
                    "additionalProperties": False,
                },
            ],
        }
    ),
]


class Policy(BaseModel):
    """The ``policy:`` section: each rule's limit (see README: orgflow check)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_handoffs: Setting = Field(None, description=RULES["max_handoffs"].summary)
    min_bus_factor: Setting = Field(None, description=RULES["min_bus_factor"].summary)
    max_lead_time: Setting = Field(None, description=RULES["max_lead_time"].summary)
    max_utilization: Setting = Field(None, description=RULES["max_utilization"].summary)
    max_contacts_per_customer: Setting = Field(
        None, description=RULES["max_contacts_per_customer"].summary
    )
    max_blocked_share: Setting = Field(None, description=RULES["max_blocked_share"].summary)
    min_truck_factor: Setting = Field(None, description=RULES["min_truck_factor"].summary)

    @field_validator("*", mode="after")
    @classmethod
    def _limit_reads(cls, setting: RuleSetting | None, info: ValidationInfo) -> RuleSetting | None:
        if setting is not None and setting.enabled and info.field_name:
            limit_value(info.field_name, setting.limit, Calendar())  # ValueError if unreadable
        return setting

    def merged(self, override: Policy | None) -> Policy:
        """This policy with every rule ``override`` sets taking its place."""
        if override is None:
            return self
        values = {name: getattr(self, name) for name in RULES}
        for name in override.model_fields_set:
            values[name] = getattr(override, name)
        return Policy(**values)


def limit_value(rule: str, raw: Any, cal: Calendar) -> float:
    """A rule's limit as a number: counts as they are, shares from 0.85 or "85%", durations in
    working hours of the office calendar."""
    info = RULES[rule]
    if info.unit == "duration":
        try:
            return parse_duration(raw).hours(cal)
        except UnitError as exc:
            raise ValueError(str(exc)) from None
    text = str(raw).strip()
    try:
        if info.unit == "share" and text.endswith("%"):
            value = float(text[:-1]) / 100
        else:
            value = float(text)
    except ValueError:
        example = "0.85 or 85%" if info.unit == "share" else "3"
        raise ValueError(f"{raw!r} is not a number; write e.g. {example}") from None
    if value < 0 or value != value:
        raise ValueError("the limit must be a number >= 0")
    return value
