"""The ``orgflow`` command: options -> one core call -> renderer -> exit code. Wiring only."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from orgflow import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="orgflow",
    help="Analyze a back office described in an org file: handoff chains, lead times, single "
    "points of failure.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"orgflow {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """orgflow: why customers wait, and what stops when someone is away."""


def _fail(lines: list[str], code: int = EXIT_USAGE) -> typer.Exit:
    for line in lines:
        typer.echo(line, err=True)
    return typer.Exit(code)


def _load(path: Path) -> Any:
    from orgflow.diagnostics import OrgFileError
    from orgflow.loader import load

    try:
        return load(path)
    except OrgFileError as exc:
        errors = sum(1 for d in exc.diagnostics if d.level == "error")
        lines = [d.format() for d in exc.diagnostics]
        lines.append(f"{path}: {errors} error(s); the file cannot be analyzed")
        raise _fail(lines) from None


def _emit(rendered: Any, output: Path | None, inputs: list[Path]) -> None:
    """Print to stdout, or write ``output`` atomically (never over an input)."""
    from orgflow.output import OutputError, write_atomic

    if isinstance(rendered, str):
        text = rendered
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
    else:
        from rich.console import Console

        if output is None:
            Console().print(rendered)
            return
        console = Console(
            width=110,
            record=True,
            file=open(os.devnull, "w"),  # noqa: SIM115
            color_system=None,
            force_terminal=False,
        )
        console.print(rendered)
        text = console.export_text()
        console.file.close()
    try:
        write_atomic(output, text, inputs)
    except (OutputError, OSError) as exc:
        raise _fail([f"orgflow: cannot write {output}: {exc}"]) from None


@app.command()
def analyze(
    org_file: Annotated[Path, typer.Argument(metavar="ORG.yaml", help="The org file.")],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text (a report), json or markdown.")
    ] = Format.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here instead.")
    ] = None,
) -> None:
    """Find handoff chains, lead times, critical paths and single points of failure."""
    from orgflow.analysis.summary import analyze as run_analysis

    org = _load(org_file)
    result = run_analysis(org)
    if fmt is Format.json:
        from orgflow.render.json import render as render_json

        _emit(render_json(result), output, [org_file])
    elif fmt is Format.markdown:
        from orgflow.render.markdown import render as render_markdown

        _emit(render_markdown(result), output, [org_file])
    else:
        from orgflow.render.text import render as render_text

        _emit(render_text(result), output, [org_file])


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the schema here instead.")
    ] = None,
) -> None:
    """Print the JSON Schema of the org file, for editors and CI."""
    from orgflow.schema import json_schema_text

    _emit(json_schema_text(), output, [])


def main() -> None:
    """Console entry point: a bug exits 3 with a short message, never a bare traceback."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("orgflow: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("ORGFLOW_DEBUG"):
            raise
        typer.echo(
            f"orgflow: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in orgflow. Please report it with the command you ran and, if you "
            "can, the org file; run again with ORGFLOW_DEBUG=1 to see the traceback.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
