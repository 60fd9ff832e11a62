"""Find the org files, load each, and check it against its policy."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from orgflow.check.report import CheckReport, FileResult
from orgflow.diagnostics import Diagnostic, OrgFileError
from orgflow.errors import OrgflowError
from orgflow.policy import Policy

#: Folders never searched for org files.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)
_ORG_MARKERS = re.compile(
    rb"^([\"']?)(people|activities|processes|assignments)\1[ \t]*:", re.MULTILINE
)


class CheckUsageError(OrgflowError):
    """The invocation cannot be carried out (a path that does not exist, a bad policy file)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


#: Fewer files than this are checked in this process (starting workers costs more).
PARALLEL_FROM = 16


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[Path, ...]
    policy: Path | None = None
    jobs: int | None = None  # processes; default: every core


def looks_like_org(path: Path) -> bool:
    """A YAML file found in a folder is checked when it reads like an org file: a top-level
    ``people:``, ``activities:``, ``processes:`` or ``assignments:`` (with or without
    ``version:``: an org file that lacks it gets a finding, it is never passed over)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
    except OSError:
        return False
    return bool(_ORG_MARKERS.search(_as_utf8(head)))


def _as_utf8(head: bytes) -> bytes:
    """The start of a file as UTF-8, so that an org file saved as UTF-16 or UTF-32 (with or
    without a byte-order mark) is found too, and gets the loader's encoding finding."""
    from orgflow.loader import WIDE_BOMS

    for bom, encoding in WIDE_BOMS:
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore").encode()
    sample = head[:4096]
    if b"\x00" in sample:
        little = sample[1::2].count(0) >= sample[0::2].count(0)
        return head.decode("utf-16-le" if little else "utf-16-be", errors="ignore").encode()
    return head.removeprefix(codecs.BOM_UTF8)


def collect(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and org files found in folders (sorted, each once)."""
    found: dict[str, Path] = {}
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
                for name in sorted(files):
                    if name.endswith((".yaml", ".yml")):
                        candidate = Path(root) / name
                        if looks_like_org(candidate):
                            found.setdefault(str(candidate), candidate)
        elif path.exists():
            found.setdefault(str(path), path)
        else:
            missing.append(f"orgflow check: {path}: no such file or folder")
    if missing:
        raise CheckUsageError(missing)
    return list(found.values())


def nothing_checked(paths: Iterable[Path], *, github: bool = False) -> tuple[list[str], list[str]]:
    """What a run that found no org file to check says: lines for stderr, and for stdout (a
    workflow command under ``--format github``, so the job shows it)."""
    from orgflow.escape import visible

    given = ", ".join(visible(str(p), 200) for p in paths) or "no path"
    err = [
        f"orgflow check: no org file to check in {given}",
        "    hint: an org file is a .yaml or .yml file with a top-level people:, activities:, "
        "processes: or assignments:; pass --allow-empty when finding none is expected",
    ]
    out = (
        ["::error title=orgflow check::no org file to check; pass --allow-empty"] if github else []
    )
    return err, out


def load_policy(path: Path) -> Policy:
    """A policy file: a mapping of rules, as under ``policy:`` in an org file (a top-level
    ``policy:`` key is accepted too)."""
    from orgflow.loader import _Fatal, compose, read_text, validate_model

    try:
        text = read_text(path)
        data, smap, problems = compose(text, str(path))
    except _Fatal as fatal:
        raise CheckUsageError([fatal.diagnostic.format()]) from None
    prefix: tuple[str | int, ...] = ()
    if isinstance(data, dict) and set(data) <= {"policy", "version"} and "policy" in data:
        data, prefix = data["policy"], ("policy",)
    policy, errors = validate_model(Policy, data, smap, prefix=prefix)
    problems += errors
    if policy is None or problems:
        raise CheckUsageError([d.format() for d in problems] or [f"{path}: not a policy"])
    return policy


def check_file(path: Path, override: Policy | None) -> FileResult:
    """Every finding for one file: what the loader and the lint pass report, then the policy
    rules."""
    from orgflow.analysis.lint import open_office
    from orgflow.loader import load

    try:
        office = open_office(load(path))
    except OrgFileError as exc:
        return FileResult(str(path), list(exc.diagnostics), loaded=False)
    findings: list[Diagnostic] = list(office.warnings)
    policy = (office.org.policy or Policy()).merged(override)
    if any(getattr(policy, name) is not None for name in Policy.model_fields):
        from orgflow.analysis.summary import analyze
        from orgflow.check.rules import policy_findings

        findings = policy_findings(office, analyze(office), policy, findings)
    findings.sort(key=lambda d: (d.line, d.column, d.code))
    return FileResult(str(path), findings)


def run_check(
    options: CheckOptions, progress: Callable[[int, int], None] | None = None
) -> CheckReport:
    """Check every file; many files are checked on all cores (results in file order).
    ``progress(done, total)`` is called after each file."""
    override = load_policy(options.policy) if options.policy is not None else None
    files = collect(options.paths)
    workers = min(options.jobs or os.cpu_count() or 1, len(files))
    results: list[FileResult] = []
    if workers <= 1 or len(files) < PARALLEL_FROM:
        for path in files:
            results.append(check_file(path, override))
            if progress is not None:
                progress(len(results), len(files))
        return CheckReport(results)
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(check_file, files, [override] * len(files), chunksize=8):
            results.append(result)
            if progress is not None:
                progress(len(results), len(files))
    return CheckReport(results)
