"""Did-you-mean hints: the closest known name to one the file got wrong."""

from __future__ import annotations

from collections.abc import Iterable

#: Similarity (rapidfuzz's ratio, 0-100, as difflib's ratio times 100) of a suggestion.
SUGGEST_CUTOFF = 60.0


class Suggestions:
    """Did-you-mean hints against one set of known names, indexed once: rapidfuzz compares a
    name with every candidate in C, so thousands of unknown names take milliseconds each."""

    def __init__(self, known: Iterable[str]) -> None:
        self._known = known
        self._choices: list[str] | None = None  # sorted on first use

    def best(self, name: str) -> str | None:
        """The closest known name, or ``None`` when nothing is close."""
        from rapidfuzz import fuzz, process

        if self._choices is None:
            self._choices = sorted(set(self._known))
        if not self._choices:
            return None
        found = process.extractOne(
            name, self._choices, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF
        )
        return None if found is None else str(found[0])

    def hint(self, name: str) -> str | None:
        close = self.best(name)
        return f"did you mean '{close}'?" if close is not None else None
