"""Reports of ``orgflow check``: text (rich), JSON, GitHub workflow commands and SARIF 2.1.0."""

from __future__ import annotations

import json
from typing import Any

from orgflow import __version__
from orgflow import escape as esc
from orgflow.check.catalog import code_info
from orgflow.check.report import CheckReport
from orgflow.render.formats import Renderer

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/orgflow/orgflow"


def render_text(report: CheckReport, color: bool = False) -> str:
    """One line per finding, ``file:line:column: level: message [code]``, whatever the width
    of the terminal (never wrapped: grep and problem matchers read it), each rule's hint once
    on the line after the first finding that has it, then the count.

    Parameters
    ----------
    report : CheckReport
        The findings of every file checked.
    color : bool
        Whether to write ANSI colour codes.

    Returns
    -------
    str
        The lines, each ending with a newline.
    """
    from orgflow.output import paint, plural

    lines: list[str] = []
    explained: set[tuple[str, str]] = set()  # each hint is shown once
    for result in report.files:
        for f in result.findings:
            style = "red" if f.level == "error" else "yellow"
            message = " ".join(f.message.split())
            lines.append(
                f"{f.file}:{f.line}:{f.column}: {paint(f.level, 'bold ' + style, color)}: "
                f"{message} {paint(f'[{f.code}]', 'dim', color)}"
            )
            if f.hint and (f.code, f.hint) not in explained:
                explained.add((f.code, f.hint))
                lines.append(paint(f"    hint: {f.hint.splitlines()[0].strip()}", "dim", color))
    files = len(report.files)
    clean = sum(1 for r in report.files if not r.findings)
    summary = (
        f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} in "
        f"{plural(files, 'file')} ({clean} clean)"
    )
    style = "bold red" if report.errors else "bold yellow" if report.warnings else "bold green"
    lines.append(paint(summary, style, color))
    return "\n".join(lines) + "\n"


def check_dict(report: CheckReport) -> dict[str, Any]:
    """The report of ``check --format json`` as plain data: the counts, then each file's findings.

    Parameters
    ----------
    report : CheckReport
        The findings of every file checked.

    Returns
    -------
    dict
        The document of ``check --format json``.
    """
    return {
        "orgflow_version": __version__,
        "schema_version": 1,
        "summary": {
            "files": len(report.files),
            "errors": report.errors,
            "warnings": report.warnings,
        },
        "files": [
            {
                "file": r.file,
                "analyzed": r.loaded,
                "errors": r.errors,
                "warnings": r.warnings,
                "findings": [f.to_dict() for f in r.findings],
            }
            for r in report.files
        ],
    }


def render_json(report: CheckReport) -> str:
    """``check --format json``: :func:`check_dict` as JSON.

    Parameters
    ----------
    report : CheckReport
        The findings of every file checked.

    Returns
    -------
    str
        The JSON document, indented, with a final newline.
    """
    return esc.json_text(json.dumps(check_dict(report), indent=2, ensure_ascii=False)) + "\n"


def escape_data(text: str) -> str:
    """Escape a GitHub workflow command's message: %, carriage return and newline.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    str
        The escaped text.
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value: as data, plus ':' and ','.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    str
        The escaped text.
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: CheckReport) -> str:
    """One ``::error`` or ``::warning`` workflow command per finding (GitHub Actions).

    Parameters
    ----------
    report : CheckReport
        The findings of every file checked.

    Returns
    -------
    str
        The workflow commands, one a line.
    """
    out = []
    for result in report.files:
        for f in result.findings:
            props = ",".join(
                f"{k}={escape_property(str(v))}"
                for k, v in (
                    ("file", f.file),
                    ("line", f.line),
                    ("col", f.column),
                    ("title", f"orgflow {f.code}"),
                )
            )
            message = f.message + (f"\n{f.hint}" if f.hint else "")
            out.append(f"::{f.level} {props}::{escape_data(message)}")
    return "\n".join(out) + ("\n" if out else "")


def sarif_dict(report: CheckReport) -> dict[str, Any]:
    """A SARIF 2.1.0 log: the tool with the rules it reported, and one result per finding.

    Parameters
    ----------
    report : CheckReport
        The findings of every file checked.

    Returns
    -------
    dict
        The SARIF log.
    """
    codes = sorted({f.code for r in report.files for f in r.findings})
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        info = code_info(code)
        rules.append(
            {
                "id": code,
                "name": "".join(part.capitalize() for part in code.replace("-", "_").split("_")),
                "shortDescription": {"text": info.summary},
                "fullDescription": {"text": info.summary},
                "help": {"text": info.help, "markdown": info.help.replace("\n", "  \n")},
                "defaultConfiguration": {"level": info.level},
                "helpUri": f"{INFORMATION_URI}#orgflow-check",
            }
        )
    results = []
    for r in report.files:
        for f in r.findings:
            results.append(
                {
                    "ruleId": f.code,
                    "ruleIndex": index[f.code],
                    "level": f.level,
                    "message": {"text": f.message + (f" Hint: {f.hint}" if f.hint else "")},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": _uri(f.file)},
                                "region": {"startLine": f.line, "startColumn": f.column},
                            }
                        }
                    ],
                }
            )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "orgflow",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def _uri(path: str) -> str:
    """A relative URI for a file path (forward slashes, spaces and the like escaped)."""
    from urllib.parse import quote

    return quote(path.replace("\\", "/"))


def render_sarif(report: CheckReport) -> str:
    """``check --format sarif``: :func:`sarif_dict` as JSON.

    Parameters
    ----------
    report : CheckReport
        The findings of every file checked.

    Returns
    -------
    str
        The SARIF log as JSON, indented, with a final newline.
    """
    return esc.json_text(json.dumps(sarif_dict(report), indent=2, ensure_ascii=False)) + "\n"


class CheckText(Renderer[CheckReport]):
    """``check --format text``: one line per finding (:func:`render_text`), coloured when
    ``color``."""

    def render(self, result: CheckReport) -> str:
        return render_text(result, color=self.color)


class CheckJson(Renderer[CheckReport]):
    """``check --format json``: the schema of :func:`check_dict`."""

    def render(self, result: CheckReport) -> str:
        return render_json(result)


class CheckGithub(Renderer[CheckReport]):
    """``check --format github``: workflow commands (:func:`render_github`)."""

    def render(self, result: CheckReport) -> str:
        return render_github(result)


class CheckSarif(Renderer[CheckReport]):
    """``check --format sarif``: a SARIF 2.1.0 log (:func:`sarif_dict`)."""

    def render(self, result: CheckReport) -> str:
        return render_sarif(result)
