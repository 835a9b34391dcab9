"""Paging for the list pages: 50 rows a page, "Vorige / Volgende" links that keep the other
query parameters, so a page's work does not grow with the rows in the database."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(request: HttpRequest, items, *, param: str = "page", per_page: int = PER_PAGE) -> Page:
    """Page `?<param>=` of `items` (an ordered queryset or a list). A missing or garbled number
    gives the first page, one past the end the last; templates include "_pager.html"."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    page.previous_link = _link(request, param, page.number - 1) if page.has_previous() else ""
    page.next_link = _link(request, param, page.number + 1) if page.has_next() else ""
    return page


def _link(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    if number == 1:
        query.pop(param, None)
    else:
        query[param] = str(number)
    return f"?{query.urlencode()}" if query else request.path
