"""Where each value of an org file stands: the :class:`SourceMap` the loader fills and every
diagnostic reads (``file:line:column``). Its own module, below the loader and the reference
checks, so that neither imports the other for it."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from orgflow.diagnostics import Diagnostic, Level

#: A place in the file: the keys and list indexes from the top (``("people", 3, "id")``).
Path_ = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value and key of the file stands (1-based line and column)."""

    file: str
    #: Positions packed into one int each (:func:`pack`): a tuple per value would cost twice
    #: the memory on a file of a million values.
    values: dict[Path_, int] = field(default_factory=dict)
    keys: dict[Path_, int] = field(default_factory=dict)
    #: The positions of a list's items, in one array per list: no object per item.
    items: dict[Path_, array[int]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)

    def at(self, path: Iterable[str | int], *, key: bool = False) -> tuple[int, int]:
        """Position of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if key and p in self.keys:
                return unpack(self.keys[p])
            if p in self.values:
                return unpack(self.values[p])
            if not p:
                return (1, 1)
            index = p[-1]
            if type(index) is int:
                positions = self.items.get(p[:-1])
                if positions is not None and 0 <= index < len(positions):
                    return unpack(positions[index])
            p = p[:-1]

    def diagnostic(
        self,
        path: Iterable[str | int],
        message: str,
        *,
        code: str,
        hint: str | None = None,
        level: Level = "error",
        key: bool = False,
    ) -> Diagnostic:
        line, column = self.at(path, key=key)
        return Diagnostic(self.file, line, column, level, code, message, hint)


_COLUMN_BITS = 24


def pack(mark: tuple[int, int]) -> int:
    """A (line, column) position as one int (columns beyond 16 million are shown as that)."""
    return mark[0] << _COLUMN_BITS | min(mark[1], (1 << _COLUMN_BITS) - 1)


def unpack(packed: int) -> tuple[int, int]:
    return packed >> _COLUMN_BITS, packed & ((1 << _COLUMN_BITS) - 1)
