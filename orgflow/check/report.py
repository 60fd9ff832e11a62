"""The result of ``orgflow check``: findings per file, and the exit code they mean."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from orgflow.diagnostics import Diagnostic


@dataclass
class FileResult:
    file: str
    findings: list[Diagnostic] = field(default_factory=list)
    loaded: bool = True  # False when the file itself has errors and could not be analyzed

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.level == "warning")


@dataclass
class CheckReport:
    files: list[FileResult]

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    def exit_code(self, *, strict: bool = False, exit_zero: bool = False) -> int:
        """0 no error findings; 1 error findings (or warnings with ``strict``)."""
        if exit_zero:
            return 0
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def rename(self, old: str, new: str) -> None:
        """Report the file checked as ``old`` under the name ``new`` (standard input is checked
        from a scratch file and reported as ``<stdin>``)."""
        for result in self.files:
            if result.file == old:
                result.file = new
                result.findings = [replace(f, file=new) for f in result.findings]
