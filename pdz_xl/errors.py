"""Errors a user reads: Italian, naming the file, sheet and cell."""

from __future__ import annotations


class PdzError(Exception):
    """A failure explained to the user in Italian."""

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 cell: str | None = None) -> None:
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell
        super().__init__(self.describe())

    def describe(self) -> str:
        """``file, foglio «S», cella C3: message``."""
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(f"foglio «{self.sheet}»")
        if self.cell:
            where.append(f"cella {self.cell}")
        return (", ".join(where) + ": " if where else "") + self.message


class WorkbookReadError(PdzError):
    """The file cannot be read as a workbook (corrupt, encrypted, .xls, empty...)."""


class WorkbookWriteError(PdzError):
    """The workbook could not be written; the original is untouched."""


class LayoutError(PdzError):
    """No budget table could be found, or the explicit mapping is inconsistent."""
