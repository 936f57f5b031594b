"""Querysets compiled to SQL once per process, then run for many keys.

A candidate's page reads fourteen small lists (events, contacts, mentoring logs, ...), each one
indexed lookup by the candidate's id. PostgreSQL answers each in about 0.1 ms (a prepared statement,
see DATABASE_PREPARE_THRESHOLD); building and compiling the queryset (joins, columns, ordering) cost
Django 0.3-0.6 ms more, every time, for the same SQL: half of the page. A `Prepared` compiles its
queryset once per database with a placeholder key and afterwards only swaps in the key; the query
runs through Django's cursor (logged, counted, routed as any other) and the rows become model
instances, select_related and prefetch_related as usual.

Only the SQL text and Django's row-to-object plan are kept, never rows: every call reads the database.
The function given must build the same query for every key (no dates, users or scopes in it): what
varies per request cannot be compiled once.
"""

import copy
from collections.abc import Callable
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import QuerySet

# Stands for the key while compiling; never sent to the database. Any value the key's column
# accepts will do, as long as no other parameter of the query equals it.
PLACEHOLDER = -724_310_571


def _fetch(connection, sql: str, params: tuple) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Compiled(NamedTuple):
    """A queryset compiled once: its SQL and parameters, its compiler and its columns' converters."""

    queryset: QuerySet
    compiler: object
    sql: str
    params: tuple
    converters: dict


def compile_queryset(queryset: QuerySet, alias: str) -> Compiled:
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    # The columns' converters (dates, decimals, ...), which results_iter would look up per call.
    converters = compiler.get_converters([column for column, *_rest in compiler.select[: compiler.col_count]])
    return Compiled(queryset, compiler, sql, tuple(params), converters)


def run_compiled(compiled: Compiled, alias: str, params: tuple) -> list:
    """The compiled queryset's rows for `params` (its own or the same query's for other values), as
    the queryset would give them: instances with select_related and prefetch_related, or values."""
    # A copy of the compiled compiler that runs the kept SQL instead of compiling it again; the
    # queryset's iterable reads its select and klass_info and converts the rows as usual.
    connection = connections[alias]
    compiler = copy.copy(compiled.compiler)
    compiler.connection = connection
    compiler.execute_sql = lambda *args, **kwargs: [_fetch(connection, compiled.sql, params)]
    compiler.get_converters = lambda expressions: compiled.converters
    queryset = compiled.queryset._chain()
    queryset.query.get_compiler = lambda *args, **kwargs: compiler
    return list(queryset)


class Prepared:
    """`Prepared(lambda key: Model.objects.filter(candidate_id=key).select_related(...))`; call it
    with a key for the list of instances. The function must build the same query for every key."""

    def __init__(self, build: Callable[[int], QuerySet]):
        self._build = build
        self._model = build(PLACEHOLDER).model
        self._compiled: dict[str, tuple[Compiled, tuple[int, ...]]] = {}

    def _compile(self, alias: str) -> tuple[Compiled, tuple[int, ...]]:
        compiled = compile_queryset(self._build(PLACEHOLDER).using(alias), alias)
        positions = tuple(i for i, value in enumerate(compiled.params) if value == PLACEHOLDER)
        assert positions, "the key is not a parameter of the query"
        self._compiled[alias] = compiled, positions
        return compiled, positions

    def __call__(self, key: int) -> list:
        # The router's choice for this read, per call (replica_reads() is a context).
        alias = router.db_for_read(self._model) or DEFAULT_DB_ALIAS
        compiled, positions = self._compiled.get(alias) or self._compile(alias)
        params = list(compiled.params)
        for position in positions:
            params[position] = key
        return run_compiled(compiled, alias, tuple(params))
