"""One type for every problem orgflow reports: loader errors and warnings alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from orgflow.escape import MESSAGE_LIMIT, visible

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at ``file:line:column`` (1-based), with a rule code and a hint to fix it."""

    file: str
    line: int
    column: int
    level: Level
    code: str
    message: str
    hint: str | None = None

    def __post_init__(self) -> None:
        # Values from the file (keys, ids, names) and the file name itself must not forge a
        # line or reach a terminal raw: escape them, and cut a message that echoes a huge value.
        object.__setattr__(self, "file", visible(self.file, MESSAGE_LIMIT))
        object.__setattr__(self, "message", visible(self.message, MESSAGE_LIMIT))
        if self.hint is not None:
            object.__setattr__(self, "hint", visible(self.hint, MESSAGE_LIMIT))

    def format(self) -> str:
        """``file:line:col: level: message [code]`` and, when there is one, an indented hint."""
        head = f"{self.file}:{self.line}:{self.column}: {self.level}: {self.message} [{self.code}]"
        if self.hint:
            return f"{head}\n    hint: {self.hint}"
        return head

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


class OrgFileError(Exception):
    """The org file cannot be used; ``diagnostics`` holds every error (and warning) found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=_sort_key)
        errors = [d for d in self.diagnostics if d.level == "error"]
        first = errors[0].format().split("\n")[0] if errors else "unusable org file"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.file, d.line, d.column, d.code)


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=_sort_key)
