"""What every reader may see of a company: the public face that cards show and that the
CSV export starts from. A stored company (``storage.companies.CompanyRecord``) and the
matcher's profile of one both have it; contact details are not part of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class PublicCompany(Protocol):
    """A company's public fields: country by code, sectors by key."""

    @property
    def name(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def city(self) -> str | None: ...
    @property
    def sectors(self) -> Sequence[str]: ...
    @property
    def size(self) -> str | None: ...
    @property
    def offers(self) -> str | None: ...
    @property
    def seeks(self) -> str | None: ...
