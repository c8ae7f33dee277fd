from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M` (at most 200 a page), with `count`, `next` and `previous`.

    `page_size` must be a whole number: one above 200 gives 200 rows, one below 1 the default
    (as the schema's bounds-free integer says), anything else is a 400, not a silent 50."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        # DRF reads `?page=` (empty) as page 1; like any other page that is not a number, it
        # names no page.
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.NotFound(_("Invalid page."))
        return super().get_page_number(request, paginator)

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        for value in values:
            try:
                int(value)
            except ValueError:
                raise exceptions.ValidationError(
                    {self.page_size_query_param: [_("Give the page size as a whole number.")]}
                ) from None
        return super().get_page_size(request)
