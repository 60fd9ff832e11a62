"""Helpers shared by the loader and reference tests: the diagnostics of a file that must not
load."""

from __future__ import annotations

import pytest

from orgflow import load_text
from orgflow.diagnostics import Diagnostic, OrgFileError


def problems(text: str) -> list[Diagnostic]:
    """Every diagnostic of a file that must not load."""
    with pytest.raises(OrgFileError) as info:
        load_text(text, file="x.yaml")
    return info.value.diagnostics


def only(text: str) -> Diagnostic:
    """The one diagnostic of a file that must not load."""
    found = problems(text)
    assert len(found) == 1, [d.format() for d in found]
    return found[0]
