"""Buttons of the company directory (handlers.directory): lists, sectors, cards, search,
requests."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks.codec import CallbackData
from handlers.callbacks.companies import CompanyButton

Scope = Literal["o", "s"]  # the directory: the other country, or the same country


class DirPlace(CallbackData):
    """The family of buttons that stand on a page of the directory: which side, which sector
    (its key, "" for all), which of the user's saved searches (0: none) and which page."""

    scope: Scope
    sector: str
    query: int
    page: int


class DirList(DirPlace, prefix="dl"):
    """A page of the directory."""


class DirSectors(CallbackData, prefix="dx"):
    """The sector filter's choices for this side and search."""

    scope: Scope
    query: int


class DirCard(DirPlace, CompanyButton, prefix="dc"):
    """One company's card, with the page it was opened from (for Back). Its company comes
    first: the fields of the last-named family lead (``dc:<company_id>:<scope>:…``)."""

    def back(self) -> DirList:
        """The page this card was opened from."""
        return DirList(self.scope, self.sector, self.query, self.page)


class DirSearch(CallbackData, prefix="ds"):
    """Ask for the words to search."""

    scope: Scope


class DirRequest(CompanyButton, prefix="dr"):
    """Request an introduction to a company found in the directory."""
