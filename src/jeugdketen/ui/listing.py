"""Search, sorting and paging for the long lists of the web UI: one way of reading the
query string and one set of template variables, so every list pages the same way."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from jeugdketen.ui.pages import page_number

SEARCH_MAX = 100  # characters of a search that are used


def search_text(request: HttpRequest, name: str = "zoek") -> str:
    # A NUL means nothing in a search, and PostgreSQL refuses it in a text parameter.
    return " ".join((request.GET.get(name) or "").replace("\x00", " ").split())[:SEARCH_MAX]


def sort_key(request: HttpRequest, options: dict[str, Any], name: str = "sorteer") -> str:
    """The sort asked for, if it is one of `options` (else the first)."""
    asked = request.GET.get(name, "")
    return asked if asked in options else next(iter(options))


@dataclass(frozen=True)
class Paging:
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def context(self, shown: int) -> dict[str, Any]:
        """The template variables of ui/includes/pagination.html."""
        pages, number = self.pages, self.page
        first = self.offset + 1 if shown else 0
        return {
            "total": self.total, "page": number, "pages": pages,
            "page_range": range(1, pages + 1) if pages <= 10 else None,
            "previous_page": number - 1 if number > 1 else None,
            "next_page": number + 1 if number < pages else None,
            "first_index": first, "last_index": self.offset + shown,
        }


def paging(request: HttpRequest, total: int, per_page: int) -> Paging:
    """The page asked for, never beyond the last one."""
    pages = max(1, math.ceil(total / per_page))
    return Paging(total=total, page=min(page_number(request), pages), per_page=per_page)
