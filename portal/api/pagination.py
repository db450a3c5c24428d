"""The API's pages."""

from rest_framework import pagination

from ..lists import KeysFirstPaginator


class Pagination(pagination.PageNumberPagination):
    django_paginator_class = KeysFirstPaginator  # a deep page stays an index scan
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
