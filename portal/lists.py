"""What keeps a long list fast: at 100,000 rows a page still costs a few index scans
(``manage.py bench_lists`` measures it).

- ``KeysFirstPaginator``: find the page's primary keys first, in the list's order, then
  join only those rows to what the page shows (two statements: see ``page()``). A deep
  ``OFFSET`` walks an index instead of joining and sorting every row of the list, and a
  search is not joined before it is cut.
- ``having_related`` and ``ToManyFilter``: keep a row when any of its related rows matches,
  with ``pk IN (subquery)`` rather than a join and ``DISTINCT``, so the count stays a count
  of one table.
- ``SearchFilter``: DRF's ``?search=`` with the same matches, written so that indexes can
  answer it when some search fields sit on a related table.
"""

import operator
from functools import reduce

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.query import ModelIterable
from django_filters.constants import EMPTY_VALUES
from rest_framework import filters


class KeysFirstPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, QuerySet) and rows.ordered and not rows.query.distinct:
            # The page's keys first, as a list: the slice reads the ordering index. Handed to
            # the joined query as a subquery instead, PostgreSQL plans a semi-join over every
            # row of the list (126 of 131 ms on 20,000 agreements); as literal keys, the
            # primary-key index answers. The joined query prefetches for those rows only.
            keys = list(rows.values_list("pk", flat=True)[bottom:top])
            page_rows = _rows_with_keys(rows, keys)
        else:
            page_rows = rows[bottom:top]
        return self._get_page(page_rows, number, self)


def _rows_with_keys(rows, keys):
    """``rows`` (same joins, prefetches, deferred fields and order) for the ``keys``
    alone. The keys were picked by ``rows``' filters already; repeating them
    outside would run a search or a filter's subquery twice. A queryset this cannot copy
    faithfully (annotations, extra, values()) keeps its filters instead."""
    query = rows.query
    if query.annotations or query.extra or query.combinator:
        return rows.filter(pk__in=keys)
    if rows._iterable_class is not ModelIterable:
        return rows.filter(pk__in=keys)
    page = rows.model._base_manager.db_manager(rows.db).filter(pk__in=keys)
    page.query.select_related = query.select_related
    page.query.deferred_loading = query.deferred_loading
    if query.order_by or not query.default_ordering:
        page = page.order_by(*query.order_by)
    return page.prefetch_related(*rows._prefetch_related_lookups)


def having_related(qs, field_name, value, lookup="exact"):
    """The rows of ``qs`` with at least one related row through ``field_name`` (a to-many
    path such as ``service_provinces__code``) matching ``value``, each row once."""
    name, _sep, rest = field_name.partition(LOOKUP_SEP)
    field = qs.model._meta.get_field(name)
    if field.many_to_many and not field.auto_created:
        # Straight to the link table: ``province_id = '10'``, not a join back to qs.model.
        target = LOOKUP_SEP.join(filter(None, [field.m2m_reverse_field_name(), rest]))
        links = field.remote_field.through._base_manager.filter(**{f"{target}__{lookup}": value})
        return qs.filter(pk__in=links.values(field.m2m_field_name()))
    matching = qs.model._base_manager.filter(**{f"{field_name}__{lookup}": value})
    return qs.filter(pk__in=matching.values("pk"))


class ToManyFilter(django_filters.CharFilter):
    """A filter through a to-many relation (``service_provinces__code``), by
    ``having_related``: no join, no DISTINCT."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return having_related(qs, self.field_name, value, self.lookup_expr)


def _relation_path(model, lookup):
    """``cso__name_th__icontains`` on Agreement → ``cso``; a field of the model → ``""``."""
    path = []
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if not field.is_relation or field.related_model is None:
            break
        path.append(part)
        model = field.related_model
    return LOOKUP_SEP.join(path)


class SearchFilter(filters.SearchFilter):
    """DRF's search: every term must match one of the search fields. When some of those
    fields sit on related tables, DRF's single OR across a join can only be answered by
    reading every row of both tables. Here each term becomes ``pk IN (rows matching on this
    table UNION rows matching on that one)``, each part of which an index can answer."""

    def filter_queryset(self, request, queryset, view):
        search_fields = self.get_search_fields(view, request)
        terms = self.get_search_terms(request)
        if not search_fields or not terms:
            return queryset
        groups = {}
        for field in search_fields:
            lookup = self.construct_search(str(field), queryset)
            groups.setdefault(_relation_path(queryset.model, lookup), []).append(lookup)
        if list(groups) == [""]:
            return super().filter_queryset(request, queryset, view)
        rows = queryset.model._base_manager.order_by()
        for term in terms:
            parts = [
                rows.filter(reduce(operator.or_, (Q(**{lookup: term}) for lookup in lookups)))
                for lookups in groups.values()
            ]
            matching = reduce(lambda a, b: a.union(b), (p.values("pk") for p in parts))
            queryset = queryset.filter(pk__in=matching)
        return queryset
