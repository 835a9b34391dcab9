from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; lists return {count, next, previous, results}."""

    default_limit = 100
    max_limit = 1000


class ListPagination(Pagination):
    """`Pagination` that reads the page first: a page shorter than the limit ends the list, so
    its length (plus the offset) is the count and no `COUNT(*)` query runs. A full page, or an
    empty one past the start, is counted as before. The answer is the same either way."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.offset = self.get_offset(request)
        page = list(queryset[self.offset : self.offset + self.limit])
        if len(page) < self.limit and (page or self.offset == 0):
            self.count = self.offset + len(page)
        else:
            self.count = self.get_count(queryset)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        if self.count == 0 or self.offset > self.count:
            return []
        return page
