"""Every finding ``orgflow check`` can report: loader codes and policy rules, with help text.
This catalogue feeds the SARIF ``rules`` and the README."""

from __future__ import annotations

from dataclasses import dataclass

from orgflow.check import rules
from orgflow.policy import RULES


@dataclass(frozen=True)
class CodeInfo:
    id: str
    summary: str
    help: str
    level: str  # default level: "error" or "warning"


_LOADER = [
    (
        "yaml-syntax",
        "The file is not valid YAML.",
        "Check indentation, colons and quotes on the line shown and the one above it.",
    ),
    ("yaml-key", "A mapping key is a list or a mapping.", "Write keys as plain words."),
    ("yaml-depth", "Nesting deeper than 64 levels.", "An org file needs about six levels."),
    (
        "yaml-size",
        "The file has more than 5 million YAML nodes (aliases count their anchor's content).",
        "Split the office, or write out fewer aliases; alias bombs are refused.",
    ),
    ("yaml-alias", "An alias names no anchor.", "Define &name before *name."),
    ("yaml-documents", "More than one YAML document.", "Keep one org per file."),
    ("yaml-tag", "An unsupported YAML tag.", "Remove the tag; orgflow reads plain values."),
    (
        "yaml-merge",
        "A '<<' merge of something that is not a mapping.",
        "Write <<: *anchor where &anchor names a mapping.",
    ),
    (
        "duplicate-key",
        "A key given twice in one mapping.",
        "YAML keeps only one value per key: remove one.",
    ),
    (
        "encoding",
        "The file is not UTF-8 (or UTF-16/32 with a byte-order mark).",
        "Save the file as UTF-8.",
    ),
    ("binary", "The file is binary.", "Pass an org file written in YAML."),
    ("too-large", "The file is larger than 64 MiB.", "Is this the right file?"),
    ("no-file", "The file cannot be read.", "Check the path and the permissions."),
    (
        "schema",
        "A key or value does not fit the org file format.",
        "See README: the org file. Unknown keys come with a suggestion.",
    ),
    (
        "bounds",
        "A value outside the bounds of the format (a duration, rate, capacity or spell).",
        "See README: Bounds of the format; check the unit or the period.",
    ),
    ("duplicate-id", "Two items of one kind share an id.", "Ids are unique within their kind."),
    (
        "duplicate-step",
        "A step id appears twice in a process.",
        "Give repeated activities distinct step ids: {id: check_2, activity: check}.",
    ),
    (
        "unknown-activity",
        "A reference to an activity that is not defined.",
        "Define it under activities: or fix the id.",
    ),
    (
        "unknown-customer",
        "A reference to a customer that is not defined.",
        "Define it under customers: or fix the id.",
    ),
    (
        "unknown-person",
        "A reference to a person who is not defined.",
        "Define them under people: or fix the id.",
    ),
    (
        "unknown-process",
        "Demand for a process that is not defined.",
        "Define it under processes: or fix the id.",
    ),
    (
        "unknown-step",
        "'after' names a step that is not in the process.",
        "Use a step id of the same process.",
    ),
    (
        "cycle",
        "Steps wait for each other in a cycle.",
        "A step can only wait for steps that finish before it.",
    ),
    (
        "uncovered",
        "No assignment rule covers a (customer, step) with demand.",
        "Add a rule for it, or a catch-all {people: [...]} at the end of assignments.",
    ),
]
_LOADER_WARNINGS = [
    (
        "rule-never-matches",
        "An assignment rule never applies.",
        "Remove it, or move it above the rule that takes its work.",
    ),
    (
        "missing-skill",
        "Someone is assigned work without the skill it needs.",
        "Add the skill once they are trained, or assign someone who has it.",
    ),
    (
        "overloaded",
        "Someone has more work than present capacity (utilization >= 100%).",
        "Their queue grows without bound: move work or add capacity.",
    ),
]

CODES: dict[str, CodeInfo] = {
    **{c: CodeInfo(c, s, h, "error") for c, s, h in _LOADER},
    **{c: CodeInfo(c, s, h, "warning") for c, s, h in _LOADER_WARNINGS},
    **{
        r.id: CodeInfo(r.id, r.summary, f"{m.HELP}\nPasses: {m.PASSES}\nFails: {m.FAILS}", "error")
        for r in RULES.values()
        for m in (rules.get(r.id),)
    },
}


def code_info(code: str) -> CodeInfo:
    return CODES.get(code) or CodeInfo(code, code, "See the orgflow README.", "error")
