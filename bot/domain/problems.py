"""Why a value was refused, as data: an English message id with named values (and, in an
import, the CSV column). Pure code with no HTML: the chat renders a :class:`Problem` in the
reader's language (``tx._(problem.text)``, ``handlers.company_texts``), the command line
prints :meth:`Problem.english`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Marks an English message id for the catalogue; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Problem:
    """Why a value was refused: an English message id with ``{named}`` placeholders, their
    values, and (in an import) the CSV column it was found in."""

    text: str
    values: Mapping[str, Any] = field(default_factory=dict)
    column: str | None = None

    def english(self) -> str:
        message = self.text.format(**self.values)
        return f"{self.column}: {message}" if self.column else message


class Invalid(ValueError):
    """A value that is not acceptable; :attr:`problem` says why, in words a user can act on."""

    def __init__(self, text: str, *, column: str | None = None, **values: Any) -> None:
        self.problem = Problem(text, values, column)
        super().__init__(self.problem.english())

    def in_column(self, column: str) -> Invalid:
        """The same problem, found in a CSV column."""
        return Invalid(self.problem.text, column=column, **self.problem.values)
